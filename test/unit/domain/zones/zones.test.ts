import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { EXAMPLE_USER_ZONES } from '../../../../shared/domain/zones/data/exampleUserZones.js';
import {
    createZoneIndex,
    ECA_ZONES,
    geometryContains,
    normaliseLon,
    parseZoneCollection,
    ZoneDataError,
    type ZoneFeature,
    ZoneIndex,
    zoneTransitions,
} from '../../../../shared/domain/zones/index.js';
import { expectWith } from '../../../helpers/expectWith.js';

const eca = createZoneIndex();
const withUser = createZoneIndex(EXAMPLE_USER_ZONES.features);

describe('compiled zone data', () => {
    it.each([
        ['eca.geojson', ECA_ZONES],
        ['user-zones.example.geojson', EXAMPLE_USER_ZONES],
    ])('the TS module equals shared/data/zones/%s', (file, compiled) => {
        const geojson: unknown = JSON.parse(
            readFileSync(new URL(`../../../../shared/data/zones/${file}`, import.meta.url), 'utf8'),
        );
        expect(compiled).toEqual(geojson);
        expect(parseZoneCollection(geojson)).toHaveLength(compiled.features.length);
    });

    it('every ECA records type, dates, source, licence and precision', () => {
        for (const f of ECA_ZONES.features) {
            const p = f.properties;
            expect(['SECA', 'NECA', 'SECA+NECA']).toContain(p.type);
            expect(p.effective?.sox ?? p.effective?.nox).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            for (const key of ['source', 'licence', 'precision'] as const) expect(p[key]).toBeTruthy();
        }
        expect(ECA_ZONES.features.map((f) => f.properties.id).sort()).toEqual([
            'eca-baltic',
            'eca-mediterranean',
            'eca-north-american-atlantic',
            'eca-north-american-hawaii',
            'eca-north-american-pacific',
            'eca-north-sea',
            'eca-us-caribbean',
        ]);
    });

    it('rings are closed and do not self-intersect (catches transcription slips)', () => {
        const cross = (a: number[], b: number[], c: number[], d: number[]): boolean => {
            const o = (p: number[], q: number[], r: number[]) =>
                Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!));
            return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
        };
        for (const f of [...ECA_ZONES.features, ...EXAMPLE_USER_ZONES.features]) {
            const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
            for (const ring of polys.flat()) {
                expect(ring[0]).toEqual(ring[ring.length - 1]);
                const pts = ring.map((p) => [p[0], p[1]]);
                const n = pts.length - 1;
                for (let i = 0; i < n; i++) {
                    for (let j = i + 2; j < n; j++) {
                        if (i === 0 && j === n - 1) continue;
                        expectWith(
                            cross(pts[i]!, pts[i + 1]!, pts[j]!, pts[j + 1]!),
                            `${f.properties.id} edges ${i}/${j}`,
                        ).toBe(false);
                    }
                }
            }
        }
    });

    it('no two ECAs overlap (0.25° sample grid)', () => {
        for (let lat = -10; lat <= 70; lat += 0.25) {
            for (let lon = -180; lon < 180; lon += 0.25) {
                const ids = eca.zonesAt(lat, lon);
                if (ids.length > 1) throw new Error(`${lat},${lon} in ${ids.join(', ')}`);
            }
        }
    });
});

