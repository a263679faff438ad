/**
 * Keeps a long-running local stack's V8 heaps near their live size. V8 sizes a heap for the machine (on a 24 GiB
 * machine it lets the main thread's heap reach 3-4 times its live data before a full collection: a heap snapshot
 * of `npm start` at 500 events/s found 52 MB live in a 169 MB heap), so a stack that runs for hours holds that
 * garbage as resident memory. The heap limit (`--max-old-space-size`) can only be set when the process starts, and
 * a hard limit would crash a gold build that needs more; instead the stack collects garbage itself every
 * `everyMs` (30 s) when the heap is larger than `aboveBytes`: a full collection of this size takes tens of
 * milliseconds, well under 1 % of the time, and V8 then gives the emptied pages back.
 *
 * The collector is reached through `--expose-gc` set at run time (a V8 flag that only adds the `gc` function to new
 * contexts); used by the local stack only (`npm start`, `maritime replay`), never in Azure.
 *
 * Between those collections V8 lets the old generation grow to up to 4 times what the last full collection left
 * (its factor on a machine with this much memory), so the main thread's heap still swung between 105 and 210 MB
 * for 60-80 MB live in a soak (`npm run soak`). `--heap-growing-percent` (process-wide: every thread's heap) sets
 * that factor: at 30 (1.3 times) the main heap stayed at 86-117 MB and the stack's RSS about 100 MB lower, for
 * more frequent full collections of a ~60 MB heap (tens of milliseconds each). A V8 flag read at each collection,
 * so it takes effect when set at run time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type ResourceLimits } from 'node:worker_threads';

/** The old generation grows to 1.3 times its live size before a full collection (V8's default here: up to 4). */
export const HEAP_GROWING_PERCENT = 30;

/**
 * The young generation of the stack's threads, in MB per semi-space (V8's default on 64-bit: 16, a new space of up
 * to 16 MB committed per thread, all of it resident once the thread has allocated through it). The stack's
 * threads keep little short-lived data between scavenges, so 2 MB semi-spaces (4 MB of new space) give the same
 * throughput and about 12 MB less resident memory per busy thread (main, Cosmos-protocol server, HTTP); measured
 * with `npm run soak` (README "Fault harness and soak"). The main thread takes it as a command-line flag (the
 * re-started child, cli/mallocReexec.ts) and so does the Cosmos-protocol server's process, the worker threads as
 * their resource limits.
 */
export const SEMI_SPACE_MB = 2;

/** The worker threads' heap limits: V8's young generation is three semi-spaces (two, and one for large objects). */
export const WORKER_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 3 * SEMI_SPACE_MB };

let exposedGc: (() => void) | undefined;

/** V8's full collection, exposed at run time (once per thread). */
function fullGc(): () => void {
    if (exposedGc === undefined) {
        setFlagsFromString('--expose-gc');
        exposedGc = runInNewContext('gc') as () => void;
    }
    return exposedGc;
}

/**
 * A full collection now: after a lake job (a gold build, the compliance check), whose garbage includes the buffers
 * of every Parquet file it read. Until V8 collects them, the native memory behind them stays allocated in glibc's
 * main arena, and the arena cannot give back what lies below them: in a soak the stack's RSS between jobs stayed
 * 70-100 MB higher for up to 30 s after each check (the periodic collection's interval), more as the day grew.
 */
export function collectGarbage(): void {
    fullGc()();
}

/** Starts the periodic collection on this thread; returns the function that stops it. */
export function trimHeapPeriodically(
    options: { everyMs?: number; aboveBytes?: number; growingPercent?: number } = {},
): () => void {
    setFlagsFromString(`--heap-growing-percent=${options.growingPercent ?? HEAP_GROWING_PERCENT}`);
    const gc = fullGc();
    const above = options.aboveBytes ?? 96 * 1_048_576;
    const timer = setInterval(() => {
        if (process.memoryUsage().heapTotal > above) gc();
    }, options.everyMs ?? 30_000);
    timer.unref();
    return () => clearInterval(timer);
}

/** The same for an evaluated script (the Cosmos-protocol server's process): plain JavaScript. */
export const TRIM_HEAP_SCRIPT = `
{
    require('node:v8').setFlagsFromString('--expose-gc');
    const gc = require('node:vm').runInNewContext('gc');
    setInterval(() => {
        if (require('node:v8').getHeapStatistics().total_heap_size > 64 * 1048576) gc();
    }, 30000).unref();
}
`;
