/**
 * Use case: one Event Hub batch of raw AIS (NMEA lines, JSON events or MarineCadastre CSV rows) into the lake
 * layers and the live vessel state, through the ingest skeleton (ingestBatch.ts: bronze first, quarantine and
 * silver by hour, alerts before state, state conflicts retried, metrics `ais.*`).
 *
 * Counting unit: an *item* is one AIS message (a multi-sentence message counts once; an undecodable line
 * counts once), one JSON event or one CSV row (domain/formats/aisBatch.ts). Every item ends as exactly one of
 * accepted, quarantined or duplicate; an empty body or a JSON `null` body is one item, quarantined as
 * `EMPTY_BODY`. NMEA lines that are neither data nor errors are counted apart (`linesSkipped`).
 */
import { type Alert, uniqueById } from '../domain/alerts/alert.js';
import { BatchDeduper } from '../domain/enrichment/dedupe.js';
import { enrich } from '../domain/enrichment/enrich.js';
import {
    deliveryRef,
    hasFix,
    isStoredDuplicate,
    seenKeyOf,
    withSeenKeys,
} from '../domain/enrichment/storedDuplicates.js';
import { parseAisBatch } from '../domain/formats/aisBatch.js';
import { admitAisItem } from '../domain/validation/admit.js';
import {
    type FoldContext,
    foldVessels,
    groupByVessel,
    previousFixBuckets,
    recordBuckets,
    type ValidRecord,
} from '../domain/vessel/fold.js';
import type { DeliveryRef } from '../domain/vessel/state.js';
import type { ZoneIndex } from '../domain/zones/index.js';
import {
    type BatchLedger,
    conflictedWrites,
    ingestBatch,
    type IngestCoreDeps,
    type IngestFeed,
    type IngestStory,
    type IngestSummary,
    newSummary,
    skippedSummary,
} from './ingestBatch.js';
import type {
    AlertPublisher,
    AlertStore,
    EventMetadata,
    ReceivedEvent,
    SeenKey,
    StoredVessel,
    VesselStateStore,
    VesselWrite,
} from './ports.js';
import { messageRow, positionRow, staticRow } from './silverRows.js';
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

export interface IngestDeps extends IngestCoreDeps {
    alerts: AlertStore;
    publisher: AlertPublisher;
    vessels: VesselStateStore;
    /** Zones whose entry and exit raise alerts (built once per process). */
    zones: ZoneIndex;
    settings: IngestSettings;
}

export interface BatchSummary extends IngestSummary {
    positions: number;
    statics: number;
    others: number;
    vessels: number;
    /** Vessels whose state changed under us and had to be re-read and re-applied. */
    stateConflicts: number;
    /** Request units charged for the vessel-state writes (when the store reports them). */
    cosmosRequestCharge: number;
    /** Zone entry and exit alerts raised (saved and published) by this batch. */
    zoneEvents: number;
    /** NMEA lines that are neither data nor errors: not items, so outside `received`; by reason (README "Skipped lines"). */
    linesSkipped?: number;
    linesSkippedByReason?: Record<string, number>;
}

/** An accepted record with its lineage, its delivery and the index of its item in the batch. */
type Accepted = ValidRecord & { meta: EventMetadata; ref: DeliveryRef; item: number };
type Row = Record<string, unknown>;

const AIS_FEED: IngestFeed<BatchSummary> = {
    source: AIS_SOURCE,
    emptySummary: (events) =>
        newSummary(events, {
            positions: 0,
            statics: 0,
            others: 0,
            vessels: 0,
            stateConflicts: 0,
            cosmosRequestCharge: 0,
            zoneEvents: 0,
        }),
    countItems: (events) => parseAisBatch(events).length,
};

