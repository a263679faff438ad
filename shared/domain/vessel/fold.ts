/**
 * Folding one batch's accepted AIS records into each vessel's state and track, and the write plan that stores
 * them: the new state (if it changed) and every track bucket that gains points, each against the etag it was
 * computed from. Zone entries and exits are raised on the way.
 */
import { type Alert, alertId, type AlertKind } from '../alerts/alert.js';
import { enrich, type Enrichment, type EnrichOptions } from '../enrichment/enrich.js';
import { applyToState } from '../enrichment/mergeState.js';
import type { PositionReport, VesselRecord } from '../records.js';
import { HOUR_MS, hourStart, TRACK_BUCKET_MS, trackBucketStart } from '../time.js';
import { firstAtOrAfter, mergePoints } from '../track/mergePoints.js';
import type { Fix } from '../validation/jumps.js';
import type { FlagCode } from '../validation/rules.js';
import { type ZoneIndex, zoneTransitions } from '../zones/index.js';
import type {
    DeliveryRef,
    StoredVessel,
    StoredVesselState,
    TrackPoint,
    VesselState,
    VesselWrite,
} from './state.js';

/** ruleVersion of zone entry / exit alerts. */
export const ZONE_RULE_VERSION = 'zones';

/** An accepted record: validated, with its event time settled, and the flags validation raised. */
export interface ValidRecord {
    record: VesselRecord & { eventTime: number };
    flags: FlagCode[];
    /** The delivery it came in, kept on its track point (see domain/enrichment/storedDuplicates.ts). */
    ref?: DeliveryRef;
}

/** One vessel's accepted records of a batch, in event-time order. */
export interface VesselWork<A extends ValidRecord = ValidRecord> {
    mmsi: number;
    records: A[];
}

/** What folding needs besides the records and the stored vessel. */
export interface FoldContext {
    options: EnrichOptions;
    /** Processing time, epoch ms. */
    now: number;
    zones: ZoneIndex;
}

const KIND_ORDER = { static: 0, position: 1, other: 2 } as const;

/**
 * Position and static records by vessel, in event-time order; at equal times static before position, so a CSV
 * row (or a type 19) names its own fix. `other` records (no vessel state) are left out.
 */
export function groupByVessel<A extends ValidRecord>(accepted: readonly A[]): Map<number, VesselWork<A>> {
    const perVessel = new Map<number, VesselWork<A>>();
    for (const a of accepted) {
        if (a.record.kind === 'other') continue;
        let w = perVessel.get(a.record.mmsi);
        if (!w) perVessel.set(a.record.mmsi, (w = { mmsi: a.record.mmsi, records: [] }));
        w.records.push(a);
    }
    for (const w of perVessel.values()) {
        w.records.sort(
            (x, y) =>
                x.record.eventTime - y.record.eventTime ||
                KIND_ORDER[x.record.kind] - KIND_ORDER[y.record.kind],
        );
    }
    return perVessel;
}

/**
 * The track buckets of these records' times: what a batch reads first, beside the state documents. A fix is merged
 * into its bucket, and every record is checked against its bucket for a stored copy (storedDuplicates.ts).
 */
export function recordBuckets(records: readonly ValidRecord[], into: Set<number> = new Set()): Set<number> {
    for (const a of records) into.add(trackBucketStart(a.record.eventTime));
    return into;
}

/** The first instant of the window {@link previousFix} looks in for the fix before `t`: the hour before t's hour. */
function previousFixFrom(t: number): number {
    return hourStart(t) - HOUR_MS;
}

/**
 * The track buckets still to read for the previous fixes of late records, after the state documents and
 * {@link recordBuckets} (`read`) were read into `stored`. A fix newer than its vessel's stored position (the live
 * case) needs none: every stored point is at or before the stored position (a fix newer than the position always
 * becomes the position, in the same transactional batch as its point), so no stored point lies between them and
 * {@link previousFix} finds the stored position or a fix of the batch. A fix at or before the stored position
 * (late, replayed or redelivered data) needs the unread buckets of its window (back to the start of the hour
 * before) that are newer than what is already known to precede it: a point before it in a bucket read (its own
 * bucket, usually: a vessel reporting every few seconds), or an earlier fix of the batch. Empty (no vessel) when
 * nothing is late, which is the usual batch.
 */
