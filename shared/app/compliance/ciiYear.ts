/**
 * CII per vessel and calendar year from gold: fuel per type from `emissions_daily`, distance from `vessel_daily`,
 * the CII ship type and capacity (DWT or GT) from the particulars the emission model used (the file row, or the
 * estimate from AIS: `capacitySource` says which). The report carries every input, so a user can redo it with
 * `npx maritime cii` (the same domain functions).
 *
 * Two readers of the same rows: one vessel from the Cosmos gold rows (the endpoint, one partition), the whole fleet
 * from the gold Parquet files (the timer: `CiiFleetSource`).
 */
import {
    CAPACITY_UNIT,
    type CiiDay,
    type CiiResult,
    type CiiShip,
    type CiiShipType,
    ciiYear,
    type CiiYearReport,
    isCiiShipType,
} from '../../domain/cii/index.js';
import { FUELS, type FuelTonnes } from '../../domain/fuel/fuels.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { GoldDocument, GoldStore } from '../ports.js';
import { type Params, parseLimit, parseMmsi } from '../queries.js';

/** One vessel-day of the figures CII needs (gold `emissions_daily` joined with `vessel_daily`). */
export interface CiiVesselDay extends CiiDay {
    mmsi: number;
    imo: number | null;
    ciiShipType: CiiShipType | null;
    dwt: number | null;
    gt: number | null;
    /** `file` or `estimated` (the particulars of the emission model). */
    particulars: string | null;
}

/** The fleet's vessel-days of a year up to a day (inclusive), from the gold Parquet files. */
export interface CiiFleetSource {
    readYear(year: number, toDay: string): Promise<CiiVesselDay[]>;
}

export const CII_YEARLY_TABLE = 'cii_yearly';

const num = (v: unknown): number | null =>
    typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null;

/** Fuel per type from the JSON column (an object in Cosmos, a string or an object from Parquet). */
export function fuelByType(value: unknown): FuelTonnes {
    let v = value;
    if (typeof v === 'string') {
        try {
            v = JSON.parse(v) as unknown;
        } catch {
            return {};
        }
    }
    const out: FuelTonnes = {};
    if (v === null || typeof v !== 'object') return out;
    for (const f of FUELS) {
        const t = num((v as Record<string, unknown>)[f]);
        if (t !== null && t > 0) out[f] = t;
    }
    return out;
}

/** Joins `emissions_daily` and `vessel_daily` rows (any source) into vessel-days; a day missing one side counts zero there. */
export function joinCiiDays(
    emissions: readonly Record<string, unknown>[],
    daily: readonly Record<string, unknown>[],
): CiiVesselDay[] {
    const byKey = new Map<string, CiiVesselDay>();
    const dayOf = (r: Record<string, unknown>): string | null =>
        typeof r.date === 'string' ? r.date : typeof r.day === 'string' ? r.day : null;
    const get = (mmsi: number, date: string): CiiVesselDay => {
        const key = `${mmsi}|${date}`;
        let d = byKey.get(key);
        if (d === undefined) {
            d = {
                mmsi,
                date,
                imo: null,
                fuelTonnes: {},
                distanceNm: 0,
                ciiShipType: null,
                dwt: null,
                gt: null,
                particulars: null,
            };
            byKey.set(key, d);
        }
        return d;
    };
    for (const r of emissions) {
        const mmsi = num(r.mmsi);
        const date = dayOf(r);
        if (mmsi === null || date === null) continue;
        const d = get(mmsi, date);
        d.fuelTonnes = fuelByType(r.fuel_by_type_t);
        d.imo = num(r.imo) ?? d.imo;
        d.ciiShipType = isCiiShipType(r.cii_ship_type) ? r.cii_ship_type : null;
        d.dwt = num(r.dwt);
        d.gt = num(r.gt);
        d.particulars = typeof r.particulars === 'string' ? r.particulars : null;
    }
    for (const r of daily) {
        const mmsi = num(r.mmsi);
        const date = dayOf(r);
        if (mmsi === null || date === null) continue;
        const d = get(mmsi, date);
        d.distanceNm = num(r.distance_nm) ?? 0;
        d.imo ??= num(r.imo);
    }
    return [...byKey.values()].sort((a, b) => a.mmsi - b.mmsi || (a.date < b.date ? -1 : 1));
}

/** A rating as served: the result without the bulky parts, rounded for reading (the inputs are exact). */
export interface ServedCii {
    attained: number;
    required: number;
    ratio: number;
    rating: CiiResult['rating'];
    boundaries: CiiResult['boundaries'];
    co2Tonnes: number;
    capacity: number;
    referenceCapacity: number;
    transportWork: number;
    referenceCii: number;
    reductionFactor: number;
    band: string;
}

