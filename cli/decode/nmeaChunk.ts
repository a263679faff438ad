/**
 * NMEA text to output bytes for `maritime decode`, one chunk of whole lines at a time: used in-process and by
 * the decode worker threads (cli/decode/worker.ts), so both produce the same bytes.
 */
import { AisDecoder, type AisDecoderState, type AisDecoderStats } from '../../shared/domain/ais/index.js';
import type { DecodeEvent, TagBlock } from '../../shared/domain/ais/types.js';
import { type AisRecordSource, fromAisMessage } from '../../shared/domain/formats/fromAisMessage.js';

export interface NmeaOutputOptions {
    /** Print the normalised records instead of the decoded messages. */
    records: boolean;
    /** Collect one JSON line per rejected line or unsupported message (for stderr). */
    errors: boolean;
}

/** The decoder's counters that add up over chunks (`fragmentsPending` is a level, not a count: left out). */
export type ChunkCounts = Omit<AisDecoderStats, 'fragmentsPending'>;

export function emptyCounts(): ChunkCounts {
    return {
        lines: 0,
        sentences: 0,
        messages: 0,
        checksumFailures: 0,
        unsupported: 0,
        malformed: 0,
        skipped: 0,
        lineErrors: 0,
        tagBlockLines: 0,
        skippedByReason: { BLANK_OR_COMMENT: 0, NON_AIS_SENTENCE: 0, PROPRIETARY_SENTENCE: 0, PGHP_HEADER: 0 },
    };
}

/** `into += b - a` for every counter. */
export function addCounts(into: ChunkCounts, b: AisDecoderStats | ChunkCounts, a?: AisDecoderStats): void {
    const keys = ['lines', 'sentences', 'messages', 'checksumFailures', 'unsupported', 'malformed', 'skipped', 'lineErrors', 'tagBlockLines'] as const;
    for (const k of keys) into[k] += b[k] - (a?.[k] ?? 0);
    for (const r of Object.keys(into.skippedByReason) as (keyof ChunkCounts['skippedByReason'])[]) {
        into.skippedByReason[r] += b.skippedByReason[r] - (a?.skippedByReason[r] ?? 0);
    }
}

/**
 * Output lines encoded straight into one growing byte buffer (no rope of strings for the GC to trace and for
 * the write to flatten, one buffer to hand to stdout or to transfer from a worker). The buffer owns its
 * ArrayBuffer (never pooled). `gpsdLine` writes a decoded message's JSON byte by byte.
 */
export class ByteLines {
    private buf: Buffer;
    private at = 0;

    constructor(capacity = 1 << 20) {
        this.buf = Buffer.allocUnsafeSlow(Math.max(1024, capacity));
    }

    add(s: string): void {
        // UTF-8 needs at most 3 bytes per UTF-16 unit.
        this.reserve(3 * s.length + 1);
        this.at += this.buf.write(s, this.at);
        this.buf[this.at++] = 10;
    }

    get length(): number {
        return this.at;
    }

    /** The bytes added so far (a view of the buffer); the writer starts empty again in a new buffer. */
    take(nextCapacity = this.buf.length): Buffer {
        const b = this.buf.subarray(0, this.at);
        this.buf = Buffer.allocUnsafeSlow(Math.max(1024, nextCapacity));
        this.at = 0;
        return b;
    }

    /**
     * One line of `gpsdJson(message, tagBlock, receiverTime, receiverTimeSource)`, the same bytes, written
     * without building the string: this is the largest cost of `maritime decode` after the decoding itself.
     */
    gpsdLine(message: Record<string, unknown>, tagBlock: TagBlock | undefined, receiverTime?: number, receiverTimeSource?: string): void {
        if (tagBlock !== undefined) {
            // Rare (NMEA 4 feeds): the string path.
            this.add(gpsdJson(message, tagBlock, receiverTime, receiverTimeSource));
            return;
        }
        this.reserve(512);
        this.bytes(CLASS_AIS);
        for (const k in message) {
            const v = message[k];
            if (v === undefined) continue;
            let key = KEY_BYTES.get(k);
            if (key === undefined) {
                key = Buffer.from(',' + JSON.stringify(k) + ':');
                KEY_BYTES.set(k, key);
            }
            this.reserve(key.length + 32);
            this.bytes(key);
            switch (typeof v) {
                case 'number':
                    this.number(v);
                    break;
                case 'boolean':
                    this.ascii(v ? 'true' : 'false');
                    break;
                case 'string':
                    this.string(v);
                    break;
                default:
                    this.text(JSON.stringify(v));
            }
        }
        if (receiverTime !== undefined && Number.isFinite(receiverTime)) {
            this.text(',"receiver_time":"' + new Date(receiverTime).toISOString() + '","receiver_time_source":' + jsonString(receiverTimeSource ?? ''));
        }
        this.reserve(2);
        this.buf[this.at++] = 125;
        this.buf[this.at++] = 10;
    }

