/**
 * `maritime decode` for NMEA input. One thread (the default on 2 CPUs): decodeHere, the reads decoded where they
 * are. More (`--threads N`): the input is cut into chunks of whole lines (about `chunkBytes` each) that this thread
 * and N - 1 worker threads decode and serialise in parallel; this thread reads, hands out chunks, decodes the ones
 * no worker can take, and writes their output in input order. The output is the same bytes a single decoder over
 * the whole input writes.
 *
 * Stitching: a decoder carries state from line to line (fragments waiting for the rest of their message,
 * NMEA 4 `g:` groups, a tag-block-only line or a `$PGHP` header waiting for its sentence). Chunk k is decoded
 * speculatively: the decoder first decodes the last `LEAD_IN_BYTES` of chunk k-1 without output (a lead-in),
 * which leaves it in the state the whole-input decoder most likely has at the cut, and reports that state.
 * This thread accepts chunk k only when that state equals the true state at the end of chunk k-1 (as
 * reported by the accepted chunk k-1); otherwise chunk k is decoded again from the true state. So the output,
 * its order, the `--errors` lines and the counts are exactly those of one decoder over the whole input,
 * whatever the chunk size (the tests cut real files into chunks of a few hundred bytes).
 *
 * Memory: chunks and outputs live in two pools of SharedArrayBuffers, used again and again (see BufferPool).
 */
