/**
 * Use case: one Event Hub batch of raw AIS (NMEA lines, JSON events or MarineCadastre CSV rows) into the lake
 * layers and the live vessel state.
 *
 * Counting unit: an *item* is one AIS message (a multi-sentence message counts once; an undecodable line
 * counts once), one JSON event or one CSV row. Every item ends as exactly one of accepted, quarantined or
 * duplicate, so `received = accepted + quarantined + duplicates` holds for every batch that lands (invariant 1);
 * a batch whose retries run out is dead-lettered whole and its items count as `skipped` (shared/app/deadLetter.ts).
 * An empty body or a JSON `null` body is one item, quarantined as `EMPTY_BODY`.
 *
 * Data errors never throw: they are quarantined with a reason code. Only infrastructure failures throw
 * (after the SDKs' own retries), and every write is idempotent, so the trigger's retry policy can re-run the
 * whole batch safely (invariants 2 and 3).
 */
import { AisDecoder } from '../domain/ais/index.js';
import type { DecodeEvent } from '../domain/ais/types.js';
import { type Alert, alertId, type AlertKind } from '../domain/alerts/alert.js';
import { BatchDeduper } from '../domain/enrichment/dedupe.js';
import { enrich, type Enrichment,type EnrichOptions } from '../domain/enrichment/enrich.js';
import { applyToState } from '../domain/enrichment/mergeState.js';
import { parseCsvRows } from '../domain/formats/csv.js';
import { fromAisMessage } from '../domain/formats/fromAisMessage.js';
import { parseJsonEvents } from '../domain/formats/json.js';
import { sniffFormat } from '../domain/formats/sniff.js';
import type { OtherAisMessage, PositionReport, SourceFormat, StaticReport, VesselRecord } from '../domain/records.js';
import { mergePoints } from '../domain/track/mergePoints.js';
import type { Fix } from '../domain/validation/jumps.js';
import { type FlagCode, validateRecord } from '../domain/validation/rules.js';
import { type ZoneIndex, zoneTransitions } from '../domain/zones/index.js';
import { DependencyError } from '../errors.js';
import { type BatchCounts, bronzeRow, EMPTY_BODY, isEmptyBody, type QuarantineEntry } from './batchRecords.js';
import { batchIdOf, batchIdString, bronzePath, hourStart, quarantinePath, silverPath } from './lakePaths.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    EventMetadata,
    LakeWriter,
    Logger,
    Metrics,
    ParquetColumn,
    ReceivedEvent,
    StoredVessel,
    StoredVesselState,
    TrackPoint,
    VesselState,
    VesselStateStore,
    VesselWrite,
} from './ports.js';
import {
    MESSAGE_COLUMNS,
    MESSAGES_TABLE,
    POSITION_COLUMNS,
    POSITIONS_TABLE,
    STATIC_COLUMNS,
    STATIC_TABLE,
} from './silverTables.js';

export const AIS_SOURCE = 'ais';

export interface IngestSettings {
    futureToleranceMs: number;
    maxAgeMs: number;
    implausibleSpeedKnots: number;
    h3Resolution: number;
}

export interface IngestDeps {
    lake: LakeWriter;
    vessels: VesselStateStore;
    /** Zones whose entry and exit raise alerts (built once per process). */
    zones: ZoneIndex;
    alerts: AlertStore;
    publisher: AlertPublisher;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    settings: IngestSettings;
}

export interface BatchSummary extends BatchCounts {
    batchId: string;
    partitionId: string;
    events: number;
    positions: number;
    statics: number;
    others: number;
    vessels: number;
    /** Processing time minus the earliest enqueued time of the batch, ms. */
    lagMs: number;
    durationMs: number;
    /** Vessels whose state changed under us and had to be re-read and re-applied. */
    stateConflicts: number;
    /** Request units charged for the vessel-state writes (when the store reports them). */
    cosmosRequestCharge: number;
    /** Zone entry and exit alerts raised (saved and published) by this batch. */
    zoneEvents: number;
    /**
     * NMEA lines that are neither data nor errors (other sentences, `$PGHP` headers, blank lines, comments): not
     * items, so outside `received`; by reason (README "Skipped lines").
     */
    linesSkipped?: number;
    linesSkippedByReason?: Record<string, number>;
}

