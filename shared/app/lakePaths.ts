/**
 * Lake layout. Names derive from the Event Hub partition and sequence range, so a redelivered batch
 * overwrites its own blobs instead of adding new ones.
 *
 *   bronze/{source}/date=YYYY-MM-DD/hour=HH/{partition}-{first}-{last}.jsonl.gz
 *   quarantine/{source}/date=YYYY-MM-DD/hour=HH/{partition}-{first}-{last}.jsonl.gz
 *   silver/{table}/date=YYYY-MM-DD/hour=HH/{partition}-{first}-{last}.parquet
 */

import type { ReceivedEvent } from './ports.js';

export interface BatchId {
    partitionId: string;
    firstSequence: number;
    lastSequence: number;
}

/** The partition and sequence range of a (non-empty) batch of events from one partition. */
export function batchIdOf(events: readonly ReceivedEvent[]): BatchId {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const e of events) {
        first = Math.min(first, e.meta.sequenceNumber);
        last = Math.max(last, e.meta.sequenceNumber);
    }
    return { partitionId: events[0]?.meta.partitionId ?? '0', firstSequence: first, lastSequence: last };
}

export function batchIdString(b: BatchId): string {
    return `${b.partitionId}-${b.firstSequence}-${b.lastSequence}`;
}

/** `date=YYYY-MM-DD/hour=HH` of an epoch-ms instant (UTC). */
export function datePartition(epochMs: number): string {
    const iso = new Date(epochMs).toISOString();
    return `date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

export function bronzePath(source: string, arrivalMs: number, batch: BatchId): string {
    return `${source}/${datePartition(arrivalMs)}/${batchIdString(batch)}.jsonl.gz`;
}

export function quarantinePath(source: string, arrivalMs: number, batch: BatchId): string {
    return `${source}/${datePartition(arrivalMs)}/${batchIdString(batch)}.jsonl.gz`;
}

export function silverPath(table: string, eventHourMs: number, batch: BatchId): string {
    return `${table}/${datePartition(eventHourMs)}/${batchIdString(batch)}.parquet`;
}