export function previousFixBuckets(
    records: readonly ValidRecord[],
    stored: ReadonlyMap<number, StoredVessel>,
    read: ReadonlySet<number>,
): { mmsis: number[]; buckets: number[] } {
    const fixTimes = new Map<number, number[]>();
    for (const a of records) {
        const r = a.record;
        if (r.kind !== 'position' || r.lat === undefined || r.lon === undefined) continue;
        const times = fixTimes.get(r.mmsi);
        if (times) times.push(r.eventTime);
        else fixTimes.set(r.mmsi, [r.eventTime]);
    }
    const mmsis = new Set<number>();
    const buckets = new Set<number>();
    for (const [mmsi, times] of fixTimes) {
        const vessel = stored.get(mmsi);
        const position = vessel?.state?.position;
        if (vessel === undefined || position === undefined) continue;
        times.sort((x, y) => x - y);
        let batchBefore = Number.NEGATIVE_INFINITY; // the latest fix of the batch before t
        for (let i = 0; i < times.length; i++) {
            const t = times[i] as number;
            if (i > 0 && (times[i - 1] as number) < t) batchBefore = times[i - 1] as number;
            if (t > position.eventTime) break; // in time order: the rest are live
            for (let b = trackBucketStart(t); b >= previousFixFrom(t); b -= TRACK_BUCKET_MS) {
                if (b + TRACK_BUCKET_MS <= batchBefore) break; // this bucket and older: all before the batch's fix
                if (read.has(b)) {
                    const points = vessel.buckets.get(b)?.points;
                    if (points !== undefined && firstAtOrAfter(points, t) > 0) break; // a point before t: the latest
                    continue;
                }
                buckets.add(b);
                mmsis.add(mmsi);
            }
        }
    }
    return { mmsis: [...mmsis], buckets: [...buckets] };
}

/**
 * Folds every vessel's records into its state and plans its writes. `onRecord` sees each record with its
 * enrichment (for the silver rows); `alerts` collects zone entries and exits (the conflict re-apply passes none:
 * its alerts were saved with the first pass).
 */
export function foldVessels<A extends ValidRecord>(
    work: Iterable<VesselWork<A>>,
    stored: ReadonlyMap<number, StoredVessel>,
    ctx: FoldContext,
    alerts: Alert[] | undefined,
    onRecord?: (a: A, e: Enrichment) => void,
): VesselWrite[] {
    const writes: VesselWrite[] = [];
    for (const w of work) {
        const prev = stored.get(w.mmsi);
        const { state, enrichments, track } = foldVessel(w, prev, ctx, alerts);
        if (onRecord)
            for (let i = 0; i < w.records.length; i++)
                onRecord(w.records[i] as A, enrichments[i] as Enrichment);
        const write = planVesselWrite(w.mmsi, prev, track, state);
        if (write) writes.push(write);
    }
    return writes;
}

/**
 * The fix a record's movement is measured from: the latest fix strictly before `t` in the record's hour or the
 * hour before, from this batch's earlier fixes, the stored track buckets of that window and the stored position.
 * It depends only on the set of fixes, not on what was processed before, so a replayed or redelivered batch
 * measures the same distances as the first time (its own fixes, already stored, are never "before" themselves).
 * `stored` holds the buckets of the window when `t` is at or before the stored position, else only t's own
 * bucket, which is enough then ({@link previousFixBuckets}).
 */