function aisStory(deps: IngestDeps): IngestStory<BatchSummary, Accepted> {
    const { settings } = deps;
    return {
        ...AIS_FEED,
        admit(events, ledger, summary, now) {
            const skippedByReason: Record<string, number> = {};
            const items = parseAisBatch(events, skippedByReason);
            summary.linesSkippedByReason = skippedByReason;
            summary.linesSkipped = Object.values(skippedByReason).reduce((a, b) => a + b, 0);
            const ctx = { now, futureToleranceMs: settings.futureToleranceMs, maxAgeMs: settings.maxAgeMs };
            const accepted: Accepted[] = [];
            const deduper = new BatchDeduper();
            let refIndex = -1;
            let ref = 0;
            for (let i = 0; i < items.length; i++) {
                const item = items[i] as (typeof items)[number];
                const meta = ((events[item.eventIndex] ?? events[0]) as ReceivedEvent).meta;
                if (item.eventIndex !== refIndex)
                    [refIndex, ref] = [item.eventIndex, deliveryRef(summary.batchId, meta)];
                const refusal = admitAisItem(
                    item,
                    meta.enqueuedTime,
                    ctx,
                    deduper,
                    accepted,
                    (record, flags) => ({ record, flags, meta, ref, item: i }),
                );
                ledger.settle(item, meta, refusal);
            }
            return accepted;
        },
        async plan(admitted, summary, now, ledger) {
            const read = recordBuckets(admitted);
            const stored = await deps.vessels.getVessels(mmsisOf(admitted), [...read]);
            const accepted = withoutStoredDuplicates(admitted, stored, ledger);
            await readPreviousFixBuckets(deps.vessels, accepted, stored, read);
            const perVessel = groupByVessel(accepted);
            summary.vessels = perVessel.size;
            const ctx: FoldContext = {
                now,
                zones: deps.zones,
                options: {
                    h3Resolution: settings.h3Resolution,
                    implausibleSpeedKnots: settings.implausibleSpeedKnots,
                },
            };
            const [positions, statics, others]: [Row[], Row[], Row[]] = [[], [], []];
            const zoneAlerts: Alert[] = [];
            const seen = seenKeysByVessel(accepted);
            const writes = withSeen(
                foldVessels(perVessel.values(), stored, ctx, zoneAlerts, (a, e) => {
                    if (a.record.kind === 'position') positions.push(positionRow(a.record, e, a.meta, now));
                    else if (a.record.kind === 'static') statics.push(staticRow(a.record, e, a.meta, now));
                }),
                stored,
                seen,
            );
            for (const a of accepted) {
                if (a.record.kind === 'other')
                    others.push(
                        messageRow(
                            a.record,
                            enrich(
                                a.record,
                                undefined,
                                undefined,
                                { h3Resolution: settings.h3Resolution },
                                a.flags,
                            ),
                            a.meta,
                            now,
                        ),
                    );
            }
            Object.assign(summary, {
                positions: positions.length,
                statics: statics.length,
                others: others.length,
            });
            const alerts = uniqueById(zoneAlerts);
            summary.zoneEvents = alerts.length;
            return {
                silver: [
                    { table: POSITIONS_TABLE, columns: POSITION_COLUMNS, rows: positions },
                    { table: STATIC_TABLE, columns: STATIC_COLUMNS, rows: statics },
                    { table: MESSAGES_TABLE, columns: MESSAGE_COLUMNS, rows: others },
                ],
                alerts,
                // One transactional batch per vessel; a vessel changed concurrently is re-read and re-applied (newer
                // event time wins, so re-applying is safe; its zone transitions were raised with the first pass).
                state: {
                    what: 'vessel',
                    writes,
                    async write(pending: readonly VesselWrite[]) {
                        const results = await deps.vessels.write(pending);
                        for (const r of results) summary.cosmosRequestCharge += r.requestCharge ?? 0;
                        const conflicted = conflictedWrites(
                            pending,
                            results,
                            (w) => w.mmsi,
                            (r) => r.mmsi,
                        );
                        summary.stateConflicts += conflicted.length;
                        return conflicted;
                    },
                    async recompute(conflicted: readonly VesselWrite[]) {
                        const mmsis = new Set(conflicted.map((w) => w.mmsi));
                        const records = accepted.filter((a) => mmsis.has(a.record.mmsi));
                        const read = recordBuckets(records);
                        const again = await deps.vessels.getVessels([...mmsis], [...read]);
                        await readPreviousFixBuckets(deps.vessels, records, again, read);
                        const work = [...mmsis].flatMap((m) => perVessel.get(m) ?? []);
                        const seenAgain = new Map([...seen].filter(([m]) => mmsis.has(m)));
                        return withSeen(foldVessels(work, again, ctx, undefined), again, seenAgain);
                    },
                },
            };
        },
        metrics: (s) => ({ cosmosRequestCharge: s.cosmosRequestCharge, zoneEvents: s.zoneEvents }),
    };
}

