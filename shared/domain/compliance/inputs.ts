/**
 * What the compliance checks read, in plain shapes the app layer fills from silver and gold (no Parquet, no SDK):
 * a vessel's fixes in event-time order, its particulars, the ports.
 */
import { haversineNm } from '../geo/geo.js';

/** One accepted AIS fix. */
export interface TrackFix {
    /** Event time, epoch ms. */
    t: number;
    lat: number;
    lon: number;
    /** Speed over ground, knots (absent when not available). */
    sog?: number;
    /** AIS navigational status (0 under way using engine, 1 at anchor, 5 moored, ...). */
    navStatus?: number;
    /** Silver flagged the fix IMPLAUSIBLE_JUMP (implied speed from the previous fix above the limit). */
    jump?: boolean;
}

/** A vessel's fixes (ascending by `t`) and what is known of it. */
export interface VesselTrack {
    mmsi: number;
    imo?: number;
    name?: string;
    /** Length overall, metres (AIS to_bow + to_stern), when known. */
    lengthM?: number;
    fixes: readonly TrackFix[];
}

/**
 * A port: UN/LOCODE, name, position, and its port area: within `radiusNm` of the position a vessel is in port. The
 * port list (`shared/data/ports.tsv`, `radius_nm`) gives each port its own area, the one gold port calls use too (a
 * vessel stopped within it has arrived), so the checks and the port calls agree on where a vessel is in port.
 */
export interface PortLocation {
    locode: string;
    name: string;
    lat: number;
    lon: number;
    radiusNm: number;
}

/** The window a check run covers, epoch ms, [start, end). */
export interface CheckWindow {
    start: number;
    end: number;
    /**
     * How far in event time the feed's data is known to reach (epoch ms; `FeedHorizon`). A silence still going on is
     * measured up to it when it is before `end` (the wall clock for today): while the feed lags behind or catches up
     * (a backlog after an outage, a history replayed), or is down, every vessel looks silent up to the clock, and
     * that is the feed's silence, not the vessel's. Absent: `end`.
     */
    heardUntil?: number;
}

/** The nearest port to a position (linear scan: called for gap end points only) and its distance, NM. */
export function nearestPort(
    ports: readonly PortLocation[],
    lat: number,
    lon: number,
): { port: PortLocation; distanceNm: number } | undefined {
    let best: { port: PortLocation; distanceNm: number } | undefined;
    for (const port of ports) {
        const d = haversineNm(lat, lon, port.lat, port.lon);
        if (best === undefined || d < best.distanceNm) best = { port, distanceNm: d };
    }
    return best;
}

/** Fixes sorted by time with one fix per instant (the first of equal times kept). */
export function orderedFixes(fixes: readonly TrackFix[]): TrackFix[] {
    const sorted = [...fixes].sort((a, b) => a.t - b.t);
    return sorted.filter((f, i) => i === 0 || f.t !== sorted[i - 1]!.t);
}

export const HOUR_MS = 3_600_000;
