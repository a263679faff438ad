/**
 * One `emissions_daily` row (gold table 4 of issue 11) from a vessel's ordered fixes of one UTC day, bottom-up per
 * fix interval with the same per-leg model as `legEmissions` (`computeLeg`), or from sensor fuel-flow readings when
 * they cover the day.
 *
 * Intervals: each pair of consecutive fixes is one interval, clipped to the day [00:00, 24:00) UTC (pass the last
 * fix before the day and the first fix after it to cover the whole day; without them the hours before the first
 * and after the last fix of the day are not modelled). The interval takes the mean of the two speeds over ground,
 * the first fix's draught, navigational status and ECA membership. An interval longer than
 * `impliedSpeedAfterHours` (default 1 h, a coverage gap) whose ends have positions takes the great-circle
 * distance over the time instead of the reported speeds. An interval with one speed missing takes the other
 * (or the implied speed when both ends have positions); with none it is skipped. Fixes out of order are sorted;
 * fixes at the same time start no interval.
 *
 * Sensor fuel: readings of fuel mass flow (kg/h) per sensor, integrated between consecutive readings no more than
 * `maxReadingGapMinutes` apart (default 30). When every sensor covers at least `sensorCoverage` (default 0.9) of
 * the day's window, the summed flow is the day's fuel (`source: 'sensor'`): it is split over engines and fuel
 * types in the model's proportions, and each pollutant is scaled by sensor fuel / model fuel. Otherwise the model
 * wins (`source: 'model'`).
 */
import type { CiiShipType } from '../cii/cii.js';
import { type Fuel, FUELS } from '../fuel/fuels.js';
import { haversineNm } from '../geo/geo.js';
import {
    computeLeg,
    type Emissions,
    type Leg,
    legEmissions,
    LegScratch,
    operatingMode,
    POLLUTANTS,
    prepareVessel,
} from './model.js';
import type { ResolvedParticulars } from './particulars.js';
import type { GhgShipType, Mode } from './tables.js';

/** One AIS fix as the emission model needs it. */
export interface EmissionsFix {
    /** Event time, epoch ms. */
    t: number;
    /** Speed over ground, knots (null when not available). */
    sogKn: number | null;
    lat?: number | null;
    lon?: number | null;
    /** Reported draught, m. */
    draughtM?: number | null;
    /** AIS navigational status 0..15. */
    navStatus?: number | null;
    /** Inside a SOx ECA at this fix (ZoneIndex with pollutant 'sox', at the fix time). */
    inSeca: boolean;
    /** Inside a NOx ECA at this fix (ZoneIndex with pollutant 'nox'). */
    inNeca?: boolean;
    /** Tier III year of that NOx ECA (2016 North American / US Caribbean, 2021 Baltic and North Sea). */
    necaTierIIIFromYear?: number;
}

/** A fuel mass-flow reading (sensor quantity `fuel_mass_flow`, kg/h). */
export interface FuelFlowReading {
    t: number;
    kgPerHour: number;
    /** Readings of different meters (e.g. main and auxiliary) are integrated separately and summed. */
    sensorId?: string;
}

export interface EmissionsDayOptions {
    /** Model only up to this time (epoch ms), for today's partial row; default: the end of the day. */
    asOf?: number;
    impliedSpeedAfterHours?: number;
    maxReadingGapMinutes?: number;
    sensorCoverage?: number;
}

export interface EmissionsDayInput {
    mmsi: number;
    imo?: number | null;
    /** UTC day, YYYY-MM-DD. */
    date: string;
    /** The vessel's fixes ordered by time (may include the last fix before and the first after the day). */
    fixes: readonly EmissionsFix[];
    particulars: ResolvedParticulars;
    fuelFlow?: readonly FuelFlowReading[];
    options?: EmissionsDayOptions;
}

