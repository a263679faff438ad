import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import {
    inSeason,
    parseSpeedZones,
    SpeedZoneDataError,
    speedZoneFindings,
    type TrackFix,
} from '../../../../shared/domain/compliance/index.js';
import { haversineNm } from '../../../../shared/domain/geo/geo.js';

const file = JSON.parse(
    readFileSync(new URL('../../../../config/speed-zones.json', import.meta.url), 'utf8'),
) as unknown;
const zones = parseSpeedZones(file);
const M = 60_000;

/** Fixes every 2 min heading east along 30.5°N (inside the Southeast SMA west of 80°51.6'W), at `sog`. */
function eastbound(t0: number, lon0: number, sogs: number[]): TrackFix[] {
    let lon = lon0;
    return sogs.map((sog, i) => {
        const f = { t: t0 + i * 2 * M, lat: 30.5, lon, sog };
        lon += (sog * (2 / 60)) / (60 * Math.cos((30.5 * Math.PI) / 180));
        return f;
    });
}

describe('config/speed-zones.json', () => {
    it('parses, and every zone says where its geometry comes from and how exact it is', () => {
        expect(zones.zones.length).toBeGreaterThanOrEqual(7);
        for (const z of zones.zones) {
            expect(z.geometrySource.length).toBeGreaterThan(20);
            expect(z.precision.length).toBeGreaterThan(20);
            expect(z.source).toMatch(/50 CFR 224\.105/);
            expect(z.limitKn).toBe(10);
            expect(z.appliesTo.minLengthM).toBe(19.8);
        }
    });

    it('lists every problem of a bad file at once', () => {
        const bad = {
            version: 'x',
            zones: [
                {
                    id: 'a',
                    limitKn: 0,
                    seasons: [{ from: '13-01', to: '01-01' }],
                    geometry: { type: 'Point' },
                },
            ],
        };
        expect(() => parseSpeedZones(bad)).toThrow(SpeedZoneDataError);
        expect(() => parseSpeedZones(bad)).toThrow(/limitKn[\s\S]*season[\s\S]*geometry/);
    });
});

describe('inSeason', () => {
    const se = { from: '11-15', to: '04-15' };
    it('wraps over the year end (a year change inside the season)', () => {
        expect(inSeason(Date.UTC(2026, 11, 31, 23, 59), se)).toBe(true);
        expect(inSeason(Date.UTC(2027, 0, 1, 0, 0), se)).toBe(true);
        expect(inSeason(Date.UTC(2027, 3, 15, 23, 59), se)).toBe(true);
        expect(inSeason(Date.UTC(2027, 3, 16, 0, 0), se)).toBe(false);
        expect(inSeason(Date.UTC(2026, 10, 14, 23, 59), se)).toBe(false);
    });
    it('a season inside one year', () => {
        expect(inSeason(Date.UTC(2027, 4, 15), { from: '01-01', to: '05-15' })).toBe(true);
        expect(inSeason(Date.UTC(2027, 4, 16), { from: '01-01', to: '05-15' })).toBe(false);
    });
});

