/**
 * `maritime decode` for NMEA input: the input is cut into chunks of whole lines (about `chunkBytes` each)
 * that worker threads decode and serialise in parallel; the main thread reads, hands out chunks and writes
 * their output in input order. The output is the same bytes a single decoder over the whole input writes.
 *
 * Stitching: a decoder carries state from line to line (fragments waiting for the rest of their message,
 * NMEA 4 `g:` groups, a tag-block-only line or a `$PGHP` header waiting for its sentence). A worker starts
 * chunk k speculatively: it first decodes the last `LEAD_IN_BYTES` of chunk k-1 without output (a lead-in),
 * which leaves it in the state the whole-input decoder most likely has at the cut, and reports that state.
 * The main thread accepts chunk k only when that state equals the true state at the end of chunk k-1 (as
 * reported by the accepted chunk k-1); otherwise chunk k is decoded again from the true state. So the output,
 * its order, the `--errors` lines and the counts are exactly those of one decoder over the whole input,
 * whatever the chunk size (the tests cut real files into chunks of a few hundred bytes).
 *
 * `threads` counts this thread, which decodes chunks too (it spends little time reading and writing), so
 * `threads` - 1 workers start. Input that fits in one chunk, or `threads` 1, is decoded here without workers.
 */
import { availableParallelism, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';

import type { AisDecoderState } from '../../shared/domain/ais/index.js';
import type { LineWriter } from '../io.js';
import { ByteLines } from './byteLines.js';
import {
    addCounts,
    type ChunkCounts,
    type ChunkJob,
    type ChunkResult,
    emptyCounts,
    NmeaChunkDecoder,
    type NmeaOutputOptions,
    runChunkJob,
} from './nmeaChunk.js';

/** Bytes of the previous chunk a worker decodes first to find the state at the chunk's start. */
export const LEAD_IN_BYTES = 64 * 1024;
export const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * Threads for a decode: the idle CPUs (CPUs minus the 1-minute load average) when more than two are idle, else 1.
 * A worker costs its start-up, a second JIT warm-up and its own garbage collector; on 2 CPUs that never paid, quiet
 * or busy (1M sentences, 5 alternating runs each: at load 1, 1 thread 1.04 s wall and 1.31 s CPU median, 2 threads
 * 1.41 s and 2.23 s; at load 20, 1 thread 7.1 s and 2.1 s CPU, 2 threads 8.8-10.2 s and 2.8 s). `--threads N`
 * still asks for N.
 */
export function defaultThreads(cpus = availableParallelism(), load = loadavg()[0]!): number {
    const idle = Math.min(cpus, Math.round(cpus - load));
    return idle > 2 ? idle : 1;
}

export interface NmeaRun {
    counts: ChunkCounts;
    /** Fragments still waiting for their message at the end of the input. */
    pendingAtEnd: number;
    /** Chunks decoded twice because the speculative start state was not the true one. */
    redone: number;
    workers: number;
}

/** Where a job runs: a worker thread or this thread. */
interface Slot {
    busy: number;
    post(job: ChunkJob): void;
}

interface Chunk {
    /** Lead-in then chunk, in a buffer of its own (transferable). */
    bytes: Buffer;
    leadIn: number;
    final: boolean;
}

/** Cuts a byte stream into chunks of whole lines, each with the tail of the previous chunk as lead-in. */
async function* chunksOf(source: AsyncIterable<Buffer>, chunkBytes: number): AsyncGenerator<Chunk> {
    let parts: Buffer[] = [];
    let size = 0;
    let prev: Buffer | undefined;
    const make = (chunk: Buffer, final: boolean): Chunk => {
        let lead = prev === undefined ? Buffer.alloc(0) : prev;
        if (lead.length > LEAD_IN_BYTES) {
            const nl = lead.indexOf(10, lead.length - LEAD_IN_BYTES);
            lead = nl < 0 ? Buffer.alloc(0) : lead.subarray(nl + 1);
        }
        const bytes = Buffer.allocUnsafeSlow(lead.length + chunk.length);
        lead.copy(bytes, 0);
        chunk.copy(bytes, lead.length);
        prev = chunk;
        return { bytes, leadIn: lead.length, final };
    };
    for await (const piece of source) {
        parts.push(piece);
        size += piece.length;
        while (size >= chunkBytes) {
            const all = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
            let cut = all.lastIndexOf(10, chunkBytes - 1);
            if (cut < 0) cut = all.indexOf(10, chunkBytes);
            if (cut < 0 || cut + 1 === all.length) {
                // A line longer than everything read so far, or a cut exactly at the end: wait for more input
                // (so that the last chunk is always known to be the last).
                parts = [all];
                break;
            }
            yield make(all.subarray(0, cut + 1), false);
            const rest = all.subarray(cut + 1);
            parts = [rest];
            size = rest.length;
        }
    }
    const all = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
    if (all.length > 0 || prev === undefined) yield make(all, true);
}

/**
 * The input as chunks for one decoder (no lead-in, no worker): each read's whole lines as they are, without a
 * copy; only a line cut between two reads is copied, joined into a chunk of its own. (chunksOf copies every byte
 * once or twice, into chunks of about `chunkBytes` with their lead-in, which only workers need.)
 */
async function* readsOf(source: AsyncIterable<Buffer>): AsyncGenerator<Chunk> {
    let tail: Buffer | undefined;
    for await (const piece of source) {
        let from = 0;
        if (tail !== undefined) {
            const nl = piece.indexOf(10);
            if (nl < 0) {
                tail = Buffer.concat([tail, piece]);
                continue;
            }
            yield { bytes: Buffer.concat([tail, piece.subarray(0, nl + 1)]), leadIn: 0, final: false };
            tail = undefined;
            from = nl + 1;
        }
        const last = piece.lastIndexOf(10);
        if (last >= from) yield { bytes: piece.subarray(from, last + 1), leadIn: 0, final: false };
        const rest = Math.max(from, last + 1);
        // A copy: the reader may fill `piece` again once we have moved on.
        if (rest < piece.length) tail = Buffer.from(piece.subarray(rest));
    }
    yield { bytes: tail ?? Buffer.alloc(0), leadIn: 0, final: true };
}

/**
 * Decodes NMEA `source` to `out` (gpsd JSON or records, see NmeaOutputOptions); `--errors` lines go to
 * `errorOut` in input order. Stops early (without error) when `out` closes.
 */
export async function decodeNmea(
    source: AsyncIterable<Buffer>,
    opts: NmeaOutputOptions,
    out: LineWriter,
    errorOut: (text: string) => void,
    settings: { threads: number; chunkBytes: number },
): Promise<NmeaRun> {
    if (settings.threads <= 1) return decodeHere(readsOf(source), opts, out, errorOut);
    const chunks = chunksOf(source, Math.max(1, settings.chunkBytes));
    const first = await chunks.next();
    const second = first.done === true ? first : await chunks.next();
    const firstChunks = [first, second].filter((r) => r.done !== true).map((r) => r.value);
    const rest = async function* (): AsyncGenerator<Chunk> {
        yield* firstChunks;
        if (second.done !== true) yield* chunks;
    };
    if (settings.threads <= 1 || firstChunks.length < 2) return decodeHere(rest(), opts, out, errorOut);
    return decodeOnWorkers(rest(), opts, out, errorOut, settings.threads);
}

/**
 * Input bytes decoded into one output buffer before it is handed to the writer. gpsd JSON is about 4.5 bytes per
 * input byte, so 256 KiB of input fill about 1.2 MB: two such buffers stay in the CPU's cache while the kernel
 * copies one to the file, and never grow. (A whole 1 MiB read per buffer grew each to 8 MiB: 28 MB of fresh
 * pages to fault in and 14 MB of copies; measured below in the README, "decode".)
 */
const SEGMENT_BYTES = 256 * 1024;
/** An output buffer's first capacity: SEGMENT_BYTES of the realistic feed fit without growing. */
const SEGMENT_OUTPUT_BYTES = 6 * SEGMENT_BYTES;

/**
 * One decoder in this thread, chunk after chunk. Two output buffers take turns: one is filled while the other
 * is written, and a buffer is filled again only once its write is done (no fresh memory per chunk).
 */
async function decodeHere(
    chunks: AsyncIterable<Chunk>,
    opts: NmeaOutputOptions,
    out: LineWriter,
    errorOut: (text: string) => void,
): Promise<NmeaRun> {
    const cd = new NmeaChunkDecoder(opts);
    const slots = [0, 1].map(() => ({
        lines: new ByteLines(SEGMENT_OUTPUT_BYTES),
        written: Promise.resolve(),
    }));
    let turn = 0;
    reading: for await (const c of chunks) {
        // Each read is decoded SEGMENT_BYTES of whole lines at a time, so that an output buffer stays small.
        let from = c.leadIn;
        for (;;) {
            let to = c.bytes.length;
            if (to - from > SEGMENT_BYTES) {
                const nl = c.bytes.lastIndexOf(10, from + SEGMENT_BYTES - 1);
                if (nl >= from) to = nl + 1;
            }
            const last = to === c.bytes.length;
            const slot = slots[turn]!;
            turn ^= 1;
            await slot.written;
            slot.lines.clear();
            cd.lines(c.bytes, from, to, slot.lines, c.final && last);
            const errors = cd.takeErrors();
            if (errors.length > 0) errorOut(errors);
            slot.written = out.bytesThenReuse(slot.lines.view());
            if (out.closed) break reading;
            if (last) break;
            from = to;
        }
    }
    await Promise.all(slots.map((s) => s.written));
    const counts = emptyCounts();
    const pendingAtEnd = cd.decoder.stats.fragmentsPending;
    if (!out.closed) {
        const bytes = new ByteLines(1024);
        cd.end(bytes);
        const errors = cd.takeErrors();
        if (errors.length > 0) errorOut(errors);
        await out.bytes(bytes.take());
    }
    addCounts(counts, cd.decoder.stats);
    return { counts, pendingAtEnd, redone: 0, workers: 0 };
}

async function decodeOnWorkers(
    chunks: AsyncIterable<Chunk>,
    opts: NmeaOutputOptions,
    out: LineWriter,
    errorOut: (text: string) => void,
    threads: number,
): Promise<NmeaRun> {
    const url = new URL('./worker.js', import.meta.url);
    const results = new Map<number, ChunkResult>();
    const meta = new Map<number, { leadIn: number; final: boolean; length: number }>();
    let failure: Error | undefined;
    let stopping = false;
    let wake: (() => void) | undefined;
    const signal = (): void => {
        const w = wake;
        wake = undefined;
        w?.();
    };
    const done = (r: ChunkResult): void => {
        results.set(r.id, r);
        signal();
    };
    // This thread is one of the decoding threads: it decodes a job of its own between reads and writes.
    const here: Slot = {
        busy: 0,
        post: (job) =>
            setImmediate(() => {
                here.busy--;
                try {
                    done(runChunkJob(job, opts));
                } catch (e) {
                    failure ??= e as Error;
                    signal();
                }
            }),
    };
    // Loaded here, not at the top: one thread (the default on 2 CPUs) needs no worker_threads.
    const { Worker } = await import('node:worker_threads');
    const workers = Array.from({ length: threads - 1 }, () => new Worker(url, { workerData: opts }));
    const pool: Slot[] = [here];
    for (const worker of workers) {
        const slot: Slot = { busy: 0, post: (job) => worker.postMessage(job, [job.input]) };
        pool.push(slot);
        worker.on('message', (r: ChunkResult) => {
            slot.busy--;
            done(r);
        });
        worker.on('error', (e) => {
            failure ??= e;
            signal();
        });
        worker.on('exit', (code) => {
            if (code !== 0 && !stopping) failure ??= new Error(`a decode worker exited with code ${code}`);
            signal();
        });
    }
    const submit = (job: ChunkJob): void => {
        // The least busy slot; this thread last on a tie (it also reads and writes).
        let p = pool[pool.length - 1]!;
        for (const q of pool) if (q.busy < p.busy) p = q;
        p.busy++;
        p.post(job);
    };
    const waitForResult = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));

    const counts = emptyCounts();
    let trueState: AisDecoderState | undefined;
    let submitted = 0;
    let next = 0;
    let redone = 0;
    const maxInFlight = 2 * threads;

    /** Writes the results that are next in input order and check out; resubmits one that does not. */
    const drain = async (): Promise<void> => {
        for (;;) {
            const r = results.get(next);
            if (r === undefined) return;
            results.delete(next);
            const m = meta.get(next)!;
            const startsRight =
                r.exact ||
                isDeepStrictEqual(
                    r.startState,
                    trueState ?? { pending: [], pendingTag: undefined, pendingHeaderTime: undefined },
                );
            if (!startsRight) {
                redone++;
                const job: ChunkJob = {
                    id: next,
                    input: r.input,
                    length: m.length,
                    leadIn: m.leadIn,
                    final: m.final,
                    exact: true,
                };
                if (trueState !== undefined) job.state = trueState;
                submit(job);
                return;
            }
            meta.delete(next);
            addCounts(counts, r.counts);
            trueState = r.endState;
            if (r.errors.length > 0) errorOut(r.errors);
            await out.bytes(Buffer.from(r.output, 0, r.outputLength));
            next++;
            if (out.closed) return;
        }
    };

    /** Waits for the next result in order unless it is here (results that came during a write are kept). */
    const step = async (): Promise<void> => {
        if (!results.has(next)) await waitForResult();
        if (failure === undefined) await drain();
    };

    try {
        for await (const c of chunks) {
            while (submitted - next >= maxInFlight && failure === undefined && !out.closed) await step();
            if (failure !== undefined || out.closed) break;
            const id = submitted++;
            meta.set(id, { leadIn: c.leadIn, final: c.final, length: c.bytes.length });
            submit({
                id,
                input: c.bytes.buffer as ArrayBuffer,
                length: c.bytes.length,
                leadIn: c.leadIn,
                final: c.final,
                exact: id === 0,
            });
            await drain();
        }
        while (next < submitted && failure === undefined && !out.closed) await step();
    } finally {
        stopping = true;
        await Promise.all(workers.map((w) => w.terminate()));
    }
    if (failure !== undefined) throw failure;

    // The end of the input: what still waits for fragments is reported as incomplete (errors only).
    const cd = new NmeaChunkDecoder(opts);
    if (trueState !== undefined) cd.decoder.restoreState(trueState);
    const pendingAtEnd = cd.decoder.stats.fragmentsPending;
    if (!out.closed) {
        const before = cd.decoder.stats;
        const bytes = new ByteLines(1024);
        cd.end(bytes);
        addCounts(counts, cd.decoder.stats, before);
        const errors = cd.takeErrors();
        if (errors.length > 0) errorOut(errors);
        await out.bytes(bytes.take());
    }
    return { counts, pendingAtEnd, redone, workers: workers.length };
}
