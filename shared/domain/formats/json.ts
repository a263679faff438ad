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
import type { FieldSpec, ObjectRules } from './jsonBody.js';
import {
    fieldChecker,
    fieldsProblem,
    jsonEventParser,
    mismatch,
    notAnObject,
    parseTimestamp,
    TIMESTAMP_RE,
} from './jsonBody.js';

export { parseTimestamp } from './jsonBody.js';

export type JsonRejectReason = 'JSON_MALFORMED' | 'JSON_SCHEMA';

export type ParseOutcome =
    /** `raw` is the event's own text (the line, the whole body, or the array element re-serialised). */
    | { ok: true; record: VesselRecord; raw: string }
    | { ok: false; reason: JsonRejectReason; detail: string; raw: string };

type Reject = Extract<ParseOutcome, { ok: false }>;

/** Parse a request body (object, array or JSON lines) into one outcome per event. */
export function parseJsonEvents(body: string): ParseOutcome[] {
    return PARSER.parseBody(body);
}

/** One JSON line → one outcome; blank lines → undefined. */
export function parseJsonLine(line: string): ParseOutcome | undefined {
    return PARSER.parseLine(line);
}

/** Validate one parsed event value against the schema and map it to a record. */
export function validateEvent(v: unknown, raw: string, path: string): ParseOutcome {
    const notObject = notAnObject(v, path);
    if (notObject !== undefined) return schemaError(raw, notObject);
    const o = v as Record<string, unknown>;
    const type = o.type;
    let rules: ObjectRules<EventFieldSpec>;
    if (type === 'position') rules = POSITION_RULES;
    else if (type === 'static') rules = STATIC_RULES;
    else {
        return schemaError(raw, mismatch(path, 'type', '"position" or "static"', type));
    }
    const problem = fieldsProblem(o, path, rules);
    if (problem !== undefined) return schemaError(raw, problem);
    // The schema's pattern admits 2026-02-30; a date must also exist.
    const eventTime = parseTimestamp(o.timestamp as string);
    if (eventTime === undefined)
        return schemaError(raw, mismatch(path, 'timestamp', 'an existing calendar date', o.timestamp));
    if (typeof o.eta === 'string' && o.eta.length > 12 && parseTimestamp(o.eta) === undefined) {
        return schemaError(raw, mismatch(path, 'eta', 'an existing calendar date', o.eta));
    }
    return { ok: true, record: type === 'position' ? toPosition(o, eventTime) : toStatic(o, eventTime), raw };
}

function schemaError(raw: string, detail: string): Reject {
    return { ok: false, reason: 'JSON_SCHEMA', detail, raw };
}

const PARSER = jsonEventParser(validateEvent, 'JSON_MALFORMED');

// ---------------------------------------------------------------------------------------------------------
// Field specs (keep in step with schemas/ais-event.schema.json; the ajv agreement test fails otherwise).

/** The AIS ETA form `MM-DDTHH:mmZ` (no year). */
const AIS_ETA_RE = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\dZ$/;

/** `eta`: the AIS form or a full date-time. */
type EventFieldSpec = FieldSpec<'eta'>;

const { check, expectation } = fieldChecker<'eta'>({
    eta: {
        check: (v) => typeof v === 'string' && (AIS_ETA_RE.test(v) || TIMESTAMP_RE.test(v)),
        expectation: '"MM-DDTHH:mmZ" or a date-time like "2026-11-24T10:00:00Z"',
    },
});

const MMSI: EventFieldSpec = { t: 'integer', min: 1, max: 999_999_999 };
const TIMESTAMP: EventFieldSpec = { t: 'timestamp' };
const STATION: EventFieldSpec = { t: 'string', nullable: true, minLength: 1, maxLength: 64 };
const AIS_CLASS: EventFieldSpec = { t: 'enum', nullable: true, values: ['A', 'B'] };
const DIM: EventFieldSpec = { t: 'number', nullable: true, min: 0, max: 1000 };

const POSITION_RULES: ObjectRules<EventFieldSpec> = {
    fields: {
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
    },
    required: ['type', 'mmsi', 'timestamp', 'lat', 'lon'],
    unknown: 'not in the position event schema',
    check,
    expectation,
};

const STATIC_RULES: ObjectRules<EventFieldSpec> = {
    fields: {
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
    },
    required: ['type', 'mmsi', 'timestamp'],
    unknown: 'not in the static event schema',
    check,
    expectation,
};

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
