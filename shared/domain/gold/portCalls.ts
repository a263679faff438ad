/**
 * Port calls and voyages from a vessel's ordered fixes: a state machine with hysteresis, carried over between
 * windows (the state at the end of one day is the start of the next), pure and deterministic.
 *
 * Rules (radii per port; `radiusNm` from the ports file):
 * - approach area: within `approachNm` of the port (default radius + 10 NM): a vessel stopped here (SOG < 0.5 kn, or
 *   navigational status 1 "at anchor") before arriving is waiting at anchor;
 * - arrival: stopped (SOG < 0.5 kn, or status 5 "moored") inside the port radius continuously for at least
 *   `arriveAfterMs` (default 30 min); the arrival time is the start of that stop;
 * - departure: the vessel is beyond the departure radius (default 2 x radius); the departure time is the last fix
 *   inside the port radius before that (the call's end);
 * - a coverage gap does not end a call: a vessel that goes silent in port and reappears beyond the departure radius
 *   departed at its last fix inside the port, and the call says how long the gap before that reappearance was.
 * - a voyage runs from one call's departure to the next call's arrival.
 */
import { type DayTrack, haversineNm } from './track.js';

export interface Port {
    locode: string;
    name: string;
    lat: number;
    lon: number;
    radiusNm: number;
}

export interface PortCallRules {
    stoppedSogKn: number;
    arriveAfterMs: number;
    /** Approach (anchorage) radius = radius + this. */
    approachMarginNm: number;
    /** Departure radius = radius x this. */
    departFactor: number;
}

export const DEFAULT_PORT_CALL_RULES: PortCallRules = {
    stoppedSogKn: 0.5,
    arriveAfterMs: 30 * 60_000,
    approachMarginNm: 10,
    departFactor: 2,
};

/** The state carried from one window to the next (JSON). */
export interface PortCallState {
    /** Epoch ms of the last fix seen. */
    lastT?: number;
    lastLat?: number;
    lastLon?: number;
    /** Whether the last fix was stopped (its interval to the next fix counts as waiting). */
    lastStopped?: boolean;
    /** The port whose approach area the vessel is in (before arriving). */
    approach?: { locode: string; anchorMs: number; since: number };
    /** Inside a port radius and stopped since. */
    stop?: { locode: string; since: number };
    /** The open call. */
    call?: { locode: string; arrival: number; anchorHours: number; lastInside: number; maxGapMs: number };
    /** The last departure, for the next voyage. */
    departed?: { locode: string; time: number; distanceNm: number; anchorMs: number };
}

export interface PortCall {
    mmsi: number;
    locode: string;
    port_name: string;
    /** Epoch ms. */
    arrival: number;
    departure: number | null;
    hours_in_port: number | null;
    anchor_hours_before: number;
    /** Largest gap between fixes while in port, hours. */
    max_gap_hours: number;
    status: 'closed' | 'open';
}

export interface Voyage {
    mmsi: number;
    from_locode: string;
    to_locode: string;
    departure: number;
    arrival: number;
    duration_hours: number;
    distance_nm: number;
    port_distance_nm: number;
    /** Distance sailed / great-circle distance between the ports (null when the ports coincide). */
    detour_ratio: number | null;
    mean_speed_kn: number | null;
    anchor_hours_before_arrival: number;
}

/** Ports on a 1-degree grid, for the nearest port within a distance. */
export class PortIndex {
    readonly #cells = new Map<string, Port[]>();
    readonly #byLocode = new Map<string, Port>();
    readonly #reachDeg: number;
    /**
     * Per 1-degree cell of a query point, the ports of every grid cell within reach, in the order the search visits
     * them (built on first use): the hot path of the gold pass asks once per fix, and most fixes are at sea, where
     * the list is empty.
     */
    readonly #candidates = new Map<number, readonly Port[]>();

