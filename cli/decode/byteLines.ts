/**
 * Output lines encoded straight into one growing byte buffer (no rope of strings for the GC to trace and for
 * the write to flatten, one buffer to hand to stdout or to transfer from a worker). The buffer owns its
 * ArrayBuffer (never pooled).
 *
 * Two ways to write a gpsd JSON line: `gpsdLine` serialises a decoded message object; the direct writer
 * (gpsdDirect.ts) writes the same bytes field by field from the payload bits, with the primitives below
 * (`room` first, then `lit`/`uint`/`num`/`bool`/`sixbit`, then `endLine`), and builds no object at all.
 */
import { ubits } from '../../shared/domain/ais/sixbit.js';
import type { TagBlock } from '../../shared/domain/ais/types.js';
import { writeDegrees600k } from './coordinateText.js';

/**
 * Constant ASCII texts by index: a key with its value for a field of few values (`,"status":5`), written with one
 * `ByteLines.entry` instead of a key and a number, and no object per entry. Each entry starts on a 4-byte
 * boundary of one array of little-endian 32-bit words and is copied a word at a time (about 3 times faster than
 * byte by byte; the up to 3 bytes written past its end are overwritten by what follows).
 */
export class ByteTable {
    readonly words: Uint32Array;
    /** Entry i is `words[start[i], start[i + 1])`, its first `len[i]` bytes. */
    readonly start: Uint32Array;
    readonly len: Uint16Array;

    constructor(texts: readonly string[]) {
        this.start = new Uint32Array(texts.length + 1);
        this.len = new Uint16Array(texts.length);
        let w = 0;
        for (let i = 0; i < texts.length; i++) {
            const t = texts[i] as string;
            this.len[i] = t.length;
            w += (t.length + 3) >>> 2;
            this.start[i + 1] = w;
        }
        this.words = new Uint32Array(w);
        for (let i = 0; i < texts.length; i++) {
            const t = texts[i] as string;
            for (let c = 0; c < t.length; c++) {
                const code = t.charCodeAt(c);
                if (code > 127) throw new Error(`ByteTable: not ASCII: ${t}`);
                this.words[(this.start[i] as number) + (c >>> 2)]! |= code << (8 * (c & 3));
            }
        }
    }
}

/** Bytes past a ByteLines buffer's capacity, for the word copies of `entry` to run over. */
const SLACK = 8;

export class ByteLines {
    private buf: Buffer;
    /** The same bytes, for word writes. */
    private dv: DataView;
    /** Bytes the lines may fill: `buf` holds SLACK more. */
    private capacity: number;
    private at = 0;

    /**
     * `into`: lines go into that buffer (e.g. a slot of a SharedArrayBuffer that threads share), its last SLACK
     * bytes unused, until it is full: then into a buffer of this writer's own (see `grown`).
     */
    constructor(capacity = 1 << 20, into?: Buffer) {
        if (into !== undefined && into.length >= 1024 + SLACK) {
            this.capacity = into.length - SLACK;
            this.buf = into;
        } else {
            this.capacity = Math.max(1024, capacity);
            this.buf = Buffer.allocUnsafeSlow(this.capacity + SLACK);
        }
        this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    }

    /** The buffer the lines are in (`view` is its start). */
    get buffer(): Buffer {
        return this.buf;
    }

    add(s: string): void {
        // UTF-8 needs at most 3 bytes per UTF-16 unit.
        this.room(3 * s.length + 1);
        this.at += this.buf.write(s, this.at);
        this.buf[this.at++] = 10;
    }

    get length(): number {
        return this.at;
    }

    /** The bytes added so far (a view of the buffer, valid until the next `clear`). */
    view(): Buffer {
        return this.buf.subarray(0, this.at);
    }

    /** Starts empty again in the same buffer (after the bytes of `view` are written). */
    clear(): void {
        this.at = 0;
    }

    /** The bytes added so far (a view of the buffer); the writer starts empty again in a new buffer. */
    take(nextCapacity = this.capacity): Buffer {
        const b = this.buf.subarray(0, this.at);
        this.capacity = Math.max(1024, nextCapacity);
        this.buf = Buffer.allocUnsafeSlow(this.capacity + SLACK);
        this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
        this.at = 0;
        return b;
    }

