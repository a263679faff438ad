import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCosmosClient } from '../../../shared/adapters/clients.js';
import { CosmosVesselStore, trackBucketId } from '../../../shared/adapters/CosmosVesselStore.js';
import { DependencyError, ValidationError } from '../../../shared/errors.js';
import { createTestDatabase, localServices, type TestDatabase } from '../../helpers/localServices.js';
import { vesselState } from './vesselStoreContract.js';

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
    it('stores the state as id "state" and track buckets with deterministic ids and a ttl', async () => {
        await store.write([
            {
                mmsi: 311_000_001,
                state: vesselState(311_000_001),
                expectedEtag: null,
                trackBuckets: [
                    { hourStart: T0, batchId: '3/10-20', points: [{ t: T0 + 1, lat: 1, lon: 2 }] },
                ],
            },
        ]);

        const { resource: state } = await db.vessels
            .item('state', 311_000_001)
            .read<Record<string, unknown>>();
        expect(state).toMatchObject({ id: 'state', docType: 'state', mmsi: 311_000_001 });
        const id = trackBucketId(T0, '3/10-20');
        expect(id).toBe('track-2025011510-3_10-20');
        const { resource: track } = await db.vessels.item(id, 311_000_001).read<Record<string, unknown>>();
        expect(track).toMatchObject({
            docType: 'track',
            mmsi: 311_000_001,
            hourStart: T0,
            batchId: '3/10-20',
            ttl: 30 * 86_400,
            points: [{ t: T0 + 1, lat: 1, lon: 2 }],
        });
    });

    it('makes one request per vessel write and one per query page', async () => {
        const fresh = new CosmosVesselStore(db.vessels, { trackTtlDays: 1 });
        const writes = Array.from({ length: 20 }, (_, i) => ({
            mmsi: 312_000_000 + i,
            state: vesselState(312_000_000 + i),
            expectedEtag: null,
            trackBuckets: [{ hourStart: T0, batchId: 'b', points: [{ t: T0, lat: 1, lon: 1 }] }],
        }));

        await fresh.write(writes);
        expect(fresh.requestCount).toBe(20);

        const states = await fresh.getStates(writes.map((w) => w.mmsi));
        expect(states.size).toBe(20);
        expect(fresh.requestCount).toBe(21);
        expect(fresh.requestCharge).toBeGreaterThan(0);
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
}): Container {
    return {
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
        expect(await s.write([write])).toEqual([{ mmsi: 1, status: 'conflict' }]);
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
            const w = { ...write, trackBuckets: [{ hourStart: T0, batchId: 'b', points: [] }] };
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
                stubContainer({ query: () => Promise.reject(Object.assign(new Error('x'), { code })) }),
                {
                    trackTtlDays: 1,
                },
            );
        await expect(failWith(400).queryVessels({ limit: 5, continuation: 'junk' })).rejects.toBeInstanceOf(
            ValidationError,
        );
        await expect(failWith(503).countVessels()).rejects.toBeInstanceOf(DependencyError);
        await expect(failWith(429).getStates([1])).rejects.toBeInstanceOf(DependencyError);
    });
});
