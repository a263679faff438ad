/**
 * The local Cosmos-protocol server's direct data access (its own process) (local/cosmosServer.ts), used by the local stack's
 * snapshots: documents loaded straight into memory are read back through the real @azure/cosmos SDK, and a dump
 * gives them back without system properties, as does a save to a file; stats count them. Fails if an upgrade of @vercel/cosmosdb-server changes its internals.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Container, CosmosClient, SqlQuerySpec } from '@azure/cosmos';
import { afterAll, describe, expect, it } from '@jest/globals';

import { type CosmosServer, startCosmosServer } from '../../../local/cosmosServer.js';
import { ensureCosmosResources } from '../../../local/cosmosSetup.js';
import { WORKER_RESOURCE_LIMITS } from '../../../local/heapTrim.js';
import { LOCAL_COSMOS_KEY } from '../../../local/services.js';
import { createCosmosClient } from '../../../shared/adapters/clients.js';
import { CosmosVesselStore } from '../../../shared/adapters/CosmosVesselStore.js';
import type { TrackPoint } from '../../../shared/app/ports.js';
import { processGroupOf } from '../../helpers/builtCli.js';

let server: CosmosServer | undefined;

afterAll(async () => {
    await server?.stop();
});

describe('local Cosmos-protocol server, direct data access', () => {
    it('loads documents into memory that the SDK then reads, queries and replaces; dump returns them without system properties', async () => {
        server = await startCosmosServer(0);
        const client = createCosmosClient({
            endpoint: `https://127.0.0.1:${server.port}/`,
            key: LOCAL_COSMOS_KEY,
            database: 'snap',
        });
        try {
            const db = await ensureCosmosResources(client, 'snap');
            const docs = Array.from({ length: 500 }, (_, i) => ({
                id: 'state',
                mmsi: 366000000 + i,
                docType: 'state',
                lastSeen: 1_700_000_000_000 + i,
                _etag: 'old',
                _ts: 1,
            }));
            await expect(server.load('snap', { vessels: docs, alerts: [] })).resolves.toBe(500);
            const { resource } = await db
                .container('vessels')
                .item('state', 366000007)
                .read<{ lastSeen: number; _etag: string }>();
            expect(resource?.lastSeen).toBe(1_700_000_000_007);
            expect(resource?._etag).not.toBe('old');
            const { resources } = await db
                .container('vessels')
                .items.query<{ mmsi: number }>('SELECT c.mmsi FROM c WHERE c.lastSeen >= 1700000000490')
                .fetchAll();
            expect(resources.map((r) => r.mmsi).sort()).toEqual(
                Array.from({ length: 10 }, (_, i) => 366000490 + i),
            );
            // The SDK's conditional replace works on a loaded document (its etag is a fresh one).
            await db
                .container('vessels')
                .item('state', 366000007)
                .replace(
                    { id: 'state', mmsi: 366000007, docType: 'state', lastSeen: 1 },
                    { accessCondition: { type: 'IfMatch', condition: resource?._etag as string } },
                );
            const dumped = await server.dump('snap');
            expect(dumped.vessels).toHaveLength(500);
            expect(dumped.vessels?.find((d) => d.mmsi === 366000007)).toEqual({
                id: 'state',
                mmsi: 366000007,
                docType: 'state',
                lastSeen: 1,
            });
            expect(Object.keys(dumped.vessels?.[0] ?? {}).filter((k) => k.startsWith('_'))).toEqual([]);
            await expect(server.dump('no-such-database')).resolves.toEqual({});
            await expect(server.load('snap', { nope: [{ id: 'x' }] })).rejects.toThrow(
                /container snap\/nope does not exist/,
            );

            // save: the same documents written to a file by the server's process, a document at a time (a container
            // that does not exist is written empty); stats: the documents held per container and the process's heap.
            const dir = mkdtempSync(join(tmpdir(), 'cosmos-save-'));
            try {
                const file = join(dir, 'snapshot.json');
                const written = await server.save(
                    'snap',
                    ['vessels', 'alerts', 'missing'],
                    { version: 2, takenAt: 5 },
                    file,
                );
                const saved = JSON.parse(readFileSync(file, 'utf8')) as {
                    version: number;
                    takenAt: number;
                    containers: Record<string, Record<string, unknown>[]>;
                };
                expect(written).toEqual({ documents: 500, bytes: statSync(file).size });
                expect(saved).toMatchObject({ version: 2, takenAt: 5 });
                expect(Object.keys(saved.containers)).toEqual(['vessels', 'alerts', 'missing']);
                expect(saved.containers.vessels).toEqual(dumped.vessels);
                expect(saved.containers.alerts).toEqual([]);
                expect(readdirSync(dir)).toEqual(['snapshot.json']);
                const stats = await server.stats('snap');
                expect(stats.documents).toMatchObject({ vessels: 500, alerts: 0 });
                expect(stats.heapUsed).toBeGreaterThan(0);
                expect(stats.heapTotal).toBeGreaterThanOrEqual(stats.heapUsed);
                // The process runs with the stack's young generation (local/heapTrim.ts), not V8's default (48 MB).
                expect(stats.youngGenerationMb).toBe(WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        } finally {
            client.dispose();
        }
    });
});

describe('local Cosmos-protocol server, its process', () => {
    it('runs in a process group of its own, reports its RSS, and is gone once stopped', async () => {
        const own = await startCosmosServer(0);
        try {
            expect(processGroupOf(own.pid)).toBe(own.pid);
            expect(own.pid).not.toBe(process.pid);
            const stats = await own.stats('none');
            expect(stats.rss).toBeGreaterThan(stats.heapUsed);
        } finally {
            await own.stop();
        }
        expect(() => process.kill(own.pid, 0)).toThrow();
        await expect(own.stats('none')).rejects.toThrow(/Cosmos-protocol server/);
    });
});

/**
 * The query fast path (local/cosmosServerFastPath.ts). Each server gets its own database; `plain` is the package as
 * published, the reference the fast path must agree with on every query shape we use (and a few more).
 */
