/**
 * `npm run bench:health`: GET /api/health against the target (p95 < 50 ms), end to end as a probe sees it, and
 * what one probe of the dependencies costs.
 *
 * 1. END TO END: `maritime start --port 0 --in-memory --rate R` runs as its own process (simulator, ingest, timers and
 *    the HTTP thread, as `npm start` runs them), once per rate of `--rates` (default 200, the default rate, then 500);
 *    after `--warm-seconds` this process calls /api/health from `--connections` loops, each one call every
 *    `--interval-ms`, for `--seconds`, and prints p50/p95/p99/max of the response times, the non-200 answers, the
 *    probes the answers rested on (distinct `checkedAt`) and what those probes took (`dependencies.*.ms`), and the
 *    floor: between two health calls a call to a route no function serves (the host's 404 from the same HTTP
 *    thread), what the machine's load and the host add to any route; then met / NOT met against 50 ms per rate. `--bin PATH` times another build's `bin/maritime.js` (a baseline).
 * 2. THE PROBE: the check itself (watermark listing + Cosmos point read) against Azurite and the Cosmos-protocol
 *    server in this process, with an empty lake and with `--blobs` bronze blobs: its cost must not grow with the lake.
 *
 * Runs at 200 ev/s or more share the machine with everyone: take `flock /work/team/soak.lock` around it there.
 * Figures only: never fails on speed (shared machines are noisy; the load average is printed beside each figure).
 *
 *   node dist/bench/health.js [--rates 200,500] [--seconds 30] [--warm-seconds 20] [--interval-ms 100]
 *                             [--connections 1] [--blobs 10000] [--skip-probe] [--skip-stack] [--bin PATH]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { startLocalServices } from '../local/services.js';
import { BlobLake } from '../shared/adapters/BlobLake.js';
import {
    createBlobServiceClient,
    createCosmosClient,
    createLakeContainers,
} from '../shared/adapters/clients.js';
import { CosmosVesselStore } from '../shared/adapters/CosmosVesselStore.js';
import { checkHealth } from '../shared/app/health.js';
import { WatermarkWriter } from '../shared/app/watermarks.js';
import { benchArgs } from './lib/args.js';
import { stackApiBase } from './lib/child.js';

const TARGET_MS = 50;

const { values: args } = benchArgs({
    options: {
        rates: { type: 'string', default: '200,500' },
        seconds: { type: 'string', default: '30' },
        'warm-seconds': { type: 'string', default: '20' },
        'interval-ms': { type: 'string', default: '100' },
        connections: { type: 'string', default: '1' },
        blobs: { type: 'string', default: '10000' },
        calls: { type: 'string', default: '50' },
        bin: { type: 'string', default: fileURLToPath(new URL('../../bin/maritime.js', import.meta.url)) },
        'skip-probe': { type: 'boolean', default: false },
        'skip-stack': { type: 'boolean', default: false },
    },
});

function load(): string {
    return loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
}

function percentile(sorted: readonly number[], p: number): number {
    return (
        sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
        Number.NaN
    );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface HealthBody {
    status: string;
    checkedAt: number;
    dependencies: Record<string, { status: string; ms: number }>;
}

// --- 1. end to end -------------------------------------------------------------------------------------------------

async function startStack(rate: number): Promise<{ child: ChildProcess; base: string }> {
    const child = spawn(
        process.execPath,
        [args.bin, 'start', '--port', '0', '--in-memory', '--quiet', '--rate', String(rate)],
        { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const base = await stackApiBase(child);
    return { child, base };
}

async function stopStack(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await Promise.race([exited, sleep(30_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
}

interface StackRow {
    rate: number;
    calls: number;
    notOk: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    /** The same HTTP thread answering a route no function serves (404): what the machine and the host add. */
    floor: { p50: number; p95: number };
    probes: number;
    probeMs: { storage: number; cosmos: number };
    loadBefore: string;
    loadAfter: string;
}

async function measureStack(rate: number): Promise<StackRow> {
    const { child, base } = await startStack(rate);
    try {
        process.stdout.write(
            `\nstack at ${base}, ${rate} AIS events/s (+ sensor readings); warming ${args['warm-seconds']} s ...\n`,
        );
        await sleep(Number(args['warm-seconds']) * 1000);
        const loadBefore = load();
        const times: number[] = [];
        const floor: number[] = [];
        const probes = new Map<number, HealthBody['dependencies']>();
        let notOk = 0;
        const until = Date.now() + Number(args.seconds) * 1000;
        const interval = Number(args['interval-ms']);
        const loop = async (): Promise<void> => {
            while (Date.now() < until) {
                const t = performance.now();
                const res = await fetch(`${base}/health`);
                const body = (await res.json()) as HealthBody;
                times.push(performance.now() - t);
                if (res.status !== 200) notOk += 1;
                probes.set(body.checkedAt, body.dependencies);
                await sleep(interval / 2);
                // The floor: a route no function serves (the host's 404), the HTTP thread's own turn-around.
                const f = performance.now();
                await (await fetch(`${base}/no-such-route`)).arrayBuffer();
                floor.push(performance.now() - f);
                await sleep(interval / 2);
            }
        };
        await Promise.all(Array.from({ length: Number(args.connections) }, loop));
        times.sort((a, b) => a - b);
        floor.sort((a, b) => a - b);
        const depMs = (name: string): number =>
            percentile(
                [...probes.values()].map((d) => d[name]?.ms ?? Number.NaN).sort((a, b) => a - b),
                50,
            );
        return {
            rate,
            calls: times.length,
            notOk,
            p50: percentile(times, 50),
            p95: percentile(times, 95),
            p99: percentile(times, 99),
            max: times[times.length - 1] ?? Number.NaN,
            floor: { p50: percentile(floor, 50), p95: percentile(floor, 95) },
            probes: probes.size,
            probeMs: { storage: depMs('storage'), cosmos: depMs('cosmos') },
            loadBefore,
            loadAfter: load(),
        };
    } finally {
        await stopStack(child);
    }
}

