/**
 * Features per vessel, equipment and UTC day, from hourly sensor statistics (the shape of gold `sensor_hourly`)
 * and the maintenance log. Pure and causal: the row of day d uses only hours and events before the end of d,
 * so the same code computes training rows from history and serving rows in the timer.
 *
 * Method (per equipment, see README "Predictive maintenance"):
 * 1. Anchor = the last repair or service of the equipment before the end of the day (else the start of its
 *    history). The equipment's own baseline is its first `baselineDays` after the anchor: every repair or
 *    service starts a new baseline, because it resets the condition.
 * 2. Load per hour = hourly mean shaft power / the 95th percentile of shaft power in the baseline window. Only
 *    running hours (load >= `runningLoad`) carry condition information: an idle engine says nothing about
 *    its turbocharger.
 * 3. Over the baseline's running hours, the indicator's hourly mean is fitted as a + b * load (least squares),
 *    so "exhaust temperature rising at constant load" is separated from "the ship sailed faster". The
 *    residual of every later running hour, in units of the baseline residual standard deviation, is the
 *    condition signal r(h).
 * 4. Features: level = mean r over the last 24 / 72 running hours; slopes = least-squares slope of r against
 *    time (per day) over the last 1, 3, 7 calendar days; variance growth = ln(mean within-hour variance over
 *    the last 1 / 7 days / the baseline's); anomaly counts = running hours with |r| > 3 over the last 1 and 7
 *    days; days since the anchor; the day's mean load and running share; and the equipment kind (one-hot).
 * Every feature is computed from the hourly count, mean and standard deviation only, which the offline
 * simulator (`hourly.ts`) and gold `sensor_hourly` define the same way, so training and serving see the same
 * measure. (The anomaly counts used to be the `anomalies` column, which is not the same measure in the two: the
 * simulator counted the ingest's running-statistics flags, gold counts readings more than 3 standard deviations
 * from their own hour's mean, never reached with 6 readings an hour.)
 * A day gets no row while the equipment is down (its last event is a failure, not yet repaired) or while the
 * baseline has fewer than `minBaselineHours` running hours (the first days after a repair).
 */
import { quantitySpec } from '../sensors/units.js';
import type { EquipmentKind, EquipmentSpec } from './equipment.js';
import type { MaintenanceEvent } from './events.js';
import { DAY_MS, HOUR_MS, type HourlySensorStat, quantileSorted } from './hourly.js';

