/**
 * Track buckets hold one vessel's fixes for one hour, ordered by event time, one point per time. Merging a
 * batch's points into a stored bucket is idempotent: a point whose time is already there is kept as stored,
 * so a redelivered batch (or the same fix heard twice) adds nothing.
 */
import type { TrackPoint } from '../../app/ports.js';

/**
 * @param stored the bucket's points, ordered by time and unique per time
 * @returns the merged points, or undefined when `incoming` adds nothing to `stored`.
 */
export function mergePoints(stored: readonly TrackPoint[], incoming: readonly TrackPoint[]): TrackPoint[] | undefined {
    const sorted = incoming.length > 1 ? [...incoming].sort((a, b) => a.t - b.t) : incoming;
    const last = stored.length > 0 ? (stored[stored.length - 1] as TrackPoint).t : Number.NEGATIVE_INFINITY;
    // Common case: the batch only brings later fixes; append without looking at the stored points.
    if ((sorted[0] as TrackPoint | undefined) !== undefined && (sorted[0] as TrackPoint).t > last) {
        const merged = stored.slice();
        for (const p of sorted) if (p.t !== (merged[merged.length - 1] as TrackPoint | undefined)?.t) merged.push(p);
        return merged;
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
