/**
 * Track buckets hold one vessel's fixes for ten minutes (TRACK_BUCKET_MS), ordered by event time, one point per
 * time. Merging a batch's points into a stored bucket is idempotent: a point whose time is already there is kept as stored,
 * so a redelivered batch (or the same fix heard twice) adds nothing.
 */
import type { TrackPoint } from '../vessel/state.js';

/**
 * The index of the first point at or after time `t` in a bucket's points (ordered by time): `points.length` when
 * every point is earlier. The point before it, if any, is the last one before `t`.
 */
export function firstAtOrAfter(points: readonly TrackPoint[], t: number): number {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((points[mid] as TrackPoint).t < t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/**
 * @param stored the bucket's points, ordered by time and unique per time
 * @returns the merged points, or undefined when `incoming` adds nothing to `stored`.
 */
export function mergePoints(
    stored: readonly TrackPoint[],
    incoming: readonly TrackPoint[],
): TrackPoint[] | undefined {
    // The ingest passes points already in time order: check instead of copying and sorting (a stable sort of
    // sorted input is the input itself).
    const sorted = isSortedByTime(incoming) ? incoming : [...incoming].sort((a, b) => a.t - b.t);
    const last = stored.length > 0 ? (stored[stored.length - 1] as TrackPoint).t : Number.NEGATIVE_INFINITY;
    // Common case: the batch only brings later fixes; append without looking at the stored points.
    const first = sorted[0];
    if (first !== undefined && first.t > last) {
        const added: TrackPoint[] = [];
        let prevT = last;
        for (const p of sorted) {
            if (p.t === prevT) continue;
            added.push(p);
            prevT = p.t;
        }
        // One exact-size copy of the stored points instead of slice() then push() regrowth.
        return stored.concat(added);
    }
    const have = new Set<number>();
    for (const p of stored) have.add(p.t);
    const added: TrackPoint[] = [];
    for (const p of sorted) {
        if (have.has(p.t)) continue;
        have.add(p.t);
        added.push(p);
    }
    if (added.length === 0) return undefined;
    const merged = stored.concat(added);
    merged.sort((a, b) => a.t - b.t);
    return merged;
}

function isSortedByTime(points: readonly TrackPoint[]): boolean {
    for (let i = 1; i < points.length; i++)
        if ((points[i] as TrackPoint).t < (points[i - 1] as TrackPoint).t) return false;
    return true;
}
