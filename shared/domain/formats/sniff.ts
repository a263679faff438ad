/**
 * Guess the input format of a body from its first meaningful line.
 *
 * Blank lines and `#` comment lines (as in gpsd test files) are skipped; then the first character decides:
 * `!` / `$` / `\` (NMEA 0183 sentence or NMEA 4 tag block) → nmea; `{` / `[` → json; a line with at least
 * 16 commas or the MarineCadastre header (`MMSI,BaseDateTime,...`) → csv. Anything else → nmea, so the
 * AIS decoder reports the lines as malformed instead of them vanishing.
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

/** The format one line shows, or undefined for a blank or `#` comment line (look at the next one). */
export function sniffLine(line: string): InputFormat | undefined {
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
    if (isCsvHeader(line.slice(i))) return 'csv';
    let commas = 0;
    for (let k = i; k < n; k++) if (line.charCodeAt(k) === 44) commas++;
    return commas >= 16 ? 'csv' : 'nmea';
}
