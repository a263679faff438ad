/**
 * Streaming AIS decoder: NMEA 0183 `!xxVDM` / `!xxVDO` lines (optionally with NMEA 4 tag blocks and receiver
 * suffixes after the checksum) in, decode events out. Pure and synchronous; one instance per stream.
 *
 * Per line (`push`):
 * - blank lines and `#` comments: skipped (stats.skipped), no event;
 * - longer than `maxLineLength`: LINE_TOO_LONG; bad tag block: TAGBLOCK_INVALID; not `!`/`$` + `ccVDM`/`ccVDO`
 *   with 7 fields: NMEA_MALFORMED; missing or wrong `*hh`: NMEA_CHECKSUM; fragment count 0 or > 9, fragment
 *   number 0 or > count, sequence id not a digit, fill bits not 0..5, channel longer than 1: NMEA_BAD_FIELD;
 * - a line holding only a tag block: kept for the next sentence (stats.tagBlockLines), no event;
 * - a good sentence (stats.sentences): decoded at once, or held until its message is complete.
 *
 * Reassembly key: the tag block `g:` group (station + group id) when present, else (station from the tag
 * block or '', channel, sequence id, fragment count). Fragments may interleave and arrive out of order. A
 * repeated fragment number under a pending key starts a new message and reports the old one as
 * FRAGMENT_INCOMPLETE; so do eviction (more than `maxPendingMessages` pending, oldest first), timeout (older
 * than `fragmentTimeoutMs` by `receivedAt`) and `flush()`. FRAGMENT_ORPHAN is not emitted: a lone later
 * fragment waits like any other and ends as FRAGMENT_INCOMPLETE.
 *
 * Accounting: `lines = skipped + tagBlockLines + sentences + checksumFailures + lineErrors`, and every line
 * that is not skipped or a tag-block line ends up in exactly one event's `raw` (or is still pending).
 */
import { decodePayload, FAIL_BAD_PART, FAIL_TOO_SHORT } from './messages.js';
import { dearmour, ZERO_TAIL } from './sixbit.js';
import { parseTagBlock } from './tagblock.js';
import type { AisDecoderOptions, DecodeEvent, DecodeReason, DecodeStats, TagBlock } from './types.js';

/** Stats with the decoder's extra counters (see the accounting rule above). */
export interface AisDecoderStats extends DecodeStats {
    /** Lines rejected before they became a sentence, other than checksum failures (also in `malformed`). */
    lineErrors: number;
    /** Lines holding only a tag block, attached to the next sentence. */
    tagBlockLines: number;
}

interface Pending {
    key: string;
    count: number;
    got: number;
    /** Payload text per fragment number - 1. */
    parts: (string | undefined)[];
    /** Fill bits of the last fragment. */
    fill: number;
    raws: string[];
    at: number | undefined;
    tagBlock: TagBlock | undefined;
    talker: string;
    formatter: 'VDM' | 'VDO';
    channel: string | undefined;
}

const CHAR_STRINGS: readonly string[] = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));

function hexValue(c: number): number {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 65 && c <= 70) return c - 55;
    if (c >= 97 && c <= 102) return c - 87;
    return -1;
}

/** Non-negative integer in `s[from, to)`: -1 when empty, -2 when not digits (or more than 6). */
function smallInt(s: string, from: number, to: number): number {
    if (from === to) return -1;
    if (to - from > 6) return -2;
    let v = 0;
    for (let i = from; i < to; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return -2;
        v = v * 10 + d;
    }
    return v;
}

export class AisDecoder {
    private readonly maxLineLength: number;
    private readonly maxPending: number;
    private readonly timeoutMs: number;
    private sym: Uint8Array = new Uint8Array(4096);
    private readonly pending = new Map<string, Pending>();
    private pendingTag: TagBlock | undefined = undefined;
    private readonly commas = new Int32Array(8);
    private talkerA = 0;
    private talkerB = 0;
    private talker = '';
    private readonly st: AisDecoderStats = {
        lines: 0,
        sentences: 0,
        messages: 0,
        fragmentsPending: 0,
        checksumFailures: 0,
        unsupported: 0,
        malformed: 0,
        skipped: 0,
        lineErrors: 0,
        tagBlockLines: 0,
    };

    constructor(options: AisDecoderOptions = {}) {
        this.maxLineLength = Math.max(1, options.maxLineLength ?? 1024);
        this.maxPending = Math.max(1, options.maxPendingMessages ?? 1024);
        this.timeoutMs = options.fragmentTimeoutMs ?? 60000;
    }

    /** A copy of the counters. */
    get stats(): AisDecoderStats {
        return { ...this.st };
    }

