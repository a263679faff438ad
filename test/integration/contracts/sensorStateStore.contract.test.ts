/**
 * SensorStateStore: a contract run against the in-memory fake and CosmosSensorStateStore on the local
 * Cosmos-protocol server, then what only the Cosmos adapter has (document ids, request counts, failure mapping).
 */
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { createCosmosClient } from '../../../shared/adapters/clients.js';
import {
    CosmosSensorStateStore,
    MAX_SENSOR_KEYS_PER_QUERY,
    sensorDocumentId,
} from '../../../shared/adapters/CosmosSensorStateStore.js';
import { InMemorySensorStateStore } from '../../../shared/adapters/memory/InMemorySensorStateStore.js';
import type { SensorState, SensorStateStore } from '../../../shared/app/ports.js';
import { DependencyError, PipelineError } from '../../../shared/errors.js';
import { createTestDatabase, localServices, type TestDatabase } from '../../helpers/localServices.js';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

function sensorState(vesselKey: string, sensorId: string, patch: Partial<SensorState> = {}): SensorState {
    const quantity = patch.quantity ?? 'temperature';
    const mmsi = vesselKey.startsWith('mmsi:') ? Number(vesselKey.slice(5)) : undefined;
    return {
        sensorKey: `${vesselKey}|${sensorId}|${quantity}`,
        vesselKey,
        ...(mmsi === undefined ? {} : { mmsi }),
        sensorId,
        quantity,
        unit: 'degC',
        stats: { n: 3, mean: 80.5, variance: 1.25, lastEventTime: T0, lastSequence: 42 },
        latest: { value: 81, eventTime: T0, position: { lat: 60, lon: 5 } },
        updatedAt: T0 + 1000,
        ...patch,
    };
}

const create = (state: SensorState) => ({ state, expectedEtag: null });

interface StoreUnderTest {
    store: SensorStateStore;
    dispose(): Promise<void>;
}

function describeSensorStateStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
    describe(`SensorStateStore contract: ${name}`, () => {
        let sut: StoreUnderTest;
        let store: SensorStateStore;

        beforeEach(async () => {
            sut = await make();
            store = sut.store;
        });

        afterEach(async () => {
            await sut.dispose();
        });

        it('creates a state when the expected etag is null and returns it with an etag; absent ones are missing', async () => {
            const s = sensorState('mmsi:257000001', 'eng1');

            expect(await store.write([create(s)])).toEqual([{ sensorKey: s.sensorKey, status: 'ok' }]);

            const states = await store.get([s.sensorKey, 'mmsi:257000001|eng9|temperature', s.sensorKey]);
            expect([...states.keys()]).toEqual([s.sensorKey]);
            const { etag, ...stored } = states.get(s.sensorKey)!;
            expect(stored).toEqual(s);
            expect(etag).toEqual(expect.any(String));
            expect(etag.length).toBeGreaterThan(0);
            expect(await store.get([])).toEqual(new Map());
        });

        it('replaces with the current etag and rejects a stale etag as a conflict that writes nothing', async () => {
            const s = sensorState('mmsi:257000002', 'eng1');
            await store.write([create(s)]);
            const read1 = (await store.get([s.sensorKey])).get(s.sensorKey)!;

            // The stored state (etag included) comes back in as the base of the next one.
            const next = { ...read1, stats: { ...read1.stats, n: 4 }, updatedAt: T0 + 2000 };
            expect(await store.write([{ state: next, expectedEtag: read1.etag }])).toEqual([
                { sensorKey: s.sensorKey, status: 'ok' },
            ]);
            const read2 = (await store.get([s.sensorKey])).get(s.sensorKey)!;
            expect(read2.etag).not.toBe(read1.etag);
            expect(read2.stats.n).toBe(4);
            expect(read2).not.toHaveProperty('id');

            const stale = sensorState('mmsi:257000002', 'eng1', { updatedAt: T0 + 3000 });
            expect(await store.write([{ state: stale, expectedEtag: read1.etag }])).toEqual([
                { sensorKey: s.sensorKey, status: 'conflict' },
            ]);
            const read3 = (await store.get([s.sensorKey])).get(s.sensorKey)!;
            expect(read3.etag).toBe(read2.etag);
            expect(read3.updatedAt).toBe(T0 + 2000);
        });

        it('reports a conflict when creating a state that exists, or replacing one that does not', async () => {
            const s = sensorState('mmsi:257000003', 'eng1');
            await store.write([create(s)]);
            const etag = (await store.get([s.sensorKey])).get(s.sensorKey)!.etag;

            const absent = sensorState('mmsi:257000003', 'eng2');
            expect(
                await store.write([create({ ...s, updatedAt: 1 }), { state: absent, expectedEtag: etag }]),
            ).toEqual([
                { sensorKey: s.sensorKey, status: 'conflict' },
                { sensorKey: absent.sensorKey, status: 'conflict' },
            ]);
            const states = await store.get([s.sensorKey, absent.sensorKey]);
            expect([...states.keys()]).toEqual([s.sensorKey]);
            expect(states.get(s.sensorKey)!.updatedAt).toBe(T0 + 1000);
        });

        it('returns results in input order, conflicts only for the affected sensors', async () => {
            const a = sensorState('mmsi:257000004', 'a');
            const b = sensorState('mmsi:257000004', 'b');
            const c = sensorState('mmsi:257000004', 'c');
            await store.write([create(b)]);
            expect(await store.write([create(a), create(b), create(c)])).toEqual([
                { sensorKey: a.sensorKey, status: 'ok' },
                { sensorKey: b.sensorKey, status: 'conflict' },
                { sensorKey: c.sensorKey, status: 'ok' },
            ]);
        });

        it('lists every sensor of one vessel, without etags, by sensorKey', async () => {
            const mine = [
                sensorState('mmsi:257000005', 'eng2'),
                sensorState('mmsi:257000005', 'eng1', { quantity: 'pressure', unit: 'bar' }),
                sensorState('mmsi:257000005', 'eng1'),
            ];
            const imo = sensorState('imo:9319466', 'eng1');
            await store.write([...mine, sensorState('mmsi:257000006', 'eng1'), imo].map(create));

            const listed = await store.forVessel('mmsi:257000005');
            expect(listed).toEqual([...mine].sort((x, y) => (x.sensorKey < y.sensorKey ? -1 : 1)));
            expect(listed[0]).not.toHaveProperty('etag');
            expect(await store.forVessel('imo:9319466')).toEqual([imo]);
            expect(await store.forVessel('mmsi:1')).toEqual([]);
        });
    });
}

