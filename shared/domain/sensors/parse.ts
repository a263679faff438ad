/**
 * Sensor events (Event Hub `sensor-readings`). The contract is `schemas/sensor-reading.schema.json` (JSON Schema
 * 2020-12); this file is a hand-written validator for it (no schema engine on the hot path), and
 * `test/unit/sensors/parse.test.ts` checks with ajv that both accept and reject the same events.
 *
 * A body is one event object, an array of event objects, or JSON lines (one object per line). Each event
 * becomes one outcome, so one bad event does not reject its neighbours.
 *
 *   { "mmsi": 366764000, "imo": 9134270, "sensorId": "ME1-EXH-T3", "quantity": "exhaust_temperature",
 *     "value": 385.2, "unit": "degC", "timestamp": "2026-11-24T10:00:00Z",
 *     "position": { "lat": 43.07, "lon": -70.71 } }
 *   required: sensorId, quantity, value, unit, timestamp, and at least one of mmsi / imo (non-null);
 *   optional: mmsi, imo, position (null = not known). Unknown fields are rejected.
 *
 * After the schema, the value is converted to the canonical unit of its quantity (units.ts): an unknown
 * quantity or unit, or a unit of another dimension, is a reason of its own. Ranges, identifiers and event time
 * are checked by `validateReading` (validate.ts), which needs the processing time.
 */
import { parseTimestamp } from '../formats/json.js';
import type { SensorReasonCode } from './codes.js';
import { type SensorReading, vesselKeyOf } from './reading.js';
import { normalise, type QuantityId } from './units.js';

export type SensorParseOutcome =
    /** `raw` is the event's own text (the line, the whole body, or the array element re-serialised). */
    | { ok: true; reading: SensorReading; raw: string }
    | { ok: false; reason: SensorParseReason; detail: string; raw: string };

export type SensorParseReason = Extract<
    SensorReasonCode,
    | 'SENSOR_JSON_MALFORMED'
    | 'SENSOR_SCHEMA'
    | 'SENSOR_UNKNOWN_QUANTITY'
    | 'SENSOR_UNKNOWN_UNIT'
    | 'SENSOR_UNIT_MISMATCH'
>;

type Reject = Extract<SensorParseOutcome, { ok: false }>;

/** Parse a body (object, array or JSON lines) into one outcome per event. */
export function parseSensorEvents(body: string): SensorParseOutcome[] {
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
        const out = new Array<SensorParseOutcome>(doc.length);
        for (let k = 0; k < doc.length; k++) {
            const el: unknown = doc[k];
            out[k] = validateSensorEvent(el, JSON.stringify(el) ?? String(el), `[${k}]`);
        }
        return out;
    }

    // A single document (possibly pretty-printed), else JSON lines: JSON.parse of a JSON-lines body fails at
    // the start of the second line, so the first attempt is cheap.
    let single: unknown;
    let singleOk = true;
    try {
        single = JSON.parse(body);
    } catch {
        singleOk = false;
    }
    if (singleOk) return [validateSensorEvent(single, body.trim(), '')];

    const out: SensorParseOutcome[] = [];
    let start = 0;
    while (start <= n) {
        let end = body.indexOf('\n', start);
        if (end < 0) end = n;
        const o = parseSensorLine(body.slice(start, end));
        if (o !== undefined) out.push(o);
        start = end + 1;
    }
    return out;
}

/** One JSON line → one outcome; blank lines → undefined. */
export function parseSensorLine(line: string): SensorParseOutcome | undefined {
    const raw = line.trim();
    if (raw.length === 0) return undefined;
    let v: unknown;
    try {
        v = JSON.parse(raw);
    } catch (e) {
        return malformed(e, raw);
    }
    return validateSensorEvent(v, raw, '');
}

