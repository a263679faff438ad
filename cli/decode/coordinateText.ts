/**
 * `'' + raw / 600000` (an AIS latitude or longitude in 1/10,000 minute, as degrees) written as ASCII bytes
 * without making a string: V8's shortest round-trip digits, computed from the integer `raw` instead.
 *
 * Why: `maritime decode` prints two coordinates per position report; on a real feed every one is new, and V8's
 * number-to-string (allocate a heap string, Grisu, copy it out) was the largest single cost of the command
 * (about 17 % of its CPU on the realistic bench input).
 *
 * How (a = |raw|, d = a / 600000 as a double, r = a / 600000 exactly):
 * - a = 600000 I + rem; rem / 600000 = (10 rem / 6) / 10^6 = (F + p / 6) / 10^6 with F = floor(10 rem / 6),
 *   p in {0, 2, 4}. So r is `I.FFFFFF` exactly (p = 0; V8 prints it without trailing zeros: any shorter
 *   decimal is at least 10^-6 away, far more than d's rounding interval) or `I.FFFFFF` followed by 3s (p = 2)
 *   or 6s (p = 4) forever.
 * - Repeating: no decimal of 15 or fewer significant digits is within an ulp of r (it is at least a third of
 *   its last unit away, more than an ulp of d), so V8 prints 16 or 17 digits: the shortest that round-trip,
 *   the one closest to d among them. Where d lies among the decimals of n digits follows from r's digits and
 *   the exact error res = a - 600000 d (Dekker's product, exact): x = R / 9 - res 10^(z+1) / 6 units of the
 *   last digit above the n-digit truncation of r (z = the repeated digits kept, R the repeated digit). The
 *   nearest n-digit decimal is j = round(x) units above; it round-trips when |x - j| units are less than half
 *   an ulp of d. 17 digits always round-trip.
 * - Near a tie (|x - j| within 10^-6 of a half unit or of half an ulp), for d a power of two (its rounding
 *   interval is lopsided) and for |raw| > MAX_RAW, the text is V8's own. (None of the 2^28 values takes the
 *   tie branches: they are guards.)
 *
 * Checked against `'' + raw / 600000` for every raw value of the 28-bit field (`npm run bench:coordinates`:
 * 268,435,456 values, 0 differences, 20 minutes at load 25) and in test/unit/cli/coordinateText.test.ts on
 * random values and the edges.
 */

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** 2^27 + 1: Dekker's split of a double into two halves of 26 bits. */
const SPLIT = 134217729;
/** Largest |raw| this writer handles (the 28-bit signed field): anything else goes through V8. */
export const MAX_RAW = 134217728;
/** The two ASCII digits of 0..99 (2 n, 2 n + 1). */
const PAIRS = Uint8Array.from(
    { length: 200 },
    (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)),
);
/** 2^e for -128 <= e < 128 at e + 128 (`2 ** e` is a call to pow). */
const POW2 = Float64Array.from({ length: 256 }, (_, i) => 2 ** (i - 128));

/** floor(log2(d)) for 0 < d < 1. */
function binade(d: number): number {
    let e = Math.floor(Math.log2(d));
    if (2 ** e > d) e--;
    else if (2 ** (e + 1) <= d) e++;
    return e;
}

/** ASCII of `s` at `at` (V8's fallback text). */
function text(buf: Uint8Array, at: number, s: string): number {
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    return at;
}

/**
 * Writes `'' + raw / 600000` at `buf[at]` and returns the offset after it (at most 25 bytes). `raw` must be an
 * integer; |raw| > MAX_RAW is written through V8 too. (The digits are written in line, not by helper functions:
 * `maritime decode` runs TurboFan without inlining, and this runs twice per position report.)
 */