    /** Decodes one line (trailing `\r\n` allowed). `receivedAt` (epoch ms) drives the fragment timeout. */
    push(line: string, receivedAt?: number): DecodeEvent[] {
        const st = this.st;
        st.lines++;
        const out: DecodeEvent[] = [];
        if (receivedAt !== undefined && this.pending.size > 0) this.expire(receivedAt, out);
        if (line.length > this.maxLineLength) {
            this.lineError(out, 'LINE_TOO_LONG', `line of ${line.length} characters`, line, receivedAt);
            return out;
        }
        let end = line.length;
        while (end > 0) {
            const c = line.charCodeAt(end - 1);
            if (c !== 10 && c !== 13 && c !== 32 && c !== 9) break;
            end--;
        }
        let start = 0;
        while (start < end) {
            const c = line.charCodeAt(start);
            if (c !== 32 && c !== 9) break;
            start++;
        }
        if (start === end || line.charCodeAt(start) === 35) {
            st.skipped++;
            return out;
        }
        let tagBlock: TagBlock | undefined;
        if (line.charCodeAt(start) === 92) {
            const close = line.indexOf('\\', start + 1);
            const tb = close < 0 || close >= end ? null : parseTagBlock(line, start + 1, close);
            if (tb === null) {
                this.lineError(
                    out,
                    'TAGBLOCK_INVALID',
                    'bad tag block or tag block checksum',
                    line,
                    receivedAt,
                );
                return out;
            }
            start = close + 1;
            if (start === end) {
                st.tagBlockLines++;
                this.pendingTag = tb;
                return out;
            }
            tagBlock = tb;
            this.pendingTag = undefined;
        } else if (this.pendingTag !== undefined) {
            tagBlock = this.pendingTag;
            this.pendingTag = undefined;
        }
        const c0 = line.charCodeAt(start);
        if (c0 !== 33 && c0 !== 36) {
            this.lineError(out, 'NMEA_MALFORMED', 'not an NMEA sentence', line, receivedAt);
            return out;
        }
        // One pass: checksum and comma positions up to '*'.
        const commas = this.commas;
        let nc = 0;
        let sum = 0;
        let star = -1;
        for (let i = start + 1; i < end; i++) {
            const c = line.charCodeAt(i);
            if (c === 42) {
                star = i;
                break;
            }
            sum ^= c;
            if (c === 44 && nc < 8) commas[nc++] = i;
        }
        if (star < 0 || star + 2 >= end) {
            st.checksumFailures++;
            out.push(this.errorEvent('NMEA_CHECKSUM', 'missing checksum', [line], undefined, receivedAt));
            return out;
        }
        const hi = hexValue(line.charCodeAt(star + 1));
        const lo = hexValue(line.charCodeAt(star + 2));
        if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== sum) {
            st.checksumFailures++;
            out.push(this.errorEvent('NMEA_CHECKSUM', 'checksum mismatch', [line], undefined, receivedAt));
            return out;
        }
        // Anything after `*hh` is a receiver suffix (USCG `,d-109,S2105,...`, or junk): ignored, as gpsd does.
        const c1 = commas[0] as number;
        if (
            nc !== 6 ||
            c1 !== start + 6 ||
            line.charCodeAt(start + 3) !== 86 ||
            line.charCodeAt(start + 4) !== 68 ||
            (line.charCodeAt(start + 5) !== 77 && line.charCodeAt(start + 5) !== 79)
        ) {
            this.lineError(out, 'NMEA_MALFORMED', 'not a VDM/VDO sentence with 7 fields', line, receivedAt);
            return out;
        }
        const c2 = commas[1] as number;
        const c3 = commas[2] as number;
        const c4 = commas[3] as number;
        const c5 = commas[4] as number;
        const c6 = commas[5] as number;
        const count = smallInt(line, c1 + 1, c2);
        const number = smallInt(line, c2 + 1, c3);
        const seq = smallInt(line, c3 + 1, c4);
        const fill = c6 + 1 === star ? 0 : smallInt(line, c6 + 1, star);
        if (
            count < 1 ||
            count > 9 ||
            number < 1 ||
            number > count ||
            seq === -2 ||
            seq > 9 ||
            fill < 0 ||
            fill > 5 ||
            c5 - c4 > 2
        ) {
            this.lineError(
                out,
                'NMEA_BAD_FIELD',
                `fragment ${line.slice(c2 + 1, c3)} of ${line.slice(c1 + 1, c2)}, sequence '${line.slice(c3 + 1, c4)}', channel '${line.slice(c4 + 1, c5)}', fill '${line.slice(c6 + 1, star)}'`,
                line,
                receivedAt,
            );
            return out;
        }
        st.sentences++;
        const ta = line.charCodeAt(start + 1);
        const tb2 = line.charCodeAt(start + 2);
        if (ta !== this.talkerA || tb2 !== this.talkerB) {
            this.talkerA = ta;
            this.talkerB = tb2;
            this.talker = line.slice(start + 1, start + 3);
        }
        const talker = this.talker;
        const formatter = line.charCodeAt(start + 5) === 77 ? 'VDM' : 'VDO';
        const chCode = c5 > c4 + 1 ? line.charCodeAt(c4 + 1) : -1;
        const channel = chCode < 0 ? undefined : chCode < 128 ? CHAR_STRINGS[chCode] : line.slice(c4 + 1, c5);

