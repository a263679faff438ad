import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { createCosmosClient } from '../../../shared/adapters/clients.js';
import { CosmosVesselStore, trackBucketId } from '../../../shared/adapters/CosmosVesselStore.js';
import { DependencyError, ValidationError } from '../../../shared/errors.js';
import { createTestDatabase, localServices, type TestDatabase } from '../../helpers/localServices.js';
import { vesselState } from '../contracts/vesselStoreContract.js';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

let db: TestDatabase;
let store: CosmosVesselStore;

beforeAll(async () => {
    db = await createTestDatabase('cosmos-store');
    store = new CosmosVesselStore(db.vessels, { trackTtlDays: 30 });
});

afterAll(async () => {
    await db.dispose();
});

describe('CosmosVesselStore (local Cosmos-protocol server)', () => {
    it('stores the state as id "state" and one track bucket per vessel and 10 minutes with an id from its start and a ttl', async () => {
        const mmsi = 311_000_001;
        await store.write([
            {
                mmsi,
                state: vesselState(mmsi),
                expectedEtag: null,
                trackBuckets: [
                    { bucketStart: T0, points: [{ t: T0 + 1, lat: 1, lon: 2 }], expectedEtag: null },
                ],
            },
        ]);

        const { resource: state } = await db.vessels.item('state', mmsi).read<Record<string, unknown>>();
        expect(state).toMatchObject({ id: 'state', docType: 'state', mmsi });
        expect(trackBucketId(T0)).toBe('track-202501151000');
        expect(trackBucketId(T0 + 599_999)).toBe('track-202501151000');
        expect(trackBucketId(T0 + 600_000)).toBe('track-202501151010');
        expect(trackBucketId(T0 + 3_599_999)).toBe('track-202501151050');
        const { resource: track } = await db.vessels
            .item(trackBucketId(T0), mmsi)
            .read<Record<string, unknown>>();
        expect(track).toMatchObject({
            id: 'track-202501151000',
            docType: 'track',
            mmsi,
            bucketStart: T0,
            ttl: 30 * 86_400,
            points: [{ t: T0 + 1, lat: 1, lon: 2 }],
        });
        expect(track).not.toHaveProperty('batchId');
        const bucket = (await store.getVessels([mmsi], [T0])).get(mmsi)!.buckets.get(T0)!;
        expect(bucket.etag).toBe(track!._etag);

        // The next batch of the same 10 minutes replaces the same document.
        await store.write([
            {
                mmsi,
                expectedEtag: null,
                trackBuckets: [
                    {
                        bucketStart: T0,
                        points: [
                            { t: T0 + 1, lat: 1, lon: 2 },
                            { t: T0 + 2, lat: 1, lon: 2 },
                        ],
                        expectedEtag: bucket.etag,
                    },
                ],
            },
        ]);
        const { resources: docs } = await db.vessels.items
            .query<{ id: string }>(
                { query: 'SELECT c.id FROM c WHERE c.mmsi = @m', parameters: [{ name: '@m', value: mmsi }] },
                { partitionKey: mmsi },
            )
            .fetchAll();
        expect(docs.map((d) => d.id).sort()).toEqual(['state', 'track-202501151000']);
    });

    it('makes one request per vessel write, one getVessels query for up to 1000 vessels, one per query page', async () => {
        const fresh = new CosmosVesselStore(db.vessels, { trackTtlDays: 1 });
        const hours = [T0 - 3_600_000, T0];
        const writes = Array.from({ length: 20 }, (_, i) => ({
            mmsi: 312_000_000 + i,
            state: vesselState(312_000_000 + i),
            expectedEtag: null,
            trackBuckets: hours.map((h) => ({
                bucketStart: h,
                points: [{ t: h, lat: 1, lon: 1 }],
                expectedEtag: null,
            })),
        }));

        await fresh.write(writes);
        expect(fresh.requestCount).toBe(20);

        const vessels = await fresh.getVessels(
            writes.map((w) => w.mmsi),
            hours,
        );
        expect(vessels.size).toBe(20);
        expect([...vessels.values()].every((v) => v.state !== undefined && v.buckets.size === 2)).toBe(true);
        expect(fresh.requestCount).toBe(21);

        const states = await fresh.getStates(writes.map((w) => w.mmsi));
        expect(states.size).toBe(20);
        expect(fresh.requestCount).toBe(22);
        expect(fresh.requestCharge).toBeGreaterThan(0);
    });

    it('reads vessels of more than 1000 MMSIs in one query per 1000', async () => {
        const fresh = new CosmosVesselStore(db.vessels, { trackTtlDays: 1 });
        const mmsis = Array.from({ length: 1500 }, (_, i) => 314_000_000 + i);
        await fresh.write([
            {
                mmsi: 314_001_400,
                state: vesselState(314_001_400),
                expectedEtag: null,
                trackBuckets: [{ bucketStart: T0, points: [{ t: T0, lat: 1, lon: 1 }], expectedEtag: null }],
            },
        ]);

        const vessels = await fresh.getVessels(mmsis, [T0]);

        expect([...vessels.keys()]).toEqual([314_001_400]);
        expect(vessels.get(314_001_400)!.buckets.size).toBe(1);
        expect(fresh.requestCount).toBe(1 + 2);
    });

    it('reads states of more than 1000 MMSIs in chunks of 1000', async () => {
        const fresh = new CosmosVesselStore(db.vessels, { trackTtlDays: 1 });
        const mmsis = Array.from({ length: 1500 }, (_, i) => 313_000_000 + i);
        await fresh.write([
            { mmsi: 313_001_400, state: vesselState(313_001_400), expectedEtag: null, trackBuckets: [] },
        ]);

        const states = await fresh.getStates(mmsis);

        expect([...states.keys()]).toEqual([313_001_400]);
        expect(fresh.requestCount).toBe(1 + 2);
    });

    it('maps an unreachable account to DependencyError', async () => {
        const s = localServices();
        const client = createCosmosClient({
            endpoint: 'https://127.0.0.1:1/',
            key: s.cosmosKey,
            database: 'x',
        });
        const dead = new CosmosVesselStore(client.database('x').container('vessels'), { trackTtlDays: 1 });
        try {
            await expect(dead.getStates([1])).rejects.toBeInstanceOf(DependencyError);
            await expect(dead.getVessels([1], [T0])).rejects.toBeInstanceOf(DependencyError);
            await expect(
                dead.write([{ mmsi: 1, state: vesselState(1), expectedEtag: null, trackBuckets: [] }]),
            ).rejects.toBeInstanceOf(DependencyError);
        } finally {
            client.dispose();
        }
    });
});

