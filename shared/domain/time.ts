/** Time helpers shared by the domain and the lake layout (epoch milliseconds, UTC). */

export const HOUR_MS = 3_600_000;

/** The hour an instant falls in, as epoch ms. */
export function hourStart(epochMs: number): number {
    return Math.floor(epochMs / HOUR_MS) * HOUR_MS;
}

/**
 * The span of one track bucket (one Cosmos document per vessel and bucket, shared/domain/vessel/state.ts): short
 * enough that the bucket a live batch reads and rewrites stays small (about 600 points at one fix a second), a
 * divisor of the hour so every hour starts a bucket.
 */
export const TRACK_BUCKET_MS = 10 * 60_000;

/** The track bucket an instant falls in, as epoch ms (its start). */
export function trackBucketStart(epochMs: number): number {
    return Math.floor(epochMs / TRACK_BUCKET_MS) * TRACK_BUCKET_MS;
}