describe('local Cosmos-protocol server, query fast path', () => {
    const servers: CosmosServer[] = [];
    const clients: CosmosClient[] = [];
    afterAll(async () => {
        for (const c of clients) c.dispose();
        await Promise.all(servers.map((s) => s.stop()));
    });
    async function open(
        fastPath: boolean,
    ): Promise<{ server: CosmosServer; vessels: Container; alerts: Container }> {
        const s = await startCosmosServer(0, { fastPath });
        servers.push(s);
        const client = createCosmosClient({
            endpoint: `https://127.0.0.1:${s.port}/`,
            key: LOCAL_COSMOS_KEY,
            database: 'fast',
        });
        clients.push(client);
        const db = await ensureCosmosResources(client, 'fast');
        return { server: s, vessels: db.container('vessels'), alerts: db.container('alerts') };
    }
    const alertDocs = Array.from({ length: 60 }, (_, i) => ({
        id: `a${i}`,
        docType: 'alert',
        mmsi: 1000 + (i % 7),
        // Ties on purpose (continuation must break them by _rid), and a few without `time` (ORDER BY drops them).
        ...(i % 13 === 12 ? {} : { time: Math.floor(i / 3) }),
        kind: i % 2 ? 'zone-entry' : 'sensor-threshold',
        tags: [{ n: i }, { n: i + 100 }],
    }));

    it('a query with a partition key reads only that partition, and the index follows create, replace, delete, batch and load', async () => {
        const { server, vessels } = await open(true);
        const inPartition = async (mmsi: number): Promise<string[]> =>
            (
                await vessels.items
                    .query<{ id: string }>('SELECT c.id FROM c', { partitionKey: mmsi })
                    .fetchAll()
            ).resources
                .map((d) => d.id)
                .sort();
        await vessels.items.create({ id: 'state', mmsi: 1, v: 1 });
        await vessels.items.create({ id: 'track-1', mmsi: 1, v: 1 });
        await vessels.items.create({ id: 'state', mmsi: 2, v: 1 });
        expect(await inPartition(1)).toEqual(['state', 'track-1']);
        expect(await inPartition(2)).toEqual(['state']);
        // Replace and upsert keep one copy in the partition; the query sees the new body.
        await vessels.item('state', 1).replace({ id: 'state', mmsi: 1, v: 2 });
        await vessels.items.upsert({ id: 'track-1', mmsi: 1, v: 3 });
        const { resources } = await vessels.items
            .query<{ id: string; v: number }>('SELECT c.id, c.v FROM c', { partitionKey: 1 })
            .fetchAll();
        expect(resources.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
            { id: 'state', v: 2 },
            { id: 'track-1', v: 3 },
        ]);
        await vessels.item('track-1', 1).delete();
        expect(await inPartition(1)).toEqual(['state']);
        // (Per-operation partition keys: the local server needs them, as the adapters' batches give.)
        await vessels.items.batch(
            [
                { operationType: 'Create', partitionKey: 2, resourceBody: { id: 'track-2', mmsi: 2 } },
                { operationType: 'Delete', partitionKey: 2, id: 'state' },
            ],
            2,
        );
        expect(await inPartition(2)).toEqual(['track-2']);
        await vessels
            .item('state', 2)
            .read()
            .then((r) => expect(r.statusCode).toBe(404));
        await server.load('fast', {
            vessels: [
                { id: 'track-9', mmsi: 2 },
                { id: 'state', mmsi: 3 },
            ],
            alerts: [],
        });
        expect(await inPartition(2)).toEqual(['track-2', 'track-9']);
        expect(await inPartition(3)).toEqual(['state']);
        expect(await inPartition(4)).toEqual([]);
        // Cross-partition queries still see every partition.
        const all = await vessels.items
            .query<{ id: string; mmsi: number }>('SELECT c.id, c.mmsi FROM c')
            .fetchAll();
        expect(all.resources.map((d) => `${d.mmsi}/${d.id}`).sort()).toEqual([
            '1/state',
            '2/track-2',
            '2/track-9',
            '3/state',
        ]);
        expect((await server.dump('fast')).vessels).toHaveLength(4);
    });

    it('comes back from an outage (pause, resume) with its data, as a restarted Cosmos DB does', async () => {
        const { server, vessels } = await open(true);
        await vessels.items.create({ id: 'state', mmsi: 5, lastSeen: 1 });
        await vessels.items.create({ id: 'track-5', mmsi: 5, points: [] });
        await server.pause();
        await expect(vessels.item('state', 5).read()).rejects.toThrow();
        await server.resume();
        const { resource } = await vessels.item('state', 5).read<{ lastSeen: number }>();
        expect(resource?.lastSeen).toBe(1);
        const { resources } = await vessels.items
            .query<{ id: string }>('SELECT c.id FROM c', { partitionKey: 5 })
            .fetchAll();
        expect(resources.map((d) => d.id).sort()).toEqual(['state', 'track-5']);
        // Writes after the outage land beside the old data, and a snapshot (dump) holds both.
        await vessels.items.create({ id: 'state', mmsi: 6, lastSeen: 2 });
        expect(
            (await server.dump('fast')).vessels?.map((d) => `${String(d.mmsi)}/${String(d.id)}`).sort(),
        ).toEqual(['5/state', '5/track-5', '6/state']);
    });

    it('answers a transactional batch sent with Prefer: return=minimal without the written documents, as Cosmos DB does; with them otherwise', async () => {
        for (const fastPath of [true, false]) {
            const { vessels } = await open(fastPath);
            const bucket = { id: 'track-1', mmsi: 7, points: Array.from({ length: 50 }, (_, t) => ({ t })) };
            const full = await vessels.items.batch(
                [{ operationType: 'Create', partitionKey: 7, resourceBody: bucket }],
                7,
            );
            expect(full.result?.[0]?.resourceBody).toMatchObject({ id: 'track-1', mmsi: 7 });
            const minimal = await vessels.items.batch(
                [
                    {
                        operationType: 'Replace',
                        id: 'track-1',
                        partitionKey: 7,
                        ifMatch: full.result?.[0]?.eTag ?? '',
                        resourceBody: { ...bucket, points: [] },
                    },
                    { operationType: 'Create', partitionKey: 7, resourceBody: { id: 'state', mmsi: 7 } },
                ],
                7,
                { contentResponseOnWriteEnabled: false },
            );
            const results = minimal.result ?? [];
            expect(results.map((r) => r.statusCode)).toEqual([200, 201]);
            // the package as published ignores the header (the fast path is what honours it)
            if (fastPath) expect(results.map((r) => r.resourceBody)).toEqual([undefined, undefined]);
            else expect(results[0]?.resourceBody).toMatchObject({ id: 'track-1' });
            // what was written is there all the same, and the etag of each write came back
            expect(results.every((r) => typeof r.eTag === 'string' && r.eTag !== '')).toBe(true);
            const { resource } = await vessels
                .item('track-1', 7)
                .read<{ points: unknown[]; _etag: string }>();
            expect(resource?.points).toEqual([]);
            expect(resource?._etag).toBe(results[0]?.eTag);
        }
    });

    it('answers the query-plan request the SDK sends beside each query at once with a 400, without running the query', async () => {
        const { server } = await open(true);
        const { request } = await import('node:https');
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = request(
                {
                    host: '127.0.0.1',
                    port: server.port,
                    method: 'POST',
                    path: '/dbs/fast/colls/alerts/docs',
                    rejectUnauthorized: false,
                    headers: {
                        'content-type': 'application/query+json',
                        'x-ms-cosmos-is-query-plan-request': 'True',
                        'x-ms-documentdb-query-enablecrosspartition': 'true',
                    },
                },
                (res) => {
                    let body = '';
                    res.on('data', (c: Buffer) => (body += c.toString()));
                    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
                },
            );
            req.on('error', reject);
            req.end(JSON.stringify({ query: 'SELECT * FROM c' }));
        });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatch(/computes no query plans/);
    });

    it('gives the same answers as the package as published: filters, JOIN, aggregates, ORDER BY with continuation pages, partition-scoped ORDER BY', async () => {
        const fast = await open(true);
        const plain = await open(false);
        for (const s of [fast, plain]) await s.server.load('fast', { vessels: [], alerts: alertDocs });
        const queries: SqlQuerySpec[] = [
            {
                query: "SELECT * FROM c WHERE c.docType = 'alert' AND c.time >= @since",
                parameters: [{ name: '@since', value: 5 }],
            },
            { query: 'SELECT c.id, t.n FROM c JOIN t IN c.tags WHERE t.n > 150' },
            {
                query: 'SELECT VALUE COUNT(1) FROM c WHERE c.kind = @k',
                parameters: [{ name: '@k', value: 'zone-entry' }],
            },
            {
                query: 'SELECT c.id FROM c WHERE ARRAY_CONTAINS(@ids, c.id)',
                parameters: [{ name: '@ids', value: ['a1', 'a7', 'a59', 'nope'] }],
            },
            { query: 'SELECT c.id FROM c WHERE EXISTS (SELECT VALUE t FROM t IN c.tags WHERE t.n = 3)' },
            // undefined dropped from projected arrays and objects (fields some documents lack)
            { query: 'SELECT c.id, c.time, c.missing FROM c' },
            { query: 'SELECT VALUE [c.id, c.time, c.missing] FROM c' },
            { query: 'SELECT VALUE { "t": c.time, "tags": [c.missing, c.tags] } FROM c' },
        ];
        const strip = (docs: Record<string, unknown>[]): Record<string, unknown>[] =>
            docs.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !k.startsWith('_'))));
        const sortKey = (d: unknown): string => JSON.stringify(d);
        for (const q of queries) {
            const [a, b] = await Promise.all(
                [fast, plain].map(async (s) =>
                    strip((await s.alerts.items.query<Record<string, unknown>>(q).fetchAll()).resources),
                ),
            );
            expect(a!.map(sortKey).sort()).toEqual(b!.map(sortKey).sort());
            expect(a!.length).toBeGreaterThan(0);
        }
        // ORDER BY across partitions, paged by 7 with continuation tokens (the alert store's shape): same order,
        // every page the same, ties broken the same way; documents without `time` left out.
        const pages = async (s: typeof fast, partitionKey?: number): Promise<string[][]> => {
            const out: string[][] = [];
            let continuationToken: string | undefined;
            do {
                const it = s.alerts.items.query<{ id: string }>(
                    "SELECT * FROM c WHERE c.docType = 'alert' ORDER BY c.time DESC",
                    {
                        maxItemCount: 7,
                        enableQueryControl: true,
                        ...(partitionKey === undefined ? {} : { partitionKey }),
                        ...(continuationToken === undefined ? {} : { continuationToken }),
                    },
                );
                const page = await it.fetchNext();
                out.push(page.resources.map((d) => d.id));
                continuationToken = page.continuationToken;
            } while (continuationToken !== undefined && out.length < 50);
            return out;
        };
        const fastPages = await pages(fast);
        expect(fastPages).toEqual(await pages(plain));
        const ordered = fastPages.flat();
        expect(ordered).toHaveLength(alertDocs.filter((d) => d.time !== undefined).length);
        expect(new Set(ordered).size).toBe(ordered.length);
        const timeOf = new Map(alertDocs.map((d) => [d.id, d.time ?? -1]));
        expect(ordered.map((id) => timeOf.get(id))).toEqual(
            [...ordered.map((id) => timeOf.get(id))].sort((x, y) => y! - x!),
        );
        // With a partition key, the same order within the partition (the published package returned every partition).
        const inOne = (await pages(fast, 1003)).flat();
        expect(inOne).toEqual(ordered.filter((id) => alertDocs.find((d) => d.id === id)!.mmsi === 1003));
        expect(inOne.length).toBeGreaterThan(0);
    });
});

