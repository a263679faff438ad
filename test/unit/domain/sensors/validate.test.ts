import { describe, expect, it } from '@jest/globals';

import { SENSOR_FLAG_CODES, SENSOR_REASON_CODES } from '../../../../shared/domain/sensors/codes.js';
import { parseSensorEvents } from '../../../../shared/domain/sensors/parse.js';
import {
    sensorDedupeKey,
    sensorKeyOf,
    type SensorReading,
} from '../../../../shared/domain/sensors/reading.js';
import { QUANTITIES, QUANTITY_IDS } from '../../../../shared/domain/sensors/units.js';
import { validateReading } from '../../../../shared/domain/sensors/validate.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

const R: SensorReading = {
    vesselKey: 'mmsi:366764000',
    mmsi: 366764000,
    sensorId: 'SEA-T',
    quantity: 'sea_temperature',
    value: 12.5,
    unit: 'degC',
    rawValue: 12.5,
    rawUnit: 'degC',
    eventTime: NOW - 60_000,
};

const ctx = { now: NOW };

describe('validateReading', () => {
    it('accepts a plausible reading as is, without allocating a copy', () => {
        const r = validateReading(R, ctx);
        expect(r).toEqual({ ok: true, reading: R, flags: [] });
        if (r.ok) expect(r.reading).toBe(R);
    });

    it.each([
        ['sea_temperature', -2.1, 'SENSOR_OUT_OF_RANGE'],
        ['sea_temperature', -2, undefined],
        ['sea_temperature', 40, undefined],
        ['sea_temperature', 40.1, 'SENSOR_OUT_OF_RANGE'],
        ['humidity', 100, undefined],
        ['humidity', 100.5, 'SENSOR_OUT_OF_RANGE'],
        ['wind_direction', 359.9, undefined],
        ['wind_direction', 360, 'SENSOR_OUT_OF_RANGE'],
        ['wind_direction', -1, 'SENSOR_OUT_OF_RANGE'],
        ['fuel_sulphur', 5, undefined],
        ['fuel_sulphur', 5.01, 'SENSOR_OUT_OF_RANGE'],
        ['shaft_rpm', 3001, 'SENSOR_OUT_OF_RANGE'],
        ['shaft_rpm', -1, 'SENSOR_OUT_OF_RANGE'],
        ['air_pressure', 500, 'SENSOR_OUT_OF_RANGE'],
        ['engine_temperature', NaN, 'SENSOR_OUT_OF_RANGE'],
        ['engine_temperature', Infinity, 'SENSOR_OUT_OF_RANGE'],
    ] as const)('%s %d → %s', (quantity, value, reason) => {
        const unit = QUANTITIES[quantity].unit;
        const r = validateReading({ ...R, quantity, value, unit, rawValue: value, rawUnit: unit }, ctx);
        if (reason === undefined) expect(r.ok).toBe(true);
        else expect(r).toMatchObject({ ok: false, reason });
    });

    it('checks the range in canonical units and shows the raw value in the detail', () => {
        const [o] = parseSensorEvents(
            JSON.stringify({
                mmsi: 366764000,
                sensorId: 'SEA-T',
                quantity: 'sea_temperature',
                value: 320,
                unit: 'K',
                timestamp: '2026-11-24T11:00:00Z',
            }),
        );
        expect(o?.ok).toBe(true);
        if (!o?.ok) return;
        const r = validateReading(o.reading, ctx);
        expect(r).toMatchObject({ ok: false, reason: 'SENSOR_OUT_OF_RANGE' });
        if (!r.ok)
            expect(r.detail).toMatch(/sea_temperature 46\.8\d* degC \(sent as 320 K\) not -2\.\.40 degC/);
    });

    it('checks the event time', () => {
        expect(validateReading({ ...R, eventTime: NOW + 5 * 60_000 }, ctx).ok).toBe(true);
        expect(validateReading({ ...R, eventTime: NOW + 5 * 60_000 + 1 }, ctx)).toMatchObject({
            reason: 'EVENT_TIME_IN_FUTURE',
        });
        expect(
            validateReading({ ...R, eventTime: NOW + 60_000 }, { now: NOW, futureToleranceMs: 0 }),
        ).toMatchObject({
            reason: 'EVENT_TIME_IN_FUTURE',
        });
        expect(validateReading({ ...R, eventTime: 0 }, ctx).ok).toBe(true); // no maxAgeMs: any age
        expect(
            validateReading({ ...R, eventTime: NOW - 3_600_001 }, { now: NOW, maxAgeMs: 3_600_000 }),
        ).toMatchObject({
            reason: 'EVENT_TIME_TOO_OLD',
        });
        expect(validateReading({ ...R, eventTime: NaN }, ctx)).toMatchObject({
            reason: 'INVALID_EVENT_TIME',
        });
    });

    it('checks the vessel identifiers', () => {
        expect(validateReading({ ...R, mmsi: 0 }, ctx)).toMatchObject({ reason: 'INVALID_MMSI' });
        expect(validateReading({ ...R, mmsi: 1.5 }, ctx)).toMatchObject({ reason: 'INVALID_MMSI' });
        expect(validateReading({ ...R, mmsi: 123456789 }, ctx)).toMatchObject({
            ok: true,
            flags: ['UNKNOWN_MMSI_CLASS'],
        });
        // valid IMO kept; invalid IMO dropped (flag) when an MMSI names the vessel, rejected when it is the only id
        expect(validateReading({ ...R, imo: 9134270 }, ctx)).toMatchObject({
            ok: true,
            reading: { imo: 9134270 },
        });
        const dropped = validateReading({ ...R, imo: 9134271 }, ctx);
        expect(dropped).toMatchObject({ ok: true, flags: ['INVALID_IMO'] });
        if (dropped.ok) expect('imo' in dropped.reading).toBe(false);
        const imoOnly = { ...R, vesselKey: 'imo:9134271', imo: 9134271 };
        delete imoOnly.mmsi;
        expect(validateReading(imoOnly, ctx)).toMatchObject({ ok: false, reason: 'SENSOR_INVALID_IMO' });
        const noId = { ...R };
        delete noId.mmsi;
        expect(validateReading(noId, ctx)).toMatchObject({ ok: false, reason: 'INVALID_MMSI' });
    });

    it('drops a null-island position with a flag, never mutating the input', () => {
        const input = { ...R, position: { lat: 0, lon: 0 } };
        const r = validateReading(input, ctx);
        expect(r).toMatchObject({ ok: true, flags: ['NULL_ISLAND_POSITION'] });
        if (r.ok) expect(r.reading.position).toBeUndefined();
        expect(input.position).toEqual({ lat: 0, lon: 0 });
        expect(validateReading({ ...R, position: { lat: 0, lon: 1 } }, ctx)).toMatchObject({
            ok: true,
            flags: [],
        });
    });

    it('rejects an unknown quantity on a reading built elsewhere', () => {
        expect(validateReading({ ...R, quantity: 'x' as 'humidity' }, ctx)).toMatchObject({
            reason: 'SENSOR_UNKNOWN_QUANTITY',
        });
    });
});

