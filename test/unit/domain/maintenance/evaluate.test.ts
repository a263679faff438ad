import { describe, expect, it } from '@jest/globals';

import {
    bestF1Threshold,
    confusion,
    falseAlarmsPerVesselMonth,
    leadTimes,
    precisionRecallF1,
    rocAuc,
    type ScoredDay,
} from '../../../../shared/domain/maintenance/evaluate.js';
import { DAY_MS } from '../../../../shared/domain/maintenance/hourly.js';

describe('classification metrics', () => {
    it('confusion, precision, recall and F1', () => {
        const c = confusion([1, 1, 0, 0, 1, 0], [true, false, true, false, true, false]);
        expect(c).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
        expect(precisionRecallF1(c)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
        expect(precisionRecallF1({ tp: 0, fp: 0, fn: 3, tn: 5 })).toEqual({ precision: 0, recall: 0, f1: 0 });
    });

    it('ROC-AUC: the share of positive-negative pairs ranked right, ties count one half', () => {
        expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
        expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
        expect(rocAuc([0, 0, 1], [0.1, 0.2, 0.9])).toBe(1);
        expect(rocAuc([1, 1], [0.1, 0.2])).toBeNaN();
    });

    it('bestF1Threshold cuts between distinct scores', () => {
        expect(bestF1Threshold([0, 1, 1, 0, 1], [0.1, 0.9, 0.8, 0.7, 0.2])).toEqual({
            threshold: 0.2,
            f1: 6 / 7,
        });
        // 0.8 would give precision 1, recall 2/3: F1 0.8 < 6/7
    });
});

describe('lead time and false alarms', () => {
    const D0 = Date.UTC(2026, 0, 1);
    const day = (key: string, d: number, label: 0 | 1, alarm: boolean): ScoredDay => ({
        key,
        mmsi: 1,
        day: D0 + d * DAY_MS,
        label,
        alarm,
    });

    it('lead time runs from the end of the first alarm day within the horizon to the failure', () => {
        const failureAt = D0 + 10 * DAY_MS + 12 * 3_600_000; // day 10, 12:00
        const days = [
            day('a', 1, 0, true),
            day('a', 5, 1, true),
            day('a', 6, 1, true),
            day('b', 9, 1, false),
        ];
        const r = leadTimes(
            days,
            [
                { key: 'a', time: failureAt },
                { key: 'b', time: failureAt },
            ],
            7,
        );
        // day 1 is outside the 7-day horizon; day 5 ends at day 6 00:00: 4.5 days before the failure
        expect(r).toEqual({ failures: 2, detected: 1, meanLeadDays: 4.5 });
    });

    it('false alarm episodes are runs of alarm days none of which precedes a failure', () => {
        const days = [
            day('a', 1, 0, true),
            day('a', 2, 0, true), // one false episode
            day('a', 5, 0, true),
            day('a', 6, 1, true), // a true episode
            day('b', 3, 0, true), // a false episode
            day('b', 4, 0, false),
        ];
        expect(falseAlarmsPerVesselMonth(days, 30.44 * 2)).toEqual({ episodes: 2, perVesselMonth: 1 });
    });
});
