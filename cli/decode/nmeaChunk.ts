/**
 * NMEA text to output bytes for `maritime decode`, one chunk of whole lines at a time: used in-process and by
 * the decode worker threads (cli/decode/worker.ts), so both produce the same bytes.
 */
import {
    AisDecoder,
    type AisDecoderState,
    type AisDecoderStats,
    suffixTime,
} from '../../shared/domain/ais/index.js';
import { decodePayload } from '../../shared/domain/ais/messages.js';
import { ARMOUR, ZERO_TAIL } from '../../shared/domain/ais/sixbit.js';
import type { DecodeEvent } from '../../shared/domain/ais/types.js';
import { type AisRecordSource, fromAisMessage } from '../../shared/domain/formats/fromAisMessage.js';
import { ByteLines } from './byteLines.js';
import { writeGpsdDirect } from './gpsdDirect.js';

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
        skippedByReason: {
            BLANK_OR_COMMENT: 0,
            NON_AIS_SENTENCE: 0,
            PROPRIETARY_SENTENCE: 0,
            PGHP_HEADER: 0,
        },
    };
}

/** `into += b - a` for every counter. */
export function addCounts(into: ChunkCounts, b: AisDecoderStats | ChunkCounts, a?: AisDecoderStats): void {
    const keys = [
        'lines',
        'sentences',
        'messages',
        'checksumFailures',
        'unsupported',
        'malformed',
        'skipped',
        'lineErrors',
        'tagBlockLines',
    ] as const;
    for (const k of keys) into[k] += b[k] - (a?.[k] ?? 0);
    for (const r of Object.keys(into.skippedByReason) as (keyof ChunkCounts['skippedByReason'])[]) {
        into.skippedByReason[r] += b.skippedByReason[r] - (a?.skippedByReason[r] ?? 0);
    }
}

/** What `countSentence` is told for a message written by the direct writer (any message object will do). */
const DIRECT = { type: 0, repeat: 0, mmsi: 0 };

/** ARMOUR for every byte value: -1 outside the armouring alphabet (the comma, bytes above 127). */
const ARMOUR_BYTE = new Int8Array(256).fill(-1);
ARMOUR_BYTE.set(ARMOUR);

/** The longest line the decoder accepts (AisDecoder's default `maxLineLength`). */
const MAX_LINE = 1024;

function hexValue(c: number): number {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 65 && c <= 70) return c - 55;
    if (c >= 97 && c <= 102) return c - 87;
    return -1;
}

/**
 * The domain's `suffixTime` (a receiver suffix ending in a Unix time: its epoch ms, or undefined) read from the
 * ASCII bytes `b[from, to)`, without making them a string.
 */
function suffixTimeOf(b: Buffer, from: number, to: number): number | undefined {
    if (b[from] !== 44) return undefined;
    let comma = to - 1;
    while (b[comma] !== 44) comma--;
    let secs = 0;
    let digits = 0;
    let i = comma + 1;
    for (; i < to; i++) {
        const d = (b[i] as number) - 48;
        if (d < 0 || d > 9) break;
        secs = secs * 10 + d;
        digits++;
    }
    if (digits < 9 || digits > 10) return undefined;
    // A fraction of a second is rare: the domain's reading of it.
    return i < to ? suffixTime(b.toString('latin1', from, to), 0, to - from) : secs * 1000;
}

/** One decoder over a sequence of chunks; each chunk is whole lines (the last one may lack its newline). */
export class NmeaChunkDecoder {
    readonly decoder = new AisDecoder();
    /** Error lines (JSON, with newline) collected since the last `takeErrors`. */
    private errorText = '';
    /** 6-bit symbols of the fast path's payload (two lines of at most MAX_LINE bytes), zero tail included. */
    private readonly sym = new Uint8Array(2 * MAX_LINE + ZERO_TAIL);
    /**
     * `sym[i]` is 0 for every i >= `dirty` (only `sentence` writes symbols, and it raises this): the symbols after
     * a payload need only be cleared below it. Consecutive payloads of one length (most of a feed) then clear
     * nothing, instead of ZERO_TAIL (40) stores per message.
     */
    private dirty = 0;

