import { describe, expect, it } from '@jest/globals';
import { getResolution, isValidCell } from 'h3-js';

import { bearing, DEFAULT_H3_RESOLUTION, h3Cell, haversineNm } from '../../../../shared/domain/geo/geo.js';

describe('haversineNm', () => {
    it.each([
        ['the same point', [54, 10, 54, 10], 0, 1e-9],
        ['one degree along a meridian', [0, 0, 1, 0], 60.04, 0.01],
        ['one degree across the antimeridian', [0, 179.5, 0, -179.5], 60.04, 0.01],
        ['a quarter of the equator', [0, 0, 0, 90], 5403.6, 0.1],
        ['antipodes', [0, 0, 0, 180], 10807.3, 0.1],
        ['pole to pole', [90, 0, -90, 0], 10807.3, 0.1],
        // Published great-circle distances (ellipsoidal); the sphere is within 0.5 %.
        ['Heathrow to JFK (5,555 km = 2,999 nm)', [51.47, -0.4543, 40.6413, -73.7781], 2999, 15],
        ['one degree of longitude at 60 N (half a degree of the equator)', [60, 0, 60, 1], 30.02, 0.01],
    ])('%s', (_name, [lat1, lon1, lat2, lon2], expected, tolerance) => {
        expect(Math.abs(haversineNm(lat1!, lon1!, lat2!, lon2!) - expected)).toBeLessThanOrEqual(tolerance);
    });

    it('is symmetric', () => {
        expect(haversineNm(51.9, 4.5, 1.26, 103.8)).toBe(haversineNm(1.26, 103.8, 51.9, 4.5));
    });
});

describe('bearing', () => {
    it.each([
        ['north', [0, 0, 1, 0], 0],
        ['east', [0, 0, 0, 1], 90],
        ['south', [1, 0, 0, 0], 180],
        ['west', [0, 1, 0, 0], 270],
        ['east across the antimeridian', [0, 179.5, 0, -179.5], 90],
        ['the same point', [54, 10, 54, 10], 0],
        ['north-east at the equator', [0, 0, 1, 1], 45],
    ])('%s', (_name, [lat1, lon1, lat2, lon2], expected) => {
        expect(bearing(lat1!, lon1!, lat2!, lon2!)).toBeCloseTo(expected, 1);
    });

    it('stays in [0, 360)', () => {
        const b = bearing(0, 0, -1e-12, 1e-12);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(360);
    });
});

describe('h3Cell', () => {
    it('gives the known cell of a known point (h3-js documentation example)', () => {
        expect(h3Cell(37.3615593, -122.0553238, 7)).toBe('87283472bffffff');
    });

    it.each([0, 5, 9, 15])('gives a valid cell at resolution %i', (res) => {
        const cell = h3Cell(54.3, 10.1, res);
        expect(isValidCell(cell)).toBe(true);
        expect(getResolution(cell)).toBe(res);
    });

    it('uses resolution 7 by default', () => {
        expect(DEFAULT_H3_RESOLUTION).toBe(7);
        expect(getResolution(h3Cell(54.3, 10.1))).toBe(7);
    });
});
