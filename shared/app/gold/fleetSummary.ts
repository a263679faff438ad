/**
 * `fleet_daily`: the fleet summary of a day, by ship category and flag: vessels active, distance, fuel and CO2. Each
 * shard's build sums its vessels; the window's run adds the shards up (the last step of the day's build).
 *
 * The sums are kept in integer millionths (of a nautical mile, of a tonne: a gram) while they are added up, so they
 * are exact and the same whichever way the vessels are split into shards (floating-point sums depend on the order).
 */
import type { ParquetColumn } from '../ports.js';

export const FLEET_DAILY_TABLE = 'fleet_daily';

/** Sums in integer millionths (`distance_nm` in micro-NM, `fuel_t` and `co2_t` in grams) until `fleetRow`. */
export interface FleetGroup {
    vessels: number;
    distance_nm: number;
    fuel_t: number;
    co2_t: number;
}

export interface FleetSums {
    total: FleetGroup;
    byShipCategory: Record<string, FleetGroup>;
    byFlag: Record<string, FleetGroup>;
}

export const FLEET_DAILY_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'partial', type: 'BOOLEAN' },
    { name: 'vessels', type: 'INT64' },
    { name: 'distance_nm', type: 'DOUBLE' },
    { name: 'fuel_t', type: 'DOUBLE' },
    { name: 'co2_t', type: 'DOUBLE' },
    { name: 'by_ship_category', type: 'JSON' },
    { name: 'by_flag', type: 'JSON' },
];

export function emptyFleet(): FleetSums {
    return { total: emptyGroup(), byShipCategory: {}, byFlag: {} };
}

function emptyGroup(): FleetGroup {
    return { vessels: 0, distance_nm: 0, fuel_t: 0, co2_t: 0 };
}

function add(into: FleetGroup, g: FleetGroup): void {
    into.vessels += g.vessels;
    into.distance_nm += g.distance_nm;
    into.fuel_t += g.fuel_t;
    into.co2_t += g.co2_t;
}

/** Sums of one shard: every vessel_daily row with its emissions (by MMSI). */
export function fleetSums(
    daily: readonly Record<string, unknown>[],
    emissions: ReadonlyMap<number, { fuel_total_t: number; co2_t: number }>,
): FleetSums {
    const sums = emptyFleet();
    for (const row of daily) {
        const e = emissions.get(row.mmsi as number);
        const g: FleetGroup = {
            vessels: 1,
            distance_nm: micro(row.distance_nm as number),
            fuel_t: micro(e?.fuel_total_t ?? 0),
            co2_t: micro(e?.co2_t ?? 0),
        };
        add(sums.total, g);
        add((sums.byShipCategory[(row.ship_category as string | null) ?? 'unknown'] ??= emptyGroup()), g);
        add((sums.byFlag[(row.flag as string | null) ?? 'unknown'] ??= emptyGroup()), g);
    }
    return sums;
}

/** Adds up the shards' sums (in shard order, so the floating-point sums do not depend on finishing order). */
export function mergeFleet(parts: readonly FleetSums[]): FleetSums {
    const out = emptyFleet();
    for (const p of parts) {
        add(out.total, p.total);
        for (const [k, g] of Object.entries(p.byShipCategory))
            add((out.byShipCategory[k] ??= emptyGroup()), g);
        for (const [k, g] of Object.entries(p.byFlag)) add((out.byFlag[k] ??= emptyGroup()), g);
    }
    return out;
}

const MICRO = 1_000_000;

function micro(x: number): number {
    return Number.isFinite(x) ? Math.round(x * MICRO) : 0;
}

function units(g: FleetGroup): FleetGroup {
    return {
        vessels: g.vessels,
        distance_nm: g.distance_nm / MICRO,
        fuel_t: g.fuel_t / MICRO,
        co2_t: g.co2_t / MICRO,
    };
}

/**
 * The fleet totals in their units (vessels, nautical miles, tonnes) for a log line or a message: never the integer
 * millionths the sums are kept in, which a reader would take literally.
 */
export function fleetTotals(sums: FleetSums): FleetGroup {
    return units(sums.total);
}

export function fleetRow(day: string, partial: boolean, sums: FleetSums): Record<string, unknown> {
    const sorted = (r: Record<string, FleetGroup>) =>
        Object.fromEntries(
            Object.entries(r)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, g]) => [k, units(g)]),
        );
    return {
        date: day,
        partial,
        ...units(sums.total),
        by_ship_category: sorted(sums.byShipCategory),
        by_flag: sorted(sums.byFlag),
    };
}