describe('codes and keys', () => {
    it('every reason and flag has a description; plausible ranges exist for every quantity', () => {
        for (const d of [...Object.values(SENSOR_REASON_CODES), ...Object.values(SENSOR_FLAG_CODES)]) {
            expect(d.length).toBeGreaterThan(20);
        }
        expect(Object.keys(SENSOR_REASON_CODES)).toEqual(
            expect.arrayContaining([
                'SENSOR_JSON_MALFORMED',
                'SENSOR_SCHEMA',
                'SENSOR_OUT_OF_RANGE',
                'EVENT_TIME_IN_FUTURE',
                'EVENT_TIME_TOO_OLD',
            ]),
        );
        for (const q of QUANTITY_IDS) expect(Number.isFinite(QUANTITIES[q].max)).toBe(true);
    });

    it('sensor key and de-duplication key', () => {
        expect(sensorKeyOf(R)).toBe('mmsi:366764000|SEA-T|sea_temperature');
        expect(sensorDedupeKey(R)).toBe(`mmsi:366764000|SEA-T|sea_temperature|${NOW - 60_000}|12.5`);
        expect(sensorDedupeKey({ ...R, value: 12.6 })).not.toBe(sensorDedupeKey(R));
        const sentInKelvin: SensorReading = { ...R, rawValue: 285.65, rawUnit: 'K' };
        expect(sensorDedupeKey(sentInKelvin)).toBe(sensorDedupeKey(R));
    });
});