/** Validate one parsed event value against the schema, normalise its unit, and map it to a reading. */
export function validateSensorEvent(v: unknown, raw: string, path: string): SensorParseOutcome {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return schemaError(raw, `${path || 'event'}: expected an object, got ${describe(v)}`);
    }
    const o = v as Record<string, unknown>;
    for (const name of REQUIRED) {
        if (o[name] === undefined) {
            return schemaError(
                raw,
                `${fieldName(path, name)}: required, expected ${expectation(FIELDS[name]!)}, got nothing`,
            );
        }
    }
    for (const key in o) {
        if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
        const spec = Object.prototype.hasOwnProperty.call(FIELDS, key) ? FIELDS[key] : undefined;
        if (spec === undefined) {
            return schemaError(
                raw,
                `${fieldName(path, key)}: unknown field (not in the sensor reading schema)`,
            );
        }
        const value = o[key];
        if (spec.t === 'position' && value !== null) {
            const problem = checkPosition(value, path);
            if (problem !== undefined) return schemaError(raw, problem);
        } else if (!check(spec, value)) {
            return schemaError(
                raw,
                `${fieldName(path, key)}: expected ${expectation(spec)}, got ${describe(value)}`,
            );
        }
    }
    const mmsi = o.mmsi == null ? undefined : (o.mmsi as number);
    const imo = o.imo == null ? undefined : (o.imo as number);
    if (mmsi === undefined && imo === undefined) {
        return schemaError(
            raw,
            `${fieldName(path, 'mmsi')} or ${fieldName(path, 'imo')}: at least one vessel identifier is required, got ${
                o.mmsi === null || o.imo === null ? 'null' : 'nothing'
            }`,
        );
    }
    // The schema's pattern admits 2026-02-30; a date must also exist.
    const eventTime = parseTimestamp(o.timestamp as string);
    if (eventTime === undefined) {
        return schemaError(
            raw,
            `${fieldName(path, 'timestamp')}: expected an existing calendar date, got ${describe(o.timestamp)}`,
        );
    }
    const quantity = o.quantity as string;
    const rawValue = o.value as number;
    const rawUnit = o.unit as string;
    const n = normalise(quantity, rawValue, rawUnit);
    if (!n.ok) {
        const field = n.reason === 'UNKNOWN_QUANTITY' ? 'quantity' : 'unit';
        return {
            ok: false,
            reason: `SENSOR_${n.reason}`,
            detail: `${fieldName(path, field)}: ${n.detail}`,
            raw,
        };
    }
    const reading: SensorReading = {
        vesselKey: vesselKeyOf(mmsi, imo),
        sensorId: o.sensorId as string,
        quantity: quantity as QuantityId,
        value: n.value,
        unit: n.unit,
        rawValue,
        rawUnit,
        eventTime,
    };
    if (mmsi !== undefined) reading.mmsi = mmsi;
    if (imo !== undefined) reading.imo = imo;
    if (o.position != null) {
        const p = o.position as { lat: number; lon: number };
        reading.position = { lat: p.lat, lon: p.lon };
    }
    return { ok: true, reading, raw };
}

// ---------------------------------------------------------------------------------------------------------
// Field specs (keep in step with schemas/sensor-reading.schema.json; the ajv agreement test fails otherwise).

interface FieldSpec {
    t: 'number' | 'integer' | 'string' | 'timestamp' | 'position';
    nullable?: boolean;
    min?: number;
    max?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: RegExp;
    /** How the pattern is described in details. */
    patternText?: string;
}

const TIMESTAMP_RE =
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** The schema's sensorId pattern. */
export const SENSOR_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const QUANTITY_RE = /^[a-z][a-z0-9_]{0,63}$/;

const FIELDS: Readonly<Record<string, FieldSpec>> = {
    mmsi: { t: 'integer', nullable: true, min: 1, max: 999_999_999 },
    imo: { t: 'integer', nullable: true, min: 1_000_000, max: 9_999_999 },
    sensorId: {
        t: 'string',
        pattern: SENSOR_ID_RE,
        patternText: 'letters, digits and . _ : - (1..64, starting with a letter or digit)',
    },
    quantity: { t: 'string', pattern: QUANTITY_RE, patternText: 'a quantity id like "exhaust_temperature"' },
    value: { t: 'number' },
    unit: { t: 'string', minLength: 1, maxLength: 32 },
    timestamp: { t: 'timestamp' },
    position: { t: 'position', nullable: true },
};
const REQUIRED = ['sensorId', 'quantity', 'value', 'unit', 'timestamp'] as const;

