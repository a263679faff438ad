/**
 * No silent skips: the last attempt of an ingest batch either lands or goes whole to the dead-letter store.
 *
 * The Event Hubs trigger checkpoints a batch whether the function succeeds or throws, and the retry policy is
 * bounded (functions/definitions.ts). So when the last attempt the policy allows fails, the batch would be gone
 * from the pipeline's point of view. Instead, every event of it (body and metadata) is written to a dead-letter
 * store that does not depend on the failing sinks (lake storage, Cosmos DB), the summary counts each of its
 * items as `skipped` (`received = accepted + quarantined + duplicates + skipped`), and `maritime rebuild
 * --deadletter` re-drives it through the same use case once the fault is fixed (every write is idempotent, so a
 * batch that had partly landed lands exactly once).
 */
import type { BatchCounts } from './batchRecords.js';
import type { LakeOutput } from './ingestBatch.js';
import { batchIdOf, batchIdString } from './lakePaths.js';
import { lakeDataset, lineageRunId, type LineageSink, recordLineage } from './lineage.js';
import type { Clock, DeadLetter, DeadLetterSink, Logger, Metrics, ReceivedEvent } from './ports.js';

export interface DeadLetterDeps {
    deadLetters: DeadLetterSink;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    /**
     * Where each batch's lineage record goes (input: the event hub partition and sequence range; outputs: the blobs
     * the batch wrote, with row counts). Absent: not recorded.
     */
    lineage?: BatchLineage;
}

export interface BatchLineage {
    sink: LineageSink;
    /** The lake's namespace in lineage records (`azblob://` + its blob endpoint). */
    lakeNamespace: string;
    /** The event hubs namespace (`eventhub://` + its host, or `eventhub://local`). */
    hubNamespace: string;
    /** The event hub the batch came from. */
    hubName: string;
}

/** Which attempt this is (the host's `retryContext`; absent = no retry policy, so the first is the last). */
export interface Attempt {
    retryCount: number;
    maxRetryCount: number;
}

export interface IngestAttempt<S extends BatchCounts> {
    functionName: string;
    /** Lake source (`ais`, `sensors`): also the metric prefix (`ais.skipped`). */
    source: string;
    events: readonly ReceivedEvent[];
    attempt: Attempt | undefined;
    /** The ingest use case. */
    run: () => Promise<S>;
    /** The summary of a batch that did not land: every item counted as skipped. */
    skippedSummary: () => S;
}

function oneLine(error: unknown): string {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return text.replace(/\s+/g, ' ').slice(0, 2_000);
}

/**
 * Runs one attempt of an ingest batch. A failure before the last attempt is rethrown (the retry policy runs the
 * batch again); on the last attempt the batch is dead-lettered and the skipped summary returned. Only when the
 * dead-letter store fails too does the error escape (the invocation fails, the "function failures" alert fires,
 * and the events are still in the event hub for its retention period).
 */
export async function ingestOrDeadLetter<S extends BatchCounts & { outputs?: LakeOutput[] }>(
    a: IngestAttempt<S>,
    deps: DeadLetterDeps,
): Promise<S> {
    const startedAt = deps.clock.now();
    try {
        const summary = await a.run();
        await recordBatchLineage(a, deps, startedAt, summary, undefined);
        return summary;
    } catch (error) {
        const retryCount = a.attempt?.retryCount ?? 0;
        const maxRetryCount = a.attempt?.maxRetryCount ?? 0;
        if (retryCount < maxRetryCount) throw error;
        const summary = a.skippedSummary();
        const batchId = batchIdString(batchIdOf(a.events));
        const letter: DeadLetter = {
            functionName: a.functionName,
            source: a.source,
            batchId,
            attempts: retryCount + 1,
            error: oneLine(error),
            failedAt: deps.clock.now(),
            items: summary.skipped,
            events: [...a.events],
        };
        try {
            await deps.deadLetters.write(letter);
        } catch (deadLetterError) {
            deps.logger.error(`${a.source} batch could not be dead-lettered`, {
                batchId,
                events: a.events.length,
                error: letter.error,
                deadLetterError: oneLine(deadLetterError),
            });
            throw new AggregateError(
                [error, deadLetterError],
                `${a.functionName}: batch ${batchId} failed and could not be dead-lettered`,
            );
        }
        deps.logger.error(`${a.source} batch dead-lettered`, {
            batchId,
            events: a.events.length,
            skipped: summary.skipped,
            attempts: letter.attempts,
            error: letter.error,
        });
        deps.metrics.track(`${a.source}.skipped`, summary.skipped, {
            partitionId: a.events[0]?.meta.partitionId ?? '0',
        });
        deps.metrics.track(`${a.source}.deadLettered`, a.events.length, {
            partitionId: a.events[0]?.meta.partitionId ?? '0',
        });
        await recordBatchLineage(a, deps, startedAt, summary, letter.error);
        return summary;
    }
}

/** The batch's lineage record: COMPLETE with what it wrote, or FAIL when it was dead-lettered. Never throws. */
async function recordBatchLineage<S extends BatchCounts & { outputs?: LakeOutput[] }>(
    a: IngestAttempt<S>,
    deps: DeadLetterDeps,
    startedAt: number,
    summary: S,
    error: string | undefined,
): Promise<void> {
    const l = deps.lineage;
    if (l === undefined || a.events.length === 0) return;
    const batch = batchIdOf(a.events);
    const counts: Record<string, number> = {
        received: summary.received,
        accepted: summary.accepted,
        quarantined: summary.quarantined,
        duplicates: summary.duplicates,
        skipped: summary.skipped,
    };
    await recordLineage(
        l.sink,
        {
            job: a.functionName,
            // Same batch, same run id: a redelivered batch's record carries the id of the first.
            runId: lineageRunId(a.functionName, `${l.hubName}/${batchIdString(batch)}`),
            startedAt,
            endedAt: deps.clock.now(),
            outcome: error === undefined ? 'COMPLETE' : 'FAIL',
            inputs: [
                {
                    namespace: l.hubNamespace,
                    name: `${l.hubName}/partition=${batch.partitionId}/sequence=${batch.firstSequence}-${batch.lastSequence}`,
                    rows: a.events.length,
                },
            ],
            outputs: (summary.outputs ?? []).map((o) =>
                lakeDataset(l.lakeNamespace, o.container, o.path, o.rows),
            ),
            counts,
            ...(error === undefined ? {} : { error }),
        },
        deps.logger,
    );
}
