/**
 * The degradation simulator live (`npm start`): the equipment of some of the simulated fleet's vessels wears,
 * fouls and clogs (`degradation.ts`: bearing wear, turbocharger fouling, filter clogging, failures with no
 * precursor, services and repairs that reset a path), its indicator sensors and shaft power are sent to the
 * sensor hub, and the maintenance log the crew writes goes to the maintenance hub: the same ingest as any other
 * source, so the `scoreMaintenance` timer has sensor history and labels to work on.
 *
 * Time is the wall clock. The simulation starts `backfillDays` before today's UTC midnight; at `start` the
 * history up to now is sent first (the backfill: one event per vessel-hour, JSON lines, hour by hour across the
 * fleet, each emit awaited so a slow consumer pushes back), then every `tickMs` what came due since (readings
 * and log events whose time has passed; nothing in the future is sent).
 *
 * Continuity (`stateFile`, in the stack's data folder): the simulation's start, options and how far it was sent
 * (`through`) are saved after the backfill and then every minute of live running, and at stop. The next start with
 * the same options re-runs the simulation silently from the saved start (it is deterministic) and sends only what
 * lies after `through` (the time the stack was down, at most `backfillDays` back), so a restarted stack neither
 * sends a reading twice nor mixes two different histories. Different options start a new simulation, still sent
 * only after `through`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

import type { MaintenanceEvent } from '../../shared/domain/maintenance/events.js';
import { DAY_MS, HOUR_MS } from '../../shared/domain/maintenance/hourly.js';
import { QUANTITIES } from '../../shared/domain/sensors/units.js';
import type { EmitFn, EventSource, SourceEvent } from '../sources/types.js';
import { type SimReading, type TruthPath, VesselDegradation } from './degradation.js';
import { type SimClock, systemClock } from './SimulatorSource.js';

export interface DegradationSourceOptions {
    /** The vessels whose equipment degrades (MMSIs of the simulated fleet); vessel i runs stream i of the seed. */
    mmsis: readonly number[];
    seed?: number;
    /**
     * Days of sensor history sent at start, before today's UTC midnight (default 21; 0 = none: live only, the
     * simulation starting at today's midnight).
     */
    backfillDays?: number;
    /** Readings per sensor per hour (default 6, the rate the bundled model was trained on). */
    readingsPerHour?: number;
    /** How often the live part sends what came due, ms (default 10 s). */
    tickMs?: number;
    /** Event hubs (defaults `sensor-readings`, `maintenance-events`). */
    sensorHub?: string;
    maintenanceHub?: string;
    /** Continuity file (JSON); absent: every start is a new simulation with a full backfill. */
    stateFile?: string;
    /** Called during the backfill after each simulated hour is emitted. */
    onProgress?: (p: BackfillProgress) => void;
    clock?: SimClock;
}

export interface BackfillProgress {
    /** Simulated hours sent, of the hours to send. */
    hoursDone: number;
    hours: number;
    readings: number;
    logEvents: number;
}

export interface BackfillSummary extends BackfillProgress {
    /** What was sent: (from, to], epoch ms. `from` = `to` when nothing was (no backfill, or a restart right away). */
    from: number;
    to: number;
    /** The simulation's start (a UTC midnight) and whether it continues the saved one. */
    simulationStart: number;
    continued: boolean;
    /** The UTC days (YYYY-MM-DD) the backfill sent readings for, oldest first. */
    days: string[];
    seconds: number;
}

interface SavedState {
    version: 1;
    seed: number;
    readingsPerHour: number;
    mmsis: number[];
    start: number;
    through: number;
}

interface Vessel {
    sim: VesselDegradation;
    out: { mmsi: number; events: MaintenanceEvent[]; truth: TruthPath[] };
    /** Log entries already taken from `out.events`. */
    eventCursor: number;
    readings: SimReading[];
    events: MaintenanceEvent[];
}

const SAVE_EVERY_MS = 60_000;

export class DegradationSource implements EventSource {
    readonly name: string;
    readonly stats = { readings: 0, logEvents: 0, ticks: 0 };
    /** Resolves when the backfill has been emitted (each emit awaited); rejects when an emit failed. */
    readonly backfilled: Promise<BackfillSummary>;
    readonly #options: DegradationSourceOptions;
    readonly #clock: SimClock;
    readonly #seed: number;
    readonly #rph: number;
    readonly #backfillDays: number;
    readonly #sensorHub: string;
    readonly #maintenanceHub: string;
    readonly #decimals = new Map<string, number>();
    #vessels: Vessel[] = [];
    #floor = 0;
    #timer: unknown;
    #emit: EmitFn | undefined;
    #stopped = false;
    #ticking = false;
    #lastSave = 0;
    #simulationStart = 0;
    #resolveBackfill!: (s: BackfillSummary) => void;
    #rejectBackfill!: (e: unknown) => void;

