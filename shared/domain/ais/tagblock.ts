/**
 * NMEA 4 tag blocks: `\c:1418169601,s:rORBCOMM008,g:1-2-1604*37\` before a sentence (or alone on a line).
 *
 * - The `*hh` checksum (XOR of the characters between `\` and `*`) is required and checked.
 * - `c:` becomes `timestamp` in epoch ms: up to 11 digits are seconds, 12 or more milliseconds (feeds send
 *   10-digit seconds or 13-digit milliseconds).
 * - `s:` becomes `station`; `g:` (`sentence-groupsize-id`) becomes `group`; every other key (`d`, `n`, `r`,
 *   `t`, `T`, `q`, ...) is kept as its string value under its own key.
 */
import type { TagBlock } from './types.js';

function hexValue(c: number): number {
    if (c >= 48 && c <= 57) return c - 48;
    if (c >= 65 && c <= 70) return c - 55;
    if (c >= 97 && c <= 102) return c - 87;
    return -1;
}

/** Parses the tag block in `line[from, to)` (without the enclosing backslashes); null when invalid. */
export function parseTagBlock(line: string, from: number, to: number): TagBlock | null {
    let sum = 0;
    let star = -1;
    for (let i = from; i < to; i++) {
        const c = line.charCodeAt(i);
        if (c === 42) {
            star = i;
            break;
        }
        sum ^= c;
    }
    if (star < 0 || star + 3 !== to) return null;
    const h = hexValue(line.charCodeAt(star + 1));
    const l = hexValue(line.charCodeAt(star + 2));
    if (h < 0 || l < 0 || ((h << 4) | l) !== sum) return null;
    const tb: TagBlock = {};
    let i = from;
    while (i < star) {
        let comma = line.indexOf(',', i);
        if (comma < 0 || comma > star) comma = star;
        const colon = line.indexOf(':', i);
        if (colon < 0 || colon >= comma || colon === i) return null;
        const key = line.slice(i, colon);
        const value = line.slice(colon + 1, comma);
        if (key === 'c') {
            if (!/^\d{1,16}$/.test(value)) return null;
            const n = Number(value);
            tb.timestamp = value.length <= 11 ? n * 1000 : n;
        } else if (key === 's') {
            tb.station = value;
        } else if (key === 'g') {
            const m = /^(\d{1,4})-(\d{1,4})-(\d{1,9})$/.exec(value);
            if (m === null) return null;
            tb.group = { sentence: Number(m[1]), groupsize: Number(m[2]), id: Number(m[3]) };
        } else {
            tb[key] = value;
        }
        i = comma + 1;
    }
    return tb;
}