    /**
     * One line of `gpsdJson(message, tagBlock, receiverTime, receiverTimeSource)`, the same bytes, written
     * without building the string.
     */
    gpsdLine(
        message: Record<string, unknown>,
        tagBlock: TagBlock | undefined,
        receiverTime?: number,
        receiverTimeSource?: string,
    ): void {
        if (tagBlock !== undefined) {
            // Rare (NMEA 4 feeds): the string path.
            this.add(gpsdJson(message, tagBlock, receiverTime, receiverTimeSource));
            return;
        }
        this.room(512);
        this.lit(CLASS_AIS);
        for (const k in message) {
            const v = message[k];
            if (v === undefined) continue;
            let key = KEY_BYTES.get(k);
            if (key === undefined) {
                key = Buffer.from(',' + JSON.stringify(k) + ':');
                KEY_BYTES.set(k, key);
            }
            this.room(key.length + 32);
            this.lit(key);
            switch (typeof v) {
                case 'number':
                    if (Number.isInteger(v) && v >= 0 && v < 4294967296) this.uint(v);
                    else this.num(v);
                    break;
                case 'boolean':
                    this.bool(v);
                    break;
                case 'string':
                    this.string(v);
                    break;
                default:
                    this.text(JSON.stringify(v));
            }
        }
        this.endLine(receiverTime, receiverTimeSource);
    }

    // ---------------------------------------------------------------------------------- primitives
    // Callers reserve room first (`room`); a line of the direct writer needs less than LINE_ROOM bytes.

    room(n: number): void {
        if (this.at + n > this.capacity) this.grow(n);
    }

    /** Bytes as they are (a key such as `,"speed":`, or `{"class":"AIS"`). */
    lit(b: Uint8Array): void {
        const buf = this.buf;
        let at = this.at;
        for (let i = 0; i < b.length; i++) buf[at++] = b[i] as number;
        this.at = at;
    }

    /** A string known to be ASCII without characters JSON escapes. */
    ascii(s: string): void {
        const buf = this.buf;
        let at = this.at;
        for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
        this.at = at;
    }

    /**
     * An integer 0 <= v < 2^32, as `'' + v`, without a string in between: two digits at a time from a table,
     * with integer division (`>>> 0`: V8 makes it a multiply by the reciprocal), not float `Math.floor`.
     */
    uint(v: number): void {
        const buf = this.buf;
        let at = this.at;
        if (v < 10) {
            buf[at] = 48 + v;
            this.at = at + 1;
            return;
        }
        const n =
            v < 10000
                ? v < 100
                    ? 2
                    : v < 1000
                      ? 3
                      : 4
                : v < 100000000
                  ? v < 1000000
                      ? v < 100000
                          ? 5
                          : 6
                      : v < 10000000
                        ? 7
                        : 8
                  : v < 1000000000
                    ? 9
                    : 10;
        at += n;
        this.at = at;
        while (v >= 100) {
            const q = (v / 100) >>> 0;
            const r = 2 * (v - 100 * q);
            buf[--at] = DIGIT_PAIRS[r + 1] as number;
            buf[--at] = DIGIT_PAIRS[r] as number;
            v = q;
        }
        if (v >= 10) {
            buf[--at] = DIGIT_PAIRS[2 * v + 1] as number;
            buf[--at] = DIGIT_PAIRS[2 * v] as number;
        } else buf[--at] = 48 + v;
    }

    /** Entry `i` of `t` (bytes as they are, possibly none; room for them and 3 more reserved). */
    entry(t: ByteTable, i: number): void {
        const words = t.words;
        const dv = this.dv;
        let at = this.at;
        this.at = at + (t.len[i] as number);
        const end = t.start[i + 1] as number;
        for (let w = t.start[i] as number; w < end; w++) {
            dv.setUint32(at, words[w] as number, true);
            at += 4;
        }
    }

    /** Any number as JSON.stringify writes it (`null` for NaN and infinities). */
    num(v: number): void {
        this.ascii(Number.isFinite(v) ? '' + v : 'null');
    }

