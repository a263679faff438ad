/**
 * Running statistics per sensor time series (`sensorKey`), for anomaly detection. Pure functions over a plain,
 * JSON-serialisable state object (stored in Cosmos `sensorState`).
 *
 * Method: exponentially weighted mean and variance (West 1979 / Finch 2009, "Welford with forgetting"):
 *
 *   a = max(alpha, 1 / n)        n = number of values including this one
 *   d = x - mean;  mean += a * d;  variance = (1 - a) * (variance + a * d * d)
 *
 * - The `1 / n` warm-up makes the first values a plain cumulative (Welford) mean and population variance, so
 *   the state does not start biased towards the first value; once n > 1/alpha, each value's weight decays by
 *   (1 - alpha) per later value. `alpha = 0` never forgets: exactly Welford's algorithm over all values.
 * - The result equals the weighted two-pass computation with weights w_i = a_i * prod_{j>i} (1 - a_j)
 *   (sum 1): mean = sum w_i x_i, variance = sum w_i (x_i - mean)^2 (tested).
 * - `alphaFromHalfLife(h)` gives the alpha whose weights halve every h readings; for irregular sampling use
 *   `alphaForInterval(eventTime - state.lastEventTime, halfLifeMs)` per reading.
 *
 * Idempotency (at-least-once delivery): a value is applied only when its eventTime > state.lastEventTime, and a
 * batch's readings of one sensor are applied in event-time order (`updateBatch`). The state is a high-water
 * mark: a redelivered batch, or a reprocessed one after a crash between writing the state and checkpointing,
 * finds all its readings at or before lastEventTime and changes nothing, so nothing is counted twice. The
 * ordering is required because the exponential weights depend on order; it also means a reading that arrives
 * after a later one of the same sensor (late data) is left out of the statistics (it is still stored in
 * silver and still checked against the thresholds). Two readings of one sensor with the same event time: the
 * first (in batch order) is applied, the second skipped. `lastSequence` (Event Hub sequence number of the last
 * applied reading) is informational only, for tracing; it is not part of the rule because sequence numbers
 * differ across partitions and replays.
 *
 * Zero variance: a stuck sensor drives the variance to 0, and then any change has an infinite z-score. The
 * z-score therefore uses std = max(sqrt(variance), minStd), with `minStd` the sensor's resolution
 * (`QUANTITIES[q].resolution`, see `anomalyOptionsFor` in index.ts); `detectAnomaly` also reports `stuck` when
 * the std is below that floor after minCount values.
 */

export interface SensorStats {
    /** Number of values applied. */
    n: number;
    /** Exponentially weighted mean (canonical unit). */
    mean: number;
    /** Exponentially weighted population variance (canonical unit squared). */
    variance: number;
    /** Event time (epoch ms) of the last applied value; MIN_EVENT_TIME when none. */
    lastEventTime: number;
    /** Event Hub sequence number of the last applied value, when the caller gives it (informational). */
    lastSequence?: number;
}

/** The smallest JavaScript Date (-271821-04-20): "no value applied yet", JSON-safe unlike -Infinity. */
export const MIN_EVENT_TIME = -8.64e15;

/** The state of a sensor with no values yet. */
export function emptyStats(): SensorStats {
    return { n: 0, mean: 0, variance: 0, lastEventTime: MIN_EVENT_TIME };
}

/** The alpha whose weights halve every `halfLife` readings (halfLife > 0). */
export function alphaFromHalfLife(halfLife: number): number {
    if (!(halfLife > 0)) throw new RangeError(`halfLife must be > 0, got ${halfLife}`);
    return 1 - Math.pow(2, -1 / halfLife);
}