export function writeDegrees600k(buf: Uint8Array, at: number, raw: number): number {
    if (raw === 0) {
        buf[at] = 48;
        return at + 1;
    }
    let a = raw;
    if (raw < 0) {
        buf[at++] = 45;
        a = -raw;
    }
    if (a > MAX_RAW) return text(buf, at, '' + a / 600000);
    const I = (a / 600000) >>> 0;
    const rem = a - I * 600000;
    const F = ((rem * 10) / 6) >>> 0;
    const p = rem * 10 - 6 * F;
    let R = 0;
    let z = 0;
    let j = 0;
    if (p !== 0) {
        R = p === 2 ? 3 : 6;
        const d = a / 600000;
        // res = a - 600000 d exactly: d = hi + lo with 26-bit halves, each product with 600000 (20 bits) exact.
        const t = d * SPLIT;
        const hi = t - (t - d);
        const lo = d - hi;
        const res = a - hi * 600000 - lo * 600000;
        // r's significant digits before the repetition: I's and six decimals, or F's alone when I = 0.
        const sig =
            I > 0
                ? I < 10
                    ? 7
                    : I < 100
                      ? 8
                      : 9
                : F < 10
                  ? 1
                  : F < 100
                    ? 2
                    : F < 1000
                      ? 3
                      : F < 10000
                        ? 4
                        : F < 100000
                          ? 5
                          : 6;
        // d's rounding interval is d +- h (half an ulp; a power of two, whose interval is lopsided, goes to V8).
        const e2 = I > 0 ? 31 - Math.clz32(I) : binade(d);
        if (d === POW2[e2 + 128]) return text(buf, at, '' + d);
        const half = POW2[e2 + 128 - 53]!;
        // 16 significant digits: z repeated digits after r's first ones, 6 + z decimals in all. d lies x units
        // of the last digit above the truncation of r; the nearest decimal is j units above it, |x - j| units
        // from d.
        z = 16 - sig;
        let x = R / 9 - (res * POW10[z + 1]!) / 6;
        j = Math.round(x);
        const off = Math.abs(x - j);
        const h = half * POW10[6 + z]!;
        if (off > 0.499999 || Math.abs(off - h) < 1e-6) return text(buf, at, '' + d);
        if (off > h) {
            // No 16-digit decimal round-trips: 17 digits, the nearest of which always does.
            z++;
            x = R / 9 - (res * POW10[z + 1]!) / 6;
            j = Math.round(x);
            if (Math.abs(x - j) > 0.499999) return text(buf, at, '' + d);
        }
        if (11 * R + j < 0 || 11 * R + j > 99) return text(buf, at, '' + d);
    }
    // I (1 to 3 digits, or 0)
    if (I >= 100) {
        const h = (I / 100) >>> 0;
        const l = 2 * (I - 100 * h);
        buf[at] = 48 + h;
        buf[at + 1] = PAIRS[l]!;
        buf[at + 2] = PAIRS[l + 1]!;
        at += 3;
    } else if (I >= 10) {
        buf[at] = PAIRS[2 * I]!;
        buf[at + 1] = PAIRS[2 * I + 1]!;
        at += 2;
    } else buf[at++] = 48 + I;
    if (p === 0 && F === 0) return at;
    // The point and F's six digits.
    buf[at] = 46;
    const f1 = (F / 10000) >>> 0;
    const f23 = F - f1 * 10000;
    const f2 = (f23 / 100) >>> 0;
    const f3 = 2 * (f23 - f2 * 100);
    buf[at + 1] = PAIRS[2 * f1]!;
    buf[at + 2] = PAIRS[2 * f1 + 1]!;
    buf[at + 3] = PAIRS[2 * f2]!;
    buf[at + 4] = PAIRS[2 * f2 + 1]!;
    buf[at + 5] = PAIRS[f3]!;
    buf[at + 6] = PAIRS[f3 + 1]!;
    at += 7;
    if (p === 0) {
        // Exact with at most six decimals, written without trailing zeros.
        while (buf[at - 1] === 48) at--;
        return at;
    }
    // Repeating: z - 2 times R, then the last two digits 11 R + j (|j| is small: no carry out of them).
    const digit = 48 + R;
    for (let i = 2; i < z; i++) buf[at++] = digit;
    const last2 = 2 * (11 * R + j);
    buf[at] = PAIRS[last2]!;
    buf[at + 1] = PAIRS[last2 + 1]!;
    return at + 2;
}