    /** `'' + raw / 600000` for an integer `raw` (an AIS coordinate in 1/10,000 minute), see coordinateText.ts. */
    degrees600k(raw: number): void {
        this.at = writeDegrees600k(this.buf, this.at, raw);
    }

    bool(b: boolean): void {
        this.lit(b ? TRUE : FALSE);
    }

    /**
     * A JSON string of `count` 6-bit characters from bit `start`, as `JSON.stringify(sixbitText(...))`: stops
     * at the first `@` (0), trailing spaces trimmed. Needs at most 2 * count + 2 bytes of room.
     */
    sixbit(s: Uint8Array, start: number, count: number): void {
        const buf = this.buf;
        let at = this.at;
        buf[at++] = 34;
        let end = at;
        // Character i is the 6 bits from `start + 6 i`: the low bits of symbol idx + i and the high bits of the next.
        const idx = (start / 6) | 0;
        const shift = start - 6 * idx;
        for (let i = 0; i < count; i++) {
            const v = (((s[idx + i] as number) << shift) | ((s[idx + i + 1] as number) >>> (6 - shift))) & 63;
            if (v === 0) break;
            const c = v < 32 ? v + 64 : v;
            if (c === 34 || c === 92) buf[at++] = 92;
            buf[at++] = c;
            if (v !== 32) end = at;
        }
        buf[end] = 34;
        this.at = end + 1;
    }

    /**
     * A JSON string of gpsd's binary `data`, as `JSON.stringify(hexData(s, start, bitcount, zeroFrom))`:
     * `"<bitcount>:<hex>"`, ceil(bitcount / 8) bytes from bit `start`, bits from `zeroFrom` on read as 0.
     */
    hex(s: Uint8Array, start: number, bitcount: number, zeroFrom: number): void {
        const bytes = (bitcount + 7) >>> 3;
        this.room(2 * bytes + 16);
        this.buf[this.at++] = 34;
        this.uint(bitcount);
        const buf = this.buf;
        let at = this.at;
        buf[at++] = 58;
        for (let k = 0; k < bytes; k++) {
            const from = start + 8 * k;
            let b: number;
            if (from + 8 <= zeroFrom) b = ubits(s, from, 8);
            else if (from >= zeroFrom) b = 0;
            else {
                const keep = zeroFrom - from;
                b = ubits(s, from, keep) << (8 - keep);
            }
            buf[at++] = HEX_DIGITS[b >>> 4] as number;
            buf[at++] = HEX_DIGITS[b & 15] as number;
        }
        buf[at++] = 34;
        this.at = at;
    }

