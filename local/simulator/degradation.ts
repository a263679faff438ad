/**
 * Degradation simulator with ground truth: equipment that wears, fouls and clogs on a fleet of simulated
 * vessels, the sensor readings that show it, and the maintenance log that goes with it. Pure and seeded: the
 * same options give the same readings, events and truth, byte for byte.
 *
 * Per vessel: a voyage pattern (sea passages of 2-10 days at 60-85 % load with a seasonal swing and hourly
 * noise, port stays of 0.5-2.5 days with the main engine stopped), a main engine of 6-25 MW, and three pieces
 * of equipment (`shared/domain/maintenance/equipment.ts`), each with its own healthy baseline:
 * - bearing: vibration RMS = v0 (0.25 + 0.75 load) + s dv (0.4 + 0.6 load), noise growing with wear;
 * - turbocharger: exhaust temperature = T0 + k load + s dT (fouling raises it at constant load);
 * - fuel filter: pressure drop = d0 (0.2 + 0.8 load) (1 + s kappa).
 * s in 0..1 is the severity of a degradation path: after each reset, onset comes after an exponential wait
 * (mean per kind), then s = ((t - onset) / D)^p rises for D days (accelerating, p 1.5-2.5) until the
 * equipment fails at s = 1. A path is cut short by the planned service (interval per kind, +-20 %), or by an
 * inspection that finds it once s > 0.5 (4 % a day): both reset it, logged as `service` / `repair`. Failures
 * with no precursor arrive as a Poisson process (mean 500 days per equipment). After a failure the equipment
 * is down (no readings) for 1-4 days, then `repair` resets it.
 * Sensors: `readingsPerHour` readings per sensor per hour with white noise, 0.3 % spikes, and the ingest's own
 * anomaly detection (EWMA z-score, shared/domain/sensors/stats.ts) flags anomalies; readings are reduced to
 * hourly statistics (the gold `sensor_hourly` shape), or streamed as readings for the live simulator.
 */
import { EQUIPMENT, type EquipmentKind, LOAD_SENSOR } from '../../shared/domain/maintenance/equipment.js';
import type { MaintenanceEvent } from '../../shared/domain/maintenance/events.js';
import { DAY_MS, HOUR_MS, type HourlySensorStat, statsOf } from '../../shared/domain/maintenance/hourly.js';
import { Prng } from '../../shared/domain/prng.js';
import {
    type AnomalyOptions,
    anomalyOptionsFor,
    type QuantityId,
} from '../../shared/domain/sensors/index.js';
import {
    alphaFromHalfLife,
    detectAnomaly,
    emptyStats,
    type SensorStats,
    updateStats,
} from '../../shared/domain/sensors/stats.js';

export interface DegradationOptions {
    seed?: number;
    /** Number of vessels (default 40). */
    vessels?: number;
    /** Simulated days (default 365). */
    days?: number;
    /** Start, epoch ms, rounded down to a UTC midnight (default 2026-01-01). */
    start?: number;
    /** Readings per sensor per hour (default 6). */
    readingsPerHour?: number;
    /** MMSI of the first vessel (default 219100000; then +1 each). */
    firstMmsi?: number;
}

export interface TruthPath {
    equipmentId: string;
    /** `degradation` = a path with precursors; `sudden` = a failure with none. */
    mode: 'degradation' | 'sudden';
    onset: number;
    /** When it ended, and how. */
    end: number;
    endedBy: 'failure' | 'service' | 'repair' | 'end-of-simulation';
}

export interface SimReading {
    sensorId: string;
    quantity: QuantityId;
    value: number;
    eventTime: number;
    anomaly: boolean;
}

export interface SimulatedVessel {
    mmsi: number;
    /** Hourly statistics per sensor (three indicators + shaft power), ordered by sensor, then hour. */
    hourly: HourlySensorStat[];
    /** The maintenance log (what the crew wrote), ordered by time. */
    events: MaintenanceEvent[];
    /** Ground truth: every degradation path and sudden failure. */
    truth: TruthPath[];
}

interface KindParams {
    onsetMeanDays: number;
    durationDays: [number, number];
    serviceDays: number;
}

// prettier-ignore
const KIND: Readonly<Record<EquipmentKind, KindParams>> = {
    bearing: { onsetMeanDays: 160, durationDays: [14, 35], serviceDays: 365 },
    turbocharger: { onsetMeanDays: 70, durationDays: [10, 25], serviceDays: 100 },
    'fuel-filter': { onsetMeanDays: 35, durationDays: [5, 14], serviceDays: 60 },
};
const SUDDEN_MEAN_DAYS = 500;
const INSPECTION_FIND_PER_DAY = 0.04;
const SPIKE_RATE = 0.003;
const DEFAULT_START = Date.UTC(2026, 0, 1);

