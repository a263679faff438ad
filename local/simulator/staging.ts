/**
 * Staged compliance scenarios for `npm start`: three extra vessels whose recent history (back-dated with the NMEA
 * tag block's receiver time `c:`, the event time the ingest takes first) breaks a rule, so the `checkCompliance`
 * timer's first fire (every 5 minutes) turns them into findings on the local stack:
 *
 * - **dark gap**: a tanker in the open North Atlantic (45 N 35 W, hundreds of NM from any port) reports for 2 hours,
 *   falls silent for 13 hours, and reappears 180 NM further east: an `ais-dark-gap` finding, critical as a suspected
 *   disabling (>= 12 h, both ends > 50 NM from a port);
 * - **speeder**: a 180 m cargo ship at 15 kn inside a right whale Seasonal Management Area of
 *   `config/speed-zones.json` that is in season today (10 kn limit for vessels >= 19.8 m): a `speed-zone` finding.
 *   From 16 May to 31 October no area is in season, and no speeder is staged (the staging says so);
 * - **high sulphur**: a bulk carrier in the North Sea SOx ECA whose fuel-sulphur sensor reads 0.80 % (cap 0.10 %):
 *   a `sulphur-eca` finding.
 *
 * After the history, the three keep reporting live (position every `liveEveryMs`, static data every 6 minutes, the
 * sulphur reading every other fix), so they are on the map and the dark vessel's gap stays closed.
 */
import { type SpeedZone, type SpeedZoneSet } from '../../shared/domain/compliance/index.js';
import type { EmitFn, SourceEvent } from '../sources/types.js';
import { AisEncoder, type EncodableMessage } from './aisEncoder.js';
import { imoCheckDigit } from './fleet.js';
import { type SimClock, systemClock } from './SimulatorSource.js';

const MIN = 60_000;
const H = 60 * MIN;
const EARTH_NM = 3440.065;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** The point `nm` nautical miles from (lat, lon) on initial bearing `course` (great circle). */
export function offset(lat: number, lon: number, course: number, nm: number): { lat: number; lon: number } {
    const d = nm / EARTH_NM;
    const [la, lo, b] = [rad(lat), rad(lon), rad(course)];
    const la2 = Math.asin(Math.sin(la) * Math.cos(d) + Math.cos(la) * Math.sin(d) * Math.cos(b));
    const lo2 =
        lo + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la), Math.cos(d) - Math.sin(la) * Math.sin(la2));
    return { lat: deg(la2), lon: ((deg(lo2) + 540) % 360) - 180 };
}

export type StagedKind = 'dark-gap' | 'speeder' | 'high-sulphur';

/** A staged vessel: it sails a straight line at constant speed through `at` at time `atTime`. */
export interface StagedVessel {
    kind: StagedKind;
    mmsi: number;
    imo: number;
    name: string;
    shipType: number;
    lengthM: number;
    speedKn: number;
    course: number;
    at: { lat: number; lon: number };
    atTime: number;
    /** Back-dated report times (epoch ms) of the history. */
    history: number[];
    /** What should come of it. */
    expect: string;
}

export interface StagingOptions {
    speedZones: SpeedZoneSet;
    clock?: SimClock;
    /** Wall ms between live reports of each staged vessel (default 20 s). */
    liveEveryMs?: number;
    station?: string;
}

const imoOf = (first6: number): number => first6 * 10 + imoCheckDigit(first6);
const every = (from: number, to: number, step: number): number[] => {
    const out: number[] = [];
    for (let t = from; t <= to; t += step) out.push(t);
    return out;
};

/** A point inside the zone (its centre for a circle; for a polygon the inside point of a grid nearest its box centre). */
export function insidePoint(zone: SpeedZone): { lat: number; lon: number } | undefined {
    const g = zone.geometry;
    if (g.type === 'Circle') return { lat: g.center[1], lon: g.center[0] };
    const ring = g.coordinates[0] ?? [];
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const c = { lat: (s + n) / 2, lon: (w + e) / 2 };
    let best: { lat: number; lon: number } | undefined;
    let bestD = Infinity;
    for (let i = 1; i < 20; i++) {
        for (let j = 1; j < 20; j++) {
            const p = { lat: s + ((n - s) * i) / 20, lon: w + ((e - w) * j) / 20 };
            const d = (p.lat - c.lat) ** 2 + (p.lon - c.lon) ** 2;
            if (d < bestD && zone.contains(p.lat, p.lon)) [best, bestD] = [p, d];
        }
    }
    return best;
}

