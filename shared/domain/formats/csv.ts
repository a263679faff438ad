/**
 * MarineCadastre (NOAA / BOEM "AIS Data Handler") CSV rows → normalised records.
 *
 * 17 columns: MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,
 * Width,Draft,Cargo,TransceiverClass. The header row is optional and skipped. BaseDateTime is UTC
 * (`2023-01-01T00:00:01`, a space instead of `T` and a trailing `Z` are accepted). Empty fields are absent.
 * "Not available" values are absent too: LAT 91, LON 181 (other values outside -90..90 / -180..180 are kept:
 * validation quarantines them as INVALID_COORDINATES), SOG 102.3 (and anything outside 0..102.2),
 * COG 360 (anything outside 0..<360), Heading 511 (anything outside 0..359), Status outside 0..15,
 * VesselType 0 or > 99, IMO 0, Length/Width/Draft <= 0. `IMO9134270` and `9134270` both give 9134270.
 * Cargo has no record field and is not read.
 *
 * One row gives a `position` record and, when it has any static field (name, IMO, call sign, type,
 * length, width, draft), a `static` record too; both come in one outcome with the row's line number.
 * A row is rejected as CSV_MALFORMED when it has the wrong column count, an unterminated quote, no MMSI or
 * time, or a non-numeric value in a numeric column.
 */
import type { PositionReport, StaticReport, VesselRecord } from '../records.js';
import { matchMillis } from './values.js';

export const CSV_COLUMNS = [
    'MMSI',
    'BaseDateTime',
    'LAT',
    'LON',
    'SOG',
    'COG',
    'Heading',
    'VesselName',
    'IMO',
    'CallSign',
    'VesselType',
    'Status',
    'Length',
    'Width',
    'Draft',
    'Cargo',
    'TransceiverClass',
] as const;

export type CsvOutcome =
    /** `records[0]` is the position; `records[1]`, when present, the static record of the same row. */
    | { ok: true; records: VesselRecord[]; raw: string; line?: number }
    | { ok: false; reason: 'CSV_MALFORMED'; detail: string; raw: string; line?: number };

/**
 * Split one CSV line into fields (RFC 4180 quoting: `"a, b"`, `""` for a quote inside quotes).
 * Deliberately not `splitCsvFields` (csvFields.ts, the lenient splitter of the hand-written particulars and
 * maintenance files): this one is tuned for speed (indexOf/slice, no per-character loop) and opens a quote only
 * at the start of a field (` "a,b"` is two fields here), which the import's row checks rely on.
 * Hand-written rather than a CSV library: this is the per-row hot path of bulk imports, the format is
 * trivial (no multi-line fields in MarineCadastre exports), and lines without quotes take a plain
 * `split(',')`. Returns undefined for an unterminated quote.
 */
export function splitCsvLine(line: string): string[] | undefined {
    if (line.indexOf('"') < 0) return line.split(',');
    const out: string[] = [];
    const n = line.length;
    let i = 0;
    for (;;) {
        if (i < n && line.charCodeAt(i) === 34 /* " */) {
            let s = '';
            let j = i + 1;
            for (;;) {
                const q = line.indexOf('"', j);
                if (q < 0) return undefined;
                s += line.slice(j, q);
                if (line.charCodeAt(q + 1) === 34) {
                    s += '"';
                    j = q + 2;
                } else {
                    j = q + 1;
                    break;
                }
            }
            // Anything between the closing quote and the next comma is kept (lenient, like most readers).
            const c = line.indexOf(',', j);
            const end = c < 0 ? n : c;
            out.push(s + line.slice(j, end));
            if (c < 0) return out;
            i = c + 1;
        } else {
            const c = line.indexOf(',', i);
            if (c < 0) {
                out.push(line.slice(i));
                return out;
            }
            out.push(line.slice(i, c));
            i = c + 1;
        }
    }
}

/** True when the line is the MarineCadastre header (first field `MMSI`, any case, optional BOM/quotes). */
export function isCsvHeader(line: string): boolean {
    return /^\uFEFF?"?mmsi"?\s*,/i.test(line);
}

/**
 * Whether a CSV file is in the MarineCadastre schema, from its first non-blank line (the header, or a data row
 * when there is none): undefined when it is, else one sentence saying what was expected and what was found
 * (for a file-level message instead of one CSV_MALFORMED per row).
 */
export function csvSchemaProblem(firstLine: string): string | undefined {
    let line = firstLine.trim();
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const f = splitCsvLine(line);
    const expected = `the MarineCadastre AIS schema (${CSV_COLUMNS.length} columns: ${CSV_COLUMNS.join(',')})`;
    if (f === undefined) return `expected ${expected}; found a first line with an unterminated quote`;
    const names = f.map((x) => x.trim().replace(/^"|"$/g, ''));
    const header = !/^\d+$/.test(names[0] ?? '');
    if (header) {
        const same =
            names.length === CSV_COLUMNS.length &&
            names.every((n, i) => n.toLowerCase() === CSV_COLUMNS[i]!.toLowerCase());
        if (same) return undefined;
        const shown = names.slice(0, 6).join(',') + (names.length > 6 ? ',...' : '');
        return `expected ${expected}; found a header of ${names.length} columns: ${shown}`;
    }
    if (names.length === CSV_COLUMNS.length) return undefined;
    return `expected ${expected}; found data rows of ${names.length} columns and no header`;
}

/** Parse a whole body: header and blank lines skipped, one outcome per data row. */
export function parseCsvRows(body: string): CsvOutcome[] {
    const out: CsvOutcome[] = [];
    let start = 0;
    let lineNo = 0;
    const n = body.length;
    while (start < n) {
        let end = body.indexOf('\n', start);
        if (end < 0) end = n;
        lineNo++;
        const o = parseCsvRow(body.slice(start, end), lineNo);
        if (o !== undefined) out.push(o);
        start = end + 1;
    }
    return out;
}

