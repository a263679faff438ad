import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { anomalyOptionsFor } from '../../../../shared/domain/sensors/index.js';
import {
    alphaForInterval,
    alphaFromHalfLife,
    detectAnomaly,
    emptyStats,
    MIN_EVENT_TIME,
    type SensorStats,
    updateBatch,
    updateStats,
    zScore,
} from '../../../../shared/domain/sensors/stats.js';
import { expectWith } from '../../../helpers/expectWith.js';

const T0 = Date.UTC(2026, 10, 24);

function run(values: readonly number[], alpha: number, start: SensorStats = emptyStats()): SensorStats {
    let s = start;
    values.forEach((v, i) => (s = updateStats(s, v, T0 + i * 1000, alpha)));
    return s;
}

function twoPass(values: readonly number[]): { mean: number; variance: number } {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / values.length;
    return { mean, variance };
}

/** Weights w_i = a_i * prod_{j>i} (1 - a_j) with a_k = max(alpha, 1/k); then a weighted two-pass computation. */
function weightedTwoPass(values: readonly number[], alpha: number): { mean: number; variance: number } {
    const n = values.length;
    const a = values.map((_, i) => Math.max(alpha, 1 / (i + 1)));
    const w = new Array<number>(n).fill(0);
    let tail = 1;
    for (let i = n - 1; i >= 0; i--) {
        w[i] = a[i]! * tail;
        tail *= 1 - a[i]!;
    }
    const mean = values.reduce((acc, x, i) => acc + w[i]! * x, 0);
    const variance = values.reduce((acc, x, i) => acc + w[i]! * (x - mean) ** 2, 0);
    return { mean, variance };
}

const close = (a: number, b: number, scale: number) =>
    expectWith(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));

const values = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 300 });

describe('running statistics', () => {
    it('alpha 0 is plain Welford: equals the two-pass mean and population variance (property)', () => {
        fc.assert(
            fc.property(values, (xs) => {
                const s = run(xs, 0);
                const t = twoPass(xs);
                expect(s.n).toBe(xs.length);
                close(s.mean, t.mean, 1000);
                close(s.variance, t.variance, 1e6);
            }),
        );
    });

    it('EWMA equals the direct weighted two-pass computation (property)', () => {
        fc.assert(
            fc.property(values, fc.double({ min: 0.001, max: 1, noNaN: true }), (xs, alpha) => {
                const s = run(xs, alpha);
                const t = weightedTwoPass(xs, alpha);
                close(s.mean, t.mean, 1000);
                close(s.variance, t.variance, 1e6);
                expect(s.variance).toBeGreaterThanOrEqual(0);
            }),
        );
    });

    it('half-life: the weight of a value halves every h readings', () => {
        const a = alphaFromHalfLife(20);
        expect((1 - a) ** 20).toBeCloseTo(0.5, 12);
        expect(alphaForInterval(60_000, 60_000)).toBeCloseTo(0.5, 12);
        expect(alphaForInterval(0, 60_000)).toBe(0);
        expect(() => alphaFromHalfLife(0)).toThrow(RangeError);
        expect(() => updateStats(emptyStats(), 1, T0, 1.5)).toThrow(RangeError);
    });

    it('the state is plain JSON', () => {
        const s = updateStats(run([1, 2, 3], 0.1), 4, T0 + 10_000, 0.1, 42);
        expect(JSON.parse(JSON.stringify(s))).toEqual(s);
        expect(s).toMatchObject({ n: 4, lastEventTime: T0 + 10_000, lastSequence: 42 });
        expect(JSON.parse(JSON.stringify(emptyStats()))).toEqual({
            n: 0,
            mean: 0,
            variance: 0,
            lastEventTime: MIN_EVENT_TIME,
        });
    });
});

