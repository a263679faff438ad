/**
 * The ingest's own record of each batch it processed: silver table `ingest_batches`, one small Parquet file per
 * batch with its reconciliation counts, so the gold `dq_daily` table can report received, accepted, quarantined
 * (by reason), duplicates and skipped per source and day exactly, without decoding bronze again.
 *
 *   silver/ingest_batches/date=YYYY-MM-DD/hour=HH/{source}-{partition}-{first}-{last}.parquet
 *
 * The date and hour are those of the batch's first enqueued time (not the processing time), so a redelivered or
 * re-driven batch overwrites its own record: a batch that was dead-lettered (all skipped) and later re-driven is
 * counted once, as it finally landed. One row holds the totals (`reason` null); each quarantine reason adds a row
 * with only `quarantined` set (a long shape any SQL engine can group without JSON functions).
 */
import { hourStart } from '../domain/time.js';
import type { BatchCounts } from './batchRecords.js';
import { batchIdOf, batchIdString, datePartition } from './lakePaths.js';
import type { Clock, LakeWriter, Logger, ParquetColumn, ReceivedEvent } from './ports.js';

export const INGEST_BATCHES_TABLE = 'ingest_batches';

export const INGEST_BATCH_COLUMNS: readonly ParquetColumn[] = [
    { name: 'source', type: 'STRING' },
    { name: 'batch_id', type: 'STRING' },
    { name: 'eh_partition', type: 'STRING' },
    { name: 'first_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'last_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'recorded_at', type: 'TIMESTAMP_MILLIS' },
    { name: 'reason', type: 'STRING' },
    { name: 'events', type: 'INT64' },
    { name: 'received', type: 'INT64' },
    { name: 'accepted', type: 'INT64' },
    { name: 'quarantined', type: 'INT64' },
    { name: 'duplicates', type: 'INT64' },
    { name: 'skipped', type: 'INT64' },
];

/** Path of a batch's record (deterministic: source, first enqueued hour and the partition/sequence range). */
export function ingestBatchPath(source: string, events: readonly ReceivedEvent[]): string {
    const first = Math.min(...events.map((e) => e.meta.enqueuedTime));
    return `${INGEST_BATCHES_TABLE}/${datePartition(hourStart(first))}/${source}-${batchIdString(batchIdOf(events))}.parquet`;
}

/** The rows of a batch's record: the totals, then one row per quarantine reason (sorted). */
export function ingestBatchRows(
    source: string,
    events: readonly ReceivedEvent[],
    counts: BatchCounts,
    now: number,
): Record<string, unknown>[] {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const e of events) {
        first = Math.min(first, e.meta.enqueuedTime);
        last = Math.max(last, e.meta.enqueuedTime);
    }
    const batch = batchIdOf(events);
    const base = {
        source,
        batch_id: batchIdString(batch),
        eh_partition: batch.partitionId,
        first_enqueued_time: first,
        last_enqueued_time: last,
        recorded_at: now,
    };
    const totals = {
        ...base,
        reason: null,
        events: events.length,
        received: counts.received,
        accepted: counts.accepted,
        quarantined: counts.quarantined,
        duplicates: counts.duplicates,
        skipped: counts.skipped,
    };
    const reasons = Object.entries(counts.quarantinedByReason)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([reason, n]) => ({
            ...base,
            reason,
            events: 0,
            received: 0,
            accepted: 0,
            quarantined: n,
            duplicates: 0,
            skipped: 0,
        }));
    return [totals, ...reasons];
}

/** Writes the batch's record (overwriting an earlier record of the same batch). An empty batch has none. */
export async function recordIngestBatch(
    lake: LakeWriter,
    source: string,
    events: readonly ReceivedEvent[],
    counts: BatchCounts,
    now: number,
): Promise<void> {
    if (events.length === 0) return;
    await lake.writeParquet('silver', ingestBatchPath(source, events), {
        columns: INGEST_BATCH_COLUMNS,
        rows: ingestBatchRows(source, events, counts, now),
    });
}

/**
 * Records a batch after the ingest returned. A batch that landed and whose record cannot be written fails the
 * invocation (its retry lands it again, idempotently, and writes the record); a batch that was dead-lettered must
 * not fail after that, so its record is best effort (a warning; dq then lacks its skipped count).
 */
export async function recordIngestBatchAfterRun(
    deps: { lake: LakeWriter; logger: Logger; clock: Clock },
    source: string,
    events: readonly ReceivedEvent[],
    summary: BatchCounts,
): Promise<void> {
    try {
        await recordIngestBatch(deps.lake, source, events, summary, deps.clock.now());
    } catch (error) {
        if (summary.skipped === 0) throw error;
        deps.logger.warn('ingest batch record not written for a dead-lettered batch', {
            source,
            error: error instanceof Error ? error.message : String(error),
        });
    }
}