class RowError extends Error {}

/** One line → one outcome; the header row and blank lines → undefined. */
export function parseCsvRow(line: string, lineNo?: number): CsvOutcome | undefined {
    let raw = line;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim().length === 0 || isCsvHeader(raw)) return undefined;
    const f = splitCsvLine(raw);
    if (f === undefined) return reject(raw, 'unterminated quoted field', lineNo);
    if (f.length !== 17) {
        return reject(raw, `expected 17 columns (${CSV_COLUMNS.join(',')}), got ${f.length}`, lineNo);
    }
    try {
        return { ok: true, records: rowRecords(f), raw, ...(lineNo !== undefined ? { line: lineNo } : {}) };
    } catch (e) {
        if (e instanceof RowError) return reject(raw, e.message, lineNo);
        throw e;
    }
}

function reject(raw: string, detail: string, line: number | undefined): CsvOutcome {
    return { ok: false, reason: 'CSV_MALFORMED', detail, raw, ...(line !== undefined ? { line } : {}) };
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;

/** Column i as a number; empty → undefined; anything else non-numeric → RowError naming the column. */
function num(f: string[], i: number): number | undefined {
    const s = f[i]!.trim();
    if (s.length === 0) return undefined;
    if (!NUMBER_RE.test(s))
        throw new RowError(`column ${CSV_COLUMNS[i]}: expected a number, got ${JSON.stringify(s)}`);
    return Number(s);
}

function int(f: string[], i: number): number | undefined {
    const v = num(f, i);
    if (v !== undefined && !Number.isInteger(v)) {
        throw new RowError(
            `column ${CSV_COLUMNS[i]}: expected an integer, got ${JSON.stringify(f[i]!.trim())}`,
        );
    }
    return v;
}

function text(f: string[], i: number): string | undefined {
    const s = f[i]!.trim();
    return s.length > 0 ? s : undefined;
}

function rowRecords(f: string[]): VesselRecord[] {
    const mmsi = int(f, 0);
    if (mmsi === undefined || mmsi < 1 || mmsi > 999_999_999) {
        throw new RowError(
            `column MMSI: expected an integer 1..999999999, got ${JSON.stringify(f[0]!.trim())}`,
        );
    }
    const time = f[1]!.trim();
    const m = TIME_RE.exec(time);
    const eventTime = m == null ? undefined : matchMillis(m, 0);
    if (eventTime === undefined) {
        throw new RowError(
            `column BaseDateTime: expected a UTC date-time like 2023-01-01T00:00:01, got ${JSON.stringify(time)}`,
        );
    }

    const lat = num(f, 2);
    const lon = num(f, 3);
    // Out-of-range coordinates are kept, as the NMEA decoder keeps them, so validation rejects the row as
    // INVALID_COORDINATES whatever the format (a well-formed row with a wrong position is not malformed CSV).
    const sog = num(f, 4);
    const cog = num(f, 5);
    const heading = num(f, 6);
    const status = int(f, 11);
    const cls = text(f, 16);
    const aisClass = cls === 'A' || cls === 'B' ? cls : undefined;

    const pos: PositionReport = { kind: 'position', mmsi, eventTime, format: 'csv' };
    if (lat !== undefined && lat !== 91) pos.lat = lat;
    if (lon !== undefined && lon !== 181) pos.lon = lon;
    if (sog !== undefined && sog >= 0 && sog <= 102.2) pos.sog = sog;
    if (cog !== undefined && cog >= 0 && cog < 360) pos.cog = cog;
    if (heading !== undefined && Number.isInteger(heading) && heading >= 0 && heading <= 359)
        pos.heading = heading;
    if (status !== undefined && status >= 0 && status <= 15) pos.navStatus = status;
    if (aisClass !== undefined) pos.aisClass = aisClass;

    const name = text(f, 7);
    const imo = imoNumber(f[8]!);
    const callSign = text(f, 9);
    const vesselType = int(f, 10);
    const length = num(f, 12);
    const width = num(f, 13);
    const draught = num(f, 14);

    const st: StaticReport = { kind: 'static', mmsi, eventTime, format: 'csv' };
    if (name !== undefined) st.name = name;
    if (imo !== undefined) st.imo = imo;
    if (callSign !== undefined) st.callSign = callSign;
    if (vesselType !== undefined && vesselType >= 1 && vesselType <= 99) st.shipType = vesselType;
    if (length !== undefined && length > 0) st.length = length;
    if (width !== undefined && width > 0) st.width = width;
    if (draught !== undefined && draught > 0) st.draught = draught;
    const hasStatic =
        st.name !== undefined ||
        st.imo !== undefined ||
        st.callSign !== undefined ||
        st.shipType !== undefined ||
        st.length !== undefined ||
        st.width !== undefined ||
        st.draught !== undefined;
    if (!hasStatic) return [pos];
    if (aisClass !== undefined) st.aisClass = aisClass;
    return [pos, st];
}

/** `IMO9134270` or `9134270` → 9134270; empty or 0 → undefined; anything else → RowError. */
function imoNumber(field: string): number | undefined {
    const s = field.trim();
    if (s.length === 0) return undefined;
    const m = /^(?:IMO)?\s*(\d{1,10})$/i.exec(s);
    if (m == null)
        throw new RowError(
            `column IMO: expected digits with an optional IMO prefix, got ${JSON.stringify(s)}`,
        );
    const v = Number(m[1]);
    return v > 0 ? v : undefined;
}

/** Alias of `parseCsvRows`. */
export const parseCsv = parseCsvRows;
