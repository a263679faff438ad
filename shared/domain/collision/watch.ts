/**
 * Collision-risk watch over a fleet snapshot: dead-reckon every vessel to `now`, bucket the positions in a
 * latitude-aware grid, and compute CPA/TCPA once for each pair close enough to matter.
 *
 * Choices (documented for the alert consumers):
 * - Dead reckoning: each vessel is moved from its last fix along its COG at its SOG to `now` (straight line on
 *   the local plane). Fixes older than `staleAfterMs` are skipped; fixes in the future (clock skew) are used as
 *   they are, without moving them back.
 * - Eligibility: a vessel with unknown SOG (missing, not finite, negative, or ≥ 102.2 kn, the AIS "not available"
 *   value) is skipped. A vessel with SOG < `minSogKn` (0.5 kn) counts as stationary (anchored, moored or
 *   drifting) and takes part with zero velocity, whatever its COG. A moving vessel with unknown COG (missing,
 *   not finite, or ≥ 360, AIS "not available") is skipped. A pair of two stationary vessels is never a risk
 *   (ships at anchor lie close together by design); a moving vessel closing on a stationary one is.
 * - Risk: CPA ≤ cpaNm and 0 < TCPA ≤ tcpaMaxMin (and, when maxRangeNm is given, current range ≤ maxRangeNm).
 * - Duplicate MMSIs: the latest fix (by eventTime) wins.
 * - Output: one Risk per pair, mmsiA < mmsiB, sorted by (mmsiA, mmsiB).
 *
 * Grid: a pair can only reach CPA ≤ cpaNm within tcpaMaxMin if its current range is at most
 * reach = (sogA + sogB) · tcpaMaxMin / 60 + cpaNm. Cells are `maxReach` NM tall (maxReach from the two highest
 * speeds in the fleet); each latitude row has its own column width, maxReach / cos(poleward edge of the row and
 * its neighbours), so the columns to scan around a vessel always cover ±maxReach east-west. Columns wrap at ±180.
 */
import { bearing, haversineNm } from '../geo/geo.js';
import { cpaFromRelative, NM_PER_DEG, velocity } from './cpa.js';

export interface VesselFix {
    mmsi: number;
    lat: number;
    lon: number;
    /** Knots; undefined / null when unknown. */
    sog?: number | null;
    /** Degrees true; undefined / null when unknown. */
    cog?: number | null;
    /** Epoch milliseconds of the fix. */
    eventTime: number;
}

export interface WatchOptions {
    /** CPA threshold, NM (default 0.5). */
    cpaNm?: number;
    /** TCPA horizon, minutes (default 20). */
    tcpaMaxMin?: number;
    /** Optional cap on the current range of a pair, NM. */
    maxRangeNm?: number;
    /** Evaluation time, epoch ms; every vessel is dead-reckoned to it. */
    now: number;
    /** Fixes older than this are ignored (default 10 minutes). */
    staleAfterMs?: number;
    /** Below this SOG a vessel is stationary (default 0.5 kn). */
    minSogKn?: number;
}

export interface Risk {
    /** `${mmsiA}-${mmsiB}` with mmsiA < mmsiB. */
    pairId: string;
    mmsiA: number;
    mmsiB: number;
    cpaNm: number;
    tcpaMin: number;
    /** Current range (at `now`, after dead reckoning), NM (great circle). */
    rangeNm: number;
    /** Bearing from A to B at `now`, degrees true. */
    bearingDeg: number;
    /** Dead-reckoned positions at `now`. */
    latA: number;
    lonA: number;
    latB: number;
    lonB: number;
}

export interface WatchStats {
    /** Vessels given, and those taking part after staleness and eligibility checks. */
    vessels: number;
    eligible: number;
    /** Pairs found in neighbouring cells (each counted once). */
    candidatePairs: number;
    /** Pairs for which CPA/TCPA was computed (candidates passing the range pre-check). */
    pairsEvaluated: number;
    risks: number;
    /** Grid cell height, NM. */
    cellNm: number;
}

/** A vessel ready for pair evaluation: position at `now`, velocity on the local plane. */
export interface PreparedVessel {
    mmsi: number;
    lat: number;
    lon: number;
    sog: number;
    /** Velocity east / north, knots (zero when stationary). */
    vx: number;
    vy: number;
    moving: boolean;
}

interface ResolvedOptions {
    cpaNm: number;
    tcpaMaxMin: number;
    maxRangeNm: number;
    now: number;
    staleAfterMs: number;
    minSogKn: number;
}

