/**
 * JSON events for producers that send JSON instead of NMEA. The contract is `schemas/ais-event.schema.json`
 * (JSON Schema 2020-12); this file is a hand-written validator for it (no schema engine on the hot path).
 * `test/unit/formats/json.test.ts` checks with ajv that both accept and reject the same events.
 *
 * A body is one event object, an array of event objects, or JSON lines (one object per line). Each event
 * becomes one outcome, so one bad event does not reject its neighbours.
 *
 * Position event:
 *   { "type": "position", "mmsi": 366764000, "timestamp": "2026-11-24T10:00:00Z", "lat": 43.0721,
 *     "lon": -70.7111, "sog": 12.3, "cog": 224, "heading": 215, "navStatus": 0 }
 *   required: type, mmsi, timestamp, lat, lon; optional: sog, cog, heading, rot, navStatus, accuracy,
 *   aisClass ("A"|"B"), station.
 * Static event:
 *   { "type": "static", "mmsi": 351759000, "timestamp": "2026-11-24T10:00:05Z", "imo": 9134270,
 *     "name": "EVER DIADEM", "callSign": "3FOF8", "shipType": 70, "length": 295, "width": 32,
 *     "draught": 12.2, "destination": "NEW YORK", "eta": "05-15T14:00Z" }
 *   required: type, mmsi, timestamp; optional: imo, name, callSign, shipType, length, width, toBow, toStern,
 *   toPort, toStarboard, draught, destination, eta (MM-DDTHH:mmZ or full date-time), aisClass, station.
 * Optional fields may be null (= not known). Unknown fields are rejected. `shipType` 0 ("not available" in
 * AIS) is accepted and left out of the record; length/width are derived from toBow+toStern /
 * toPort+toStarboard when not given.
 */
import type { PositionReport, StaticReport, VesselRecord } from '../records.js';
import { fractionMillis, utcMillis } from './values.js';

export type JsonRejectReason = 'JSON_MALFORMED' | 'JSON_SCHEMA';

export type ParseOutcome =
    /** `raw` is the event's own text (the line, the whole body, or the array element re-serialised). */
    | { ok: true; record: VesselRecord; raw: string }
    | { ok: false; reason: JsonRejectReason; detail: string; raw: string };

type Reject = Extract<ParseOutcome, { ok: false }>;

/** Parse a request body (object, array or JSON lines) into one outcome per event. */
export function parseJsonEvents(body: string): ParseOutcome[] {
    let i = 0;
    const n = body.length;
    while (i < n && isWs(body.charCodeAt(i))) i++;
    if (i === n) return [];

    if (body.charCodeAt(i) === 91 /* [ */) {
        let doc: unknown;
        try {
            doc = JSON.parse(body);
        } catch (e) {
            return [malformed(e, body)];
        }
        if (!Array.isArray(doc)) return [malformed(new Error('expected an array'), body)];
        const out: ParseOutcome[] = new Array<ParseOutcome>(doc.length);
        for (let k = 0; k < doc.length; k++) {
            const el: unknown = doc[k];
            out[k] = validateEvent(el, JSON.stringify(el) ?? String(el), `[${k}]`);
        }
        return out;
    }

    // A single document (possibly pretty-printed over several lines), else JSON lines. JSON.parse on a
    // JSON-lines body fails at the start of the second line, so the first attempt is cheap.
    let single: unknown;
    let singleOk = true;
    try {
        single = JSON.parse(body);
    } catch {
        singleOk = false;
    }
    if (singleOk) return [validateEvent(single, body.trim(), '')];

    const out: ParseOutcome[] = [];
    let start = 0;
    while (start <= n) {
        let end = body.indexOf('\n', start);
        if (end < 0) end = n;
        const line = body.slice(start, end);
        const o = parseJsonLine(line);
        if (o !== undefined) out.push(o);
        start = end + 1;
    }
    return out;
}

