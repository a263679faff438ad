/**
 * A synthetic but plausible fleet: Class A merchant ships and Class B craft with real MIDs, IMO numbers with
 * valid check digits, ship types and dimensions, sailing great-circle legs between real ports and reporting
 * at the ITU-R M.1371 intervals for their speed and status. Legs never cross land: a vessel sails the sea route to
 * one of the nearest ports (`seaRoutes.ts`, planned on the Natural Earth land mask), waypoint to waypoint.
 *
 * Two trades, as real fleets have: deep-sea and coastal vessels sail to any of the 15 ports nearest by sea (legs of
 * hundreds of NM, a day or more at sea) and stay 20 min to 3 h; short-sea vessels (ferries, tugs, feeders and
 * coastal tankers under 160 m) shuttle between ports 15-60 NM apart by sea (Tallinn-Helsinki, Tanger Med-Algeciras,
 * Singapore-Tanjung Pelepas, Jebel Ali-Dubai, ...: a few hours at sea) and stay 40 min to 2 h, so hours of
 * simulated traffic hold complete voyages (port call, passage, port call), not only passages.
 */
import { Prng } from '../../shared/domain/prng.js';
import { type PortEntry, portList } from '../../shared/domain/reference/lookup.js';
import type { EncodableMessage, PositionReportA, PositionReportB, StaticVoyageA } from './aisEncoder.js';
import { bearingToward, distanceNm, type LegPath, legPathOf, pointOn, segmentAt } from './greatCircle.js';
import { loadSeaRoutes, portKey, type SeaRoute } from './seaRoutes.js';

/** A port of the simulator: an entry of the one port list (`portList()`, `shared/data/ports.tsv`). */
export type Port = Pick<PortEntry, 'locode' | 'name' | 'iso2' | 'lat' | 'lon'>;

// ---- identities --------------------------------------------------------------------------------------------
/** Flags of Class A merchant ships, weighted roughly by registered tonnage (open registries first). */
// prettier-ignore
const MERCHANT_FLAGS: readonly (readonly [number, number])[] = [
    [351, 4], [352, 3], [353, 3], [354, 2], [355, 2], [356, 2], [357, 2], [370, 2], [371, 2], [372, 2], [373, 2], // PA
    [636, 12], // LR
    [538, 10], // MH
    [477, 7], // HK
    [563, 3], [564, 2], [565, 2], [566, 2], // SG
    [215, 2], [229, 2], [248, 2], [249, 2], [256, 2], // MT
    [308, 2], [309, 2], [311, 2], // BS
    [237, 1], [240, 1], [241, 1], // GR
    [412, 2], [413, 2], [414, 1], // CN
    [209, 1], [210, 1], [212, 1], // CY
    [431, 1], [440, 1], [441, 1], // JP, KR
    [257, 1], [258, 1], [259, 1], // NO
    [232, 1], [235, 1], [211, 1], [218, 1], [244, 1], [245, 1], [219, 1], [366, 1], [367, 1], [368, 1],
    [305, 1], [341, 1], [403, 1], [470, 1], [525, 1], [533, 1],
];

/** A MID of the country (ISO alpha-2) for Class B craft at home near their port; merchant flags otherwise. */
// prettier-ignore
const HOME_MID: Record<string, number> = {
    US: 366, CA: 316, GB: 235, DE: 211, NL: 244, BE: 205, FR: 227, ES: 224, PT: 263, IT: 247, GR: 237, TR: 271,
    NO: 257, SE: 265, DK: 219, FI: 230, PL: 261, EE: 276, LV: 275, LT: 277, RU: 273, IE: 250, IS: 251, HR: 238,
    SI: 278, MT: 215, CY: 209, CN: 412, JP: 431, KR: 440, TW: 416, HK: 477, SG: 563, MY: 533, ID: 525, TH: 567,
    VN: 574, PH: 548, IN: 419, LK: 417, PK: 463, AE: 470, SA: 403, OM: 461, QA: 466, EG: 622, MA: 242, ZA: 601,
    NG: 657, KE: 634, AU: 503, NZ: 512, BR: 710, AR: 701, CL: 725, PE: 760, CO: 730, MX: 345, PA: 351, BS: 308,
};