describe('anomaly detection (against the state before the value)', () => {
    const noisy = (n: number, seed = 1) => {
        let x = seed;
        return Array.from({ length: n }, () => {
            x = (x * 16807) % 2147483647;
            return 400 + ((x / 2147483647) * 2 - 1) * 5; // 400 ± 5 degC
        });
    };

    it('needs minCount values first, then flags a spike but not normal noise', () => {
        const s = run(noisy(200), alphaFromHalfLife(50));
        expect(detectAnomaly(run(noisy(10), 0), 480)).toMatchObject({ anomaly: false, warmingUp: true });
        expect(detectAnomaly(s, 403)).toMatchObject({ anomaly: false, warmingUp: false, stuck: false });
        const spike = detectAnomaly(s, 480);
        expect(spike.anomaly).toBe(true);
        expect(spike.z).toBeGreaterThan(10);
        expect(detectAnomaly(s, 320).anomaly).toBe(true);
        expect(detectAnomaly(s, 410, { zThreshold: 1.5 }).anomaly).toBe(true);
        expect(zScore(emptyStats(), 1)).toBeNaN();
    });

    it('a stuck value: zero variance flags any change unless the std has a floor', () => {
        const s = run(new Array<number>(50).fill(12.5), alphaFromHalfLife(20));
        expect(s.variance).toBe(0);
        expect(detectAnomaly(s, 12.5)).toMatchObject({ anomaly: false, z: 0 });
        expect(detectAnomaly(s, 12.6)).toMatchObject({ anomaly: true, z: Infinity });
        const opts = anomalyOptionsFor('sea_temperature')!; // minStd = 0.1 degC resolution
        expect(opts.minStd).toBe(0.1);
        expect(detectAnomaly(s, 12.6, opts)).toMatchObject({ anomaly: false, stuck: true });
        expect(detectAnomaly(s, 13.0, opts).anomaly).toBe(true);
        expect(anomalyOptionsFor('wind_direction')).toBeUndefined();
        expect(anomalyOptionsFor('nope')).toBeUndefined();
    });

    it('a drift: a long-memory baseline keeps flagging it, a half-life of 50 readings adapts to it', () => {
        // 300 stable readings, then +0.5 degC per reading for 200 readings (+100 degC).
        const series = noisy(500).map((x, i) => x + (i >= 300 ? (i - 300) * 0.5 : 0));
        const pts = series.map((value, i) => ({ value, eventTime: T0 + i * 1000 }));
        const cumulative = updateBatch(undefined, pts, 0, {});
        const ewma = updateBatch(undefined, pts, alphaFromHalfLife(50), {});
        expect(cumulative.anomalies.length).toBeGreaterThan(50);
        expect(cumulative.anomalies[0]!.index).toBeGreaterThanOrEqual(300);
        expect(cumulative.anomalies[0]!.index).toBeLessThan(330);
        expect(ewma.anomalies.length).toBeGreaterThan(0);
        expect(ewma.anomalies.length).toBeLessThan(5);
        expect(ewma.anomalies.every((a) => a.index >= 300 && a.index < 330)).toBe(true);
        // a sudden step is still flagged after the adaptation
        const step = updateBatch(
            ewma.state,
            [{ value: series.at(-1)! + 60, eventTime: T0 + 600_000 }],
            0.1,
            {},
        );
        expect(step.anomalies).toHaveLength(1);
    });
});

describe('idempotency under redelivery', () => {
    const point = fc.record({
        value: fc.double({ min: -100, max: 100, noNaN: true }),
        eventTime: fc.integer({ min: 0, max: 50 }).map((t) => T0 + t * 1000),
    });

    it('readings at or before lastEventTime are not applied (same object back)', () => {
        const s = run([1, 2, 3], 0.2);
        expect(updateStats(s, 99, s.lastEventTime, 0.2)).toBe(s);
        expect(updateStats(s, 99, s.lastEventTime - 1, 0.2)).toBe(s);
        expect(updateStats(s, NaN, s.lastEventTime + 1, 0.2)).toBe(s);
        expect(updateStats(s, 4, s.lastEventTime + 1, 0.2)).not.toBe(s);
    });

    it('a batch applied twice changes nothing the second time; order of delivery does not matter (property)', () => {
        fc.assert(
            fc.property(
                fc.array(point, { maxLength: 60 }),
                fc.double({ min: 0, max: 1, noNaN: true }),
                (pts, a) => {
                    const once = updateBatch(undefined, pts, a);
                    const twice = updateBatch(once.state, pts, a);
                    expect(twice.state).toBe(once.state);
                    expect(twice.applied).toBe(0);
                    expect(twice.skipped).toBe(pts.length);
                    // applied in event-time order, first of equal times wins: equals a stable sort then a plain fold
                    const sorted = [...pts].sort((x, y) => x.eventTime - y.eventTime);
                    let s = emptyStats();
                    for (const p of sorted) s = updateStats(s, p.value, p.eventTime, a);
                    expect(once.state).toEqual(s);
                    expect(once.applied).toBe(new Set(pts.map((p) => p.eventTime)).size);
                },
            ),
        );
    });

    it('a batch split across deliveries, with the first part redelivered, equals one delivery', () => {
        const pts = Array.from({ length: 40 }, (_, i) => ({ value: Math.sin(i), eventTime: T0 + i * 1000 }));
        const whole = updateBatch(undefined, pts, 0.1).state;
        const first = updateBatch(undefined, pts.slice(0, 25), 0.1).state;
        const again = updateBatch(first, pts.slice(0, 30), 0.1).state; // redelivers 0..24, adds 25..29
        const rest = updateBatch(again, pts.slice(20), 0.1).state;
        expect(rest).toEqual(whole);
    });

    it('reports anomaly indices into the input, unsorted input included', () => {
        const base = Array.from({ length: 40 }, (_, i) => ({
            value: 10 + (i % 2),
            eventTime: T0 + i * 1000,
        }));
        const pts = [{ value: 50, eventTime: T0 + 100_000, sequence: 7 }, ...base.reverse()];
        const r = updateBatch(undefined, pts, 0, {});
        expect(r.anomalies).toEqual([
            { index: 0, value: 50, eventTime: T0 + 100_000, z: expect.any(Number) as unknown },
        ]);
        expect(r.state).toMatchObject({ n: 41, lastEventTime: T0 + 100_000, lastSequence: 7 });
    });
});