/** What `/api/vessels/{mmsi}/cii` returns and the timer stores per vessel and year (gold `cii_yearly`). */
export interface VesselCii {
    mmsi: number;
    imo: number | null;
    year: number;
    asOf: string;
    complete: boolean;
    /** False when the ship type is not one CII rates, or no distance was sailed yet. */
    applicable: boolean;
    reason?: string;
    ship: {
        ciiShipType: CiiShipType | null;
        capacityUnit: 'DWT' | 'GT' | null;
        dwt: number | null;
        gt: number | null;
        /** `file` (particulars file row) or `estimated` (from AIS type and dimensions). */
        capacitySource: string | null;
    };
    /** Exactly what was summed: paste into `npx maritime cii` to check. */
    inputs: {
        yearToDate: CiiYearReport['yearToDate']['inputs'];
        recent: CiiYearReport['yearToDate']['inputs'] | null;
        projected: { fuelTonnes: FuelTonnes; distanceNm: number; rate: 'recent' | 'year-to-date' } | null;
        /** The line for `npx maritime cii` that reproduces the year-to-date rating. */
        calculatorLine: Record<string, unknown> | null;
    };
    yearToDate: ServedCii | null;
    projected: ServedCii | null;
    history: CiiYearReport['history'];
}

function served(r: CiiResult | null): ServedCii | null {
    if (r === null) return null;
    const { capacityUnit: _u, ...rest } = r;
    return rest;
}

/** The CII report of one vessel's days (any year's subset; days of other vessels must not be passed). */
export function vesselCii(
    mmsi: number,
    days: readonly CiiVesselDay[],
    year: number,
    asOf: number,
): VesselCii {
    const latest = [...days].reverse().find((d) => d.ciiShipType !== null) ?? days[days.length - 1];
    const imo = [...days].reverse().find((d) => d.imo !== null)?.imo ?? null;
    const type = latest?.ciiShipType ?? null;
    const ship: VesselCii['ship'] = {
        ciiShipType: type,
        capacityUnit: type === null ? null : CAPACITY_UNIT[type],
        dwt: latest?.dwt ?? null,
        gt: latest?.gt ?? null,
        capacitySource: latest?.particulars ?? null,
    };
    const base = { mmsi, imo, year, ship };
    if (type === null) {
        return {
            ...base,
            asOf: new Date(Math.min(asOf, Date.UTC(year + 1, 0, 1))).toISOString(),
            complete: asOf >= Date.UTC(year + 1, 0, 1),
            applicable: false,
            reason: 'CII does not rate this ship type (G1: bulk, gas, tanker, container, general cargo, reefer, combination, LNG, ro-ro, ro-pax, cruise)',
            inputs: {
                yearToDate: {
                    from: `${year}-01-01`,
                    to: `${year}-01-01`,
                    days: 0,
                    daysWithData: days.length,
                    fuelTonnes: {},
                    distanceNm: 0,
                },
                recent: null,
                projected: null,
                calculatorLine: null,
            },
            yearToDate: null,
            projected: null,
            history: [],
        };
    }
    const cii: CiiShip = {
        shipType: type,
        ...(ship.dwt !== null && { dwt: ship.dwt }),
        ...(ship.gt !== null && { gt: ship.gt }),
    };
    const report = ciiYear(cii, days, { year, asOf });
    const ytd = report.yearToDate;
    const applicable = ytd.result !== null;
    return {
        ...base,
        asOf: new Date(report.asOf).toISOString(),
        complete: report.complete,
        applicable,
        ...(!applicable && { reason: 'no distance sailed in the year so far: CII cannot be rated yet' }),
        inputs: {
            yearToDate: ytd.inputs,
            recent: report.recent?.inputs ?? null,
            projected:
                report.projected === null
                    ? null
                    : {
                          fuelTonnes: report.projected.fuelTonnes,
                          distanceNm: report.projected.distanceNm,
                          rate: report.projected.rate,
                      },
            calculatorLine: applicable
                ? {
                      shipType: type,
                      ...(CAPACITY_UNIT[type] === 'DWT' ? { dwt: ship.dwt } : { gt: ship.gt }),
                      fuelTonnes: ytd.inputs.fuelTonnes,
                      distanceNm: ytd.inputs.distanceNm,
                      year,
                  }
                : null,
        },
        yearToDate: served(ytd.result),
        projected: served(report.projected?.result ?? null),
        history: report.history,
    };
}

export function parseYear(value: string | null | undefined, now: number): number {
    if (value === null || value === undefined || value === '') return new Date(now).getUTCFullYear();
    if (!/^\d{4}$/.test(value))
        throw new ValidationError(`'year' must be a year such as 2026; got '${value}'.`);
    const year = Number(value);
    if (year < 2019 || year > 2030)
        throw new ValidationError(
            `'year' must be in 2019..2030 (the years the CII reduction factors cover); got ${year}.`,
        );
    return year;
}