interface Equip {
    kind: EquipmentKind;
    equipmentId: string;
    sensorId: string;
    quantity: QuantityId;
    /** Healthy parameters. */
    base: number;
    slope: number;
    magnitude: number;
    noise: number;
    // process state
    onset: number;
    duration: number;
    power: number;
    nextService: number;
    sudden: number;
    downUntil: number;
    stats: SensorStats;
    anomalyOpts: AnomalyOptions;
}

/** The fleet, vessel by vessel (each vessel is generated on demand, so memory stays flat). */
export function* simulateFleet(opts: DegradationOptions = {}): Generator<SimulatedVessel> {
    const n = opts.vessels ?? 40;
    for (let i = 0; i < n; i++) yield simulateVessel(i, opts);
}

/** One vessel's hourly statistics, maintenance log and truth. */
export function simulateVessel(index: number, opts: DegradationOptions = {}): SimulatedVessel {
    const readings = new Map<
        string,
        { rows: HourlySensorStat[]; values: number[]; anomalies: number; hour: number }
    >();
    const mmsi = (opts.firstMmsi ?? 219_100_000) + index;
    const out: SimulatedVessel = { mmsi, hourly: [], events: [], truth: [] };
    const flushHour = (key: string, sensorId: string, quantity: string): void => {
        const g = readings.get(key);
        if (g === undefined || g.values.length === 0) return;
        const s = statsOf(g.values)!;
        g.rows.push({ mmsi, sensorId, quantity, hour: g.hour, ...s, anomalies: g.anomalies });
        g.values = [];
        g.anomalies = 0;
    };
    const keys: [string, string, string][] = [];
    runVessel(index, opts, out, (r) => {
        const key = `${r.sensorId}|${r.quantity}`;
        const hour = Math.floor(r.eventTime / HOUR_MS) * HOUR_MS;
        let g = readings.get(key);
        if (g === undefined) {
            readings.set(key, (g = { rows: [], values: [], anomalies: 0, hour }));
            keys.push([key, r.sensorId, r.quantity]);
        }
        if (g.hour !== hour) {
            flushHour(key, r.sensorId, r.quantity);
            g.hour = hour;
        }
        g.values.push(r.value);
        if (r.anomaly) g.anomalies++;
    });
    keys.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [key, sensorId, quantity] of keys) {
        flushHour(key, sensorId, quantity);
        out.hourly.push(...readings.get(key)!.rows);
    }
    return out;
}

/**
 * Runs one vessel's simulation and hands every reading to `onReading` in time order; fills `out.events` and
 * `out.truth`. The whole span at once (`VesselDegradation` is the same process hour by hour).
 */
export function runVessel(
    index: number,
    opts: DegradationOptions,
    out: Pick<SimulatedVessel, 'mmsi' | 'events' | 'truth'>,
    onReading: (r: SimReading) => void,
): void {
    const sim = new VesselDegradation(index, opts, out);
    const hours = (opts.days ?? 365) * 24;
    for (let h = 0; h < hours; h++) sim.step(onReading);
    sim.finish();
}

/**
 * One vessel's degradation process, advanced one UTC hour at a time (`step`), for as long as the caller wants:
 * the offline experiment runs a fixed span (`runVessel`), the live simulator of `npm start` keeps stepping with
 * the wall clock. The same options give the same readings, events and truth, however the steps are spread out.
 * Within an hour, readings come in time order per sensor, and the maintenance events of the hour are appended
 * to `out.events` in the order they are logged (not sorted across equipment: `finish` sorts them).
 */
export class VesselDegradation {
    readonly mmsi: number;
    /** Start of the simulation (a UTC midnight), epoch ms. */
    readonly start: number;
    readonly #out: Pick<SimulatedVessel, 'mmsi' | 'events' | 'truth'>;
    readonly #rng: Prng;
    readonly #rph: number;
    readonly #alpha: number;
    readonly #mcr: number;
    readonly #seaLoad: number;
    readonly #equipment: Equip[];
    readonly #power: { stats: SensorStats; opts: AnomalyOptions };
    #h = 0;
    #legEnd: number;
    #atSea: boolean;
    #weather = 0;

