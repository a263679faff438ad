import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { NM_PER_DEG } from '../../../../shared/domain/collision/cpa.js';
import {
    evaluatePair,
    findCollisionRisks,
    prepareFleet,
    type Risk,
    scanCollisionRisks,
    type VesselFix,
    type WatchOptions,
} from '../../../../shared/domain/collision/watch.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const opts: WatchOptions = { now: NOW };
/** A fix at (x, y) NM east/north of (lat0, lon0), taken at NOW unless given. */
const fix = (
    mmsi: number,
    x: number,
    y: number,
    sog: number | null,
    cog: number | null,
    eventTime = NOW,
    lat0 = 0,
    lon0 = 0,
): VesselFix => ({
    mmsi,
    lat: lat0 + y / NM_PER_DEG,
    lon: lon0 + x / (NM_PER_DEG * Math.cos((lat0 * Math.PI) / 180)),
    sog,
    cog,
    eventTime,
});

function bruteForce(vessels: VesselFix[], options: WatchOptions): Risk[] {
    const fleet = prepareFleet(vessels, options);
    const out: Risk[] = [];
    for (let i = 0; i < fleet.length; i++) {
        for (let j = i + 1; j < fleet.length; j++) {
            const r = evaluatePair(fleet[i]!, fleet[j]!, options);
            if (r) out.push(r);
        }
    }
    return out.sort((a, b) => a.mmsiA - b.mmsiA || a.mmsiB - b.mmsiB);
}