        if (count === 1) {
            const n = c6 - c5 - 1;
            if (this.sym.length < n + ZERO_TAIL) this.sym = new Uint8Array(2 * (n + ZERO_TAIL));
            const sym = this.sym;
            const j = dearmour(line, c5 + 1, c6, sym, 0);
            const raw = [line];
            if (j < 0) {
                st.malformed++;
                out.push(
                    this.sourced(
                        {
                            kind: 'error',
                            reason: 'PAYLOAD_BAD_CHAR',
                            detail: 'payload character outside the 6-bit alphabet',
                        },
                        raw,
                        talker,
                        formatter,
                        channel,
                        tagBlock,
                        receivedAt,
                    ),
                );
                return out;
            }
            sym.fill(0, n, n + ZERO_TAIL);
            out.push(this.decoded(sym, 6 * n - fill, raw, talker, formatter, channel, tagBlock, receivedAt));
            return out;
        }

        // Multi-sentence message.
        const station = tagBlock?.station ?? '';
        const group = tagBlock?.group;
        const key =
            group !== undefined
                ? 'g\u0000' + station + '\u0000' + group.id
                : 's\u0000' + station + '\u0000' + (channel ?? '') + '\u0000' + seq + '\u0000' + count;
        let p = this.pending.get(key);
        if (p !== undefined && (p.count !== count || p.parts[number - 1] !== undefined)) {
            this.pending.delete(key);
            this.incomplete(p, out, receivedAt, 'superseded by a new message with the same key');
            p = undefined;
        }
        if (p === undefined) {
            if (this.pending.size >= this.maxPending) {
                const oldest = this.pending.values().next().value as Pending;
                this.pending.delete(oldest.key);
                this.incomplete(oldest, out, receivedAt, 'evicted: too many pending messages');
            }
            p = {
                key,
                count,
                got: 0,
                parts: new Array<string | undefined>(count).fill(undefined),
                fill: 0,
                raws: [],
                at: receivedAt,
                tagBlock,
                talker,
                formatter,
                channel,
            };
            this.pending.set(key, p);
        }
        p.parts[number - 1] = line.slice(c5 + 1, c6);
        if (number === count) p.fill = fill;
        if (number === 1 && tagBlock !== undefined) p.tagBlock = tagBlock;
        p.raws.push(line);
        p.got++;
        st.fragmentsPending++;
        if (p.got < count) return out;
        this.pending.delete(key);
        st.fragmentsPending -= count;
        let n = 0;
        for (const part of p.parts) n += (part as string).length;
        if (this.sym.length < n + ZERO_TAIL) this.sym = new Uint8Array(2 * (n + ZERO_TAIL));
        const sym = this.sym;
        let j = 0;
        for (const part of p.parts) {
            const text = part as string;
            j = dearmour(text, 0, text.length, sym, j);
            if (j < 0) break;
        }
        if (j < 0) {
            st.malformed++;
            out.push(
                this.sourced(
                    {
                        kind: 'error',
                        reason: 'PAYLOAD_BAD_CHAR',
                        detail: 'payload character outside the 6-bit alphabet',
                    },
                    p.raws,
                    p.talker,
                    p.formatter,
                    p.channel,
                    p.tagBlock,
                    receivedAt,
                ),
            );
            return out;
        }
        sym.fill(0, n, n + ZERO_TAIL);
        out.push(
            this.decoded(
                sym,
                6 * n - p.fill,
                p.raws,
                p.talker,
                p.formatter,
                p.channel,
                p.tagBlock,
                receivedAt,
            ),
        );
        return out;
    }

    /** Reports every pending multi-sentence message as FRAGMENT_INCOMPLETE and forgets it. */
    flush(): DecodeEvent[] {
        const out: DecodeEvent[] = [];
        for (const p of this.pending.values()) this.incomplete(p, out, undefined, 'stream flushed');
        this.pending.clear();
        this.st.fragmentsPending = 0;
        this.pendingTag = undefined;
        return out;
    }

    private expire(now: number, out: DecodeEvent[]): void {
        for (const p of this.pending.values()) {
            if (p.at === undefined || now - p.at <= this.timeoutMs) break;
            this.pending.delete(p.key);
            this.incomplete(p, out, now, `no complete message within ${this.timeoutMs} ms`);
        }
    }

    private incomplete(p: Pending, out: DecodeEvent[], receivedAt: number | undefined, why: string): void {
        this.st.fragmentsPending -= p.got;
        this.st.malformed++;
        out.push(
            this.sourced(
                {
                    kind: 'error',
                    reason: 'FRAGMENT_INCOMPLETE',
                    detail: `${p.got} of ${p.count} fragments: ${why}`,
                },
                p.raws,
                p.talker,
                p.formatter,
                p.channel,
                p.tagBlock,
                receivedAt ?? p.at,
            ),
        );
    }

    private lineError(
        out: DecodeEvent[],
        reason: DecodeReason,
        detail: string,
        line: string,
        receivedAt: number | undefined,
    ): void {
        this.st.lineErrors++;
        this.st.malformed++;
        out.push(this.errorEvent(reason, detail, [line], undefined, receivedAt));
    }

    private errorEvent(
        reason: DecodeReason,
        detail: string,
        raw: string[],
        tagBlock: TagBlock | undefined,
        receivedAt: number | undefined,
    ): DecodeEvent {
        return {
            kind: 'error',
            reason,
            detail,
            raw,
            talker: undefined,
            formatter: undefined,
            channel: undefined,
            tagBlock,
            receivedAt,
        };
    }

    private sourced(
        body: { kind: 'error'; reason: DecodeReason; detail: string },
        raw: string[],
        talker: string,
        formatter: 'VDM' | 'VDO',
        channel: string | undefined,
        tagBlock: TagBlock | undefined,
        receivedAt: number | undefined,
    ): DecodeEvent {
        return {
            kind: 'error',
            reason: body.reason,
            detail: body.detail,
            raw,
            talker,
            formatter,
            channel,
            tagBlock,
            receivedAt,
        };
    }

    private decoded(
        sym: Uint8Array,
        bitlen: number,
        raw: string[],
        talker: string,
        formatter: 'VDM' | 'VDO',
        channel: string | undefined,
        tagBlock: TagBlock | undefined,
        receivedAt: number | undefined,
    ): DecodeEvent {
        const r = decodePayload(sym, bitlen);
        if (typeof r !== 'number') {
            this.st.messages++;
            return { kind: 'message', message: r, raw, talker, formatter, channel, tagBlock, receivedAt };
        }
        const type = bitlen >= 6 ? (sym[0] as number) : -1;
        if (r === FAIL_TOO_SHORT) {
            this.st.malformed++;
            const detail =
                type < 0
                    ? `payload of ${bitlen} bits`
                    : `type ${type} payload of ${bitlen} bits is too short`;
            return {
                kind: 'error',
                reason: 'PAYLOAD_TOO_SHORT',
                detail,
                raw,
                talker,
                formatter,
                channel,
                tagBlock,
                receivedAt,
            };
        }
        this.st.unsupported++;
        const mmsi = bitlen >= 38 ? readMmsi(sym) : undefined;
        const detail =
            r === FAIL_BAD_PART
                ? 'type 24 part number 2 or 3 is reserved'
                : `message type ${type} is not defined`;
        return {
            kind: 'unsupported',
            type,
            mmsi,
            detail,
            raw,
            talker,
            formatter,
            channel,
            tagBlock,
            receivedAt,
        };
    }
}

function readMmsi(sym: Uint8Array): number {
    // bits 8..37: the low 4 bits of symbol 1, symbols 2..5, the high 2 bits of symbol 6.
    const a = (sym[1] as number) & 15;
    return (
        ((((a * 64 + (sym[2] as number)) * 64 + (sym[3] as number)) * 64 + (sym[4] as number)) * 64 +
            (sym[5] as number)) *
            4 +
        ((sym[6] as number) >>> 4)
    );
}

/** Decodes a batch of lines with a fresh decoder, flushing at the end. */
export function decodeLines(
    lines: Iterable<string>,
    options?: AisDecoderOptions,
): { events: DecodeEvent[]; stats: AisDecoderStats } {
    const d = new AisDecoder(options);
    const events: DecodeEvent[] = [];
    for (const line of lines) for (const e of d.push(line)) events.push(e);
    for (const e of d.flush()) events.push(e);
    return { events, stats: d.stats };
}
