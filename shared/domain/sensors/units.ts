/**
 * Sensor quantities, their canonical units, and an explicit unit conversion table. Pure, no I/O.
 *
 * Every quantity has exactly one canonical unit; readings are stored, compared with thresholds and fed to the
 * running statistics in that unit only. A unit is accepted for a quantity only when it is listed in the table
 * of the quantity's dimension: an unknown quantity or unit is a quarantine reason, never a guess. Unit
 * symbols are matched exactly (case-sensitive: `MW` is not `mW`, `Pa` is not `PA`), without trimming.
 *
 * Decisions:
 * - `%` and `fraction` mean different things per dimension: mass fraction for fuel sulphur (% m/m), volume
 *   fraction for exhaust gas concentrations (1 % = 10 000 ppm), relative humidity (% RH). Each dimension has
 *   its own table, so the same symbol converts correctly for each quantity.
 * - Mass concentrations (`mg/m3`, `mg/Nm3`, `g/m3`) are known units but are NOT converted to ppm: that needs the
 *   gas's molar mass and the reference conditions (temperature, pressure, dry or wet, O2 reference) of the
 *   analyser, which the event does not carry. Such readings are quarantined as UNIT_MISMATCH with that
 *   explanation; the producer converts at the analyser, or a quantity with a mass-concentration canonical unit
 *   is added later.
 * - `hp` is the mechanical (imperial) horsepower, 745.699872 W; the metric horsepower is `PS` (735.49875 W).
 * - `inHg` is the conventional inch of mercury (3386.389 Pa), `mmHg` 133.322 Pa.
 * - A wind direction of exactly 360 (north in the meteorological convention) is stored as 0.
 */

/** Quantity ids (stable: they are part of the event contract and of silver rows). */
export const QUANTITY_IDS = [
    'engine_temperature',
    'exhaust_temperature',
    'shaft_rpm',
    'shaft_power',
    'fuel_mass_flow',
    'fuel_volume_flow',
    'fuel_sulphur',
    'co2_concentration',
    'co2_mass_rate',
    'so2_concentration',
    'so2_mass_rate',
    'nox_concentration',
    'nox_mass_rate',
    'air_temperature',
    'sea_temperature',
    'wind_speed',
    'wind_direction',
    'wave_height',
    'air_pressure',
    'humidity',
    'vibration_rms',
    'filter_pressure_drop',
] as const;

export type QuantityId = (typeof QUANTITY_IDS)[number];

/** Physical dimensions; each has one table of accepted unit symbols. */
export type Dimension =
    | 'temperature'
    | 'rotational_speed'
    | 'power'
    | 'mass_flow'
    | 'volume_flow'
    | 'mass_fraction'
    | 'volume_fraction'
    | 'mass_concentration'
    | 'speed'
    | 'angle'
    | 'length'
    | 'pressure'
    | 'relative_humidity'
    | 'vibration_velocity';

export interface QuantitySpec {
    id: QuantityId;
    /** The canonical unit symbol. */
    unit: string;
    dimension: Dimension;
    /** Plausible range in the canonical unit; outside it a reading is quarantined (SENSOR_OUT_OF_RANGE). */
    min: number;
    max: number;
    /** When true the range is min <= x < max (directions). */
    maxExclusive?: boolean;
    /** An angle (0 = 360): arithmetic means and z-scores are not meaningful without circular statistics. */
    circular?: boolean;
    /** Typical sensor resolution in the canonical unit: a sensible `minStd` for anomaly detection. */
    resolution: number;
    description: string;
}

const q = (
    id: QuantityId,
    unit: string,
    dimension: Dimension,
    min: number,
    max: number,
    resolution: number,
    description: string,
    extra?: Pick<QuantitySpec, 'maxExclusive' | 'circular'>,
): QuantitySpec => Object.freeze({ id, unit, dimension, min, max, resolution, description, ...extra });

