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
import type {
    AisDecoderOptions,
    AisMessage,
    DecodeEvent,
    DecodeReason,
    DecodeStats,
    ReceiverTimeSource,
    TagBlock,
} from './types.js';

/** Stats with the decoder's extra counters (see the accounting rule above). */
export interface AisDecoderStats extends DecodeStats {
    /** Lines rejected before they became a sentence, other than checksum failures (also in `malformed`). */
    lineErrors: number;
    /** Lines holding only a tag block, attached to the next sentence. */
    tagBlockLines: number;
    /** `skipped` by reason: BLANK_OR_COMMENT, NON_AIS_SENTENCE, PROPRIETARY_SENTENCE, PGHP_HEADER. */
    skippedByReason: Record<SkipReason, number>;
}

/** Why a line was skipped (not data, not an error): see README "Skipped lines". */
export type SkipReason = 'BLANK_OR_COMMENT' | 'NON_AIS_SENTENCE' | 'PROPRIETARY_SENTENCE' | 'PGHP_HEADER';

/**
 * What a decoder carries from one line to the next (messages waiting for fragments, a tag-block-only line or a
 * `$PGHP` header waiting for its sentence): plain data, so it can be copied between threads. A decoder resumed
 * from the state another decoder had after line N decodes line N+1 onwards exactly as that decoder would.
 */
