import { describe, expect, it } from '@jest/globals';

import { reportIntervalSeconds, STATIC_INTERVAL_SECONDS } from '../../../../local/simulator/fleet.js';
import { reportSchedule, STATIC_PER_POSITION } from '../../../../local/simulator/reportSchedule.js';

type Reporter = Parameters<typeof reportIntervalSeconds>[0];

const underway: Reporter = { cls: 'A', speed: 12, mooredUntil: 0 }; // ITU: 10 s
const fast: Reporter = { cls: 'A', speed: 18, mooredUntil: 0 }; // 6 s
const moored: Reporter = { cls: 'A', speed: 0, mooredUntil: 1 }; // 180 s
const classB: Reporter = { cls: 'B', speed: 6, mooredUntil: 0 }; // 30 s, static = 2 messages
const fleet: Reporter[] = [
    ...Array<Reporter>(40).fill(underway),
    ...Array<Reporter>(20).fill(fast),
    ...Array<Reporter>(25).fill(moored),
    ...Array<Reporter>(15).fill(classB),
];

/** Messages per simulated second the schedule gives the fleet. */
function rateOf(schedule: ReturnType<typeof reportSchedule>, vessels: readonly Reporter[]): number {
    return vessels.reduce(
        (sum, v) =>
            sum + 1000 / schedule.positionMs(v) + (v.cls === 'B' ? 2 : 1) * (1000 / schedule.staticMs(v)),
        0,
    );
}

const natural = fleet.reduce(
    (sum, v) => sum + 1 / reportIntervalSeconds(v) + (v.cls === 'B' ? 2 : 1) / STATIC_INTERVAL_SECONDS,
    0,
);

describe('reportSchedule', () => {
    it('above the natural rate: every ITU interval shortened by one factor, the budget met', () => {
        const s = reportSchedule(fleet, natural * 4);
        expect(rateOf(s, fleet)).toBeCloseTo(natural * 4, 6);
        expect(s.positionMs(underway)).toBeCloseTo(10_000 / 4, 6);
        expect(s.positionMs(moored)).toBeCloseTo(180_000 / 4, 6);
        expect(s.staticMs(moored)).toBeCloseTo((STATIC_INTERVAL_SECONDS * 1000) / 4, 6);
    });

    it('below it (time running 360x): a downsampled feed, moored vessels as often as those under way, the budget met', () => {
        // 200 events per wall second at 360x: 0.55 messages per simulated second for 100 vessels
        const budget = 200 / 360;
        const s = reportSchedule(fleet, budget);
        expect(rateOf(s, fleet)).toBeCloseTo(budget, 6);
        const t = s.positionMs(underway);
        expect(s.positionMs(fast)).toBe(t);
        expect(s.positionMs(moored)).toBe(t);
        expect(s.positionMs(classB)).toBe(t);
        expect(s.staticMs(moored)).toBeCloseTo(STATIC_PER_POSITION * t, 6);
        // a fix every few simulated minutes, so a stay in port of 40 minutes has several (one factor for every
        // interval gave a moored vessel one fix per 1.7 simulated hours here)
        expect(t).toBeGreaterThan(3 * 60_000);
        expect(t).toBeLessThan(5 * 60_000);
    });

    it('between the two: no vessel reports more often than its ITU interval, the budget met', () => {
        const budget = natural / 3;
        const s = reportSchedule(fleet, budget);
        expect(rateOf(s, fleet)).toBeCloseTo(budget, 6);
        for (const v of fleet)
            expect(s.positionMs(v)).toBeGreaterThanOrEqual(reportIntervalSeconds(v) * 1000);
        expect(s.positionMs(moored)).toBe(180_000);
        expect(s.positionMs(fast)).toBe(s.positionMs(underway));
        expect(s.positionMs(underway)).toBeGreaterThan(10_000);
    });

    it('refuses a budget that is not positive', () => {
        expect(() => reportSchedule(fleet, 0)).toThrow(RangeError);
    });
});