    private reserve(n: number): void {
        if (this.at + n > this.buf.length) this.grow(n);
    }

    private bytes(b: Uint8Array): void {
        const buf = this.buf;
        let at = this.at;
        for (let i = 0; i < b.length; i++) buf[at++] = b[i] as number;
        this.at = at;
    }

    /** A string known to be ASCII without characters JSON escapes (room reserved by the caller). */
    private ascii(s: string): void {
        const buf = this.buf;
        let at = this.at;
        for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
        this.at = at;
    }

    /** Any string, as UTF-8. */
    private text(s: string): void {
        this.reserve(3 * s.length);
        this.at += this.buf.write(s, this.at);
    }

    /** As `'' + v` (JSON `null` for NaN and infinities); integers without a string in between. */
    private number(v: number): void {
        if (Number.isInteger(v) && v >= 0 && v < 4294967296) {
            const buf = this.buf;
            if (v < 10) {
                buf[this.at++] = 48 + v;
                return;
            }
            let digits = 1;
            for (let p = 10; p <= v; p *= 10) digits++;
            let at = this.at + digits;
            this.at = at;
            let n = v;
            do {
                const q = Math.floor(n / 10);
                buf[--at] = 48 + (n - 10 * q);
                n = q;
            } while (n > 0);
            return;
        }
        this.ascii(Number.isFinite(v) ? '' + v : 'null');
    }

    /** A JSON string: ASCII without escapes byte by byte, anything else through JSON.stringify. */
    private string(v: string): void {
        if (v.length > 200) {
            this.text(jsonString(v));
            return;
        }
        this.reserve(v.length + 2);
        const buf = this.buf;
        const start = this.at;
        let at = start;
        buf[at++] = 34;
        for (let i = 0; i < v.length; i++) {
            const c = v.charCodeAt(i);
            if (c === 34 || c === 92 || c < 32 || c > 126) {
                this.at = start;
                this.text(JSON.stringify(v));
                return;
            }
            buf[at++] = c;
        }
        buf[at++] = 34;
        this.at = at;
    }

    private grow(need: number): void {
        const next = Buffer.allocUnsafeSlow(Math.max(2 * this.buf.length, this.at + need));
        this.buf.copy(next, 0, 0, this.at);
        this.buf = next;
    }
}

const CLASS_AIS = Buffer.from('{"class":"AIS"');
/** `,"key":` per field name, as bytes, built once. */
const KEY_BYTES = new Map<string, Buffer>();

/** One decoder over a sequence of chunks; each chunk is whole lines (the last one may lack its newline). */
export class NmeaChunkDecoder {
    readonly decoder = new AisDecoder();
    /** Error lines (JSON, with newline) collected since the last `takeErrors`. */
    private errorText = '';

    constructor(private readonly opts: NmeaOutputOptions) {}

    /**
     * Decodes every line of `text[from, to)` into `out`. Lines end at `\n` (a `\r` before it is dropped); text
     * after the last newline is a last line only when `final`. With `out` undefined, the lines only move the
     * decoder's state on (a lead-in whose output belongs to another chunk).
     */
    lines(text: string, out: ByteLines | undefined, final: boolean): void {
        let from = 0;
        const d = this.decoder;
        for (;;) {
            const nl = text.indexOf('\n', from);
            if (nl < 0) break;
            const line = nl > from && text.charCodeAt(nl - 1) === 13 ? text.slice(from, nl - 1) : text.slice(from, nl);
            from = nl + 1;
            const evs = d.push(line);
            if (evs.length > 0 && out !== undefined) this.events(evs, out);
        }
        if (final && from < text.length) {
            const last = text.endsWith('\r') ? text.slice(from, -1) : text.slice(from);
            const evs = d.push(last);
            if (evs.length > 0 && out !== undefined) this.events(evs, out);
        }
    }

    /** Flushes the messages still waiting for fragments (errors only), as at the end of the input. */
    end(out: ByteLines): void {
        this.events(this.decoder.flush(), out);
    }

    takeErrors(): string {
        const t = this.errorText;
        this.errorText = '';
        return t;
    }

    saveState(): AisDecoderState {
        return this.decoder.saveState();
    }

    private events(events: DecodeEvent[], out: ByteLines): void {
        for (let i = 0; i < events.length; i++) {
            const ev = events[i] as DecodeEvent;
            if (ev.kind === 'message') {
                if (this.opts.records) {
                    const source: AisRecordSource = { format: 'nmea' };
                    if (ev.tagBlock !== undefined) source.tagBlock = ev.tagBlock;
                    if (ev.receiverTime !== undefined) source.receiverTime = ev.receiverTime;
                    for (const r of fromAisMessage(ev.message, source)) out.add(JSON.stringify(r));
                } else {
                    out.gpsdLine(ev.message, ev.tagBlock, ev.receiverTime, ev.receiverTimeSource);
                }
            } else if (this.opts.errors) {
                if (ev.kind === 'error') this.errorText += errorLine(ev.reason, ev.detail, ev.raw);
                else this.errorText += errorLine('UNSUPPORTED_TYPE', `type ${ev.type}: ${ev.detail}`, ev.raw);
            }
        }
    }
}

