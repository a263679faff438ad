/**
 * Implied speed between two fixes of one vessel, and the "implausible jump" rule. A jump flags the later
 * record (IMPLAUSIBLE_JUMP); it never rejects it, because the previous fix may be the wrong one.
 */
import { haversineNm } from '../geo/geo.js';

/** A fix: event time (epoch ms) and position (degrees). */
export interface Fix {
    eventTime: number;
    lat: number;
    lon: number;
}

export interface JumpOptions {
    /** Implied speeds above this (knots) are implausible. Default 50. */
    implausibleSpeedKnots?: number;
    /**
     * Moves shorter than this (nautical miles) are never jumps, whatever the time delta: event times have 1 s
     * resolution and positions about 10 m of noise, so two fixes a second apart can imply tens of knots.
     * Default 0.1 nm (185 m).
     */
    minJumpDistanceNm?: number;
}

export const DEFAULT_IMPLAUSIBLE_SPEED_KNOTS = 50;
export const DEFAULT_MIN_JUMP_DISTANCE_NM = 0.1;

export interface Movement {
    /** Great-circle distance between the fixes, nautical miles. */
    distanceNm: number;
    /** current.eventTime - previous.eventTime in seconds; negative when the "previous" fix is the later one. */
    elapsedS: number;
    /** distanceNm / |elapsedS| in knots; undefined when elapsedS is 0. */
    impliedSpeedKn: number | undefined;
    /** True when the move is an implausible jump (see {@link isImplausibleJump}). */
    jump: boolean;
}

/**
 * Decides whether a move is implausible: longer than minJumpDistanceNm and faster than implausibleSpeedKnots,
 * with the time delta taken as |elapsedS| but at least 1 s (so two distant fixes with the same time are a
 * jump, and the order of the fixes does not matter).
 */
export function isImplausibleJump(distanceNm: number, elapsedS: number, options: JumpOptions = {}): boolean {
    if (!(distanceNm > (options.minJumpDistanceNm ?? DEFAULT_MIN_JUMP_DISTANCE_NM))) return false;
    const seconds = Math.max(Math.abs(elapsedS), 1);
    return (distanceNm * 3600) / seconds > (options.implausibleSpeedKnots ?? DEFAULT_IMPLAUSIBLE_SPEED_KNOTS);
}

/** Distance, elapsed time, implied speed and jump verdict from `previous` to `current`. */
export function movement(previous: Fix, current: Fix, options: JumpOptions = {}): Movement {
    const distanceNm = haversineNm(previous.lat, previous.lon, current.lat, current.lon);
    const elapsedS = (current.eventTime - previous.eventTime) / 1000;
    return {
        distanceNm,
        elapsedS,
        impliedSpeedKn: elapsedS === 0 ? undefined : (distanceNm * 3600) / Math.abs(elapsedS),
        jump: isImplausibleJump(distanceNm, elapsedS, options),
    };
}