    constructor(
        ports: readonly Port[],
        readonly rules: PortCallRules = DEFAULT_PORT_CALL_RULES,
    ) {
        let maxReach = 0;
        for (const p of ports) {
            this.#byLocode.set(p.locode, p);
            maxReach = Math.max(maxReach, this.departNm(p), this.approachNm(p));
            const key = cellKey(p.lat, p.lon);
            this.#cells.set(key, [...(this.#cells.get(key) ?? []), p]);
        }
        this.#reachDeg = Math.ceil(maxReach / 60) + 0;
    }

    approachNm(p: Port): number {
        return p.radiusNm + this.rules.approachMarginNm;
    }

    departNm(p: Port): number {
        return p.radiusNm * this.rules.departFactor;
    }

    get(locode: string): Port | undefined {
        return this.#byLocode.get(locode);
    }

    /** The nearest port whose approach area contains the point, with the distance to it. */
    nearest(lat: number, lon: number): { port: Port; distanceNm: number } | undefined {
        const row = Math.floor(lat);
        const col = Math.floor(lon);
        // Unique per (row, col) while |col| < 2048 (valid longitudes are within +-180; others are not cached).
        const key = row * 4096 + col;
        let candidates = this.#candidates.get(key);
        if (candidates === undefined) {
            candidates = this.#near(row, col);
            if (col >= -2048 && col < 2048) this.#candidates.set(key, candidates);
        }
        let best: Port | undefined;
        let bestNm = Number.POSITIVE_INFINITY;
        for (const p of candidates) {
            const d = haversineNm(lat, lon, p.lat, p.lon);
            if (d <= this.approachNm(p) && (best === undefined || d < bestNm)) {
                best = p;
                bestNm = d;
            }
        }
        return best === undefined ? undefined : { port: best, distanceNm: bestNm };
    }

    /** The ports of the grid cells within reach of cell (row, col), in search order. */
    #near(row: number, col: number): readonly Port[] {
        const out: Port[] = [];
        const r = this.#reachDeg;
        for (let dr = -r; dr <= r; dr++) {
            // Longitude degrees shrink towards the poles: widen the search with latitude.
            const rc = Math.min(180, Math.ceil(r / Math.max(0.05, Math.cos(((row + dr) * Math.PI) / 180))));
            for (let dc = -rc; dc <= rc; dc++) {
                const c = ((((col + dc + 180) % 360) + 360) % 360) - 180;
                for (const p of this.#cells.get(`${row + dr}:${c}`) ?? []) out.push(p);
            }
        }
        return out.length === 0 ? NO_PORTS : out;
    }
}

const NO_PORTS: readonly Port[] = [];

function cellKey(lat: number, lon: number): string {
    return `${Math.floor(lat)}:${Math.floor(lon)}`;
}

export interface PortCallResult {
    state: PortCallState;
    /** Calls that ended (departed) in this window. */
    closed: PortCall[];
    /** The call still open at the end of the window. */
    open?: PortCall;
    /** Voyages that ended (arrived) in this window. */
    voyages: Voyage[];
}