    constructor(private readonly opts: NmeaOutputOptions) {}

    /**
     * Decodes every line of `bytes[from, to)` into `out`. Lines end at `\n` (a `\r` before it is dropped); bytes
     * after the last newline are a last line only when `final`. With `out` undefined, the lines only move the
     * decoder's state on (a lead-in whose output belongs to another chunk; its counts are not used).
     *
     * A plain single-sentence line (see `fastLine`) is decoded from its bytes straight to output bytes; any
     * other line becomes a string for the decoder (`AisDecoder.push`), whose events are serialised.
     */
    lines(bytes: Buffer, from: number, to: number, out: ByteLines | undefined, final: boolean): void {
        const d = this.decoder;
        const fast = out === undefined || !this.opts.records;
        let at = from;
        while (at < to) {
            if (fast && d.carriesNoLineState) {
                const next = this.fastLine(bytes, at, to, out, final);
                if (next >= 0) {
                    at = next;
                    continue;
                }
            }
            let nl = bytes.indexOf(10, at);
            if (nl < 0 || nl >= to) {
                if (!final) return;
                nl = to;
            }
            const end = nl > at && bytes[nl - 1] === 13 ? nl - 1 : nl;
            const evs = d.push(bytes.toString('utf8', at, end));
            if (evs.length > 0 && out !== undefined) this.events(evs, out);
            at = nl + 1;
        }
    }

    /**
     * The fast path for the common lines: a single-sentence message `!ccVDM,1,1,[seq],[channel],<payload>,[fill]*hh`
     * (or `$`, or VDO), or a two-sentence message whose second sentence is the next line (`...,2,1,s,c,...`
     * then `...,2,2,s,c,...`, as type 5 arrives), each with nothing around it but an optional receiver suffix
     * after the checksum, when the decoder carries no tag-block line or `$PGHP` header over to it. Such lines
     * leave the decoder's state as `push` would leave it (a pair only when no pending message has its key and
     * the decoder has room for one more: then `push` would create the message at the first line and finish it
     * at the second), so the decoder need not see them (it only counts them). The message is written by the
     * direct writer (gpsdDirect.ts), or for the types it leaves out, decoded to an object and serialised,
     * without the lines ever being strings. Returns the offset after the line(s), or -1 (nothing done) for
     * anything else: a tag block, another fragment, a pair whose second line does not follow, a field or
     * checksum `push` would reject, a line longer than the decoder accepts, non-ASCII bytes, or with `--errors`
     * a payload the decoder rejects. Then the caller hands the line to `push`.
     */
    private fastLine(
        b: Buffer,
        start: number,
        to: number,
        out: ByteLines | undefined,
        final: boolean,
    ): number {
        let next = this.sentence(b, start, to, final, 0);
        if (next < 0) return -1;
        const count = this.count;
        let n = this.symbols;
        let fill = this.fill;
        const receiverTime = this.receiverTime;
        if (count === 2) {
            const seq = this.seq;
            const channel = this.channel;
            if (!this.decoder.wouldHoldFragment(channel, seq, 2)) return -1;
            next = this.sentence(b, next, to, final, n);
            if (next < 0 || this.count !== 2 || this.seq !== seq || this.channel !== channel) return -1;
            n += this.symbols;
            fill = this.fill;
        }
        if (out === undefined) return next;
        const sym = this.sym;
        // Every symbol after the payload is 0: cleared where an earlier payload left symbols (a loop: TypedArray
        // fill is a call into C++, dearer than a few stores). All of them, not only ZERO_TAIL: some application
        // messages read fields past that (type 6 DAC 1 FI 12 reads up to bit 357), which then came from the line
        // before.
        const dirty = this.dirty;
        for (let i = n; i < dirty; i++) sym[i] = 0;
        this.dirty = n;
        const bitlen = 6 * n - fill;
        const source = receiverTime === undefined ? undefined : 'suffix';
        if (writeGpsdDirect(out, sym, bitlen, receiverTime, source)) {
            this.decoder.countSentence(DIRECT, count);
            return next;
        }
        // A type the direct writer leaves to the object path, or a payload the decoder rejects.
        const r = decodePayload(sym, bitlen);
        if (typeof r !== 'number') out.gpsdLine(r, undefined, receiverTime, source);
        else if (this.opts.errors) return -1; // push builds the error event with its detail
        this.decoder.countSentence(r, count);
        return next;
    }

