import { describe, expect, it } from '@jest/globals';

import { imoFindings, spoofingFindings, type TrackFix } from '../../../../shared/domain/compliance/index.js';

const M = 60_000;
const T0 = Date.UTC(2026, 10, 24, 8);
const window = { start: Date.UTC(2026, 10, 24), end: Date.UTC(2026, 10, 25) };

/** A plausible track: every 5 min, 1 NM further north (12 kn). */
const steady = (t0: number, n: number, lat0 = 50, lon = -20): TrackFix[] =>
    Array.from({ length: n }, (_, i) => ({ t: t0 + i * 5 * M, lat: lat0 + i / 60, lon }));

describe('spoofingFindings', () => {
    it('a clean track gives nothing', () => {
        expect(spoofingFindings({ mmsi: 1, fixes: steady(T0, 20) }, window)).toEqual([]);
    });

    it('jumps less than an hour apart are one incident; a later one is another', () => {
        const fixes = steady(T0, 30);
        // Two bad fixes 300 NM off, at 08:20 and 08:50, and one at 10:20.
        for (const i of [4, 10, 28]) fixes[i] = { ...fixes[i]!, lat: fixes[i]!.lat + 5 };
        const found = spoofingFindings({ mmsi: 2, fixes }, window);
        // Each bad fix makes two jumps (there and back).
        expect(found.map((f) => [f.check, f.evidence.jumps])).toEqual([
            ['spoofing-jumps', 4],
            ['spoofing-jumps', 2],
        ]);
        expect(found[0]!.id).toBe('spoofing-jumps:2:20261124T082000Z');
        expect(found[0]!.evidence.maxImpliedSpeedKn as number).toBeGreaterThan(50);
    });

    it('two transmitters alternating under one MMSI are two simultaneous tracks, not a pile of jumps', () => {
        const a = steady(T0, 12, 50, -20);
        const b = steady(T0 + 2 * M, 12, 40, -30); // ~600 NM away, also 12 kn
        const fixes = [...a, ...b].sort((x, y) => x.t - y.t);
        const found = spoofingFindings({ mmsi: 3, fixes }, window);
        expect(found.map((f) => f.check)).toEqual(['identity-simultaneous-tracks']);
        const [f] = found;
        expect(f!.severity).toBe('critical');
        expect(f!.evidence).toMatchObject({ fixesTrackA: 12, fixesTrackB: 12 });
        expect((f!.evidence.separationNm as { min: number }).min).toBeGreaterThan(500);
        expect(f!.firstSeen).toBe(T0 + 2 * M);
    });
});

describe('imoFindings', () => {
    it('an IMO that fails the check digit', () => {
        const [f] = imoFindings([{ mmsi: 5, imo: 9134271, firstT: T0, lastT: T0 + M }], window);
        expect(f!.id).toBe('identity-invalid-imo:5:9134271');
        expect(f!.evidence.source).toContain('A.1117(30)');
    });

    it('one IMO used by two MMSIs at the same time, per MMSI; a hand-over (no overlap) is not a finding', () => {
        const found = imoFindings(
            [
                { mmsi: 5, imo: 9134270, firstT: T0, lastT: T0 + 60 * M },
                { mmsi: 6, imo: 9134270, firstT: T0 + 30 * M, lastT: T0 + 90 * M },
                { mmsi: 7, imo: 9383663, firstT: T0, lastT: T0 + 10 * M },
                { mmsi: 8, imo: 9383663, firstT: T0 + 20 * M, lastT: T0 + 30 * M },
            ],
            window,
        );
        expect(found.map((f) => f.id)).toEqual([
            'identity-reused-imo:5:9134270',
            'identity-reused-imo:6:9134270',
        ]);
    });
});
