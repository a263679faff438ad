/** A vessel's fixes of one window, ordered by time, as the gold pass sees them (columns, not objects: millions of them). */

export interface DayTrack {
    mmsi: number;
    /** Epoch ms, ascending, unique. */
    t: Float64Array | number[];
    lat: Float64Array | number[];
    lon: Float64Array | number[];
    /** Knots; NaN when not reported. */
    sog: Float64Array | number[];
    /** Navigational status code; -1 when not reported. */
    navStatus: Int32Array | number[];
    /** 1 when the fix was flagged IMPLAUSIBLE_JUMP (left out of distances). */
    jump: Uint8Array | number[];
    /** Reported draught, m; NaN when not reported (absent: none of the fixes has one). */
    draught?: Float64Array | number[];
}

const EARTH_RADIUS_NM = 3440.065;
const RAD = Math.PI / 180;

/** Great-circle (haversine) distance in nautical miles, the same formula as the gold SQL. */
export function haversineNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
    const a =
        Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 +
        Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lon2 - lon1) * RAD) / 2) ** 2;
    return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(a)));
}
