import { describe, expect, it } from '@jest/globals';

import { cpa, type Kinematics, NM_PER_DEG } from '../../../../shared/domain/collision/cpa.js';
import { haversineNm } from '../../../../shared/domain/geo/geo.js';

/** A vessel at (x, y) nautical miles east/north of (0°, 0°); near the equator the local plane matches to ~1e-5 NM. */
const at = (x: number, y: number, sog: number, cog: number): Kinematics => ({
    lat: y / NM_PER_DEG,
    lon: x / NM_PER_DEG,
    sog,
    cog,
});

describe('cpa: worked cases (hand computations in the comments)', () => {
    it('head-on: 10 NM apart, closing at 10 + 10 kn -> meet in 30 min', () => {
        const r = cpa(at(0, 0, 10, 0), at(0, 10, 10, 180));
        expect(r.cpaNm).toBeCloseTo(0, 3);
        expect(r.tcpaMin).toBeCloseTo(30, 3);
        expect(r.rangeNm).toBeCloseTo(10, 3);
    });

    it('head-on with 0.5 NM lateral offset: CPA is the offset', () => {
        const r = cpa(at(0, 0, 10, 0), at(0.5, 10, 10, 180));
        expect(r.cpaNm).toBeCloseTo(0.5, 3);
        expect(r.tcpaMin).toBeCloseTo(30, 3);
    });

    it('crossing at right angles, both arriving at (0, 10) after 1 h -> CPA 0 at 60 min', () => {
        const r = cpa(at(0, 0, 10, 0), at(10, 10, 10, 270));
        expect(r.cpaNm).toBeCloseTo(0, 3);
        expect(r.tcpaMin).toBeCloseTo(60, 3);
    });

    it('crossing at right angles, B 2 NM further north: rel (10, 12), vel (-10, -10) -> t = 220/200 h = 66 min, CPA √2', () => {
        const r = cpa(at(0, 0, 10, 0), at(10, 12, 10, 270));
        expect(r.tcpaMin).toBeCloseTo(66, 3);
        expect(r.cpaNm).toBeCloseTo(Math.SQRT2, 3);
    });

    it('overtaking: B 2 NM astern, 0.3 NM to starboard, 4 kn faster -> 30 min, CPA 0.3', () => {
        const r = cpa(at(0, 0, 10, 0), at(0.3, -2, 14, 0));
        expect(r.tcpaMin).toBeCloseTo(30, 3);
        expect(r.cpaNm).toBeCloseTo(0.3, 3);
    });

    it('parallel, same course and speed: range constant, TCPA Infinity, CPA = range', () => {
        const r = cpa(at(0, 0, 12, 45), at(1, 0, 12, 45));
        expect(r.tcpaMin).toBe(Infinity);
        expect(r.cpaNm).toBeCloseTo(1, 3);
    });

    it('diverging: back to back at 10 kn each, 5 NM apart -> closest 15 min ago (negative TCPA)', () => {
        const r = cpa(at(0, 0, 10, 180), at(0, 5, 10, 0));
        expect(r.tcpaMin).toBeCloseTo(-15, 3);
        expect(r.cpaNm).toBeCloseTo(0, 3);
        expect(r.rangeNm).toBeCloseTo(5, 3);
    });

    it('stationary pair: TCPA Infinity, CPA = range (3-4-5)', () => {
        const r = cpa(at(0, 0, 0, 0), at(3, 4, 0, 123));
        expect(r.tcpaMin).toBe(Infinity);
        expect(r.cpaNm).toBeCloseTo(5, 3);
    });

    it('one stationary: B at (3, -4) steaming north at 10 kn passes A 3 NM abeam after 24 min', () => {
        const r = cpa(at(0, 0, 0, 0), at(3, -4, 10, 0));
        expect(r.tcpaMin).toBeCloseTo(24, 3);
        expect(r.cpaNm).toBeCloseTo(3, 3);
        // symmetric in A and B
        const s = cpa(at(3, -4, 10, 0), at(0, 0, 0, 0));
        expect(s.tcpaMin).toBeCloseTo(24, 3);
        expect(s.cpaNm).toBeCloseTo(3, 3);
    });

    it('closest now: TCPA 0', () => {
        const r = cpa(at(0, 0, 10, 90), at(0, 1, 10, 270));
        expect(r.tcpaMin).toBeCloseTo(0, 9);
        expect(r.cpaNm).toBeCloseTo(1, 3);
    });

    it('across the antimeridian the short way round', () => {
        const r = cpa(
            { lat: 10, lon: 179.99, sog: 10, cog: 90 },
            { lat: 10, lon: -179.99, sog: 10, cog: 270 },
        );
        const range = haversineNm(10, 179.99, 10, -179.99);
        expect(r.rangeNm).toBeCloseTo(range, 4);
        expect(r.tcpaMin).toBeCloseTo((range / 20) * 60, 3);
    });

    it('at 60°N one degree of longitude is about 30 NM: a westbound 10-knotter reaches a stationary vessel in ~3 h', () => {
        const r = cpa({ lat: 60, lon: 0, sog: 0, cog: 0 }, { lat: 60, lon: 1, sog: 10, cog: 270 });
        const range = haversineNm(60, 0, 60, 1);
        expect(Math.abs(r.rangeNm - range) / range).toBeLessThan(1e-3);
        expect(r.tcpaMin).toBeCloseTo((r.rangeNm / 10) * 60, 3);
        expect(r.cpaNm).toBeCloseTo(0, 3);
    });
});