import { availableParallelism, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { Worker } from 'node:worker_threads';

import type { AisDecoderState } from '../../shared/domain/ais/index.js';
import type { LineWriter } from '../io.js';
import { ByteLines } from './byteLines.js';
import {
    addCounts,
    type ChunkCounts,
    type ChunkOutcome,
    type ChunkSpec,
    decodeChunk,
    emptyCounts,
    NmeaChunkDecoder,
    type NmeaOutputOptions,
} from './nmeaChunk.js';

/** Bytes of the previous chunk a worker decodes first to find the state at the chunk's start. */
export const LEAD_IN_BYTES = 64 * 1024;
/** Input bytes per chunk: its output (~4.5 MB of gpsd JSON) is one buffer of the output pool. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** Inputs smaller than this decode on one thread by default: a worker's start-up would not pay. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Threads for a decode of `inputBytes` (undefined: not a regular file, size unknown): 1 for a file smaller than
 * PARALLEL_MIN_BYTES; otherwise the idle CPUs (CPUs minus the 1-minute load average) when more than two are idle,
 * else 1. On the 2-CPU machines measured here a second decoding thread never paid, quiet or busy: two threads
 * running at once each ran at about half speed (README, "decode"). `--threads N` still asks for N.
 */
export function defaultThreads(
    inputBytes: number | undefined,
    cpus = availableParallelism(),
    load = loadavg()[0]!,
): number {
    if (inputBytes !== undefined && inputBytes < PARALLEL_MIN_BYTES) return 1;
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

/** Whole lines for one decoder (decodeHere): `bytes` from `leadIn` on (`leadIn` is 0 there). */
interface Chunk {
    bytes: Buffer;
    leadIn: number;
    final: boolean;
}

/**
 * The input as chunks for one decoder (no lead-in, no worker): each read's whole lines as they are, without a
 * copy; only a line cut between two reads is copied, joined into a chunk of its own. (chunksOf copies every byte
 * once, into slots of about `chunkBytes` with their lead-in, which only the threaded path needs.)
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
    return decodeParallel(source, opts, out, errorOut, settings.threads, Math.max(1, settings.chunkBytes));
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

// ------------------------------------------------------------------------------------------------ threads

/** Main thread → worker: decode `input` (a chunk, see ChunkSpec) into `output` (shared memory, not copied). */
export interface WorkerJob extends ChunkSpec {
    id: number;
    input: SharedArrayBuffer;
    output: SharedArrayBuffer;
}

/**
 * Worker → main thread: the output's first `outLength` bytes written in the job's `output`, or, when they did not
 * fit, in `grown` (a copy of the worker's own bigger buffer).
 */
export interface WorkerResult extends ChunkOutcome {
    id: number;
    outLength: number;
    grown?: ArrayBuffer;
}

/** Worker → main thread, once, when it is ready for jobs (its modules loaded). */
export const WORKER_READY = 'ready';

/** Jobs a worker holds at once: one it decodes, one waiting, so that it never waits for the main thread. */
const WORKER_DEPTH = 2;

/**
 * Shared buffers of one size, allocated when first needed (at most `max`), handed out (`take` waits while all are
 * out) and given back. Shared, not transferred: transferring an ArrayBuffer detaches it, and V8's first detach
 * deoptimises every optimised function that touches a typed array (measured: all of the decoder's hot functions,
 * recompiled with detach checks), while a SharedArrayBuffer is never detached.
 */
class BufferPool {
    private readonly free: SharedArrayBuffer[] = [];
    private out = 0;
    private waiting: (() => void)[] = [];

    constructor(
        readonly max: number,
        readonly bytes: number,
    ) {}

    /** A buffer, or undefined when all are out. */
    tryTake(): SharedArrayBuffer | undefined {
        if (this.out >= this.max) return undefined;
        this.out++;
        return this.free.pop() ?? new SharedArrayBuffer(this.bytes);
    }

    async take(): Promise<SharedArrayBuffer> {
        for (;;) {
            const b = this.tryTake();
            if (b !== undefined) return b;
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        }
    }

    /** Gives back a buffer of this pool (another buffer, e.g. a grown output buffer, is left to the GC). */
    give(b: ArrayBufferLike | undefined): void {
        if (!(b instanceof SharedArrayBuffer) || b.byteLength !== this.bytes) return;
        this.out--;
        this.free.push(b);
        const w = this.waiting;
        this.waiting = [];
        for (const wake of w) wake();
    }
}

/** Input bytes of a chunk's buffer: room for its lead-in and a line cut at its end, beside `chunkBytes`. */
function inputBufferBytes(chunkBytes: number): number {
    return chunkBytes + LEAD_IN_BYTES + 64 * 1024;
}

/** Output bytes for a chunk: gpsd JSON is ~4.5 bytes per input byte (records more: the buffer grows then). */
function outputBufferBytes(chunkBytes: number): number {
    return 6 * chunkBytes + 64 * 1024;
}

/** A chunk in a buffer: `leadIn` bytes of lead-in, then whole lines up to `length`. */
interface BufferChunk {
    /** The chunk's buffer: from the pool, or bigger for a line longer than a pool buffer. */
    buffer: SharedArrayBuffer;
    /** The pool's buffer held for a chunk in a bigger one. */
    reserved: SharedArrayBuffer | undefined;
    leadIn: number;
    length: number;
    final: boolean;
}

/**
 * Cuts a byte stream into chunks of whole lines of at least `chunkBytes` (the last may be shorter), each in a
 * buffer of `pool` after a lead-in (the last lines of the chunk before, at most LEAD_IN_BYTES). The source's
 * buffers may be reused by it once the next is asked for: every byte is copied into a chunk (one copy, into
 * buffers used again). The last chunk is `final` (possibly empty).
 */
async function* bufferChunks(
    source: AsyncIterable<Buffer>,
    chunkBytes: number,
    pool: BufferPool,
): AsyncGenerator<BufferChunk> {
    /** The next chunk's lead-in, then the line cut at the end of the last chunk. */
    let tail: Buffer = Buffer.alloc(0);
    let tailLead = 0;
    let cur: BufferChunk | undefined;
    let bytes: Buffer = tail;
    let pos = 0;
    const open = async (): Promise<BufferChunk> => {
        const b = await pool.take();
        let buffer = b;
        let reserved: SharedArrayBuffer | undefined;
        if (tail.length + 1 > b.byteLength) {
            // A line longer than a pool buffer: a buffer of its own.
            reserved = b;
            buffer = new SharedArrayBuffer(2 * tail.length);
        }
        bytes = Buffer.from(buffer);
        tail.copy(bytes, 0);
        pos = tail.length;
        return { buffer, reserved, leadIn: tailLead, length: 0, final: false };
    };
    for await (const piece of source) {
        let at = 0;
        while (at < piece.length) {
            cur ??= await open();
            const n = Math.min(piece.length - at, bytes.length - pos);
            piece.copy(bytes, pos, at, at + n);
            pos += n;
            at += n;
            if (pos - cur.leadIn < chunkBytes && pos < bytes.length) continue;
            const nl = bytes.lastIndexOf(10, pos - 1);
            if (nl < cur.leadIn) {
                if (pos < bytes.length) continue;
                // No newline in a full buffer: carry it all into a bigger one.
                tail = Buffer.from(bytes.subarray(0, pos));
                tailLead = cur.leadIn;
                pool.give(cur.reserved ?? cur.buffer);
                cur = undefined;
                continue;
            }
            const end = nl + 1;
            // The next chunk's lead-in: whole lines of this chunk, at most LEAD_IN_BYTES.
            let leadFrom = cur.leadIn;
            if (end - leadFrom > LEAD_IN_BYTES) leadFrom = bytes.indexOf(10, end - LEAD_IN_BYTES - 1) + 1;
            tail = Buffer.from(bytes.subarray(leadFrom, pos));
            tailLead = end - leadFrom;
            cur.length = end;
            const done = cur;
            cur = undefined;
            yield done;
        }
    }
    cur ??= await open();
    cur.length = pos;
    cur.final = true;
    yield cur;
}

/** A worker thread as the main thread sees it. */
interface Helper {
    worker: Worker;
    /** Its modules are loaded: it takes jobs (until then this thread decodes them). */
    ready: boolean;
    dead: boolean;
    /** Jobs sent and not answered. */
    jobs: number;
}

/**
 * Decodes on `threads` threads: this one and `threads` - 1 workers. This thread reads the input into chunk buffers,
 * keeps each worker fed with up to WORKER_DEPTH chunks (the chunk's buffer and an output buffer, shared), decodes the chunks no worker can take itself, checks each chunk's start state in
 * input order (decoding it again from the true state when it differs) and writes the outputs in input order, each
 * buffer used again once written. The buffers come from two pools: no fresh memory per chunk, no copy of the
 * output. A worker starts when the input has a second chunk; until it is ready this thread decodes every chunk.
 */
async function decodeParallel(
    source: AsyncIterable<Buffer>,
    opts: NmeaOutputOptions,
    out: LineWriter,
    errorOut: (text: string) => void,
    threads: number,
    chunkBytes: number,
): Promise<NmeaRun> {
    const workerCount = threads - 1;
    // In flight: each worker's jobs, one chunk being filled, and chunks decoded here waiting for a worker's.
    const inputs = new BufferPool(WORKER_DEPTH * workerCount + 2 + workerCount, inputBufferBytes(chunkBytes));
    const outputs = new BufferPool(inputs.max + 2, outputBufferBytes(chunkBytes));

    interface Done extends ChunkOutcome {
        chunk: BufferChunk;
        /** Output bytes: a view of `outBuffer`. */
        output: Buffer;
        outBuffer: ArrayBufferLike;
    }
    const results = new Map<number, Done>();
    /** Chunks a worker holds, by id. */
    const sentOut = new Map<number, { chunk: BufferChunk; job: WorkerJob }>();
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const signal = (): void => {
        const w = wake;
        wake = undefined;
        w?.();
    };

    const counts = emptyCounts();
    let trueState: AisDecoderState | undefined;
    let next = 0;
    let redone = 0;
    const emptyState: AisDecoderState = { pending: [], pendingTag: undefined, pendingHeaderTime: undefined };

    /** Decodes `chunk` here into `outBuffer` (a pool buffer, or undefined for a buffer of its own). */
    const decodeHereInto = (
        chunk: BufferChunk,
        spec: ChunkSpec,
        outBuffer: SharedArrayBuffer | undefined,
    ): Done => {
        const lines = new ByteLines(
            outputs.bytes,
            outBuffer === undefined ? undefined : Buffer.from(outBuffer),
        );
        const outcome = decodeChunk(Buffer.from(chunk.buffer), spec, lines, opts);
        const used = lines.buffer.buffer;
        if (used !== outBuffer) outputs.give(outBuffer);
        return { ...outcome, chunk, output: lines.view(), outBuffer: used };
    };

    /** Accepts the results that are next in input order and writes them; decodes again one that starts wrong. */
    const drain = (): void => {
        for (;;) {
            let r = results.get(next);
            if (r === undefined || failure !== undefined || out.closed) return;
            results.delete(next);
            const startsRight =
                r.startState === undefined || isDeepStrictEqual(r.startState, trueState ?? emptyState);
            if (!startsRight) {
                redone++;
                outputs.give(r.outBuffer);
                const spec: ChunkSpec = {
                    leadIn: r.chunk.leadIn,
                    length: r.chunk.length,
                    final: r.chunk.final,
                    exact: true,
                };
                if (trueState !== undefined) spec.state = trueState;
                r = decodeHereInto(r.chunk, spec, outputs.tryTake());
            }
            inputs.give(r.chunk.reserved ?? r.chunk.buffer);
            addCounts(counts, r.counts);
            trueState = r.endState;
            if (r.errors.length > 0) errorOut(r.errors);
            const used = r.outBuffer;
            void out.bytesThenReuse(r.output).then(() => outputs.give(used));
            next++;
        }
    };

    const helpers: Helper[] = [];
    let stopping = false;
    /**
     * A worker that failed. Before it took a job (it could not start): this thread decodes without it. With jobs
     * (their buffers went with it): the decode fails.
     */
    const lost = (h: Helper, e: Error): void => {
        if (h.dead) return;
        h.dead = true;
        if (h.jobs > 0) failure ??= e;
        signal();
    };
    const startWorkers = async (): Promise<void> => {
        const { Worker } = await import('node:worker_threads');
        for (let i = 0; i < workerCount; i++) {
            const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: opts });
            const h: Helper = { worker, ready: false, dead: false, jobs: 0 };
            helpers.push(h);
            worker.on('message', (m: WorkerResult | typeof WORKER_READY) => {
                if (m === WORKER_READY) {
                    h.ready = true;
                    signal();
                    return;
                }
                h.jobs--;
                const sent = sentOut.get(m.id);
                if (sent === undefined) return;
                sentOut.delete(m.id);
                const job = sent.job;
                if (m.grown !== undefined) outputs.give(job.output);
                results.set(m.id, {
                    ...m,
                    chunk: sent.chunk,
                    output: Buffer.from(m.grown ?? job.output, 0, m.outLength),
                    outBuffer: m.grown ?? job.output,
                });
                drain();
                signal();
            });
            worker.on('error', (e) => lost(h, e));
            worker.on('exit', (code) => {
                if (!stopping) lost(h, new Error(`a decode worker exited with code ${code}`));
            });
        }
    };

    let submitted = 0;
    try {
        for await (const chunk of bufferChunks(source, chunkBytes, inputs)) {
            if (failure !== undefined || out.closed) break;
            if (submitted === 1 && !chunk.final && workerCount > 0) await startWorkers();
            const id = submitted++;
            const spec: ChunkSpec = {
                leadIn: chunk.leadIn,
                length: chunk.length,
                final: chunk.final,
                exact: id === 0,
            };
            // Let a worker's results and readiness in before choosing where this chunk goes.
            if (helpers.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
            const outBuffer = await outputs.take();
            let h: Helper | undefined;
            for (const c of helpers)
                if (c.ready && !c.dead && c.jobs < WORKER_DEPTH && (h === undefined || c.jobs < h.jobs))
                    h = c;
            if (h !== undefined) {
                h.jobs++;
                const job: WorkerJob = { ...spec, id, input: chunk.buffer, output: outBuffer };
                sentOut.set(id, { chunk, job });
                h.worker.postMessage(job);
            } else {
                results.set(id, decodeHereInto(chunk, spec, outBuffer));
            }
            drain();
        }
        while (next < submitted && failure === undefined && !out.closed) {
            await new Promise<void>((resolve) => (wake = resolve));
            drain();
        }
    } finally {
        stopping = true;
        await Promise.all(helpers.map((h) => h.worker.terminate()));
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
    return { counts, pendingAtEnd, redone, workers: helpers.length };
}
