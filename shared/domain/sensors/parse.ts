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
import type { FieldSpec, ObjectRules } from '../formats/jsonBody.js';
import {
    fieldChecker,
    fieldName,
    fieldsProblem,
    jsonEventParser,
    mismatch,
    notAnObject,
    parseTimestamp,
} from '../formats/jsonBody.js';
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
    return PARSER.parseBody(body);
}

/** One JSON line → one outcome; blank lines → undefined. */
export function parseSensorLine(line: string): SensorParseOutcome | undefined {
    return PARSER.parseLine(line);
}

/** Validate one parsed event value against the schema, normalise its unit, and map it to a reading. */
export function validateSensorEvent(v: unknown, raw: string, path: string): SensorParseOutcome {
    const notObject = notAnObject(v, path);
    if (notObject !== undefined) return schemaError(raw, notObject);
    const o = v as Record<string, unknown>;
    const problem = fieldsProblem(o, path, READING_RULES);
    if (problem !== undefined) return schemaError(raw, problem);
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
    if (eventTime === undefined)
        return schemaError(raw, mismatch(path, 'timestamp', 'an existing calendar date', o.timestamp));
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

function schemaError(raw: string, detail: string): Reject {
    return { ok: false, reason: 'SENSOR_SCHEMA', detail, raw };
}

const PARSER = jsonEventParser(validateSensorEvent, 'SENSOR_JSON_MALFORMED');

// ---------------------------------------------------------------------------------------------------------
// Field specs (keep in step with schemas/sensor-reading.schema.json; the ajv agreement test fails otherwise).

/** `position`: an object {lat, lon}, checked by `checkPosition`. */
type ReadingFieldSpec = FieldSpec<'position'>;

const { check, expectation } = fieldChecker<'position'>({
    position: { check: () => false /* checked by checkPosition */, expectation: 'an object {lat, lon}' },
});

/** The schema's sensorId pattern. */
export const SENSOR_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const QUANTITY_RE = /^[a-z][a-z0-9_]{0,63}$/;

const READING_RULES: ObjectRules<ReadingFieldSpec> = {
    fields: {
        mmsi: { t: 'integer', nullable: true, min: 1, max: 999_999_999 },
        imo: { t: 'integer', nullable: true, min: 1_000_000, max: 9_999_999 },
        sensorId: {
            t: 'string',
            pattern: SENSOR_ID_RE,
            patternText: 'letters, digits and . _ : - (1..64, starting with a letter or digit)',
        },
        quantity: {
            t: 'string',
            pattern: QUANTITY_RE,
            patternText: 'a quantity id like "exhaust_temperature"',
        },
        value: { t: 'number' },
        unit: { t: 'string', minLength: 1, maxLength: 32 },
        timestamp: { t: 'timestamp' },
        position: { t: 'position', nullable: true },
    },
    required: ['sensorId', 'quantity', 'value', 'unit', 'timestamp'],
    unknown: 'not in the sensor reading schema',
    check: (spec, v, path) =>
        spec.t === 'position' && v !== null ? (checkPosition(v, path) ?? true) : check(spec, v),
    expectation,
};

const POSITION_RULES: ObjectRules<ReadingFieldSpec> = {
    fields: {
        lat: { t: 'number', min: -90, max: 90 },
        lon: { t: 'number', min: -180, max: 180 },
    },
    required: ['lat', 'lon'],
    unknown: 'position has lat and lon only',
    check,
    expectation,
};

function checkPosition(v: unknown, path: string): string | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return mismatch(path, 'position', 'an object {lat, lon} or null', v);
    }
    return fieldsProblem(
        v as Record<string, unknown>,
        path ? `${path}.position` : 'position',
        POSITION_RULES,
    );
}
