/**
 * Geodesy on a sphere (good to about 0.5 % against the WGS84 ellipsoid, ample for AIS plausibility checks and
 * track distances) and H3 cells. Pure computation: h3-js is compiled C in WebAssembly/asm.js, no I/O.
 */
import { latLngToCell } from 'h3-js';

/** Mean Earth radius (IUGG R1 = 6371.0088 km) in nautical miles (1 nm = 1852 m). */
export const EARTH_RADIUS_NM = 6371008.8 / 1852;

const RAD = Math.PI / 180;

/** Great-circle distance between two points in nautical miles (haversine formula). Inputs in degrees. */
export function haversineNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
    const dLat = (lat2 - lat1) * RAD;
    const dLon = (lon2 - lon1) * RAD;
    const s1 = Math.sin(dLat / 2);
    const s2 = Math.sin(dLon / 2);
    const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
    // min() guards against a > 1 from rounding for antipodal points.
    return 2 * EARTH_RADIUS_NM * Math.asin(Math.sqrt(Math.min(1, a)));
}

/** Initial great-circle bearing from point 1 to point 2, degrees true in [0, 360). 0 for identical points. */
export function bearing(lat1: number, lon1: number, lat2: number, lon2: number): number {
    const phi1 = lat1 * RAD;
    const phi2 = lat2 * RAD;
    const dLon = (lon2 - lon1) * RAD;
    const y = Math.sin(dLon) * Math.cos(phi2);
    const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLon);
    const deg = Math.atan2(y, x) / RAD;
    const normalised = (deg + 360) % 360;
    // (-tiny + 360) % 360 can round to exactly 360.
    return normalised >= 360 ? 0 : normalised;
}

/** Default H3 resolution of the `cell` of positions (res 7: cells of about 5 km², edge about 1.2 km). */
export const DEFAULT_H3_RESOLUTION = 7;

/**
 * The H3 cell (hex string) holding a point, at resolution 0..15.
 * @example h3Cell(37.3615593, -122.0553238, 7) // '87283472bffffff'
 */
export function h3Cell(lat: number, lon: number, res: number = DEFAULT_H3_RESOLUTION): string {
    return latLngToCell(lat, lon, res);
}