export interface AisDecoderState {
    /** Pending multi-sentence messages, oldest first (the eviction order). */
    pending: Pending[];
    pendingTag: TagBlock | undefined;
    pendingHeaderTime: number | undefined;
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
    /** Receiver time of the first fragment (or of the first that arrived, until fragment 1 does). */
    receiverTime: number | undefined;
    receiverTimeSource: ReceiverTimeSource | undefined;
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
    /**
     * `sym[i]` is 0 for every i >= `symDirty`. Every symbol after a payload is cleared before it is decoded, not
     * only ZERO_TAIL of them: some application messages read fields past that (type 6 DAC 1 FI 12 reads up to
     * bit 357), which then came from an earlier, longer payload.
     */
    private symDirty = 0;
    private readonly pending = new Map<string, Pending>();
    private pendingTag: TagBlock | undefined = undefined;
    /** Time of a `$PGHP` header line, for the next sentence. */
    private pendingHeaderTime: number | undefined = undefined;
    /** Receiver time of the sentence being decoded (set per line before an event is built). */
    private rt: number | undefined = undefined;
    private rts: ReceiverTimeSource | undefined = undefined;
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
        skippedByReason: {
            BLANK_OR_COMMENT: 0,
            NON_AIS_SENTENCE: 0,
            PROPRIETARY_SENTENCE: 0,
            PGHP_HEADER: 0,
        },
    };

    constructor(options: AisDecoderOptions = {}) {
        this.maxLineLength = Math.max(1, options.maxLineLength ?? 1024);
        this.maxPending = Math.max(1, options.maxPendingMessages ?? 1024);
        this.timeoutMs = options.fragmentTimeoutMs ?? 60000;
    }

    /** The state carried to the next line (see AisDecoderState); a deep copy. */
    saveState(): AisDecoderState {
        return structuredClone({
            pending: [...this.pending.values()],
            pendingTag: this.pendingTag,
            pendingHeaderTime: this.pendingHeaderTime,
        });
    }

    /**
     * Continues from a saved state (of this or another decoder): the pending messages replace this decoder's, and
     * `fragmentsPending` counts their fragments. The other counters are left as they are.
     */
    restoreState(state: AisDecoderState): void {
        const copy = structuredClone(state);
        this.pending.clear();
        let fragments = 0;
        for (const p of copy.pending) {
            this.pending.set(p.key, p);
            fragments += p.got;
        }
        this.st.fragmentsPending = fragments;
        this.pendingTag = copy.pendingTag;
        this.pendingHeaderTime = copy.pendingHeaderTime;
    }

    /**
     * True when no tag-block-only line and no `$PGHP` header waits for the next sentence: then a single-sentence
     * `!ccVDM,1,1,...` line without a tag block neither reads nor changes the decoder's state (pending fragments
     * are keyed apart from it), so a caller may frame and decode such a line itself and report it with
     * `countSentence` (`maritime decode` does, to write JSON straight from the bytes).
     */
    get carriesNoLineState(): boolean {
        return this.pendingTag === undefined && this.pendingHeaderTime === undefined;
    }

    /**
     * True when `push` of fragment 1 of a `count`-sentence message without a tag block, on `channel` (character
     * code, -1 when empty) with sequence id `seq` (-1 when empty), would start a new pending message without
     * evicting or superseding one: no pending message has its key and there is room for one more. Then that
     * fragment followed at once by the rest of its message leaves the pending messages as they were, and a
     * caller may decode the whole message itself (see carriesNoLineState) and count it with `countSentence`.
     */
    wouldHoldFragment(channel: number, seq: number, count: number): boolean {
        if (this.pending.size === 0) return true;
        if (this.pending.size >= this.maxPending) return false;
        const ch = channel < 0 ? '' : (CHAR_STRINGS[channel] ?? String.fromCharCode(channel));
        return !this.pending.has('s\u0000\u0000' + ch + '\u0000' + seq + '\u0000' + count);
    }

    /**
     * Counts a good message of `sentences` lines (1, or a whole multi-sentence message, see wouldHoldFragment)
     * decoded outside `push` (see carriesNoLineState) as `push` would: `result` is the message, or the FAIL_*
     * code of `decodePayload`.
     */
    countSentence(result: AisMessage | number, sentences = 1): void {
        const st = this.st;
        st.lines += sentences;
        st.sentences += sentences;
        if (typeof result !== 'number') st.messages++;
        else if (result === FAIL_TOO_SHORT) st.malformed++;
        else st.unsupported++;
    }

    /** A copy of the counters. */
    get stats(): AisDecoderStats {
        return { ...this.st, skippedByReason: { ...this.st.skippedByReason } };
    }

    /** Decodes one line (trailing `\r\n` allowed). `receivedAt` (epoch ms) drives the fragment timeout. */
    push(line: string, receivedAt?: number): DecodeEvent[] {
        const st = this.st;
        st.lines++;
        const out: DecodeEvent[] = [];
        this.rt = undefined;
        this.rts = undefined;
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
            st.skippedByReason.BLANK_OR_COMMENT++;
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
        // Not `ccVDM`/`ccVDO`: another NMEA sentence ($GPRMC, $PGHP, ...), skipped with a reason (not an error).
        if (
            line.charCodeAt(start + 3) !== 86 ||
            line.charCodeAt(start + 4) !== 68 ||
            (line.charCodeAt(start + 5) !== 77 && line.charCodeAt(start + 5) !== 79) ||
            (nc > 0 && commas[0] !== start + 6)
        ) {
            if (
                this.otherSentence(
                    line,
                    start,
                    nc > 0 ? (commas[0] as number) : star < 0 ? end : star,
                    star,
                    end,
                    sum,
                )
            )
                return out;
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
        // Anything after `*hh` is a receiver suffix (USCG `,d-109,S2105,...,1325394060`): its last field, when it
        // is a Unix time in seconds, is the receiver time; the rest is ignored, as gpsd does.
        // Receiver time precedence: tag block `c:`, then a `$PGHP` header line, then the suffix time.
        const headerTime = this.pendingHeaderTime;
        this.pendingHeaderTime = undefined;
        if (tagBlock?.timestamp !== undefined) {
            this.rt = tagBlock.timestamp;
            this.rts = 'tagblock';
        } else if (headerTime !== undefined) {
            this.rt = headerTime;
            this.rts = 'pghp';
        } else if (star + 3 < end) {
            const t = suffixTime(line, star + 3, end);
            if (t !== undefined) {
                this.rt = t;
                this.rts = 'suffix';
            }
        }
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
            if (this.sym.length < n + ZERO_TAIL) this.growSym(n);
            const sym = this.sym;
            const j = dearmour(line, c5 + 1, c6, sym, 0);
            if (n > this.symDirty) this.symDirty = n;
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
            this.clearAfter(n);
            out.push(this.decoded(sym, 6 * n - fill, raw, talker, formatter, channel, tagBlock, receivedAt));
            return out;
        }

        // Multi-sentence message.
        // NMEA 4: only the first fragment carries `s:` and `c:`, later ones only `g:`: the group id alone is the key.
        const group = tagBlock?.group;
        const key =
            group !== undefined
                ? 'g\u0000' + group.id
                : 's\u0000' +
                  (tagBlock?.station ?? '') +
                  '\u0000' +
                  (channel ?? '') +
                  '\u0000' +
                  seq +
                  '\u0000' +
                  count;
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
                receiverTime: this.rt,
                receiverTimeSource: this.rts,
                talker,
                formatter,
                channel,
            };
            this.pending.set(key, p);
        }
        p.parts[number - 1] = line.slice(c5 + 1, c6);
        if (number === count) p.fill = fill;
        if (number === 1) {
            if (tagBlock !== undefined) p.tagBlock = tagBlock;
            if (this.rt !== undefined) {
                p.receiverTime = this.rt;
                p.receiverTimeSource = this.rts;
            }
        }
        p.raws.push(line);
        p.got++;
        st.fragmentsPending++;
        if (p.got < count) return out;
        this.pending.delete(key);
        st.fragmentsPending -= count;
        this.rt = p.receiverTime;
        this.rts = p.receiverTimeSource;
        let n = 0;
        for (const part of p.parts) n += (part as string).length;
        if (this.sym.length < n + ZERO_TAIL) this.growSym(n);
        const sym = this.sym;
        let j = 0;
        for (const part of p.parts) {
            const text = part as string;
            j = dearmour(text, 0, text.length, sym, j);
            if (j < 0) break;
        }
        if (n > this.symDirty) this.symDirty = n;
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
        this.clearAfter(n);
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

    /** A zeroed symbol buffer with room for `n` symbols and the zero tail. */
    private growSym(n: number): void {
        this.sym = new Uint8Array(2 * (n + ZERO_TAIL));
        this.symDirty = 0;
    }

    /** Clears every symbol from `n` on (those an earlier payload left). */
    private clearAfter(n: number): void {
        if (this.symDirty > n) this.sym.fill(0, n, this.symDirty);
        this.symDirty = n;
    }

    /** Reports every pending multi-sentence message as FRAGMENT_INCOMPLETE and forgets it. */
    flush(): DecodeEvent[] {
        const out: DecodeEvent[] = [];
        for (const p of this.pending.values()) this.incomplete(p, out, undefined, 'stream flushed');
        this.pending.clear();
        this.st.fragmentsPending = 0;
        this.pendingTag = undefined;
        this.pendingHeaderTime = undefined;
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
        const rt = this.rt;
        const rts = this.rts;
        this.rt = p.receiverTime;
        this.rts = p.receiverTimeSource;
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
        this.rt = rt;
        this.rts = rts;
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
            receiverTime: this.rt,
            receiverTimeSource: this.rts,
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
            receiverTime: this.rt,
            receiverTimeSource: this.rts,
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
            return {
                kind: 'message',
                message: r,
                raw,
                talker,
                formatter,
                channel,
                tagBlock,
                receivedAt,
                receiverTime: this.rt,
                receiverTimeSource: this.rts,
            };
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
                receiverTime: this.rt,
                receiverTimeSource: this.rts,
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
            receiverTime: this.rt,
            receiverTimeSource: this.rts,
        };
    }

    /**
     * A `$`/`!` line whose address is not `ccVDM`/`ccVDO`. `$PGHP` (Gatehouse header: its date is the receiver
     * time of the next sentence) and any other well-formed sentence are skipped with a reason; true when
     * handled. False (the caller reports it) for a `!` line with a bad checksum (a damaged AIS sentence) or
     * an address that is not 2..10 letters and digits.
     */
    private otherSentence(
        line: string,
        start: number,
        addrEnd: number,
        star: number,
        end: number,
        sum: number,
    ): boolean {
        const n = addrEnd - start - 1;
        if (n < 2 || n > 10) return false;
        for (let i = start + 1; i < addrEnd; i++) {
            const c = line.charCodeAt(i);
            if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
        }
        const checksumOk =
            star > 0 &&
            star + 2 < end &&
            ((hexValue(line.charCodeAt(star + 1)) << 4) | hexValue(line.charCodeAt(star + 2))) === sum;
        if (!checksumOk && line.charCodeAt(start) === 33) return false;
        const st = this.st;
        st.skipped++;
        if (n === 4 && line.startsWith('PGHP', start + 1)) {
            st.skippedByReason.PGHP_HEADER++;
            this.pendingHeaderTime = checksumOk ? pghpTime(line, addrEnd, star) : undefined;
        } else if (line.charCodeAt(start + 1) === 80 /* P */) {
            st.skippedByReason.PROPRIETARY_SENTENCE++;
        } else {
            st.skippedByReason.NON_AIS_SENTENCE++;
        }
        return true;
    }
}