/** The quantity table. Ranges are deliberately wide: they catch broken sensors and unit mistakes, not alarms. */
// prettier-ignore
export const QUANTITIES: Readonly<Record<QuantityId, QuantitySpec>> = Object.freeze({
    engine_temperature: q('engine_temperature', 'degC', 'temperature', -40, 200, 0.1, 'Engine cooling water or lubricating oil temperature.'),
    exhaust_temperature: q('exhaust_temperature', 'degC', 'temperature', -40, 900, 0.1, 'Exhaust gas temperature (cylinder outlet, turbocharger in or out).'),
    shaft_rpm: q('shaft_rpm', 'rpm', 'rotational_speed', 0, 3000, 0.1, 'Propeller shaft speed (magnitude; astern is not signed).'),
    shaft_power: q('shaft_power', 'kW', 'power', 0, 100_000, 1, 'Shaft power from a torque meter.'),
    fuel_mass_flow: q('fuel_mass_flow', 'kg/h', 'mass_flow', 0, 25_000, 0.1, 'Fuel consumption, mass flow (Coriolis meter).'),
    fuel_volume_flow: q('fuel_volume_flow', 'L/h', 'volume_flow', 0, 30_000, 0.1, 'Fuel consumption, volume flow.'),
    fuel_sulphur: q('fuel_sulphur', '%', 'mass_fraction', 0, 5, 0.001, 'Sulphur content of the fuel in use, % m/m.'),
    co2_concentration: q('co2_concentration', 'ppm', 'volume_fraction', 0, 200_000, 1, 'CO2 in the exhaust gas, by volume.'),
    co2_mass_rate: q('co2_mass_rate', 'kg/h', 'mass_flow', 0, 100_000, 0.1, 'CO2 emitted, mass rate.'),
    so2_concentration: q('so2_concentration', 'ppm', 'volume_fraction', 0, 5000, 0.1, 'SO2 in the exhaust gas, by volume.'),
    so2_mass_rate: q('so2_mass_rate', 'kg/h', 'mass_flow', 0, 2000, 0.01, 'SO2 emitted, mass rate.'),
    nox_concentration: q('nox_concentration', 'ppm', 'volume_fraction', 0, 5000, 0.1, 'NOx in the exhaust gas, by volume.'),
    nox_mass_rate: q('nox_mass_rate', 'kg/h', 'mass_flow', 0, 5000, 0.01, 'NOx emitted, mass rate.'),
    air_temperature: q('air_temperature', 'degC', 'temperature', -60, 60, 0.1, 'Outside air temperature.'),
    sea_temperature: q('sea_temperature', 'degC', 'temperature', -2, 40, 0.1, 'Sea surface (or sea chest) water temperature.'),
    wind_speed: q('wind_speed', 'knots', 'speed', 0, 200, 0.1, 'Wind speed (true or relative, as the sensor reports).'),
    wind_direction: q('wind_direction', 'deg', 'angle', 0, 360, 1, 'Direction the wind blows from, degrees clockwise from north.', { maxExclusive: true, circular: true }),
    wave_height: q('wave_height', 'm', 'length', 0, 40, 0.01, 'Significant wave height.'),
    air_pressure: q('air_pressure', 'hPa', 'pressure', 850, 1100, 0.1, 'Atmospheric pressure (at sea level or sensor height).'),
    humidity: q('humidity', '%', 'relative_humidity', 0, 100, 0.1, 'Relative humidity of the outside air.'),
    vibration_rms: q('vibration_rms', 'mm/s', 'vibration_velocity', 0, 100, 0.01, 'Vibration velocity, RMS over 10-1000 Hz (ISO 10816 / 20816), e.g. on a main engine or shaft bearing.'),
    filter_pressure_drop: q('filter_pressure_drop', 'hPa', 'pressure', 0, 5000, 1, 'Differential pressure across a filter (fuel, lubricating oil): grows as the filter clogs.'),
});

/** canonical = (value + add) * mul / div; omitted parts are neutral. Kept as exact integers where possible. */
export interface Conversion {
    add?: number;
    mul?: number;
    div?: number;
}

const SAME: Conversion = Object.freeze({});

/**
 * Accepted unit symbols per dimension. The first entry of each table is the canonical unit (`SAME`).
 * `mass_concentration` has no quantity: its units are known only to explain the mismatch.
 */
export const UNIT_TABLES: Readonly<Record<Dimension, Readonly<Record<string, Conversion>>>> = {
    temperature: {
        degC: SAME,
        '°C': SAME,
        K: { add: -273.15 },
        degF: { add: -32, mul: 5, div: 9 },
        '°F': { add: -32, mul: 5, div: 9 },
    },
    rotational_speed: { rpm: SAME, 'r/min': SAME, rps: { mul: 60 }, 'r/s': { mul: 60 } },
    power: {
        kW: SAME,
        W: { div: 1000 },
        MW: { mul: 1000 },
        hp: { mul: 745.6998715822702, div: 1000 },
        PS: { mul: 735.49875, div: 1000 },
    },
    mass_flow: {
        'kg/h': SAME,
        'kg/min': { mul: 60 },
        'kg/s': { mul: 3600 },
        't/h': { mul: 1000 },
        't/d': { mul: 1000, div: 24 },
        'g/s': { mul: 3600, div: 1000 },
        'g/h': { div: 1000 },
    },
    volume_flow: {
        'L/h': SAME,
        'l/h': SAME,
        'L/min': { mul: 60 },
        'l/min': { mul: 60 },
        'L/s': { mul: 3600 },
        'm3/h': { mul: 1000 },
        'm³/h': { mul: 1000 },
    },
    mass_fraction: {
        '%': SAME,
        '%m/m': SAME,
        fraction: { mul: 100 },
        ppm: { div: 10_000 },
        'mg/kg': { div: 10_000 },
    },
    volume_fraction: {
        ppm: SAME,
        ppmv: SAME,
        '%': { mul: 10_000 },
        '%vol': { mul: 10_000 },
        '%v/v': { mul: 10_000 },
        ppb: { div: 1000 },
        fraction: { mul: 1_000_000 },
    },
    mass_concentration: { 'mg/m3': SAME, 'mg/m³': SAME, 'mg/Nm3': SAME, 'g/m3': { mul: 1000 } },
    speed: {
        knots: SAME,
        kn: SAME,
        kt: SAME,
        'm/s': { mul: 3600, div: 1852 },
        'km/h': { mul: 1000, div: 1852 },
        mph: { mul: 1609.344, div: 1852 },
    },
    angle: { deg: SAME, '°': SAME, degrees: SAME, rad: { mul: 180, div: Math.PI } },
    length: { m: SAME, cm: { div: 100 }, ft: { mul: 0.3048 } },
    pressure: {
        hPa: SAME,
        mbar: SAME,
        bar: { mul: 1000 },
        kPa: { mul: 10 },
        Pa: { div: 100 },
        inHg: { mul: 33.8638866667 },
        mmHg: { mul: 1.33322387415 },
        atm: { mul: 1013.25 },
        psi: { mul: 68.94757293168361 },
    },
    relative_humidity: { '%': SAME, '%RH': SAME, fraction: { mul: 100 } },
    vibration_velocity: { 'mm/s': SAME, 'in/s': { mul: 25.4 }, ips: { mul: 25.4 } },
};

