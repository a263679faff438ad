import { describe, expect, it } from '@jest/globals';

import {
    darkGapFindings,
    type PortLocation,
    type TrackFix,
} from '../../../../shared/domain/compliance/index.js';
import { haversineNm } from '../../../../shared/domain/geo/geo.js';
import { offsetPosition } from '../../../helpers/factories.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 24, 0, 0, 0); // 2026-11-24T00:00Z
const DAY = { start: T0, end: T0 + 24 * H };
// Rotterdam; the open-sea positions below are > 50 NM from it.
const PORTS: PortLocation[] = [{ locode: 'NLRTM', name: 'Rotterdam', lat: 51.95, lon: 4.05, radiusNm: 5 }];
/** The window from T0 to `end` (the data runs to its end). */
const until = (end: number) => ({ start: T0, end });
const SEA = { lat: 55.0, lon: 3.0 }; // central North Sea, ~190 NM from Rotterdam

const fix = (t: number, lat = SEA.lat, lon = SEA.lon, extra: Partial<TrackFix> = {}): TrackFix => ({
    t,
    lat,
    lon,
    sog: 12,
    navStatus: 0,
    ...extra,
});

describe('darkGapFindings', () => {
    it('a 7 h silence at sea is a warning with start, end and distance', () => {
        const fixes = [
            fix(T0 + 1 * H),
            fix(T0 + 2 * H),
            fix(T0 + 9 * H, 55.5, 3.5),
            fix(T0 + 10 * H, 55.6, 3.6),
        ];
        const [f, ...rest] = darkGapFindings({ mmsi: 1, fixes }, until(T0 + 11 * H), PORTS);
        expect(rest).toEqual([]);
        expect(f!.id).toBe('ais-dark-gap:1:20261124T020000Z');
        expect(f!.severity).toBe('warning');
        expect(f!.firstSeen).toBe(T0 + 2 * H);
        expect(f!.lastSeen).toBe(T0 + 9 * H);
        expect(f!.evidence.gapHours).toBe(7);
        expect(f!.evidence.distanceNm).toBeCloseTo(haversineNm(55, 3, 55.5, 3.5), 2);
        expect(f!.evidence.suspectedDisabling).toBe(false);
        expect(f!.evidence.source).toContain('SOLAS V/19.2.4.7');
    });

    it('5 h 59 min is not a gap; exactly 6 h is', () => {
        const short = [fix(T0 + H), fix(T0 + 7 * H - 60_000)];
        expect(darkGapFindings({ mmsi: 1, fixes: short }, until(T0 + 7 * H), PORTS)).toEqual([]);
        const six = [fix(T0 + H), fix(T0 + 7 * H)];
        expect(darkGapFindings({ mmsi: 1, fixes: six }, until(T0 + 8 * H), PORTS)).toHaveLength(1);
    });

    it('>= 12 h with both ends > 50 NM from the nearest port is a suspected disabling (critical)', () => {
        const fixes = [fix(T0 + H), fix(T0 + 14 * H, 56, 4)];
        const [f] = darkGapFindings({ mmsi: 2, fixes }, until(T0 + 15 * H), PORTS);
        expect(f!.severity).toBe('critical');
        expect(f!.evidence.suspectedDisabling).toBe(true);
        expect((f!.evidence.nearestPortAtStart as { locode: string }).locode).toBe('NLRTM');
    });

    it('12 h but ending near a port stays a plain gap', () => {
        const fixes = [fix(T0 + H), fix(T0 + 14 * H, 52.2, 3.6)]; // ~20 NM off Rotterdam
        const [f] = darkGapFindings({ mmsi: 2, fixes }, until(T0 + 15 * H), PORTS);
        expect(f!.severity).toBe('warning');
        expect(f!.evidence.suspectedDisabling).toBe(false);
    });

    it('no finding when the silence starts in port or moored', () => {
        const inPort = [fix(T0 + H, 51.96, 4.06), fix(T0 + 10 * H)];
        const moored = [fix(T0 + H, SEA.lat, SEA.lon, { navStatus: 5 }), fix(T0 + 10 * H)];
        expect(darkGapFindings({ mmsi: 3, fixes: inPort }, until(T0 + 11 * H), PORTS)).toEqual([]);
        expect(darkGapFindings({ mmsi: 3, fixes: moored }, until(T0 + 11 * H), PORTS)).toEqual([]);
    });

    it("in port is the nearest port's own area (radius_nm): a silence at anchor just outside it is a finding", () => {
        const ports: PortLocation[] = [
            { locode: 'NLRTM', name: 'Rotterdam', lat: 51.95, lon: 4.05, radiusNm: 3 },
            { locode: 'DEHAM', name: 'Hamburg', lat: 53.55, lon: 9.97, radiusNm: 8 },
        ];
        const near = (northNm: number, port: PortLocation) => offsetPosition(0, northNm, port.lat, port.lon);
        const silentFrom = (p: { lat: number; lon: number }, extra: Partial<TrackFix> = {}) => [
            fix(T0 + H, p.lat, p.lon, extra),
            fix(T0 + 10 * H),
        ];
        const [rotterdam, hamburg] = ports as [PortLocation, PortLocation];
        // 2 NM from Rotterdam: inside its 3 NM area, in port.
        expect(
            darkGapFindings({ mmsi: 7, fixes: silentFrom(near(2, rotterdam)) }, until(T0 + 11 * H), ports),
        ).toEqual([]);
        // 4 NM off Rotterdam, at anchor (status 1): outside its area, so the silence counts (AIS stays on at anchor).
        const anchored = near(4, rotterdam);
        expect(haversineNm(anchored.lat, anchored.lon, rotterdam.lat, rotterdam.lon)).toBeCloseTo(4, 1);
        const [f, ...rest] = darkGapFindings(
            { mmsi: 7, fixes: silentFrom(anchored, { navStatus: 1, sog: 0 }) },
            until(T0 + 11 * H),
            ports,
        );
        expect(rest).toEqual([]);
        expect(f!.evidence.nearestPortAtStart).toEqual({
            locode: 'NLRTM',
            name: 'Rotterdam',
            distanceNm: 4,
            radiusNm: 3,
        });
        // 6 NM from Hamburg's position: inside its 8 NM area, in port.
        expect(
            darkGapFindings({ mmsi: 8, fixes: silentFrom(near(6, hamburg)) }, until(T0 + 11 * H), ports),
        ).toEqual([]);
    });

    it('a gap that starts before midnight belongs to the day it ends in, anchored at its start', () => {
        const fixes = [fix(T0 - 3 * H), fix(T0 + 5 * H)]; // 21:00 the day before to 05:00
        const [f] = darkGapFindings({ mmsi: 4, fixes }, until(T0 + 6 * H), PORTS);
        expect(f!.id).toBe('ais-dark-gap:4:20261123T210000Z');
        expect(f!.evidence.gapHours).toBe(8);
        // The day before sees only 3 h of silence up to its end: nothing yet.
        expect(darkGapFindings({ mmsi: 4, fixes }, { start: T0 - 24 * H, end: T0 }, PORTS)).toEqual([]);
    });

    it('a vessel still silent at the window end is an ongoing gap, updated by the next window under the same id', () => {
        const fixes = [fix(T0 + 15 * H), fix(T0 + 27 * H, 55.2, 3.1)];
        const [today] = darkGapFindings({ mmsi: 5, fixes }, DAY, PORTS);
        expect(today!.ongoing).toBe(true);
        expect(today!.lastSeen).toBe(DAY.end);
        expect(today!.evidence.end).toBeNull();
        const [tomorrow] = darkGapFindings(
            { mmsi: 5, fixes },
            { start: DAY.end, end: DAY.end + 24 * H },
            PORTS,
        );
        expect(tomorrow!.id).toBe(today!.id);
        expect(tomorrow!.ongoing).toBeUndefined();
        expect(tomorrow!.evidence.gapHours).toBe(12);
    });

    it("a silence still going on is measured up to how far the feed reaches (heardUntil), when that is before the window's end", () => {
        const fixes = [fix(T0 + H)];
        // the feed (every vessel) has delivered up to 05:00 so far: 4 h of silence, not 23
        expect(darkGapFindings({ mmsi: 7, fixes }, { ...DAY, heardUntil: T0 + 5 * H }, PORTS)).toEqual([]);
        const [f] = darkGapFindings({ mmsi: 7, fixes }, { ...DAY, heardUntil: T0 + 8 * H }, PORTS);
        expect(f).toMatchObject({ ongoing: true, firstSeen: T0 + H, lastSeen: T0 + 8 * H });
        expect(f!.evidence.gapHours).toBe(7);
        // never past the window's end
        expect(
            darkGapFindings({ mmsi: 7, fixes }, { ...DAY, heardUntil: DAY.end + 5 * H }, PORTS)[0]!.lastSeen,
        ).toBe(DAY.end);
        // a feed that delivered nothing since before the window: no silence of this window's
        const yesterday = [fix(T0 - 20 * H)];
        expect(
            darkGapFindings({ mmsi: 7, fixes: yesterday }, { ...DAY, heardUntil: T0 - 2 * H }, PORTS),
        ).toEqual([]);
        // a gap that ended (its next fix arrived) is measured as before
        const ended = [fix(T0 + H), fix(T0 + 9 * H)];
        expect(
            darkGapFindings({ mmsi: 7, fixes: ended }, { ...DAY, heardUntil: T0 + 9 * H }, PORTS).map((g) => [
                g.ongoing === true,
                g.evidence.gapHours,
            ]),
        ).toEqual([[false, 8]]);
    });

    it('gaps that ended before the window are left to their own window; jump-flagged fixes are not end points', () => {
        const fixes = [
            fix(T0 - 20 * H),
            fix(T0 - 10 * H),
            fix(T0 + H),
            fix(T0 + 3 * H, 55, 3, { jump: true }),
            fix(T0 + 8 * H),
        ];
        const found = darkGapFindings({ mmsi: 6, fixes }, DAY, PORTS);
        expect(found.map((f) => f.firstSeen)).toEqual([T0 - 10 * H, T0 + H, T0 + 8 * H]);
        expect(found.map((f) => f.ongoing === true)).toEqual([false, false, true]);
    });
});
