/**
 * Guess the input format of a body from its first meaningful line.
 *
 * Blank lines and `#` comment lines (as in gpsd test files) are skipped; then the first character decides:
 * `!` / `$` / `\` (NMEA 0183 sentence or NMEA 4 tag block) → nmea; `{` / `[`, or a line that is only the JSON
 * literal `null`, `true` or `false` → json; a line with at least
 * 16 commas or the MarineCadastre header (`MMSI,BaseDateTime,...`) → csv (`lineFormat`, the one rule, also used
 * by the replay of files). A line that is none of them is `unknown`: in an event body it is read as nmea, so the
 * AIS decoder reports the lines as malformed instead of them vanishing (`sniffFormat`, `sniffLine`); a replayed
 * file that starts with one is reported as unsupported.
 */
import { isCsvHeader } from './csv.js';

export type InputFormat = 'nmea' | 'json' | 'csv';

export function sniffFormat(body: string): InputFormat {
    const n = body.length;
    let start = 0;
    while (start < n) {
        let end = body.indexOf('\n', start);
        if (end < 0) end = n;
        const f = sniffLine(body.slice(start, end));
        if (f !== undefined) return f;
        start = end + 1;
    }
    return 'nmea';
}

/** The format one line shows (`unknown` read as nmea), or undefined for a blank or `#` comment line (look at the next one). */
export function sniffLine(line: string): InputFormat | undefined {
    const format = lineFormat(line);
    return format === 'unknown' ? 'nmea' : format;
}

/** The format one line shows, `unknown` when none, or undefined for a blank or `#` comment line. */
export function lineFormat(line: string): InputFormat | 'unknown' | undefined {
    let i = 0;
    const n = line.length;
    while (i < n) {
        const c = line.charCodeAt(i);
        if (c === 32 || c === 9 || c === 13 || c === 0xfeff) i++;
        else break;
    }
    if (i === n) return undefined;
    const c = line[i];
    if (c === '#') return undefined;
    if (c === '!' || c === '$' || c === '\\') return 'nmea';
    if (c === '{' || c === '[') return 'json';
    if (isJsonLiteral(line.slice(i).trimEnd())) return 'json';
    if (isCsvHeader(line.slice(i))) return 'csv';
    let commas = 0;
    for (let k = i; k < n; k++) if (line.charCodeAt(k) === 44) commas++;
    return commas >= 16 ? 'csv' : 'unknown';
}

/**
 * A JSON text that is a bare literal (RFC 8259 admits any value): `null` is what producers send for "no event"
 * (the ingest quarantines such a body as EMPTY_BODY); `true` / `false` are JSON too (JSON_SCHEMA: not an object).
 */
function isJsonLiteral(text: string): boolean {
    return text === 'null' || text === 'true' || text === 'false';
}

/**
 * Why these first bytes of an input are not text (AIS feeds are ASCII NMEA, JSON or CSV), or undefined when they
 * look like text: gzip or zip data, NUL bytes, or more than 1 in 10 bytes neither printable, whitespace nor valid
 * UTF-8. Look at the first chunk only (a few KiB suffice).
 */
export function binaryInput(bytes: Uint8Array): string | undefined {
    const n = Math.min(bytes.length, 64 * 1024);
    if (n >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)
        return 'it is gzip-compressed (decompress it first: gunzip -c FILE | maritime decode)';
    if (n >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
        return 'it is a zip archive (extract it first)';
    let odd = 0;
    for (let i = 0; i < n; i++) {
        const b = bytes[i] as number;
        if (b === 0) return `it contains NUL bytes (byte ${i})`;
        if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13) odd++;
        else if (b >= 0x80) {
            // A UTF-8 sequence: 110xxxxx 10xxxxxx, 1110xxxx + 2, 11110xxx + 3; anything else is not UTF-8.
            const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
            let ok = len > 0 && i + len <= n;
            for (let k = 1; ok && k < len; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
            if (ok) i += len - 1;
            else if (i + len <= n || len === 0) odd++;
        }
    }
    return odd * 10 > n ? `${odd} of its first ${n} bytes are neither text nor UTF-8` : undefined;
}
