/**
 * `node --expose-gc --max-semi-space-size=2 dist/bench/ingestMemory.js`: what the main thread's V8 heap holds and
 * allocates per AIS event while the local stack's large batches are in flight (issue 10: the soak's main heap went
 * from ~55 to 130-170 MB used while 4 partitions had batches of up to 1,024 events in flight).
 *
 * It runs the real path of `npm start` on this thread: Azurite and the Cosmos-protocol server (child processes, as
 * in the stack), the app's runtime and the local trigger host (local/host.ts) with the `ingestAis`
 * function only (no timers, no HTTP), fed with the simulator's events (local/simulator/SimulatorSource.ts: the soak's
 * fleet, `--vessels` 200 at `--rate` 500 events/s, NMEA with tag blocks, duplicates and corrupt ones) on a simulated
 * clock. Each round publishes `--round-events` (4,096: about 8 s of the feed) to the host's `--partitions` (4) with
 * `--max-batch` (1,024, LOCAL_MAX_BATCH_SIZE) and flushes them, so the partitions' batches run at once, as behind the
 * soak's backlog. Simulated time is placed so that the measured rounds (after `--warmup-minutes` of the feed, which
 * fill the vessels' state and 10-minute track buckets through the same path) start `--bucket-minute` minutes into a
 * track bucket.
 *
 * Per round (a full collection before it) it prints the batches, wall time, the main heap's peak `used` above the
 * round's start (sampled every 2 ms and at every collection, v8 GCProfiler), its peak committed size, the bytes
 * allocated in the round (growth of `used` plus what each collection freed) per event, the live heap left after a
 * full collection, and the process RSS peak (this process; not Azurite nor the Cosmos-protocol server). A summary over
 * the measured rounds (after the warm-up) ends it. Figures only, never fails.
 *
 * `--snapshot FILE`: a heap snapshot (v8.writeHeapSnapshot) in the first measured round at the moment `used` first
 * exceeds the round's start by `--snapshot-over-mb` (40). `--alloc-profile`: V8's sampling heap profiler over the
 * measured rounds (objects collected since included), printed as the allocation sites (allocating function, and the
 * nearest frame of our own code) by bytes per event.
 *
 *   node --expose-gc --max-semi-space-size=2 dist/bench/ingestMemory.js [--vessels 200] [--rate 500]
 *        [--warmup-minutes 5] [--rounds 6] [--round-events 4096] [--bucket-minute 5] [--snapshot FILE] [--alloc-profile]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GCProfiler, getHeapStatistics, writeHeapSnapshot } from 'node:v8';

import { bindFunctions } from '../functions/definitions.js';
import { ingestAisDefinition } from '../functions/ingestAis.js';
import { createRuntime } from '../functions/runtime.js';
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { trimHeapPeriodically } from '../local/heapTrim.js';
import { type HostEvent, LocalHost } from '../local/host.js';
import { startLocalServices } from '../local/services.js';
import { type SimClock, SimulatorSource } from '../local/simulator/SimulatorSource.js';
import { LOCAL_MAX_BATCH_SIZE, stackSettings } from '../local/stack.js';
import { createLakeContainers } from '../shared/adapters/clients.js';
import type { BatchSummary } from '../shared/app/ingestAisBatch.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { LAKE_CONTAINERS } from '../shared/config/settingNames.js';
import { TRACK_BUCKET_MS } from '../shared/domain/time.js';
import { benchArgs } from './lib/args.js';

const { values } = benchArgs({
    options: {
        vessels: { type: 'string', default: '200' },
        rate: { type: 'string', default: '500' },
        'warmup-minutes': { type: 'string', default: '5' },
        rounds: { type: 'string', default: '6' },
        'round-events': { type: 'string', default: '4096' },
        partitions: { type: 'string', default: '4' },
        'max-batch': { type: 'string', default: String(LOCAL_MAX_BATCH_SIZE) },
        'bucket-minute': { type: 'string', default: '5' },
        seed: { type: 'string', default: '1' },
        snapshot: { type: 'string', default: '' },
        'snapshot-over-mb': { type: 'string', default: '40' },
        'alloc-profile': { type: 'boolean', default: false },
    },
});
const MB = 1_048_576;
const ROUND_EVENTS = Number(values['round-events']);
const WARMUP_MS = Number(values['warmup-minutes']) * 60_000;
const ROUNDS = Number(values.rounds);
const RATE = Number(values.rate);

const exposedGc = (globalThis as { gc?: () => void }).gc;
if (exposedGc === undefined) {
    process.stderr.write('run with node --expose-gc (and --max-semi-space-size=2, as the stack runs)\n');
    process.exit(2);
}
const gc: () => void = exposedGc;

/** A clock the bench moves by hand: the simulator's ticks are called directly. */
class ManualClock implements SimClock {
    constructor(public t: number) {}
    now(): number {
        return this.t;
    }
    setInterval(): unknown {
        return undefined;
    }
    clearInterval(): void {}
}