async function endToEnd(): Promise<StackRow[]> {
    const rates = args.rates.split(',').map(Number);
    process.stdout.write(
        `END TO END: GET /api/health on \`${args.bin} start --in-memory --rate R\`, ${args.connections} client(s), one call every ${args['interval-ms']} ms each, ${args.seconds} s per rate\n`,
    );
    const rows: StackRow[] = [];
    for (const rate of rates) {
        const r = await measureStack(rate);
        rows.push(r);
        process.stdout.write(
            `  ${rate} ev/s: ${r.calls} calls, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.notOk} not 200; ` +
                `answers rested on ${r.probes} probes (storage ${r.probeMs.storage} ms, Cosmos ${r.probeMs.cosmos} ms median); ` +
                `floor (a 404 from the same thread) p50 ${r.floor.p50.toFixed(1)} ms, p95 ${r.floor.p95.toFixed(1)} ms; load ${r.loadBefore} -> ${r.loadAfter}\n`,
        );
    }
    return rows;
}

// --- 2. the probe itself -------------------------------------------------------------------------------------------

async function probeCost(): Promise<void> {
    const calls = Number(args.calls);
    const blobs = Number(args.blobs);
    const services = await startLocalServices({ quiet: true });
    try {
        const containers = createLakeContainers(
            createBlobServiceClient({ connectionString: services.lakeConnectionString }),
        );
        await Promise.all(Object.values(containers).map((c) => c.createIfNotExists()));
        const lake = new BlobLake(containers);
        const cosmos = createCosmosClient({
            endpoint: services.cosmosEndpoint,
            key: services.cosmosKey,
            database: 'bench',
        });
        const database = await ensureCosmosResources(cosmos, 'bench');
        const vessels = new CosmosVesselStore(database.container('vessels'), { trackTtlDays: 30 });
        const deps = { lake, vessels, now: Date.now };
        const summary = {
            batchId: '0-0-0',
            partitionId: '0',
            received: 1,
            accepted: 1,
            quarantined: 1,
            duplicates: 0,
            skipped: 0,
            quarantinedByReason: {},
        };
        for (const p of ['0', '1', '2', '3'])
            await new WatermarkWriter(lake).mark('ais', { ...summary, partitionId: p }, Date.now());
        const measure = async (): Promise<{ p50: number; p95: number }> => {
            const times: number[] = [];
            for (let i = 0; i < calls; i++) {
                const t = performance.now();
                const h = await checkHealth(deps);
                times.push(performance.now() - t);
                if (h.status === 'unavailable')
                    throw new Error(`health unavailable: ${JSON.stringify(h.dependencies)}`);
            }
            times.sort((a, b) => a - b);
            return { p50: percentile(times, 50), p95: percentile(times, 95) };
        };
        const small = await measure();
        const day = new Date().toISOString().slice(0, 10);
        for (let i = 0; i < blobs; i += 200) {
            await Promise.all(
                Array.from({ length: Math.min(200, blobs - i) }, (_, k) =>
                    lake.writeJsonLinesGz('bronze', `ais/date=${day}/hour=00/0-${i + k}-${i + k}.jsonl.gz`, [
                        { body: '!AIVDM' },
                    ]),
                ),
            );
        }
        const large = await measure();
        process.stdout.write(
            `\nTHE PROBE (watermark listing + Cosmos point read, uncached; the route answers from its last one), ${calls} probes each, load ${load()}\n` +
                `  lake with 0 data blobs:       p50 ${small.p50.toFixed(1)} ms, p95 ${small.p95.toFixed(1)} ms\n` +
                `  lake with ${blobs.toLocaleString('en-US')} data blobs: p50 ${large.p50.toFixed(1)} ms, p95 ${large.p95.toFixed(1)} ms\n` +
                `  ratio large/small p50: ${(large.p50 / small.p50).toFixed(2)} (1.0 = independent of lake size)\n`,
        );
        cosmos.dispose();
    } finally {
        await services.stop();
    }
}

async function main(): Promise<void> {
    process.stdout.write(`bench:health: load average ${load()} (a shared machine: figures are indicative)\n`);
    const rows = args['skip-stack'] ? [] : await endToEnd();
    if (!args['skip-probe']) await probeCost();
    if (rows.length > 0) {
        process.stdout.write(`\nTARGET: /api/health p95 < ${TARGET_MS} ms\n`);
        for (const r of rows)
            process.stdout.write(
                `  ${String(r.rate).padStart(4)} ev/s: p95 ${r.p95.toFixed(1)} ms -> ${r.p95 < TARGET_MS ? 'met' : 'NOT met'} (floor p95 ${r.floor.p95.toFixed(1)} ms; load ${r.loadBefore} -> ${r.loadAfter})\n`,
            );
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