function previousFix(
    t: number,
    batchFixes: readonly Fix[],
    stored: StoredVessel | undefined,
    storedPosition: Fix | undefined,
): Fix | undefined {
    const from = previousFixFrom(t);
    let best: Fix | undefined;
    for (let i = batchFixes.length - 1; i >= 0; i--) {
        const f = batchFixes[i] as Fix;
        if (f.eventTime < t) {
            if (f.eventTime >= from) best = f;
            break;
        }
    }
    if (storedPosition !== undefined && storedPosition.eventTime < t && storedPosition.eventTime >= from) {
        if (best === undefined || storedPosition.eventTime > best.eventTime) best = storedPosition;
    }
    if (stored !== undefined) {
        // Newest bucket first: the first one with a point before t holds the latest such point.
        for (let b = trackBucketStart(t); b >= from; b -= TRACK_BUCKET_MS) {
            const points = stored.buckets.get(b)?.points;
            if (points === undefined) continue;
            // Points are ordered by time: the last one before t.
            const lo = firstAtOrAfter(points, t);
            if (lo > 0) {
                const p = points[lo - 1] as TrackPoint;
                if (best === undefined || p.t > best.eventTime)
                    best = { eventTime: p.t, lat: p.lat, lon: p.lon };
                break;
            }
        }
    }
    return best;
}

