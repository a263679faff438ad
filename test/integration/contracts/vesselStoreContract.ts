/**
 * Behaviour every VesselStateStore must have; run against the in-memory fake and the Cosmos adapter so the fake
 * used by use-case tests cannot drift from the real store.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import type { TrackPoint, VesselState, VesselStateStore, VesselWrite } from '../../../shared/app/ports.js';

export interface StoreUnderTest {
    store: VesselStateStore;
    dispose(): Promise<void>;
}

const H = 3_600_000;
/** One track bucket (TRACK_BUCKET_MS). */
const B = 600_000;
const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

export function vesselState(mmsi: number, patch: Partial<VesselState> = {}): VesselState {
    return {
        mmsi,
        flag: 'NO',
        mmsiClass: 'ship',
        aisClass: 'A',
        position: { eventTime: T0, lat: 60, lon: 5, sog: 10.5, cog: 90, cell: '871f1d489ffffff' },
        static: { eventTime: T0, name: `VESSEL ${mmsi}`, shipType: 70, shipCategory: 'cargo' },
        lastSeen: T0,
        updatedAt: T0 + 1000,
        ...patch,
    };
}

function points(...ts: number[]): TrackPoint[] {
    return ts.map((t, i) => ({ t, lat: 60 + i / 1000, lon: 5, sog: 10 }));
}

function create(state: VesselState, trackBuckets: VesselWrite['trackBuckets'] = []): VesselWrite {
    return { mmsi: state.mmsi, state, expectedEtag: null, trackBuckets };
}

