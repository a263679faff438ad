import { describe, expect, it } from '@jest/globals';

import { outageSchedule, sendingMs } from '../../../bench/lib/outages.js';
import { Prng } from '../../../shared/domain/prng.js';

describe('the fault harness outage schedule', () => {
    it('is the reference replay sending phase: its AIS events over the rate, not its stop', () => {
        const output =
            'AIS: batches 41, events 1,204 -> items 1,210 (6 more than events: ...)\nreceived 1,210 = accepted ...';
        expect(sendingMs(output, 4)).toBe(301_000);
        expect(sendingMs('no reconciliation', 4)).toBeUndefined();
    });

    it('puts every outage within the sending phase, apart, alternating services, for any seed', () => {
        for (let seed = 1; seed <= 200; seed++) {
            const sendMs = 8_500 + seed * 37; // three outages take at most 3 x 2.5 + 2 x 0.5 s
            const schedule = outageSchedule(3, sendMs, Prng.fn(seed))!;
            expect(schedule).toHaveLength(3);
            let free = 0;
            schedule.forEach((o, i) => {
                expect(o.ms).toBeGreaterThanOrEqual(500);
                expect(o.ms).toBeLessThanOrEqual(2_500);
                expect(o.at).toBeGreaterThanOrEqual(free);
                expect(o.at + o.ms).toBeLessThanOrEqual(sendMs);
                if (i > 0) expect(o.service).not.toBe(schedule[i - 1]!.service);
                free = o.at + o.ms + 500;
            });
        }
    });

    it('spreads the outages over the whole phase, and is the same for the same seed', () => {
        const starts = Array.from(
            { length: 100 },
            (_, seed) => outageSchedule(1, 60_000, Prng.fn(seed + 1))![0]!,
        );
        // uniform over the room the phase leaves (60 s less the outage): some early, some late
        expect(starts.some((o) => o.at < 15_000)).toBe(true);
        expect(starts.some((o) => o.at + o.ms > 45_000)).toBe(true);
        expect(outageSchedule(2, 30_000, Prng.fn(7))).toEqual(outageSchedule(2, 30_000, Prng.fn(7)));
    });

    it('has no schedule when the phase is too short for the outages', () => {
        // two outages need at least 0.5 + 0.5 + 0.5 s
        expect(outageSchedule(2, 1_400, () => 0)).toBeUndefined();
        expect(outageSchedule(2, 1_500, () => 0)).toEqual([
            { service: 'azurite', at: 0, ms: 500 },
            { service: 'cosmos', at: 1_000, ms: 500 },
        ]);
    });
});
