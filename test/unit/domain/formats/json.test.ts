import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';

import { parseJsonEvents, parseTimestamp } from '../../../../shared/domain/formats/json.js';
import { expectWith } from '../../../helpers/expectWith.js';

const schemaPath = new URL('../../../../schemas/ais-event.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { examples: unknown[] };
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

const POS = { type: 'position', mmsi: 366764000, timestamp: '2026-11-24T10:00:00Z', lat: 43.07, lon: -70.71 };
const STATIC = {
    type: 'static',
    mmsi: 351759000,
    timestamp: '2026-11-24T10:00:05.250Z',
    imo: 9134270,
    name: 'EVER DIADEM',
};

function one(v: unknown) {
    const out = parseJsonEvents(JSON.stringify(v));
    expect(out).toHaveLength(1);
    return out[0]!;
}

describe('parseJsonEvents', () => {
    it('maps a full position event', () => {
        const o = one({
            ...POS,
            sog: 12.3,
            cog: 224,
            heading: 215,
            navStatus: 0,
            rot: -3.5,
            accuracy: true,
            aisClass: 'A',
            station: 'rX',
        });
        expect(o).toMatchObject({
            ok: true,
            record: {
                kind: 'position',
                mmsi: 366764000,
                eventTime: Date.UTC(2026, 10, 24, 10, 0, 0),
                format: 'json',
                lat: 43.07,
                lon: -70.71,
                sog: 12.3,
                cog: 224,
                heading: 215,
                navStatus: 0,
                rot: -3.5,
                accuracy: true,
                aisClass: 'A',
                station: 'rX',
            },
        });
    });

    it('maps a static event; null means absent; length/width derived from dimensions', () => {
        const o = one({
            ...STATIC,
            callSign: '3FOF8',
            shipType: 70,
            toBow: 225,
            toStern: 70,
            toPort: 1,
            toStarboard: 31,
            draught: 12.2,
            destination: null,
            eta: '05-15T14:00Z',
        });
        expect(o.ok).toBe(true);
        if (!o.ok) return;
        expect(o.record).toEqual({
            kind: 'static',
            mmsi: 351759000,
            eventTime: Date.UTC(2026, 10, 24, 10, 0, 5, 250),
            format: 'json',
            imo: 9134270,
            name: 'EVER DIADEM',
            callSign: '3FOF8',
            shipType: 70,
            toBow: 225,
            toStern: 70,
            toPort: 1,
            toStarboard: 31,
            length: 295,
            width: 32,
            draught: 12.2,
            eta: '05-15T14:00Z',
        });
    });

    it('accepts an array and JSON lines, one outcome per event', () => {
        expect(parseJsonEvents(JSON.stringify([POS, STATIC, { ...POS, lat: 95 }])).map((o) => o.ok)).toEqual([
            true,
            true,
            false,
        ]);
        const jsonl = `${JSON.stringify(POS)}\n\n{"type":"position",\n${JSON.stringify(STATIC)}\r\n`;
        const out = parseJsonEvents(jsonl);
        expect(out.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['ok', 'JSON_MALFORMED', 'ok']);
        expect(out[1]).toMatchObject({ raw: '{"type":"position",' });
        expect(parseJsonEvents('  \n ')).toEqual([]);
        expect(parseJsonEvents('[]')).toEqual([]);
    });

    it('accepts a pretty-printed single object', () => {
        expect(parseJsonEvents(JSON.stringify(POS, null, 2)).map((o) => o.ok)).toEqual([true]);
    });

    it('converts timestamp offsets and fractions to epoch ms, rejects impossible dates', () => {
        expect(parseTimestamp('2026-11-24T12:30:00.123456+02:30')).toBe(
            Date.UTC(2026, 10, 24, 10, 0, 0, 123),
        );
        expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
        expect(parseTimestamp('2026-02-29T00:00:00Z')).toBeUndefined();
        expect(one({ ...POS, timestamp: '2026-02-30T00:00:00Z' })).toMatchObject({
            ok: false,
            reason: 'JSON_SCHEMA',
            detail: expect.stringContaining('"timestamp"') as unknown,
        });
    });

    it.each([
        ['{"type":"position"', 'JSON_MALFORMED', 'not valid JSON'],
        ['[1,', 'JSON_MALFORMED', 'not valid JSON'],
        ['42', 'JSON_SCHEMA', 'expected an object, got 42 (number)'],
        [
            JSON.stringify({ ...POS, type: 'pos' }),
            'JSON_SCHEMA',
            'field "type": expected "position" or "static", got "pos" (string)',
        ],
        [
            JSON.stringify({ ...POS, lat: undefined }),
            'JSON_SCHEMA',
            'field "lat": required, expected number -90 <= x <= 90, got nothing',
        ],
        [
            JSON.stringify({ ...POS, sog: '12' }),
            'JSON_SCHEMA',
            'field "sog": expected number 0 <= x <= 102.2 or null, got "12" (string)',
        ],
        [
            JSON.stringify({ ...POS, cog: 360 }),
            'JSON_SCHEMA',
            'field "cog": expected number 0 <= x < 360 or null, got 360 (number)',
        ],
        [
            JSON.stringify({ ...POS, heading: 12.5 }),
            'JSON_SCHEMA',
            'field "heading": expected integer 0 <= x <= 359 or null, got 12.5',
        ],
        [JSON.stringify({ ...POS, speed: 3 }), 'JSON_SCHEMA', 'field "speed": unknown field'],
        [
            JSON.stringify({ ...POS, timestamp: '2026-11-24 10:00:00' }),
            'JSON_SCHEMA',
            'field "timestamp": expected date-time',
        ],
        [
            JSON.stringify({ ...STATIC, imo: 123 }),
            'JSON_SCHEMA',
            'field "imo": expected integer 1000000 <= x <= 9999999 or null, got 123',
        ],
        [JSON.stringify({ ...STATIC, eta: '13-01T00:00Z' }), 'JSON_SCHEMA', 'field "eta"'],
        [JSON.stringify([POS, 'x']), 'JSON_SCHEMA', '[1]: expected an object'],
        [
            JSON.stringify([{ ...POS, mmsi: 0 }]),
            'JSON_SCHEMA',
            'field "[0].mmsi": expected integer 1 <= x <= 999999999, got 0',
        ],
    ])('rejects %s', (body, reason, detail) => {
        const out = parseJsonEvents(body);
        const bad = out.find((o) => !o.ok);
        expect(bad).toMatchObject({ ok: false, reason });
        if (bad !== undefined && !bad.ok) expect(bad.detail).toContain(detail);
    });
});

describe('schemas/ais-event.schema.json agrees with the parser', () => {
    it('validates its own examples, and the parser accepts them', () => {
        expect(schema.examples.length).toBeGreaterThanOrEqual(2);
        for (const ex of schema.examples) {
            expectWith(validate(ex), JSON.stringify(validate.errors)).toBe(true);
            expect(one(ex).ok).toBe(true);
        }
    });

    const cases: unknown[] = [
        POS,
        STATIC,
        {
            ...POS,
            sog: null,
            cog: null,
            heading: null,
            rot: null,
            navStatus: null,
            accuracy: null,
            aisClass: null,
            station: null,
        },
        { ...POS, lat: 90, lon: -180, sog: 102.2, cog: 359.9, heading: 359, navStatus: 15, rot: 720 },
        { ...POS, lat: 90.0001 },
        { ...POS, lon: 180.5 },
        { ...POS, sog: -0.1 },
        { ...POS, sog: 102.3 },
        { ...POS, cog: 360 },
        { ...POS, heading: 360 },
        { ...POS, heading: 1.5 },
        { ...POS, navStatus: 16 },
        { ...POS, accuracy: 1 },
        { ...POS, aisClass: 'C' },
        { ...POS, station: '' },
        { ...POS, station: 'x'.repeat(65) },
        { ...POS, station: '😀'.repeat(64) },
        { ...POS, mmsi: 1e9 },
        { ...POS, mmsi: '366764000' },
        { ...POS, mmsi: 366764000.0 },
        { ...POS, timestamp: '2026-11-24T10:00:00.123456789-05:00' },
        { ...POS, timestamp: '2026-11-24T10:00:00' },
        { ...POS, timestamp: '2026-13-01T10:00:00Z' },
        { ...POS, timestamp: '2026-11-24T24:00:00Z' },
        { ...POS, timestamp: '2026-11-24T10:00:60Z' },
        { ...POS, timestamp: '2026-11-24t10:00:00z' },
        { ...POS, extra: 1 },
        { ...POS, imo: 9134270 },
        { type: 'position', mmsi: 1, timestamp: '2026-11-24T10:00:00Z', lat: 0 },
        {
            ...STATIC,
            imo: null,
            name: null,
            callSign: null,
            shipType: null,
            length: null,
            width: null,
            draught: null,
            destination: null,
            eta: null,
        },
        { ...STATIC, shipType: 0, length: 0.1, width: 1000, draught: 50, toBow: 0, toStern: 1000 },
        { ...STATIC, length: 0 },
        { ...STATIC, draught: 0 },
        { ...STATIC, draught: 50.1 },
        { ...STATIC, name: '' },
        { ...STATIC, callSign: 'X'.repeat(17) },
        { ...STATIC, shipType: 100 },
        { ...STATIC, eta: '05-15T14:00Z' },
        { ...STATIC, eta: '2026-12-01T06:00:00Z' },
        { ...STATIC, eta: '05-15T14:00' },
        { ...STATIC, eta: '00-00T24:60Z' },
        { ...STATIC, toPort: -1 },
        { ...STATIC, lat: 1 },
        { type: 'static', mmsi: 5 },
        { type: 'other', mmsi: 5, timestamp: '2026-11-24T10:00:00Z' },
        {},
        null,
        'position',
    ];

    it.each(cases.map((c) => [JSON.stringify(c), c]))('same decision for %s', (_label, c) => {
        expect(one(c).ok).toBe(validate(c));
    });

    it('same decision on generated events (fast-check)', () => {
        const num = fc.oneof(
            { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 6 },
            {
                arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }),
                weight: 2,
            },
            { arbitrary: fc.integer({ min: -10, max: 1_000_000_000 }), weight: 1 },
            {
                arbitrary: fc.constantFrom(
                    0,
                    1,
                    15,
                    16,
                    90,
                    91,
                    102.2,
                    102.3,
                    359,
                    360,
                    511,
                    1000,
                    1000000,
                    9999999,
                ),
                weight: 2,
            },
        );
        const anyVal = fc.oneof(
            { arbitrary: num, weight: 6 },
            { arbitrary: fc.constant(null), weight: 2 },
            { arbitrary: fc.boolean(), weight: 1 },
            { arbitrary: fc.constantFrom('', 'A', 'B', 'x'), weight: 1 },
            { arbitrary: fc.string({ maxLength: 20 }), weight: 2 },
        );
        const ts = fc.oneof(
            {
                arbitrary: fc
                    .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
                    .map((d) => d.toISOString()),
                weight: 5,
            },
            {
                arbitrary: fc.constantFrom(
                    '2026-11-24T10:00:00+01:00',
                    '2026-11-24T10:00:00',
                    '2026-11-24',
                    '05-15T14:00Z',
                    '2026-11-24T10:00:00.1234567890Z',
                ),
                weight: 1,
            },
        );
        const positionKeys = [
            'sog',
            'cog',
            'heading',
            'rot',
            'navStatus',
            'accuracy',
            'aisClass',
            'station',
            'imo',
            'foo',
        ];
        const staticKeys = [
            'imo',
            'name',
            'callSign',
            'shipType',
            'length',
            'width',
            'toBow',
            'toStern',
            'toPort',
            'toStarboard',
            'draught',
            'destination',
            'eta',
            'aisClass',
            'station',
            'lat',
        ];
        const event = fc
            .record({
                type: fc.oneof(
                    { arbitrary: fc.constantFrom('position', 'static'), weight: 9 },
                    { arbitrary: fc.constant('x'), weight: 1 },
                ),
                mmsi: fc.oneof(
                    { arbitrary: fc.integer({ min: 0, max: 1_000_000_000 }), weight: 9 },
                    { arbitrary: fc.constant('1'), weight: 1 },
                ),
                timestamp: ts,
                lat: fc.double({ min: -95, max: 95, noNaN: true }),
                lon: fc.double({ min: -185, max: 185, noNaN: true }),
                extra: fc.dictionary(
                    fc.constantFrom(...positionKeys, ...staticKeys),
                    fc.oneof({ arbitrary: anyVal, weight: 4 }, { arbitrary: ts, weight: 1 }),
                    { maxKeys: 3 },
                ),
                drop: fc.option(fc.constantFrom('mmsi', 'timestamp', 'lat', 'lon'), { freq: 8 }),
            })
            .map(({ extra, drop, ...base }) => {
                const o: Record<string, unknown> = { ...base, ...extra };
                if (base.type === 'static') {
                    delete o.lat;
                    delete o.lon;
                    Object.assign(o, extra);
                }
                if (drop !== null) delete o[drop];
                return o;
            });
        let accepted = 0;
        fc.assert(
            fc.property(event, (e) => {
                const ok = one(e).ok;
                expect(ok).toBe(validate(e));
                if (ok) accepted++;
            }),
            { numRuns: 3000 },
        );
        // Not vacuous: a fair share of the generated events is valid.
        expect(accepted).toBeGreaterThan(100);
    });
});
