/**
 * Spherical-earth geometry of the simulator, in nautical miles: great-circle distance, bearing and intermediate
 * points, and the paths of the fleet's legs (a port, the sea route's waypoints, a port). Its own module so the fleet
 * (`fleet.ts`), the land mask (`landMask.ts`) and the sea-route planner (`seaRoutes.ts`) share it without importing
 * one another in a cycle.
 */

/** A point on the earth, degrees. */
export interface LatLon {
    lat: number;
    lon: number;
}

const EARTH_NM = 3440.065;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

export function distanceNm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
    const dLat = rad(b.lat - a.lat);
    const dLon = rad(b.lon - a.lon);
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point at fraction `f` of the great circle from a to b. */
export function intermediate(
    a: { lat: number; lon: number },
    b: { lat: number; lon: number },
    f: number,
): { lat: number; lon: number } {
    return pointOn(greatCircleOf(a, b), f);
}

/**
 * The trigonometry of one great circle from a to b, computed once per leg: the simulator places every vessel on its
 * leg at every tick (the hot path of the simulators and of their tests), and only the fraction changes.
 */
export interface GreatCircle {
    aLat: number;
    aLon: number;
    bLat: number;
    bLon: number;
    /** Central angle, radians. */
    d: number;
    sinD: number;
    cosLat1: number;
    sinLat1: number;
    cosLon1: number;
    sinLon1: number;
    cosLat2: number;
    sinLat2: number;
    cosLon2: number;
    sinLon2: number;
}

function greatCircleOf(a: { lat: number; lon: number }, b: { lat: number; lon: number }): GreatCircle {
    const d = distanceNm(a, b) / EARTH_NM;
    const la1 = rad(a.lat);
    const lo1 = rad(a.lon);
    const la2 = rad(b.lat);
    const lo2 = rad(b.lon);
    return {
        aLat: a.lat,
        aLon: a.lon,
        bLat: b.lat,
        bLon: b.lon,
        d,
        sinD: Math.sin(d),
        cosLat1: Math.cos(la1),
        sinLat1: Math.sin(la1),
        cosLon1: Math.cos(lo1),
        sinLon1: Math.sin(lo1),
        cosLat2: Math.cos(la2),
        sinLat2: Math.sin(la2),
        cosLon2: Math.cos(lo2),
        sinLon2: Math.sin(lo2),
    };
}

/** The path through `points` (a port, the sea route's waypoints, a port). */
export function legPathOf(points: readonly LatLon[]): LegPath {
    const at = [0];
    const circles: GreatCircle[] = [];
    for (let k = 1; k < points.length; k++) {
        circles.push(greatCircleOf(points[k - 1]!, points[k]!));
        at.push(at[k - 1]! + distanceNm(points[k - 1]!, points[k]!));
    }
    return { points, at, circles };
}

/** The segment of `path` that holds the point `nm` from its start, and the fraction of that segment. */
export function segmentAt(path: LegPath, nm: number): { circle: GreatCircle; f: number } {
    const { at, circles } = path;
    let k = 0;
    while (k < circles.length - 1 && at[k + 1]! < nm) k++;
    const length = at[k + 1]! - at[k]!;
    return { circle: circles[k]!, f: length > 0 ? Math.min(1, Math.max(0, (nm - at[k]!) / length)) : 0 };
}

export function pointOn(c: GreatCircle, f: number): { lat: number; lon: number } {
    const d = c.d;
    if (d < 1e-9) return { lat: c.aLat, lon: c.aLon };
    const A = Math.sin((1 - f) * d) / c.sinD;
    const B = Math.sin(f * d) / c.sinD;
    const x = A * c.cosLat1 * c.cosLon1 + B * c.cosLat2 * c.cosLon2;
    const y = A * c.cosLat1 * c.sinLon1 + B * c.cosLat2 * c.sinLon2;
    const z = A * c.sinLat1 + B * c.sinLat2;
    return { lat: deg(Math.atan2(z, Math.hypot(x, y))), lon: deg(Math.atan2(y, x)) };
}

/** Initial bearing from `a` toward the end of `c`, degrees [0, 360). */
export function bearingToward(a: { lat: number; lon: number }, c: GreatCircle): number {
    const dLon = rad(c.bLon - a.lon);
    const y = Math.sin(dLon) * c.cosLat2;
    const x = Math.cos(rad(a.lat)) * c.sinLat2 - Math.sin(rad(a.lat)) * c.cosLat2 * Math.cos(dLon);
    return (deg(Math.atan2(y, x)) + 360) % 360;
}

/**
 * A leg's path from one port to another: the points (the two ports and the sea route's waypoints between), the
 * distance sailed at each point and the great circle of each segment.
 */
export interface LegPath {
    points: readonly LatLon[];
    /** NM from the start at each point (`at[0]` = 0, the last = the leg's length). */
    at: readonly number[];
    circles: readonly GreatCircle[];
}