/** The staged vessels as of `now` (the speeder only when a speed zone is in season). */
export function stagedVessels(
    now: number,
    zones: SpeedZoneSet,
): { vessels: StagedVessel[]; notes: string[] } {
    const notes: string[] = [];
    const vessels: StagedVessel[] = [
        {
            kind: 'dark-gap',
            mmsi: 636_099_001,
            imo: imoOf(990_001),
            name: 'STAGED DARK GAP',
            shipType: 80,
            lengthM: 250,
            speedKn: 12,
            course: 90,
            at: { lat: 45, lon: -35 },
            atTime: now - 16 * H,
            // 2 h of reports, silent 13 h, then the last hour.
            history: [
                ...every(now - 16 * H, now - 14 * H, 10 * MIN),
                ...every(now - H, now - 2 * MIN, 10 * MIN),
            ],
            expect: 'ais-dark-gap (critical: suspected disabling, 13 h silent mid-Atlantic)',
        },
        {
            kind: 'high-sulphur',
            mmsi: 255_099_003,
            imo: imoOf(990_003),
            name: 'STAGED HIGH SULPHUR',
            shipType: 70,
            lengthM: 190,
            speedKn: 12,
            course: 0,
            at: { lat: 55.2, lon: 3.2 },
            atTime: now - 2 * H,
            history: every(now - 2 * H, now - 2 * MIN, 10 * MIN),
            expect: 'sulphur-eca (critical: 0.80 % fuel sulphur in the North Sea SOx ECA)',
        },
    ];
    const zone = zones.zones.find(
        (z) => z.inEffect(now) && z.appliesTo.minLengthM <= 180 && insidePoint(z) !== undefined,
    );
    if (zone === undefined) {
        notes.push('no seasonal speed zone of config/speed-zones.json is in season today: no speeder staged');
    } else {
        vessels.push({
            kind: 'speeder',
            mmsi: 538_099_002,
            imo: imoOf(990_002),
            name: 'STAGED SPEEDER',
            shipType: 70,
            lengthM: 180,
            speedKn: 15,
            course: 0,
            at: insidePoint(zone)!,
            atTime: now - 30 * MIN,
            history: every(now - 45 * MIN, now - MIN, 3 * MIN),
            expect: `speed-zone (critical: 15 kn in ${zone.name}, limit ${zone.limitKn} kn)`,
        });
    }
    return { vessels, notes };
}

/** Where a staged vessel is at `t`. */
export function positionAt(v: StagedVessel, t: number): { lat: number; lon: number } {
    const nm = (v.speedKn * (t - v.atTime)) / H;
    return nm >= 0
        ? offset(v.at.lat, v.at.lon, v.course, nm)
        : offset(v.at.lat, v.at.lon, (v.course + 180) % 360, -nm);
}

export class ComplianceStaging {
    readonly vessels: StagedVessel[];
    readonly notes: string[];
    readonly stats = { ais: 0, sensors: 0 };
    readonly #clock: SimClock;
    readonly #encoder = new AisEncoder();
    readonly #liveEveryMs: number;
    readonly #station: string;
    #timer: unknown;
    #ticks = 0;

