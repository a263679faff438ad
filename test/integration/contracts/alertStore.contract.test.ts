/**
 * AlertStore: a contract run against the in-memory fake and CosmosAlertStore on the local Cosmos-protocol server,
 * then what only the Cosmos adapter has (document shape, request counts, failure mapping).
 */
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { CosmosAlertStore } from '../../../shared/adapters/CosmosAlertStore.js';
import { InMemoryAlertStore } from '../../../shared/adapters/memory/InMemoryAlertStore.js';
import type { AlertQuery, AlertStore } from '../../../shared/app/ports.js';
import {
    type Alert,
    alertId,
    type AlertKind,
    type AlertSeverity,
} from '../../../shared/domain/alerts/alert.js';
import { DependencyError, PipelineError, ValidationError } from '../../../shared/errors.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/localServices.js';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

function alert(
    mmsi: number,
    time: number,
    patch: Partial<Omit<Alert, 'id'>> & { kind?: AlertKind; severity?: AlertSeverity } = {},
): Alert {
    const kind = patch.kind ?? 'sensor-threshold';
    return {
        id: alertId(kind, [`mmsi:${mmsi}|eng1|temperature`, 'high', time]),
        kind,
        severity: 'warning',
        mmsi,
        vessels: [mmsi],
        time,
        position: { lat: 60.1, lon: 5.2 },
        details: { value: 98.5, threshold: 95, unit: 'degC' },
        ruleVersion: 'rules-1',
        raisedAt: time + 500,
        ...patch,
    };
}

/** Every page of a query, and how many pages it took. */
async function allPages(
    store: AlertStore,
    query: Omit<AlertQuery, 'continuation'>,
): Promise<{ items: Alert[]; pages: number }> {
    const items: Alert[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
        const page = await store.query({ ...query, ...(continuation === undefined ? {} : { continuation }) });
        items.push(...page.items);
        continuation = page.continuation;
        pages++;
    } while (continuation !== undefined && pages < 50);
    return { items, pages };
}

interface StoreUnderTest {
    store: AlertStore;
    dispose(): Promise<void>;
}

function describeAlertStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
    describe(`AlertStore contract: ${name}`, () => {
        let sut: StoreUnderTest;
        let store: AlertStore;

        beforeEach(async () => {
            sut = await make();
            store = sut.store;
        });

        afterEach(async () => {
            await sut.dispose();
        });

        it('is idempotent by id: saving twice keeps one alert each, the last content wins', async () => {
            const a = alert(257_000_001, T0);
            const b = alert(257_000_002, T0 + 1000, { kind: 'zone-entry', severity: 'info' });

            await store.save([a, b]);
            await store.save([a, { ...b, raisedAt: b.raisedAt + 1 }]);

            const { items } = await store.query({ limit: 100 });
            expect(items).toEqual([{ ...b, raisedAt: b.raisedAt + 1 }, a]);
        });

        it('saves nothing for an empty list', async () => {
            await store.save([]);
            expect((await store.query({ limit: 10 })).items).toEqual([]);
        });

        it('keeps alerts with the same id on different vessels apart (the partition key is part of the identity)', async () => {
            const a = alert(257_000_001, T0);
            await store.save([a, { ...a, mmsi: 257_000_003 }]);
            expect((await store.query({ limit: 10 })).items.map((x) => x.mmsi).sort()).toEqual([
                257_000_001, 257_000_003,
            ]);
        });

        it('filters by kind, severity, mmsi and since, newest first', async () => {
            const alerts = [
                alert(257_000_001, T0, { severity: 'warning' }),
                alert(257_000_001, T0 + 60_000, { severity: 'critical' }),
                alert(257_000_002, T0 + 120_000, { kind: 'zone-entry', severity: 'info' }),
                alert(257_000_002, T0 + 180_000, { kind: 'sensor-anomaly', severity: 'warning' }),
                alert(257_000_003, T0 + 240_000, {
                    kind: 'collision-risk',
                    severity: 'critical',
                    vessels: [257_000_003, 257_000_004],
                }),
            ];
            await store.save(alerts);
            const times = async (q: Omit<AlertQuery, 'limit'>): Promise<number[]> =>
                (await store.query({ limit: 100, ...q })).items.map((a) => a.time - T0);

            expect(await times({})).toEqual([240_000, 180_000, 120_000, 60_000, 0]);
            expect(await times({ kind: 'sensor-threshold' })).toEqual([60_000, 0]);
            expect(await times({ severity: 'critical' })).toEqual([240_000, 60_000]);
            expect(await times({ mmsi: 257_000_002 })).toEqual([180_000, 120_000]);
            expect(await times({ since: T0 + 120_000 })).toEqual([240_000, 180_000, 120_000]);
            expect(await times({ mmsi: 257_000_001, severity: 'warning', since: T0 })).toEqual([0]);
            expect(await times({ kind: 'zone-exit' })).toEqual([]);
            const collision = (await store.query({ limit: 1, kind: 'collision-risk' })).items[0]!;
            expect(collision).toEqual(alerts[4]);
        });

        it('pages newest first with a continuation token, every alert once', async () => {
            const alerts = Array.from({ length: 7 }, (_, i) => alert(257_000_010 + (i % 3), T0 + i * 1000));
            await store.save(alerts);

            const first = await store.query({ limit: 3 });
            expect(first.items).toHaveLength(3);
            expect(first.continuation).toEqual(expect.any(String));

            const { items, pages } = await allPages(store, { limit: 3 });
            expect(items.map((a) => a.time)).toEqual(alerts.map((a) => a.time).reverse());
            expect(pages).toBeGreaterThanOrEqual(3);

            const one = await allPages(store, { limit: 2, mmsi: 257_000_010 });
            expect(one.items.map((a) => a.time - T0)).toEqual([6000, 3000, 0]);
            expect(one.pages).toBe(2);

            const all = await store.query({ limit: 1000 });
            expect(all.items).toHaveLength(7);
            expect(all.continuation).toBeUndefined();
        });

        it('clamps the limit to 1..1000', async () => {
            await store.save([alert(257_000_001, T0), alert(257_000_001, T0 + 1)]);
            expect((await store.query({ limit: 0 })).items).toHaveLength(1);
            expect((await store.query({ limit: 5000 })).items).toHaveLength(2);
        });

        it('rejects a bad continuation token as a ValidationError', async () => {
            await store.save([alert(257_000_001, T0), alert(257_000_001, T0 + 1)]);
            await expect(store.query({ limit: 1, continuation: 'not-a-token' })).rejects.toBeInstanceOf(
                ValidationError,
            );
        });
    });
}

describeAlertStoreContract('InMemoryAlertStore', () =>
    Promise.resolve({ store: new InMemoryAlertStore(), dispose: () => Promise.resolve() }),
);

describeAlertStoreContract('CosmosAlertStore (local Cosmos-protocol server)', async () => {
    const db = await createTestDatabase('alerts-contract');
    return {
        store: new CosmosAlertStore(db.client.database(db.databaseId).container('alerts')),
        dispose: () => db.dispose(),
    };
});

describe('InMemoryAlertStore helpers', () => {
    it('lists every stored alert newest first and fails the next save on request', async () => {
        const store = new InMemoryAlertStore();
        await store.save([alert(1, T0), alert(2, T0 + 1)]);
        expect(store.all().map((a) => a.mmsi)).toEqual([2, 1]);

        store.failNextSave = new DependencyError('down');
        await expect(store.save([alert(3, T0)])).rejects.toBeInstanceOf(DependencyError);
        await store.save([alert(4, T0)]);
        expect(store.all().map((a) => a.mmsi)).toEqual([2, 1, 4]);
        expect(store.saveCalls).toBe(3);
    });
});