/**
 * Simulated time: the measured rounds start `--bucket-minute` minutes into a track bucket that began at least
 * (warm-up + rounds + 2 minutes) ago, so no event is in the future.
 */
function simulatedStart(now: number): number {
    const measuredMs = (ROUNDS * ROUND_EVENTS * 1000) / RATE;
    const into = Number(values['bucket-minute']) * 60_000;
    const latestBucket = now - into - measuredMs - 120_000;
    const bucket = Math.floor(latestBucket / TRACK_BUCKET_MS) * TRACK_BUCKET_MS;
    return bucket + into - WARMUP_MS;
}

interface Round {
    n: number;
    warmup: boolean;
    events: number;
    batches: number[];
    ms: number;
    /** MB above the round's start (after a full collection). */
    usedPeak: number;
    totalPeak: number;
    allocatedMb: number;
    liveAfter: number;
    rssPeak: number;
    start: number;
    accepted: number;
}

function rssMb(): number {
    return process.memoryUsage.rss() / MB;
}

function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface ProfileNode {
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: ProfileNode[];
}

/** Bytes by allocating frame and by the nearest frame of our own code (dist/{shared,functions,local}). */
function allocationSites(root: ProfileNode): {
    leaf: Map<string, number>;
    ours: Map<string, number>;
    stacks: Map<string, number>;
} {
    const leaf = new Map<string, number>();
    const ours = new Map<string, number>();
    const stacks = new Map<string, number>();
    const name = (f: ProfileNode['callFrame']): string => {
        const file = f.url.replace(/^.*\/(dist|node_modules)\//, '$1/');
        return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    };
    const walk = (node: ProfileNode, path: ProfileNode['callFrame'][]): void => {
        const here = [...path, node.callFrame];
        if (node.selfSize > 0) {
            const l = name(node.callFrame);
            leaf.set(l, (leaf.get(l) ?? 0) + node.selfSize);
            const own = [...here]
                .reverse()
                .find((f) => /\/dist\/(shared|functions|local)\//.test(f.url) && !f.url.includes('/bench/'));
            const o = own === undefined ? '(no frame of ours)' : name(own);
            ours.set(o, (ours.get(o) ?? 0) + node.selfSize);
            const stack = here
                .slice(-7)
                .reverse()
                .map((f) => name(f))
                .join(' < ');
            stacks.set(stack, (stacks.get(stack) ?? 0) + node.selfSize);
        }
        for (const c of node.children) walk(c, here);
    };
    walk(root, []);
    return { leaf, ours, stacks };
}

async function main(): Promise<void> {
    const load0 = loadavg()[0] ?? 0;
    const deadLetterDir = mkdtempSync(join(tmpdir(), 'ingest-memory-deadletter-'));
    const services = await startLocalServices({ quiet: true });
    const settings = stackSettings(services, deadLetterDir, {});
    const runtime = createRuntime(loadConfig(settings));
    const lake = createLakeContainers(runtime.blobService);
    await Promise.all(LAKE_CONTAINERS.map((name) => lake[name].createIfNotExists()));
    await ensureCosmosResources(runtime.cosmos, runtime.config.cosmos.database);
    const summaries: BatchSummary[] = [];
    const host = new LocalHost(bindFunctions([ingestAisDefinition], runtime), {
        partitions: Number(values.partitions),
        maxBatchSize: Number(values['max-batch']),
        batchWindowMs: 3_600_000,
        settings,
        onResult: (_name, result) => summaries.push(result as BatchSummary),
        onLost: (name, events, error) => process.stderr.write(`${name}: lost ${events} events: ${error}\n`),
    });
    await host.start();
    const stopTrimming = trimHeapPeriodically();

    const clock = new ManualClock(simulatedStart(Date.now()));
    const simStart = clock.t;
    const source = new SimulatorSource({
        rate: RATE,
        vessels: Number(values.vessels),
        seed: Number(values.seed),
        encounters: true,
        clock,
    });
    let queued: HostEvent[] = [];
    const take = (): HostEvent[] => {
        while (queued.length < ROUND_EVENTS) {
            clock.t += 100;
            for (const e of source.tick())
                queued.push({
                    body: e.body,
                    partitionKey: e.partitionKey,
                    ...(e.properties ? { properties: e.properties } : {}),
                });
        }
        const out = queued.slice(0, ROUND_EVENTS);
        queued = queued.slice(ROUND_EVENTS);
        return out;
    };

    let session: Session | undefined;
    if (values['alloc-profile']) {
        session = new Session();
        session.connect();
    }
    let snapshotFile: string | undefined;
    const rounds: Round[] = [];
    console.log(
        `ingestMemory: ${values.vessels} vessels at ${RATE} events/s, rounds of ${ROUND_EVENTS} events over ${values.partitions} partitions (max batch ${values['max-batch']}), warm-up ${values['warmup-minutes']} min, measured rounds from minute ${values['bucket-minute']} of a track bucket; node ${process.version} ${process.execArgv.join(' ')}; load ${load0.toFixed(1)}`,
    );
    console.log(
        'round | sim min | batches | s | used peak +MB | committed peak MB | allocated MB | KB/event | live after +MB | RSS peak MB',
    );
    for (let n = 1; ; n++) {
        const warmup = clock.t - simStart < WARMUP_MS;
        const measured = rounds.filter((r) => !r.warmup).length;
        if (!warmup && measured >= ROUNDS) break;
        const events = take();
        const simMinute = (clock.t - simStart) / 60_000;
        gc();
        gc();
        const start = getHeapStatistics().used_heap_size;
        let usedPeak = start;
        let totalPeak = getHeapStatistics().total_heap_size;
        let rssPeak = rssMb();
        const wantSnapshot = !warmup && values.snapshot !== '' && snapshotFile === undefined;
        const sampler = setInterval(() => {
            const h = getHeapStatistics();
            usedPeak = Math.max(usedPeak, h.used_heap_size);
            totalPeak = Math.max(totalPeak, h.total_heap_size);
            rssPeak = Math.max(rssPeak, rssMb());
            if (
                wantSnapshot &&
                snapshotFile === undefined &&
                h.used_heap_size - start > Number(values['snapshot-over-mb']) * MB
            ) {
                snapshotFile = writeHeapSnapshot(values.snapshot);
                process.stderr.write(
                    `heap snapshot at +${((h.used_heap_size - start) / MB).toFixed(0)} MB: ${snapshotFile}\n`,
                );
            }
        }, 2);
        if (!warmup && session) {
            await session.post('HeapProfiler.startSampling', {
                samplingInterval: 16_384,
                includeObjectsCollectedByMajorGC: true,
                includeObjectsCollectedByMinorGC: true,
            } as never);
        }
        const profiler = new GCProfiler();
        profiler.start();
        const before = summaries.length;
        const began = performance.now();
        host.publish(events);
        host.flush();
        await host.idle();
        const ms = performance.now() - began;
        const end = getHeapStatistics().used_heap_size;
        const gcs = profiler.stop()?.statistics ?? [];
        clearInterval(sampler);
        let freed = 0;
        for (const g of gcs) {
            const b = g.beforeGC.heapStatistics;
            usedPeak = Math.max(usedPeak, b.usedHeapSize);
            totalPeak = Math.max(totalPeak, b.totalHeapSize);
            freed += b.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
        }
        if (!warmup && session) {
            const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
                profile: { head: ProfileNode };
            };
            profiles.push(profile.head);
        }
        const landed = summaries.slice(before);
        gc();
        gc();
        const round: Round = {
            n,
            warmup,
            events: events.length,
            batches: landed.map((s) => s.events),
            ms,
            usedPeak: (usedPeak - start) / MB,
            totalPeak: totalPeak / MB,
            allocatedMb: (end - start + freed) / MB,
            liveAfter: (getHeapStatistics().used_heap_size - start) / MB,
            rssPeak,
            start: start / MB,
            accepted: landed.reduce((a, s) => a + s.accepted, 0),
        };
        rounds.push(round);
        console.log(
            `${warmup ? 'w' : ''}${n} | ${simMinute.toFixed(1)} | ${round.batches.join('+')} | ${(ms / 1000).toFixed(1)} | ${round.usedPeak.toFixed(1)} (from ${round.start.toFixed(0)}) | ${round.totalPeak.toFixed(0)} | ${round.allocatedMb.toFixed(0)} | ${((round.allocatedMb * 1024) / round.events).toFixed(1)} | ${round.liveAfter.toFixed(1)} | ${rssPeak.toFixed(0)}`,
        );
    }
    const m = rounds.filter((r) => !r.warmup);
    const load1 = loadavg()[0] ?? 0;
    console.log(
        `MEASURED (${m.length} rounds, ${m.reduce((a, r) => a + r.events, 0)} events): used peak above start median ${median(m.map((r) => r.usedPeak)).toFixed(1)} MB, max ${Math.max(...m.map((r) => r.usedPeak)).toFixed(1)} MB (${((median(m.map((r) => r.usedPeak)) * 1024) / ROUND_EVENTS).toFixed(1)} KB/event); committed peak max ${Math.max(...m.map((r) => r.totalPeak)).toFixed(0)} MB; allocated median ${median(m.map((r) => (r.allocatedMb * 1024) / r.events)).toFixed(1)} KB/event; wall median ${(median(m.map((r) => r.ms)) / 1000).toFixed(2)} s/round; RSS peak max ${Math.max(...m.map((r) => r.rssPeak)).toFixed(0)} MB; load ${load0.toFixed(1)} -> ${load1.toFixed(1)}`,
    );
    if (profiles.length > 0) {
        const events = m.reduce((a, r) => a + r.events, 0);
        const leaf = new Map<string, number>();
        const ours = new Map<string, number>();
        const stacks = new Map<string, number>();
        for (const p of profiles) {
            const s = allocationSites(p);
            for (const [k, v] of s.leaf) leaf.set(k, (leaf.get(k) ?? 0) + v);
            for (const [k, v] of s.ours) ours.set(k, (ours.get(k) ?? 0) + v);
            for (const [k, v] of s.stacks) stacks.set(k, (stacks.get(k) ?? 0) + v);
        }
        const total = [...leaf.values()].reduce((a, b) => a + b, 0);
        const top = (map: Map<string, number>, title: string, n = 25): void => {
            console.log(`${title} (sampled, ${(total / events / 1024).toFixed(1)} KB/event in all):`);
            for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
                console.log(`  ${(v / events / 1024).toFixed(2).padStart(7)} KB/event  ${k}`);
        };
        top(leaf, 'ALLOCATING FRAMES');
        top(ours, 'NEAREST FRAME OF OUR CODE');
        top(stacks, 'STACKS (allocating frame < its callers)');
    }
    // The newest track buckets: how many points each batch read and rewrote per vessel at the end.
    const docs = (await services.cosmosData.dump(runtime.config.cosmos.database)).vessels ?? [];
    const tracks = docs.filter((d) => d.docType === 'track') as { bucketStart: number; points?: unknown[] }[];
    const newest = Math.max(...tracks.map((d) => d.bucketStart));
    const sizes = tracks.filter((d) => d.bucketStart === newest).map((d) => d.points?.length ?? 0);
    const json = tracks
        .filter((d) => d.bucketStart === newest)
        .reduce((a, d) => a + JSON.stringify(d.points ?? []).length, 0);
    console.log(
        `newest track bucket at the end: ${sizes.length} vessels, points median ${median(sizes)}, max ${Math.max(...sizes)}, ${(
            json /
            Math.max(
                1,
                sizes.reduce((a, b) => a + b, 0),
            )
        ).toFixed(0)} bytes of JSON a point`,
    );
    stopTrimming();
    session?.disconnect();
    await host.stop();
    runtime.dispose();
    await services.stop();
    rmSync(deadLetterDir, { recursive: true, force: true });
}

const profiles: ProfileNode[] = [];

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error);
        process.exit(1);
    },
);
