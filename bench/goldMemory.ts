/**
 * `npm run bench:gold-memory`: what one gold build adds to the memory of the process that runs it (issue 10, the
 * soak's peaks during builds), step by step, over real local-stack data. Prints figures; never fails on them.
 *
 *   node dist/bench/goldMemory.js --data-dir DIR [--day YYYY-MM-DD] [--runs 3] [--every 200]
 *                                  [--duckdb-memory 512MB] [--job gold|sensor|compliance] [--pause-after S]
 *
 * `DIR` is a folder a local stack wrote (`node dist/bench/soak.js --keep DIR`, or `npm start`'s `.local`); it is
 * opened as `maritime gold --local` does (the embedded Azurite and Cosmos-protocol server, this process), and the
 * day (default: the day with the most silver files) is built `--runs` times through the real code path
 * (`buildGoldDay`: silver listing and download, DuckDB in this process, the vessel pass, the gold Parquet and Cosmos
 * writes), its output written over what the stack wrote. Every `--every` ms it samples this process's RSS, the main
 * thread's V8 heap (used/committed), external memory and array buffers, and the resident part of glibc's main arena
 * (`[heap]` in /proc/self/smaps) and of the other anonymous mappings (the V8 heaps, glibc's second arena, DuckDB's
 * jemalloc), each labelled with the step running (the query, the download, the JS after a query). Per run it prints
 * the peak of each above the run's start, the step at the peak, the RSS after the build and after a full collection,
 * and a digest of each gold table's rows (the Parquet part, `run_id` left out), so two settings can be compared row
 * for row (`--duckdb-memory`, or two builds of the code). `--pause-after S` waits S seconds after each run and prints
 * each figure again (what the allocators give back by themselves; meanwhile `gdb -p PID -batch -ex 'call
 * (int)malloc_trim(0)'` shows what glibc still holds freed, README "Native memory freed but not given back").
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { parquetReadObjects } from 'hyparquet';

import { openCliRuntime } from '../local/cliRuntime.js';
import { checkComplianceWindow } from '../shared/app/compliance/checkComplianceWindow.js';
import { buildGoldDay } from '../shared/app/gold/buildGoldDay.js';
import { goldPartPath } from '../shared/app/gold/goldOutput.js';
import { buildSensorHourlyWindow } from '../shared/app/gold/sensorHourlyJob.js';
import { dayWindow } from '../shared/app/gold/window.js';
import type { GoldEngine, GoldSession } from '../shared/app/ports.js';
import { benchArgs } from './lib/args.js';

const { values: args } = benchArgs({
    options: {
        'data-dir': { type: 'string' },
        day: { type: 'string' },
        runs: { type: 'string', default: '3' },
        every: { type: 'string', default: '200' },
        'duckdb-memory': { type: 'string' },
        job: { type: 'string', default: 'gold' },
        /** Writes one heap snapshot of the main thread (in the data folder) when its heap's used MB first exceed this. */
        'snapshot-above': { type: 'string' },
        /** The build's "now" (ISO time; default: when the bench starts), the same for every run so their rows compare. */
        now: { type: 'string' },
        /**
         * Seconds to wait after each run (after its full collection), then print the RSS again: the time DuckDB's
         * allocator or glibc take to give freed memory back, or for an outside tool (gdb's `call malloc_trim(0)`) to
         * measure what is freed but still resident.
         */
        'pause-after': { type: 'string', default: '0' },
    },
});

const GOLD_TABLES = ['vessel_daily', 'emissions_daily', 'port_calls', 'port_calls_open', 'voyages'];

interface Sample {
    rss: number;
    heapUsed: number;
    heapTotal: number;
    external: number;
    arrayBuffers: number;
    arena: number;
    otherAnon: number;
    step: string;
}

const MB = 1_048_576;

/** A reused buffer for /proc/self/smaps: the sampling itself makes no garbage on the heap it measures. */
let smapsBuffer = Buffer.alloc(1 << 20);

/**
 * Resident MB of the `[heap]` mapping (glibc's main arena) and of the other anonymous mappings. Read into a reused
 * buffer and scanned byte by byte: reading the file as a string and splitting it (about 1 MB with DuckDB's
 * mappings, every 200 ms) made 330 MB of garbage a run, part of the main heap's peak this bench reports.
 */
