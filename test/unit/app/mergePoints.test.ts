import { describe, expect, it } from 'vitest';

import { mergePoints } from '../../../shared/domain/track/mergePoints.js';

const p = (t: number, lat = 1): { t: number; lat: number; lon: number } => ({ t, lat, lon: 2 });

describe('mergePoints', () => {
    it('adds new times in order', () => {
        expect(mergePoints([p(1), p(5)], [p(3), p(7)])?.map((x) => x.t)).toEqual([1, 3, 5, 7]);
    });

    it('returns undefined when nothing is new (a redelivered batch)', () => {
        expect(mergePoints([p(1), p(3)], [p(3), p(1)])).toBeUndefined();
    });

    it('keeps the stored point for a time it already has, and one point per time from the batch', () => {
        expect(mergePoints([p(1, 10)], [p(1, 20), p(2, 30), p(2, 40)])).toEqual([p(1, 10), p(2, 30)]);
    });
});