    constructor(options: StagingOptions) {
        this.#clock = options.clock ?? systemClock;
        this.#liveEveryMs = options.liveEveryMs ?? 20_000;
        this.#station = options.station ?? 'local-sim';
        const { vessels, notes } = stagedVessels(this.#clock.now(), options.speedZones);
        this.vessels = vessels;
        this.notes = notes;
    }

    /** The back-dated history: static data first, then the fixes, and the burner's sulphur readings. */
    history(): { ais: SourceEvent[]; sensors: SourceEvent[] } {
        const ais: SourceEvent[] = [];
        const sensors: SourceEvent[] = [];
        for (const v of this.vessels) {
            ais.push(this.#ais(v, this.#static(v), v.history[0]! - MIN));
            for (const t of v.history) {
                ais.push(this.#ais(v, this.#position(v, t), t));
                if (v.kind === 'high-sulphur') sensors.push(this.#sulphur(v, t));
            }
        }
        return { ais, sensors };
    }

    /** One live round at `now`: a fix per vessel, static data every 6 minutes, the sulphur reading every other round. */
    live(now: number): { ais: SourceEvent[]; sensors: SourceEvent[] } {
        const round = this.#ticks++;
        const staticEvery = Math.max(1, Math.round((6 * MIN) / this.#liveEveryMs));
        const ais: SourceEvent[] = [];
        const sensors: SourceEvent[] = [];
        for (const v of this.vessels) {
            if (round % staticEvery === 0) ais.push(this.#ais(v, this.#static(v), now));
            ais.push(this.#ais(v, this.#position(v, now), now));
            if (v.kind === 'high-sulphur' && round % 2 === 0) sensors.push(this.#sulphur(v, now));
        }
        return { ais, sensors };
    }

    /** Emits the history at once, then a live round every `liveEveryMs`. */
    async start(emitAis: EmitFn, emitSensors: EmitFn): Promise<void> {
        const send = async (batch: { ais: SourceEvent[]; sensors: SourceEvent[] }): Promise<void> => {
            this.stats.ais += batch.ais.length;
            this.stats.sensors += batch.sensors.length;
            if (batch.ais.length > 0) await emitAis(batch.ais);
            if (batch.sensors.length > 0) await emitSensors(batch.sensors);
        };
        await send(this.history());
        this.#timer = this.#clock.setInterval(
            () => void send(this.live(this.#clock.now())),
            this.#liveEveryMs,
        );
    }

    stop(): Promise<void> {
        if (this.#timer !== undefined) this.#clock.clearInterval(this.#timer);
        this.#timer = undefined;
        return Promise.resolve();
    }

    #position(v: StagedVessel, t: number): EncodableMessage {
        const p = positionAt(v, t);
        return {
            type: 1,
            mmsi: v.mmsi,
            status: 0,
            speed: v.speedKn,
            lat: p.lat,
            lon: p.lon,
            course: v.course,
            heading: v.course,
            second: new Date(t).getUTCSeconds(),
        };
    }

    #static(v: StagedVessel): EncodableMessage {
        return {
            type: 5,
            mmsi: v.mmsi,
            imo: v.imo,
            callsign: `STG${v.mmsi % 1000}`,
            shipname: v.name,
            shiptype: v.shipType,
            to_bow: Math.round(v.lengthM * 0.8),
            to_stern: v.lengthM - Math.round(v.lengthM * 0.8),
            to_port: 15,
            to_starboard: 15,
            draught: 11,
            destination: 'STAGED',
        };
    }

    #ais(v: StagedVessel, message: EncodableMessage, t: number): SourceEvent {
        const lines = this.#encoder.encode(message, {
            channel: 'A',
            tagBlock: { station: this.#station, time: t },
        });
        return {
            body: lines.join('\n'),
            partitionKey: String(v.mmsi),
            properties: { format: 'nmea', sim: `staged-${v.kind}` },
        };
    }

    #sulphur(v: StagedVessel, t: number): SourceEvent {
        const p = positionAt(v, t);
        const body = {
            mmsi: v.mmsi,
            imo: v.imo,
            sensorId: 'FUEL:ME1-S',
            quantity: 'fuel_sulphur',
            value: 0.8,
            unit: '%',
            timestamp: new Date(t).toISOString(),
            position: { lat: Math.round(p.lat * 1e5) / 1e5, lon: Math.round(p.lon * 1e5) / 1e5 },
        };
        return {
            body: JSON.stringify(body),
            partitionKey: String(v.mmsi),
            properties: { format: 'json', source: 'staging', sim: 'staged-high-sulphur' },
        };
    }
}