/** One JSON line → one outcome; blank lines → undefined. */
export function parseJsonLine(line: string): ParseOutcome | undefined {
    const raw = line.trim();
    if (raw.length === 0) return undefined;
    let v: unknown;
    try {
        v = JSON.parse(raw);
    } catch (e) {
        return malformed(e, raw);
    }
    return validateEvent(v, raw, '');
}

/** Validate one parsed event value against the schema and map it to a record. */
export function validateEvent(v: unknown, raw: string, path: string): ParseOutcome {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return schemaError(raw, `${path || 'event'}: expected an object, got ${describe(v)}`);
    }
    const o = v as Record<string, unknown>;
    const type = o.type;
    let fields: Readonly<Record<string, FieldSpec>>;
    let required: readonly string[];
    if (type === 'position') {
        fields = POSITION_FIELDS;
        required = POSITION_REQUIRED;
    } else if (type === 'static') {
        fields = STATIC_FIELDS;
        required = STATIC_REQUIRED;
    } else {
        return schemaError(
            raw,
            `${fieldName(path, 'type')}: expected "position" or "static", got ${describe(type)}`,
        );
    }
    for (const name of required) {
        if (o[name] === undefined) {
            return schemaError(
                raw,
                `${fieldName(path, name)}: required, expected ${expectation(fields[name]!)}, got nothing`,
            );
        }
    }
    for (const key in o) {
        if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
        const spec = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
        if (spec === undefined) {
            return schemaError(
                raw,
                `${fieldName(path, key)}: unknown field (not in the ${String(type)} event schema)`,
            );
        }
        if (!check(spec, o[key])) {
            return schemaError(
                raw,
                `${fieldName(path, key)}: expected ${expectation(spec)}, got ${describe(o[key])}`,
            );
        }
    }
    // The schema's pattern admits 2026-02-30; a date must also exist.
    const eventTime = parseTimestamp(o.timestamp as string);
    if (eventTime === undefined) {
        return schemaError(
            raw,
            `${fieldName(path, 'timestamp')}: expected an existing calendar date, got ${describe(o.timestamp)}`,
        );
    }
    if (typeof o.eta === 'string' && o.eta.length > 12 && parseTimestamp(o.eta) === undefined) {
        return schemaError(
            raw,
            `${fieldName(path, 'eta')}: expected an existing calendar date, got ${describe(o.eta)}`,
        );
    }
    return { ok: true, record: type === 'position' ? toPosition(o, eventTime) : toStatic(o, eventTime), raw };
}

// ---------------------------------------------------------------------------------------------------------
// Field specs (keep in step with schemas/ais-event.schema.json; the ajv agreement test fails otherwise).

interface FieldSpec {
    t: 'number' | 'integer' | 'string' | 'boolean' | 'const' | 'enum' | 'timestamp' | 'eta';
    nullable?: boolean;
    min?: number;
    max?: number;
    exclMin?: number;
    exclMax?: number;
    minLength?: number;
    maxLength?: number;
    values?: readonly string[];
}

const TIMESTAMP_RE =
    /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?(?:(Z)|([+-])([01]\d|2[0-3]):([0-5]\d))$/;
/** The AIS ETA form `MM-DDTHH:mmZ` (no year). */
const AIS_ETA_RE = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\dZ$/;

const MMSI: FieldSpec = { t: 'integer', min: 1, max: 999_999_999 };
const TIMESTAMP: FieldSpec = { t: 'timestamp' };
const STATION: FieldSpec = { t: 'string', nullable: true, minLength: 1, maxLength: 64 };
const AIS_CLASS: FieldSpec = { t: 'enum', nullable: true, values: ['A', 'B'] };
const DIM: FieldSpec = { t: 'number', nullable: true, min: 0, max: 1000 };

