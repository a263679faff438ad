import { describe, expect, it } from '@jest/globals';

import {
    CII_PROJECTION_MIN_DAYS,
    ciiFindings,
    type CiiVesselYear,
    type RatedPeriod,
} from '../../../../shared/domain/compliance/index.js';

const rated = (rating: RatedPeriod['rating'], ratio = 1): RatedPeriod => ({
    attained: 5 * ratio,
    required: 5,
    ratio,
    rating,
});
const base: CiiVesselYear = {
    mmsi: 1,
    year: 2026,
    asOf: Date.UTC(2026, 5, 30),
    complete: false,
    previousYears: [],
    history: [],
    daysWithData: 181,
};

describe('ciiFindings', () => {
    it('projects a rating only from CII_PROJECTION_MIN_DAYS days with data: a day at berth is not the year', () => {
        expect(CII_PROJECTION_MIN_DAYS).toBe(30);
        const early = { ...base, asOf: Date.UTC(2026, 11, 3), projected: rated('E', 1.6) };
        expect(ciiFindings({ ...early, daysWithData: 1 })).toEqual([]);
        expect(ciiFindings({ ...early, daysWithData: CII_PROJECTION_MIN_DAYS - 1 })).toEqual([]);
        const [e] = ciiFindings({ ...early, daysWithData: CII_PROJECTION_MIN_DAYS });
        expect(e!).toMatchObject({ check: 'cii-projected-rating', severity: 'critical' });
        expect(e!.evidence).toMatchObject({ daysWithData: 30 });
        // The other checks do not wait: a completed year rated E is final whatever this year holds.
        const plan = ciiFindings({ ...early, daysWithData: 1, previousYears: [{ year: 2025, rating: 'E' }] });
        expect(plan.map((f) => f.check)).toEqual(['cii-corrective-action']);
    });

    it('projected D is a warning, E critical, C nothing', () => {
        expect(ciiFindings({ ...base, projected: rated('C') })).toEqual([]);
        const [d] = ciiFindings({ ...base, projected: rated('D', 1.1) });
        expect(d!).toMatchObject({ id: 'cii-projected-rating:1:2026', severity: 'warning', ongoing: true });
        expect(ciiFindings({ ...base, projected: rated('E', 1.3) })[0]!.severity).toBe('critical');
    });

    it('D three completed years running, or E once, calls for a corrective action plan', () => {
        const three = ciiFindings({
            ...base,
            previousYears: [
                { year: 2023, rating: 'D' },
                { year: 2024, rating: 'D' },
                { year: 2025, rating: 'D' },
            ],
        });
        expect(three.map((f) => f.id)).toEqual(['cii-corrective-action:1:2025']);
        const gap = ciiFindings({
            ...base,
            previousYears: [
                { year: 2022, rating: 'D' },
                { year: 2024, rating: 'D' },
                { year: 2025, rating: 'D' },
            ],
        });
        expect(gap).toEqual([]);
        const e = ciiFindings({ ...base, previousYears: [{ year: 2025, rating: 'E' }] });
        expect(e[0]!.evidence.trigger).toBe('E');
    });

    it('the year change: a completed year counts as the third D', () => {
        const dec31 = {
            ...base,
            year: 2025,
            asOf: Date.UTC(2026, 0, 1) - 1,
            complete: true,
            yearToDate: rated('D', 1.1),
            previousYears: [
                { year: 2023, rating: 'D' as const },
                { year: 2024, rating: 'D' as const },
            ],
        };
        expect(ciiFindings(dec31).map((f) => f.id)).toEqual(['cii-corrective-action:1:2025']);
    });

    it('a band lost during the year: from the best earlier rating to now', () => {
        const v = {
            ...base,
            yearToDate: rated('C'),
            history: [
                { asOf: Date.UTC(2026, 1, 28), rating: 'C' as const },
                { asOf: Date.UTC(2026, 2, 31), rating: 'B' as const },
            ],
        };
        const [f] = ciiFindings(v);
        expect(f!).toMatchObject({ id: 'cii-band-drop:1:2026', firstSeen: Date.UTC(2026, 2, 31) });
        expect(f!.evidence).toMatchObject({ bandsLost: 1, from: { rating: 'B' }, to: { rating: 'C' } });
        expect(ciiFindings({ ...v, yearToDate: rated('B') })).toEqual([]);
    });
});