/** An accepted record with its lineage and the flags validation raised. */
interface Accepted {
    record: VesselRecord & { eventTime: number };
    flags: FlagCode[];
    meta: EventMetadata;
}

interface Item {
    eventIndex: number;
    format: SourceFormat;
    raw: string;
    /** Content key for de-duplication (NMEA: the payloads), else derived from the records. */
    contentKey?: string;
    records?: VesselRecord[];
    error?: { reason: string; detail: string };
}

const MAX_CONFLICT_ROUNDS = 5;

const KIND_ORDER = { static: 0, position: 1, other: 2 } as const;

const HOUR_MS = 3_600_000;

/**
 * The fix a record's movement is measured from: the latest fix strictly before `t` in the record's hour or the
 * hour before, from this batch's earlier fixes, the stored track buckets of those hours and the stored position.
 * It depends only on the set of fixes, not on what was processed before, so a replayed or redelivered batch
 * measures the same distances as the first time (its own fixes, already stored, are never "before" themselves).
 */
function previousFix(
    t: number,
    batchFixes: readonly Fix[],
    stored: StoredVessel | undefined,
    storedPosition: Fix | undefined,
): Fix | undefined {
    const from = hourStart(t) - HOUR_MS;
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
        for (const h of [hourStart(t), from]) {
            const points = stored.buckets.get(h)?.points;
            if (points === undefined) continue;
            // Points are ordered by time: the last one before t.
            let lo = 0;
            let hi = points.length;
            while (lo < hi) {
                const mid = (lo + hi) >>> 1;
                if ((points[mid] as TrackPoint).t < t) lo = mid + 1;
                else hi = mid;
            }
            if (lo > 0) {
                const p = points[lo - 1] as TrackPoint;
                if (best === undefined || p.t > best.eventTime) best = { eventTime: p.t, lat: p.lat, lon: p.lon };
                break;
            }
        }
    }
    return best;
}

/** ruleVersion of zone entry / exit alerts. */
export const ZONE_RULE_VERSION = 'zones';

/** NMEA payload fields (the 6th comma field of each sentence, tag block stripped): the same message heard by
 * several receivers or redelivered has the same payloads. */
export function nmeaContentKey(raw: readonly string[]): string {
    let key = '';
    for (const line of raw) {
        const start = line.lastIndexOf('\\') + 1;
        let field = 0;
        let from = -1;
        for (let i = start; i < line.length; i++) {
            if (line.charCodeAt(i) === 44 /* , */) {
                field++;
                if (field === 5) from = i + 1;
                else if (field === 6) {
                    key += (key ? '|' : '') + line.slice(from, i);
                    break;
                }
            }
        }
    }
    return key;
}

function splitLines(body: string): string[] {
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const l = lines[i] as string;
        if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
    }
    return lines;
}

function decodeEventToItem(ev: DecodeEvent, eventIndex: number): Item {
    const raw = ev.raw.length === 1 ? (ev.raw[0] as string) : ev.raw.join('\n');
    if (ev.kind === 'message') {
        return {
            eventIndex,
            format: 'nmea',
            raw,
            contentKey: nmeaContentKey(ev.raw),
            records: fromAisMessage(ev.message, { format: 'nmea', tagBlock: ev.tagBlock, receiverTime: ev.receiverTime }),
        };
    }
    if (ev.kind === 'unsupported') {
        return { eventIndex, format: 'nmea', raw, error: { reason: 'UNSUPPORTED_TYPE', detail: ev.detail } };
    }
    return { eventIndex, format: 'nmea', raw, error: { reason: ev.reason, detail: ev.detail } };
}

/**
 * Splits every event body into items. NMEA fragments are reassembled across the events of the batch. NMEA lines
 * skipped by the decoder are added by reason to `skipped` when given.
 */