const POSITION_FIELDS: Readonly<Record<string, FieldSpec>> = {
    type: { t: 'const', values: ['position'] },
    mmsi: MMSI,
    timestamp: TIMESTAMP,
    lat: { t: 'number', min: -90, max: 90 },
    lon: { t: 'number', min: -180, max: 180 },
    sog: { t: 'number', nullable: true, min: 0, max: 102.2 },
    cog: { t: 'number', nullable: true, min: 0, exclMax: 360 },
    heading: { t: 'integer', nullable: true, min: 0, max: 359 },
    rot: { t: 'number', nullable: true, min: -720, max: 720 },
    navStatus: { t: 'integer', nullable: true, min: 0, max: 15 },
    accuracy: { t: 'boolean', nullable: true },
    aisClass: AIS_CLASS,
    station: STATION,
};
const POSITION_REQUIRED = ['type', 'mmsi', 'timestamp', 'lat', 'lon'] as const;

const STATIC_FIELDS: Readonly<Record<string, FieldSpec>> = {
    type: { t: 'const', values: ['static'] },
    mmsi: MMSI,
    timestamp: TIMESTAMP,
    imo: { t: 'integer', nullable: true, min: 1_000_000, max: 9_999_999 },
    name: { t: 'string', nullable: true, minLength: 1, maxLength: 120 },
    callSign: { t: 'string', nullable: true, minLength: 1, maxLength: 16 },
    shipType: { t: 'integer', nullable: true, min: 0, max: 99 },
    length: { t: 'number', nullable: true, exclMin: 0, max: 1000 },
    width: { t: 'number', nullable: true, exclMin: 0, max: 1000 },
    toBow: DIM,
    toStern: DIM,
    toPort: DIM,
    toStarboard: DIM,
    draught: { t: 'number', nullable: true, exclMin: 0, max: 50 },
    destination: { t: 'string', nullable: true, minLength: 1, maxLength: 120 },
    eta: { t: 'eta', nullable: true },
    aisClass: AIS_CLASS,
    station: STATION,
};
const STATIC_REQUIRED = ['type', 'mmsi', 'timestamp'] as const;

function check(spec: FieldSpec, v: unknown): boolean {
    if (v === null) return spec.nullable === true;
    switch (spec.t) {
        case 'number':
        case 'integer':
            if (typeof v !== 'number' || !Number.isFinite(v)) return false;
            if (spec.t === 'integer' && !Number.isInteger(v)) return false;
            if (spec.min !== undefined && v < spec.min) return false;
            if (spec.max !== undefined && v > spec.max) return false;
            if (spec.exclMin !== undefined && v <= spec.exclMin) return false;
            if (spec.exclMax !== undefined && v >= spec.exclMax) return false;
            return true;
        case 'string': {
            if (typeof v !== 'string') return false;
            const len = v.length <= (spec.maxLength ?? Infinity) ? v.length : codePoints(v);
            return len >= (spec.minLength ?? 0) && len <= (spec.maxLength ?? Infinity);
        }
        case 'boolean':
            return typeof v === 'boolean';
        case 'const':
        case 'enum':
            return typeof v === 'string' && spec.values!.includes(v);
        case 'timestamp':
            return typeof v === 'string' && TIMESTAMP_RE.test(v);
        case 'eta':
            return typeof v === 'string' && (AIS_ETA_RE.test(v) || TIMESTAMP_RE.test(v));
    }
}

function expectation(spec: FieldSpec): string {
    let s: string;
    switch (spec.t) {
        case 'number':
        case 'integer': {
            const lo =
                spec.min !== undefined
                    ? `${spec.min} <= `
                    : spec.exclMin !== undefined
                      ? `${spec.exclMin} < `
                      : '';
            const hi =
                spec.max !== undefined
                    ? ` <= ${spec.max}`
                    : spec.exclMax !== undefined
                      ? ` < ${spec.exclMax}`
                      : '';
            s = lo || hi ? `${spec.t} ${lo}x${hi}` : spec.t;
            break;
        }
        case 'string':
            s = `string of ${spec.minLength ?? 0}..${spec.maxLength ?? 'any'} characters`;
            break;
        case 'boolean':
            s = 'true or false';
            break;
        case 'const':
        case 'enum':
            s = spec.values!.map((x) => JSON.stringify(x)).join(' or ');
            break;
        case 'timestamp':
            s = 'date-time like "2026-11-24T10:00:00Z" (Z or ±hh:mm offset)';
            break;
        case 'eta':
            s = '"MM-DDTHH:mmZ" or a date-time like "2026-11-24T10:00:00Z"';
            break;
    }
    return spec.nullable === true ? `${s} or null` : s;
}