function mmsisOf(records: readonly Accepted[]): number[] {
    return [...new Set(records.map((a) => a.record.mmsi))];
}

/**
 * The second read of a batch, only when some of its fixes are late (at or before their vessel's stored position;
 * fold.ts previousFixBuckets): the older track buckets of those vessels their previous fixes may be in, added to
 * `stored` (read first: the states and the buckets of the records' times, `read`). The live batch makes one read.
 */
async function readPreviousFixBuckets(
    store: VesselStateStore,
    records: readonly Accepted[],
    stored: Map<number, StoredVessel>,
    read: ReadonlySet<number>,
): Promise<void> {
    const { mmsis, buckets } = previousFixBuckets(records, stored, read);
    if (mmsis.length === 0) return;
    const more = await store.getVessels(mmsis, buckets);
    for (const [mmsi, vessel] of more) {
        const into = stored.get(mmsi);
        if (into === undefined) continue; // a late fix has a stored position: read in the first round
        for (const [b, bucket] of vessel.buckets) if (!into.buckets.has(b)) into.buckets.set(b, bucket);
    }
}

/**
 * The admitted records without the items an earlier batch already stored (storedDuplicates.ts), each such item
 * moved to duplicates. An item's records (a CSV row: static and position) are dropped together; when only some
 * are stored, the others are kept.
 */
function withoutStoredDuplicates(
    admitted: Accepted[],
    stored: ReadonlyMap<number, StoredVessel>,
    ledger: BatchLedger,
): Accepted[] {
    if (stored.size === 0) return admitted;
    const kept: Accepted[] = [];
    for (let i = 0; i < admitted.length;) {
        const item = (admitted[i] as Accepted).item;
        let fresh = 0;
        for (; i < admitted.length && (admitted[i] as Accepted).item === item; i++) {
            const a = admitted[i] as Accepted;
            if (isStoredDuplicate(a.record, a.ref, stored.get(a.record.mmsi))) continue;
            kept.push(a);
            fresh++;
        }
        if (fresh === 0) ledger.storedDuplicate();
    }
    return kept;
}

/** The seen keys of the records without a fix, by vessel. */
function seenKeysByVessel(accepted: readonly Accepted[]): Map<number, SeenKey[]> {
    const out = new Map<number, SeenKey[]>();
    for (const a of accepted) {
        if (hasFix(a.record)) continue;
        const list = out.get(a.record.mmsi);
        if (list) list.push(seenKeyOf(a.record, a.ref));
        else out.set(a.record.mmsi, [seenKeyOf(a.record, a.ref)]);
    }
    return out;
}

/** The vessels' writes with their seen keys added (a vessel with only seen keys gets a write of its own). */
function withSeen(
    writes: VesselWrite[],
    stored: ReadonlyMap<number, StoredVessel>,
    seen: ReadonlyMap<number, SeenKey[]>,
): VesselWrite[] {
    if (seen.size === 0) return writes;
    const byMmsi = new Map(writes.map((w) => [w.mmsi, w]));
    for (const [mmsi, keys] of seen) {
        const w = withSeenKeys(mmsi, byMmsi.get(mmsi), stored.get(mmsi), keys);
        if (w !== undefined && !byMmsi.has(mmsi)) writes.push(w);
    }
    return writes;
}

/** The summary of a batch that did not land (dead-lettered): each of its items counted as skipped. */
export function skippedAisSummary(events: readonly ReceivedEvent[]): BatchSummary {
    return skippedSummary(AIS_FEED, events);
}

export async function ingestAisBatch(
    events: readonly ReceivedEvent[],
    deps: IngestDeps,
): Promise<BatchSummary> {
    return ingestBatch(events, aisStory(deps), deps);
}
