/**
 * Ship sensor readings for the sensor ingest (`schemas/sensor-reading.schema.json`): one JSON reading per event,
 * partition key = the MMSI, for a subset of the AIS simulator's fleet (share `SimulatorSource.fleet` so MMSIs
 * and positions match the AIS traffic).
 *
 * Per vessel: main engine (exhaust and cooling water temperature, shaft rpm and power, bearing vibration and
 * fuel filter pressure drop, following the vessel's speed by the propeller law; idle when moored), fuel mass flow and sulphur content, CO2/SO2/NOx mass rates
 * (and exhaust gas concentrations on vessels with an emission monitor), and weather (air and sea temperature by
 * latitude, wind speed and direction, wave height, air pressure, humidity). Each series is a slow
 * Ornstein-Uhlenbeck random walk around a per-vessel baseline plus white sensor noise. Some sensors report in
 * another accepted unit (m/s, mbar, t/h, MW, °C), as real installations do.
 *
 * Faults (property `sim`, and `simFault` = an id shared by all readings of one fault), started with
 * probability `faultRate` per reading of a healthy series:
 * - `spike`: one reading far out (+40..60 %, or across the top rules-file threshold of the quantity, or for air
 *   pressure below the low-pressure rule);
 * - `drift`: a ramp to ±20..40 % of the series' scale over 8–20 readings (minutes), then back to normal;
 * - `stuck`: the same value and unit repeated for 5–15 readings;
 * - `unit-mixup`: a temperature sent in K or degF but labelled as the sensor's degC (out of range or a spike);
 * - `unit-converted`: the value correctly converted to another accepted unit with the right label (must pass);
 * - `unknown-unit`: a unit symbol the pipeline does not know (quarantined as SENSOR_UNKNOWN_UNIT).
 *
 * Rate: `rate` readings per wall-clock second in total, round-robin over every series; timestamps are simulated
 * time (`time`: the wall clock by default; `SimulatorSource.time` under `--time-scale`), spread over the tick so
 * they are distinct.
 */
import { Prng } from '../../shared/domain/prng.js';
import {
    type Conversion,
    QUANTITIES,
    type QuantityId,
    UNIT_TABLES,
    unitsFor,
} from '../../shared/domain/sensors/units.js';
import type { EmitFn, EventSource, SourceEvent } from '../sources/types.js';
import { Fleet, type Vessel } from './fleet.js';
import type { SimTime } from './simTime.js';
import { type SimClock, systemClock } from './SimulatorSource.js';

export interface SensorSimulatorOptions {
    /** The fleet to instrument; pass `SimulatorSource.fleet` (it is then only read). Default: a fleet of its own. */
    fleet?: Fleet;
    /** Vessels with sensors: the first N Class A vessels of the fleet (default 50). */
    vessels?: number;
    /** PRNG seed (default 1). */
    seed?: number;
    /** Readings per wall-clock second, faults included (default 20). */
    rate?: number;
    /** Probability per reading of a healthy series that a fault starts (default 0.02). */
    faultRate?: number;
    /** Share of readings that carry the vessel's position (default 0.5). */
    positionShare?: number;
    /** Share of readings that also name the IMO number (default 0.2). */
    imoShare?: number;
    /** Tick period, ms (default 250). */
    tickMs?: number;
    clock?: SimClock;
    /**
     * Simulated time as a function of `clock` (default: the wall clock itself). Pass the AIS simulator's `time`, so
     * readings and positions share one timeline; the rate stays per wall-clock second.
     */
    time?: SimTime;
    /**
     * While it returns true (the consumer is behind: the local hub's backlog is over its bound), a tick emits
     * nothing: the simulator slows down with its consumer instead of queueing events without bound in memory (a
     * generator has nothing to lose by waiting; a live feed has).
     */
    hold?: () => boolean;
    /**
     * Sensor series another source sends (the degradation simulator's indicators and shaft power): these
     * (MMSI, sensor id) pairs are left out. Absent: every channel of every vessel (the default output is unchanged).
     */
    sentElsewhere?: (mmsi: number, sensorId: string) => boolean;
}

