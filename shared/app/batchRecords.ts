/**
 * What every ingest use case shares: the reconciliation counts of a batch
 * (`received = accepted + quarantined + duplicates + skipped`) and the shapes of the bronze and quarantine records.
 */
import type { SourceFormat } from '../domain/records.js';
import type { EventMetadata, ReceivedEvent } from './ports.js';

export interface BatchCounts {
    received: number;
    accepted: number;
    quarantined: number;
    duplicates: number;
    /**
     * Items of a batch whose retries ran out: the whole batch went to the dead-letter store (nothing of it counts
     * as accepted, quarantined or duplicate; a re-drive counts it again where it lands).
     */
    skipped: number;
    quarantinedByReason: Record<string, number>;
}

export function emptyCounts(): BatchCounts {
    return { received: 0, accepted: 0, quarantined: 0, duplicates: 0, skipped: 0, quarantinedByReason: {} };
}

/** Adds `from` into `into` (running totals over batches). */
export function addCounts(into: BatchCounts, from: BatchCounts): void {
    into.received += from.received;
    into.accepted += from.accepted;
    into.quarantined += from.quarantined;
    into.duplicates += from.duplicates;
    into.skipped += from.skipped;
    for (const [reason, n] of Object.entries(from.quarantinedByReason)) {
        into.quarantinedByReason[reason] = (into.quarantinedByReason[reason] ?? 0) + n;
    }
}

/** `received = accepted + quarantined + duplicates + skipped`: every item accounted for exactly once. */
export function reconciles(c: BatchCounts): boolean {
    return c.received === c.accepted + c.quarantined + c.duplicates + c.skipped;
}

/**
 * A bronze record: the body exactly as received, with its Event Hub metadata. A body that is not valid UTF-8
 * is kept as `bodyBase64` (its bytes), so bronze never holds a lossy copy.
 */
export function bronzeRow(e: ReceivedEvent): Record<string, unknown> {
    return e.bodyBase64 === undefined
        ? { body: e.body, ...e.meta }
        : { body: e.body, bodyBase64: e.bodyBase64, ...e.meta };
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
