import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
    normalise,
    QUANTITIES,
    QUANTITY_IDS,
    UNIT_TABLES,
    unitsFor,
} from '../../../../shared/domain/sensors/units.js';

function value(quantity: string, v: number, unit: string): number {
    const r = normalise(quantity, v, unit);
    if (!r.ok) throw new Error(r.detail);
    return r.value;
}

describe('QUANTITIES', () => {
    it('has one entry per id, a canonical unit that is the first of its dimension table, and a sane range', () => {
        for (const id of QUANTITY_IDS) {
            const spec = QUANTITIES[id];
            expect(spec.id).toBe(id);
            expect(Object.keys(UNIT_TABLES[spec.dimension])[0]).toBe(spec.unit);
            expect(spec.min).toBeLessThan(spec.max);
            expect(spec.resolution).toBeGreaterThan(0);
            expect(normalise(id, 1, spec.unit)).toEqual({ ok: true, value: 1, unit: spec.unit });
        }
    });

    it('uses the canonical units the README documents', () => {
        expect(Object.fromEntries(QUANTITY_IDS.map((id) => [id, QUANTITIES[id].unit]))).toEqual({
            engine_temperature: 'degC',
            exhaust_temperature: 'degC',
            shaft_rpm: 'rpm',
            shaft_power: 'kW',
            fuel_mass_flow: 'kg/h',
            fuel_volume_flow: 'L/h',
            fuel_sulphur: '%',
            co2_concentration: 'ppm',
            co2_mass_rate: 'kg/h',
            so2_concentration: 'ppm',
            so2_mass_rate: 'kg/h',
            nox_concentration: 'ppm',
            nox_mass_rate: 'kg/h',
            air_temperature: 'degC',
            sea_temperature: 'degC',
            wind_speed: 'knots',
            wind_direction: 'deg',
            wave_height: 'm',
            air_pressure: 'hPa',
            humidity: '%',
            vibration_rms: 'mm/s',
            filter_pressure_drop: 'hPa',
        });
    });
});

describe('normalise', () => {
    it.each([
        ['exhaust_temperature', 700, 'K', 426.85],
        ['sea_temperature', 212, 'degF', 100],
        ['air_temperature', -40, '°F', -40],
        ['engine_temperature', 90, '°C', 90],
        ['shaft_rpm', 1.5, 'r/s', 90],
        ['shaft_power', 12.5, 'MW', 12_500],
        ['shaft_power', 2500, 'W', 2.5],
        ['shaft_power', 1000, 'hp', 745.6998715822702],
        ['shaft_power', 1000, 'PS', 735.49875],
        ['fuel_mass_flow', 1.2, 't/h', 1200],
        ['fuel_mass_flow', 100, 'g/s', 360],
        ['fuel_mass_flow', 24, 't/d', 1000],
        ['co2_mass_rate', 2, 'kg/s', 7200],
        ['fuel_volume_flow', 1.5, 'm3/h', 1500],
        ['fuel_volume_flow', 10, 'L/min', 600],
        ['fuel_sulphur', 0.005, 'fraction', 0.5],
        ['fuel_sulphur', 1000, 'ppm', 0.1],
        ['co2_concentration', 4.5, '%', 45_000],
        ['so2_concentration', 0.0001, 'fraction', 100],
        ['nox_concentration', 2500, 'ppb', 2.5],
        ['humidity', 0.65, 'fraction', 65],
        ['humidity', 65, '%RH', 65],
        ['wind_speed', 10, 'm/s', 19.438444924406046],
        ['wind_speed', 1.852, 'km/h', 1],
        ['wind_speed', 12, 'kn', 12],
        ['wind_direction', Math.PI, 'rad', 180],
        ['wind_direction', 360, 'deg', 0],
        ['wave_height', 10, 'ft', 3.048],
        ['air_pressure', 1.01325, 'bar', 1013.25],
        ['air_pressure', 101.325, 'kPa', 1013.25],
        ['air_pressure', 101325, 'Pa', 1013.25],
        ['air_pressure', 1000, 'mbar', 1000],
        ['air_pressure', 29.92, 'inHg', 1013.2075],
        ['air_pressure', 1, 'atm', 1013.25],
        ['vibration_rms', 0.25, 'in/s', 6.35],
        ['filter_pressure_drop', 0.8, 'bar', 800],
    ])('%s %d %s', (quantity, v, unit, expected) => {
        const r = normalise(quantity, v, unit);
        expect(r).toMatchObject({ ok: true, unit: QUANTITIES[quantity as keyof typeof QUANTITIES].unit });
        if (r.ok) expect(r.value).toBeCloseTo(expected, 4);
    });

    it('never guesses: unknown quantity, unknown unit, unit of another dimension', () => {
        expect(normalise('engine_temp', 90, 'degC')).toMatchObject({ ok: false, reason: 'UNKNOWN_QUANTITY' });
        expect(normalise('constructor', 90, 'degC')).toMatchObject({ ok: false, reason: 'UNKNOWN_QUANTITY' });
        expect(normalise('engine_temperature', 90, 'celsius')).toMatchObject({
            ok: false,
            reason: 'UNKNOWN_UNIT',
            detail: expect.stringContaining(
                'accepted for engine_temperature: degC, °C, K, degF, °F',
            ) as unknown,
        });
        expect(normalise('engine_temperature', 90, 'degc')).toMatchObject({ reason: 'UNKNOWN_UNIT' });
        expect(normalise('engine_temperature', 90, 'toString')).toMatchObject({ reason: 'UNKNOWN_UNIT' });
        expect(normalise('shaft_power', 1, 'mW')).toMatchObject({ reason: 'UNKNOWN_UNIT' });
        expect(normalise('air_pressure', 90, 'degC')).toMatchObject({ ok: false, reason: 'UNIT_MISMATCH' });
        expect(normalise('wind_speed', 3, 'm')).toMatchObject({ reason: 'UNIT_MISMATCH' });
        expect(normalise('fuel_mass_flow', 3, 'L/h')).toMatchObject({ reason: 'UNIT_MISMATCH' });
        expect(normalise('humidity', 3, 'ppm')).toMatchObject({ reason: 'UNIT_MISMATCH' });
        const mg = normalise('so2_concentration', 40, 'mg/m3');
        expect(mg).toMatchObject({ ok: false, reason: 'UNIT_MISMATCH' });
        if (!mg.ok) expect(mg.detail).toContain('molar mass');
    });

    it('"%" and "fraction" convert per dimension', () => {
        expect(value('fuel_sulphur', 0.5, '%')).toBe(0.5);
        expect(value('co2_concentration', 0.5, '%')).toBe(5000);
        expect(value('humidity', 0.5, '%')).toBe(0.5);
        expect(unitsFor('humidity')).toEqual(['%', '%RH', 'fraction']);
        expect(unitsFor('nope')).toEqual([]);
    });

    it('every non-canonical unit round-trips through its inverse (property)', () => {
        const pairs = QUANTITY_IDS.flatMap((q) => unitsFor(q).map((u) => [q, u] as const));
        fc.assert(
            fc.property(
                fc.constantFrom(...pairs),
                fc.double({ min: -1e6, max: 1e6, noNaN: true }),
                ([q, u], v) => {
                    const c = UNIT_TABLES[QUANTITIES[q].dimension][u]!;
                    const canonical = value(q, v, u);
                    if (QUANTITIES[q].circular === true && canonical === 0 && v !== 0) return; // 360 → 0
                    const back = (canonical * (c.div ?? 1)) / (c.mul ?? 1) - (c.add ?? 0);
                    expect(Math.abs(back - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
                },
            ),
        );
    });
});