describe('CosmosAlertStore (local Cosmos-protocol server)', () => {
    let db: TestDatabase;
    let container: Container;

    beforeAll(async () => {
        db = await createTestDatabase('alerts');
        container = db.client.database(db.databaseId).container('alerts');
    });

    afterAll(async () => {
        await db.dispose();
    });

    it('stores the alert plus docType under its id in the vessel partition', async () => {
        const store = new CosmosAlertStore(container);
        const a = alert(311_000_001, T0);
        await store.save([a]);

        const { resource } = await container.item(a.id, a.mmsi).read<Record<string, unknown>>();
        expect(resource).toMatchObject({ ...a, docType: 'alert' });
    });

    it('counts one transactional batch per vessel (and per 100 alerts of one vessel), one request per page', async () => {
        const store = new CosmosAlertStore(container);
        const many = Array.from({ length: 150 }, (_, i) => alert(311_000_010, T0 + i));
        await store.save([
            ...many,
            alert(311_000_011, T0),
            alert(311_000_012, T0),
            alert(311_000_011, T0 + 1),
        ]);
        expect(store.requestCount).toBe(2 + 1 + 1);

        const before = store.requestCount;
        const page = await store.query({ limit: 200, mmsi: 311_000_010 });
        expect(page.items).toHaveLength(150);
        expect(store.requestCount - before).toBe(1);
        expect(store.requestCharge).toBeGreaterThan(0);
    });

    it('refuses a continuation token of a query with other filters', async () => {
        const store = new CosmosAlertStore(container);
        await store.save([alert(311_000_030, T0), alert(311_000_030, T0 + 1, { severity: 'critical' })]);
        const { continuation } = await store.query({ limit: 1, mmsi: 311_000_030 });
        expect(continuation).toEqual(expect.any(String));
        const next = await store.query({ limit: 5, mmsi: 311_000_030, continuation: continuation! });
        expect(next.items.map((a) => a.time)).toEqual([T0]);
        await expect(
            store.query({ limit: 1, mmsi: 311_000_031, continuation: continuation! }),
        ).rejects.toThrow(/another query/);
    });

    it('rejects an id Cosmos DB would refuse before writing anything', async () => {
        const store = new CosmosAlertStore(container);
        await expect(
            store.save([alert(311_000_020, T0), { ...alert(311_000_021, T0), id: 'a/b' }]),
        ).rejects.toThrow(PipelineError);
        expect(store.requestCount).toBe(0);
    });
});

describe('CosmosAlertStore failure mapping (stubbed container)', () => {
    const batchReturning = (statusCode: number) =>
        stubContainer({
            batch: () =>
                Promise.resolve({
                    result: [
                        { statusCode, requestCharge: 0 },
                        { statusCode: 424, requestCharge: 0 },
                    ],
                }),
        });
    const two = [alert(1, T0), alert(1, T0 + 1)];

    it.each([429, 503, 408])('throws DependencyError when an upsert fails with %i', async (status) => {
        await expect(new CosmosAlertStore(batchReturning(status)).save(two)).rejects.toBeInstanceOf(
            DependencyError,
        );
    });

    it('throws a (non-transient) PipelineError when an upsert fails with 400', async () => {
        const error = await new CosmosAlertStore(batchReturning(400)).save(two).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PipelineError);
        expect(error).not.toBeInstanceOf(DependencyError);
    });

    it('throws DependencyError when the batch request itself fails', async () => {
        const store = new CosmosAlertStore(
            stubContainer({ batch: () => Promise.reject(new Error('Batch request error')) }),
        );
        await expect(store.save(two)).rejects.toBeInstanceOf(DependencyError);
    });

    it('maps a 400 on a continuation token to ValidationError and a 503 / 429 query to DependencyError', async () => {
        const failWith = (code: number) => {
            let calls = 0;
            return new CosmosAlertStore(
                stubContainer({
                    // The first page hands out a token; every later request fails with `code`.
                    query: () =>
                        calls++ === 0
                            ? Promise.resolve({
                                  resources: [alert(1, T0)],
                                  continuationToken: 'sdk',
                                  hasMoreResults: true,
                              })
                            : Promise.reject(Object.assign(new Error('x'), { code })),
                }),
            );
        };
        const store400 = failWith(400);
        const { continuation } = await store400.query({ limit: 1 });
        await expect(
            store400.query({ limit: 1, ...(continuation ? { continuation } : {}) }),
        ).rejects.toBeInstanceOf(ValidationError);
        const store503 = failWith(503);
        await store503.query({ limit: 5 });
        await expect(store503.query({ limit: 5 })).rejects.toBeInstanceOf(DependencyError);
        const store429 = failWith(429);
        await store429.query({ limit: 5 });
        await expect(store429.query({ limit: 5, mmsi: 1 })).rejects.toBeInstanceOf(DependencyError);
    });
});

/** A Container stand-in for the failures the local server cannot produce (429 / 5xx per operation, 400 on a token). */
function stubContainer(behaviour: {
    batch?: () => Promise<{ result: { statusCode: number; requestCharge: number }[] }>;
    query?: () => Promise<unknown>;
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