export function parseBatch(events: readonly ReceivedEvent[], skipped?: Record<string, number>): Item[] {
    const items: Item[] = [];
    const decoder = new AisDecoder();
    for (let eventIndex = 0; eventIndex < events.length; eventIndex++) {
        const event = events[eventIndex] as ReceivedEvent;
        if (isEmptyBody(event.body)) {
            // An empty body, or the JSON literal null, is one item: quarantined, never silently dropped.
            const isNull = event.body.trim() === 'null';
            items.push({
                eventIndex,
                format: isNull ? 'json' : 'nmea',
                raw: event.body,
                error: { reason: EMPTY_BODY, detail: isNull ? 'the event body is the JSON literal null' : 'the event body is empty' },
            });
            continue;
        }
        const format = sniffFormat(event.body);
        if (format === 'nmea') {
            for (const line of splitLines(event.body)) {
                for (const ev of decoder.push(line, event.meta.enqueuedTime)) {
                    items.push(decodeEventToItem(ev, eventIndex));
                }
            }
        } else if (format === 'json') {
            for (const outcome of parseJsonEvents(event.body)) {
                items.push(
                    outcome.ok
                        ? { eventIndex, format, raw: outcome.raw, records: [outcome.record] }
                        : { eventIndex, format, raw: outcome.raw, error: { reason: outcome.reason, detail: outcome.detail } },
                );
            }
        } else {
            for (const outcome of parseCsvRows(event.body)) {
                items.push(
                    outcome.ok
                        ? { eventIndex, format, raw: outcome.raw, records: outcome.records }
                        : { eventIndex, format, raw: outcome.raw, error: { reason: outcome.reason, detail: outcome.detail } },
                );
            }
        }
    }
    // Fragments still waiting at the end of the batch cannot complete later (the next batch may be handled by
    // another instance): they are quarantined, attributed to the event holding their first sentence.
    for (const ev of decoder.flush()) {
        const first = ev.raw[0] ?? '';
        const eventIndex = Math.max(
            0,
            events.findIndex((e) => e.body.includes(first)),
        );
        items.push(decodeEventToItem(ev, eventIndex));
    }
    if (skipped !== undefined) {
        for (const [reason, n] of Object.entries(decoder.stats.skippedByReason)) {
            if (n > 0) skipped[reason] = (skipped[reason] ?? 0) + n;
        }
    }
    return items;
}

// Row builders write every column in one object literal: spreading a few shared parts into a 50-column
// literal drops V8 into dictionary-mode objects (measured: ~60 us per row instead of well under 1 us).

function positionRow(a: Accepted, p: PositionReport, e: Enrichment, now: number): Record<string, unknown> {
    return {
        mmsi: p.mmsi,
        mmsi_class: e.mmsiClass,
        flag: e.flag,
        flag_country: e.flagCountry,
        msg_type: p.msgType,
        ais_class: p.aisClass,
        event_time: a.record.eventTime,
        event_time_source: a.record.eventTimeSource,
        lat: p.lat,
        lon: p.lon,
        sog: p.sog,
        cog: p.cog,
        heading: p.heading,
        rot: p.rot,
        nav_status: p.navStatus,
        nav_status_text: e.navStatusText,
        accuracy: p.accuracy,
        h3_cell: e.cell,
        name: e.name,
        imo: e.imo,
        call_sign: e.callSign,
        ship_type: e.shipType,
        ship_type_text: e.shipTypeText,
        ship_category: e.shipCategory,
        length: e.length,
        width: e.width,
        draught: e.draught,
        destination: e.destination,
        distance_nm: e.distanceNm,
        elapsed_s: e.elapsedS,
        implied_speed_kn: e.impliedSpeedKn,
        flags: e.flags.length > 0 ? e.flags.join(',') : undefined,
        source_format: p.format,
        station: p.station,
        eh_partition: a.meta.partitionId,
        eh_sequence: a.meta.sequenceNumber,
        eh_enqueued_time: a.meta.enqueuedTime,
        ingest_time: now,
    };
}