function describe(v: unknown): string {
    if (v === undefined) return 'nothing';
    let s = JSON.stringify(v) ?? typeof v;
    if (s.length > 40) s = s.slice(0, 37) + '...';
    const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
    return t === 'null' ? 'null' : `${s} (${t})`;
}

function fieldName(path: string, key: string): string {
    return `field "${path ? `${path}.` : ''}${key}"`;
}

function schemaError(raw: string, detail: string): Reject {
    return { ok: false, reason: 'JSON_SCHEMA', detail, raw };
}

function malformed(e: unknown, raw: string): Reject {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: 'JSON_MALFORMED', detail: `not valid JSON: ${msg}`, raw };
}

function codePoints(s: string): number {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) i++;
        }
        n++;
    }
    return n;
}

function isWs(c: number): boolean {
    return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

/** An RFC 3339 date-time (as the schema's pattern) to epoch ms; undefined when the date does not exist. */
export function parseTimestamp(s: string): number | undefined {
    const m = TIMESTAMP_RE.exec(s);
    if (m == null) return undefined;
    let offset = 0;
    if (m[8] === undefined) {
        offset = (Number(m[10]) * 60 + Number(m[11])) * (m[9] === '-' ? -1 : 1);
    }
    return utcMillis(
        Number(m[1]),
        Number(m[2]),
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
        fractionMillis(m[7]),
        offset,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Records

function toPosition(o: Record<string, unknown>, eventTime: number): PositionReport {
    const r: PositionReport = {
        kind: 'position',
        mmsi: o.mmsi as number,
        eventTime,
        format: 'json',
        lat: o.lat as number,
        lon: o.lon as number,
    };
    if (o.sog != null) r.sog = o.sog as number;
    if (o.cog != null) r.cog = o.cog as number;
    if (o.heading != null) r.heading = o.heading as number;
    if (o.rot != null) r.rot = o.rot as number;
    if (o.navStatus != null) r.navStatus = o.navStatus as number;
    if (o.accuracy != null) r.accuracy = o.accuracy as boolean;
    if (o.aisClass != null) r.aisClass = o.aisClass as 'A' | 'B';
    if (o.station != null) r.station = o.station as string;
    return r;
}

function toStatic(o: Record<string, unknown>, eventTime: number): StaticReport {
    const r: StaticReport = { kind: 'static', mmsi: o.mmsi as number, eventTime, format: 'json' };
    if (o.imo != null) r.imo = o.imo as number;
    if (o.name != null) r.name = o.name as string;
    if (o.callSign != null) r.callSign = o.callSign as string;
    if (o.shipType != null && o.shipType !== 0) r.shipType = o.shipType as number;
    if (o.toBow != null) r.toBow = o.toBow as number;
    if (o.toStern != null) r.toStern = o.toStern as number;
    if (o.toPort != null) r.toPort = o.toPort as number;
    if (o.toStarboard != null) r.toStarboard = o.toStarboard as number;
    if (o.length != null) r.length = o.length as number;
    else if (r.toBow !== undefined && r.toStern !== undefined && r.toBow + r.toStern > 0)
        r.length = r.toBow + r.toStern;
    if (o.width != null) r.width = o.width as number;
    else if (r.toPort !== undefined && r.toStarboard !== undefined && r.toPort + r.toStarboard > 0) {
        r.width = r.toPort + r.toStarboard;
    }
    if (o.draught != null) r.draught = o.draught as number;
    if (o.destination != null) r.destination = o.destination as string;
    if (o.eta != null) r.eta = o.eta as string;
    if (o.aisClass != null) r.aisClass = o.aisClass as 'A' | 'B';
    if (o.station != null) r.station = o.station as string;
    return r;
}