describe('zonesAt: known positions', () => {
    const at = '2026-01-01T00:00:00Z';
    it.each([
        ['Rotterdam approaches (Maas entrance)', 51.99, 3.95, ['eca-north-sea']],
        ['Dover Strait', 51.0, 1.5, ['eca-north-sea']],
        ['Oslofjord (Skagerrak)', 59.5, 10.6, ['eca-north-sea']],
        ['Skagerrak off Hirtshals', 58.0, 9.5, ['eca-north-sea']],
        ['Western approaches west of 5°W', 49.5, -5.5, []],
        ['Liverpool Bay (Irish Sea, not North Sea area)', 53.6, -3.5, []],
        ['north of 62°N off Norway', 62.5, 3.0, []],
        ['Gdansk, Gulf of Gdansk', 54.45, 18.7, ['eca-baltic']],
        ['Gothenburg approach (Kattegat, south of the Skaw parallel)', 57.68, 11.7, ['eca-baltic']],
        ['Gulf of Finland off Helsinki', 60.0, 25.0, ['eca-baltic']],
        ['Bothnian Bay', 65.0, 23.5, ['eca-baltic']],
        ['New York harbour entrance (Ambrose)', 40.46, -73.83, ['eca-north-american-atlantic']],
        ['Halifax approach', 44.5, -63.4, ['eca-north-american-atlantic']],
        ['Houston approach', 29.3, -94.7, ['eca-north-american-atlantic']],
        ['Miami approach', 25.77, -80.05, ['eca-north-american-atlantic']],
        ['Nassau, Bahamas', 25.08, -77.35, []],
        ['Bermuda', 32.3, -64.8, []],
        ['Los Angeles / Long Beach approach', 33.7, -118.2, ['eca-north-american-pacific']],
        ['Strait of Juan de Fuca', 48.3, -124.0, ['eca-north-american-pacific']],
        ['Gulf of Alaska off Sitka', 57.0, -136.0, ['eca-north-american-pacific']],
        ['Honolulu approach', 21.28, -157.88, ['eca-north-american-hawaii']],
        ['San Juan, Puerto Rico', 18.48, -66.11, ['eca-us-caribbean']],
        ['St Croix, USVI', 17.75, -64.7, ['eca-us-caribbean']],
        ['Marseille', 43.28, 5.33, ['eca-mediterranean']],
        ['Piraeus', 37.93, 23.6, ['eca-mediterranean']],
        ['mid-Atlantic', 35.0, -40.0, []],
        ['Black Sea off Constanta', 44.1, 29.0, []],
        ['Bay of Biscay', 45.0, -3.0, []],
    ])('%s (%f, %f)', (_name, lat, lon, expected) => {
        expect(eca.zonesAt(lat, lon, at)).toEqual(expected);
    });
});

describe('zonesAt: effective dates', () => {
    it('Marseille is in the Mediterranean ECA from 1 May 2025, not in 2024', () => {
        expect(eca.zonesAt(43.28, 5.33, '2024-06-01T00:00:00Z')).toEqual([]);
        expect(eca.zonesAt(43.28, 5.33, Date.UTC(2025, 3, 30, 23, 59))).toEqual([]);
        expect(eca.zonesAt(43.28, 5.33, new Date(Date.UTC(2025, 4, 1)))).toEqual(['eca-mediterranean']);
        expect(eca.zonesAt(43.28, 5.33)).toEqual(['eca-mediterranean']);
    });
    it('per pollutant: the Mediterranean has no NOx designation; the North Sea NECA starts in 2021', () => {
        expect(eca.zonesAt(43.28, 5.33, '2026-01-01', { pollutant: 'nox' })).toEqual([]);
        expect(eca.zonesAt(51.99, 3.95, '2020-06-01', { pollutant: 'nox' })).toEqual([]);
        expect(eca.zonesAt(51.99, 3.95, '2020-06-01', { pollutant: 'sox' })).toEqual(['eca-north-sea']);
        expect(eca.zonesAt(51.99, 3.95, '2021-01-01', { pollutant: 'nox' })).toEqual(['eca-north-sea']);
    });
    it('the North Sea SECA did not exist before 22 Nov 2007; the Baltic did (19 May 2006)', () => {
        expect(eca.zonesAt(51.99, 3.95, '2007-01-01')).toEqual([]);
        expect(eca.zonesAt(54.45, 18.7, '2007-01-01')).toEqual(['eca-baltic']);
    });
    it('user zones honour validFrom / validUntil (exclusive)', () => {
        expect(withUser.zonesAt(-16.8, 179.5, '2024-12-31T23:59:59Z')).toEqual([]);
        expect(withUser.zonesAt(-16.8, 179.5, '2025-06-01T00:00:00Z')).toEqual(['user-fiji-survey']);
        expect(withUser.zonesAt(-16.8, 179.5, '2026-01-01T00:00:00Z')).toEqual([]);
    });
    it('rejects an unparseable time', () => {
        expect(() => eca.zonesAt(0, 0, 'not a date')).toThrow(RangeError);
    });
});

