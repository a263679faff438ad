/**
 * Maintenance log events: what happened to which equipment on which vessel, and when. These are the labels of
 * the predictive-maintenance model (a `failure` ends a degradation path; a `repair` or `service` resets it).
 *
 * Two shapes, one event per JSON line or CSV row:
 *   {"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-11-24T10:00:00Z","kind":"failure","note":"surge"}
 *   mmsi,equipment_id,time,kind,note          (header optional; note optional, may be quoted)
 *   366764000,ME1-TC,2026-11-24T10:00:00Z,failure,surge
 * `kind` is `failure` (the equipment stopped doing its job), `repair` (put back in order after a failure or
 * a finding) or `service` (planned maintenance: cleaning, filter change, overhaul). The equipment id is the
 * operator's own (letters, digits, `. _ : -`, 1..64); the model scores the ids of `equipment.ts`.
 * Pure: no I/O; the processing time for the event-time checks is passed in.
 */
import { splitCsvFields } from '../formats/csvFields.js';
import { classifyMmsi } from '../validation/mmsi.js';

export const MAINTENANCE_KINDS = ['failure', 'repair', 'service'] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

export interface MaintenanceEvent {
    mmsi: number;
    equipmentId: string;
    /** Event time, epoch ms (UTC). */
    time: number;
    kind: MaintenanceKind;
    note?: string;
}

/** Why a maintenance event is rejected (quarantined). Stable: queries filter on them. */
export const MAINTENANCE_REASON_CODES = {
    MAINT_MALFORMED: 'The line is neither a JSON object nor a CSV row of 4 or 5 fields.',
    MAINT_SCHEMA:
        'A field is missing, of the wrong type or unknown (JSON), or the equipment id is not 1..64 letters, digits and . _ : - (the detail names the field).',
    MAINT_UNKNOWN_KIND: 'The kind is not failure, repair or service.',
    INVALID_MMSI: 'The MMSI is not an integer in 1..999999999.',
    INVALID_EVENT_TIME: 'The time is not an ISO 8601 UTC time (or epoch milliseconds) naming a real instant.',
    EVENT_TIME_IN_FUTURE: 'The time is later than now + the future tolerance (5 minutes).',
} as const satisfies Record<string, string>;
export type MaintenanceReasonCode = keyof typeof MAINTENANCE_REASON_CODES;

export type MaintenanceParseOutcome =
    | { ok: true; event: MaintenanceEvent; raw: string }
    | { ok: false; reason: MaintenanceReasonCode; detail: string; raw: string };

export const EQUIPMENT_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;
const FIELDS = new Set(['mmsi', 'equipmentId', 'time', 'kind', 'note']);
const CSV_HEADER = /^\s*mmsi\s*,\s*equipment_id\s*,/i;
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for lines that carry no event: blank, `#` comments, the CSV header. */
export function isMaintenanceHeaderOrBlank(line: string): boolean {
    const t = line.trim();
    return t.length === 0 || t.startsWith('#') || CSV_HEADER.test(t);
}

/**
 * True when a file's first meaningful line shows a maintenance log: the CSV header (`mmsi,equipment_id,...`) or
 * a JSON object with an `equipmentId` and a `kind` (so `maritime replay` sends it to the maintenance hub). CSV
 * logs need their header to be recognised: a headerless 4-field row is not distinguishable from other CSV.
 */
export function looksLikeMaintenanceLog(firstLine: string): boolean {
    const t = firstLine.trim();
    if (CSV_HEADER.test(t)) return true;
    if (!t.startsWith('{')) return false;
    try {
        const o = JSON.parse(t) as unknown;
        return typeof o === 'object' && o !== null && 'equipmentId' in o && 'kind' in o;
    } catch {
        return false;
    }
}

/**
 * One line (JSON object or CSV row) to one outcome; undefined for blank lines, comments and the CSV header.
 * @param now processing time, epoch ms (events later than now + 5 min are rejected)
 */
export function parseMaintenanceLine(line: string, now: number): MaintenanceParseOutcome | undefined {
    if (isMaintenanceHeaderOrBlank(line)) return undefined;
    const raw = line.trim();
    const fields = raw.startsWith('{') ? fromJson(raw) : fromCsv(raw);
    if ('reason' in fields) return { ok: false, reason: fields.reason, detail: fields.detail, raw };
    return validate(fields, now, raw);
}

/** A body of JSON lines and/or CSV rows to one outcome per event. */
export function parseMaintenanceBody(body: string, now: number): MaintenanceParseOutcome[] {
    const out: MaintenanceParseOutcome[] = [];
    for (const line of body.split(/\r?\n/)) {
        const o = parseMaintenanceLine(line, now);
        if (o !== undefined) out.push(o);
    }
    return out;
}

/** Deterministic id: one event per vessel, equipment, time and kind (a re-sent log overwrites itself). */
export function maintenanceEventId(e: MaintenanceEvent): string {
    return `${e.mmsi}|${e.equipmentId}|${e.time}|${e.kind}`;
}

