/**
 * `npm run bench:cosmos-memory`: the local Cosmos-protocol server's live heap for the same documents as parsed and
 * after its idle compaction (local/cosmosCompact.ts). Loads a stack's saved snapshot (`--snapshot FILE`, e.g. a
 * soak's `--keep` folder's cosmos-snapshot.json) or, without one, a made-up fleet (`--vessels` vessels, `--buckets`
 * closed 10-minute track buckets each of `--points` points), then prints the heap after a full collection, per
 * document and per track point, as parsed and after compacting (packed points in memory, then in the temporary
 * file the local stack uses), and checks that a dump of every container is the same JSON in all three (exits 1 if
 * not). Figures only: never fails on size.
 *
 *   node dist/bench/cosmosMemory.js [--snapshot FILE] [--vessels 200] [--buckets 12] [--points 300]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

import { startCosmosServer } from '../local/cosmosServer.js';
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { LOCAL_COSMOS_KEY } from '../local/services.js';
import { createCosmosClient } from '../shared/adapters/clients.js';
import { benchArgs } from './lib/args.js';

const { values } = benchArgs({
    options: {
        snapshot: { type: 'string', default: '' },
        vessels: { type: 'string', default: '200' },
        buckets: { type: 'string', default: '12' },
        points: { type: 'string', default: '300' },
    },
});
const DATABASE = 'bench';
const BUCKET_MS = 600_000;

function madeUp(): Record<string, Record<string, unknown>[]> {
    const t0 = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS - Number(values.buckets) * BUCKET_MS;
    const vessels: Record<string, unknown>[] = [];
    for (let v = 0; v < Number(values.vessels); v++) {
        const mmsi = 366_000_000 + v;
        for (let b = 0; b < Number(values.buckets); b++) {
            const bucketStart = t0 + b * BUCKET_MS;
            const points = Array.from({ length: Number(values.points) }, (_, i) => ({
                t: bucketStart + i * 2000,
                lat: 55 + v / 1000 + i / 1e5,
                lon: 3.2 + i / 1e5,
                sog: 12.3,
                cog: (i % 3600) / 10,
                heading: i % 360,
                e: 1_966_683_803_924_245 + v * 7919 + i,
            }));
            const id = `track-${new Date(bucketStart).toISOString().replace(/[-T:]/g, '').slice(0, 12)}`;
            vessels.push({ id, docType: 'track', mmsi, bucketStart, points, ttl: 2_592_000 });
        }
    }
    return { vessels };
}

const containers: Record<string, Record<string, unknown>[]> = values.snapshot
    ? (
          JSON.parse(readFileSync(values.snapshot, 'utf8')) as {
              containers: Record<string, Record<string, unknown>[]>;
          }
      ).containers
    : madeUp();
let documents = 0;
let points = 0;
for (const docs of Object.values(containers))
    for (const d of docs) {
        documents++;
        if (Array.isArray(d.points)) points += d.points.length;
    }

const mb = (b: number): string => (b / 1048576).toFixed(1);
const empty = await startCosmosServer(0, { compactIdle: false });
const base = (await empty.stats(DATABASE, true)).heapUsed;
await empty.stop();
const per = (b: number, n: number): string => (n > 0 ? ((b - base) / n).toFixed(0) : '-');
process.stdout.write(
    `${values.snapshot || 'made-up fleet'}: ${documents.toLocaleString('en-US')} documents, ${points.toLocaleString('en-US')} track points; load ${loadavg()[0]!.toFixed(1)}\n` +
        `  empty server heap ${mb(base)} MB\n`,
);
const dumps: string[] = [];
// As the package holds documents (compactIdle: false), then after the idle pass with the packed points in memory,
// then as the local stack's server does: packed points in its temporary file (outside the heap and the RSS).
const variants = [
    { compactIdle: false, coldPoints: false, name: 'as parsed' },
    { compactIdle: true, coldPoints: false, name: 'compacted, points in memory' },
    { compactIdle: true, coldPoints: true, name: 'compacted, points on disk' },
];
for (const { compactIdle, coldPoints, name } of variants) {
    const server = await startCosmosServer(0, { compactIdle, coldPoints });
    try {
        const client = createCosmosClient({
            endpoint: `https://127.0.0.1:${server.port}/`,
            key: LOCAL_COSMOS_KEY,
            database: DATABASE,
        });
        await ensureCosmosResources(client, DATABASE);
        await server.load(DATABASE, containers);
        let t = performance.now();
        const compacted = compactIdle ? await server.compact(0) : 0;
        const compactMs = performance.now() - t;
        const { heapUsed: heap, coldBytes } = await server.stats(DATABASE, true);
        t = performance.now();
        dumps.push(JSON.stringify(await server.dump(DATABASE)));
        const dumpMs = performance.now() - t;
        process.stdout.write(
            `  ${name}${compactIdle ? ` (${compacted.toLocaleString('en-US')} documents in ${compactMs.toFixed(0)} ms)` : ''}: heap ${mb(heap)} MB live, ${per(heap, documents)} B a document, ${per(heap, points)} B a point (all of it over points)${coldBytes > 0 ? `; ${mb(coldBytes)} MB on disk` : ''}; dump ${dumpMs.toFixed(0)} ms\n`,
        );
    } finally {
        await server.stop();
    }
}
const identical = dumps.every((d) => d === dumps[0]);
process.stdout.write(`  dumps identical: ${identical}\n`);
if (!identical) process.exitCode = 1;
