import { describe, expect, it } from '@jest/globals';

import type {
    OtherAisMessage,
    PositionReport,
    StaticReport,
    VesselRecord,
} from '../../../../shared/domain/records.js';
import {
    FLAG_CODES,
    REASON_CODES,
    validateRecord,
    type ValidationContext,
} from '../../../../shared/domain/validation/rules.js';

const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);
const CTX: ValidationContext = { now: NOW };

const positionFactory = (over: Partial<PositionReport> = {}): PositionReport => ({
    kind: 'position',
    format: 'nmea',
    mmsi: 211476060,
    msgType: 1,
    eventTime: NOW - 1000,
    lat: 54.3,
    lon: 10.1,
    sog: 12.3,
    cog: 90.5,
    heading: 91,
    navStatus: 0,
    ...over,
});

const staticFactory = (over: Partial<StaticReport> = {}): StaticReport => ({
    kind: 'static',
    format: 'nmea',
    mmsi: 211476060,
    msgType: 5,
    eventTime: NOW - 1000,
    imo: 9134270,
    name: 'NORDIC STAR',
    callSign: 'DABC',
    shipType: 70,
    toBow: 100,
    toStern: 20,
    toPort: 10,
    toStarboard: 12,
    draught: 8.5,
    ...over,
});

const otherFactory = (over: Partial<OtherAisMessage> = {}): OtherAisMessage => ({
    kind: 'other',
    format: 'nmea',
    mmsi: 2573425,
    msgType: 4,
    eventTime: NOW - 1000,
    fields: { type: 4, mmsi: 2573425 },
    ...over,
});

describe('REASON_CODES and FLAG_CODES', () => {
    it('keep their documented, stable codes', () => {
        expect(Object.keys(REASON_CODES)).toEqual([
            'INVALID_MMSI',
            'INVALID_EVENT_TIME',
            'EVENT_TIME_IN_FUTURE',
            'EVENT_TIME_TOO_OLD',
            'POSITION_UNAVAILABLE',
            'INVALID_COORDINATES',
            'INVALID_SPEED',
            'INVALID_COURSE',
            'INVALID_HEADING',
            'INVALID_DIMENSIONS',
        ]);
        expect(Object.keys(FLAG_CODES)).toEqual([
            'INVALID_IMO',
            'IMPLAUSIBLE_SPEED',
            'IMPLAUSIBLE_JUMP',
            'INVALID_NAV_STATUS',
            'INVALID_SHIP_TYPE',
            'UNKNOWN_MMSI_CLASS',
            'UNALLOCATED_MID',
            'NO_EVENT_TIME',
        ]);
        for (const text of [...Object.values(REASON_CODES), ...Object.values(FLAG_CODES)]) {
            expect(text.length).toBeGreaterThan(20);
        }
    });
});