describeSensorStateStoreContract('InMemorySensorStateStore', () =>
    Promise.resolve({ store: new InMemorySensorStateStore(), dispose: () => Promise.resolve() }),
);

describeSensorStateStoreContract('CosmosSensorStateStore (local Cosmos-protocol server)', async () => {
    const db = await createTestDatabase('sensor-contract');
    return {
        store: new CosmosSensorStateStore(db.client.database(db.databaseId).container('sensorState')),
        dispose: () => db.dispose(),
    };
});

describe('InMemorySensorStateStore helpers', () => {
    it('seeds states with an etag the next write must match, and fails the next write on request', async () => {
        const store = new InMemorySensorStateStore();
        const s = sensorState('mmsi:1', 'x');
        const etag = store.seed(s);
        expect(store.state(s.sensorKey)).toEqual({ ...s, etag });
        expect(await store.write([{ state: { ...s, updatedAt: 5 }, expectedEtag: etag }])).toEqual([
            { sensorKey: s.sensorKey, status: 'ok' },
        ]);
        expect(store.state(s.sensorKey)!.updatedAt).toBe(5);

        store.failNextWrite = new DependencyError('down');
        await expect(store.write([create(sensorState('mmsi:1', 'y'))])).rejects.toBeInstanceOf(
            DependencyError,
        );
        expect(store.all().map((x) => x.sensorKey)).toEqual([s.sensorKey]);
        expect(store.writeCalls).toBe(2);
    });
});

