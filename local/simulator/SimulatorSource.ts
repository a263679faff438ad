/**
 * The built-in traffic source of `npm start`: a seeded fleet (see `fleet.ts`) whose AIS messages are encoded
 * as `!AIVDM` sentences with an NMEA 4 tag block stamped with simulated time (below; the wall clock by default, so
 * the data is fresh), plus a few duplicates (a second receiver hearing the same message) and corrupt sentences (bad
 * checksum, truncated payload) for the pipeline's dedup and quarantine paths.
 *
 * Rate: about `rate` events per wall-clock second (`reportSchedule.ts`, recomputed every tick): vessels report at
 * the ITU-R M.1371 intervals for their speed and status, all sped up by one factor; when simulated time runs so fast
 * that the rate cannot carry every report, the feed is downsampled as AIS archives are (each vessel at most every
 * so many simulated minutes, moored or under way alike).
 *
 * Time: vessels move, and every message is stamped (tag block `c:`, UTC second field), in simulated time (`time`,
 * see `simTime.ts`). By default that is the wall clock. With `timeScale` N and `historyMs` H, simulated time starts
 * H before the wall clock and runs N times faster until it has caught up, then at the wall clock's pace: hours of
 * voyages in minutes, no event time in the future, reported speed and track always agree.
 *
 * Option `encounters` (off by default) adds close-quarters situations for the collision watch: every
 * `encounters.every` simulated seconds two extra vessels converge near a port (see `encounters.ts`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { nmeaChecksum } from '../sources/nmea.js';
import type { EmitFn, EventSource, SourceEvent } from '../sources/types.js';
import { AisEncoder, type EncodableMessage } from './aisEncoder.js';
import { type EncounterOptions, Encounters } from './encounters.js';
import { Fleet, type FleetOptions, type FleetState, type Vessel } from './fleet.js';
import { type ReportSchedule, reportSchedule } from './reportSchedule.js';
import { SimTime } from './simTime.js';

/** The saved fleet state at `path`, or undefined when there is none or it is unreadable (a fresh start). */
function readFleetState(path: string): FleetState | undefined {
    if (!existsSync(path)) return undefined;
    try {
        const state = JSON.parse(readFileSync(path, 'utf8')) as FleetState;
        return state.version === 1 && Array.isArray(state.vessels) && Number.isFinite(state.savedAt)
            ? state
            : undefined;
    } catch {
        return undefined;
    }
}

/** Time and timers, injectable for tests. */
export interface SimClock {
    now(): number;
    setInterval(fn: () => void, ms: number): unknown;
    clearInterval(handle: unknown): void;
}