describe('zonesAt: edge cases', () => {
    it('Gibraltar: the Trafalgar-Spartel line bounds the Mediterranean ECA', () => {
        const t = '2026-01-01';
        expect(eca.zonesAt(35.95, -5.6, t)).toEqual(['eca-mediterranean']); // mid-strait off Tarifa
        expect(eca.zonesAt(35.79, -5.81, t)).toEqual(['eca-mediterranean']); // Tangier bay, east of Cape Spartel
        expect(eca.zonesAt(36.13, -5.36, t)).toEqual(['eca-mediterranean']); // Gibraltar / Algeciras
        expect(eca.zonesAt(36.0, -6.1, t)).toEqual([]); // just west of the line
        expect(eca.zonesAt(36.5, -6.4, t)).toEqual([]); // Cadiz approach (Atlantic)
        // 0.01° either side of the midpoint of the closing line
        expect(eca.zonesAt(35.995, -5.968 + 0.01, t)).toEqual(['eca-mediterranean']);
        expect(eca.zonesAt(35.995, -5.968 - 0.03, t)).toEqual([]);
    });
    it('Dardanelles: the Aegean side is in, the strait beyond the closing line is out', () => {
        expect(eca.zonesAt(39.95, 26.0, '2026-01-01')).toEqual(['eca-mediterranean']);
        expect(eca.zonesAt(40.15, 26.4, '2026-01-01')).toEqual([]); // Canakkale narrows
        expect(eca.zonesAt(40.8, 28.0, '2026-01-01')).toEqual([]); // Sea of Marmara
    });
    it('the Skaw: the Baltic stops at 57°44.43′N and the North Sea Skagerrak starts at 57°44.8′N east of the Skaw', () => {
        expect(eca.zonesAt(57.73, 11.0)).toEqual(['eca-baltic']);
        expect(eca.zonesAt(57.7436, 11.0)).toEqual([]); // the 0.37′ strip between the two definitions
        expect(eca.zonesAt(57.76, 11.0)).toEqual(['eca-north-sea']);
    });
    it('holes: the wind-farm service corridor is outside the exclusion area but still in the North Sea ECA', () => {
        expect(withUser.zonesAt(51.7, 2.93)).toEqual(['eca-north-sea', 'user-windfarm-exclusion']);
        expect(withUser.zonesAt(51.7, 3.0)).toEqual(['eca-north-sea']);
        expect(withUser.zonesAt(51.99, 3.95)).toEqual(['eca-north-sea', 'user-rotterdam-approach']);
    });
    it('MultiPolygon split at the antimeridian: both halves and the seam', () => {
        const t = '2025-06-01';
        expect(withUser.zonesAt(-16.8, 179.5, t)).toEqual(['user-fiji-survey']);
        expect(withUser.zonesAt(-16.8, -179.5, t)).toEqual(['user-fiji-survey']);
        expect(withUser.zonesAt(-16.8, 180, t)).toEqual(['user-fiji-survey']);
        expect(withUser.zonesAt(-16.8, -180, t)).toEqual(['user-fiji-survey']);
        expect(withUser.zonesAt(-16.8, 540 - 0.5, t)).toEqual(['user-fiji-survey']); // un-normalised input
        expect(withUser.zonesAt(-16.8, 178.5, t)).toEqual([]);
    });
    it('a ring written across the antimeridian without splitting is unwrapped', () => {
        const zone: ZoneFeature = {
            type: 'Feature',
            properties: { id: 'aleutians', name: 'test', type: 'USER' },
            geometry: {
                type: 'Polygon',
                coordinates: [
                    [
                        [170, 50],
                        [-170, 50],
                        [-170, 55],
                        [170, 55],
                        [170, 50],
                    ],
                    [
                        [178, 52],
                        [-178, 52],
                        [-178, 53],
                        [178, 53],
                        [178, 52],
                    ],
                ],
            },
        };
        const index = new ZoneIndex([zone]);
        expect(index.zonesAt(51, 175)).toEqual(['aleutians']);
        expect(index.zonesAt(51, -175)).toEqual(['aleutians']);
        expect(index.zonesAt(51, 180)).toEqual(['aleutians']);
        expect(index.zonesAt(52.5, 179.9)).toEqual([]); // in the hole, west of 180
        expect(index.zonesAt(52.5, -179.9)).toEqual([]); // in the hole, east of 180
        expect(index.zonesAt(51, 160)).toEqual([]);
        expect(index.zonesAt(51, -160)).toEqual([]);
        expect(geometryContains(zone.geometry, 54, -171)).toBe(true);
    });
    it('invalid positions find nothing', () => {
        expect(eca.zonesAt(Number.NaN, 4)).toEqual([]);
        expect(eca.zonesAt(91, 4)).toEqual([]);
    });
    it('the index agrees with a linear scan over every zone (property)', () => {
        const all = [...ECA_ZONES.features, ...EXAMPLE_USER_ZONES.features];
        fc.assert(
            fc.property(
                fc.double({ min: -60, max: 75, noNaN: true }),
                fc.double({ min: -180, max: 180, noNaN: true }),
                (lat, lon) => {
                    const scan = all
                        .filter((f) => geometryContains(f.geometry, lat, lon))
                        .map((f) => f.properties.id)
                        .sort();
                    expect(withUser.zonesAt(lat, lon)).toEqual(scan);
                },
            ),
            { numRuns: 3000 },
        );
    });
});