describe('speedZoneFindings', () => {
    const t0 = Date.UTC(2026, 11, 1, 10, 0); // 1 Dec: in season
    const window = { start: Date.UTC(2026, 11, 1), end: Date.UTC(2026, 11, 2) };

    it('a vessel that enters the SMA fast, slows down inside and leaves: the fast stretch with distance, duration and max', () => {
        // 81.2°W is inside (east limit 80.86°W); 15 kn for 5 fixes (8 min), then 9 kn.
        const fixes = eastbound(t0, -81.2, [15, 15, 16.5, 15, 15, 9, 9, 9]);
        const [f, ...rest] = speedZoneFindings({ mmsi: 9, lengthM: 200, fixes }, window, zones);
        expect(rest).toEqual([]);
        expect(f!.check).toBe('speed-zone');
        expect(f!.id).toBe('speed-zone:9:narw-sma-southeast:20261201T100000Z');
        expect(f!.evidence.maxSpeedKn).toBe(16.5);
        expect(f!.evidence.durationMinutes).toBe(8);
        expect(f!.evidence.fixes).toBe(5);
        let d = 0;
        for (let i = 1; i < 5; i++)
            d += haversineNm(fixes[i - 1]!.lat, fixes[i - 1]!.lon, fixes[i]!.lat, fixes[i]!.lon);
        expect(f!.evidence.distanceNm).toBeCloseTo(d, 2);
        expect(f!.evidence.source).toMatch(/50 CFR 224\.105/);
        expect(f!.ongoing).toBeUndefined();
    });

    it('the stretch ends where the vessel leaves the zone, though it keeps its speed', () => {
        // Starts 2.5' west of the east limit (80.86°W) at 15 kn: 0.5 NM per 2 min, so it leaves after ~4 fixes.
        const fixes = eastbound(t0, -80.9, [15, 15, 15, 15, 15, 15, 15, 15, 15, 15]);
        const [f] = speedZoneFindings({ mmsi: 9, lengthM: 200, fixes }, window, zones);
        const exit = f!.evidence.exit as { lon: number };
        expect(exit.lon).toBeLessThanOrEqual(-80.86);
        expect(f!.evidence.fixes).toBeLessThan(fixes.length);
    });

    it('no finding out of season, for a vessel under 19.8 m, of unknown length, or at 10 kn exactly', () => {
        const april16 = Date.UTC(2027, 3, 16, 10);
        expect(
            speedZoneFindings(
                { mmsi: 9, lengthM: 200, fixes: eastbound(april16, -81.2, [15, 15, 15, 15, 15]) },
                { start: april16 - 10 * 3_600_000, end: april16 + 3_600_000 },
                zones,
            ),
        ).toEqual([]);
        const fast = eastbound(t0, -81.2, [15, 15, 15, 15, 15]);
        expect(speedZoneFindings({ mmsi: 9, lengthM: 19.7, fixes: fast }, window, zones)).toEqual([]);
        expect(speedZoneFindings({ mmsi: 9, fixes: fast }, window, zones)).toEqual([]);
        expect(
            speedZoneFindings(
                { mmsi: 9, lengthM: 19.8, fixes: eastbound(t0, -81.2, [10, 10, 10, 10, 10]) },
                window,
                zones,
            ),
        ).toEqual([]);
        expect(speedZoneFindings({ mmsi: 9, lengthM: 19.8, fixes: fast }, window, zones)).toHaveLength(1);
    });

    it('a single fast report, or less than the minimum duration, is not sustained', () => {
        expect(
            speedZoneFindings(
                { mmsi: 9, lengthM: 50, fixes: eastbound(t0, -81.2, [9, 15, 9, 9]) },
                window,
                zones,
            ),
        ).toEqual([]);
        expect(
            speedZoneFindings(
                { mmsi: 9, lengthM: 50, fixes: eastbound(t0, -81.2, [15, 15, 9]) },
                window,
                zones,
            ),
        ).toEqual([]);
    });

    it('across the year change inside the season: one stretch, anchored at its start, ongoing at the end of the data', () => {
        const start = Date.UTC(2026, 11, 31, 23, 54);
        const fixes = eastbound(start, -81.3, [14, 14, 14, 14, 14, 14]); // 23:54 to 00:04
        const jan1 = { start: Date.UTC(2027, 0, 1), end: Date.UTC(2027, 0, 2) };
        const [f] = speedZoneFindings({ mmsi: 9, lengthM: 90, fixes }, jan1, zones);
        expect(f!.id).toBe('speed-zone:9:narw-sma-southeast:20261231T235400Z');
        expect(f!.evidence.durationMinutes).toBe(10);
        expect(f!.ongoing).toBe(true);
    });

    it('uses the implied speed where SOG is missing', () => {
        const fixes = eastbound(t0, -81.2, [15, 15, 15, 15, 15]).map(({ sog: _s, ...f }) => f);
        const [f] = speedZoneFindings({ mmsi: 9, lengthM: 90, fixes }, window, zones);
        expect(f!.evidence.maxSpeedKn).toBeCloseTo(15, 0);
        expect(f!.evidence.fixes).toBe(4); // the first fix has no previous one
    });
});