describe('local Cosmos-protocol server, idle compaction of point lists (local/cosmosCompact.ts)', () => {
    it.each([
        ['in a temporary file', true],
        ['in memory', false],
    ])(
        'answers reads, queries, a store round trip, writes and dumps of compacted documents exactly as before (points %s)',
        async (_where, coldPoints) => {
            const s = await startCosmosServer(0, { compactIdle: false, coldPoints });
            try {
                const client = createCosmosClient({
                    endpoint: `https://127.0.0.1:${s.port}/`,
                    key: LOCAL_COSMOS_KEY,
                    database: 'packed',
                });
                const db = await ensureCosmosResources(client, 'packed');
                const vessels = db.container('vessels');
                const store = new CosmosVesselStore(vessels, { trackTtlDays: 30 });
                const B = 1_796_325_600_000;
                const point = (t: number, i: number): TrackPoint => ({
                    t,
                    lat: 55.2 + i / 1e5,
                    lon: -3.2 - i / 1e5,
                    sog: i % 2 === 0 ? 12 : 12.25,
                    cog: -0,
                    heading: 511,
                    ...(i % 5 === 0 ? { jump: true } : {}),
                    ...(i % 7 === 0 ? { jump: false } : {}),
                    e: 1_966_683_803_924_245 + i,
                });
                const writes = [366_000_001, 366_000_002].map((mmsi) => ({
                    mmsi,
                    expectedEtag: null,
                    trackBuckets: [0, 1, 2].map((b) => ({
                        bucketStart: B + b * 600_000,
                        points: Array.from({ length: 40 }, (_, i) => point(B + b * 600_000 + i * 1000, i)),
                        seen: [[B + b * 600_000 + 5, 12345, 678] as [number, number, number]],
                        expectedEtag: null,
                    })),
                }));
                await store.write(writes);
                // A bucket of the old hourly layout's points, and documents whose points are not flat objects of
                // numbers and booleans: left as they are.
                await vessels.items.create({
                    id: 'odd-1',
                    mmsi: 366_000_003,
                    docType: 'track',
                    bucketStart: B,
                    points: [{ t: 1, note: 'x' }],
                    ttl: 60,
                });
                await vessels.items.create({
                    id: 'odd-2',
                    mmsi: 366_000_003,
                    docType: 'track',
                    bucketStart: B,
                    points: [{ t: 1, n: null }],
                    ttl: 60,
                });
                await vessels.items.create({
                    id: 'odd-3',
                    mmsi: 366_000_003,
                    docType: 'track',
                    bucketStart: B,
                    points: [[1, 2]],
                    ttl: 60,
                });
                await vessels.items.create({
                    id: 'odd-4',
                    mmsi: 366_000_003,
                    docType: 'track',
                    bucketStart: B,
                    points: [],
                    ttl: 60,
                });
                await vessels.items.create({
                    id: 'first-points',
                    mmsi: 366_000_003,
                    points: [{ b: true, a: 1 }, { a: 2, b: false }, { a: 3 }],
                    z: 1,
                });

                const read = async (): Promise<unknown[]> => {
                    const out: unknown[] = [];
                    out.push(JSON.stringify(await s.dump('packed')));
                    for (const mmsi of [366_000_001, 366_000_002])
                        out.push(await store.getTrack(mmsi, B + 10_000, B + 1_500_000));
                    const vesselsRead = await store.getVessels([366_000_001, 366_000_002], [B, B + 600_000]);
                    out.push(
                        [...vesselsRead].map(([mmsi, v]) => [
                            mmsi,
                            [...v.buckets].map(([b, bucket]) => [b, bucket]),
                        ]),
                    );
                    for (const id of ['track-202612031920', 'odd-1', 'first-points']) {
                        const { resource } = await vessels
                            .item(id, id === 'track-202612031920' ? 366_000_001 : 366_000_003)
                            .read();
                        out.push(JSON.stringify(resource));
                    }
                    const { resources } = await vessels.items
                        .query('SELECT c.id, c.points, c.seen FROM c WHERE c.bucketStart >= 0 ORDER BY c.id')
                        .fetchAll();
                    out.push(JSON.stringify(resources));
                    const { resources: joined } = await vessels.items
                        .query(
                            'SELECT p.t, p.jump FROM c JOIN p IN c.points WHERE c.mmsi = 366000002 AND p.jump = true',
                        )
                        .fetchAll();
                    out.push(JSON.stringify(joined));
                    return out;
                };
                const before = await read();
                // Everything written this second or earlier: the six buckets and the one flat list of points.
                await new Promise((r) => setTimeout(r, 1100));
                await expect(s.compact(0)).resolves.toBe(7);
                await expect(s.compact(0)).resolves.toBe(0); // already compact
                // 7 documents' points as doubles: 6 buckets of 40 points (a shape index and 7 or 8 values each), 3 points.
                const { coldBytes } = await s.stats('packed');
                if (coldPoints) expect(coldBytes).toBeGreaterThan(6 * 40 * 8 * 8);
                else expect(coldBytes).toBe(0);
                const after = await read();
                expect(after).toEqual(before);
                expect(JSON.stringify(after)).toBe(JSON.stringify(before));

                // A compacted bucket keeps its etag: the store's conditional write goes through and replaces it.
                const stored = (await store.getVessels([366_000_001], [B])).get(366_000_001)!.buckets.get(B)!;
                const [result] = await store.write([
                    {
                        mmsi: 366_000_001,
                        expectedEtag: null,
                        trackBuckets: [
                            {
                                bucketStart: B,
                                points: [...stored.points, point(B + 599_000, 3)],
                                expectedEtag: stored.etag,
                            },
                        ],
                    },
                ]);
                expect(result).toMatchObject({ mmsi: 366_000_001, status: 'ok' });
                const track = await store.getTrack(366_000_001, B, B + 599_999);
                expect(track).toHaveLength(41);
                expect(track.at(-1)).toEqual({ ...point(B + 599_000, 3), cog: 0, e: undefined }); // -0 is 0 in JSON
            } finally {
                await s.stop();
            }
        },
    );
});