    constructor(
        index: number,
        opts: DegradationOptions,
        out: Pick<SimulatedVessel, 'mmsi' | 'events' | 'truth'>,
    ) {
        this.#out = out;
        this.mmsi = out.mmsi;
        const seed = opts.seed ?? 1;
        const rng = new Prng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
        this.#rng = rng;
        const start = Math.floor((opts.start ?? DEFAULT_START) / DAY_MS) * DAY_MS;
        this.start = start;
        this.#rph = opts.readingsPerHour ?? 6;
        this.#alpha = alphaFromHalfLife(50);
        this.#mcr = rng.range(6000, 25_000);
        this.#seaLoad = rng.range(0.6, 0.85);
        this.#equipment = EQUIPMENT.map((spec) => {
            const e: Equip = {
                kind: spec.kind,
                equipmentId: spec.equipmentId,
                sensorId: spec.sensorId,
                quantity: spec.quantity,
                base: 0,
                slope: 0,
                magnitude: 0,
                noise: 0,
                onset: Infinity,
                duration: 1,
                power: 2,
                nextService: Infinity,
                sudden: Infinity,
                downUntil: -Infinity,
                stats: emptyStats(),
                anomalyOpts: anomalyOptionsFor(spec.quantity) ?? {},
            };
            if (spec.kind === 'bearing') {
                e.base = rng.range(1.8, 3.2);
                e.magnitude = rng.range(6, 9);
                e.noise = 0.12;
            } else if (spec.kind === 'turbocharger') {
                e.base = rng.range(200, 250);
                e.slope = rng.range(150, 200);
                e.magnitude = rng.range(50, 90);
                e.noise = 2.5;
            } else {
                e.base = rng.range(250, 420);
                e.magnitude = rng.range(1.6, 2.6);
                e.noise = 4;
            }
            const k = KIND[spec.kind];
            e.nextService = start + rng.range(0.2, 1) * k.serviceDays * DAY_MS;
            this.#schedule(e, start + 14 * DAY_MS);
            return e;
        });
        this.#power = { stats: emptyStats(), opts: anomalyOptionsFor(LOAD_SENSOR.quantity) ?? {} };
        // voyage pattern: alternating sea passages and port stays
        this.#legEnd = start;
        this.#atSea = rng.chance(0.7);
    }

    /** Start of the next hour `step` simulates, epoch ms. */
    get nextHour(): number {
        return this.start + this.#h * HOUR_MS;
    }

    /** Simulates the next hour: its maintenance events (to `out.events`, `out.truth`) and its readings. */
    step(onReading: (r: SimReading) => void): void {
        const rng = this.#rng;
        const rph = this.#rph;
        const t = this.start + this.#h * HOUR_MS;
        if (t >= this.#legEnd) {
            this.#atSea = !this.#atSea;
            this.#legEnd = t + (this.#atSea ? rng.range(2, 10) : rng.range(0.5, 2.5)) * DAY_MS;
        }
        if (this.#h % 24 === 0) this.#weather = 0.05 * this.#gauss();
        this.#h++;
        const doy = (t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / DAY_MS;
        const season = 1 + 0.08 * Math.sin((2 * Math.PI * (doy - 20)) / 365);
        const load = this.#atSea
            ? Math.min(1, Math.max(0.3, this.#seaLoad * season + this.#weather + 0.03 * this.#gauss()))
            : 0.02;

        for (const e of this.#equipment) {
            // events due before the end of this hour, in time order
            for (;;) {
                const end = t + HOUR_MS;
                if (e.downUntil !== -Infinity) {
                    if (e.downUntil >= end) break;
                    this.#log(e, e.downUntil, 'repair', 'repaired after failure');
                    this.#reset(e, e.downUntil);
                    e.downUntil = -Infinity;
                    continue;
                }
                const failAt = e.onset + e.duration;
                const next = Math.min(e.nextService, failAt, e.sudden);
                if (next >= end) break;
                if (next === e.nextService) {
                    this.#endPath(e, next, 'service');
                    this.#log(e, next, 'service', 'planned maintenance');
                    this.#reset(e, next);
                } else if (next === e.sudden && e.sudden < failAt) {
                    this.#out.truth.push({
                        equipmentId: e.equipmentId,
                        mode: 'sudden',
                        onset: Math.round(next),
                        end: Math.round(next),
                        endedBy: 'failure',
                    });
                    this.#endPath(e, next, 'failure');
                    this.#log(e, next, 'failure', 'failure');
                    e.downUntil = next + rng.range(1, 3) * DAY_MS;
                    e.onset = Infinity;
                    e.sudden = Infinity;
                    e.nextService = Infinity;
                } else {
                    this.#endPath(e, next, 'failure');
                    this.#log(e, next, 'failure', 'failure');
                    e.downUntil = next + rng.range(1, 4) * DAY_MS;
                    e.onset = Infinity;
                    e.sudden = Infinity;
                    e.nextService = Infinity;
                }
            }
            if (e.downUntil !== -Infinity) continue; // down: no readings
            const sev = severity(e, t + HOUR_MS / 2);
            if (sev > 0.5 && rng.chance(INSPECTION_FIND_PER_DAY / 24)) {
                const at = t + rng.range(0, HOUR_MS);
                this.#endPath(e, at, 'repair');
                this.#log(e, at, 'repair', 'found on inspection');
                this.#reset(e, at);
            }
            for (let k = 0; k < rph; k++) {
                const time = t + Math.round(((k + 0.5) * HOUR_MS) / rph);
                const s = severity(e, time);
                let v =
                    indicator(e, load, s) +
                    e.noise * (e.kind === 'bearing' ? 1 + 1.5 * s : 1) * this.#gauss();
                if (rng.chance(SPIKE_RATE)) v *= rng.range(1.3, 1.6);
                v = Math.max(0, v);
                onReading(this.#detect(e, v, time));
            }
        }
        const power = this.#power;
        for (let k = 0; k < rph; k++) {
            const time = t + Math.round(((k + 0.5) * HOUR_MS) / rph);
            const v = Math.max(0, this.#mcr * load * (1 + 0.01 * this.#gauss()));
            const a = detectAnomaly(power.stats, v, power.opts);
            power.stats = updateStats(power.stats, v, time, this.#alpha);
            onReading({
                sensorId: LOAD_SENSOR.sensorId,
                quantity: LOAD_SENSOR.quantity,
                value: v,
                eventTime: time,
                anomaly: a.anomaly,
            });
        }
    }

    /** Ends the simulation at the start of the next hour: paths still running are recorded; events sorted by time. */
    finish(): void {
        const endTime = this.nextHour;
        for (const e of this.#equipment)
            if (e.onset < endTime && e.downUntil === -Infinity)
                this.#endPath(e, endTime, 'end-of-simulation');
        this.#out.events.sort((a, b) => a.time - b.time);
    }

    /** Standard normal (Box-Muller). */
    #gauss(): number {
        const u = 1 - this.#rng.next();
        const w = this.#rng.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }

    #expo(mean: number): number {
        return -Math.log(1 - this.#rng.next()) * mean;
    }

    #schedule(e: Equip, from: number): void {
        const k = KIND[e.kind];
        e.onset = from + this.#expo(k.onsetMeanDays) * DAY_MS;
        e.duration = this.#rng.range(k.durationDays[0], k.durationDays[1]) * DAY_MS;
        e.power = this.#rng.range(1.5, 2.5);
        e.sudden = from + this.#expo(SUDDEN_MEAN_DAYS) * DAY_MS;
    }

    #log(e: Equip, time: number, kind: MaintenanceEvent['kind'], note: string): void {
        this.#out.events.push({
            mmsi: this.mmsi,
            equipmentId: e.equipmentId,
            time: Math.round(time),
            kind,
            note,
        });
    }

    #endPath(e: Equip, time: number, endedBy: TruthPath['endedBy']): void {
        if (time >= e.onset) {
            this.#out.truth.push({
                equipmentId: e.equipmentId,
                mode: 'degradation',
                onset: Math.round(e.onset),
                end: Math.round(time),
                endedBy,
            });
        }
    }

    #reset(e: Equip, time: number): void {
        this.#schedule(e, time);
        e.nextService = time + this.#rng.range(0.8, 1.2) * KIND[e.kind].serviceDays * DAY_MS;
    }

    #detect(e: Equip, v: number, time: number): SimReading {
        const a = detectAnomaly(e.stats, v, e.anomalyOpts);
        e.stats = updateStats(e.stats, v, time, this.#alpha);
        return { sensorId: e.sensorId, quantity: e.quantity, value: v, eventTime: time, anomaly: a.anomaly };
    }
}

function severity(e: Equip, t: number): number {
    if (t < e.onset) return 0;
    return Math.min(1, (t - e.onset) / e.duration) ** e.power;
}

function indicator(e: Equip, load: number, s: number): number {
    switch (e.kind) {
        case 'bearing':
            return e.base * (0.25 + 0.75 * load) + s * e.magnitude * (0.4 + 0.6 * load);
        case 'turbocharger':
            return load < 0.1 ? 60 + 20 * load : e.base + e.slope * load + s * e.magnitude;
        case 'fuel-filter':
            return e.base * (0.2 + 0.8 * load) * (1 + s * e.magnitude);
    }
}