// prettier-ignore
const CARGO_PREFIX = ['EVER', 'MSC', 'MAERSK', 'CMA CGM', 'COSCO', 'ONE', 'HMM', 'YM', 'NORDIC', 'STAR', 'OCEAN', 'PACIFIC', 'ATLANTIC', 'BALTIC', 'GOLDEN', 'NAVIOS', 'SEASPAN', 'GENCO', 'TORM', 'STENA'];
// prettier-ignore
const CARGO_WORDS = ['GLORY', 'HARMONY', 'SPIRIT', 'PIONEER', 'FORTUNE', 'TRADER', 'EXPRESS', 'VOYAGER', 'HORIZON', 'ENDEAVOUR', 'PRIDE', 'AURORA', 'CORAL', 'MERIDIAN', 'ATLAS', 'ORION', 'VEGA', 'LYRA', 'TRITON', 'NEPTUNE', 'ALPHA', 'DELTA', 'SIGMA', 'OMEGA', 'FALCON', 'EAGLE', 'PHOENIX', 'SAPPHIRE', 'EMERALD', 'DIAMOND'];
// prettier-ignore
const LEISURE_NAMES = ['SEA BREEZE', 'FREYA', 'BLUE MOON', 'WANDERER', 'SERENITY', 'ODYSSEY', 'SALTY DOG', 'MARIANNE', 'KESTREL', 'PUFFIN', 'ALBATROSS', 'DOLPHIN', 'LADY GRACE', 'NORTHERN STAR', 'MISTRAL', 'ZEPHYR', 'HALCYON', 'TIDEWATER', 'SEAHORSE', 'CALYPSO'];

/** IMO number check digit: 7·d1 + 6·d2 + ... + 2·d6, last digit. */
export function imoCheckDigit(first6: number): number {
    const d = String(first6).padStart(6, '0');
    let sum = 0;
    for (let i = 0; i < 6; i++) sum += Number(d[i]) * (7 - i);
    return sum % 10;
}

export function isValidImo(imo: number): boolean {
    return imo >= 1000000 && imo <= 9999999 && imoCheckDigit(Math.floor(imo / 10)) === imo % 10;
}

interface Kind {
    shiptype: readonly number[];
    length: readonly [number, number];
    beamRatio: readonly [number, number];
    speed: readonly [number, number];
    draught: readonly [number, number];
}

// prettier-ignore
const CLASS_A_KINDS: readonly (readonly [Kind, number])[] = [
    [{ shiptype: [70, 71, 74, 79], length: [140, 400], beamRatio: [0.13, 0.16], speed: [14, 22], draught: [8, 15] }, 45], // cargo/container
    [{ shiptype: [80, 81, 82, 84, 89], length: [100, 330], beamRatio: [0.15, 0.18], speed: [11, 15], draught: [7, 20] }, 25], // tanker
    [{ shiptype: [60, 69], length: [80, 300], beamRatio: [0.12, 0.15], speed: [16, 24], draught: [5, 8.5] }, 10], // passenger
    [{ shiptype: [30], length: [20, 70], beamRatio: [0.2, 0.28], speed: [7, 11], draught: [3, 6] }, 10], // fishing
    [{ shiptype: [52, 31], length: [25, 45], beamRatio: [0.3, 0.38], speed: [8, 12], draught: [3, 5.5] }, 10], // tug
];
// prettier-ignore
const CLASS_B_KINDS: readonly (readonly [Kind, number])[] = [
    [{ shiptype: [37], length: [6, 25], beamRatio: [0.28, 0.36], speed: [5, 20], draught: [1, 2] }, 55], // pleasure
    [{ shiptype: [36], length: [8, 20], beamRatio: [0.28, 0.34], speed: [4, 7], draught: [1.5, 2.5] }, 30], // sailing
    [{ shiptype: [30], length: [10, 24], beamRatio: [0.28, 0.34], speed: [6, 10], draught: [1.5, 3] }, 15], // fishing
];