/** One row of gold `emissions_daily`. Fuel and emissions in tonnes. */
export interface EmissionsDailyRow {
    mmsi: number;
    imo: number | null;
    date: string;
    source: 'sensor' | 'model';
    particulars: 'file' | 'estimated';
    shipType: GhgShipType;
    /** CII ship type and capacities of the particulars the day was modelled with (what the yearly CII rates by). */
    ciiShipType: CiiShipType | null;
    dwt: number;
    gt: number;
    /** Hours of the day covered by modelled intervals. */
    hoursModelled: number;
    hoursInSeca: number;
    hoursByMode: Record<Mode, number>;
    intervals: number;
    fuelMainT: number;
    fuelAuxiliaryT: number;
    fuelBoilerT: number;
    fuelTotalT: number;
    /** Fuel burned inside SOx ECAs. */
    fuelInSecaT: number;
    /** Fuel per type (every fuel name present, zero when unused), for CII (Cf per fuel). */
    fuelByType: Record<Fuel, number>;
    co2T: number;
    soxT: number;
    noxT: number;
    pmT: number;
    ch4T: number;
    n2oT: number;
    /** The model's total fuel, also when the sensor figure won. */
    modelFuelTotalT: number;
    /** Share of the day's window the fuel-flow readings cover (the lowest over meters); null without readings. */
    sensorCoverage: number | null;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function dayBounds(date: string): { start: number; end: number } {
    const start = Date.parse(`${date}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(start))
        throw new RangeError(`invalid date ${date}`);
    return { start, end: start + DAY_MS };
}

/**
 * Calls `visit` for each fix interval of the day (see the module comment) with its clipped span, the speed it
 * takes and the fix that opens it. Allocates nothing per interval: `emissionsDaily` runs it over every fix.
 */
export function forEachInterval(
    fixes: readonly EmissionsFix[],
    date: string,
    options: EmissionsDayOptions,
    visit: (from: number, to: number, speedKn: number, first: EmissionsFix) => void,
): void {
    const { start, end: dayEnd } = dayBounds(date);
    const end = Math.min(dayEnd, options.asOf ?? dayEnd);
    const impliedAfter = (options.impliedSpeedAfterHours ?? 1) * HOUR_MS;
    // Ordered input is expected; a late fix delivered out of order is put in place (a copy is sorted).
    let ordered = true;
    for (let i = 1; i < fixes.length && ordered; i++) ordered = fixes[i]!.t >= fixes[i - 1]!.t;
    const list = ordered ? fixes : [...fixes].sort((x, y) => x.t - y.t);
    for (let i = 0; i + 1 < list.length; i++) {
        const a = list[i]!;
        const b = list[i + 1]!;
        if (!(b.t > a.t)) continue;
        const from = a.t > start ? a.t : start;
        const to = b.t < end ? b.t : end;
        if (!(to > from)) continue;
        const span = b.t - a.t;
        const haveGeo = a.lat != null && a.lon != null && b.lat != null && b.lon != null;
        let speed: number | undefined;
        if (haveGeo && (span > impliedAfter || a.sogKn == null || b.sogKn == null)) {
            speed = haversineNm(a.lat!, a.lon!, b.lat!, b.lon!) / (span / HOUR_MS);
        } else if (a.sogKn != null && b.sogKn != null) speed = (a.sogKn + b.sogKn) / 2;
        else speed = a.sogKn ?? b.sogKn ?? undefined;
        if (speed === undefined || !Number.isFinite(speed) || speed < 0) continue;
        visit(from, to, speed, a);
    }
}

/** The legs (intervals) of a day with their time span, before any emission is computed. */
export function dayLegs(
    fixes: readonly EmissionsFix[],
    date: string,
    options: EmissionsDayOptions = {},
): { leg: Leg; from: number; to: number }[] {
    const out: { leg: Leg; from: number; to: number }[] = [];
    forEachInterval(fixes, date, options, (from, to, speedKn, a) => {
        const leg: Leg = { hours: (to - from) / HOUR_MS, speedKn, inSeca: a.inSeca };
        if (a.draughtM != null) leg.draughtM = a.draughtM;
        if (a.navStatus != null) leg.navStatus = a.navStatus;
        if (a.inNeca === true) leg.inNeca = true;
        if (a.necaTierIIIFromYear !== undefined) leg.necaTierIIIFromYear = a.necaTierIIIFromYear;
        out.push({ leg, from, to });
    });
    return out;
}

/** Integrated fuel (t) and covered hours of each meter's readings inside [from, to). */
function integrateFlow(
    readings: readonly FuelFlowReading[],
    from: number,
    to: number,
    maxGapMs: number,
): { tonnes: number; coveredHours: number }[] {
    const bySensor = new Map<string, FuelFlowReading[]>();
    for (const r of readings) {
        if (!Number.isFinite(r.t) || !Number.isFinite(r.kgPerHour) || r.kgPerHour < 0) continue;
        const k = r.sensorId ?? '';
        let list = bySensor.get(k);
        if (list === undefined) bySensor.set(k, (list = []));
        list.push(r);
    }
    const out: { tonnes: number; coveredHours: number }[] = [];
    for (const list of bySensor.values()) {
        list.sort((x, y) => x.t - y.t);
        let kg = 0;
        let covered = 0;
        for (let i = 0; i + 1 < list.length; i++) {
            const a = list[i]!;
            const b = list[i + 1]!;
            if (b.t - a.t > maxGapMs) continue;
            const s = Math.max(a.t, from);
            const e = Math.min(b.t, to);
            if (!(e > s)) continue;
            // trapezoid over the whole gap, pro rata for the clipped part
            kg += ((a.kgPerHour + b.kgPerHour) / 2) * ((e - s) / HOUR_MS);
            covered += (e - s) / HOUR_MS;
        }
        out.push({ tonnes: kg / 1000, coveredHours: covered });
    }
    return out;
}

const emptyFuel = (): Record<Fuel, number> =>
    Object.fromEntries(FUELS.map((f) => [f, 0])) as Record<Fuel, number>;

/** The `emissions_daily` row of one vessel and day. Pure: same input, same row. */
export function emissionsDaily(input: EmissionsDayInput): EmissionsDailyRow {
    const opts = input.options ?? {};
    const { start, end: dayEnd } = dayBounds(input.date);
    const end = Math.min(dayEnd, opts.asOf ?? dayEnd);
    const p = input.particulars;

    const prepared = prepareVessel(p);
    const scratch = new LegScratch();
    const hoursByMode: Record<Mode, number> = { berth: 0, anchor: 0, manoeuvring: 0, sea: 0 };
    const fuelByType = emptyFuel();
    const e = new Float64Array(6);
    let intervals = 0;
    let hours = 0;
    let hoursInSeca = 0;
    let fuelMain = 0;
    let fuelAux = 0;
    let fuelBoiler = 0;
    let fuelInSeca = 0;
    forEachInterval(input.fixes, input.date, opts, (from, to, speedKn, a) => {
        const h = (to - from) / HOUR_MS;
        const mode = operatingMode(speedKn, a.navStatus);
        const inSeca = a.inSeca === true;
        computeLeg(
            prepared,
            h,
            speedKn,
            a.draughtM,
            mode,
            inSeca,
            a.inNeca === true,
            a.necaTierIIIFromYear,
            scratch,
        );
        const st = prepared.states[inSeca ? 1 : 0];
        intervals++;
        hours += h;
        hoursByMode[mode] += h;
        const main = scratch.fuelMainPrimary + scratch.pilot;
        if (inSeca) {
            hoursInSeca += h;
            fuelInSeca += main + scratch.fuelAux + scratch.fuelBoiler;
        }
        fuelMain += main;
        fuelAux += scratch.fuelAux;
        fuelBoiler += scratch.fuelBoiler;
        fuelByType[st.mainFuel] += scratch.fuelMainPrimary;
        fuelByType.MDO += scratch.pilot;
        fuelByType[st.auxFuel] += scratch.fuelAux + scratch.fuelBoiler;
        const x = scratch.e;
        for (let k = 0; k < 6; k++) e[k] = e[k]! + x[k]! + x[6 + k]! + x[12 + k]!;
    });
    const totals: Emissions = { co2: e[0]!, sox: e[1]!, nox: e[2]!, pm: e[3]!, ch4: e[4]!, n2o: e[5]! };
    const modelFuel = fuelMain + fuelAux + fuelBoiler;

    let source: 'sensor' | 'model' = 'model';
    let coverage: number | null = null;
    let scale = 1;
    if (input.fuelFlow !== undefined && input.fuelFlow.length > 0 && end > start) {
        const meters = integrateFlow(input.fuelFlow, start, end, (opts.maxReadingGapMinutes ?? 30) * 60_000);
        const windowHours = (end - start) / HOUR_MS;
        coverage = meters.length === 0 ? 0 : Math.min(...meters.map((m) => m.coveredHours / windowHours));
        const sensorFuel = meters.reduce((s, m) => s + m.tonnes, 0);
        if (coverage >= (opts.sensorCoverage ?? 0.9)) {
            source = 'sensor';
            if (modelFuel > 0) scale = sensorFuel / modelFuel;
            else {
                // No modelled interval to split by: all on the main engine, emissions from a nominal hour at sea.
                const nominal = legEmissions(p, { hours: 1, speedKn: 0.8 * p.designSpeedKn, mode: 'sea' });
                const nFuel =
                    nominal.fuelTonnes.main + nominal.fuelTonnes.auxiliary + nominal.fuelTonnes.boiler;
                fuelMain = sensorFuel;
                fuelByType[nominal.fuelType.main] = sensorFuel;
                for (const k of POLLUTANTS)
                    totals[k] = nFuel > 0 ? (nominal.emissions[k] * sensorFuel) / nFuel : 0;
            }
        }
    }
    if (scale !== 1) {
        fuelMain *= scale;
        fuelAux *= scale;
        fuelBoiler *= scale;
        fuelInSeca *= scale;
        for (const f of FUELS) fuelByType[f] *= scale;
        for (const k of POLLUTANTS) totals[k] *= scale;
    }

    return {
        mmsi: input.mmsi,
        imo: input.imo != null && input.imo > 0 ? input.imo : null,
        date: input.date,
        source,
        particulars: p.source,
        shipType: p.shipType,
        ciiShipType: p.ciiShipType ?? null,
        dwt: p.dwt,
        gt: p.gt,
        hoursModelled: hours,
        hoursInSeca,
        hoursByMode,
        intervals,
        fuelMainT: fuelMain,
        fuelAuxiliaryT: fuelAux,
        fuelBoilerT: fuelBoiler,
        fuelTotalT: fuelMain + fuelAux + fuelBoiler,
        fuelInSecaT: fuelInSeca,
        fuelByType,
        co2T: totals.co2,
        soxT: totals.sox,
        noxT: totals.nox,
        pmT: totals.pm,
        ch4T: totals.ch4,
        n2oT: totals.n2o,
        modelFuelTotalT: modelFuel,
        sensorCoverage: coverage,
    };
}