describe('normaliseLon', () => {
    it.each([
        [0, 0],
        [180, -180],
        [-180, -180],
        [190, -170],
        [-190, 170],
        [720.5, 0.5],
    ])('%f -> %f', (input, expected) => expect(normaliseLon(input)).toBeCloseTo(expected, 9));
});

describe('zoneTransitions', () => {
    it('reports entered and left zones, sorted, ignoring order and duplicates', () => {
        expect(zoneTransitions(['b', 'a'], ['c', 'a', 'c'])).toEqual({ entered: ['c'], left: ['b'] });
        expect(zoneTransitions([], [])).toEqual({ entered: [], left: [] });
    });
    it('a track from the Atlantic through Gibraltar into the Mediterranean enters the ECA once', () => {
        const track = [
            [36.0, -6.5],
            [36.0, -6.1],
            [35.97, -5.8],
            [36.0, -5.4],
        ] as const;
        const zones = track.map(([lat, lon]) => eca.zonesAt(lat, lon, '2026-01-01'));
        const events = zones.slice(1).map((z, i) => zoneTransitions(zones[i]!, z));
        expect(events.flatMap((e) => e.entered)).toEqual(['eca-mediterranean']);
        expect(events.flatMap((e) => e.left)).toEqual([]);
    });
});

describe('parseZoneCollection', () => {
    it('accepts the example and defaults a missing type to USER', () => {
        const doc = {
            type: 'FeatureCollection',
            features: [
                {
                    type: 'Feature',
                    properties: { id: 'x', name: 'x' },
                    geometry: EXAMPLE_USER_ZONES.features[0]!.geometry,
                },
            ],
        };
        expect(parseZoneCollection(doc)).toHaveLength(1);
    });
    it.each([
        ['not a collection', { type: 'Feature' }],
        [
            'no id',
            {
                type: 'FeatureCollection',
                features: [
                    {
                        type: 'Feature',
                        properties: { name: 'x' },
                        geometry: { type: 'Polygon', coordinates: [] },
                    },
                ],
            },
        ],
        [
            'a point',
            {
                type: 'FeatureCollection',
                features: [
                    {
                        type: 'Feature',
                        properties: { id: 'x', name: 'x' },
                        geometry: { type: 'Point', coordinates: [0, 0] },
                    },
                ],
            },
        ],
        [
            'a short ring',
            {
                type: 'FeatureCollection',
                features: [
                    {
                        type: 'Feature',
                        properties: { id: 'x', name: 'x' },
                        geometry: {
                            type: 'Polygon',
                            coordinates: [
                                [
                                    [0, 0],
                                    [1, 1],
                                    [0, 0],
                                ],
                            ],
                        },
                    },
                ],
            },
        ],
    ])('rejects %s', (_name, doc) => {
        expect(() => parseZoneCollection(doc)).toThrow(ZoneDataError);
    });
    it('the index rejects duplicate ids', () => {
        expect(
            () => new ZoneIndex([...EXAMPLE_USER_ZONES.features, EXAMPLE_USER_ZONES.features[0]!]),
        ).toThrow(/duplicate/);
    });
});
