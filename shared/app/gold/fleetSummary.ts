/**
 * `fleet_daily`: the fleet summary of a day, by ship category and flag: vessels active, distance, fuel and CO2. Each
 * shard's build sums its vessels; the window's run adds the shards up (the last step of the day's build).
 */
import type { ParquetColumn } from '../ports.js';

export const FLEET_DAILY_TABLE = 'fleet_daily';

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
        const g: FleetGroup = { vessels: 1, distance_nm: row.distance_nm as number, fuel_t: e?.fuel_total_t ?? 0, co2_t: e?.co2_t ?? 0 };
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
        for (const [k, g] of Object.entries(p.byShipCategory)) add((out.byShipCategory[k] ??= emptyGroup()), g);
        for (const [k, g] of Object.entries(p.byFlag)) add((out.byFlag[k] ??= emptyGroup()), g);
    }
    return out;
}

export function fleetRow(day: string, partial: boolean, sums: FleetSums): Record<string, unknown> {
    const sorted = (r: Record<string, FleetGroup>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
        date: day,
        partial,
        ...sums.total,
        by_ship_category: sorted(sums.byShipCategory),
        by_flag: sorted(sums.byFlag),
    };
}
