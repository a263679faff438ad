/**
 * What every ingest use case shares: the reconciliation counts of a batch
 * (`received = accepted + quarantined + duplicates`) and the shapes of the bronze and quarantine records.
 */
import type { SourceFormat } from '../domain/records.js';
import type { EventMetadata, ReceivedEvent } from './ports.js';

export interface BatchCounts {
    received: number;
    accepted: number;
    quarantined: number;
    duplicates: number;
    quarantinedByReason: Record<string, number>;
}

export function emptyCounts(): BatchCounts {
    return { received: 0, accepted: 0, quarantined: 0, duplicates: 0, quarantinedByReason: {} };
}

/** Adds `from` into `into` (running totals over batches). */
export function addCounts(into: BatchCounts, from: BatchCounts): void {
    into.received += from.received;
    into.accepted += from.accepted;
    into.quarantined += from.quarantined;
    into.duplicates += from.duplicates;
    for (const [reason, n] of Object.entries(from.quarantinedByReason)) {
        into.quarantinedByReason[reason] = (into.quarantinedByReason[reason] ?? 0) + n;
    }
}

/** A bronze record: the body exactly as received, with its Event Hub metadata. */
export function bronzeRow(e: ReceivedEvent): Record<string, unknown> {
    return { body: e.body, ...e.meta };
}

/** A quarantined item, as written to the quarantine layer. */
export interface QuarantineEntry {
    reason: string;
    detail: string;
    raw: string;
    format: SourceFormat;
    source: string;
    eventHub: EventMetadata;
    quarantinedAt: number;
}
