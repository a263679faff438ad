/**
 * De-duplication of AIS records across batches: a copy of a record that an earlier batch already stored (a
 * producer re-sending events, an Event Hub redelivery with other batch boundaries, the local stack re-sent a
 * file after kill -9) is counted as a duplicate and written nowhere, so silver holds each record once.
 *
 * Where the keys live (no Cosmos write of its own; README "De-duplication"): in the documents the ingest already
 * reads and writes for each vessel and batch, the track buckets (10 minutes each) of its records' times.
 * - A position with a fix is its track point: stored points are unique per event time, so a copy is a point at
 *   the same time with the same lat, lon, sog, cog and heading.
 * - Any other record (static and voyage data, other messages, positions without a fix) leaves a {@link SeenKey}
 *   in the bucket of its time: its event time and a 52-bit hash of its content key (contentKeyOf in dedupe.ts).
 *   A vessel sending only such messages (a base station) gets bucket documents but no state document.
 * Buckets expire with the track (TRACK_TTL), far beyond any redelivery.
 *
 * A retry is not its own duplicate: each point and key keeps the {@link DeliveryRef} of the delivery that stored
 * it first: the event (sequence number, enqueued time) in its batch (partition and sequence range, which name
 * the batch's silver blobs). A batch that failed after writing silver and part of its vessels' state (a crash
 * between the two) and is retried whole has the same refs: its records are processed again and rewritten to
 * the same silver blobs, not dropped from them. A redelivery in other batch boundaries writes other blobs, so a
 * record it finds stored (other refs) is a duplicate; the records the crashed attempt wrote to silver but not to
 * state are not found and are written again: the one remaining window, where a copy is kept rather than a
 * record lost (README "De-duplication"). Bronze re-drive (local start-up, `maritime rebuild`) re-sends each
 * bronze blob as its batch, with each event's metadata, hence the same refs and blob names: idempotent.
 */
import { hash52 } from '../hash.js';
import type { PositionReport, VesselRecord } from '../records.js';
import { trackBucketStart } from '../time.js';
import { firstAtOrAfter } from '../track/mergePoints.js';
import type {
    DeliveryRef,
    SeenKey,
    StoredTrackBucket,
    StoredVessel,
    TrackPoint,
    VesselWrite,
} from '../vessel/state.js';
import { contentKeyOf } from './dedupe.js';

/** The ref of one delivery of an event in the batch `batchId` (see {@link DeliveryRef}). */
export function deliveryRef(
    batchId: string,
    meta: { sequenceNumber: number; enqueuedTime: number },
): DeliveryRef {
    return hash52(`${batchId}|${meta.sequenceNumber}|${meta.enqueuedTime}`);
}

type Timed = VesselRecord & { eventTime: number };

/** True for a position with a fix (it becomes a track point). */
export function hasFix(record: VesselRecord): record is PositionReport & { lat: number; lon: number } {
    return record.kind === 'position' && record.lat !== undefined && record.lon !== undefined;
}

/** The key a record without a fix leaves in the bucket of its time. */
export function seenKeyOf(record: Timed, ref: DeliveryRef): SeenKey {
    return [record.eventTime, hash52(contentKeyOf(record)), ref];
}

/** The stored point at exactly time t (points are ordered and unique by time). */
function pointAt(points: readonly TrackPoint[], t: number): TrackPoint | undefined {
    const p = points[firstAtOrAfter(points, t)];
    return p !== undefined && p.t === t ? p : undefined;
}

/** True when `stored` (the vessel's buckets as read for this batch) holds this record from another delivery. */
export function isStoredDuplicate(
    record: Timed,
    ref: DeliveryRef,
    stored: StoredVessel | undefined,
): boolean {
    const bucket = stored?.buckets.get(trackBucketStart(record.eventTime));
    if (bucket === undefined) return false;
    if (hasFix(record)) {
        const p = pointAt(bucket.points, record.eventTime);
        return (
            p !== undefined &&
            p.e !== ref &&
            p.lat === record.lat &&
            p.lon === record.lon &&
            p.sog === record.sog &&
            p.cog === record.cog &&
            p.heading === record.heading
        );
    }
    return (
        bucket.seen !== undefined &&
        seenFromOtherDelivery(bucket.seen, record.eventTime, hash52(contentKeyOf(record)), ref)
    );
}

/**
 * True when `keys` (`[time, content, delivery]`: the AIS seen keys, the sensor readings' keys in sensors/seen.ts)
 * hold `[t, content]` and none of those is from delivery `ref`. Two items of one delivery can have the same content
 * (NMEA payloads that differ only in armouring): both were stored, so a retry finds its own ref among the keys.
 */
export function seenFromOtherDelivery(
    keys: readonly (readonly [number, number, DeliveryRef])[],
    t: number,
    content: number,
    ref: DeliveryRef,
): boolean {
    let found = false;
    for (const s of keys) {
        if (s[0] !== t || s[1] !== content) continue;
        if (s[2] === ref) return false;
        found = true;
    }
    return found;
}

/** `stored` with `incoming` added (each key once), in time order; undefined when nothing is added. */
export function mergeSeen<K extends readonly [number, number, DeliveryRef]>(
    stored: readonly K[],
    incoming: readonly K[],
): K[] | undefined {
    const have = new Set<string>();
    for (const s of stored) have.add(`${s[0]}|${s[1]}|${s[2]}`);
    const added: K[] = [];
    for (const s of incoming) {
        const id = `${s[0]}|${s[1]}|${s[2]}`;
        if (have.has(id)) continue;
        have.add(id);
        added.push(s);
    }
    if (added.length === 0) return undefined;
    return stored.concat(added).sort((a, b) => a[0] - b[0]);
}

/**
 * One vessel's write with the seen keys of its new records added to the buckets of their times (merged with the
 * stored keys; a bucket the write does not touch yet is added with its stored points). Undefined when there is
 * nothing to write.
 */
export function withSeenKeys(
    mmsi: number,
    write: VesselWrite | undefined,
    stored: StoredVessel | undefined,
    keys: readonly SeenKey[],
): VesselWrite | undefined {
    const byBucket = new Map<number, SeenKey[]>();
    for (const k of keys) {
        const b = trackBucketStart(k[0]);
        const list = byBucket.get(b);
        if (list) list.push(k);
        else byBucket.set(b, [k]);
    }
    let out = write;
    for (const [b, bucketKeys] of byBucket) {
        const existing: StoredTrackBucket | undefined = stored?.buckets.get(b);
        const merged = mergeSeen(existing?.seen ?? [], bucketKeys);
        if (merged === undefined) continue;
        out ??= { mmsi, expectedEtag: stored?.state ? stored.state.etag : null, trackBuckets: [] };
        const planned = out.trackBuckets.find((p) => p.bucketStart === b);
        if (planned) planned.seen = merged;
        else
            out.trackBuckets.push({
                bucketStart: b,
                points: existing?.points ?? [],
                seen: merged,
                expectedEtag: existing ? existing.etag : null,
            });
    }
    return out;
}

/** The points without their delivery refs (internal to de-duplication, not part of a track's answer); mutates and returns them. */
export function withoutDeliveryRefs(points: TrackPoint[]): TrackPoint[] {
    for (const p of points) if (p.e !== undefined) delete p.e;
    return points;
}