const LAT: FieldSpec = { t: 'number', min: -90, max: 90 };
const LON: FieldSpec = { t: 'number', min: -180, max: 180 };

function checkPosition(v: unknown, path: string): string | undefined {
    const p = path ? `${path}.position` : 'position';
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return `${fieldName(path, 'position')}: expected an object {lat, lon} or null, got ${describe(v)}`;
    }
    const o = v as Record<string, unknown>;
    if (o.lat === undefined)
        return `${fieldName(p, 'lat')}: required, expected ${expectation(LAT)}, got nothing`;
    if (o.lon === undefined)
        return `${fieldName(p, 'lon')}: required, expected ${expectation(LON)}, got nothing`;
    for (const key in o) {
        if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
        const spec = key === 'lat' ? LAT : key === 'lon' ? LON : undefined;
        if (spec === undefined) return `${fieldName(p, key)}: unknown field (position has lat and lon only)`;
        if (!check(spec, o[key]))
            return `${fieldName(p, key)}: expected ${expectation(spec)}, got ${describe(o[key])}`;
    }
    return undefined;
}

function check(spec: FieldSpec, v: unknown): boolean {
    if (v === null) return spec.nullable === true;
    switch (spec.t) {
        case 'number':
        case 'integer':
            if (typeof v !== 'number' || !Number.isFinite(v)) return false;
            if (spec.t === 'integer' && !Number.isInteger(v)) return false;
            if (spec.min !== undefined && v < spec.min) return false;
            if (spec.max !== undefined && v > spec.max) return false;
            return true;
        case 'string': {
            if (typeof v !== 'string') return false;
            if (spec.pattern !== undefined && !spec.pattern.test(v)) return false;
            const len = v.length <= (spec.maxLength ?? Infinity) ? v.length : codePoints(v);
            return len >= (spec.minLength ?? 0) && len <= (spec.maxLength ?? Infinity);
        }
        case 'timestamp':
            return typeof v === 'string' && TIMESTAMP_RE.test(v);
        case 'position':
            return false; // checked by checkPosition
    }
}

function expectation(spec: FieldSpec): string {
    let s: string;
    switch (spec.t) {
        case 'number':
        case 'integer': {
            const lo = spec.min !== undefined ? `${spec.min} <= ` : '';
            const hi = spec.max !== undefined ? ` <= ${spec.max}` : '';
            s = lo || hi ? `${spec.t} ${lo}x${hi}` : spec.t;
            break;
        }
        case 'string':
            s =
                spec.patternText !== undefined
                    ? `string of ${spec.patternText}`
                    : `string of ${spec.minLength ?? 0}..${spec.maxLength ?? 'any'} characters`;
            break;
        case 'timestamp':
            s = 'date-time like "2026-11-24T10:00:00Z" (Z or ±hh:mm offset)';
            break;
        case 'position':
            s = 'an object {lat, lon}';
            break;
    }
    return spec.nullable === true ? `${s} or null` : s;
}

function describe(v: unknown): string {
    if (v === undefined) return 'nothing';
    if (v === null) return 'null';
    let s = JSON.stringify(v) ?? typeof v;
    if (s.length > 40) s = s.slice(0, 37) + '...';
    return `${s} (${Array.isArray(v) ? 'array' : typeof v})`;
}

function fieldName(path: string, key: string): string {
    return `field "${path ? `${path}.` : ''}${key}"`;
}

function schemaError(raw: string, detail: string): Reject {
    return { ok: false, reason: 'SENSOR_SCHEMA', detail, raw };
}

function malformed(e: unknown, raw: string): Reject {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: 'SENSOR_JSON_MALFORMED', detail: `not valid JSON: ${msg}`, raw };
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
