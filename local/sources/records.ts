/** Turning JSON lines and CSV rows into events (NMEA framing is in `nmea.ts`). */

import { lineFormat } from '../../shared/domain/formats/sniff.js';
import { looksLikeMaintenanceLog } from '../../shared/domain/maintenance/events.js';
import { type SourceEvent, UNKNOWN_PARTITION_KEY } from './types.js';

export type FileFormat = 'nmea' | 'json' | 'csv' | 'maintenance' | 'unknown';

/**
 * Format of a file from its first non-blank, non-comment line: a maintenance log (its CSV header, or a JSON
 * object with `equipmentId` and `kind`), else the domain's rule for AIS lines (`lineFormat`: NMEA, JSON or
 * MarineCadastre CSV), else `unknown` (the replay reports the file as unsupported).
 */
export function sniffFileFormat(firstLine: string): FileFormat {
    if (looksLikeMaintenanceLog(firstLine)) return 'maintenance';
    return lineFormat(firstLine) ?? 'unknown';
}

function mmsiKey(value: unknown): string {
    const n = typeof value === 'string' ? Number(value.trim()) : value;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? String(n) : UNKNOWN_PARTITION_KEY;
}

/**
 * Events of one JSON line: an object is one event (body = the line as given); a one-line array gives one
 * event per element; lines that are only `[` or `]` (a pretty-printed array of one object per line) are
 * skipped, as is a trailing comma. A line that does not parse is passed on (the pipeline quarantines it).
 */
export function jsonLineEvents(rawLine: string, properties: Record<string, string>): SourceEvent[] {
    let line = rawLine.trim();
    if (line === '' || line === '[' || line === ']' || line.startsWith('#')) return [];
    if (line.endsWith(',')) line = line.slice(0, -1).trimEnd();
    let parsed: unknown;
    try {
        parsed = JSON.parse(line);
    } catch {
        return [{ body: line, partitionKey: UNKNOWN_PARTITION_KEY, properties: { ...properties } }];
    }
    const one = (body: string, value: unknown): SourceEvent => {
        const o = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
        return { body, partitionKey: mmsiKey(o.mmsi ?? o.MMSI ?? o.userid), properties: { ...properties } };
    };
    if (Array.isArray(parsed)) return parsed.map((v) => one(JSON.stringify(v), v));
    return [one(line, parsed)];
}

/** The first field of a CSV row, unquoted. */
export function firstCsvField(row: string): string {
    if (row.startsWith('"')) {
        const end = row.indexOf('"', 1);
        return end < 0 ? row.slice(1) : row.slice(1, end);
    }
    const comma = row.indexOf(',');
    return comma < 0 ? row : row.slice(0, comma);
}

/** One CSV data row = one event; partition key = column 0 (MMSI). */
export function csvRowEvent(rawRow: string, properties: Record<string, string>): SourceEvent {
    const row = rawRow.trim();
    return { body: row, partitionKey: mmsiKey(firstCsvField(row)), properties: { ...properties } };
}

/**
 * One maintenance log line (JSON or CSV row) = one event to `hub`; partition key = the MMSI (a vessel's log
 * stays in order on one partition). Bad lines are sent too: the pipeline quarantines them with a reason.
 */
export function maintenanceLineEvent(rawLine: string, hub: string): SourceEvent {
    const line = rawLine.trim();
    let key: string = UNKNOWN_PARTITION_KEY;
    if (line.startsWith('{')) {
        try {
            key = mmsiKey((JSON.parse(line) as Record<string, unknown>).mmsi);
        } catch {
            // passed on as is: quarantined as MAINT_MALFORMED
        }
    } else key = mmsiKey(firstCsvField(line));
    return { body: line, partitionKey: key, properties: { format: 'maintenance' }, hub };
}
