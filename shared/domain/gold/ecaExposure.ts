/**
 * Time and distance a vessel spent inside Emission Control Areas in one window, with the holding rule of
 * `vessel_daily` (a fix holds until the next one, at most `maxHoldMs`; the last one until the window's cut) and the
 * distance rule (consecutive fixes not flagged as jumps; a leg counts inside when it starts inside).
 */
import { type DayTrack, haversineNm } from './track.js';

/** The ECA ids containing a point at a time (sorted; empty outside every ECA). */
export type EcaLookup = (lat: number, lon: number, t: number) => readonly string[];

export interface EcaExposure {
    ecaHours: number;
    ecaDistanceNm: number;
    /** Ids of the ECAs visited, sorted. */
    zones: string[];
    /** Per fix: inside an ECA (1) or not (0), in the track's order (the emission model's sulphur switch). */
    inside: Uint8Array;
}

export function ecaExposure(track: DayTrack, lookup: EcaLookup, cut: number, maxHoldMs: number): EcaExposure {
    const n = track.t.length;
    const inside = new Uint8Array(n);
    const zones = new Set<string>();
    let heldMs = 0;
    let distance = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
        const ids = lookup(track.lat[i]!, track.lon[i]!, track.t[i]!);
        if (ids.length > 0) {
            inside[i] = 1;
            for (const id of ids) zones.add(id);
            const next = i + 1 < n ? track.t[i + 1]! : cut;
            heldMs += Math.min(next - track.t[i]!, maxHoldMs);
        }
        if (track.jump[i] === 1) continue;
        if (prev >= 0 && inside[prev] === 1) {
            distance += haversineNm(track.lat[prev]!, track.lon[prev]!, track.lat[i]!, track.lon[i]!);
        }
        prev = i;
    }
    return { ecaHours: heldMs / 3_600_000, ecaDistanceNm: distance, zones: [...zones].sort(), inside };
}

/**
 * Memoises a point-in-ECA function on a grid of `cellDeg` degrees (the answer at the cell's centre; 0.01° is
 * about 1 km): ECA polygons have thousands of vertices, a day has millions of fixes, and few distinct cells.
 * Fixes within a cell's width of an ECA boundary may be classed on the wrong side.
 */
export function gridEcaLookup(
    contains: (lat: number, lon: number, t: number) => readonly string[],
    cellDeg = 0.01,
    maxCells = 2_000_000,
): EcaLookup {
    const cache = new Map<number, readonly string[]>();
    const cols = Math.round(360 / cellDeg) + 1;
    return (lat, lon, t) => {
        const row = Math.floor((lat + 90) / cellDeg);
        const col = Math.floor((lon + 180) / cellDeg);
        const key = row * cols + col;
        let ids = cache.get(key);
        if (ids === undefined) {
            if (cache.size >= maxCells) cache.clear();
            ids = contains((row + 0.5) * cellDeg - 90, (col + 0.5) * cellDeg - 180, t);
            cache.set(key, ids);
        }
        return ids;
    };
}