export type UnitProblem = 'UNKNOWN_QUANTITY' | 'UNKNOWN_UNIT' | 'UNIT_MISMATCH';

export type NormaliseResult =
    { ok: true; value: number; unit: string } | { ok: false; reason: UnitProblem; detail: string };

// Maps, not object lookups: a quantity or unit named "constructor" must not hit Object.prototype.
const QUANTITY_MAP: ReadonlyMap<string, QuantitySpec> = new Map(
    QUANTITY_IDS.map((id) => [id, QUANTITIES[id]]),
);
const UNIT_MAPS: ReadonlyMap<Dimension, ReadonlyMap<string, Conversion>> = new Map(
    (Object.keys(UNIT_TABLES) as Dimension[]).map((d) => [d, new Map(Object.entries(UNIT_TABLES[d]))]),
);
/** Every known unit symbol → the dimensions it belongs to. */
const UNIT_DIMENSIONS: ReadonlyMap<string, readonly Dimension[]> = (() => {
    const m = new Map<string, Dimension[]>();
    for (const [d, units] of UNIT_MAPS) {
        for (const u of units.keys()) {
            const list = m.get(u);
            if (list === undefined) m.set(u, [d]);
            else list.push(d);
        }
    }
    return m;
})();

/** The spec of a known quantity id, or undefined. */
export function quantitySpec(quantity: string): QuantitySpec | undefined {
    return QUANTITY_MAP.get(quantity);
}

/** True when `quantity` is one of {@link QUANTITY_IDS}. */
export function isQuantityId(quantity: string): quantity is QuantityId {
    return QUANTITY_MAP.has(quantity);
}

/** The unit symbols accepted for a quantity (canonical first), or [] for an unknown quantity. */
export function unitsFor(quantity: string): string[] {
    const spec = QUANTITY_MAP.get(quantity);
    return spec === undefined ? [] : Object.keys(UNIT_TABLES[spec.dimension]);
}

/** Applies a conversion (exposed for tests and docs). */
export function convert(value: number, c: Conversion): number {
    let v = c.add === undefined ? value : value + c.add;
    if (c.mul !== undefined) v *= c.mul;
    if (c.div !== undefined) v /= c.div;
    return v;
}

/**
 * A reading's value in the canonical unit of its quantity.
 * @example normalise('exhaust_temperature', 700, 'K') // { ok: true, value: 426.85, unit: 'degC' }
 * @example normalise('co2_concentration', 40, 'mg/m3') // { ok: false, reason: 'UNIT_MISMATCH', ... }
 */
export function normalise(quantity: string, value: number, unit: string): NormaliseResult {
    const spec = QUANTITY_MAP.get(quantity);
    if (spec === undefined) {
        return {
            ok: false,
            reason: 'UNKNOWN_QUANTITY',
            detail: `quantity ${JSON.stringify(quantity)} is not known`,
        };
    }
    const c = UNIT_MAPS.get(spec.dimension)!.get(unit);
    if (c === undefined) {
        const dims = UNIT_DIMENSIONS.get(unit);
        const accepted = unitsFor(quantity).join(', ');
        if (dims === undefined) {
            return {
                ok: false,
                reason: 'UNKNOWN_UNIT',
                detail: `unit ${JSON.stringify(unit)} is not known (accepted for ${quantity}: ${accepted})`,
            };
        }
        const why = dims.includes('mass_concentration')
            ? ' (a mass concentration: converting it to ppm needs the molar mass and the reference conditions, so it is not guessed)'
            : '';
        return {
            ok: false,
            reason: 'UNIT_MISMATCH',
            detail: `unit ${JSON.stringify(unit)} is a ${dims.join('/')} unit${why}; ${quantity} is ${spec.dimension} (accepted: ${accepted})`,
        };
    }
    let v = c === SAME ? value : convert(value, c);
    if (spec.circular === true && v === 360) v = 0;
    return { ok: true, value: v, unit: spec.unit };
}