export interface Vessel {
    mmsi: number;
    cls: 'A' | 'B';
    shipname: string;
    callsign: string;
    imo: number;
    shiptype: number;
    to_bow: number;
    to_stern: number;
    to_port: number;
    to_starboard: number;
    draught: number;
    cruiseSpeed: number;
    /** Short-sea trade (`isShortSea`): legs between ports 15-60 NM apart by sea, 40-120 min in port. */
    shortSea: boolean;
    /** The leg: from `origin` to `dest`, `doneNm` of `legNm` sailed. */
    origin: Port;
    /** The leg's path (its sea route); absent: the great circle from `origin` to `dest`. */
    leg?: LegPath;
    /** Where the vessel came from before `origin` (after its first arrival). */
    previous?: Port;
    dest: Port;
    legNm: number;
    doneNm: number;
    /** Moored at `origin` until this simulated time (ms); 0 = under way. */
    mooredUntil: number;
    lat: number;
    lon: number;
    speed: number;
    course: number;
    heading: number;
    /** Simulated time (ms) of the next position report and of the next static report. */
    nextPosition: number;
    nextStatic: number;
    /** Raw ETA at `dest` (month, day, hour, minute), refreshed at departure. */
    eta: { month: number; day: number; hour: number; minute: number };
}

export interface FleetOptions {
    /** Number of vessels (default 200). */
    vessels?: number;
    /** PRNG seed (default 1). */
    seed?: number;
    /** Share of Class B craft (default 0.25). */
    classBShare?: number;
    ports?: readonly Port[];
    /** Sea routes between the ports (default: `local/data/sea-routes.json`). */
    routes?: readonly SeaRoute[];
}

/** The fields of a vessel's motion that a snapshot keeps as they are (its ports are kept by key). */
const MOTION = ['legNm', 'doneNm', 'mooredUntil', 'lat', 'lon', 'speed', 'course', 'heading', 'eta'] as const;
type Motion = Pick<Vessel, (typeof MOTION)[number]>;

function motionOf(v: Motion): Motion {
    return Object.fromEntries(MOTION.map((k) => [k, v[k]])) as unknown as Motion;
}

/** A vessel in a snapshot: its MMSI, its ports as UN/LOCODE + name (`portKey`), and its motion. */
export type SavedVessel = { mmsi: number; origin: string; dest: string; previous?: string } & Motion;

/** The fleet's dynamic state (JSON), saved by the simulator so a restart continues each vessel where it was. */
export interface FleetState {
    version: 1;
    /** Simulated time (ms) of the snapshot. */
    savedAt: number;
    vessels: SavedVessel[];
}

/** The raw AIS ETA fields (month, day, hour, minute; UTC) of a time. */
export function etaOf(time: number): Vessel['eta'] {
    const eta = new Date(time);
    return {
        month: eta.getUTCMonth() + 1,
        day: eta.getUTCDate(),
        hour: eta.getUTCHours(),
        minute: eta.getUTCMinutes(),
    };
}

/** The committed sea routes, read once per process. */
let committedRoutes: readonly SeaRoute[] | undefined;

/** Ports a vessel may sail to next: at most this many, the nearest by sea. */
const NEIGHBOURS = 15;

/**
 * Short-sea legs: ports this far apart by sea (NM, harbour approaches included). Closer ports share one harbour
 * area (Los Angeles / Long Beach 9.5 NM, Mumbai / Nhava Sheva 8.4 NM): a shift between them is a move inside a port
 * complex, not a voyage. Further is a coastal passage of more than a few hours.
 */
export const SHORT_SEA_NM: readonly [number, number] = [15, 60];

/** Minutes in port at each call: deep-sea and coastal vessels, short-sea vessels. */
const STAY_MINUTES: readonly [number, number] = [20, 180];
const SHORT_SEA_STAY_MINUTES: readonly [number, number] = [40, 120];

/**
 * The short-sea trade of the fleet: passenger ships (ferries), tugs and towing vessels, and cargo ships and tankers
 * shorter than 160 m (feeders, coastal and bunker tankers).
 */