    constructor(options: DegradationSourceOptions) {
        this.#options = options;
        this.#clock = options.clock ?? systemClock;
        this.#seed = options.seed ?? 1;
        this.#rph = options.readingsPerHour ?? 6;
        this.#backfillDays = options.backfillDays ?? 21;
        this.#sensorHub = options.sensorHub ?? 'sensor-readings';
        this.#maintenanceHub = options.maintenanceHub ?? 'maintenance-events';
        if (!(this.#backfillDays >= 0 && Number.isInteger(this.#backfillDays)))
            throw new RangeError(`backfillDays must be an integer >= 0, got ${this.#backfillDays}`);
        if (!(this.#rph >= 1 && Number.isInteger(this.#rph)))
            throw new RangeError(`readingsPerHour must be an integer >= 1, got ${this.#rph}`);
        this.name = `degradation simulator (${options.mmsis.length} vessels x 3 equipment, ${this.#backfillDays} ${this.#backfillDays === 1 ? 'day' : 'days'} of history, then live)`;
        this.backfilled = new Promise((resolve, reject) => {
            this.#resolveBackfill = resolve;
            this.#rejectBackfill = reject;
        });
        // a failed backfill is reported through `backfilled`; without a listener it must not crash the process
        this.backfilled.catch(() => undefined);
    }

    /** The ground truth so far: every degradation path and sudden failure, per vessel. */
    truth(): { mmsi: number; paths: readonly TruthPath[] }[] {
        return this.#vessels.map((v) => ({ mmsi: v.out.mmsi, paths: v.out.truth }));
    }

    /** Starts the backfill in the background (see `backfilled`), then the live ticks. Resolves at once. */
    start(emit: EmitFn): Promise<void> {
        this.#emit = emit;
        const now = this.#clock.now();
        const today = Math.floor(now / DAY_MS) * DAY_MS;
        const fresh = today - this.#backfillDays * DAY_MS;
        const saved = this.#load();
        const same =
            saved !== undefined &&
            saved.seed === this.#seed &&
            saved.readingsPerHour === this.#rph &&
            saved.mmsis.length === this.#options.mmsis.length &&
            saved.mmsis.every((m, i) => m === this.#options.mmsis[i]) &&
            saved.start <= now;
        this.#simulationStart = same ? saved.start : fresh;
        // never before the backfill window, never what a previous run already sent
        this.#floor = Math.max(
            this.#backfillDays === 0 ? now : fresh,
            this.#simulationStart,
            saved?.through ?? -Infinity,
        );
        this.#vessels = this.#options.mmsis.map((mmsi, i) => {
            const out = { mmsi, events: [] as MaintenanceEvent[], truth: [] as TruthPath[] };
            const sim = new VesselDegradation(
                i,
                { seed: this.#seed, start: this.#simulationStart, readingsPerHour: this.#rph },
                out,
            );
            return { sim, out, eventCursor: 0, readings: [], events: [] };
        });
        void this.#backfill(same).then(
            (summary) => {
                this.#resolveBackfill(summary);
                if (!this.#stopped)
                    this.#timer = this.#clock.setInterval(
                        () => void this.tick(),
                        this.#options.tickMs ?? 10_000,
                    );
            },
            (error: unknown) => this.#rejectBackfill(error),
        );
        return Promise.resolve();
    }

    async stop(): Promise<void> {
        this.#stopped = true;
        if (this.#timer !== undefined) this.#clock.clearInterval(this.#timer);
        this.#timer = undefined;
        this.#emit = undefined;
        return Promise.resolve();
    }

    /** One live step: sends what came due since the last one. Called by the timer; public for tests. */
    async tick(): Promise<SourceEvent[]> {
        if (this.#emit === undefined || this.#ticking) return [];
        this.#ticking = true;
        try {
            const now = this.#clock.now();
            const events = this.#pump(now);
            this.#floor = Math.max(this.#floor, now);
            this.stats.ticks++;
            if (events.length > 0) await this.#emit(events);
            if (now - this.#lastSave >= SAVE_EVERY_MS) this.#save(now);
            return events;
        } finally {
            this.#ticking = false;
        }
    }

    async #backfill(continued: boolean): Promise<BackfillSummary> {
        const started = performance.now();
        const from = this.#floor;
        const firstHour = Math.floor(this.#simulationStart / HOUR_MS) * HOUR_MS;
        let to = this.#clock.now();
        const hours = Math.max(0, Math.ceil((to - Math.max(from, firstHour)) / HOUR_MS));
        const progress: BackfillProgress = { hoursDone: 0, hours, readings: 0, logEvents: 0 };
        // hour by hour across the fleet (silent up to the floor), so the ingest fills the lake in time order
        for (let limit = firstHour + HOUR_MS; !this.#stopped; limit += HOUR_MS) {
            to = this.#clock.now();
            const until = Math.min(limit, to);
            const events = this.#pump(until);
            if (until > this.#floor) {
                if (events.length > 0) await this.#emit?.(events);
                this.#floor = until;
                progress.hoursDone = Math.min(hours, progress.hoursDone + 1);
                progress.readings = this.stats.readings;
                progress.logEvents = this.stats.logEvents;
                this.#options.onProgress?.({ ...progress });
                // let HTTP and the ingest run between hours (an emit that does not wait only yields a microtask)
                await new Promise((resolve) => setImmediate(resolve));
            }
            if (until >= to) break;
        }
        if (!this.#stopped) this.#save(this.#floor);
        const days: string[] = [];
        if (this.#floor > from) {
            for (let d = Math.floor((from + 1) / DAY_MS) * DAY_MS; d < this.#floor; d += DAY_MS)
                days.push(new Date(d).toISOString().slice(0, 10));
        }
        return {
            ...progress,
            from,
            to: this.#floor,
            simulationStart: this.#simulationStart,
            continued,
            days,
            seconds: (performance.now() - started) / 1000,
        };
    }

    /**
     * Simulates every vessel up to `until` and returns the events for what lies in (floor, until]: per vessel one
     * sensor event (JSON lines, time order) and one event per log entry. Later readings wait for a later pump.
     */
    #pump(until: number): SourceEvent[] {
        const out: SourceEvent[] = [];
        for (const v of this.#vessels) {
            while (v.sim.nextHour <= until) {
                v.sim.step((r) => v.readings.push(r));
                const logged = v.out.events;
                for (; v.eventCursor < logged.length; v.eventCursor++) v.events.push(logged[v.eventCursor]!);
            }
            const due: SimReading[] = [];
            let keep = 0;
            for (const r of v.readings) {
                if (r.eventTime > until) v.readings[keep++] = r;
                else if (r.eventTime > this.#floor) due.push(r);
            }
            v.readings.length = keep;
            if (due.length > 0) {
                // readings come sensor by sensor within an hour: send them in time order (a stable sort)
                due.sort((a, b) => a.eventTime - b.eventTime);
                const body = due.map((r) => this.#readingLine(v.out.mmsi, r)).join('\n');
                out.push({
                    body,
                    partitionKey: String(v.out.mmsi),
                    properties: { format: 'json', source: 'degradation-sim' },
                    hub: this.#sensorHub,
                });
                this.stats.readings += due.length;
            }
            keep = 0;
            v.events.sort((a, b) => a.time - b.time);
            for (const e of v.events) {
                if (e.time > until) v.events[keep++] = e;
                else if (e.time > this.#floor) {
                    out.push({
                        body: maintenanceLine(e),
                        partitionKey: String(e.mmsi),
                        properties: { format: 'json', source: 'degradation-sim' },
                        hub: this.#maintenanceHub,
                    });
                    this.stats.logEvents++;
                }
            }
            v.events.length = keep;
        }
        return out;
    }

    #readingLine(mmsi: number, r: SimReading): string {
        const spec = QUANTITIES[r.quantity];
        let d = this.#decimals.get(r.quantity);
        if (d === undefined) {
            // one decimal finer than the sensor's resolution
            d = Math.max(0, Math.ceil(-Math.log10(spec.resolution) - 1e-9)) + 1;
            this.#decimals.set(r.quantity, d);
        }
        const f = 10 ** d;
        const value = Math.round(r.value * f) / f;
        return JSON.stringify({
            mmsi,
            sensorId: r.sensorId,
            quantity: r.quantity,
            value,
            unit: spec.unit,
            timestamp: new Date(r.eventTime).toISOString(),
        });
    }

    #load(): SavedState | undefined {
        const file = this.#options.stateFile;
        if (file === undefined || !existsSync(file)) return undefined;
        try {
            const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedState>;
            if (
                s.version !== 1 ||
                typeof s.start !== 'number' ||
                typeof s.through !== 'number' ||
                !Array.isArray(s.mmsis)
            )
                return undefined;
            return s as SavedState;
        } catch {
            return undefined; // unreadable: a new simulation (still sent only after nothing: the floor is the window)
        }
    }

    /** Saves how far the simulation was sent (temporary file, then renamed). */
    #save(through: number): void {
        const file = this.#options.stateFile;
        this.#lastSave = this.#clock.now();
        if (file === undefined) return;
        const state: SavedState = {
            version: 1,
            seed: this.#seed,
            readingsPerHour: this.#rph,
            mmsis: [...this.#options.mmsis],
            start: this.#simulationStart,
            through,
        };
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(state));
        renameSync(tmp, file);
    }

    /** Saves the continuity file now (the stack calls it at stop, after the last tick). */
    saveState(): void {
        if (this.#vessels.length > 0) this.#save(this.#floor);
    }
}

/** One maintenance log line (the JSON shape of `shared/domain/maintenance/events.ts`). */
export function maintenanceLine(e: MaintenanceEvent): string {
    return JSON.stringify({
        mmsi: e.mmsi,
        equipmentId: e.equipmentId,
        time: new Date(e.time).toISOString(),
        kind: e.kind,
        ...(e.note === undefined ? {} : { note: e.note }),
    });
}