/** The event as one JSON line of the log format. */
export function formatMaintenanceEvent(e: MaintenanceEvent): string {
    const o: Record<string, unknown> = {
        mmsi: e.mmsi,
        equipmentId: e.equipmentId,
        time: new Date(e.time).toISOString(),
        kind: e.kind,
    };
    if (e.note !== undefined) o.note = e.note;
    return JSON.stringify(o);
}

interface Fields {
    mmsi: unknown;
    equipmentId: unknown;
    time: unknown;
    kind: unknown;
    note: unknown;
}
type Problem = { reason: MaintenanceReasonCode; detail: string };

function fromJson(raw: string): Fields | Problem {
    let v: unknown;
    try {
        v = JSON.parse(raw);
    } catch (e) {
        return { reason: 'MAINT_MALFORMED', detail: `not valid JSON: ${(e as Error).message}` };
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return { reason: 'MAINT_MALFORMED', detail: 'a JSON line must be an object' };
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
        if (!FIELDS.has(k)) return { reason: 'MAINT_SCHEMA', detail: `unknown field ${JSON.stringify(k)}` };
    }
    return { mmsi: o.mmsi, equipmentId: o.equipmentId, time: o.time, kind: o.kind, note: o.note };
}

function fromCsv(raw: string): Fields | Problem {
    const { fields: cells, closed } = splitCsvFields(raw);
    if (!closed || cells.length < 4 || cells.length > 5) {
        return {
            reason: 'MAINT_MALFORMED',
            detail: `expected 4 or 5 CSV fields, got ${closed ? cells.length : 'an unbalanced quote'}`,
        };
    }
    const [mmsi, equipmentId, time, kind, note] = cells.map((c) => c.trim());
    return {
        mmsi: /^\d+$/.test(mmsi!) ? Number(mmsi) : mmsi,
        equipmentId,
        time: /^\d+$/.test(time!) ? Number(time) : time,
        kind,
        note: note === undefined || note === '' ? undefined : note,
    };
}

function validate(f: Fields, now: number, raw: string): MaintenanceParseOutcome {
    const bad = (reason: MaintenanceReasonCode, detail: string): MaintenanceParseOutcome => ({
        ok: false,
        reason,
        detail,
        raw,
    });
    if (f.mmsi === undefined || f.mmsi === null) return bad('MAINT_SCHEMA', 'mmsi is required');
    if (typeof f.mmsi !== 'number' || !classifyMmsi(f.mmsi).valid) {
        return bad('INVALID_MMSI', `mmsi ${JSON.stringify(f.mmsi)} is not an integer 1..999999999`);
    }
    if (typeof f.equipmentId !== 'string' || !EQUIPMENT_ID_RE.test(f.equipmentId)) {
        return bad(
            'MAINT_SCHEMA',
            `equipmentId ${JSON.stringify(f.equipmentId)} is not 1..64 of A-Z a-z 0-9 . _ : -`,
        );
    }
    if (typeof f.kind !== 'string')
        return bad('MAINT_SCHEMA', 'kind is required (failure, repair or service)');
    if (!(MAINTENANCE_KINDS as readonly string[]).includes(f.kind)) {
        return bad('MAINT_UNKNOWN_KIND', `kind ${JSON.stringify(f.kind)} is not failure, repair or service`);
    }
    if (f.note !== undefined && f.note !== null && typeof f.note !== 'string') {
        return bad('MAINT_SCHEMA', 'note must be a string');
    }
    const time = parseTime(f.time);
    if (time === undefined)
        return bad('INVALID_EVENT_TIME', `time ${JSON.stringify(f.time)} is not an ISO 8601 UTC time`);
    if (time > now + FUTURE_TOLERANCE_MS) {
        return bad(
            'EVENT_TIME_IN_FUTURE',
            `time ${new Date(time).toISOString()} is after now ${new Date(now).toISOString()}`,
        );
    }
    const event: MaintenanceEvent = {
        mmsi: f.mmsi,
        equipmentId: f.equipmentId,
        time,
        kind: f.kind as MaintenanceKind,
    };
    if (typeof f.note === 'string' && f.note.length > 0) event.note = f.note.slice(0, 500);
    return { ok: true, event, raw };
}

function parseTime(v: unknown): number | undefined {
    if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
    if (typeof v !== 'string' || !ISO_UTC.test(v)) return undefined;
    const t = Date.parse(v);
    if (!Number.isFinite(t)) return undefined;
    // Date.parse rolls 2026-02-30 over to March: the calendar date must exist.
    const day = v.slice(0, 10);
    const offset = /([+-]\d{2}:\d{2})$/.exec(v);
    const local = offset === null ? new Date(t) : new Date(t + offsetMs(offset[1]!));
    return local.toISOString().slice(0, 10) === day ? t : undefined;
}

function offsetMs(o: string): number {
    const sign = o.startsWith('-') ? -1 : 1;
    return sign * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6))) * 60_000;
}
