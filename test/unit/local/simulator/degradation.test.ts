import { describe, expect, it } from '@jest/globals';

import { simulateVessel } from '../../../../local/simulator/degradation.js';
import { DAY_MS } from '../../../../shared/domain/maintenance/hourly.js';

const OPTS = { seed: 3, days: 120, readingsPerHour: 2 };

describe('degradation simulator', () => {
    const a = simulateVessel(0, OPTS);

    it('is deterministic for a seed, and differs across seeds', () => {
        const b = simulateVessel(0, OPTS);
        expect(b).toEqual(a);
        expect(simulateVessel(0, { ...OPTS, seed: 4 }).events).not.toEqual(a.events);
    });

    it('writes hourly statistics for the three indicators and shaft power', () => {
        const sensors = new Set(a.hourly.map((h) => `${h.sensorId}|${h.quantity}`));
        expect([...sensors].sort()).toEqual([
            'FO-FLT-DP|filter_pressure_drop',
            'ME1-BRG-VIB|vibration_rms',
            'ME1-EXH-T1|exhaust_temperature',
            'SHAFT1-PWR|shaft_power',
        ]);
        expect(a.hourly.every((h) => h.count === 2 && h.min <= h.mean && h.mean <= h.max)).toBe(true);
    });

    it('logs every failure of the truth, and each failure is followed by a repair (or the end)', () => {
        const failures = a.events.filter((e) => e.kind === 'failure');
        const truthFailures = a.truth.filter((t) => t.endedBy === 'failure');
        expect(failures.length).toBeGreaterThan(0);
        expect(failures.map((f) => `${f.equipmentId}@${f.time}`).sort()).toEqual(
            [...new Set(truthFailures.map((t) => `${t.equipmentId}@${t.end}`))].sort(),
        );
        for (const f of failures) {
            const next = a.events.find((e) => e.equipmentId === f.equipmentId && e.time > f.time);
            if (next !== undefined) expect(next.kind).toBe('repair');
        }
        expect(a.events.every((e, i) => i === 0 || e.time >= a.events[i - 1]!.time)).toBe(true);
    });

    it('a degradation path shows in its indicator before the failure; a sudden failure has no precursor path', () => {
        const paths = a.truth.filter(
            (t) => t.mode === 'degradation' && t.endedBy === 'failure' && t.end - t.onset > 5 * DAY_MS,
        );
        expect(paths.length).toBeGreaterThan(0);
        for (const p of paths) {
            const sensor = { 'ME1-BRG': 'ME1-BRG-VIB', 'ME1-TC': 'ME1-EXH-T1', 'FO-FILTER': 'FO-FLT-DP' }[
                p.equipmentId
            ]!;
            const power = new Map(
                a.hourly.filter((h) => h.sensorId === 'SHAFT1-PWR').map((h) => [h.hour, h.mean]),
            );
            const maxPower = Math.max(...power.values());
            const running = (from: number, to: number): number[] =>
                a.hourly
                    .filter(
                        (h) =>
                            h.sensorId === sensor &&
                            h.hour >= from &&
                            h.hour < to &&
                            (power.get(h.hour) ?? 0) > 0.5 * maxPower,
                    )
                    .map((h) => h.mean);
            const before = running(p.onset - 5 * DAY_MS, p.onset);
            const last = running(p.end - 2 * DAY_MS, p.end);
            if (before.length < 5 || last.length < 5) continue; // in port around then
            const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
            expect(mean(last)).toBeGreaterThan(mean(before));
        }
        for (const s of a.truth.filter((t) => t.mode === 'sudden')) expect(s.onset).toBe(s.end);
    });
});