/** The alpha for a reading `dtMs` after the previous one, when weights halve every `halfLifeMs` of event time. */
export function alphaForInterval(dtMs: number, halfLifeMs: number): number {
    if (!(halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be > 0, got ${halfLifeMs}`);
    if (!(dtMs > 0)) return 0;
    return 1 - Math.pow(2, -dtMs / halfLifeMs);
}

/**
 * The state after applying one value. Returns the SAME state object (identity) when the value is not applied:
 * eventTime <= state.lastEventTime (already applied, or late), or a non-finite value or time.
 * @param alpha 0..1; 0 = cumulative (plain Welford). The effective weight is max(alpha, 1/n).
 */
export function updateStats(
    state: SensorStats,
    value: number,
    eventTime: number,
    alpha: number,
    sequence?: number,
): SensorStats {
    if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in 0..1, got ${alpha}`);
    if (!applies(state, value, eventTime)) return state;
    const n = state.n + 1;
    const a = alpha > 1 / n ? alpha : 1 / n;
    const d = value - state.mean;
    const next: SensorStats = {
        n,
        mean: state.mean + a * d,
        variance: (1 - a) * (state.variance + a * d * d),
        lastEventTime: eventTime,
    };
    if (sequence !== undefined) next.lastSequence = sequence;
    else if (state.lastSequence !== undefined) next.lastSequence = state.lastSequence;
    return next;
}

/** True when {@link updateStats} would apply this value: a finite value newer than the state's high-water mark. */
export function applies(state: SensorStats, value: number, eventTime: number): boolean {
    return eventTime > state.lastEventTime && Number.isFinite(eventTime) && Number.isFinite(value);
}

/** Alias of {@link updateStats}. */
export const update = updateStats;

/** sqrt(variance), never NaN (tiny negative rounding is clamped to 0). */
export function stdDev(state: SensorStats): number {
    return state.variance > 0 ? Math.sqrt(state.variance) : 0;
}

/**
 * (value - mean) / max(std, minStd). With std 0 (and minStd 0): 0 for the mean itself, else ±Infinity.
 * NaN when the state has no values.
 */
export function zScore(state: SensorStats, value: number, minStd = 0): number {
    if (state.n === 0) return NaN;
    const std = Math.max(stdDev(state), minStd);
    const d = value - state.mean;
    if (std === 0) return d === 0 ? 0 : d > 0 ? Infinity : -Infinity;
    return d / std;
}

export interface AnomalyOptions {
    /** |z| above this is an anomaly. Default 3. */
    zThreshold?: number;
    /** No verdict before this many values (n < minCount → warmingUp). Default 30. */
    minCount?: number;
    /** Floor of the standard deviation (canonical unit): the sensor's resolution. Default 0. */
    minStd?: number;
}

export interface AnomalyResult {
    anomaly: boolean;
    /** The z-score against the state before the value (NaN when the state is empty). */
    z: number;
    /** Fewer than minCount values so far: no verdict. */
    warmingUp: boolean;
    /** After minCount values the std is below minStd (flat signal: a frozen sensor?). */
    stuck: boolean;
}

export const DEFAULT_Z_THRESHOLD = 3;
export const DEFAULT_MIN_COUNT = 30;

/** Is `value` an outlier against the state BEFORE it is applied? */
export function detectAnomaly(state: SensorStats, value: number, opts: AnomalyOptions = {}): AnomalyResult {
    const zThreshold = opts.zThreshold ?? DEFAULT_Z_THRESHOLD;
    const minCount = opts.minCount ?? DEFAULT_MIN_COUNT;
    const minStd = opts.minStd ?? 0;
    const z = zScore(state, value, minStd);
    const warmingUp = state.n < Math.max(1, minCount);
    return {
        anomaly: !warmingUp && Math.abs(z) > zThreshold,
        z,
        warmingUp,
        stuck: !warmingUp && stdDev(state) < minStd,
    };
}

export interface StatsPoint {
    value: number;
    eventTime: number;
    sequence?: number;
}

export interface StatsBatchResult {
    state: SensorStats;
    /** Values applied; the others were at or before lastEventTime, or not finite. */
    applied: number;
    skipped: number;
    /** Only when `detect` options were given: the applied points that were anomalies (index into `points`). */
    anomalies: { index: number; value: number; eventTime: number; z: number }[];
}

/**
 * Applies one sensor's readings of a batch in event-time order (ties: input order), skipping those at or
 * before the state's lastEventTime. With `detect`, each value is first checked against the state before it.
 * Does not sort (nor allocate an order) when the points already are in event-time order.
 */
export function updateBatch(
    state: SensorStats | undefined,
    points: readonly StatsPoint[],
    alpha: number,
    detect?: AnomalyOptions,
): StatsBatchResult {
    let s = state ?? emptyStats();
    let applied = 0;
    const anomalies: StatsBatchResult['anomalies'] = [];
    let sorted = true;
    for (let i = 1; i < points.length && sorted; i++) {
        if (!(points[i]!.eventTime >= points[i - 1]!.eventTime)) sorted = false;
    }
    let order: number[] | undefined;
    if (!sorted) {
        order = points.map((_, i) => i);
        // Array.prototype.sort is stable: equal times keep input order. NaN times sort last and are skipped.
        order.sort((a, b) => {
            const ta = timeKey(points[a]!.eventTime);
            const tb = timeKey(points[b]!.eventTime);
            return ta < tb ? -1 : ta > tb ? 1 : 0;
        });
    }
    for (let k = 0; k < points.length; k++) {
        const index = order === undefined ? k : order[k]!;
        const p = points[index]!;
        if (!applies(s, p.value, p.eventTime)) continue;
        if (detect !== undefined) {
            const r = detectAnomaly(s, p.value, detect);
            if (r.anomaly) anomalies.push({ index, value: p.value, eventTime: p.eventTime, z: r.z });
        }
        s = updateStats(s, p.value, p.eventTime, alpha, p.sequence);
        applied++;
    }
    return { state: s, applied, skipped: points.length - applied, anomalies };
}

const timeKey = (t: number): number => (Number.isNaN(t) ? Infinity : t);