async function allRows(
    store: GoldStore,
    query: Omit<Parameters<GoldStore['query']>[0], 'limit' | 'continuation'>,
): Promise<GoldDocument[]> {
    const out: GoldDocument[] = [];
    let continuation: string | undefined;
    do {
        const page = await store.query({
            ...query,
            limit: 1000,
            ...(continuation !== undefined && { continuation }),
        });
        out.push(...page.items);
        continuation = page.continuation;
    } while (continuation !== undefined);
    return out;
}

/** One vessel's days of a year from the Cosmos gold rows. */
export async function vesselDaysFromGold(
    store: GoldStore,
    mmsi: number,
    year: number,
    toDay: string,
): Promise<CiiVesselDay[]> {
    const range = { mmsi, fromDay: `${year}-01-01`, toDay };
    const [emissions, daily] = await Promise.all([
        allRows(store, { table: 'emissions_daily', ...range }),
        allRows(store, { table: 'vessel_daily', ...range }),
    ]);
    return joinCiiDays(emissions, daily);
}

/** GET /api/vessels/{mmsi}/cii?year: computed now from the vessel's gold rows. */
export async function queryVesselCii(
    mmsiParam: string | undefined,
    params: Params,
    store: GoldStore,
    now: number,
): Promise<VesselCii> {
    const mmsi = parseMmsi(mmsiParam);
    const year = parseYear(params('year'), now);
    const yearStart = Date.UTC(year, 0, 1);
    if (yearStart > now) throw new ValidationError(`'year' ${year} has not started yet.`);
    const asOf = Math.min(now, Date.UTC(year + 1, 0, 1));
    const days = await vesselDaysFromGold(store, mmsi, year, new Date(asOf - 1).toISOString().slice(0, 10));
    if (days.length === 0) {
        // Not an error: gold has no day of this vessel in the year yet (the same answer as the gold rows' empty pages).
        return {
            ...vesselCii(mmsi, [], year, asOf),
            applicable: false,
            reason: `no gold emissions or distance for vessel ${mmsi} in ${year} yet`,
        };
    }
    return vesselCii(mmsi, days, year, asOf);
}

export interface FleetCiiPage {
    year: number;
    /** When the compliance timer last rated the fleet for the year. */
    asOf: string;
    /** Vessels per year-to-date rating, `projected` per projected rating, `notRated` (type not rated or no distance). */
    distribution: { yearToDate: Record<string, number>; projected: Record<string, number>; notRated: number };
    items: VesselCii[];
    continuation?: string;
}

/** The fleet summary document of a year (mmsi 0) as the timer stores it. */
export const FLEET_CII_ID = (year: number): string => `cii_yearly-fleet-${year}`;

/** GET /api/fleet/cii?year&limit&continuation: the vessels as rated by the last timer run, with the distribution. */
export async function queryFleetCii(params: Params, store: GoldStore, now: number): Promise<FleetCiiPage> {
    const year = parseYear(params('year'), now);
    const limit = parseLimit(params('limit'));
    const day = `${year}-01-01`;
    const continuation = params('continuation');
    const [fleet, page] = await Promise.all([
        store.query({ table: CII_YEARLY_TABLE, mmsi: 0, fromDay: day, toDay: day, limit: 1 }),
        store.query({
            table: CII_YEARLY_TABLE,
            fromDay: day,
            toDay: day,
            where: { kind: 'vessel' },
            limit,
            ...(continuation !== null &&
                continuation !== undefined &&
                continuation !== '' && { continuation }),
        }),
    ]);
    const summary = fleet.items[0];
    if (summary === undefined)
        throw new NotFoundError(
            `The fleet has not been rated for ${year} yet (checkCompliance rates it once gold has days of the year).`,
        );
    return {
        year,
        asOf: summary.as_of as string,
        distribution: summary.distribution as FleetCiiPage['distribution'],
        items: page.items.map((d) => d.report as VesselCii),
        ...(page.continuation !== undefined && { continuation: page.continuation }),
    };
}

/** The fleet's distribution of ratings. */
export function ciiDistribution(reports: readonly VesselCii[]): FleetCiiPage['distribution'] {
    const yearToDate: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
    const projected: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
    let notRated = 0;
    for (const r of reports) {
        if (r.yearToDate === null) {
            notRated++;
            continue;
        }
        yearToDate[r.yearToDate.rating] = (yearToDate[r.yearToDate.rating] ?? 0) + 1;
        if (r.projected !== null) projected[r.projected.rating] = (projected[r.projected.rating] ?? 0) + 1;
    }
    return { yearToDate, projected, notRated };
}