    // What `sentence` read from its line (fields rather than an object: no allocation per line).
    private count = 0;
    private seq = -1;
    private channel = -1;
    private symbols = 0;
    private fill = 0;
    private receiverTime: number | undefined;

    /**
     * Reads one line at `start` that is sentence 1 of 1, 1 of 2 (`symAt` 0) or 2 of 2 (`symAt` > 0) of a message,
     * as `push` would accept it, de-armouring its payload into `sym` from `symAt`. Sets `count`, `seq` (-1 when
     * empty), `channel` (its character code, -1 when empty), `symbols`, `fill` and `receiverTime` (the suffix
     * time); returns the offset after the line, or -1 for anything else (see fastLine).
     */
    private sentence(b: Buffer, start: number, to: number, final: boolean, symAt: number): number {
        // The length first: a read past the buffer's end (`start` at the end of the input) would be `undefined`
        // and make V8 drop the optimised code of this function (an "out of bounds" deopt, then a recompile).
        if (start + 17 > to) return -1;
        const c0 = b[start];
        if (c0 !== 33 && c0 !== 36) return -1;
        // `ccVDM,1,1,` or `ccVDM,2,1,` (symAt 0), `ccVDM,2,2,` (symAt > 0)
        if (b[start + 3] !== 86 || b[start + 4] !== 68 || (b[start + 5] !== 77 && b[start + 5] !== 79))
            return -1;
        const count = (b[start + 7] as number) - 48;
        const num = (b[start + 9] as number) - 48;
        if (
            b[start + 6] !== 44 ||
            b[start + 8] !== 44 ||
            b[start + 10] !== 44 ||
            (symAt === 0 ? num !== 1 || (count !== 1 && count !== 2) : num !== 2 || count !== 2)
        )
            return -1;
        let sum = 0;
        for (let i = start + 1; i < start + 11; i++) sum ^= b[i] as number;
        let i = start + 11;
        let c = b[i] as number;
        // Sequence id: empty or one digit.
        let seq = -1;
        if (c >= 48 && c <= 57) {
            seq = c - 48;
            sum ^= c;
            c = b[++i] as number;
        }
        if (c !== 44) return -1;
        sum ^= c;
        c = b[++i] as number;
        // Channel: empty or one printable ASCII character.
        let channel = -1;
        if (c !== 44) {
            if (c < 32 || c > 126 || c === 42) return -1;
            channel = c;
            sum ^= c;
            c = b[++i] as number;
            if (c !== 44) return -1;
        }
        sum ^= c;
        // Payload, de-armoured on the way.
        const sym = this.sym;
        const limit = Math.min(to, start + MAX_LINE);
        let n = symAt;
        for (i++; i < limit; i++) {
            c = b[i] as number;
            const v = ARMOUR_BYTE[c] as number;
            if (v < 0) break; // the comma after the payload (-1 too), or a byte outside the armouring alphabet
            sum ^= c;
            sym[n++] = v;
        }
        if (n > this.dirty) this.dirty = n;
        if (c !== 44 || i + 4 > limit) return -1;
        sum ^= 44;
        c = b[++i] as number;
        let fill = 0;
        if (c >= 48 && c <= 53) {
            fill = c - 48;
            sum ^= c;
            c = b[++i] as number;
        }
        if (c !== 42) return -1;
        const hi = hexValue(b[i + 1] as number);
        const lo = hexValue(b[i + 2] as number);
        if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== sum) return -1;
        // The end of the line: a newline (after an optional `\r`), the end of the last chunk, or a suffix.
        const afterSum = i + 3;
        if (afterSum - start > MAX_LINE) return -1;
        let next: number;
        let receiverTime: number | undefined;
        if (afterSum >= to) {
            if (afterSum > to || !final) return -1;
            next = to;
        } else if (b[afterSum] === 10) next = afterSum + 1;
        else if (b[afterSum] === 13 && afterSum + 1 < to && b[afterSum + 1] === 10) next = afterSum + 2;
        else {
            let nl = b.indexOf(10, afterSum);
            if (nl < 0 || nl >= to) {
                if (!final) return -1;
                nl = to;
            }
            if (nl - start > MAX_LINE) return -1;
            // The decoder trims trailing whitespace; the rest is the suffix, read only for its time.
            let end = nl;
            while (end > afterSum) {
                const t = b[end - 1] as number;
                if (t !== 10 && t !== 13 && t !== 32 && t !== 9) break;
                end--;
            }
            for (let j = afterSum; j < end; j++) if ((b[j] as number) > 127) return -1;
            if (end > afterSum) receiverTime = suffixTimeOf(b, afterSum, end);
            next = nl + 1;
        }
        this.count = count;
        this.seq = seq;
        this.channel = channel;
        this.symbols = n - symAt;
        this.fill = fill;
        this.receiverTime = receiverTime;
        return next;
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

/** A chunk of lines to decode: its buffer holds `leadIn` bytes of lead-in, then the chunk, `length` bytes in all. */
export interface ChunkSpec {
    leadIn: number;
    length: number;
    /** Last chunk of the input: a last line without a newline is decoded too. */
    final: boolean;
    /** True: decode from `state` (or a fresh decoder when undefined), no lead-in; the result is used as is. */
    exact: boolean;
    state?: AisDecoderState;
}

/** What decoding a chunk gives besides its output bytes. */
export interface ChunkOutcome {
    /** `--errors` lines. */
    errors: string;
    counts: ChunkCounts;
    /** Speculative chunks: the decoder's state after the lead-in. */
    startState: AisDecoderState | undefined;
    endState: AisDecoderState;
}

/**
 * Decodes one chunk (in a worker thread, or in the main thread as one of the decoding threads) into `out`. A
 * speculative chunk (not `exact`) first decodes its lead-in without output: the lines before the chunk give the
 * decoder the state it most likely has at the chunk's start; the main thread checks that against the true state
 * before it uses the output.
 */
export function decodeChunk(
    input: Buffer,
    spec: ChunkSpec,
    out: ByteLines,
    opts: NmeaOutputOptions,
): ChunkOutcome {
    const cd = new NmeaChunkDecoder(opts);
    let startState: AisDecoderState | undefined;
    if (spec.state !== undefined) cd.decoder.restoreState(spec.state);
    else if (!spec.exact) {
        if (spec.leadIn > 0) cd.lines(input, 0, spec.leadIn, undefined, false);
        startState = cd.saveState();
    }
    const before = cd.decoder.stats;
    cd.lines(input, spec.leadIn, spec.length, out, spec.final);
    const counts = emptyCounts();
    addCounts(counts, cd.decoder.stats, before);
    return { errors: cd.takeErrors(), counts, startState, endState: cd.saveState() };
}

/** One `--errors` line: `{"reason","detail","raw"}` and a newline. */
export function errorLine(reason: string, detail: string, raw: string | string[]): string {
    return JSON.stringify({ reason, detail, raw }) + '\n';
}