function smaps(): { arena: number; otherAnon: number } {
    let length = 0;
    const fd = openSync('/proc/self/smaps', 'r');
    try {
        for (;;) {
            if (length === smapsBuffer.length) {
                const bigger = Buffer.alloc(smapsBuffer.length * 2);
                smapsBuffer.copy(bigger);
                smapsBuffer = bigger;
            }
            const n = readSync(fd, smapsBuffer, length, smapsBuffer.length - length, null);
            if (n === 0) break;
            length += n;
        }
    } finally {
        closeSync(fd);
    }
    const b = smapsBuffer;
    let arena = 0;
    let otherAnon = 0;
    let kind: 'heap' | 'anon' | 'file' = 'file';
    let start = 0;
    while (start < length) {
        let end = b.indexOf(10, start);
        if (end < 0 || end > length) end = length;
        if (b[start] === 0x52 && b[start + 1] === 0x73 && b[start + 2] === 0x73 && b[start + 3] === 0x3a) {
            // "Rss:    1234 kB"
            let kb = 0;
            for (let i = start + 4; i < end; i++) {
                const c = b[i]!;
                if (c >= 0x30 && c <= 0x39) kb = kb * 10 + (c - 0x30);
                else if (kb > 0) break;
            }
            if (kind === 'heap') arena += kb / 1024;
            else if (kind === 'anon') otherAnon += kb / 1024;
        } else if (isMappingLine(b, start, end)) {
            // "addr-addr perms offset dev inode   path": the 6th field, or none.
            let i = start;
            for (let field = 0; field < 5; field++) {
                while (i < end && b[i] !== 0x20) i++;
                while (i < end && b[i] === 0x20) i++;
            }
            const path = end - i;
            kind =
                path === 0
                    ? 'anon'
                    : path === 6 && b.toString('latin1', i, end) === '[heap]'
                      ? 'heap'
                      : 'file';
        }
        start = end + 1;
    }
    return { arena, otherAnon };
}

/** Whether the line starts with `hex-hex ` (a mapping's header; the other lines start with a field name). */
function isMappingLine(b: Buffer, start: number, end: number): boolean {
    const hex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
    let i = start;
    while (i < end && hex(b[i]!)) i++;
    if (i === start || b[i] !== 0x2d) return false;
    const second = ++i;
    while (i < end && hex(b[i]!)) i++;
    return i > second && b[i] === 0x20;
}

let step = 'idle';

function sample(): Sample {
    const m = process.memoryUsage();
    return {
        rss: m.rss / MB,
        heapUsed: m.heapUsed / MB,
        heapTotal: m.heapTotal / MB,
        external: m.external / MB,
        arrayBuffers: m.arrayBuffers / MB,
        ...smaps(),
        step,
    };
}

/** A short name of a gold query, for the step column. */
function label(sql: string): string {
    const s = sql.replace(/\s+/g, ' ');
    if (s.includes('ORDER BY mmsi, t')) return 'sql.tracks (stream)';
    if (s.includes('hours_with_fix')) return 'sql.vessel_daily';
    if (s.includes('kg_per_hour')) return 'sql.fuel_flow';
    if (s.includes('ingest_batches')) return 'sql.dq (ingest)';
    if (/ais_static/.test(s) && /ship_type/.test(s) && !/ais_positions/.test(s)) return 'sql.vessel_facts';
    if (/voyage/i.test(s)) return 'sql.voyages';
    if (/dq|quarantin|late/i.test(s)) return 'sql.dq';
    return `sql.${s.slice(0, 30)}`;
}

/** The engine, its steps labelled for the sampler. */
function labelled(inner: GoldEngine): GoldEngine {
    return {
        async open(inputs, shard, references) {
            step = 'download+views';
            const session = await inner.open(inputs, shard, references);
            step = 'js';
            const wrapped: GoldSession = {
                async query(sql) {
                    step = label(sql);
                    try {
                        return await session.query(sql);
                    } finally {
                        step = 'js';
                    }
                },
                async stream(sql, onChunk) {
                    step = label(sql);
                    try {
                        return await session.stream(sql, onChunk);
                    } finally {
                        step = 'js';
                    }
                },
                async close() {
                    step = 'close';
                    try {
                        await session.close();
                    } finally {
                        step = 'write (after close)';
                    }
                },
            };
            return wrapped;
        },
    };
}