const RAD = Math.PI / 180;
const SOG_NOT_AVAILABLE = 102.2;
const MIN_COS = 0.01;

function resolve(options: WatchOptions): ResolvedOptions {
    const o = {
        cpaNm: options.cpaNm ?? 0.5,
        tcpaMaxMin: options.tcpaMaxMin ?? 20,
        maxRangeNm: options.maxRangeNm ?? Infinity,
        now: options.now,
        staleAfterMs: options.staleAfterMs ?? 10 * 60_000,
        minSogKn: options.minSogKn ?? 0.5,
    };
    for (const [k, v] of Object.entries(o)) {
        if (Number.isNaN(v) || v < 0) throw new RangeError(`${k} must be a non-negative number, got ${v}`);
    }
    if (!Number.isFinite(o.now)) throw new RangeError('now must be epoch milliseconds');
    return o;
}

function normaliseLon(lon: number): number {
    return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * Applies the staleness and eligibility rules and dead-reckons to `now`. Exposed so that a brute-force
 * reference (bench, tests) evaluates exactly the same vessels.
 */
export function prepareFleet(vessels: readonly VesselFix[], options: WatchOptions): PreparedVessel[] {
    const o = resolve(options);
    const latest = new Map<number, VesselFix>();
    for (const v of vessels) {
        const prev = latest.get(v.mmsi);
        if (prev === undefined || v.eventTime > prev.eventTime) latest.set(v.mmsi, v);
    }
    const out: PreparedVessel[] = [];
    for (const v of latest.values()) {
        if (!Number.isFinite(v.lat) || !Number.isFinite(v.lon) || Math.abs(v.lat) > 90) continue;
        if (!Number.isFinite(v.eventTime) || o.now - v.eventTime > o.staleAfterMs) continue;
        const sog = v.sog;
        if (sog == null || !Number.isFinite(sog) || sog < 0 || sog >= SOG_NOT_AVAILABLE) continue;
        const moving = sog >= o.minSogKn;
        let vx = 0;
        let vy = 0;
        if (moving) {
            const cog = v.cog;
            if (cog == null || !Number.isFinite(cog) || cog < 0 || cog >= 360) continue;
            [vx, vy] = velocity(sog, cog);
        }
        let lat = v.lat;
        let lon = v.lon;
        const hours = Math.max(0, o.now - v.eventTime) / 3_600_000;
        if (moving && hours > 0) {
            lat = v.lat + (vy * hours) / NM_PER_DEG;
            const cosLat = Math.max(Math.cos(((v.lat + lat) / 2) * RAD), MIN_COS);
            lon = normaliseLon(v.lon + (vx * hours) / (NM_PER_DEG * cosLat));
            lat = Math.max(-90, Math.min(90, lat));
        }
        out.push({ mmsi: v.mmsi, lat, lon, sog: moving ? sog : 0, vx, vy, moving });
    }
    // Deterministic processing order whatever the input order.
    return out.sort((a, b) => a.mmsi - b.mmsi);
}

/** The range within which a pair can still reach CPA ≤ cpaNm inside the TCPA horizon. */
function reachNm(a: PreparedVessel, b: PreparedVessel, o: ResolvedOptions): number {
    return Math.min((a.sog + b.sog) * (o.tcpaMaxMin / 60) + o.cpaNm, o.maxRangeNm);
}

/**
 * Evaluates one pair (a.mmsi < b.mmsi): undefined when it cannot be a risk, else the Risk. `counted` is called
 * when CPA/TCPA is actually computed.
 */
export function evaluatePair(
    a: PreparedVessel,
    b: PreparedVessel,
    options: WatchOptions,
    counted?: () => void,
): Risk | undefined {
    return evaluate(a, b, resolve(options), counted);
}

function evaluate(
    a: PreparedVessel,
    b: PreparedVessel,
    o: ResolvedOptions,
    counted?: () => void,
): Risk | undefined {
    if (!a.moving && !b.moving) return undefined;
    const lat0 = ((a.lat + b.lat) / 2) * RAD;
    let dLon = b.lon - a.lon;
    if (dLon >= 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    const dx = dLon * Math.cos(lat0) * NM_PER_DEG;
    const dy = (b.lat - a.lat) * NM_PER_DEG;
    const reach = reachNm(a, b, o);
    if (dx * dx + dy * dy > reach * reach) return undefined;
    counted?.();
    const r = cpaFromRelative(dx, dy, b.vx - a.vx, b.vy - a.vy);
    if (!(r.cpaNm <= o.cpaNm && r.tcpaMin > 0 && r.tcpaMin <= o.tcpaMaxMin)) return undefined;
    const [first, second] = a.mmsi < b.mmsi ? [a, b] : [b, a];
    return {
        pairId: `${first.mmsi}-${second.mmsi}`,
        mmsiA: first.mmsi,
        mmsiB: second.mmsi,
        cpaNm: r.cpaNm,
        tcpaMin: r.tcpaMin,
        rangeNm: haversineNm(first.lat, first.lon, second.lat, second.lon),
        bearingDeg: bearing(first.lat, first.lon, second.lat, second.lon),
        latA: first.lat,
        lonA: first.lon,
        latB: second.lat,
        lonB: second.lon,
    };
}

export interface WatchResult {
    risks: Risk[];
    stats: WatchStats;
}

/** `findCollisionRisks` with counters (for logs, metrics and the benchmark). */
export function scanCollisionRisks(vessels: readonly VesselFix[], options: WatchOptions): WatchResult {
    const o = resolve(options);
    const fleet = prepareFleet(vessels, options);
    // The two highest speeds bound the reach of any pair.
    let top1 = 0;
    let top2 = 0;
    for (const v of fleet) {
        if (v.sog > top1) [top1, top2] = [v.sog, top1];
        else if (v.sog > top2) top2 = v.sog;
    }
    const cellNm = Math.max(Math.min((top1 + top2) * (o.tcpaMaxMin / 60) + o.cpaNm, o.maxRangeNm), 0.1);
    const cellDeg = cellNm / NM_PER_DEG;
    const rows = Math.ceil(180 / cellDeg);
    const rowOf = (lat: number) => Math.min(rows - 1, Math.floor((lat + 90) / cellDeg));
    // Column width of a row: wide enough at the poleward edge of the row and both neighbours.
    const colDeg: number[] = [];
    const cols: number[] = [];
    for (let r = 0; r < rows; r++) {
        const edge = Math.max(Math.abs(-90 + (r - 1) * cellDeg), Math.abs(-90 + (r + 2) * cellDeg));
        const c = Math.max(Math.cos(Math.min(edge, 90) * RAD), MIN_COS);
        const n = Math.max(1, Math.floor(360 / (cellDeg / c)));
        cols.push(n);
        colDeg.push(360 / n);
    }
    const colOf = (r: number, lon: number) => Math.min(cols[r]! - 1, Math.floor((lon + 180) / colDeg[r]!));
    const cells = new Map<number, number[]>();
    const key = (r: number, c: number) => r * 1_000_000 + c;
    fleet.forEach((v, i) => {
        const r = rowOf(v.lat);
        const k = key(r, colOf(r, v.lon));
        const list = cells.get(k);
        if (list === undefined) cells.set(k, [i]);
        else list.push(i);
    });

    const risks: Risk[] = [];
    let candidatePairs = 0;
    let pairsEvaluated = 0;
    const count = () => void pairsEvaluated++;
    const seenCols = new Set<number>();
    fleet.forEach((a, i) => {
        const r0 = rowOf(a.lat);
        for (let r = r0 - 1; r <= r0 + 1; r++) {
            if (r < 0 || r >= rows) continue;
            const n = cols[r]!;
            // A column of row r is at least cellNm wide at every latitude of rows r-1..r+1, so any vessel within
            // reach lies in the columns next to a's.
            const span = Math.min(1, n);
            const c0 = colOf(r, a.lon);
            seenCols.clear();
            for (let dc = -span; dc <= span; dc++) {
                const c = (((c0 + dc) % n) + n) % n;
                if (seenCols.has(c)) continue;
                seenCols.add(c);
                const list = cells.get(key(r, c));
                if (list === undefined) continue;
                for (const j of list) {
                    if (j <= i) continue;
                    candidatePairs++;
                    const risk = evaluate(a, fleet[j]!, o, count);
                    if (risk !== undefined) risks.push(risk);
                }
            }
        }
    });
    risks.sort((x, y) => x.mmsiA - y.mmsiA || x.mmsiB - y.mmsiB);
    return {
        risks,
        stats: {
            vessels: vessels.length,
            eligible: fleet.length,
            candidatePairs,
            pairsEvaluated,
            risks: risks.length,
            cellNm,
        },
    };
}

/** Collision risks in a fleet snapshot (see the module comment for every rule). */
export function findCollisionRisks(vessels: readonly VesselFix[], options: WatchOptions): Risk[] {
    return scanCollisionRisks(vessels, options).risks;
}
