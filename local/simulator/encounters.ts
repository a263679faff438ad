/**
 * Close-quarters encounters for the collision watch: every so often two extra vessels appear in the approaches
 * of a port, on converging courses (head-on or crossing), so that their closest point of approach is well under
 * 0.5 NM a few minutes later. They report AIS like the rest of the fleet (`SimulatorSource` emits them), sail
 * straight on at constant speed through the encounter and beyond, and are retired a while after it.
 *
 * Geometry: a meeting point M is picked 1–4 NM from a random port. Vessel A is at M after `tMeet` minutes,
 * vessel B at M' (M moved `miss` NM in a random direction, miss ≤ 0.25 NM) at the same moment; each starts
 * that far back along its own course. The range at tMeet is `miss`, so the CPA is at most `miss`, and with
 * relative speeds of at least ~6 kn the true TCPA is within ~2.5 minutes of tMeet (6–14 minutes), i.e.
 * 0 < TCPA ≤ 20 min at creation.
 *
 * The encounter vessels are not part of `Fleet.vessels`: the fleet's behaviour (and random stream) is untouched,
 * and the encounters use a PRNG of their own.
 */
import { Prng } from '../../shared/domain/prng.js';
import { etaOf, imoCheckDigit, type Port, type Vessel } from './fleet.js';

export interface EncounterOptions {
    /** Simulated seconds between new encounters (default 120). */
    every?: number;
    /** Simulated minutes a pair keeps sailing after its meeting time before it is retired (default 10). */
    linger?: number;
    /** At most this many pairs at once; a new one replaces none and waits (default 10). */
    maxActive?: number;
}

export type EncounterKind = 'head-on' | 'crossing';

export interface Encounter {
    id: number;
    kind: EncounterKind;
    port: Port;
    a: Vessel;
    b: Vessel;
    /** Simulated times (ms): created, expected meeting, retirement. */
    createdAt: number;
    meetAt: number;
    retireAt: number;
    /** Planned range at `meetAt`, NM (an upper bound of the CPA). */
    missNm: number;
}

const EARTH_NM = 3440.065;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** The point `nm` nautical miles from `p` on initial bearing `brg` (great circle). */
export function offsetNm(
    p: { lat: number; lon: number },
    brg: number,
    nm: number,
): { lat: number; lon: number } {
    const d = nm / EARTH_NM;
    const la1 = rad(p.lat);
    const lo1 = rad(p.lon);
    const b = rad(brg);
    const la2 = Math.asin(Math.sin(la1) * Math.cos(d) + Math.cos(la1) * Math.sin(d) * Math.cos(b));
    const lo2 =
        lo1 +
        Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la1), Math.cos(d) - Math.sin(la1) * Math.sin(la2));
    return { lat: deg(la2), lon: ((deg(lo2) + 540) % 360) - 180 };
}

// prettier-ignore
const NAMES = ['NORTHERN LIGHT', 'CAPE HORIZON', 'SILVER WAKE', 'RED KESTREL', 'IRON DUKE', 'BLUE HERON', 'SEA FALCON', 'GREY GULL', 'TIDAL SPRITE', 'OCEAN DRIFTER', 'STORM PETREL', 'AMBER TIDE'];
const MIDS = [244, 211, 235, 257, 219, 227, 224, 247, 636, 538, 563, 477];

export class Encounters {
    readonly active: Encounter[] = [];
    readonly stats = { created: 0, retired: 0, headOn: 0, crossing: 0 };
    readonly #rng: Prng;
    readonly #ports: readonly Port[];
    readonly #every: number;
    readonly #linger: number;
    readonly #maxActive: number;
    /** MMSIs in use (the fleet's and the active pairs'). */
    readonly #used: Set<number>;
    #next: number;
    #seq = 0;