    /** A JSON string: ASCII without escapes byte by byte, anything else through JSON.stringify. */
    string(v: string): void {
        if (v.length > 200) {
            this.text(jsonString(v));
            return;
        }
        this.room(v.length + 2);
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

    /** The receiver time fields (when there is a receiver time), `}` and the newline. */
    endLine(receiverTime: number | undefined, receiverTimeSource: string | undefined): void {
        if (receiverTime !== undefined && Number.isFinite(receiverTime)) {
            this.room(RECEIVER_TIME.length + 64);
            this.lit(RECEIVER_TIME);
            this.isoTime(receiverTime);
            this.lit(RECEIVER_TIME_SOURCE);
            const known = receiverTimeSource === undefined ? undefined : SOURCE_BYTES.get(receiverTimeSource);
            if (known !== undefined) this.lit(known);
            else this.text(jsonString(receiverTimeSource ?? ''));
        }
        this.room(2);
        this.buf[this.at++] = 125;
        this.buf[this.at++] = 10;
    }

    /**
     * `JSON.stringify(new Date(ms).toISOString())` (room reserved by the caller): digits written from the epoch
     * milliseconds for whole milliseconds in 1970..9999 (civil-from-days, H. Hinnant), else through Date.
     */
    isoTime(ms: number): void {
        if (!Number.isInteger(ms) || ms < 0 || ms >= MAX_ISO_MS) {
            this.ascii('"' + new Date(ms).toISOString() + '"');
            return;
        }
        const days = Math.floor(ms / 86400000);
        let rest = ms - days * 86400000;
        const z = days + 719468;
        const era = Math.floor(z / 146097);
        const doe = z - era * 146097;
        const yoe = Math.floor(
            (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
        );
        const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
        const mp = Math.floor((5 * doy + 2) / 153);
        const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
        const month = mp < 10 ? mp + 3 : mp - 9;
        const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        const hour = Math.floor(rest / 3600000);
        rest -= hour * 3600000;
        const minute = Math.floor(rest / 60000);
        rest -= minute * 60000;
        const second = Math.floor(rest / 1000);
        const milli = rest - second * 1000;
        const buf = this.buf;
        let at = this.at;
        buf[at++] = 34;
        at = digits(buf, at, year, 4);
        buf[at++] = 45;
        at = digits(buf, at, month, 2);
        buf[at++] = 45;
        at = digits(buf, at, day, 2);
        buf[at++] = 84;
        at = digits(buf, at, hour, 2);
        buf[at++] = 58;
        at = digits(buf, at, minute, 2);
        buf[at++] = 58;
        at = digits(buf, at, second, 2);
        buf[at++] = 46;
        at = digits(buf, at, milli, 3);
        buf[at++] = 90;
        buf[at++] = 34;
        this.at = at;
    }

    /** Where the next byte goes (a direct writer that gives up rewinds to it with `rewind`). */
    get mark(): number {
        return this.at;
    }

    rewind(mark: number): void {
        this.at = mark;
    }

    /** Any string, as UTF-8. */
    private text(s: string): void {
        this.room(3 * s.length);
        this.at += this.buf.write(s, this.at);
    }

    private grow(need: number): void {
        this.capacity = Math.max(2 * this.capacity, this.at + need);
        const next = Buffer.allocUnsafeSlow(this.capacity + SLACK);
        this.buf.copy(next, 0, 0, this.at);
        this.buf = next;
        this.dv = new DataView(next.buffer, next.byteOffset, next.length);
    }
}

/** `n` written with exactly `width` digits (zero-padded) at `at`; the offset after them. */
function digits(buf: Buffer, at: number, n: number, width: number): number {
    for (let i = at + width - 1; i >= at; i--) {
        const q = Math.floor(n / 10);
        buf[i] = 48 + (n - 10 * q);
        n = q;
    }
    return at + width;
}

/** 10000-01-01T00:00:00.000Z: from there on toISOString writes a signed six-digit year. */
const MAX_ISO_MS = 253402300800000;
const RECEIVER_TIME = Buffer.from(',"receiver_time":');
const RECEIVER_TIME_SOURCE = Buffer.from(',"receiver_time_source":');
/** The receiver time sources (ReceiverTimeSource) as JSON strings. */
const SOURCE_BYTES = new Map(['tagblock', 'pghp', 'suffix'].map((s) => [s, Buffer.from(JSON.stringify(s))]));

/** Room a direct-writer line needs at most (longest: type 5 with every string escaped, receiver time aside). */
export const LINE_ROOM = 1024;

const CLASS_AIS = Buffer.from('{"class":"AIS"');
const TRUE = Buffer.from('true');
const HEX_DIGITS = Buffer.from('0123456789abcdef');
/** The two ASCII digits of 0..99. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));
const FALSE = Buffer.from('false');
/** `,"key":` per field name, as bytes, built once. */
const KEY_BYTES = new Map<string, Buffer>();

/** `,"key":` per field name, built once. */
const KEY_PREFIX = new Map<string, string>();

export function jsonString(v: string): string {
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
 * Written by hand rather than with JSON.stringify: this runs once per message (measured: about 40 % less CPU
 * per message; the output is the same JSON text).
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
            if (k === 'timestamp' && typeof v === 'number')
                out += ',"tagblock_timestamp":"' + new Date(v).toISOString() + '"';
            else out += ',' + JSON.stringify('tagblock_' + k) + ':' + JSON.stringify(v);
        }
    }
    if (receiverTime !== undefined && Number.isFinite(receiverTime)) {
        out +=
            ',"receiver_time":"' +
            new Date(receiverTime).toISOString() +
            '","receiver_time_source":' +
            jsonString(receiverTimeSource ?? '');
    }
    return out + '}';
}