export function isShortSea(v: Pick<Vessel, 'cls' | 'shiptype' | 'to_bow' | 'to_stern'>): boolean {
    if (v.cls !== 'A') return false;
    const t = v.shiptype;
    if (t === 31 || t === 52 || (t >= 60 && t <= 69)) return true;
    return t >= 70 && t <= 89 && v.to_bow + v.to_stern < 160;
}

/** Simulated seconds between reports, ITU-R M.1371-5 Annex 1 Tables 1 and 2 (course changes not modelled). */
export function reportIntervalSeconds(v: Pick<Vessel, 'cls' | 'speed' | 'mooredUntil'>): number {
    if (v.cls === 'B') return v.speed <= 2 ? 180 : 30;
    if (v.mooredUntil > 0 && v.speed <= 3) return 180;
    if (v.speed <= 14) return 10;
    if (v.speed <= 23) return 6;
    return 2;
}

/** Static data every 6 minutes (type 5 for Class A; type 24 parts A and B for Class B). */
export const STATIC_INTERVAL_SECONDS = 360;

export class Fleet {
    readonly vessels: Vessel[] = [];
    readonly #rng: Prng;
    readonly #ports: readonly Port[];
    /** For each port, the others nearest first. */
    readonly #near = new Map<string, Port[]>();
    /** For each port, the ports it has a sea route to, nearest by sea first. */
    readonly #reachable = new Map<string, Port[]>();
    /** For each port, the ports of its short-sea legs (`SHORT_SEA_NM` by sea), nearest first. */
    readonly #shortSea = new Map<string, Port[]>();
    /**
     * Where a short-sea vessel's home port comes from when the seed put it at a port without short-sea legs: its own
     * generator, so the identities of the seed's vessels (and the example particulars file) stay the same.
     */
    readonly #homeRng: Prng;
    /** Leg paths by `from|to` port keys, both directions. */
    readonly #legs = new Map<string, LegPath>();