/** A Container stand-in for the failures the local server cannot produce (429 / 5xx per operation, 400 on a token). */
function stubContainer(behaviour: {
    batch?: () => Promise<{ result: { statusCode: number; requestCharge: number }[] }>;
    query?: () => Promise<never>;
    read?: () => Promise<never>;
}): Container {
    return {
        item: () => ({ read: behaviour.read ?? (() => Promise.reject(new Error('unexpected point read'))) }),
        items: {
            batch: behaviour.batch ?? (() => Promise.reject(new Error('unexpected batch'))),
            query: () => ({
                hasMoreResults: () => true,
                fetchNext: behaviour.query ?? (() => Promise.reject(new Error('unexpected query'))),
            }),
        },
    } as unknown as Container;
}

describe('CosmosVesselStore failure mapping (stubbed container)', () => {
    const write = { mmsi: 1, state: vesselState(1), expectedEtag: '"e1"', trackBuckets: [] };

    it('maps a 412 on the state operation to a conflict', async () => {
        const s = new CosmosVesselStore(
            stubContainer({
                batch: () => Promise.resolve({ result: [{ statusCode: 412, requestCharge: 0 }] }),
            }),
            { trackTtlDays: 1 },
        );
        expect(await s.write([write])).toMatchObject([{ mmsi: 1, status: 'conflict' }]);
    });

    it.each([412, 409, 404])('maps a %i on a track bucket operation to a conflict', async (status) => {
        const s = new CosmosVesselStore(
            stubContainer({
                batch: () =>
                    Promise.resolve({
                        result: [
                            { statusCode: 200, requestCharge: 1 },
                            { statusCode: status, requestCharge: 0 },
                            { statusCode: 424, requestCharge: 0 },
                        ],
                    }),
            }),
            { trackTtlDays: 1 },
        );
        const w = {
            ...write,
            trackBuckets: [
                { bucketStart: T0, points: [], expectedEtag: '"b1"' },
                { bucketStart: T0 + 3_600_000, points: [], expectedEtag: null },
            ],
        };
        expect(await s.write([w])).toMatchObject([{ mmsi: 1, status: 'conflict' }]);
    });

    it.each([429, 503, 408])(
        'throws DependencyError for a batch operation failing with %i',
        async (status) => {
            const s = new CosmosVesselStore(
                stubContainer({
                    batch: () =>
                        Promise.resolve({
                            result: [
                                { statusCode: status, requestCharge: 0 },
                                { statusCode: 424, requestCharge: 0 },
                            ],
                        }),
                }),
                { trackTtlDays: 1 },
            );
            const w = { ...write, trackBuckets: [{ bucketStart: T0, points: [], expectedEtag: null }] };
            await expect(s.write([w])).rejects.toBeInstanceOf(DependencyError);
        },
    );

    it('throws DependencyError when the batch request itself fails', async () => {
        const s = new CosmosVesselStore(
            stubContainer({ batch: () => Promise.reject(new Error('Batch request error: 429')) }),
            {
                trackTtlDays: 1,
            },
        );
        await expect(s.write([write])).rejects.toBeInstanceOf(DependencyError);
    });

    it('maps a 400 on a continuation token to ValidationError and a 503 query to DependencyError', async () => {
        const failWith = (code: number) =>
            new CosmosVesselStore(
                stubContainer({
                    query: () => Promise.reject(Object.assign(new Error('x'), { code })),
                    read: () => Promise.reject(Object.assign(new Error('x'), { code })),
                }),
                {
                    trackTtlDays: 1,
                },
            );
        await expect(failWith(400).queryVessels({ limit: 5, continuation: 'junk' })).rejects.toBeInstanceOf(
            ValidationError,
        );
        await expect(failWith(503).countVessels()).rejects.toBeInstanceOf(DependencyError);
        // A few vessels are point reads, more are one query: both map failures the same way.
        await expect(failWith(429).getStates([1])).rejects.toBeInstanceOf(DependencyError);
        await expect(failWith(429).getStates([1, 2, 3, 4, 5])).rejects.toBeInstanceOf(DependencyError);
        expect(await failWith(404).getStates([1])).toEqual(new Map());
        await expect(failWith(503).getVessels([1], [T0])).rejects.toBeInstanceOf(DependencyError);
    });
});
