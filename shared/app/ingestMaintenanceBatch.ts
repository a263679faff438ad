/**
 * Use case: one Event Hub batch of maintenance log events (the labels of the predictive-maintenance model) into
 * bronze (as received), quarantine (with a reason code) and silver `maintenance_events` (by event hour).
 *
 * An event body is one or more log lines (JSON lines and/or CSV rows, `shared/domain/maintenance/events.ts`);
 * each line is one item: `received = accepted + quarantined + duplicates (+ skipped)`. Data errors never throw.
 * Idempotent: blob names derive from the partition and sequence range, so a redelivered batch overwrites itself;
 * the silver rows carry the deterministic event id, so a log sent twice in two batches can be de-duplicated on
 * read (`event_id`), as the features do.
 */
import {
    type MaintenanceEvent,
    maintenanceEventId,
    parseMaintenanceBody,
} from '../domain/maintenance/events.js';
import { type BatchCounts, bronzeRow, EMPTY_BODY, emptyCounts, isEmptyBody, type QuarantineEntry } from './batchRecords.js';
import { batchIdOf, batchIdString, bronzePath, hourStart, quarantinePath, silverPath } from './lakePaths.js';
import type { Clock, EventMetadata, LakeWriter, Logger, Metrics, ParquetColumn, ReceivedEvent } from './ports.js';

export const MAINTENANCE_SOURCE = 'maintenance';
export const MAINTENANCE_EVENTS_TABLE = 'maintenance_events';

export const MAINTENANCE_COLUMNS: readonly ParquetColumn[] = [
    { name: 'event_id', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'equipment_id', type: 'STRING' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'kind', type: 'STRING' },
    { name: 'note', type: 'STRING' },
    { name: 'eh_partition', type: 'STRING' },
    { name: 'eh_sequence', type: 'INT64' },
    { name: 'eh_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'ingest_time', type: 'TIMESTAMP_MILLIS' },
];

export interface MaintenanceIngestDeps {
    lake: LakeWriter;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
}

export interface MaintenanceBatchSummary extends BatchCounts {
    batchId: string;
    partitionId: string;
    events: number;
    durationMs: number;
}

interface Accepted {
    event: MaintenanceEvent;
    meta: EventMetadata;
}

function emptySummary(events: readonly ReceivedEvent[]): MaintenanceBatchSummary {
    const batch = batchIdOf(events);
    return { batchId: batchIdString(batch), partitionId: batch.partitionId, events: events.length, ...emptyCounts(), durationMs: 0 };
}

/** The summary of a batch that did not land (dead-lettered): each of its log lines counted as skipped. */
export function skippedMaintenanceSummary(events: readonly ReceivedEvent[], now: number): MaintenanceBatchSummary {
    const summary = emptySummary(events);
    for (const e of events) summary.received += isEmptyBody(e.body) ? 1 : parseMaintenanceBody(e.body, now).length;
    summary.skipped = summary.received;
    return summary;
}

/** Parses, validates and de-duplicates every line of the batch into accepted events and quarantine entries. */
function sortOut(events: readonly ReceivedEvent[], now: number, summary: MaintenanceBatchSummary): { accepted: Accepted[]; quarantine: QuarantineEntry[] } {
    const accepted: Accepted[] = [];
    const quarantine: QuarantineEntry[] = [];
    const seen = new Set<string>();
    const reject = (reason: string, detail: string, raw: string, meta: EventMetadata): void => {
        quarantine.push({ reason, detail, raw, format: 'json', source: MAINTENANCE_SOURCE, eventHub: meta, quarantinedAt: now });
        summary.quarantinedByReason[reason] = (summary.quarantinedByReason[reason] ?? 0) + 1;
    };
    for (const e of events) {
        if (isEmptyBody(e.body)) {
            summary.received++;
            reject(EMPTY_BODY, e.body.trim() === 'null' ? 'the event body is the JSON literal null' : 'the event body is empty', e.body, e.meta);
            continue;
        }
        for (const outcome of parseMaintenanceBody(e.body, now)) {
            summary.received++;
            if (!outcome.ok) {
                reject(outcome.reason, outcome.detail, outcome.raw, e.meta);
                continue;
            }
            const id = maintenanceEventId(outcome.event);
            if (seen.has(id)) {
                summary.duplicates++;
                continue;
            }
            seen.add(id);
            summary.accepted++;
            accepted.push({ event: outcome.event, meta: e.meta });
        }
    }
    summary.quarantined = quarantine.length;
    return { accepted, quarantine };
}

function silverRow(a: Accepted, now: number): Record<string, unknown> {
    const e = a.event;
    return {
        event_id: maintenanceEventId(e),
        mmsi: e.mmsi,
        equipment_id: e.equipmentId,
        event_time: e.time,
        kind: e.kind,
        note: e.note,
        eh_partition: a.meta.partitionId,
        eh_sequence: a.meta.sequenceNumber,
        eh_enqueued_time: a.meta.enqueuedTime,
        ingest_time: now,
    };
}

export async function ingestMaintenanceBatch(events: readonly ReceivedEvent[], deps: MaintenanceIngestDeps): Promise<MaintenanceBatchSummary> {
    const now = deps.clock.now();
    const summary = emptySummary(events);
    if (events.length === 0) return summary;
    const batch = batchIdOf(events);
    const arrival = Math.min(...events.map((e) => e.meta.enqueuedTime));
    const { accepted, quarantine } = sortOut(events, now, summary);

    // Bronze first (every event as received), then quarantine and silver by event hour.
    await deps.lake.writeJsonLinesGz('bronze', bronzePath(MAINTENANCE_SOURCE, arrival, batch), events.map(bronzeRow));
    const writes: Promise<void>[] = [];
    if (quarantine.length > 0) writes.push(deps.lake.writeJsonLinesGz('quarantine', quarantinePath(MAINTENANCE_SOURCE, arrival, batch), quarantine));
    const byHour = new Map<number, Record<string, unknown>[]>();
    for (const a of accepted) {
        const h = hourStart(a.event.time);
        const rows = byHour.get(h) ?? [];
        rows.push(silverRow(a, now));
        byHour.set(h, rows);
    }
    for (const [h, rows] of byHour) {
        writes.push(deps.lake.writeParquet('silver', silverPath(MAINTENANCE_EVENTS_TABLE, h, batch), { columns: MAINTENANCE_COLUMNS, rows }));
    }
    await Promise.all(writes);

    summary.durationMs = deps.clock.now() - now;
    deps.logger.info('maintenance batch processed', { ...summary });
    const props = { partitionId: summary.partitionId };
    for (const k of ['received', 'accepted', 'quarantined', 'duplicates'] as const) deps.metrics.track(`maintenance.${k}`, summary[k], props);
    return summary;
}