function staticRow(a: Accepted, s: StaticReport, e: Enrichment, now: number): Record<string, unknown> {
    return {
        mmsi: s.mmsi,
        mmsi_class: e.mmsiClass,
        flag: e.flag,
        flag_country: e.flagCountry,
        msg_type: s.msgType,
        ais_class: s.aisClass,
        event_time: a.record.eventTime,
        event_time_source: a.record.eventTimeSource,
        part: s.part,
        imo: s.imo,
        call_sign: s.callSign,
        name: s.name,
        ship_type: s.shipType,
        ship_type_text: e.shipTypeText,
        ship_category: e.shipCategory,
        to_bow: s.toBow,
        to_stern: s.toStern,
        to_port: s.toPort,
        to_starboard: s.toStarboard,
        length: s.length,
        width: s.width,
        draught: s.draught,
        destination: s.destination,
        eta: s.eta,
        flags: e.flags.length > 0 ? e.flags.join(',') : undefined,
        source_format: s.format,
        station: s.station,
        eh_partition: a.meta.partitionId,
        eh_sequence: a.meta.sequenceNumber,
        eh_enqueued_time: a.meta.enqueuedTime,
        ingest_time: now,
    };
}

function messageRow(a: Accepted & { record: OtherAisMessage }, e: Enrichment, now: number): Record<string, unknown> {
    const r = a.record;
    return {
        mmsi: r.mmsi,
        mmsi_class: e.mmsiClass,
        flag: e.flag,
        flag_country: e.flagCountry,
        msg_type: r.msgType,
        ais_class: undefined,
        event_time: r.eventTime,
        event_time_source: r.eventTimeSource,
        fields: r.fields,
        source_format: r.format,
        station: r.station,
        eh_partition: a.meta.partitionId,
        eh_sequence: a.meta.sequenceNumber,
        eh_enqueued_time: a.meta.enqueuedTime,
        ingest_time: now,
    };
}

/** Groups rows by the hour of their event time, for the silver date/hour partitions. */
function byHour(rows: Record<string, unknown>[]): Map<number, Record<string, unknown>[]> {
    const out = new Map<number, Record<string, unknown>[]>();
    for (const row of rows) {
        const h = hourStart(row.event_time as number);
        const list = out.get(h);
        if (list) list.push(row);
        else out.set(h, [row]);
    }
    return out;
}

/** Vessel-state work for one vessel: its accepted records in event-time order. */
interface VesselWork {
    mmsi: number;
    records: Accepted[];
}