export const SENSOR_FAULTS = [
    'spike',
    'drift',
    'stuck',
    'unit-mixup',
    'unit-converted',
    'unknown-unit',
] as const;
export type SensorFault = (typeof SENSOR_FAULTS)[number];

/** The top 'above' tier per quantity in `config/sensor-rules.json` (generic rules), for spikes that cross it. */
export const SPIKE_ABOVE: Readonly<Partial<Record<QuantityId, number>>> = {
    exhaust_temperature: 500,
    engine_temperature: 105,
    fuel_sulphur: 0.5,
    wind_speed: 64,
    wave_height: 14,
};
/** The 'below' rule of air pressure in `config/sensor-rules.json`. */
export const SPIKE_BELOW: Readonly<Partial<Record<QuantityId, number>>> = { air_pressure: 980 };

/** Unit symbols no table knows (typos seen in the field), per dimension of the quantity. */
const UNKNOWN_UNITS: Readonly<Record<string, readonly string[]>> = {
    temperature: ['Celsius', 'C', 'deg C'],
    rotational_speed: ['RPM', 'rev/min'],
    power: ['kw', 'KW'],
    mass_flow: ['kg/hr', 'kgph'],
    mass_fraction: ['percent', '% S'],
    volume_fraction: ['PPM', 'vol%'],
    speed: ['kts', 'knot'],
    angle: ['degree', 'dir'],
    length: ['meters', 'M'],
    pressure: ['HPA', 'millibar'],
    relative_humidity: ['percent', 'RH'],
    vibration_velocity: ['mm/sec', 'mmps'],
};

/** Per-vessel constants. */
interface Profile {
    mcrKw: number;
    ratedRpm: number;
    /** Specific fuel oil consumption, g/kWh. */
    sfoc: number;
    /** Auxiliary engines' fuel, kg/h. */
    auxFuel: number;
    sulphur: number;
    /** kg CO2 per kg fuel. */
    carbon: number;
    /** NOx, g/kWh. */
    noxFactor: number;
    exhaustBase: number;
    coolingBase: number;
    airOffset: number;
    windBase: number;
    windDir: number;
    pressureBase: number;
    humidityBase: number;
    /** Healthy bearing vibration at full load (mm/s) and fuel filter pressure drop at full flow (hPa). */
    vibrationBase: number;
    filterBase: number;
}

interface Ctx {
    v: Vessel;
    p: Profile;
    /** Main engine load, fraction of MCR (0 when moored). */
    load: number;
}

interface Channel {
    sensorId: string;
    quantity: QuantityId;
    level: (c: Ctx) => number;
    /** Stationary std of the slow walk, and its time constant (s). Relative walks and noise multiply the level. */
    sigma: number;
    tau: number;
    noise: number;
    relative?: boolean;
    /** Clamp of healthy readings, canonical unit. */
    lo: number;
    hi: number;
    /** Typical magnitude (spikes and drifts are sized by it). */
    scale: (c: Ctx) => number;
    /** Native units to choose from, with weights (default: the canonical unit). */
    units?: readonly (readonly [string, number])[];
}

interface ActiveFault {
    id: number;
    kind: 'drift' | 'stuck';
    step: number;
    steps: number;
    /** drift: the final offset (canonical); stuck: the repeated raw value. */
    amount: number;
}

interface Series {
    vessel: Vessel;
    profile: Profile;
    channel: Channel;
    unit: string;
    walk: number;
    last: number | undefined;
    fault: ActiveFault | undefined;
}

const running = (c: Ctx): boolean => c.load > 0;
const climate = (lat: number): number => 27 - 0.42 * Math.abs(lat);