/**
 * The time of a `$PGHP,1,<year>,<month>,<day>,<hour>,<minute>,<second>,<millisecond>,...` header (Gatehouse
 * format, used by the Danish Maritime Authority's archives) in `line[from, to)` (from the comma after the
 * address to the `*`), epoch ms; undefined when the date is not valid.
 */
export function pghpTime(line: string, from: number, to: number): number | undefined {
    const f = line.slice(from + 1, to).split(',');
    if (f.length < 8) return undefined;
    const v: number[] = [];
    for (let i = 1; i <= 7; i++) {
        const s = f[i] as string;
        if (!/^\d{1,4}$/.test(s)) return undefined;
        v.push(Number(s));
    }
    const [y, mo, d, h, mi, sec, ms] = v as [number, number, number, number, number, number, number];
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || ms > 999)
        return undefined;
    const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    return new Date(t).getUTCDate() === d ? t : undefined;
}

/**
 * The receiver time in a suffix after the checksum (`line[from, to)`, starting with `,`): the last comma field
 * when it is a Unix time in seconds (9 or 10 digits, optional fraction), as USCG / NAIS archives write
 * (`...*5C,s28089,d-100,T38.91260690,x201,r003669945,1325394060`). Epoch ms, or undefined.
 */
export function suffixTime(line: string, from: number, to: number): number | undefined {
    if (line.charCodeAt(from) !== 44) return undefined;
    const comma = line.lastIndexOf(',', to - 1);
    if (comma < from) return undefined;
    let secs = 0;
    let digits = 0;
    let i = comma + 1;
    for (; i < to; i++) {
        const d = line.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        secs = secs * 10 + d;
        digits++;
    }
    if (digits < 9 || digits > 10) return undefined;
    let ms = secs * 1000;
    if (i < to) {
        if (line.charCodeAt(i) !== 46) return undefined;
        const frac = line.slice(i + 1, to);
        if (!/^\d{1,6}$/.test(frac)) return undefined;
        ms += Math.round(Number('0.' + frac) * 1000);
    }
    return ms;
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