describe('findCollisionRisks', () => {
    it('finds a head-on pair, ordered (min mmsi first), with the dead-reckoned positions', () => {
        const risks = findCollisionRisks(
            [fix(300, 0, 4, 10, 180), fix(200, 0.2, 0, 10, 0), fix(100, 50, 50, 10, 0)],
            opts,
        );
        expect(risks).toHaveLength(1);
        const r = risks[0]!;
        expect(r).toMatchObject({ pairId: '200-300', mmsiA: 200, mmsiB: 300 });
        expect(r.cpaNm).toBeCloseTo(0.2, 6);
        expect(r.tcpaMin).toBeCloseTo(12, 6);
        expect(r.rangeNm).toBeCloseTo(Math.hypot(0.2, 4), 3);
        expect(r.bearingDeg).toBeGreaterThan(270);
    });

    it('applies the thresholds: CPA > cpaNm, TCPA beyond the horizon, diverging, and maxRangeNm', () => {
        expect(findCollisionRisks([fix(1, 0, 0, 10, 0), fix(2, 0.6, 4, 10, 180)], opts)).toEqual([]); // CPA 0.6
        expect(findCollisionRisks([fix(1, 0, 0, 10, 0), fix(2, 0, 8, 10, 180)], opts)).toEqual([]); // 24 min > 20
        expect(
            findCollisionRisks([fix(1, 0, 0, 10, 0), fix(2, 0, 8, 10, 180)], { ...opts, tcpaMaxMin: 23 }),
        ).toEqual([]);
        expect(
            findCollisionRisks([fix(1, 0, 0, 10, 0), fix(2, 0, 8, 10, 180)], { ...opts, tcpaMaxMin: 25 }),
        ).toHaveLength(1);
        expect(findCollisionRisks([fix(1, 0, 0, 10, 180), fix(2, 0, 1, 10, 0)], opts)).toEqual([]); // diverging
        expect(
            findCollisionRisks([fix(1, 0, 0, 10, 0), fix(2, 0, 4, 10, 180)], { ...opts, maxRangeNm: 3 }),
        ).toEqual([]);
        expect(
            findCollisionRisks([fix(1, 0, 0, 10, 0), fix(2, 0, 4, 10, 180)], { ...opts, cpaNm: 0.1 }),
        ).toHaveLength(1);
    });

    it('dead-reckons each fix to now: a 6-minute-old fix has moved 1 NM', () => {
        // B's fix is 6 min old at (0, 5) southbound 10 kn -> now at (0, 4); A at (0, 0) northbound -> 12 min.
        const risks = findCollisionRisks(
            [fix(1, 0, 0, 10, 0), fix(2, 0, 5, 10, 180, NOW - 6 * 60_000)],
            opts,
        );
        expect(risks[0]!.tcpaMin).toBeCloseTo(12, 6);
        expect(risks[0]!.latB * NM_PER_DEG).toBeCloseTo(4, 6);
    });

    it('skips stale fixes, unknown SOG, unknown COG of a moving vessel; keeps a stationary vessel with unknown COG', () => {
        const stale = [fix(1, 0, 0, 10, 0), fix(2, 0, 4, 10, 180, NOW - 11 * 60_000)];
        expect(findCollisionRisks(stale, opts)).toEqual([]);
        expect(findCollisionRisks(stale, { ...opts, staleAfterMs: 15 * 60_000 })).toHaveLength(1);
        expect(findCollisionRisks([fix(1, 0, 0, null, 0), fix(2, 0, 4, 10, 180)], opts)).toEqual([]);
        expect(findCollisionRisks([fix(1, 0, 0, 102.3, 0), fix(2, 0, 4, 10, 180)], opts)).toEqual([]);
        expect(findCollisionRisks([fix(1, 0, 0, 10, 360), fix(2, 0, 4, 10, 180)], opts)).toEqual([]);
        // anchored vessel (0.2 kn, COG n/a) with a ship steaming at it: a risk
        expect(findCollisionRisks([fix(1, 0, 0, 0.2, null), fix(2, 0.1, 3, 12, 180)], opts)).toHaveLength(1);
        // two anchored vessels 0.1 NM apart: never a risk
        expect(findCollisionRisks([fix(1, 0, 0, 0.2, 10), fix(2, 0.1, 0, 0.3, 200)], opts)).toEqual([]);
    });

    it('keeps the latest fix of a duplicated MMSI', () => {
        const risks = findCollisionRisks(
            [fix(2, 0, 4, 10, 180), fix(1, 0, 0, 10, 0), fix(2, 50, 4, 10, 180, NOW - 60_000)],
            opts,
        );
        expect(risks).toHaveLength(1);
    });

    it('pairs across the antimeridian', () => {
        const a: VesselFix = { mmsi: 1, lat: -16.8, lon: 179.99, sog: 12, cog: 90, eventTime: NOW };
        const b: VesselFix = { mmsi: 2, lat: -16.8, lon: -179.97, sog: 12, cog: 270, eventTime: NOW };
        expect(findCollisionRisks([a, b], opts)).toHaveLength(1);
    });

    it('output does not depend on the input order', () => {
        const fleet = [
            fix(5, 0, 0, 10, 0),
            fix(3, 0, 4, 10, 180),
            fix(9, 0.3, 2, 10, 270),
            fix(7, -0.3, 2, 10, 90),
        ];
        const a = findCollisionRisks(fleet, opts);
        expect(findCollisionRisks([...fleet].reverse(), opts)).toEqual(a);
        expect(a.map((r) => r.pairId)).toEqual(
            [...a.map((r) => r.pairId)].sort((x, y) => {
                const [xa, xb] = x.split('-').map(Number);
                const [ya, yb] = y.split('-').map(Number);
                return xa! - ya! || xb! - yb!;
            }),
        );
    });

    it('rejects bad options', () => {
        expect(() => findCollisionRisks([], { now: Number.NaN })).toThrow(RangeError);
        expect(() => findCollisionRisks([], { now: NOW, cpaNm: -1 })).toThrow(RangeError);
    });

    it('the grid finds exactly the brute-force risks (property, dense clusters incl. high latitude and ±180)', () => {
        const vessel = fc.record({
            cluster: fc.constantFrom([0, 0], [55, 10], [78, 15], [-10, 179.9], [89.5, 0]),
            x: fc.double({ min: -8, max: 8, noNaN: true }),
            y: fc.double({ min: -8, max: 8, noNaN: true }),
            sog: fc.oneof(fc.double({ min: 0, max: 35, noNaN: true }), fc.constant(0), fc.constant(null)),
            cog: fc.oneof(fc.double({ min: 0, max: 359.99, noNaN: true }), fc.constant(360)),
            ageMs: fc.integer({ min: 0, max: 12 * 60_000 }),
        });
        fc.assert(
            fc.property(
                fc.array(vessel, { minLength: 2, maxLength: 120 }),
                fc.double({ min: 0.1, max: 2, noNaN: true }),
                (vs, cpaNm) => {
                    const fleet = vs.map((v, i) =>
                        fix(100 + i, v.x, v.y, v.sog, v.cog, NOW - v.ageMs, v.cluster[0], v.cluster[1]),
                    );
                    const options = { now: NOW, cpaNm };
                    const { risks, stats } = scanCollisionRisks(fleet, options);
                    expect(risks).toEqual(bruteForce(fleet, options));
                    expect(stats.pairsEvaluated).toBeLessThanOrEqual(stats.candidatePairs);
                },
            ),
            { numRuns: 300 },
        );
    });
});