    constructor(
        options: EncounterOptions,
        ports: readonly Port[],
        seed: number,
        start: number,
        usedMmsis: Iterable<number> = [],
    ) {
        this.#every = (options.every ?? 120) * 1000;
        this.#linger = (options.linger ?? 10) * 60_000;
        this.#maxActive = options.maxActive ?? 10;
        if (!(this.#every > 0)) throw new RangeError(`encounters.every must be > 0, got ${options.every}`);
        if (ports.length === 0) throw new RangeError('encounters need at least one port');
        this.#ports = ports;
        // a stream of its own, decorrelated from the fleet's (same seed)
        this.#rng = new Prng((seed ^ 0x5eed_c0de) >>> 0);
        this.#used = new Set(usedMmsis);
        this.#next = start;
    }

    /** The vessels of the active pairs. */
    get vessels(): Vessel[] {
        return this.active.flatMap((e) => [e.a, e.b]);
    }

    /**
     * Moves the active pairs `dtMs` of simulated time forward to `now`, retires the finished ones and creates
     * the encounters that are due. Returns the new ones.
     */
    advance(dtMs: number, now: number): Encounter[] {
        for (const e of this.active) {
            move(e.a, dtMs);
            move(e.b, dtMs);
        }
        for (let i = this.active.length - 1; i >= 0; i--) {
            const e = this.active[i]!;
            if (now >= e.retireAt) {
                this.active.splice(i, 1);
                this.#used.delete(e.a.mmsi);
                this.#used.delete(e.b.mmsi);
                this.stats.retired++;
            }
        }
        const created: Encounter[] = [];
        // after a stall, do not create a burst of encounters
        if (this.#next < now - 3 * this.#every) this.#next = now;
        while (this.#next <= now) {
            if (this.active.length < this.#maxActive) created.push(this.create(now));
            this.#next += this.#every;
        }
        return created;
    }

    /** Creates one encounter now (public for tests). */
    create(now: number): Encounter {
        const rng = this.#rng;
        const port = rng.pick(this.#ports);
        const kind: EncounterKind = rng.chance(0.5) ? 'head-on' : 'crossing';
        const meet = offsetNm(port, rng.range(0, 360), rng.range(1, 4));
        const tMeetMin = rng.range(6, 14);
        const missNm = rng.range(0, 0.25);
        const courseA = rng.range(0, 360);
        // head-on: reciprocal within ±6°; crossing: from either side, 45–135° apart
        const courseB =
            kind === 'head-on'
                ? (courseA + 180 + rng.range(-6, 6) + 360) % 360
                : (courseA + (rng.chance(0.5) ? 1 : -1) * rng.range(45, 135) + 360) % 360;
        const speedA = round1(rng.range(9, 16));
        const speedB = round1(rng.range(9, 16));
        const meetB = offsetNm(meet, rng.range(0, 360), missNm);
        const startA = offsetNm(meet, (courseA + 180) % 360, (speedA * tMeetMin) / 60);
        const startB = offsetNm(meetB, (courseB + 180) % 360, (speedB * tMeetMin) / 60);
        const id = ++this.#seq;
        const meetAt = now + tMeetMin * 60_000;
        const e: Encounter = {
            id,
            kind,
            port,
            a: this.#vessel(startA, speedA, courseA, port, now, meetAt),
            b: this.#vessel(startB, speedB, courseB, port, now, meetAt),
            createdAt: now,
            meetAt,
            retireAt: meetAt + this.#linger,
            missNm,
        };
        this.active.push(e);
        this.stats.created++;
        if (kind === 'head-on') this.stats.headOn++;
        else this.stats.crossing++;
        return e;
    }

    #vessel(
        p: { lat: number; lon: number },
        speed: number,
        course: number,
        port: Port,
        now: number,
        meetAt: number,
    ): Vessel {
        const rng = this.#rng;
        let mmsi: number;
        do mmsi = rng.pick(MIDS) * 1_000_000 + rng.int(1000, 999_999);
        while (this.#used.has(mmsi));
        this.#used.add(mmsi);
        const tanker = rng.chance(0.4);
        const length = Math.round(rng.range(90, 230));
        const beam = Math.round(length * rng.range(0.14, 0.17));
        const toBow = Math.round(length * 0.85);
        const first6 = rng.int(900000, 999999);
        return {
            mmsi,
            cls: 'A',
            shipname: rng.pick(NAMES),
            callsign: `ENC${String(rng.int(0, 999)).padStart(3, '0')}`,
            imo: first6 * 10 + imoCheckDigit(first6),
            shiptype: tanker ? 80 : 70,
            to_bow: toBow,
            to_stern: length - toBow,
            to_port: Math.round(beam / 2),
            to_starboard: beam - Math.round(beam / 2),
            draught: round1(rng.range(6, 12)),
            cruiseSpeed: speed,
            shortSea: false,
            origin: port,
            dest: port,
            legNm: 0,
            doneNm: 0,
            mooredUntil: 0,
            lat: p.lat,
            lon: p.lon,
            speed,
            course,
            heading: Math.round(course) % 360,
            // report at once, static data too, so the pipeline knows the pair from the start
            nextPosition: now,
            nextStatic: now,
            eta: etaOf(meetAt + 3_600_000),
        };
    }
}

/** Straight on at constant course and speed (great-circle steps; the bearing drift over a few miles is negligible). */
function move(v: Vessel, dtMs: number): void {
    const nm = (v.speed * dtMs) / 3_600_000;
    const p = offsetNm(v, v.course, nm);
    v.lat = p.lat;
    v.lon = p.lon;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