// prettier-ignore
const CHANNELS: readonly Channel[] = [
    { sensorId: 'ME1-EXH-T1', quantity: 'exhaust_temperature', level: (c) => (running(c) ? c.p.exhaustBase * (0.85 + 0.2 * c.load) : 85), sigma: 5, tau: 900, noise: 1.5, lo: 20, hi: 430, scale: (c) => c.p.exhaustBase, units: [['degC', 8], ['°C', 2]] },
    { sensorId: 'ME1-JCW-T', quantity: 'engine_temperature', level: (c) => (running(c) ? c.p.coolingBase : 55), sigma: 1.2, tau: 1200, noise: 0.3, lo: 20, hi: 92, scale: (c) => c.p.coolingBase, units: [['degC', 9], ['°C', 1]] },
    { sensorId: 'SHAFT1-RPM', quantity: 'shaft_rpm', level: (c) => c.p.ratedRpm * Math.cbrt(c.load), sigma: 0.01, tau: 600, noise: 0.004, relative: true, lo: 0, hi: 2500, scale: (c) => c.p.ratedRpm, units: [['rpm', 9], ['r/min', 1]] },
    { sensorId: 'SHAFT1-PWR', quantity: 'shaft_power', level: (c) => c.p.mcrKw * c.load, sigma: 0.03, tau: 600, noise: 0.01, relative: true, lo: 0, hi: 90_000, scale: (c) => c.p.mcrKw * 0.75, units: [['kW', 8], ['MW', 2]] },
    { sensorId: 'FUEL:ME1-FLOW', quantity: 'fuel_mass_flow', level: (c) => (c.p.sfoc * c.p.mcrKw * c.load) / 1000 + c.p.auxFuel, sigma: 0.03, tau: 600, noise: 0.01, relative: true, lo: 0, hi: 20_000, scale: (c) => (c.p.sfoc * c.p.mcrKw * 0.75) / 1000 + c.p.auxFuel, units: [['kg/h', 8], ['t/h', 2]] },
    { sensorId: 'FUEL:ME1-S', quantity: 'fuel_sulphur', level: (c) => c.p.sulphur, sigma: 0.02, tau: 7200, noise: 0.005, relative: true, lo: 0.01, hi: 0.49, scale: (c) => c.p.sulphur },
    { sensorId: 'CEMS.CO2-RATE', quantity: 'co2_mass_rate', level: (c) => ((c.p.sfoc * c.p.mcrKw * c.load) / 1000 + c.p.auxFuel) * c.p.carbon, sigma: 0.03, tau: 600, noise: 0.01, relative: true, lo: 0, hi: 90_000, scale: (c) => ((c.p.sfoc * c.p.mcrKw * 0.75) / 1000 + c.p.auxFuel) * c.p.carbon },
    { sensorId: 'CEMS.SO2-RATE', quantity: 'so2_mass_rate', level: (c) => (((c.p.sfoc * c.p.mcrKw * c.load) / 1000 + c.p.auxFuel) * c.p.sulphur * 2) / 100, sigma: 0.04, tau: 600, noise: 0.015, relative: true, lo: 0, hi: 1800, scale: (c) => (((c.p.sfoc * c.p.mcrKw * 0.75) / 1000 + c.p.auxFuel) * c.p.sulphur * 2) / 100 },
    { sensorId: 'CEMS.NOX-RATE', quantity: 'nox_mass_rate', level: (c) => (c.p.mcrKw * c.load * c.p.noxFactor) / 1000 + c.p.auxFuel * 0.05, sigma: 0.05, tau: 600, noise: 0.02, relative: true, lo: 0, hi: 4500, scale: (c) => (c.p.mcrKw * 0.75 * c.p.noxFactor) / 1000 + c.p.auxFuel * 0.05 },
    { sensorId: 'WX.air-temp', quantity: 'air_temperature', level: (c) => climate(c.v.lat) + c.p.airOffset, sigma: 1.5, tau: 3600, noise: 0.2, lo: -45, hi: 50, scale: () => 20, units: [['degC', 9], ['°C', 1]] },
    { sensorId: 'WX.sea-temp', quantity: 'sea_temperature', level: (c) => climate(c.v.lat) + 1, sigma: 0.5, tau: 7200, noise: 0.1, lo: -1.8, hi: 34, scale: () => 15 },
    { sensorId: 'WX.anemometer', quantity: 'wind_speed', level: (c) => c.p.windBase, sigma: 4, tau: 1800, noise: 1.5, lo: 0, hi: 45, scale: (c) => c.p.windBase, units: [['knots', 5], ['m/s', 4], ['kn', 1]] },
    { sensorId: 'WX.wind-dir', quantity: 'wind_direction', level: (c) => c.p.windDir, sigma: 25, tau: 3600, noise: 6, lo: -Infinity, hi: Infinity, scale: () => 90 },
    { sensorId: 'WX.wave-radar', quantity: 'wave_height', level: (c) => 0.3 + 0.012 * c.p.windBase ** 1.5, sigma: 0.2, tau: 1800, noise: 0.08, lo: 0.05, hi: 8, scale: (c) => 0.3 + 0.012 * c.p.windBase ** 1.5 },
    { sensorId: 'WX.barometer', quantity: 'air_pressure', level: (c) => c.p.pressureBase, sigma: 5, tau: 10_800, noise: 0.3, lo: 985, hi: 1045, scale: () => 1013, units: [['hPa', 7], ['mbar', 3]] },
    { sensorId: 'ME1-BRG-VIB', quantity: 'vibration_rms', level: (c) => (running(c) ? c.p.vibrationBase * (0.25 + 0.75 * c.load) : 0.3), sigma: 0.1, tau: 1800, noise: 0.12, lo: 0.05, hi: 30, scale: (c) => c.p.vibrationBase, units: [['mm/s', 9], ['in/s', 1]] },
    { sensorId: 'FO-FLT-DP', quantity: 'filter_pressure_drop', level: (c) => c.p.filterBase * (0.2 + 0.8 * c.load), sigma: 3, tau: 3600, noise: 4, lo: 5, hi: 3000, scale: (c) => c.p.filterBase, units: [['hPa', 6], ['bar', 2], ['kPa', 2]] },
    { sensorId: 'WX.hygrometer', quantity: 'humidity', level: (c) => c.p.humidityBase, sigma: 5, tau: 3600, noise: 1, lo: 20, hi: 100, scale: (c) => c.p.humidityBase },
];