function rowsDigest(rows: readonly Record<string, unknown>[]): string {
    const h = createHash('sha256');
    for (const row of rows) {
        const { run_id: _, ...rest } = row;
        h.update(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
        h.update('\n');
    }
    return h.digest('hex').slice(0, 12);
}

async function main(): Promise<void> {
    const dataDir = args['data-dir'];
    if (dataDir === undefined) throw new Error('--data-dir DIR is required');
    if (args['duckdb-memory'] !== undefined) process.env.GOLD_DUCKDB_MEMORY_LIMIT = args['duckdb-memory'];
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const cli = await openCliRuntime({ local: true, dataDir });
    const rt = cli.runtime;
    try {
        const quiet = { debug() {}, info() {}, warn() {}, error() {} };
        const deps = await rt.goldJobDeps(quiet);
        deps.engine = labelled(deps.engine);
        const now = args.now === undefined ? Date.now() : Date.parse(args.now);
        let day = args.day;
        if (day === undefined) {
            const counts = new Map<string, number>();
            for (const blob of await rt.lake.list('silver', 'ais_positions/')) {
                const d = /date=(\d{4}-\d{2}-\d{2})/.exec(blob.path)?.[1];
                if (d !== undefined) counts.set(d, (counts.get(d) ?? 0) + 1);
            }
            day = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
            if (day === undefined) throw new Error(`no silver ais_positions in ${dataDir}`);
        }
        console.log(
            `gold memory: ${args.job} build of ${day} as of ${new Date(now).toISOString()} from ${dataDir}, DuckDB memory limit ${rt.config.gold.duckdbMemoryLimit}, ` +
                `sampled every ${args.every} ms, load ${loadavg()
                    .map((x) => x.toFixed(1))
                    .join(' ')}`,
        );
        for (let run = 1; run <= Number(args.runs); run++) {
            gc();
            const base = sample();
            const samples: Sample[] = [];
            let snapshotTaken = args['snapshot-above'] === undefined;
            const timer = setInterval(() => {
                const s = sample();
                samples.push(s);
                if (!snapshotTaken && s.heapUsed > Number(args['snapshot-above'])) {
                    snapshotTaken = true;
                    const file = writeHeapSnapshot(join(dataDir, `gold-${run}-${Date.now()}.heapsnapshot`));
                    console.log(`  heap snapshot at ${s.heapUsed.toFixed(0)} MB used (${s.step}): ${file}`);
                }
            }, Number(args.every));
            const started = performance.now();
            let result = '';
            if (args.job === 'compliance') {
                step = 'compliance';
                const cd = rt.complianceDeps(quiet);
                const inner = cd.inputs;
                cd.inputs = {
                    watermark: (range) => inner.watermark(range),
                    async read(range) {
                        step = 'compliance.read';
                        try {
                            return await inner.read(range);
                        } finally {
                            step = 'compliance.checks+writes';
                        }
                    },
                };
                const start = Date.parse(`${day}T00:00:00Z`);
                const end = start + 86_400_000;
                const s = await checkComplianceWindow(
                    cd,
                    rt.complianceSettings,
                    { day, start, end, cut: Math.min(end, Math.max(start, now)), runId: `bench-${run}` },
                    'bench',
                );
                result = `files ${s.files}, vessels ${s.vessels}, fixes ${s.fixes}, findings ${s.goldRows}`;
            } else if (args.job === 'sensor') {
                const s = await buildSensorHourlyWindow(
                    deps,
                    { graceMs: 0, horizonDays: 1, maxWindows: 1, leaseMs: 600_000 },
                    day,
                    `bench-${run}`,
                    { force: true },
                );
                result = JSON.stringify(s).slice(0, 200);
            } else {
                const w = { ...dayWindow(day, now), runId: `bench-${run}` };
                const summary = await buildGoldDay(deps, w, { index: 0, count: 1 });
                result = `files ${summary.silverFiles}, rows ${JSON.stringify(summary.rows)}`;
            }
            const seconds = (performance.now() - started) / 1000;
            step = 'after';
            clearInterval(timer);
            const after = sample();
            gc();
            const collected = sample();
            const peakOf = (f: (s: Sample) => number) =>
                samples.reduce((best, s) => (f(s) > f(best) ? s : best), base);
            const line = (name: string, f: (s: Sample) => number) => {
                const p = peakOf(f);
                return `  ${name.padEnd(22)} start ${f(base).toFixed(0).padStart(4)}  peak +${(f(p) - f(base)).toFixed(0).padStart(4)} (${p.step})  after ${f(after).toFixed(0).padStart(4)}  after gc ${f(collected).toFixed(0).padStart(4)}${paused === undefined ? '' : `  after ${pause} s ${f(paused).toFixed(0).padStart(4)}`}`;
            };
            const pause = Number(args['pause-after']);
            let paused: Sample | undefined;
            if (pause > 0) {
                console.log(`  pausing ${pause} s (pid ${process.pid})`);
                await new Promise((r) => setTimeout(r, pause * 1000));
                paused = sample();
            }
            console.log(`run ${run}: ${seconds.toFixed(1)} s, ${samples.length} samples, ${result}`);
            console.log(line('RSS MB', (s) => s.rss));
            console.log(line('main heap used MB', (s) => s.heapUsed));
            console.log(line('main heap committed MB', (s) => s.heapTotal));
            console.log(line('external MB', (s) => s.external));
            console.log(line('array buffers MB', (s) => s.arrayBuffers));
            console.log(line('main arena MB', (s) => s.arena));
            console.log(line('other anonymous MB', (s) => s.otherAnon));
            // Peak RSS per step: where the memory goes.
            const bySteps = new Map<string, number>();
            for (const s of samples)
                bySteps.set(s.step, Math.max(bySteps.get(s.step) ?? 0, s.rss - base.rss));
            console.log(
                `  RSS above start by step: ${[...bySteps]
                    .map(([k, v]) => `${k} +${v.toFixed(0)}`)
                    .join(', ')}`,
            );
            if (args.job === 'gold') {
                const digests: string[] = [];
                for (const table of GOLD_TABLES) {
                    const bytes = await rt.lake.readBytes(
                        'gold',
                        goldPartPath(table, day, { index: 0, count: 1 }),
                    );
                    const file = bytes.buffer.slice(
                        bytes.byteOffset,
                        bytes.byteOffset + bytes.byteLength,
                    ) as ArrayBuffer;
                    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
                    digests.push(`${table} ${rows.length} ${rowsDigest(rows)}`);
                }
                console.log(`  rows: ${digests.join(', ')}`);
            }
        }
    } finally {
        await cli.close();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