export const systemClock: SimClock = {
    now: () => Date.now(),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export interface SimulatorOptions extends FleetOptions {
    /** Target events per wall-clock second, duplicates and corrupt ones included (default 200). */
    rate?: number;
    /** Fraction of messages emitted a second time as heard by another receiver (default 0.02). */
    duplicateRate?: number;
    /** Fraction of messages with a broken checksum or a truncated payload (default 0.01). */
    corruptRate?: number;
    /**
     * Simulated seconds per wall-clock second while simulated time catches up with the wall clock (default 1; with
     * `historyMs` only: simulated time never runs ahead of the wall clock).
     */
    timeScale?: number;
    /**
     * How far before the wall clock simulated time starts (ms, default 0). With a saved state (`statePath`) it starts
     * no earlier than where the last run stopped, so no stretch of simulated time is sent twice.
     */
    historyMs?: number;
    /** Tick period, ms (default 100). */
    tickMs?: number;
    /** Tag-block station `s:` (default `local-sim`; duplicates use `<station>-2`). */
    station?: string;
    clock?: SimClock;
    /**
     * While it returns true (the consumer is behind: the local hub's backlog is over its bound), a tick emits
     * nothing (the vessels move on with simulated time but report nothing; no burst afterwards): the simulator
     * slows down with its consumer instead of queueing events without bound in memory (a generator has nothing
     * to lose by waiting; a live feed has).
     */
    hold?: () => boolean;
    /**
     * Close-quarters encounters (off unless given; `true` = `{}`): two extra vessels on converging courses near
     * a port every `every` simulated seconds (default 120), CPA < 0.5 NM within 6–14 minutes.
     */
    encounters?: EncounterOptions | boolean;
    /**
     * File the fleet's positions and legs are saved to (atomically, every 30 s of wall time and at stop) and
     * restored from at start: a restart continues each vessel from where it was, moved on by the time the
     * simulator was stopped, instead of jumping to a position regenerated from the seed. Unset = no state kept.
     */
    statePath?: string;
}

/** Property `sim` marks the deliberate anomalies, for tests and for eyeballing the quarantine. */
export type SimAnomaly = 'duplicate' | 'corrupt-checksum' | 'corrupt-truncated';

export class SimulatorSource implements EventSource {
    readonly name: string;
    readonly fleet: Fleet;
    /** `heldMs`: wall time spent held (`hold`). */
    readonly stats = { events: 0, positions: 0, statics: 0, duplicates: 0, corrupt: 0, ticks: 0, heldMs: 0 };
    /** The encounter generator, when option `encounters` is on. */
    readonly encounters: Encounters | undefined;
    readonly #options: Required<
        Omit<
            SimulatorOptions,
            keyof FleetOptions | 'clock' | 'encounters' | 'statePath' | 'timeScale' | 'historyMs' | 'hold'
        >
    >;
    /** Simulated time as a function of the wall clock (the identity unless `timeScale`/`historyMs` are given). */
    readonly time: SimTime;
    readonly #hold: (() => boolean) | undefined;
    #lastTick = 0;
    readonly #clock: SimClock;
    readonly #encoder = new AisEncoder();
    #timer: unknown;
    readonly #statePath: string | undefined;
    #lastSave = 0;
    /** Vessels restored from `statePath` at start (0 = none: positions from the seed). */
    restoredVessels = 0;
    #lastWall = 0;
    #simNow = 0;
    /** Simulated seconds per wall second the report schedule was made for. */
    #scale = 1;
    /** The report schedule of the last tick (for rescheduling the waits when the scale changes). */
    #schedule: ReportSchedule | undefined;
    #emit: EmitFn | undefined;

    constructor(options: SimulatorOptions = {}) {
        this.#clock = options.clock ?? systemClock;
        this.#hold = options.hold;
        this.#options = {
            rate: options.rate ?? 200,
            duplicateRate: options.duplicateRate ?? 0.02,
            corruptRate: options.corruptRate ?? 0.01,
            tickMs: options.tickMs ?? 100,
            station: options.station ?? 'local-sim',
        };
        if (!(this.#options.rate > 0)) throw new RangeError(`rate must be > 0, got ${this.#options.rate}`);
        const timeScale = options.timeScale ?? 1;
        const historyMs = options.historyMs ?? 0;
        if (!(Number.isFinite(timeScale) && timeScale >= 1))
            throw new RangeError(`timeScale must be >= 1, got ${timeScale}`);
        if (!(Number.isFinite(historyMs) && historyMs >= 0))
            throw new RangeError(`historyMs must be >= 0, got ${historyMs}`);
        if (historyMs > 0 && timeScale === 1)
            throw new RangeError(
                'historyMs needs a timeScale above 1 (simulated time must catch up with the wall clock)',
            );
        const wallStart = this.#clock.now();
        this.#statePath = options.statePath;
        const saved = this.#statePath === undefined ? undefined : readFleetState(this.#statePath);
        const usable = saved !== undefined && saved.savedAt <= wallStart ? saved : undefined;
        // Simulated time starts `historyMs` back, but never before where a saved run stopped (sent already).
        const start = Math.max(wallStart - historyMs, usable?.savedAt ?? -Infinity);
        this.time = new SimTime({ scale: timeScale, wallStart, simStart: start });
        // The fleet is laid out at the start of the 6-hour slot of the simulated start (same seed, same vessels).
        // With a saved state (`statePath`) each vessel continues from where it was, sailed on by the time the
        // simulator was stopped (at most a week); without one, the fleet is sailed forward from the slot start. (The
        // slot alone did not give continuity: the random speed changes depend on the tick lengths, and a restart in
        // the next slot laid the fleet out afresh: a 71 nm jump in 5 minutes was seen.)
        const slot = Math.floor(start / 21_600_000) * 21_600_000;
        this.fleet = new Fleet(options, slot);
        let from = slot;
        if (usable !== undefined && this.fleet.restore(usable) > 0) {
            this.restoredVessels = usable.vessels.length;
            from = Math.max(usable.savedAt, start - 7 * 86_400_000);
        }
        for (let t = from; t < start;) {
            const step = Math.min(60_000, start - t);
            t += step;
            this.fleet.advance(step, t);
        }
        this.#simNow = start;
        this.#lastWall = wallStart;
        const enc = options.encounters;
        this.encounters =
            enc === undefined || enc === false
                ? undefined
                : new Encounters(
                      enc === true ? {} : enc,
                      this.fleet.ports,
                      options.seed ?? 1,
                      start,
                      this.fleet.vessels.map((v) => v.mmsi),
                  );
        this.#scale = this.time.rateAt(wallStart);
        const schedule = (this.#schedule = this.#scheduleFor(this.#scale));
        for (const v of this.fleet.vessels) {
            // spread the first reports over one interval so the start is not a burst
            v.nextPosition = start + this.fleet.rng.next() * schedule.positionMs(v);
            v.nextStatic = start + this.fleet.rng.next() * schedule.staticMs(v);
        }
        this.name = `simulator (${this.fleet.vessels.length} vessels, ~${this.#options.rate} events/s)`;
    }

    start(emit: EmitFn): Promise<void> {
        this.#emit = emit;
        this.#lastWall = this.#clock.now();
        this.#timer = this.#clock.setInterval(() => this.tick(), this.#options.tickMs);
        return Promise.resolve();
    }

    stop(): Promise<void> {
        if (this.#timer !== undefined) this.#clock.clearInterval(this.#timer);
        this.#timer = undefined;
        this.#emit = undefined;
        this.saveState();
        return Promise.resolve();
    }

    /** Writes the fleet's state to `statePath` (write, then rename: a crash never leaves half a file). */
    saveState(): void {
        if (this.#statePath === undefined) return;
        this.#lastSave = this.#clock.now();
        mkdirSync(dirname(this.#statePath), { recursive: true });
        const tmp = `${this.#statePath}.tmp`;
        writeFileSync(tmp, JSON.stringify(this.fleet.snapshot(this.#simNow)));
        renameSync(tmp, this.#statePath);
    }

    /**
     * The report schedule (`reportSchedule.ts`) that gives about `rate` events per wall second (duplicates included)
     * at `timeScale` simulated seconds per wall second.
     */
    #scheduleFor(timeScale: number): ReportSchedule {
        const o = this.#options;
        return reportSchedule(this.#allVessels(), o.rate / (1 + o.duplicateRate) / timeScale);
    }

    /** One step: move the fleet, emit what is due. Called by the timer; public for tests. */
    tick(): SourceEvent[] {
        const wall = this.#clock.now();
        const dtWall = this.#lastTick === 0 ? 0 : Math.max(0, wall - this.#lastTick);
        this.#lastTick = wall;
        if (this.#hold?.()) {
            this.stats.heldMs += dtWall;
            return [];
        }
        this.#lastWall = Math.max(this.#lastWall, wall);
        const sim = Math.max(this.#simNow, this.time.at(this.#lastWall));
        const dtSim = sim - this.#simNow;
        this.#simNow = sim;
        this.fleet.advance(dtSim, this.#simNow);
        // Close-quarters pairs are for the collision watch, which looks at vessels heard within minutes of the wall
        // clock: none is staged while simulated time is still catching up (they would be stale, and many).
        if (!this.time.catchingUp(this.#lastWall)) this.encounters?.advance(dtSim, this.#simNow);
        const scale = this.time.rateAt(this.#lastWall);
        const schedule = this.#scheduleFor(scale);
        if (scale !== this.#scale && this.#schedule !== undefined) {
            // Caught up: report intervals in simulated time shrink with the change of scale; so do the waits already
            // scheduled (else each vessel would keep silent for up to one interval of the old scale).
            const old = this.#schedule;
            for (const v of this.#allVessels()) {
                v.nextPosition =
                    this.#simNow +
                    ((v.nextPosition - this.#simNow) * schedule.positionMs(v)) / old.positionMs(v);
                v.nextStatic =
                    this.#simNow + ((v.nextStatic - this.#simNow) * schedule.staticMs(v)) / old.staticMs(v);
            }
            this.#scale = scale;
        }
        this.#schedule = schedule;
        const events: SourceEvent[] = [];
        for (const v of this.#allVessels()) {
            const posEvery = schedule.positionMs(v);
            // after a stall (laptop asleep), do not catch up with a burst
            if (v.nextPosition < this.#simNow - 3 * posEvery) v.nextPosition = this.#simNow;
            while (v.nextPosition <= this.#simNow) {
                this.#push(events, v, [this.fleet.positionReport(v, sim)], sim);
                this.stats.positions++;
                v.nextPosition += posEvery;
            }
            const staticEvery = schedule.staticMs(v);
            if (v.nextStatic < this.#simNow - 3 * staticEvery) v.nextStatic = this.#simNow;
            while (v.nextStatic <= this.#simNow) {
                this.#push(events, v, this.fleet.staticReports(v), sim);
                this.stats.statics++;
                v.nextStatic += staticEvery;
            }
        }
        this.stats.ticks++;
        this.stats.events += events.length;
        if (this.#statePath !== undefined && wall - this.#lastSave >= 30_000) this.saveState();
        if (events.length > 0 && this.#emit) void this.#emit(events);
        return events;
    }

    /** The fleet, then the vessels of the active encounters (if any). */
    #allVessels(): readonly Vessel[] {
        return this.encounters === undefined
            ? this.fleet.vessels
            : [...this.fleet.vessels, ...this.encounters.vessels];
    }

    /** Encodes `messages` stamped with simulated time `time` (tag block `c:`). */
    #push(out: SourceEvent[], v: Vessel, messages: EncodableMessage[], time: number): void {
        const rng = this.fleet.rng;
        const o = this.#options;
        for (const message of messages) {
            const channel = rng.chance(0.5) ? 'A' : 'B';
            let lines = this.#encoder.encode(message, {
                channel,
                tagBlock: { station: o.station, time },
            });
            let anomaly: SimAnomaly | undefined;
            if (rng.chance(o.corruptRate)) {
                anomaly = rng.chance(0.5) ? 'corrupt-checksum' : 'corrupt-truncated';
                lines = corrupt(lines, anomaly, rng.next());
                this.stats.corrupt++;
            }
            out.push(event(lines, v.mmsi, anomaly));
            if (rng.chance(o.duplicateRate)) {
                const again = this.#encoder.encode(message, {
                    channel: channel === 'A' ? 'B' : 'A',
                    tagBlock: { station: `${o.station}-2`, time },
                });
                out.push(event(again, v.mmsi, 'duplicate'));
                this.stats.duplicates++;
            }
        }
    }
}

function event(lines: string[], mmsi: number, anomaly?: SimAnomaly): SourceEvent {
    const properties: Record<string, string> = { format: 'nmea' };
    if (anomaly) properties.sim = anomaly;
    return { body: lines.join('\n'), partitionKey: String(mmsi), properties };
}

/** Breaks one sentence of a message: a wrong `*hh`, or the payload cut (with a correct checksum). */
export function corrupt(lines: string[], how: 'corrupt-checksum' | 'corrupt-truncated', r: number): string[] {
    const out = [...lines];
    // truncation hits the first fragment, so the whole message ends up shorter than its type needs
    const i = how === 'corrupt-truncated' ? 0 : Math.min(out.length - 1, Math.floor(r * out.length));
    const line = out[i]!;
    const bang = line.indexOf('!');
    const star = line.lastIndexOf('*');
    const sentence = line.slice(bang + 1, star);
    if (how === 'corrupt-checksum') {
        const good = line.slice(star + 1, star + 3);
        const bad = ((parseInt(good, 16) + 1 + Math.floor(r * 254)) % 256)
            .toString(16)
            .toUpperCase()
            .padStart(2, '0');
        out[i] = `${line.slice(0, star + 1)}${bad}`;
    } else {
        const f = sentence.split(',');
        const payload = f[5]!;
        // keep the MMSI (7 characters) readable but lose the rest of the message
        f[5] = payload.slice(0, Math.min(payload.length - 1, 7 + Math.floor(r * 5)));
        f[6] = '0';
        const body = f.join(',');
        out[i] = `${line.slice(0, bang)}!${body}*${nmeaChecksum(body)}`;
    }
    return out;
}
