import { describe, expect, it } from '@jest/globals';

import { firstAtOrAfter, mergePoints } from '../../../../shared/domain/track/mergePoints.js';

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

describe('mergePoints (append path)', () => {
    it('appends later points, sorting and de-duplicating the batch itself', () => {
        expect(mergePoints([p(1)], [p(9), p(4), p(4, 7)])).toEqual([p(1), p(4), p(9)]);
        expect(mergePoints([], [p(2), p(2, 5)])).toEqual([p(2)]);
    });

    it('gives the same result in either path for any input', () => {
        const stored = [p(10), p(20), p(30)];
        for (const incoming of [
            [p(5), p(40)],
            [p(40), p(5)],
            [p(31), p(45)],
            [p(20), p(50)],
        ]) {
            const merged = mergePoints(stored, incoming) ?? stored;
            expect(merged.map((x) => x.t)).toEqual(
                [...new Set([...stored, ...incoming].map((x) => x.t))].sort((a, b) => a - b),
            );
        }
    });
});

describe('firstAtOrAfter', () => {
    it('finds the first point at or after t in time-ordered points (the one before it is the last before t)', () => {
        const points = [p(10), p(20), p(30)];
        expect([5, 10, 11, 20, 29, 30, 31].map((t) => firstAtOrAfter(points, t))).toEqual([
            0, 0, 1, 1, 2, 2, 3,
        ]);
        expect(firstAtOrAfter([], 7)).toBe(0);
    });
});