describe('validateRecord', () => {
    it.each<[string, VesselRecord]>([
        ['a position report', positionFactory()],
        ['a static report', staticFactory()],
        ['a base station report', otherFactory()],
        ['a position on the poles and the antimeridian', positionFactory({ lat: 90, lon: 180 })],
        ['a position on the equator', positionFactory({ lat: 0, lon: 10 })],
        ['a position on the prime meridian', positionFactory({ lat: 10, lon: 0 })],
        ['limits of sog, cog and heading', positionFactory({ sog: 0, cog: 359.9, heading: 359 })],
        [
            'a position without sog, cog, heading',
            positionFactory({ sog: undefined, cog: undefined, heading: undefined }),
        ],
        ['zero dimensions', staticFactory({ toBow: 0, toStern: 0, toPort: 0, toStarboard: 0, draught: 0 })],
        ['an event time at the future tolerance', positionFactory({ eventTime: NOW + 5 * 60_000 })],
        [
            'a ten-year-old event time when maxAgeMs is unset',
            positionFactory({ eventTime: NOW - 10 * 365 * 86_400_000 }),
        ],
    ])('accepts %s unchanged and without flags', (_name, record) => {
        // Act
        const result = validateRecord(record, CTX);

        // Assert
        expect(result).toEqual({ ok: true, record, flags: [] });
        expect(result.ok && result.record).toBe(record);
    });

    it.each<[string, VesselRecord, ValidationContext, string]>([
        ['INVALID_MMSI', positionFactory({ mmsi: 0 }), CTX, 'mmsi 0 is not 1..999999999'],
        [
            'INVALID_MMSI',
            positionFactory({ mmsi: 1_000_000_000 }),
            CTX,
            'mmsi 1000000000 is not 1..999999999',
        ],
        ['INVALID_MMSI', otherFactory({ mmsi: 12.5 }), CTX, 'mmsi 12.5 is not 1..999999999'],
        ['INVALID_EVENT_TIME', positionFactory({ eventTime: Number.NaN }), CTX, 'eventTime NaN'],
        [
            'EVENT_TIME_IN_FUTURE',
            positionFactory({ eventTime: NOW + 300_001 }),
            CTX,
            `eventTime ${NOW + 300_001} is 300001 ms after now ${NOW}`,
        ],
        [
            'EVENT_TIME_IN_FUTURE',
            staticFactory({ eventTime: NOW + 1001 }),
            { now: NOW, futureToleranceMs: 1000 },
            `eventTime ${NOW + 1001} is 1001 ms after now ${NOW}`,
        ],
        [
            'EVENT_TIME_TOO_OLD',
            positionFactory({ eventTime: NOW - 86_400_001 }),
            { now: NOW, maxAgeMs: 86_400_000 },
            `eventTime ${NOW - 86_400_001} is 86400001 ms before now ${NOW}`,
        ],
        [
            'EVENT_TIME_TOO_OLD',
            otherFactory({ eventTime: NOW - 2 }),
            { now: NOW, maxAgeMs: 1 },
            `eventTime ${NOW - 2} is 2 ms before now ${NOW}`,
        ],
        [
            'POSITION_UNAVAILABLE',
            positionFactory({ lat: undefined, lon: undefined }),
            CTX,
            'lat and lon not available',
        ],
        ['POSITION_UNAVAILABLE', positionFactory({ lat: undefined }), CTX, 'lat not available'],
        ['POSITION_UNAVAILABLE', positionFactory({ lon: undefined }), CTX, 'lon not available'],
        ['INVALID_COORDINATES', positionFactory({ lat: 91 }), CTX, 'lat 91 lon 10.1 out of range'],
        ['INVALID_COORDINATES', positionFactory({ lat: -90.5 }), CTX, 'lat -90.5 lon 10.1 out of range'],
        ['INVALID_COORDINATES', positionFactory({ lon: 181 }), CTX, 'lat 54.3 lon 181 out of range'],
        ['INVALID_COORDINATES', positionFactory({ lon: -180.01 }), CTX, 'lat 54.3 lon -180.01 out of range'],
        ['INVALID_COORDINATES', positionFactory({ lat: Number.NaN }), CTX, 'lat NaN lon 10.1 out of range'],
        ['INVALID_COORDINATES', positionFactory({ lat: 0, lon: 0 }), CTX, 'lat 0 lon 0 ("null island")'],
        ['INVALID_SPEED', positionFactory({ sog: 102.3 }), CTX, 'sog 102.3 not 0..102.2'],
        ['INVALID_SPEED', positionFactory({ sog: -0.1 }), CTX, 'sog -0.1 not 0..102.2'],
        ['INVALID_SPEED', positionFactory({ sog: Number.NaN }), CTX, 'sog NaN not 0..102.2'],
        ['INVALID_COURSE', positionFactory({ cog: 360 }), CTX, 'cog 360 not 0..<360'],
        ['INVALID_COURSE', positionFactory({ cog: -1 }), CTX, 'cog -1 not 0..<360'],
        ['INVALID_HEADING', positionFactory({ heading: 360 }), CTX, 'heading 360 not 0..<360'],
        ['INVALID_HEADING', positionFactory({ heading: -1 }), CTX, 'heading -1 not 0..<360'],
        ['INVALID_DIMENSIONS', staticFactory({ toBow: -1 }), CTX, 'toBow -1 is negative or not a number'],
        [
            'INVALID_DIMENSIONS',
            staticFactory({ draught: Number.NaN }),
            CTX,
            'draught NaN is negative or not a number',
        ],
        [
            'INVALID_DIMENSIONS',
            staticFactory({ length: Number.POSITIVE_INFINITY }),
            CTX,
            'length Infinity is negative or not a number',
        ],
    ])('rejects with %s: %j', (reason, record, ctx, detail) => {
        expect(validateRecord(record, ctx)).toEqual({ ok: false, reason, detail });
    });

    it.each<[string, VesselRecord, string[]]>([
        ['an SOG above 80 kn', positionFactory({ sog: 80.1 }), ['IMPLAUSIBLE_SPEED']],
        ['the AIS maximum SOG', positionFactory({ sog: 102.2 }), ['IMPLAUSIBLE_SPEED']],
        ['an MMSI of no M.585 format', positionFactory({ mmsi: 123456789 }), ['UNKNOWN_MMSI_CLASS']],
        ['an unallocated MID', positionFactory({ mmsi: 299123456 }), ['UNALLOCATED_MID']],
        ['an unallocated MID of a coast station', otherFactory({ mmsi: 2991234 }), ['UNALLOCATED_MID']],
        ['no event time', positionFactory({ eventTime: undefined }), ['NO_EVENT_TIME']],
        [
            'several findings',
            positionFactory({ mmsi: 123456789, eventTime: undefined, sog: 90 }),
            ['UNKNOWN_MMSI_CLASS', 'NO_EVENT_TIME', 'IMPLAUSIBLE_SPEED'],
        ],
    ])('accepts %s with flags', (_name, record, flags) => {
        expect(validateRecord(record, CTX)).toEqual({ ok: true, record, flags });
    });

    it.each<[number, number | undefined, string[]]>([
        [80, undefined, []],
        [80.1, undefined, ['IMPLAUSIBLE_SPEED']],
        [81, 85, []],
        [86, 85, ['IMPLAUSIBLE_SPEED']],
    ])('flags sog %d against plausibleSpeedKnots %s', (sog, plausibleSpeedKnots, flags) => {
        const record = positionFactory({ sog });
        expect(validateRecord(record, { now: NOW, plausibleSpeedKnots })).toEqual({
            ok: true,
            record,
            flags,
        });
    });

    it('does not flag a fast SAR aircraft', () => {
        const record = positionFactory({ mmsi: 111232506, sog: 102.2 });
        expect(validateRecord(record, CTX)).toEqual({ ok: true, record, flags: [] });
    });

    it.each<[string, StaticReport, keyof StaticReport, string[]]>([
        ['a bad IMO check digit', staticFactory({ imo: 9134271 }), 'imo', ['INVALID_IMO']],
        ['a six-digit IMO', staticFactory({ imo: 913427 }), 'imo', ['INVALID_IMO']],
        ['IMO 0 (not available), silently', staticFactory({ imo: 0 }), 'imo', []],
        ['a ship type above 255', staticFactory({ shipType: 256 }), 'shipType', ['INVALID_SHIP_TYPE']],
        ['a fractional ship type', staticFactory({ shipType: 70.5 }), 'shipType', ['INVALID_SHIP_TYPE']],
    ])('drops the field and keeps the record for %s', (_name, record, field, flags) => {
        // Arrange
        const before = structuredClone(record);

        // Act
        const result = validateRecord(record, CTX);

        // Assert
        const expected = { ...record };
        delete expected[field];
        expect(result).toEqual({ ok: true, record: expected, flags });
        expect(result.ok && field in result.record).toBe(false);
        expect(record).toEqual(before);
    });

    it.each([16, -1, 3.5])('drops navigational status %s with INVALID_NAV_STATUS', (navStatus) => {
        const record = positionFactory({ navStatus });
        const { navStatus: _dropped, ...expected } = record;
        expect(validateRecord(record, CTX)).toEqual({
            ok: true,
            record: expected,
            flags: ['INVALID_NAV_STATUS'],
        });
        expect(record.navStatus).toBe(navStatus);
    });

    it('accepts ship types 100..255, which occur in the wild and mean "not available"', () => {
        const record = staticFactory({ shipType: 255 });
        expect(validateRecord(record, CTX)).toEqual({ ok: true, record, flags: [] });
    });

    it('accepts any valid-shaped MMSI for other messages', () => {
        const record = otherFactory({ mmsi: 1234 });
        expect(validateRecord(record, CTX)).toEqual({ ok: true, record, flags: ['UNKNOWN_MMSI_CLASS'] });
    });
});
