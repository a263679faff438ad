/**
 * Track buckets hold one vessel's fixes for one hour, ordered by event time, one point per time. Merging a
 * batch's points into a stored bucket is idempotent: a point whose time is already there is kept as stored,
 * so a redelivered batch (or the same fix heard twice) adds nothing.
 */
import type { TrackPoint } from '../../app/ports.js';

/**
 * @returns the merged points, or undefined when `incoming` adds nothing to `stored`.
 */
export function mergePoints(stored: readonly TrackPoint[], incoming: readonly TrackPoint[]): TrackPoint[] | undefined {
    const have = new Set<number>();
    for (const p of stored) have.add(p.t);
    const added: TrackPoint[] = [];
    for (const p of incoming) {
        if (have.has(p.t)) continue;
        have.add(p.t);
        added.push(p);
    }
    if (added.length === 0) return undefined;
    const merged = stored.concat(added);
    merged.sort((a, b) => a.t - b.t);
    return merged;
}
