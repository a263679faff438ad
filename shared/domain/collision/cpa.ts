/**
 * Closest point of approach (CPA) and time to it (TCPA) for two vessels in straight-line motion.
 *
 * Conventions:
 * - Positions in degrees, SOG in knots, COG in degrees true (0 = north, 90 = east).
 * - The pair is projected onto a local flat plane around its mid-latitude (equirectangular: x = Δlon · cos(lat0),
 *   y = Δlat, both in nautical miles of the mean sphere of geo.ts, Δlon taken the short way across ±180). Good
 *   to well under 1 % for the tens of miles that matter to collision risk.
 * - tcpaMin > 0: the closest approach lies ahead; tcpaMin < 0: it is past (the vessels are opening) and cpaNm is
 *   the distance they had then; tcpaMin = 0: closest now. Relative velocity zero (same course and speed, or both
 *   stopped): the range never changes, tcpaMin = Infinity and cpaNm = the current range.
 */
import { EARTH_RADIUS_NM } from '../geo/geo.js';

const RAD = Math.PI / 180;
/** Nautical miles per degree of latitude on the sphere of geo.ts (≈ 60.04). */
export const NM_PER_DEG = EARTH_RADIUS_NM * RAD;

/** Relative speeds below this (knots) count as zero relative motion. */
const MIN_REL_SPEED_KN = 1e-9;

export interface Kinematics {
    lat: number;
    lon: number;
    /** Speed over ground, knots. */
    sog: number;
    /** Course over ground, degrees true. */
    cog: number;
}

export interface CpaResult {
    /** Distance at the closest point of approach, nautical miles. */
    cpaNm: number;
    /** Minutes from now to the closest point of approach (negative: in the past; Infinity: range constant). */
    tcpaMin: number;
    /** Current range on the local plane, nautical miles. */
    rangeNm: number;
}

/** Velocity in knots as [east, north]. */
export function velocity(sog: number, cog: number): [number, number] {
    return [sog * Math.sin(cog * RAD), sog * Math.cos(cog * RAD)];
}

/** Δlon in degrees the short way round, in [-180, 180). */
function deltaLon(lon1: number, lon2: number): number {
    const d = (((lon2 - lon1 + 180) % 360) + 360) % 360;
    return d - 180;
}

/**
 * CPA/TCPA from relative position (B − A, NM east/north) and relative velocity (B − A, knots).
 * Exposed for callers that already work on a plane.
 */
export function cpaFromRelative(dx: number, dy: number, dvx: number, dvy: number): CpaResult {
    const rangeNm = Math.hypot(dx, dy);
    const v2 = dvx * dvx + dvy * dvy;
    if (v2 < MIN_REL_SPEED_KN * MIN_REL_SPEED_KN) return { cpaNm: rangeNm, tcpaMin: Infinity, rangeNm };
    const tHours = -(dx * dvx + dy * dvy) / v2;
    const cx = dx + dvx * tHours;
    const cy = dy + dvy * tHours;
    // +0 rather than -0 when the closest approach is now.
    return { cpaNm: Math.hypot(cx, cy), tcpaMin: tHours * 60 + 0, rangeNm };
}

/** CPA/TCPA of vessels A and B (see the module comment for the conventions). */
export function cpa(a: Kinematics, b: Kinematics): CpaResult {
    const lat0 = ((a.lat + b.lat) / 2) * RAD;
    const dx = deltaLon(a.lon, b.lon) * Math.cos(lat0) * NM_PER_DEG;
    const dy = (b.lat - a.lat) * NM_PER_DEG;
    const [avx, avy] = velocity(a.sog, a.cog);
    const [bvx, bvy] = velocity(b.sog, b.cog);
    return cpaFromRelative(dx, dy, bvx - avx, bvy - avy);
}