describe('CosmosSensorStateStore (local Cosmos-protocol server)', () => {
    let db: TestDatabase;
    let container: Container;

    beforeAll(async () => {
        db = await createTestDatabase('sensor-state');
        container = db.client.database(db.databaseId).container('sensorState');
    });

    afterAll(async () => {
        await db.dispose();
    });

    it('derives a Cosmos-safe document id from the sensorKey', () => {
        expect(sensorDocumentId('mmsi:257000001|eng1|temperature')).toBe('mmsi:257000001|eng1|temperature');
        expect(sensorDocumentId('imo:1|a/b\\c?d#e|x')).toBe('imo:1|a_b_c_d_e|x');
        const long = sensorDocumentId(`mmsi:1|${'s'.repeat(300)}|temperature`);
        expect(long.length).toBeLessThanOrEqual(255);
        expect(long).not.toBe(sensorDocumentId(`mmsi:1|${'s'.repeat(301)}|temperature`));
    });

    it('stores one document per sensor in its partition, id from the sensorKey', async () => {
        const store = new CosmosSensorStateStore(container);
        const s = sensorState('mmsi:311000001', 'eng/1');
        await store.write([create(s)]);

        const { resource } = await container
            .item(sensorDocumentId(s.sensorKey), s.sensorKey)
            .read<Record<string, unknown>>();
        expect(resource).toMatchObject({ ...s, id: 'mmsi:311000001|eng_1|temperature' });
        expect((await store.get([s.sensorKey])).get(s.sensorKey)!.etag).toBe(resource!._etag);
    });

    it('counts one query per 1000 keys for get, one request per sensor for write', async () => {
        const store = new CosmosSensorStateStore(container, { concurrency: 4 });
        const states = Array.from({ length: 6 }, (_, i) => sensorState('mmsi:311000002', `s${i}`));
        await store.write(states.map(create));
        expect(store.requestCount).toBe(6);

        const keys = [
            ...states.map((s) => s.sensorKey),
            ...Array.from(
                { length: MAX_SENSOR_KEYS_PER_QUERY },
                (_, i) => `mmsi:311000002|absent${i}|temperature`,
            ),
        ];
        const fresh = new CosmosSensorStateStore(container);
        expect((await fresh.get(keys)).size).toBe(6);
        expect(fresh.requestCount).toBe(2);
        expect((await fresh.get(states.slice(0, 3).map((s) => s.sensorKey))).size).toBe(3);
        expect(fresh.requestCount).toBe(3);
    });

    it('maps an unreachable account to DependencyError', async () => {
        const s = localServices();
        const client = createCosmosClient({
            endpoint: 'https://127.0.0.1:1/',
            key: s.cosmosKey,
            database: 'x',
        });
        const dead = new CosmosSensorStateStore(client.database('x').container('sensorState'));
        try {
            await expect(dead.get(['a'])).rejects.toBeInstanceOf(DependencyError);
            await expect(dead.forVessel('mmsi:1')).rejects.toBeInstanceOf(DependencyError);
            await expect(dead.write([create(sensorState('mmsi:1', 'x'))])).rejects.toBeInstanceOf(
                DependencyError,
            );
        } finally {
            client.dispose();
        }
    });
});

describe('CosmosSensorStateStore failure mapping (stubbed container)', () => {
    const failing = (code: number) => {
        const error = () => Promise.reject(Object.assign(new Error(`HTTP ${code}`), { code }));
        return new CosmosSensorStateStore({
            items: {
                create: error,
                query: () => ({ hasMoreResults: () => true, fetchNext: error }),
            },
            item: () => ({ replace: error }),
        } as unknown as Container);
    };
    const s = sensorState('mmsi:1', 'x');

    it.each([412, 409, 404])('maps a %i to a conflict', async (code) => {
        expect(await failing(code).write([create(s), { state: s, expectedEtag: '"e1"' }])).toEqual([
            { sensorKey: s.sensorKey, status: 'conflict' },
            { sensorKey: s.sensorKey, status: 'conflict' },
        ]);
    });

    it.each([429, 503, 408])('throws DependencyError for a write or query failing with %i', async (code) => {
        await expect(failing(code).write([{ state: s, expectedEtag: '"e1"' }])).rejects.toBeInstanceOf(
            DependencyError,
        );
        await expect(failing(code).write([create(s)])).rejects.toBeInstanceOf(DependencyError);
        await expect(failing(code).get([s.sensorKey])).rejects.toBeInstanceOf(DependencyError);
    });

    it('throws a (non-transient) PipelineError for a 400', async () => {
        const error = await failing(400)
            .write([create(s)])
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PipelineError);
        expect(error).not.toBeInstanceOf(DependencyError);
    });
});
