import { describe, expect, it } from '@jest/globals';

import {
    type SulphurContext,
    sulphurFindings,
    type SulphurReading,
} from '../../../../shared/domain/compliance/index.js';
import { createZoneIndex } from '../../../../shared/domain/zones/index.js';

const H = 3_600_000;
const DAY0 = Date.UTC(2026, 10, 24);
const window = { start: DAY0, end: DAY0 + 24 * H };
const zones = createZoneIndex();
const ecaAt: SulphurContext['ecaAt'] = (lat, lon, t) => {
    const id = zones.zonesAt(lat, lon, t, { pollutant: 'sox' })[0];
    return id === undefined ? undefined : { id, name: zones.properties(id)!.name };
};
const NORTH_SEA = { lat: 54.5, lon: 4.0 };
const BISCAY = { lat: 45.5, lon: -5.0 }; // outside every ECA
const r = (
    t: number,
    valuePct: number,
    pos: { lat: number; lon: number } | null = NORTH_SEA,
): SulphurReading => ({
    mmsi: 7,
    sensorId: 'fuel-s',
    t,
    valuePct,
    ...(pos ?? {}),
});

describe('sulphurFindings', () => {
    it('0.10 % is the cap inside the North Sea ECA: 0.10 passes, 0.12 is a finding per day and zone', () => {
        const readings = [r(DAY0 + H, 0.1), r(DAY0 + 2 * H, 0.12), r(DAY0 + 3 * H, 0.15)];
        const [f, ...rest] = sulphurFindings(7, readings, window, { ecaAt });
        expect(rest).toEqual([]);
        expect(f!.id).toBe('sulphur-eca:7:eca-north-sea:2026-11-24');
        expect(f!.severity).toBe('critical');
        expect(f!.evidence).toMatchObject({ capPct: 0.1, readingsAboveCap: 2, maxPct: 0.15, meanPct: 0.135 });
        expect(f!.evidence.source).toContain('reg. 14.4');
        expect(f!.firstSeen).toBe(DAY0 + 2 * H);
        expect(f!.lastSeen).toBe(DAY0 + 3 * H);
    });

    it('outside ECAs the cap is 0.50 %; a reading without a position is judged against it', () => {
        const readings = [
            r(DAY0 + H, 0.45, BISCAY),
            r(DAY0 + 2 * H, 0.6, BISCAY),
            r(DAY0 + 3 * H, 0.7, null),
        ];
        const [f] = sulphurFindings(7, readings, window, { ecaAt });
        expect(f!.id).toBe('sulphur-global:7:2026-11-24');
        expect(f!.evidence).toMatchObject({ capPct: 0.5, readingsAboveCap: 2, readingsWithoutPosition: 1 });
    });

    it('time in the zone from the fixes, and fuel burned there from gold emissions pro rata, with the excess SO2', () => {
        // Fixes every 30 min from 00:00 to 12:00 inside the ECA, then 12:00-18:00 outside (Biscay is far, but only
        // the in/out matters here).
        const fixes = [];
        for (let t = DAY0; t <= DAY0 + 12 * H; t += H / 2) fixes.push({ t, ...NORTH_SEA });
        for (let t = DAY0 + 12.5 * H; t <= DAY0 + 18 * H; t += H / 2) fixes.push({ t, ...BISCAY });
        const fuelByDay = new Map([['2026-11-24', { date: '2026-11-24', fuelTonnes: 36 }]]);
        const [f] = sulphurFindings(7, [r(DAY0 + 2 * H, 0.2)], window, {
            ecaAt,
            track: { mmsi: 7, fixes },
            fuelByDay,
        });
        // Inside: 00:00-12:00 = 12 h; covered: 00:00-12:00 and 12:30-18:00 (the 12:00-12:30 leg crosses out) = 17.5 h.
        expect(f!.evidence.hoursInZoneThatDay).toBe(12);
        expect(f!.evidence.hoursCoveredByFixes).toBe(18);
        // 36 t x 12 / 18 = 24 t; excess SO2 = 24 x (0.20 - 0.10) / 100 x 2 = 0.048 t.
        expect(f!.evidence.fuelBurnedInZoneTonnes).toBe(24);
        expect(f!.evidence.excessSo2Tonnes).toBe(0.048);
    });

    it('prefers the fuel the emission model split by zone', () => {
        const fuelByDay = new Map([
            ['2026-11-24', { date: '2026-11-24', fuelTonnes: 36, fuelTonnesByZone: { 'eca-north-sea': 10 } }],
        ]);
        const [f] = sulphurFindings(7, [r(DAY0 + 2 * H, 0.2)], window, { ecaAt, fuelByDay });
        expect(f!.evidence.fuelBurnedInZoneTonnes).toBe(10);
        expect(f!.evidence.fuelMethod).toContain('inside the zone');
    });

    it('readings of another vessel or outside the window are ignored; one finding per day', () => {
        const readings = [
            r(DAY0 - 1, 0.3),
            r(DAY0 + 24 * H, 0.3),
            { ...r(DAY0 + H, 0.3), mmsi: 8 },
            r(DAY0 + 23 * H, 0.3),
        ];
        const found = sulphurFindings(7, readings, window, { ecaAt });
        expect(found).toHaveLength(1);
        expect(found[0]!.firstSeen).toBe(DAY0 + 23 * H);
    });
});