    constructor(options: FleetOptions = {}, startTime = 0) {
        this.#rng = new Prng(options.seed ?? 1);
        this.#homeRng = new Prng(((options.seed ?? 1) ^ 0x5eaf00d) >>> 0);
        this.#ports = options.ports ?? portList();
        if (this.#ports.length < 2) throw new RangeError('the fleet needs at least two ports');
        this.#linkPorts(options.routes ?? (committedRoutes ??= loadSeaRoutes()));
        for (const p of this.#ports) {
            // Each distance once (not twice per comparison); the same stable order.
            const others = this.#ports.filter((q) => q !== p).map((q) => ({ q, nm: distanceNm(p, q) }));
            this.#near.set(
                portKey(p),
                others.sort((a, b) => a.nm - b.nm).map((o) => o.q),
            );
        }
        const n = options.vessels ?? 200;
        const classB = options.classBShare ?? 0.25;
        const used = new Set<number>();
        for (let i = 0; i < n; i++)
            this.vessels.push(this.#newVessel(this.#rng.chance(classB) ? 'B' : 'A', used, startTime));
    }

    get rng(): Prng {
        return this.#rng;
    }

    /** The ports the fleet sails between. */
    get ports(): readonly Port[] {
        return this.#ports;
    }

    /** The ports (at most 15) a vessel sails to from `port`, nearest by sea first. */
    reachableFrom(port: Port): readonly Port[] {
        return this.#reachable.get(portKey(port)) ?? [];
    }

    /** The ports of the short-sea legs from `port` (15-60 NM by sea), nearest first. */
    shortSeaFrom(port: Port): readonly Port[] {
        return this.#shortSea.get(portKey(port)) ?? [];
    }

    /** The path of the leg from `from` to `to` (their sea route, or the great circle when they have none). */
    legPath(from: Port, to: Port): LegPath {
        const key = `${portKey(from)}|${portKey(to)}`;
        let leg = this.#legs.get(key);
        if (leg === undefined) this.#legs.set(key, (leg = legPathOf([from, to])));
        return leg;
    }

    #linkPorts(routes: readonly SeaRoute[]): void {
        const byKey = new Map(this.#ports.map((p) => [portKey(p), p]));
        const links = new Map<string, { port: Port; nm: number }[]>();
        for (const r of routes) {
            const a = byKey.get(r.a);
            const b = byKey.get(r.b);
            if (a === undefined || b === undefined) continue;
            this.#legs.set(`${r.a}|${r.b}`, legPathOf([a, ...r.path, b]));
            this.#legs.set(`${r.b}|${r.a}`, legPathOf([b, ...[...r.path].reverse(), a]));
            for (const [from, to] of [
                [a, b],
                [b, a],
            ] as const) {
                let list = links.get(portKey(from));
                if (list === undefined) links.set(portKey(from), (list = []));
                list.push({ port: to, nm: r.nm });
            }
        }
        for (const [key, list] of links) {
            list.sort((x, y) => x.nm - y.nm);
            this.#reachable.set(
                key,
                list.slice(0, NEIGHBOURS).map((l) => l.port),
            );
            const short = list.filter((l) => l.nm >= SHORT_SEA_NM[0] && l.nm <= SHORT_SEA_NM[1]);
            if (short.length > 0)
                this.#shortSea.set(
                    key,
                    short.map((l) => l.port),
                );
        }
    }

    #newVessel(cls: 'A' | 'B', used: Set<number>, now: number): Vessel {
        const rng = this.#rng;
        const kind = rng.weighted(cls === 'A' ? CLASS_A_KINDS : CLASS_B_KINDS);
        const picked = rng.pick(this.#ports);
        // Start only where there is somewhere to sail to (not an inland or enclosed port): else at the nearest port
        // that has (no extra random draw, so the fleet's identities stay those of the seed).
        const origin =
            this.reachableFrom(picked).length > 0
                ? picked
                : (this.#near.get(portKey(picked))!.find((p) => this.reachableFrom(p).length > 0) ?? picked);
        const mid =
            cls === 'B'
                ? (HOME_MID[origin.iso2] ?? rng.weighted(MERCHANT_FLAGS))
                : rng.weighted(MERCHANT_FLAGS);
        let mmsi: number;
        do mmsi = mid * 1_000_000 + rng.int(1000, 999_999);
        while (used.has(mmsi));
        used.add(mmsi);
        const length = Math.round(rng.range(kind.length[0], kind.length[1]));
        const beam = Math.max(2, Math.round(length * rng.range(kind.beamRatio[0], kind.beamRatio[1])));
        const toBow = Math.round(length * rng.range(0.75, 0.9));
        const toPort = Math.round(beam / 2);
        const name =
            cls === 'B'
                ? rng.pick(LEISURE_NAMES) + (rng.chance(0.5) ? ` ${rng.int(1, 9)}` : '')
                : `${rng.pick(CARGO_PREFIX)} ${rng.pick(CARGO_WORDS)}`;
        const v: Vessel = {
            mmsi,
            cls,
            shipname: name.slice(0, 20),
            callsign: this.#callsign(),
            imo: cls === 'A' ? this.#imo() : 0,
            shiptype: rng.pick(kind.shiptype),
            to_bow: toBow,
            to_stern: length - toBow,
            to_port: toPort,
            to_starboard: beam - toPort,
            draught: Math.round(rng.range(kind.draught[0], kind.draught[1]) * 10) / 10,
            cruiseSpeed: Math.round(rng.range(kind.speed[0], kind.speed[1]) * 10) / 10,
            shortSea: false,
            origin,
            dest: origin,
            legNm: 0,
            doneNm: 0,
            mooredUntil: 0,
            lat: origin.lat,
            lon: origin.lon,
            speed: 0,
            course: 0,
            heading: 0,
            nextPosition: now,
            nextStatic: now,
            eta: { month: 0, day: 0, hour: 24, minute: 60 },
        };
        v.shortSea = isShortSea(v);
        if (v.shortSea && this.shortSeaFrom(v.origin).length === 0) {
            const homes = this.#ports.filter((p) => this.shortSeaFrom(p).length > 0);
            if (homes.length > 0) v.origin = v.dest = this.#homeRng.pick(homes);
            else v.shortSea = false;
        }
        this.#depart(v, now);
        if (rng.chance(0.15)) {
            // moored in port at the start
            v.doneNm = 0;
            v.mooredUntil = now + rng.range(5, 60) * 60_000;
        } else {
            v.doneNm = rng.range(0, v.legNm);
        }
        this.#place(v);
        return v;
    }

    #callsign(): string {
        const rng = this.#rng;
        const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
        let s = rng.pick([
            '3E',
            '3F',
            'V7',
            'A8',
            'D5',
            '9V',
            'VR',
            '9H',
            'C6',
            'SV',
            'B',
            'P',
            'L',
            'M',
            'D',
            'W',
            'PD',
            'OZ',
            '5B',
        ]);
        while (s.length < rng.int(4, 6))
            s += rng.chance(0.6) ? letters[rng.int(0, 25)] : String(rng.int(0, 9));
        return s;
    }

    #imo(): number {
        const first6 = this.#rng.int(900000, 999999); // 9xxxxxx: ships built since the late 1980s
        return first6 * 10 + imoCheckDigit(first6);
    }

    /**
     * Start a new leg from `v.origin` along the sea route to a nearby port (Class A: any of the 15 nearest by sea,
     * short-sea vessels: one of its short-sea legs, Class B: the 4 nearest). A port with no route (none planned) sends
     * the vessel back where it came from.
     */
    #depart(v: Vessel, now: number): void {
        const short = v.shortSea ? this.shortSeaFrom(v.origin) : [];
        const near = short.length > 0 ? short : this.reachableFrom(v.origin);
        const reach = v.cls === 'A' ? Math.min(NEIGHBOURS, near.length) : Math.min(4, near.length);
        const pick = this.#rng.int(0, Math.max(0, reach - 1));
        v.dest = reach > 0 ? near[pick]! : (v.previous ?? v.origin);
        v.leg = this.legPath(v.origin, v.dest);
        v.legNm = Math.max(1, v.leg.at[v.leg.at.length - 1]!);
        v.doneNm = 0;
        v.mooredUntil = 0;
        v.speed = v.cruiseSpeed;
        v.eta = etaOf(now + (v.legNm / v.cruiseSpeed) * 3_600_000);
    }

    #place(v: Vessel): void {
        const path = v.leg ?? this.legPath(v.origin, v.dest);
        const { circle, f } = segmentAt(path, v.doneNm);
        const p = pointOn(circle, f);
        v.lat = p.lat;
        v.lon = p.lon;
        if (v.mooredUntil > 0) {
            v.speed = 0;
            return;
        }
        v.course = bearingToward(p, circle);
        v.heading = Math.round((v.course + this.#rng.range(-3, 3) + 360) % 360) % 360;
    }

    /** Moves every vessel `dtMs` of simulated time forward, ending at simulated time `now`. */
    advance(dtMs: number, now: number): void {
        const rng = this.#rng;
        for (const v of this.vessels) {
            if (v.mooredUntil > 0) {
                if (now >= v.mooredUntil) this.#depart(v, now);
                else continue;
            }
            v.speed = Math.min(
                v.cruiseSpeed * 1.1,
                Math.max(v.cruiseSpeed * 0.9, v.speed + rng.range(-0.2, 0.2)),
            );
            v.doneNm += (v.speed * dtMs) / 3_600_000;
            if (v.doneNm >= v.legNm) {
                // arrived: moor for a while (STAY_MINUTES), then sail on from here
                const [least, most] = v.shortSea ? SHORT_SEA_STAY_MINUTES : STAY_MINUTES;
                v.previous = v.origin;
                v.origin = v.dest;
                v.doneNm = 0;
                v.legNm = 0;
                v.mooredUntil = now + rng.range(least, most) * 60_000;
                v.lat = v.origin.lat;
                v.lon = v.origin.lon;
                v.speed = 0;
                continue;
            }
            this.#place(v);
        }
    }

    /** Where every vessel is and where it is going, for a restart to continue from (`restore`). */
    snapshot(savedAt: number): FleetState {
        return {
            version: 1,
            savedAt,
            vessels: this.vessels.map((v) => ({
                mmsi: v.mmsi,
                origin: portKey(v.origin),
                dest: portKey(v.dest),
                ...(v.previous ? { previous: portKey(v.previous) } : {}),
                ...motionOf(v),
            })),
        };
    }

    /**
     * Puts the vessels of `state` (matched by MMSI; ports by UN/LOCODE and name) back where they were. Returns how
     * many were restored; vessels not in the state keep their generated position.
     */
    restore(state: FleetState): number {
        const ports = new Map(this.#ports.map((p) => [portKey(p), p]));
        const saved = new Map(state.vessels.map((v) => [v.mmsi, v]));
        let restored = 0;
        for (const v of this.vessels) {
            const s = saved.get(v.mmsi);
            const origin = s && ports.get(s.origin);
            const dest = s && ports.get(s.dest);
            if (!s || !origin || !dest) continue;
            v.origin = origin;
            v.dest = dest;
            v.leg = this.legPath(origin, dest);
            v.previous = s.previous === undefined ? undefined : ports.get(s.previous);
            Object.assign(v, motionOf(s));
            restored++;
        }
        return restored;
    }

    /** Navigational status of a Class A vessel. */
    status(v: Vessel): number {
        if (v.mooredUntil > 0) return 5; // moored
        if (v.shiptype === 30) return 7; // engaged in fishing
        return 0; // under way using engine
    }

    /** The position report of `v` now; `wallTime` gives the UTC second field. */
    positionReport(v: Vessel, wallTime: number): EncodableMessage {
        const rng = this.#rng;
        const common = {
            mmsi: v.mmsi,
            speed: Math.round(v.speed * 10) / 10,
            accuracy: rng.chance(0.7),
            lon: v.lon,
            lat: v.lat,
            course: Math.round(v.course * 10) / 10,
            heading: v.heading,
            second: new Date(wallTime).getUTCSeconds(),
            raim: false,
        };
        if (v.cls === 'B') {
            const m: PositionReportB = {
                type: 18,
                ...common,
                cs: true,
                display: false,
                dsc: true,
                band: true,
                msg22: true,
            };
            return m;
        }
        const m: PositionReportA = {
            type: rng.chance(0.9) ? 1 : 3,
            ...common,
            status: this.status(v),
            turn: v.mooredUntil > 0 ? 0 : Math.round(rng.range(-1, 1) * 10) / 10,
            maneuver: 0,
            radio: rng.int(0, 2 ** 19 - 1),
        };
        return m;
    }

    /** Static data of `v`: one type 5, or type 24 parts A and B. */
    staticReports(v: Vessel): EncodableMessage[] {
        if (v.cls === 'B') {
            return [
                { type: 24, partno: 0, mmsi: v.mmsi, shipname: v.shipname },
                {
                    type: 24,
                    partno: 1,
                    mmsi: v.mmsi,
                    shiptype: v.shiptype,
                    vendorid: 'SIM',
                    model: 1,
                    serial: v.mmsi % 2 ** 20,
                    callsign: v.callsign,
                    to_bow: v.to_bow,
                    to_stern: v.to_stern,
                    to_port: v.to_port,
                    to_starboard: v.to_starboard,
                },
            ];
        }
        const m: StaticVoyageA = {
            type: 5,
            mmsi: v.mmsi,
            ais_version: 2,
            imo: v.imo,
            callsign: v.callsign,
            shipname: v.shipname,
            shiptype: v.shiptype,
            to_bow: v.to_bow,
            to_stern: v.to_stern,
            to_port: v.to_port,
            to_starboard: v.to_starboard,
            epfd: 1,
            ...v.eta,
            draught: v.draught,
            destination: `${v.dest.locode.slice(0, 2)} ${v.dest.locode.slice(2)}`, // e.g. "NL RTM", as crews often type it
            dte: false,
        };
        return [m];
    }
}