/** Same sorted zone ids (no allocation). */
function sameZones(a: readonly string[], b: readonly string[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

function zoneAlert(
    kind: AlertKind,
    mmsi: number,
    zone: string,
    t: number,
    lat: number,
    lon: number,
    from: number,
    now: number,
): Alert {
    return {
        id: alertId(kind, [mmsi, zone, t]),
        kind,
        severity: 'info',
        mmsi,
        vessels: [mmsi],
        time: t,
        position: { lat, lon },
        details: { zone, from },
        ruleVersion: ZONE_RULE_VERSION,
        raisedAt: now,
    };
}

/**
 * Folds one vessel's records into its state, in event-time order, and collects zone entries and exits into
 * `alerts` (when given).
 *
 * Zones: each fix newer than the stored position is looked up in the zone index and compared with the zones of
 * the fix before it (the previous such fix of this batch, else the stored state's `zones`; a stored document
 * without them has them recomputed from its position; a vessel without a stored position has no previous fix,
 * so its first fix raises nothing). Fixes at or before the stored position (late or replayed data) raise
 * nothing: the transitions around them were already decided from the fixes known then. `state.zones` follows
 * the position: replaced only when a fix replaces it.
 */
export function foldVessel(
    work: VesselWork,
    storedVessel: StoredVessel | undefined,
    ctx: FoldContext,
    alerts: Alert[] | undefined,
): { state: VesselState | undefined; enrichments: Enrichment[]; track: TrackPoint[] } {
    const { options, now, zones: zoneIndex } = ctx;
    // The stored document is only read (enrich and applyToState never mutate it and return new objects), so it is
    // used as is, etag and all, instead of copied without the etag (one object less per vessel and batch).
    const stored: StoredVesselState | undefined = storedVessel?.state;
    let state: VesselState | undefined = stored;
    let changed = false;
    const batchFixes: Fix[] = [];
    const enrichments: Enrichment[] = [];
    const track: TrackPoint[] = [];
    const storedPosition = stored?.position;
    const storedTime = storedPosition?.eventTime ?? Number.NEGATIVE_INFINITY;
    // Zones of the previous fix and its time (undefined: no previous fix).
    let zones: string[] | undefined =
        storedPosition === undefined
            ? undefined
            : (stored?.zones ??
              zoneIndex.zonesAt(storedPosition.lat, storedPosition.lon, storedPosition.eventTime));
    let zonesTime = storedTime;
    for (const a of work.records) {
        const r0 = a.record;
        const from =
            r0.kind === 'position' && r0.lat !== undefined && r0.lon !== undefined
                ? previousFix(r0.eventTime, batchFixes, storedVessel, storedPosition)
                : undefined;
        // No previous fix: a fresh object without a position, so enrich cannot fall back on the stored one.
        const e = enrich(
            a.record,
            from === undefined && state?.position !== undefined ? withoutPosition(state) : state,
            from,
            options,
            a.flags,
        );
        enrichments.push(e);
        const next = applyToState(state, a.record, e, now);
        const r = a.record;
        if (r.kind === 'position' && r.lat !== undefined && r.lon !== undefined) {
            const t = r.eventTime;
            // This fix became the position (a newer one, or an equal time settled in its favour).
            const isPosition = next !== undefined && next.position !== state?.position;
            if (t > storedTime || isPosition) {
                let here = zoneIndex.zonesAt(r.lat, r.lon, t);
                if (zones === undefined) zones = here;
                else if (sameZones(zones, here))
                    here = zones; // keep one array while nothing changes
                else {
                    if (alerts !== undefined && t > storedTime) {
                        const { entered, left } = zoneTransitions(zones, here);
                        for (const z of entered)
                            alerts.push(zoneAlert('zone-entry', r.mmsi, z, t, r.lat, r.lon, zonesTime, now));
                        for (const z of left)
                            alerts.push(zoneAlert('zone-exit', r.mmsi, z, t, r.lat, r.lon, zonesTime, now));
                    }
                    zones = here;
                }
                zonesTime = t;
                if (isPosition) next.zones = here;
            }
            // The record itself is the fix (movement() reads only eventTime, lat, lon): one object less per record.
            batchFixes.push(r as typeof r & Fix);
            // Usual fix: one literal with every key (same keys and order as adding them one by one, without
            // regrowing the property store three times).
            const point: TrackPoint =
                r.sog !== undefined && r.cog !== undefined && r.heading !== undefined
                    ? { t: r.eventTime, lat: r.lat, lon: r.lon, sog: r.sog, cog: r.cog, heading: r.heading }
                    : trackPointOf(r.eventTime, r.lat, r.lon, r);
            if (e.flags.includes('IMPLAUSIBLE_JUMP')) point.jump = true;
            if (a.ref !== undefined) point.e = a.ref;
            track.push(point);
        }
        if (next) {
            state = next;
            changed = true;
        }
    }
    return { state: changed ? state : undefined, enrichments, track };
}

function withoutPosition(state: VesselState): VesselState {
    const { position: _position, ...rest } = state;
    return rest;
}

function trackPointOf(t: number, lat: number, lon: number, r: PositionReport): TrackPoint {
    const point: TrackPoint = { t, lat, lon };
    if (r.sog !== undefined) point.sog = r.sog;
    if (r.cog !== undefined) point.cog = r.cog;
    if (r.heading !== undefined) point.heading = r.heading;
    return point;
}

/**
 * The writes for one vessel: the new state (if it changed) and every track bucket that gains points, merged with
 * what is stored. Undefined when nothing changes (a redelivered batch writes nothing).
 */
export function planVesselWrite(
    mmsi: number,
    stored: StoredVessel | undefined,
    track: readonly TrackPoint[],
    state: VesselState | undefined,
): VesselWrite | undefined {
    const byBucket = new Map<number, TrackPoint[]>();
    for (const p of track) {
        const b = trackBucketStart(p.t);
        const list = byBucket.get(b);
        if (list) list.push(p);
        else byBucket.set(b, [p]);
    }
    const trackBuckets: VesselWrite['trackBuckets'] = [];
    for (const [b, points] of byBucket) {
        const existing = stored?.buckets.get(b);
        const merged = mergePoints(existing?.points ?? [], points);
        if (!merged) continue;
        // A bucket is written whole: its stored seen keys (storedDuplicates.ts) go with it.
        if (existing?.seen !== undefined)
            trackBuckets.push({
                bucketStart: b,
                points: merged,
                seen: existing.seen,
                expectedEtag: existing.etag,
            });
        else
            trackBuckets.push({
                bucketStart: b,
                points: merged,
                expectedEtag: existing ? existing.etag : null,
            });
    }
    if (!state && trackBuckets.length === 0) return undefined;
    const write: VesselWrite = { mmsi, expectedEtag: stored?.state ? stored.state.etag : null, trackBuckets };
    if (state) write.state = state;
    return write;
}