export const FEATURE_NAMES = [
    'level_1d',
    'level_3d',
    'slope_1d',
    'slope_3d',
    'slope_7d',
    'var_ratio_1d',
    'var_ratio_7d',
    'anomaly_hours_1d',
    'anomaly_hours_7d',
    'days_since_maintenance',
    'load_1d',
    'running_share_1d',
    'kind_bearing',
    'kind_turbocharger',
    'kind_fuel_filter',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** A running hour whose residual is beyond this many baseline sigmas (either way) counts as an anomaly hour. */
export const ANOMALY_SIGMAS = 3;

export interface FeatureOptions {
    /** Length of the baseline after each repair or service, days (default 14). */
    baselineDays?: number;
    /** Running hours the baseline needs before days are scored (default 24). */
    minBaselineHours?: number;
    /** Load (fraction of the baseline's p95 shaft power) from which an hour counts as running (default 0.3). */
    runningLoad?: number;
    /** Cap of days_since_maintenance (default 365). */
    maxDaysSince?: number;
}

export interface EquipmentHistory {
    mmsi: number;
    equipment: EquipmentSpec;
    /** Hourly statistics of the equipment's indicator sensor, ordered by hour. */
    indicator: readonly HourlySensorStat[];
    /** Hourly statistics of the vessel's shaft power, ordered by hour. */
    load: readonly HourlySensorStat[];
    /** The maintenance log of this equipment (any order). */
    events: readonly MaintenanceEvent[];
    /** Start of the known history, epoch ms (default: the first indicator hour). */
    historyStart?: number;
}

export interface FeatureRow {
    mmsi: number;
    equipmentId: string;
    kind: EquipmentKind;
    /** Start of the UTC day, epoch ms. */
    day: number;
    /** Aligned with FEATURE_NAMES. */
    values: number[];
    /** Running hours in the baseline, and in the day. */
    baselineHours: number;
    runningHours: number;
}

interface Baseline {
    a: number;
    b: number;
    sigma: number;
    withinVar: number;
    refPower: number;
    hours: number;
}

/** The features of each requested day (start of UTC day, epoch ms) that can be scored, in input order. */
export function equipmentDayFeatures(
    h: EquipmentHistory,
    days: readonly number[],
    opts: FeatureOptions = {},
): FeatureRow[] {
    const baselineMs = (opts.baselineDays ?? 14) * DAY_MS;
    const minHours = opts.minBaselineHours ?? 24;
    const runningLoad = opts.runningLoad ?? 0.3;
    const maxDays = opts.maxDaysSince ?? 365;
    const spec = quantitySpec(h.equipment.quantity);
    const resolution = spec?.resolution ?? 1e-6;
    const ind = h.indicator;
    const power = new Map<number, number>();
    for (const p of h.load) power.set(p.hour, p.mean);
    const events = [...h.events].sort((a, b) => a.time - b.time);
    const start = h.historyStart ?? ind[0]?.hour ?? 0;
    const baselines = new Map<string, Baseline | undefined>();
    const kind = h.equipment.kind;
    const rows: FeatureRow[] = [];

    for (const day of days) {
        const end = day + DAY_MS;
        let last: MaintenanceEvent | undefined;
        let anchor = start;
        for (const e of events) {
            if (e.time >= end) break;
            last = e;
            if (e.kind !== 'failure') anchor = Math.max(anchor, e.time);
        }
        if (last?.kind === 'failure') continue; // down until repaired
        const baseEnd = Math.min(end, anchor + baselineMs);
        const key = `${anchor}|${baseEnd}`;
        let base = baselines.get(key);
        if (!baselines.has(key)) {
            base = fitBaseline(ind, power, anchor, baseEnd, runningLoad, resolution);
            baselines.set(key, base);
        }
        if (base === undefined || base.hours < minHours) continue;

        const from7 = Math.max(anchor, end - 7 * DAY_MS);
        const i7 = lowerBound(ind, from7);
        const iEnd = lowerBound(ind, end);
        // running residuals of the last 7 days (time in days relative to the end), newest last
        const t: number[] = [];
        const r: number[] = [];
        let anomalies1 = 0;
        let anomalies7 = 0;
        let var1 = 0;
        let n1 = 0;
        let var7 = 0;
        let n7 = 0;
        for (let i = i7; i < iEnd; i++) {
            const s = ind[i]!;
            const inDay = s.hour >= end - DAY_MS;
            const p = power.get(s.hour);
            if (p === undefined || s.count === 0) continue;
            const load = p / base.refPower;
            if (load < runningLoad) continue;
            const residual = (s.mean - base.a - base.b * load) / base.sigma;
            t.push((s.hour - end) / DAY_MS);
            r.push(residual);
            if (Math.abs(residual) > ANOMALY_SIGMAS) {
                anomalies7++;
                if (inDay) anomalies1++;
            }
            var7 += s.stddev * s.stddev;
            n7++;
            if (inDay) {
                var1 += s.stddev * s.stddev;
                n1++;
            }
        }
        let loadSum = 0;
        let loadHours = 0;
        for (let hour = end - DAY_MS; hour < end; hour += HOUR_MS) {
            const p = power.get(hour);
            if (p === undefined) continue;
            loadSum += p / base.refPower;
            loadHours++;
        }
        const values = [
            tailMean(r, 24),
            tailMean(r, 72),
            windowSlope(t, r, -1),
            windowSlope(t, r, -3),
            windowSlope(t, r, -7),
            n1 > 0 ? Math.log(Math.max(var1 / n1, resolution * resolution) / base.withinVar) : 0,
            n7 > 0 ? Math.log(Math.max(var7 / n7, resolution * resolution) / base.withinVar) : 0,
            anomalies1,
            anomalies7,
            Math.min(maxDays, (end - anchor) / DAY_MS),
            loadHours > 0 ? loadSum / loadHours : 0,
            n1 / 24,
            kind === 'bearing' ? 1 : 0,
            kind === 'turbocharger' ? 1 : 0,
            kind === 'fuel-filter' ? 1 : 0,
        ];
        rows.push({
            mmsi: h.mmsi,
            equipmentId: h.equipment.equipmentId,
            kind,
            day,
            values,
            baselineHours: base.hours,
            runningHours: n1,
        });
    }
    return rows;
}

/** Least-squares a + b * load over the running hours of [from, to), with the residual and within-hour spread. */
function fitBaseline(
    ind: readonly HourlySensorStat[],
    power: ReadonlyMap<number, number>,
    from: number,
    to: number,
    runningLoad: number,
    resolution: number,
): Baseline | undefined {
    const i0 = lowerBound(ind, from);
    const i1 = lowerBound(ind, to);
    const powers: number[] = [];
    for (let i = i0; i < i1; i++) {
        const p = power.get(ind[i]!.hour);
        if (p !== undefined && p > 0) powers.push(p);
    }
    if (powers.length === 0) return undefined;
    powers.sort((a, b) => a - b);
    const refPower = quantileSorted(powers, 0.95);
    if (!(refPower > 0)) return undefined;
    const xs: number[] = [];
    const ys: number[] = [];
    let within = 0;
    for (let i = i0; i < i1; i++) {
        const s = ind[i]!;
        const p = power.get(s.hour);
        if (p === undefined || s.count === 0) continue;
        const load = p / refPower;
        if (load < runningLoad) continue;
        xs.push(load);
        ys.push(s.mean);
        within += s.stddev * s.stddev;
    }
    const n = xs.length;
    if (n === 0) return { a: 0, b: 0, sigma: 1, withinVar: 1, refPower, hours: 0 };
    const { a, b } = leastSquares(xs, ys);
    let ss = 0;
    for (let i = 0; i < n; i++) {
        const e = ys[i]! - a - b * xs[i]!;
        ss += e * e;
    }
    return {
        a,
        b,
        sigma: Math.max(Math.sqrt(ss / n), resolution),
        withinVar: Math.max(within / n, resolution * resolution),
        refPower,
        hours: n,
    };
}

/** y = a + b x by least squares; b = 0 when x has (almost) no spread. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
    const n = xs.length;
    if (n === 0) return { a: 0, b: 0 };
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
        mx += xs[i]!;
        my += ys[i]!;
    }
    mx /= n;
    my /= n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
        const dx = xs[i]! - mx;
        sxx += dx * dx;
        sxy += dx * (ys[i]! - my);
    }
    if (sxx < 1e-9 * n) return { a: my, b: 0 };
    const b = sxy / sxx;
    return { a: my - b * mx, b };
}

/** Slope of r against t over the points with t >= fromDays (relative to the day's end); 0 with fewer than 6. */
function windowSlope(t: readonly number[], r: readonly number[], fromDays: number): number {
    let k = t.length;
    while (k > 0 && t[k - 1]! >= fromDays) k--;
    if (t.length - k < 6) return 0;
    return leastSquares(t.slice(k), r.slice(k)).b;
}

function tailMean(r: readonly number[], n: number): number {
    const k = Math.max(0, r.length - n);
    if (r.length === k) return 0;
    let s = 0;
    for (let i = k; i < r.length; i++) s += r[i]!;
    return s / (r.length - k);
}

/** First index whose hour is >= t. */
function lowerBound(rows: readonly HourlySensorStat[], t: number): number {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid]!.hour < t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/**
 * Label of a day for training and evaluation: 1 when the equipment fails within `horizonDays` after the end of
 * the day, else 0.
 */
export function failureWithin(events: readonly MaintenanceEvent[], day: number, horizonDays: number): 0 | 1 {
    const end = day + DAY_MS;
    const until = end + horizonDays * DAY_MS;
    for (const e of events) if (e.kind === 'failure' && e.time >= end && e.time < until) return 1;
    return 0;
}

/**
 * The threshold-only baseline's score of a day: the highest hourly mean of the indicator that day divided by
 * the equipment's fixed alarm setpoint (>= 1 = alarm at the setpoint); 0 when the day has no readings.
 */
export function setpointScore(h: EquipmentHistory, day: number): number {
    const end = day + DAY_MS;
    let max = -Infinity;
    for (let i = lowerBound(h.indicator, day); i < h.indicator.length; i++) {
        const s = h.indicator[i]!;
        if (s.hour >= end) break;
        if (s.mean > max) max = s.mean;
    }
    return max === -Infinity ? 0 : max / h.equipment.alarmSetpoint;
}