/** Advances a vessel's port-call state over its fixes of one window (ordered by time; fixes flagged as jumps skipped). */
export function advancePortCalls(
    mmsi: number,
    start: PortCallState,
    track: DayTrack,
    ports: PortIndex,
): PortCallResult {
    const s: PortCallState = structuredClone(start);
    const rules = ports.rules;
    const closed: PortCall[] = [];
    const voyages: Voyage[] = [];
    for (let i = 0; i < track.t.length; i++) {
        if (track.jump[i] === 1) continue;
        const t = track.t[i]!;
        if (s.lastT !== undefined && t <= s.lastT) continue;
        const lat = track.lat[i]!;
        const lon = track.lon[i]!;
        const sog = track.sog[i]!;
        const nav = track.navStatus[i]!;
        const gapMs = s.lastT === undefined ? 0 : t - s.lastT;
        if (s.departed !== undefined && s.lastLat !== undefined && s.lastLon !== undefined) {
            s.departed.distanceNm += haversineNm(s.lastLat, s.lastLon, lat, lon);
        }
        const stopped = (!Number.isNaN(sog) && sog < rules.stoppedSogKn) || nav === 5 || nav === 1;
        const near = ports.nearest(lat, lon);

        if (s.call !== undefined) {
            const port = ports.get(s.call.locode)!;
            const d = haversineNm(lat, lon, port.lat, port.lon);
            if (d > ports.departNm(port)) {
                // A gap just before the vessel is seen outside is part of the call's coverage.
                s.call.maxGapMs = Math.max(s.call.maxGapMs, gapMs);
                closed.push(toCall(mmsi, s.call, port, s.call.lastInside));
                s.departed = {
                    locode: port.locode,
                    time: s.call.lastInside,
                    distanceNm: haversineNm(port.lat, port.lon, lat, lon),
                    anchorMs: 0,
                };
                delete s.call;
                delete s.stop;
            } else {
                s.call.maxGapMs = Math.max(s.call.maxGapMs, gapMs);
                if (d <= port.radiusNm) s.call.lastInside = t;
            }
        }

        if (s.call === undefined) {
            // Approach area: anchor waiting before a call.
            if (near !== undefined && near.distanceNm > near.port.radiusNm) {
                if (s.approach?.locode !== near.port.locode)
                    s.approach = { locode: near.port.locode, anchorMs: 0, since: t };
                // Each fix holds until the next (as in vessel_daily): the interval counts when its first fix was stopped.
                else if (s.lastStopped === true) s.approach.anchorMs += Math.min(gapMs, 6 * 3_600_000);
                delete s.stop;
            } else if (near !== undefined && stopped) {
                // Inside the port radius and stopped: arrived once the stop lasted long enough.
                if (s.stop?.locode !== near.port.locode) s.stop = { locode: near.port.locode, since: t };
                if (t - s.stop.since >= rules.arriveAfterMs) {
                    const anchorMs = s.approach?.locode === near.port.locode ? s.approach.anchorMs : 0;
                    s.call = {
                        locode: near.port.locode,
                        arrival: s.stop.since,
                        anchorHours: anchorMs / 3_600_000,
                        lastInside: t,
                        maxGapMs: 0,
                    };
                    if (s.departed !== undefined)
                        voyages.push(toVoyage(mmsi, s.departed, near.port, s.stop.since, ports, anchorMs));
                    delete s.departed;
                    delete s.approach;
                    delete s.stop;
                }
            } else {
                delete s.stop;
                if (near === undefined) delete s.approach;
            }
        }
        s.lastT = t;
        s.lastStopped = stopped;
        s.lastLat = lat;
        s.lastLon = lon;
    }
    const result: PortCallResult = { state: s, closed, voyages };
    if (s.call !== undefined) result.open = toCall(mmsi, s.call, ports.get(s.call.locode)!, null);
    return result;
}

function toCall(
    mmsi: number,
    call: NonNullable<PortCallState['call']>,
    port: Port,
    departure: number | null,
): PortCall {
    return {
        mmsi,
        locode: port.locode,
        port_name: port.name,
        arrival: call.arrival,
        departure,
        hours_in_port: departure === null ? null : (departure - call.arrival) / 3_600_000,
        anchor_hours_before: call.anchorHours,
        max_gap_hours: call.maxGapMs / 3_600_000,
        status: departure === null ? 'open' : 'closed',
    };
}

function toVoyage(
    mmsi: number,
    departed: NonNullable<PortCallState['departed']>,
    to: Port,
    arrival: number,
    ports: PortIndex,
    anchorMs: number,
): Voyage {
    const from = ports.get(departed.locode)!;
    const portDistance = haversineNm(from.lat, from.lon, to.lat, to.lon);
    const hours = (arrival - departed.time) / 3_600_000;
    return {
        mmsi,
        from_locode: from.locode,
        to_locode: to.locode,
        departure: departed.time,
        arrival,
        duration_hours: hours,
        distance_nm: departed.distanceNm,
        port_distance_nm: portDistance,
        detour_ratio: portDistance > 0.1 ? departed.distanceNm / portDistance : null,
        mean_speed_kn: hours > 0 ? departed.distanceNm / hours : null,
        anchor_hours_before_arrival: anchorMs / 3_600_000,
    };
}