/** Same sorted zone ids (no allocation). */
function sameZones(a: readonly string[], b: readonly string[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

function zoneAlert(kind: AlertKind, mmsi: number, zone: string, t: number, lat: number, lon: number, from: number, now: number): Alert {
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
 * `alerts` (when given: the conflict re-apply passes none, its alerts were saved with the first pass).
 *
 * Zones: each fix newer than the stored position is looked up in the zone index and compared with the zones of
 * the fix before it (the previous such fix of this batch, else the stored state's `zones`; a stored document
 * without them has them recomputed from its position; a vessel without a stored position has no previous fix,
 * so its first fix raises nothing). Fixes at or before the stored position (late or replayed data) raise
 * nothing: the transitions around them were already decided from the fixes known then. `state.zones` follows
 * the position: replaced only when a fix replaces it.
 */
function computeState(
    work: VesselWork,
    storedVessel: StoredVessel | undefined,
    options: EnrichOptions,
    now: number,
    zoneIndex: ZoneIndex,
    alerts: Alert[] | undefined,
): { state: VesselState | undefined; enrichments: Enrichment[]; track: TrackPoint[] } {
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
            : (stored?.zones ?? zoneIndex.zonesAt(storedPosition.lat, storedPosition.lon, storedPosition.eventTime));
    let zonesTime = storedTime;
    for (const a of work.records) {
        const r0 = a.record;
        const from =
            r0.kind === 'position' && r0.lat !== undefined && r0.lon !== undefined
                ? previousFix(r0.eventTime, batchFixes, storedVessel, storedPosition)
                : undefined;
        // No previous fix: a fresh object without a position, so enrich cannot fall back on the stored one.
        const e = enrich(a.record, from === undefined && state?.position !== undefined ? withoutPosition(state) : state, from, options, a.flags);
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
                else if (sameZones(zones, here)) here = zones; // keep one array while nothing changes
                else {
                    if (alerts !== undefined && t > storedTime) {
                        const { entered, left } = zoneTransitions(zones, here);
                        for (const z of entered) alerts.push(zoneAlert('zone-entry', r.mmsi, z, t, r.lat, r.lon, zonesTime, now));
                        for (const z of left) alerts.push(zoneAlert('zone-exit', r.mmsi, z, t, r.lat, r.lon, zonesTime, now));
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

/** Hours of the position fixes of these records (the track buckets a batch touches). */
function hoursOf(records: readonly Accepted[], into: Set<number>): Set<number> {
    for (const a of records) {
        if (a.record.kind !== 'position') continue;
        const h = hourStart(a.record.eventTime);
        into.add(h);
        into.add(h - HOUR_MS); // the previous fix may be in the hour before (see previousFix)
    }
    return into;
}

/**
 * The writes for one vessel: the new state (if it changed) and every track bucket that gains points, merged with
 * what is stored. Undefined when nothing changes (a redelivered batch writes nothing).
 */
function buildWrite(
    mmsi: number,
    stored: StoredVessel | undefined,
    track: TrackPoint[],
    state: VesselState | undefined,
): VesselWrite | undefined {
    const byHour = new Map<number, TrackPoint[]>();
    for (const p of track) {
        const h = hourStart(p.t);
        const list = byHour.get(h);
        if (list) list.push(p);
        else byHour.set(h, [p]);
    }
    const trackBuckets: VesselWrite['trackBuckets'] = [];
    for (const [h, points] of byHour) {
        const existing = stored?.buckets.get(h);
        const merged = mergePoints(existing?.points ?? [], points);
        if (merged) trackBuckets.push({ hourStart: h, points: merged, expectedEtag: existing ? existing.etag : null });
    }
    if (!state && trackBuckets.length === 0) return undefined;
    const write: VesselWrite = { mmsi, expectedEtag: stored?.state ? stored.state.etag : null, trackBuckets };
    if (state) write.state = state;
    return write;
}

function emptySummary(events: readonly ReceivedEvent[]): BatchSummary {
    const batch = batchIdOf(events);
    return {
        batchId: batchIdString(batch),
        partitionId: batch.partitionId,
        events: events.length,
        received: 0,
        accepted: 0,
        quarantined: 0,
        duplicates: 0,
        skipped: 0,
        quarantinedByReason: {},
        positions: 0,
        statics: 0,
        others: 0,
        vessels: 0,
        lagMs: 0,
        durationMs: 0,
        stateConflicts: 0,
        cosmosRequestCharge: 0,
        zoneEvents: 0,
    };
}

/** The summary of a batch that did not land (dead-lettered): each of its items counted as skipped. */
export function skippedAisSummary(events: readonly ReceivedEvent[]): BatchSummary {
    const summary = emptySummary(events);
    summary.received = parseBatch(events).length;
    summary.skipped = summary.received;
    return summary;
}

export async function ingestAisBatch(events: readonly ReceivedEvent[], deps: IngestDeps): Promise<BatchSummary> {
    const started = deps.clock.now();
    const batch = batchIdOf(events);
    const summary = emptySummary(events);
    if (events.length === 0) return summary;
    const now = started;
    let arrival = Number.POSITIVE_INFINITY;
    for (const e of events) arrival = Math.min(arrival, e.meta.enqueuedTime);
    summary.lagMs = Math.max(0, now - arrival);

    // 1. Parse, validate, de-duplicate.
    const skippedByReason: Record<string, number> = {};
    const items = parseBatch(events, skippedByReason);
    summary.received = items.length;
    summary.linesSkippedByReason = skippedByReason;
    summary.linesSkipped = Object.values(skippedByReason).reduce((a, b) => a + b, 0);
    const quarantine: QuarantineEntry[] = [];
    const accepted: Accepted[] = [];
    const deduper = new BatchDeduper();
    const ctx = {
        now,
        futureToleranceMs: deps.settings.futureToleranceMs,
        maxAgeMs: deps.settings.maxAgeMs,
    };
    const reject = (item: Item, reason: string, detail: string): void => {
        const meta = events[item.eventIndex]?.meta ?? (events[0] as ReceivedEvent).meta;
        quarantine.push({ reason, detail, raw: item.raw, format: item.format, source: AIS_SOURCE, eventHub: meta, quarantinedAt: now });
        summary.quarantinedByReason[reason] = (summary.quarantinedByReason[reason] ?? 0) + 1;
    };
    for (const item of items) {
        if (item.error || !item.records || item.records.length === 0) {
            reject(item, item.error?.reason ?? 'NO_RECORD', item.error?.detail ?? 'the item produced no record');
            continue;
        }
        const meta = (events[item.eventIndex] as ReceivedEvent).meta;
        // Event time: the receiver's time (NMEA) or the CSV/JSON time, else the enqueued time (invariant 4); the
        // record says which (README "Event time").
        for (const record of item.records) {
            if (record.eventTime === undefined) {
                record.eventTime = meta.enqueuedTime;
                record.eventTimeSource = 'arrival';
            } else {
                record.eventTimeSource ??= 'record';
            }
        }
        // The same message heard by several receivers (or sent twice) counts once.
        if (deduper.isDuplicate(item.records[0] as VesselRecord, item.contentKey)) {
            summary.duplicates++;
            continue;
        }
        // All records of the item or none: appended directly and cut back on a failure (no array per item).
        const mark = accepted.length;
        let failure: { reason: string; detail: string } | undefined;
        for (const record of item.records) {
            const v = validateRecord(record, ctx);
            if (!v.ok) {
                failure = { reason: v.reason, detail: v.detail };
                break;
            }
            accepted.push({ record: v.record as Accepted['record'], flags: v.flags, meta });
        }
        if (failure) {
            accepted.length = mark;
            reject(item, failure.reason, failure.detail);
            continue;
        }
        summary.accepted++;
    }
    summary.quarantined = quarantine.length;

    // 2. Enrich against the known vessel state, in event-time order per vessel.
    const perVessel = new Map<number, VesselWork>();
    const otherRows: Record<string, unknown>[] = [];
    for (const a of accepted) {
        if (a.record.kind === 'other') continue;
        let w = perVessel.get(a.record.mmsi);
        if (!w) perVessel.set(a.record.mmsi, (w = { mmsi: a.record.mmsi, records: [] }));
        w.records.push(a);
    }
    // Event-time order; at equal times static before position, so a CSV row (or a type 19) names its own fix.
    for (const w of perVessel.values()) w.records.sort((x, y) => x.record.eventTime - y.record.eventTime || KIND_ORDER[x.record.kind] - KIND_ORDER[y.record.kind]);
    summary.vessels = perVessel.size;

    const hours = new Set<number>();
    for (const w of perVessel.values()) hoursOf(w.records, hours);
    let stored =
        perVessel.size > 0 ? await deps.vessels.getVessels([...perVessel.keys()], [...hours]) : new Map<number, StoredVessel>();
    const options: EnrichOptions = {
        h3Resolution: deps.settings.h3Resolution,
        implausibleSpeedKnots: deps.settings.implausibleSpeedKnots,
    };
    const positionRows: Record<string, unknown>[] = [];
    const staticRows: Record<string, unknown>[] = [];
    const writes: VesselWrite[] = [];
    const zoneAlerts: Alert[] = [];
    for (const w of perVessel.values()) {
        const prev = stored.get(w.mmsi);
        const { state, enrichments, track } = computeState(w, prev, options, now, deps.zones, zoneAlerts);
        for (let i = 0; i < w.records.length; i++) {
            const a = w.records[i] as Accepted;
            const e = enrichments[i] as Enrichment;
            if (a.record.kind === 'position') positionRows.push(positionRow(a, a.record, e, now));
            else if (a.record.kind === 'static') staticRows.push(staticRow(a, a.record, e, now));
        }
        const write = buildWrite(w.mmsi, prev, track, state);
        if (write) writes.push(write);
    }
    for (const a of accepted) {
        if (a.record.kind !== 'other') continue;
        const e = enrich(a.record, undefined, undefined, { h3Resolution: deps.settings.h3Resolution }, a.flags);
        otherRows.push(messageRow(a as Accepted & { record: OtherAisMessage }, e, now));
    }
    summary.positions = positionRows.length;
    summary.statics = staticRows.length;
    summary.others = otherRows.length;

    // 3. Lake: bronze keeps every event; quarantine every rejected item; silver the accepted records.
    // Bronze first: whatever fails afterwards, the raw events are kept and can be replayed.
    await deps.lake.writeJsonLinesGz('bronze', bronzePath(AIS_SOURCE, arrival, batch), events.map(bronzeRow));
    const lakeWrites: Promise<void>[] = [];
    if (quarantine.length > 0) {
        lakeWrites.push(deps.lake.writeJsonLinesGz('quarantine', quarantinePath(AIS_SOURCE, arrival, batch), quarantine));
    }
    const silver = (table: string, columns: readonly ParquetColumn[], rows: Record<string, unknown>[]): void => {
        for (const [hour, hourRows] of byHour(rows)) {
            lakeWrites.push(deps.lake.writeParquet('silver', silverPath(table, hour, batch), { columns, rows: hourRows }));
        }
    };
    silver(POSITIONS_TABLE, POSITION_COLUMNS, positionRows);
    silver(STATIC_TABLE, STATIC_COLUMNS, staticRows);
    silver(MESSAGES_TABLE, MESSAGE_COLUMNS, otherRows);
    await Promise.all(lakeWrites);

    // 4. Zone alerts before the vessel states: if the batch fails in between, the retry reads the same states,
    // recomputes the same transitions and rewrites the same alert ids; once the states are written, a
    // redelivery finds its fixes at or before the stored position and raises nothing.
    if (zoneAlerts.length > 0) {
        // One alert per id (fixes of a vessel sharing an event time could repeat one; the last wins).
        const unique = [...new Map(zoneAlerts.map((a) => [a.id, a])).values()];
        summary.zoneEvents = unique.length;
        await deps.alerts.save(unique);
        await deps.publisher.publish(unique);
    }

    // 5. Live state: one transactional batch per vessel; a vessel changed concurrently is re-read and re-applied
    // (newer event time wins, so re-applying is safe; its zone transitions were raised with the first pass).
    let pending = writes;
    for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_CONFLICT_ROUNDS) {
            throw new DependencyError(`vessel state kept changing concurrently for ${pending.length} vessel(s)`);
        }
        const results = await deps.vessels.write(pending);
        for (const r of results) summary.cosmosRequestCharge += r.requestCharge ?? 0;
        const conflicted = results.filter((r) => r.status === 'conflict').map((r) => r.mmsi);
        if (conflicted.length === 0) break;
        summary.stateConflicts += conflicted.length;
        const conflictHours = new Set<number>();
        for (const mmsi of conflicted) hoursOf((perVessel.get(mmsi) as VesselWork).records, conflictHours);
        stored = await deps.vessels.getVessels(conflicted, [...conflictHours]);
        pending = [];
        for (const mmsi of conflicted) {
            const w = perVessel.get(mmsi) as VesselWork;
            const prev = stored.get(mmsi);
            const { state, track } = computeState(w, prev, options, now, deps.zones, undefined);
            const write = buildWrite(mmsi, prev, track, state);
            if (write) pending.push(write);
        }
    }

    summary.durationMs = deps.clock.now() - started;
    reportSummary(summary, deps);
    return summary;
}

function reportSummary(s: BatchSummary, deps: IngestDeps): void {
    deps.logger.info('ais batch processed', { ...s });
    for (const reason of Object.keys(s.quarantinedByReason)) {
        deps.logger.warn('ais items quarantined', { batchId: s.batchId, reason, count: s.quarantinedByReason[reason] });
    }
    const props = { partitionId: s.partitionId };
    deps.metrics.track('ais.received', s.received, props);
    deps.metrics.track('ais.accepted', s.accepted, props);
    deps.metrics.track('ais.quarantined', s.quarantined, props);
    deps.metrics.track('ais.duplicates', s.duplicates, props);
    deps.metrics.track('ais.skipped', s.skipped, props);
    deps.metrics.track('ais.processingMs', s.durationMs, props);
    deps.metrics.track('ais.lagMs', s.lagMs, props);
    deps.metrics.track('ais.cosmosRequestCharge', s.cosmosRequestCharge, props);
    deps.metrics.track('ais.zoneEvents', s.zoneEvents, props);
    for (const [reason, n] of Object.entries(s.quarantinedByReason)) {
        deps.metrics.track('ais.quarantinedByReason', n, { ...props, reason });
    }
}
