/**
 * AIS payload armouring: each payload character carries 6 bits. The decoder de-armours a payload into a
 * `Uint8Array` of 6-bit symbols and reads fields from it with integer arithmetic.
 *
 * Reads past the end of the payload return zero bits (like gpsd, whose bit vector is zeroed): callers keep
 * `ZERO_TAIL` symbols zeroed after the last payload symbol.
 */

/** Character code → 6-bit value, or -1 for a character outside the armouring alphabet. */
export const ARMOUR = new Int8Array(128).fill(-1);
for (let c = 48; c <= 87; c++) ARMOUR[c] = c - 48;
for (let c = 96; c <= 119; c++) ARMOUR[c] = c - 56;

/** Symbols kept zeroed after a payload so that reads past its end (gpsd tolerates some) give zeros. */
export const ZERO_TAIL = 40;

/** The AIS 6-bit ASCII table (ITU-R M.1371 table 47), as single-character strings. */
const SIXBIT_CHARS: readonly string[] = Array.from(
    '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?',
);

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * De-armours `text[from, to)` into `out` starting at symbol `at`. Returns the index after the last symbol
 * written, or -1 when a character is outside the alphabet.
 */
export function dearmour(text: string, from: number, to: number, out: Uint8Array, at: number): number {
    let j = at;
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        const v = c < 128 ? (ARMOUR[c] as number) : -1;
        if (v < 0) return -1;
        out[j++] = v;
    }
    return j;
}

/** Unsigned field of `len` bits (≤ 48) starting at bit `start`. */
export function ubits(s: Uint8Array, start: number, len: number): number {
    let idx = (start / 6) | 0;
    const avail = 6 - (start - idx * 6);
    const first = (s[idx] as number) & ((1 << avail) - 1);
    if (len <= avail) return first >>> (avail - len);
    let val = first;
    let rem = len - avail;
    idx++;
    while (rem >= 6) {
        val = val * 64 + (s[idx++] as number);
        rem -= 6;
    }
    if (rem > 0) val = val * (1 << rem) + ((s[idx] as number) >>> (6 - rem));
    return val;
}

/** Two's complement signed field of `len` bits (≤ 31). */
export function sbits(s: Uint8Array, start: number, len: number): number {
    const v = ubits(s, start, len);
    return (v << (32 - len)) >> (32 - len);
}

/** Unsigned field as a boolean. */
export function bit(s: Uint8Array, start: number): boolean {
    const idx = (start / 6) | 0;
    return (((s[idx] as number) >>> (5 - (start - idx * 6))) & 1) === 1;
}

/**
 * `count` 6-bit characters from bit `start`, as gpsd's `from_sixbit`: stop at the first `@` (value 0),
 * then trim trailing spaces and `@`.
 */
export function sixbitText(s: Uint8Array, start: number, count: number): string {
    let out = '';
    let end = 0;
    for (let i = 0; i < count; i++) {
        const v = ubits(s, start + 6 * i, 6);
        if (v === 0) break;
        out += SIXBIT_CHARS[v] as string;
        if (v !== 32) end = out.length;
    }
    return end === out.length ? out : out.slice(0, end);
}

/** As `sixbitText` without the trim (gpsd's `from_sixbit_untrimmed`): used for the type 21 name. */
export function sixbitTextUntrimmed(s: Uint8Array, start: number, count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) {
        const v = ubits(s, start + 6 * i, 6);
        if (v === 0) break;
        out += SIXBIT_CHARS[v] as string;
    }
    return out;
}

/** Trims trailing spaces and `@`, as gpsd does. */
export function trimRight(t: string): string {
    let end = t.length;
    while (end > 0) {
        const c = t.charCodeAt(end - 1);
        if (c !== 32 && c !== 64) break;
        end--;
    }
    return end === t.length ? t : t.slice(0, end);
}

/**
 * gpsd's binary `data` field: `"<bitcount>:<hex>"`, the hex being ceil(bitcount/8) bytes read from bit
 * `start`. Bits at or after `zeroFrom` read as zero (gpsd copies whole bytes, then shifts or masks them;
 * `zeroFrom` reproduces what ends up in the last, partial byte).
 */
export function hexData(s: Uint8Array, start: number, bitcount: number, zeroFrom: number): string {
    let out = bitcount + ':';
    const bytes = (bitcount + 7) >>> 3;
    for (let k = 0; k < bytes; k++) {
        const at = start + 8 * k;
        let b: number;
        if (at + 8 <= zeroFrom) b = ubits(s, at, 8);
        else if (at >= zeroFrom) b = 0;
        else {
            const keep = zeroFrom - at;
            b = ubits(s, at, keep) << (8 - keep);
        }
        out += HEX[b] as string;
    }
    return out;
}