/** Exhaust gas concentrations, on vessels with an emission monitor. */
// prettier-ignore
const CEMS_CHANNELS: readonly Channel[] = [
    { sensorId: 'CEMS.CO2-PPM', quantity: 'co2_concentration', level: (c) => (running(c) ? 45_000 : 12_000), sigma: 0.03, tau: 600, noise: 0.01, relative: true, lo: 0, hi: 150_000, scale: () => 45_000 },
    { sensorId: 'CEMS.SO2-PPM', quantity: 'so2_concentration', level: (c) => (running(c) ? 420 : 150) * c.p.sulphur, sigma: 0.04, tau: 600, noise: 0.02, relative: true, lo: 0, hi: 4000, scale: (c) => 420 * c.p.sulphur },
    { sensorId: 'CEMS.NOX-PPM', quantity: 'nox_concentration', level: (c) => (running(c) ? 1100 : 300), sigma: 0.05, tau: 600, noise: 0.02, relative: true, lo: 0, hi: 4000, scale: () => 1100 },
];

const FAULT_WEIGHTS: Readonly<Record<SensorFault, number>> = {
    spike: 30,
    drift: 20,
    stuck: 20,
    'unit-mixup': 12,
    'unit-converted': 12,
    'unknown-unit': 6,
};

export class SensorSimulatorSource implements EventSource {
    readonly name: string;
    readonly fleet: Fleet;
    readonly vessels: readonly Vessel[];
    readonly stats = {
        readings: 0,
        withPosition: 0,
        /** Wall time spent held (`hold`). */
        heldMs: 0,
        /** Fault onsets per kind. */
        faults: Object.fromEntries(SENSOR_FAULTS.map((k) => [k, 0])) as Record<SensorFault, number>,
        /** Readings marked with a fault (drifts and stuck values span several). */
        faultReadings: 0,
        ticks: 0,
    };
    readonly #series: Series[] = [];
    readonly #rng: Prng;
    readonly #clock: SimClock;
    readonly #time: SimTime | undefined;
    readonly #ownFleet: boolean;
    readonly #rate: number;
    readonly #faultRate: number;
    readonly #positionShare: number;
    readonly #imoShare: number;
    readonly #tickMs: number;
    #cursor = 0;
    #carry = 0;
    #faultSeq = 0;
    #lastWall: number;
    #timer: unknown;
    #emit: EmitFn | undefined;
    readonly #hold: (() => boolean) | undefined;

