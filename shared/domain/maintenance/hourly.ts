/**
 * Hourly statistics of one sensor series: the row shape of gold `sensor_hourly` (per vessel, sensor, quantity and
 * hour: count, mean, min, max, stddev, p95, anomaly count), which the `scoreMaintenance` timer reads. This module
 * computes the same statistics from readings for the offline simulator and the training command. The features
 * (`features.ts`) read only count, mean and the sample standard deviation, defined here as in gold (DuckDB
 * `STDDEV_SAMP`); p95 (here `quantile_cont`, in gold `percentile_approx`) and the anomaly count (here the
 * ingest's running-statistics flags, in gold readings beyond 3 standard deviations of their own hour) differ
 * between the two and are not model inputs.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface HourlySensorStat {
    mmsi: number;
    sensorId: string;
    quantity: string;
    /** Start of the UTC hour, epoch ms. */
    hour: number;
    count: number;
    mean: number;
    min: number;
    max: number;
    /** Sample standard deviation (n - 1); 0 when count < 2. */
    stddev: number;
    /** 95th percentile, linear interpolation between order statistics. */
    p95: number;
    /** Readings flagged as anomalies by the ingest's running statistics. */
    anomalies: number;
}

export type HourStats = Pick<HourlySensorStat, 'count' | 'mean' | 'min' | 'max' | 'stddev' | 'p95'>;

/** Statistics of the values of one hour (undefined when there are none). Sorts `values` in place. */
export function statsOf(values: number[]): HourStats | undefined {
    const n = values.length;
    if (n === 0) return undefined;
    values.sort((a, b) => a - b);
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / n;
    let ss = 0;
    for (const v of values) ss += (v - mean) * (v - mean);
    return {
        count: n,
        mean,
        min: values[0]!,
        max: values[n - 1]!,
        stddev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
        p95: quantileSorted(values, 0.95),
    };
}

/** Quantile of sorted values, linear interpolation (R type 7, DuckDB quantile_cont). */
export function quantileSorted(sorted: readonly number[], q: number): number {
    const n = sorted.length;
    if (n === 0) return NaN;
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface HourlyInput {
    mmsi: number;
    sensorId: string;
    quantity: string;
    value: number;
    eventTime: number;
    anomaly?: boolean;
}

/** Groups readings by vessel, sensor, quantity and UTC hour; rows ordered by key, then hour. */
export function hourlyStats(readings: Iterable<HourlyInput>): HourlySensorStat[] {
    const groups = new Map<string, { r: HourlyInput; hour: number; values: number[]; anomalies: number }>();
    for (const r of readings) {
        if (!Number.isFinite(r.value) || !Number.isFinite(r.eventTime)) continue;
        const hour = Math.floor(r.eventTime / HOUR_MS) * HOUR_MS;
        const key = `${r.mmsi}|${r.sensorId}|${r.quantity}|${hour}`;
        let g = groups.get(key);
        if (g === undefined) groups.set(key, (g = { r, hour, values: [], anomalies: 0 }));
        g.values.push(r.value);
        if (r.anomaly === true) g.anomalies++;
    }
    const rows: HourlySensorStat[] = [];
    for (const g of groups.values()) {
        const s = statsOf(g.values)!;
        rows.push({
            mmsi: g.r.mmsi,
            sensorId: g.r.sensorId,
            quantity: g.r.quantity,
            hour: g.hour,
            ...s,
            anomalies: g.anomalies,
        });
    }
    rows.sort(
        (a, b) =>
            a.mmsi - b.mmsi ||
            (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0) ||
            (a.quantity < b.quantity ? -1 : a.quantity > b.quantity ? 1 : 0) ||
            a.hour - b.hour,
    );
    return rows;
}