export function describeVesselStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
    describe(`VesselStateStore contract: ${name}`, () => {
        let sut: StoreUnderTest;
        let store: VesselStateStore;

        beforeEach(async () => {
            sut = await make();
            store = sut.store;
        });

        afterEach(async () => {
            await sut.dispose();
        });

        it('creates a state when the expected etag is null and returns it with an etag', async () => {
            const s = vesselState(257_000_001);

            expect(await store.write([create(s)])).toMatchObject([{ mmsi: s.mmsi, status: 'ok' }]);

            const states = await store.getStates([s.mmsi, 257_000_999]);
            expect([...states.keys()]).toEqual([s.mmsi]);
            const { etag, ...stored } = states.get(s.mmsi)!;
            expect(stored).toEqual(s);
            expect(typeof etag).toBe('string');
            expect(etag.length).toBeGreaterThan(0);
        });

        it('replaces with the current etag and rejects a stale etag as a conflict that writes nothing', async () => {
            const mmsi = 257_000_002;
            await store.write([create(vesselState(mmsi))]);
            const etag1 = (await store.getStates([mmsi])).get(mmsi)!.etag;

            const next = vesselState(mmsi, { lastSeen: T0 + 60_000 });
            expect(
                await store.write([{ mmsi, state: next, expectedEtag: etag1, trackBuckets: [] }]),
            ).toMatchObject([{ mmsi, status: 'ok' }]);
            const etag2 = (await store.getStates([mmsi])).get(mmsi)!.etag;
            expect(etag2).not.toBe(etag1);

            const stale: VesselWrite = {
                mmsi,
                state: vesselState(mmsi, { lastSeen: T0 + 120_000 }),
                expectedEtag: etag1,
                trackBuckets: [{ bucketStart: T0, points: points(T0 + 5), expectedEtag: null }],
            };
            expect(await store.write([stale])).toMatchObject([{ mmsi, status: 'conflict' }]);
            const after = (await store.getStates([mmsi])).get(mmsi)!;
            expect(after.lastSeen).toBe(T0 + 60_000);
            expect(after.etag).toBe(etag2);
            expect(await store.getTrack(mmsi, T0, T0 + H)).toEqual([]);
        });

        it('reports a conflict when creating a state that already exists', async () => {
            const mmsi = 257_000_003;
            await store.write([create(vesselState(mmsi))]);
            expect(await store.write([create(vesselState(mmsi, { lastSeen: T0 + 1 }))])).toMatchObject([
                { mmsi, status: 'conflict' },
            ]);
            expect((await store.getStates([mmsi])).get(mmsi)!.lastSeen).toBe(T0);
        });

        it('writes results in input order, conflicts only for the affected vessels', async () => {
            await store.write([create(vesselState(257_000_010))]);
            const results = await store.write([
                create(vesselState(257_000_011)),
                create(vesselState(257_000_010)),
                create(vesselState(257_000_012)),
            ]);
            expect(results).toMatchObject([
                { mmsi: 257_000_011, status: 'ok' },
                { mmsi: 257_000_010, status: 'conflict' },
                { mmsi: 257_000_012, status: 'ok' },
            ]);
        });

        it('creates a track bucket without a state; creating the same bucket again is a conflict', async () => {
            const mmsi = 257_000_004;
            const w: VesselWrite = {
                mmsi,
                expectedEtag: null,
                trackBuckets: [{ bucketStart: T0, points: points(T0 + 1000, T0 + 2000), expectedEtag: null }],
            };

            expect(await store.write([w])).toMatchObject([{ mmsi, status: 'ok' }]);
            expect(await store.write([w])).toMatchObject([{ mmsi, status: 'conflict' }]);

            expect((await store.getTrack(mmsi, T0, T0 + H)).map((p) => p.t)).toEqual([T0 + 1000, T0 + 2000]);
            expect(await store.getStates([mmsi])).toEqual(new Map());
            const vessel = (await store.getVessels([mmsi], [T0])).get(mmsi)!;
            expect(vessel.state).toBeUndefined();
            expect([...vessel.buckets.keys()]).toEqual([T0]);
        });

        it('replaces a bucket with its etag and rejects a stale bucket etag as a conflict that writes nothing', async () => {
            const mmsi = 257_000_007;
            await store.write([
                create(vesselState(mmsi), [
                    { bucketStart: T0, points: points(T0 + 1000), expectedEtag: null },
                ]),
            ]);
            const read1 = (await store.getVessels([mmsi], [T0])).get(mmsi)!;
            const bucket1 = read1.buckets.get(T0)!;
            expect(bucket1).toEqual({ bucketStart: T0, points: points(T0 + 1000), etag: expect.any(String) });

            const merged = points(T0 + 1000, T0 + 2000);
            expect(
                await store.write([
                    {
                        mmsi,
                        expectedEtag: null,
                        trackBuckets: [{ bucketStart: T0, points: merged, expectedEtag: bucket1.etag }],
                    },
                ]),
            ).toMatchObject([{ mmsi, status: 'ok' }]);
            const read2 = (await store.getVessels([mmsi], [T0])).get(mmsi)!;
            const bucket2 = read2.buckets.get(T0)!;
            expect(bucket2.points).toEqual(merged);
            expect(bucket2.etag).not.toBe(bucket1.etag);
            expect(read2.state!.etag).toBe(read1.state!.etag); // the state document was left alone

            // The stale bucket comes first: the local Cosmos-protocol server does not roll back operations that
            // succeeded before the failing one (Cosmos DB does), and the adapter puts the state operation first.
            const stale: VesselWrite = {
                mmsi,
                expectedEtag: null,
                trackBuckets: [
                    { bucketStart: T0, points: points(T0 + 1000, T0 + 3000), expectedEtag: bucket1.etag },
                    { bucketStart: T0 + H, points: points(T0 + H + 1), expectedEtag: null },
                ],
            };
            expect(await store.write([stale])).toMatchObject([{ mmsi, status: 'conflict' }]);
            const read3 = (await store.getVessels([mmsi], [T0, T0 + H])).get(mmsi)!;
            expect([...read3.buckets.keys()]).toEqual([T0]);
            expect(read3.buckets.get(T0)).toEqual(bucket2);
        });

        it('reports a conflict when replacing a bucket that does not exist', async () => {
            const mmsi = 257_000_008;
            const w: VesselWrite = {
                mmsi,
                expectedEtag: null,
                trackBuckets: [{ bucketStart: T0, points: points(T0), expectedEtag: '"gone"' }],
            };
            expect(await store.write([w])).toMatchObject([{ mmsi, status: 'conflict' }]);
            expect(await store.getVessels([mmsi], [T0])).toEqual(new Map());
        });

        it('reads states and only the asked track buckets in getVessels', async () => {
            const [a, b, c] = [257_000_020, 257_000_021, 257_000_022];
            await store.write([
                create(vesselState(a), [
                    { bucketStart: T0 - H, points: points(T0 - H + 1), expectedEtag: null },
                    { bucketStart: T0, points: points(T0 + 1), expectedEtag: null },
                    { bucketStart: T0 + B, points: points(T0 + B + 1), expectedEtag: null },
                    { bucketStart: T0 + H, points: points(T0 + H + 1), expectedEtag: null },
                ]),
                create(vesselState(b)),
                {
                    mmsi: c,
                    expectedEtag: null,
                    trackBuckets: [{ bucketStart: T0 - H, points: points(T0 - H), expectedEtag: null }],
                },
            ]);
            const states = await store.getStates([a, b]);

            const got = await store.getVessels([a, b, c, a, 257_000_999], [T0, T0 + H, T0 + 5 * H]);

            expect([...got.keys()].sort()).toEqual([a, b]); // c has only a bucket not asked for
            const va = got.get(a)!;
            expect(va.state).toEqual(states.get(a));
            expect([...va.buckets.keys()].sort()).toEqual([T0, T0 + H]);
            expect(va.buckets.get(T0 + H)).toEqual({
                bucketStart: T0 + H,
                points: points(T0 + H + 1),
                etag: expect.any(String),
            });
            expect(got.get(b)).toEqual({ state: states.get(b), buckets: new Map() });

            const statesOnly = await store.getVessels([a, c], []);
            expect([...statesOnly.keys()]).toEqual([a]);
            expect(statesOnly.get(a)!.buckets.size).toBe(0);
            expect((await store.getVessels([c], [T0 - H])).get(c)!.buckets.get(T0 - H)!.points).toEqual(
                points(T0 - H),
            );
            expect(await store.getVessels([], [T0])).toEqual(new Map());
        });

        it('returns the track in a range across buckets: from floored to its bucket, sorted', async () => {
            const mmsi = 257_000_005;
            const M = 60_000;
            await store.write([
                create(vesselState(mmsi), [
                    { bucketStart: T0, points: points(T0 + M, T0 + 5 * M), expectedEtag: null },
                    { bucketStart: T0 + B, points: points(T0 + B + 2 * M), expectedEtag: null },
                    { bucketStart: T0 - B, points: points(T0 - 3 * M), expectedEtag: null },
                    { bucketStart: T0 + H, points: points(T0 + H + 9 * M), expectedEtag: null },
                ]),
            ]);
            const etag = (await store.getVessels([mmsi], [T0])).get(mmsi)!.buckets.get(T0)!.etag;
            await store.write([
                {
                    mmsi,
                    expectedEtag: null,
                    trackBuckets: [
                        {
                            bucketStart: T0,
                            points: points(T0 + M, T0 + 4 * M, T0 + 5 * M),
                            expectedEtag: etag,
                        },
                    ],
                },
            ]);

            const track = await store.getTrack(mmsi, T0 + 3 * M, T0 + H + 9 * M);

            expect(track.map((p) => p.t)).toEqual([T0 + 4 * M, T0 + 5 * M, T0 + B + 2 * M, T0 + H + 9 * M]);
            expect((await store.getTrack(mmsi, T0 - H, T0 + 2 * H)).map((p) => p.t)).toEqual([
                T0 - 3 * M,
                T0 + M,
                T0 + 4 * M,
                T0 + 5 * M,
                T0 + B + 2 * M,
                T0 + H + 9 * M,
            ]);
            // A range inside one bucket reads that bucket; one ending at a bucket's first instant includes it.
            expect((await store.getTrack(mmsi, T0 + B + M, T0 + B + 3 * M)).map((p) => p.t)).toEqual([
                T0 + B + 2 * M,
            ]);
            expect((await store.getTrack(mmsi, T0 - 5 * M, T0 + M)).map((p) => p.t)).toEqual([
                T0 - 3 * M,
                T0 + M,
            ]);
            expect(await store.getTrack(mmsi, T0 + 3 * H, T0 + 4 * H)).toEqual([]);
            expect(await store.getTrack(mmsi, T0 + H, T0)).toEqual([]);
            expect(await store.getTrack(257_999_999, T0, T0 + H)).toEqual([]);
        });

        it('writes more than 100 track buckets of one vessel', async () => {
            const mmsi = 257_000_006;
            const trackBuckets = Array.from({ length: 150 }, (_, i) => ({
                bucketStart: T0 + i * H,
                points: points(T0 + i * H + 1),
                expectedEtag: null,
            }));
            expect(await store.write([create(vesselState(mmsi), trackBuckets)])).toMatchObject([
                { mmsi, status: 'ok' },
            ]);
            expect(await store.getTrack(mmsi, T0, T0 + 200 * H)).toHaveLength(150);
            expect(
                (
                    await store.getVessels(
                        [mmsi],
                        trackBuckets.map((b) => b.bucketStart),
                    )
                ).get(mmsi)!.buckets.size,
            ).toBe(150);
        });

        it('rejects a bucket whose bucketStart is not a distinct bucket start', async () => {
            const mmsi = 257_000_009;
            const bucket = { bucketStart: T0, points: points(T0), expectedEtag: null };
            for (const start of [T0 + 1, T0 + B / 2]) {
                await expect(
                    store.write([
                        { mmsi, expectedEtag: null, trackBuckets: [{ ...bucket, bucketStart: start }] },
                    ]),
                ).rejects.toThrow(/bucket start/);
            }
            await expect(
                store.write([{ mmsi, expectedEtag: null, trackBuckets: [bucket, bucket] }]),
            ).rejects.toThrow(/bucket start/);
            await expect(
                store.write([
                    { mmsi, expectedEtag: null, trackBuckets: [bucket, { ...bucket, bucketStart: T0 + B }] },
                ]),
            ).resolves.toMatchObject([{ mmsi, status: 'ok' }]);
            expect(
                [...(await store.getVessels([mmsi], [T0, T0 + B])).get(mmsi)!.buckets.keys()].sort(),
            ).toEqual([T0, T0 + B]);
        });

        it('queries by bbox, time and category, paging with a continuation', async () => {
            const writes: VesselWrite[] = [];
            for (let i = 0; i < 12; i++) {
                const mmsi = 258_000_000 + i;
                writes.push(
                    create(
                        vesselState(mmsi, {
                            position: {
                                eventTime: T0,
                                lat: 59 + i * 0.1,
                                lon: i < 10 ? 4 + i * 0.1 : 20,
                                sog: 5,
                            },
                            lastSeen: T0 + i * 1000,
                            static: { eventTime: T0, shipCategory: i % 2 === 0 ? 'cargo' : 'tanker' },
                        }),
                    ),
                );
            }
            writes.push(create(vesselState(258_000_100, { position: undefined })));
            writes.push(
                create(vesselState(258_000_101, { position: { eventTime: T0, lat: 0, lon: 179.5 } })),
            );
            await store.write(writes);

            const seen: number[] = [];
            let continuation: string | undefined;
            let pages = 0;
            do {
                const page = await store.queryVessels({
                    bbox: [3.5, 58, 6, 61],
                    limit: 3,
                    ...(continuation ? { continuation } : {}),
                });
                expect(page.items.length).toBeLessThanOrEqual(3);
                seen.push(...page.items.map((v) => v.mmsi));
                continuation = page.continuation;
                pages++;
            } while (continuation !== undefined && pages < 20);
            expect(pages).toBeGreaterThanOrEqual(4);
            expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => 258_000_000 + i));

            const since = await store.queryVessels({ updatedSince: T0 + 8000, limit: 100 });
            expect(since.items.map((v) => v.mmsi).sort()).toEqual([
                258_000_008, 258_000_009, 258_000_010, 258_000_011,
            ]);
            expect(since.continuation).toBeUndefined();

            const tankers = await store.queryVessels({
                shipCategory: 'tanker',
                bbox: [3.5, 58, 6, 61],
                limit: 100,
            });
            expect(tankers.items.map((v) => v.mmsi).sort()).toEqual(
                [1, 3, 5, 7, 9].map((i) => 258_000_000 + i),
            );

            const antimeridian = await store.queryVessels({ bbox: [179, -1, -179, 1], limit: 10 });
            expect(antimeridian.items.map((v) => v.mmsi)).toEqual([258_000_101]);
            expect(antimeridian.items[0]).toEqual(
                vesselState(258_000_101, { position: { eventTime: T0, lat: 0, lon: 179.5 } }),
            );
        });

        it('counts vessel states (not track buckets)', async () => {
            expect(await store.countVessels()).toBe(0);
            await store.write([
                create(vesselState(259_000_001), [
                    { bucketStart: T0, points: points(T0), expectedEtag: null },
                ]),
                create(vesselState(259_000_002)),
                {
                    mmsi: 259_000_003,
                    expectedEtag: null,
                    trackBuckets: [{ bucketStart: T0, points: points(T0), expectedEtag: null }],
                },
            ]);
            expect(await store.countVessels()).toBe(2);
        });
    });
}