    constructor(options: SensorSimulatorOptions = {}) {
        this.#clock = options.clock ?? systemClock;
        this.#time = options.time;
        this.#hold = options.hold;
        this.#rate = options.rate ?? 20;
        this.#faultRate = options.faultRate ?? 0.02;
        this.#positionShare = options.positionShare ?? 0.5;
        this.#imoShare = options.imoShare ?? 0.2;
        this.#tickMs = options.tickMs ?? 250;
        if (!(this.#rate > 0)) throw new RangeError(`rate must be > 0, got ${this.#rate}`);
        if (!(this.#faultRate >= 0 && this.#faultRate <= 1))
            throw new RangeError(`faultRate must be in 0..1, got ${this.#faultRate}`);
        const n = options.vessels ?? 50;
        const seed = options.seed ?? 1;
        this.#lastWall = this.#clock.now();
        this.#ownFleet = options.fleet === undefined;
        this.fleet =
            options.fleet ?? new Fleet({ seed, vessels: n, classBShare: 0 }, this.#sim(this.#lastWall));
        // a stream of its own: a shared fleet's random stream (and so the AIS output) is not disturbed
        this.#rng = new Prng((seed ^ 0x53e5_0a5d) >>> 0);
        this.vessels = instrumentedVessels(this.fleet, n);
        for (const v of this.vessels) this.#instrument(v, options.sentElsewhere);
        // shuffle the round-robin order so one vessel's readings are spread out
        const s = this.#series;
        for (let i = s.length - 1; i > 0; i--) {
            const j = this.#rng.int(0, i);
            [s[i], s[j]] = [s[j]!, s[i]!];
        }
        this.name = `sensor simulator (${this.vessels.length} vessels, ${s.length} sensors, ~${this.#rate} readings/s)`;
    }

    /** Number of sensor series. */
    get sensors(): number {
        return this.#series.length;
    }

    start(emit: EmitFn): Promise<void> {
        this.#emit = emit;
        this.#lastWall = this.#clock.now();
        this.#timer = this.#clock.setInterval(() => this.tick(), this.#tickMs);
        return Promise.resolve();
    }

    stop(): Promise<void> {
        if (this.#timer !== undefined) this.#clock.clearInterval(this.#timer);
        this.#timer = undefined;
        this.#emit = undefined;
        return Promise.resolve();
    }

    /** One step: emits the readings due since the last tick. Called by the timer; public for tests. */
    tick(): SourceEvent[] {
        const wall = this.#clock.now();
        const dt = Math.max(0, wall - this.#lastWall);
        const from = this.#sim(this.#lastWall);
        this.#lastWall = wall;
        if (this.#hold?.()) {
            this.stats.heldMs += dt;
            return [];
        }
        const to = this.#sim(wall);
        const dtSim = Math.max(0, to - from);
        if (this.#ownFleet && dtSim > 0) this.fleet.advance(dtSim, to);
        // after a stall (laptop asleep), do not catch up with a burst
        const due = Math.min(this.#carry + (this.#rate * dt) / 1000, this.#rate * 3);
        const count = Math.floor(due);
        this.#carry = due - count;
        const events: SourceEvent[] = [];
        for (let i = 0; i < count && this.#series.length > 0; i++) {
            const s = this.#series[this.#cursor]!;
            this.#cursor = (this.#cursor + 1) % this.#series.length;
            const t = Math.round(from + ((i + 1) / count) * dtSim);
            events.push(this.#reading(s, t));
        }
        this.stats.ticks++;
        this.stats.readings += events.length;
        if (events.length > 0 && this.#emit) void this.#emit(events);
        return events;
    }

    #sim(wall: number): number {
        return this.#time === undefined ? wall : this.#time.at(wall);
    }

    #instrument(v: Vessel, sentElsewhere: SensorSimulatorOptions['sentElsewhere']): void {
        const rng = this.#rng;
        const length = v.to_bow + v.to_stern;
        const big = length >= 120;
        const sulphur = rng.chance(0.35) ? rng.range(0.05, 0.09) : rng.range(0.3, 0.45);
        const p: Profile = {
            mcrKw: length < 50 ? rng.range(500, 2500) : length * length * rng.range(0.35, 0.6),
            ratedRpm: big ? rng.range(72, 110) : rng.range(160, 600),
            sfoc: big ? rng.range(165, 180) : rng.range(190, 215),
            auxFuel: big ? rng.range(120, 350) : rng.range(20, 80),
            sulphur,
            carbon: sulphur < 0.1 ? 3.206 : 3.151,
            noxFactor: big ? rng.range(13, 15.5) : rng.range(8, 10.5),
            exhaustBase: rng.range(310, 360),
            coolingBase: rng.range(78, 86),
            airOffset: rng.range(-3, 3),
            windBase: rng.range(6, 22),
            windDir: rng.range(0, 360),
            pressureBase: rng.range(1002, 1024),
            humidityBase: rng.range(60, 88),
            vibrationBase: rng.range(1.8, 3.2),
            filterBase: rng.range(250, 420),
        };
        const channels = rng.chance(0.5) ? [...CHANNELS, ...CEMS_CHANNELS] : CHANNELS;
        for (const channel of channels) {
            const unit = channel.units ? rng.weighted(channel.units) : QUANTITIES[channel.quantity].unit;
            // drawn all the same, so the other series are instrumented as without the option
            if (sentElsewhere?.(v.mmsi, channel.sensorId) === true) continue;
            this.#series.push({
                vessel: v,
                profile: p,
                channel,
                unit,
                walk: 0,
                last: undefined,
                fault: undefined,
            });
        }
    }

    #reading(s: Series, t: number): SourceEvent {
        const rng = this.#rng;
        const ch = s.channel;
        const spec = QUANTITIES[ch.quantity];
        const ctx: Ctx = { v: s.vessel, p: s.profile, load: engineLoad(s.vessel) };
        // the slow walk (exact Ornstein-Uhlenbeck step; the first value from the stationary distribution)
        if (s.last === undefined) s.walk = ch.sigma * this.#gauss();
        else {
            const k = Math.exp(-Math.max(0, t - s.last) / 1000 / ch.tau);
            s.walk = s.walk * k + ch.sigma * Math.sqrt(1 - k * k) * this.#gauss();
        }
        s.last = t;
        const level = ch.level(ctx);
        let value = ch.relative
            ? level * (1 + s.walk + ch.noise * this.#gauss())
            : level + s.walk + ch.noise * this.#gauss();
        value = Math.min(ch.hi, Math.max(ch.lo, value));
        if (spec.circular === true) value = ((value % 360) + 360) % 360;
        const scale = ch.scale(ctx);

        let unit = s.unit;
        let raw: number | undefined;
        let kind: SensorFault | undefined;
        let faultId: number | undefined;
        const f = s.fault;
        if (f !== undefined) {
            kind = f.kind;
            faultId = f.id;
            f.step++;
            // a drift stays within what the sensor can show (no negative rpm)
            if (f.kind === 'drift') value = Math.max(spec.min, value + (f.amount * f.step) / f.steps);
            else raw = f.amount;
            if (f.step >= f.steps) s.fault = undefined;
        } else if (rng.chance(this.#faultRate)) {
            kind = rng.weighted(
                SENSOR_FAULTS.map((k) => [k, applicable(k, ch.quantity) ? FAULT_WEIGHTS[k] : 0] as const),
            );
            faultId = ++this.#faultSeq;
            this.stats.faults[kind]++;
            switch (kind) {
                case 'spike': {
                    const below = SPIKE_BELOW[ch.quantity];
                    const above = SPIKE_ABOVE[ch.quantity];
                    if (below !== undefined) value = below - rng.range(5, 25);
                    else if (above !== undefined && rng.chance(0.5)) value = above * rng.range(1.03, 1.15);
                    else if (value > 0.2 * scale) value *= 1 + rng.range(0.4, 0.6);
                    else value += scale * rng.range(0.4, 0.6);
                    break;
                }
                case 'drift': {
                    const sign = spec.dimension === 'temperature' || rng.chance(0.7) ? 1 : -1;
                    const steps = rng.int(8, 20);
                    s.fault = {
                        id: faultId,
                        kind,
                        step: 0,
                        steps,
                        amount: sign * scale * rng.range(0.2, 0.4),
                    };
                    break;
                }
                case 'stuck': {
                    raw = round(
                        fromCanonical(value, conversion(ch.quantity, unit)),
                        decimals(ch.quantity, unit),
                    );
                    s.fault = { id: faultId, kind, step: 0, steps: rng.int(5, 15), amount: raw };
                    break;
                }
                case 'unit-mixup': {
                    // the value in K or degF, the label the sensor's own (degC)
                    raw = rng.chance(0.5) ? round(value + 273.15, 2) : round((value * 9) / 5 + 32, 1);
                    break;
                }
                case 'unit-converted': {
                    const others = unitsFor(ch.quantity).filter((u) => u !== unit);
                    unit = rng.pick(others);
                    break;
                }
                case 'unknown-unit': {
                    unit = rng.pick(UNKNOWN_UNITS[spec.dimension] ?? ['?']);
                    break;
                }
            }
        }
        if (raw === undefined) {
            const c = conversion(ch.quantity, unit) ?? {};
            raw = round(fromCanonical(value, c), decimals(ch.quantity, unit));
            if (spec.circular === true && unit === spec.unit && raw >= 360) raw -= 360;
        }

        const v = s.vessel;
        const body: Record<string, unknown> = { mmsi: v.mmsi };
        if (v.imo > 0 && rng.chance(this.#imoShare)) body.imo = v.imo;
        body.sensorId = ch.sensorId;
        body.quantity = ch.quantity;
        body.value = raw;
        body.unit = unit;
        body.timestamp = new Date(t).toISOString();
        if (rng.chance(this.#positionShare)) {
            body.position = { lat: round(v.lat, 5), lon: round(v.lon, 5) };
            this.stats.withPosition++;
        }
        const properties: Record<string, string> = { format: 'json', source: 'sensor-sim' };
        if (kind !== undefined) {
            properties.sim = kind;
            properties.simFault = String(faultId);
            this.stats.faultReadings++;
        }
        return { body: JSON.stringify(body), partitionKey: String(v.mmsi), properties };
    }

    /** Standard normal (Box-Muller). */
    #gauss(): number {
        const u = 1 - this.#rng.next();
        const w = this.#rng.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}

/** The vessels a sensor simulator of `n` vessels instruments: the fleet's Class A vessels first, then Class B. */
export function instrumentedVessels(fleet: Fleet, n: number): Vessel[] {
    const all = fleet.vessels;
    return [...all.filter((v) => v.cls === 'A'), ...all.filter((v) => v.cls === 'B')].slice(0, n);
}

/** Main engine load (fraction of MCR) from the vessel's speed, propeller law; 0 when moored or stopped. */
function engineLoad(v: Vessel): number {
    if (v.mooredUntil > 0 || v.speed < 0.5 || v.cruiseSpeed <= 0) return 0;
    return Math.min(1, 0.75 * (v.speed / v.cruiseSpeed) ** 3);
}

function applicable(kind: SensorFault, quantity: QuantityId): boolean {
    const spec = QUANTITIES[quantity];
    if (kind === 'unit-mixup') return spec.dimension === 'temperature';
    if (kind === 'spike' || kind === 'drift') return spec.circular !== true;
    return true;
}

function conversion(quantity: QuantityId, unit: string): Conversion | undefined {
    const table = UNIT_TABLES[QUANTITIES[quantity].dimension];
    return Object.prototype.hasOwnProperty.call(table, unit) ? table[unit] : undefined;
}

/** The inverse of `convert`: a canonical value in `unit`. */
function fromCanonical(value: number, c: Conversion | undefined): number {
    if (c === undefined) return value;
    let v = value;
    if (c.div !== undefined) v *= c.div;
    if (c.mul !== undefined) v /= c.mul;
    if (c.add !== undefined) v -= c.add;
    return v;
}

/** Decimals matching the quantity's resolution expressed in `unit`. */
function decimals(quantity: QuantityId, unit: string): number {
    const c = conversion(quantity, unit);
    const res = QUANTITIES[quantity].resolution * ((c?.div ?? 1) / (c?.mul ?? 1));
    return Math.min(6, Math.max(0, Math.ceil(-Math.log10(res) - 1e-9)));
}

function round(x: number, d: number): number {
    const f = 10 ** d;
    return Math.round(x * f) / f;
}