/** Main thread → worker. `input` holds `leadIn` bytes of lead-in, then the chunk, `length` bytes in all. */
export interface ChunkJob {
    id: number;
    input: ArrayBuffer;
    length: number;
    leadIn: number;
    /** Last chunk of the input: a last line without a newline is decoded too. */
    final: boolean;
    /** True: decode from `state` (or a fresh decoder when undefined), no lead-in; the result is used as is. */
    exact: boolean;
    state?: AisDecoderState;
}

/** Worker → main thread. */
export interface ChunkResult {
    id: number;
    exact: boolean;
    output: ArrayBuffer;
    outputLength: number;
    /** `--errors` lines. */
    errors: string;
    counts: ChunkCounts;
    /** Speculative jobs: the decoder's state after the lead-in. */
    startState: AisDecoderState | undefined;
    endState: AisDecoderState;
    /** The job's input, handed back for a second, exact run. */
    input: ArrayBuffer;
}

/** Runs one job (in a worker thread, or in the main thread as one of the decoding threads). */
export function runChunkJob(job: ChunkJob, opts: NmeaOutputOptions): ChunkResult {
    const bytes = Buffer.from(job.input, 0, job.length);
    const cd = new NmeaChunkDecoder(opts);
    let startState: ChunkResult['startState'];
    if (job.state !== undefined) cd.decoder.restoreState(job.state);
    else if (!job.exact) {
        // Speculative: the lines before the chunk give the decoder the state it most likely has at the chunk's
        // start; the main thread checks that against the true state before it uses the output.
        if (job.leadIn > 0) cd.lines(bytes.toString('utf8', 0, job.leadIn), undefined, false);
        startState = cd.saveState();
    }
    const before = cd.decoder.stats;
    // Output is about 3 bytes per input byte for gpsd JSON; ByteLines grows when it is more.
    const out = new ByteLines(4 * (job.length - job.leadIn) + 1024);
    cd.lines(bytes.toString('utf8', job.leadIn, job.length), out, job.final);
    const counts = emptyCounts();
    addCounts(counts, cd.decoder.stats, before);
    const o = out.take(1024);
    return {
        id: job.id,
        exact: job.exact,
        output: o.buffer as ArrayBuffer,
        outputLength: o.length,
        errors: cd.takeErrors(),
        counts,
        startState,
        endState: cd.saveState(),
        input: job.input,
    };
}

/** One `--errors` line: `{"reason","detail","raw"}` and a newline. */
export function errorLine(reason: string, detail: string, raw: string | string[]): string {
    return JSON.stringify({ reason, detail, raw }) + '\n';
}

/** `,"key":` per field name, built once. */
const KEY_PREFIX = new Map<string, string>();

function jsonString(v: string): string {
    for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c === 34 || c === 92 || c < 32) return JSON.stringify(v);
    }
    return '"' + v + '"';
}

/**
 * The decoded message as gpsd prints it (`"class":"AIS"` first), then the tag block as `tagblock_*`, then the
 * receiver time as `receiver_time` (ISO 8601) and `receiver_time_source` (tagblock, pghp or suffix).
 *
 * Written by hand rather than with JSON.stringify: this runs once per message and is the largest cost of the
 * command (measured: about 40 % less CPU per message; the output is the same JSON text).
 */
export function gpsdJson(
    message: Record<string, unknown>,
    tagBlock: TagBlock | undefined,
    receiverTime?: number,
    receiverTimeSource?: string,
): string {
    let out = '{"class":"AIS"';
    for (const k in message) {
        const v = message[k];
        if (v === undefined) continue;
        let p = KEY_PREFIX.get(k);
        if (p === undefined) {
            p = ',' + JSON.stringify(k) + ':';
            KEY_PREFIX.set(k, p);
        }
        switch (typeof v) {
            case 'number':
                out += p + (Number.isFinite(v) ? '' + v : 'null');
                break;
            case 'boolean':
                out += p + (v ? 'true' : 'false');
                break;
            case 'string':
                out += p + jsonString(v);
                break;
            default:
                out += p + JSON.stringify(v);
        }
    }
    if (tagBlock !== undefined) {
        for (const k in tagBlock) {
            const v = tagBlock[k];
            if (v === undefined) continue;
            if (k === 'timestamp' && typeof v === 'number') out += ',"tagblock_timestamp":"' + new Date(v).toISOString() + '"';
            else out += ',' + JSON.stringify('tagblock_' + k) + ':' + JSON.stringify(v);
        }
    }
    if (receiverTime !== undefined && Number.isFinite(receiverTime)) {
        out +=
            ',"receiver_time":"' + new Date(receiverTime).toISOString() + '","receiver_time_source":' + jsonString(receiverTimeSource ?? '');
    }
    return out + '}';
}
