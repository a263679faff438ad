import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';

import { parseSensorEvents } from '../../../../shared/domain/sensors/parse.js';
import { expectWith } from '../../../helpers/expectWith.js';

const schemaPath = new URL('../../../../schemas/sensor-reading.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { examples: unknown[] };
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

const EV = {
    mmsi: 366764000,
    sensorId: 'ME1-EXH-T3',
    quantity: 'exhaust_temperature',
    value: 385.2,
    unit: 'degC',
    timestamp: '2026-11-24T10:00:00Z',
};

function one(v: unknown) {
    const out = parseSensorEvents(JSON.stringify(v));
    expect(out).toHaveLength(1);
    return out[0]!;
}

/** Schema-level decision of the parser: unit and quantity problems come after the schema. */
const schemaOk = (v: unknown): boolean => {
    const o = one(v);
    return o.ok || (o.reason !== 'SENSOR_SCHEMA' && o.reason !== 'SENSOR_JSON_MALFORMED');
};

describe('parseSensorEvents', () => {
    it('maps an event to a reading in canonical units', () => {
        const o = one({
            ...EV,
            imo: 9134270,
            value: 700,
            unit: 'K',
            timestamp: '2026-11-24T11:00:00.250+01:00',
            position: { lat: 43.07, lon: -70.71 },
        });
        expect(o.ok).toBe(true);
        if (!o.ok) return;
        expect(o.reading).toEqual({
            vesselKey: 'mmsi:366764000',
            mmsi: 366764000,
            imo: 9134270,
            sensorId: 'ME1-EXH-T3',
            quantity: 'exhaust_temperature',
            value: 700 - 273.15,
            unit: 'degC',
            rawValue: 700,
            rawUnit: 'K',
            eventTime: Date.UTC(2026, 10, 24, 10, 0, 0, 250),
            position: { lat: 43.07, lon: -70.71 },
        });
    });

    it('names the vessel by IMO when there is no MMSI; null means absent', () => {
        const o = one({ ...EV, mmsi: null, imo: 9134270, position: null });
        expect(o).toMatchObject({ ok: true, reading: { vesselKey: 'imo:9134270', imo: 9134270 } });
        if (o.ok) {
            expect('mmsi' in o.reading).toBe(false);
            expect('position' in o.reading).toBe(false);
        }
    });

    it('accepts an array and JSON lines, one outcome per event', () => {
        const bad = { ...EV, unit: 'kelvin' };
        expect(parseSensorEvents(JSON.stringify([EV, bad, EV])).map((o) => (o.ok ? 'ok' : o.reason))).toEqual(
            ['ok', 'SENSOR_UNKNOWN_UNIT', 'ok'],
        );
        const jsonl = `${JSON.stringify(EV)}\n\n{"mmsi":1,\n${JSON.stringify({ ...EV, quantity: 'x' })}\r\n`;
        const out = parseSensorEvents(jsonl);
        expect(out.map((o) => (o.ok ? 'ok' : o.reason))).toEqual([
            'ok',
            'SENSOR_JSON_MALFORMED',
            'SENSOR_UNKNOWN_QUANTITY',
        ]);
        expect(out[1]).toMatchObject({ raw: '{"mmsi":1,' });
        expect(parseSensorEvents(' \n ')).toEqual([]);
        expect(parseSensorEvents('[]')).toEqual([]);
        expect(parseSensorEvents(JSON.stringify(EV, null, 2)).map((o) => o.ok)).toEqual([true]);
    });

    it.each([
        ['{"mmsi":', 'SENSOR_JSON_MALFORMED', 'not valid JSON'],
        ['7', 'SENSOR_SCHEMA', 'event: expected an object, got 7 (number)'],
        [JSON.stringify([EV, 'x']), 'SENSOR_SCHEMA', '[1]: expected an object'],
        [
            JSON.stringify({ ...EV, mmsi: undefined }),
            'SENSOR_SCHEMA',
            'field "mmsi" or field "imo": at least one vessel identifier is required, got nothing',
        ],
        [
            JSON.stringify({ ...EV, mmsi: null }),
            'SENSOR_SCHEMA',
            'at least one vessel identifier is required, got null',
        ],
        [
            JSON.stringify({ ...EV, value: undefined }),
            'SENSOR_SCHEMA',
            'field "value": required, expected number, got nothing',
        ],
        [
            JSON.stringify({ ...EV, value: '385' }),
            'SENSOR_SCHEMA',
            'field "value": expected number, got "385" (string)',
        ],
        [
            JSON.stringify({ ...EV, mmsi: 0 }),
            'SENSOR_SCHEMA',
            'field "mmsi": expected integer 1 <= x <= 999999999 or null, got 0',
        ],
        [JSON.stringify({ ...EV, imo: 123 }), 'SENSOR_SCHEMA', 'field "imo": expected integer 1000000 <= x'],
        [
            JSON.stringify({ ...EV, sensorId: 'ME1/EXH' }),
            'SENSOR_SCHEMA',
            'field "sensorId": expected string of letters',
        ],
        [JSON.stringify({ ...EV, quantity: 'Exhaust' }), 'SENSOR_SCHEMA', 'field "quantity"'],
        [
            JSON.stringify({ ...EV, unit: '' }),
            'SENSOR_SCHEMA',
            'field "unit": expected string of 1..32 characters',
        ],
        [JSON.stringify({ ...EV, timestamp: '2026-11-24 10:00:00' }), 'SENSOR_SCHEMA', 'field "timestamp"'],
        [
            JSON.stringify({ ...EV, timestamp: '2026-02-30T00:00:00Z' }),
            'SENSOR_SCHEMA',
            'existing calendar date',
        ],
        [JSON.stringify({ ...EV, position: { lat: 95, lon: 0 } }), 'SENSOR_SCHEMA', 'field "position.lat"'],
        [
            JSON.stringify([{ ...EV, position: { lat: 1 } }]),
            'SENSOR_SCHEMA',
            'field "[0].position.lon": required',
        ],
        [
            JSON.stringify({ ...EV, position: { lat: 1, lon: 2, alt: 3 } }),
            'SENSOR_SCHEMA',
            '"position.alt": unknown',
        ],
        [
            JSON.stringify({ ...EV, position: [1, 2] }),
            'SENSOR_SCHEMA',
            'field "position": expected an object',
        ],
        [JSON.stringify({ ...EV, temp: 1 }), 'SENSOR_SCHEMA', 'field "temp": unknown field'],
        [
            JSON.stringify({ ...EV, quantity: 'engine_temp' }),
            'SENSOR_UNKNOWN_QUANTITY',
            'field "quantity": quantity "engine_temp"',
        ],
        [JSON.stringify({ ...EV, unit: 'C' }), 'SENSOR_UNKNOWN_UNIT', 'field "unit": unit "C" is not known'],
        [
            JSON.stringify({ ...EV, unit: 'bar' }),
            'SENSOR_UNIT_MISMATCH',
            'field "unit": unit "bar" is a pressure unit',
        ],
    ])('rejects %s', (body, reason, detail) => {
        const bad = parseSensorEvents(body).find((o) => !o.ok);
        expect(bad).toMatchObject({ ok: false, reason });
        if (bad !== undefined && !bad.ok) expect(bad.detail).toContain(detail);
    });
});

describe('schemas/sensor-reading.schema.json agrees with the parser', () => {
    it('validates its own examples, and the parser accepts them', () => {
        expect(schema.examples.length).toBeGreaterThanOrEqual(2);
        for (const ex of schema.examples) {
            expectWith(validate(ex), JSON.stringify(validate.errors)).toBe(true);
            expect(one(ex).ok).toBe(true);
        }
    });

    const cases: unknown[] = [
        EV,
        { ...EV, mmsi: undefined, imo: 9134270 },
        { ...EV, mmsi: null, imo: 9134270 },
        { ...EV, mmsi: null, imo: null },
        { ...EV, mmsi: null },
        { ...EV, mmsi: undefined },
        { ...EV, imo: null },
        { ...EV, mmsi: 999999999, imo: 9999999 },
        { ...EV, mmsi: 1e9 },
        { ...EV, mmsi: 1.5 },
        { ...EV, mmsi: '366764000' },
        { ...EV, imo: 999999 },
        { ...EV, sensorId: '' },
        { ...EV, sensorId: 'a' },
        { ...EV, sensorId: 'a'.repeat(64) },
        { ...EV, sensorId: 'a'.repeat(65) },
        { ...EV, sensorId: '-a' },
        { ...EV, sensorId: 'a b' },
        { ...EV, sensorId: 'a|b' },
        { ...EV, sensorId: 'ÄB' },
        { ...EV, sensorId: 'x.y_z:1-2' },
        { ...EV, quantity: '' },
        { ...EV, quantity: 'engine_temp' },
        { ...EV, quantity: '9x' },
        { ...EV, value: -1e300 },
        { ...EV, value: null },
        { ...EV, value: true },
        { ...EV, unit: 'x'.repeat(32) },
        { ...EV, unit: 'x'.repeat(33) },
        { ...EV, unit: '😀'.repeat(32) },
        { ...EV, unit: 'm³/h' },
        { ...EV, unit: 5 },
        { ...EV, timestamp: '2026-11-24T10:00:00.123456789-05:00' },
        { ...EV, timestamp: '2026-11-24T10:00:00' },
        { ...EV, timestamp: '2026-11-24T24:00:00Z' },
        { ...EV, timestamp: 1764000000000 },
        { ...EV, position: null },
        { ...EV, position: { lat: 90, lon: -180 } },
        { ...EV, position: { lat: 90.1, lon: 0 } },
        { ...EV, position: { lat: 0 } },
        { ...EV, position: { lat: '1', lon: 2 } },
        { ...EV, position: { lat: 1, lon: 2, x: 1 } },
        { ...EV, position: 'here' },
        { ...EV, position: [] },
        { ...EV, extra: 1 },
        { ...EV, type: 'sensor' },
        {},
        null,
        [],
        'x',
    ];

    it.each(cases.map((c) => [JSON.stringify(c), c]))('same decision for %s', (_label, c) => {
        const out = parseSensorEvents(JSON.stringify(c));
        if (Array.isArray(c))
            expect(out).toEqual([]); // an empty array body is zero events
        else expect(schemaOk(c)).toBe(validate(c));
    });

    it('same decision on generated events (fast-check)', () => {
        const anyVal = fc.oneof(
            { arbitrary: fc.integer({ min: -10, max: 1_000_000_001 }), weight: 4 },
            {
                arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
                weight: 2,
            },
            { arbitrary: fc.constant(null), weight: 2 },
            { arbitrary: fc.boolean(), weight: 1 },
            { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
            {
                arbitrary: fc.record({
                    lat: fc.double({ min: -95, max: 95, noNaN: true }),
                    lon: fc.integer(),
                }),
                weight: 1,
            },
        );
        const event = fc
            .record({
                mmsi: fc.option(fc.integer({ min: 0, max: 1_000_000_000 }), { freq: 4 }),
                imo: fc.option(fc.integer({ min: 999_990, max: 10_000_010 }), { freq: 2 }),
                sensorId: fc.oneof(
                    { arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,70}$/), weight: 4 },
                    { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
                ),
                quantity: fc.oneof(
                    {
                        arbitrary: fc.constantFrom('exhaust_temperature', 'wind_speed', 'nope', 'Bad', ''),
                        weight: 4,
                    },
                    { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
                ),
                value: fc.oneof(
                    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 5 },
                    { arbitrary: anyVal, weight: 1 },
                ),
                unit: fc.oneof(
                    { arbitrary: fc.constantFrom('degC', 'K', 'knots', 'bar', 'nope', ''), weight: 4 },
                    { arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }), weight: 1 },
                ),
                timestamp: fc.oneof(
                    {
                        arbitrary: fc
                            .date({
                                min: new Date('1990-01-01'),
                                max: new Date('2100-01-01'),
                                noInvalidDate: true,
                            })
                            .map((d) => d.toISOString()),
                        weight: 5,
                    },
                    { arbitrary: fc.constantFrom('2026-11-24T10:00:00+01:00', '2026-11-24', 'x'), weight: 1 },
                ),
                position: fc.option(
                    fc.oneof(
                        {
                            arbitrary: fc.record({
                                lat: fc.double({ min: -95, max: 95, noNaN: true }),
                                lon: fc.double({ min: -185, max: 185, noNaN: true }),
                            }),
                            weight: 5,
                        },
                        { arbitrary: anyVal, weight: 1 },
                    ),
                    { freq: 2 },
                ),
                extra: fc.oneof(
                    { arbitrary: fc.constant({}), weight: 4 },
                    {
                        arbitrary: fc.dictionary(
                            fc.constantFrom('foo', 'type', 'mmsi', 'imo', 'value'),
                            anyVal,
                            {
                                maxKeys: 2,
                            },
                        ),
                        weight: 1,
                    },
                ),
                drop: fc.oneof(
                    { arbitrary: fc.constant(null), weight: 6 },
                    {
                        arbitrary: fc.constantFrom(
                            'mmsi',
                            'imo',
                            'sensorId',
                            'quantity',
                            'value',
                            'unit',
                            'timestamp',
                        ),
                        weight: 1,
                    },
                ),
                omitNull: fc.boolean(),
            })
            .map(({ extra, drop, omitNull, ...base }) => {
                const o: Record<string, unknown> = { ...base, ...extra };
                if (drop !== null) delete o[drop];
                if (omitNull) for (const k of ['mmsi', 'imo', 'position']) if (o[k] === null) delete o[k];
                return o;
            });
        let accepted = 0;
        fc.assert(
            fc.property(event, (e) => {
                const ok = schemaOk(e);
                expect(ok).toBe(validate(e));
                if (ok) accepted++;
            }),
            { numRuns: 3000 },
        );
        expect(accepted).toBeGreaterThan(300);
    });
});
