import { describe, expect, it } from '@jest/globals';

import { ingestOrDeadLetter } from '../../../shared/app/deadLetter.js';
import { ingestAisBatch, skippedAisSummary } from '../../../shared/app/ingestAisBatch.js';
import type { OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import type { DeadLetter } from '../../../shared/app/ports.js';
import { aisPositionEvent, eventBatch } from '../../helpers/factories.js';
import { aisIngestFakes } from '../../helpers/ingestFakes.js';

function recordingSink(): { events: OpenLineageRunEvent[]; write(e: OpenLineageRunEvent): Promise<void> } {
    const events: OpenLineageRunEvent[] = [];
    return { events, write: (e) => Promise.resolve(void events.push(e)) };
}

const lineageFor = (sink: ReturnType<typeof recordingSink>) => ({
    sink,
    lakeNamespace: 'azblob://lake',
    hubNamespace: 'eventhub://ns',
    hubName: 'ais-raw',
});

describe('ingest batch lineage', () => {
    it('records the batch: event hub range in, every blob it wrote out with row counts, the reconciliation counts', async () => {
        const sink = recordingSink();
        const d = aisIngestFakes();
        const events = eventBatch(
            [JSON.stringify(aisPositionEvent()), JSON.stringify(aisPositionEvent({ mmsi: 0 })), 'not ais'],
            { firstSequence: 500 },
        );
        const deadLetters: DeadLetter[] = [];
        const summary = await ingestOrDeadLetter(
            {
                functionName: 'ingestAis',
                source: 'ais',
                events,
                attempt: undefined,
                run: () => ingestAisBatch(events, d),
                skippedSummary: () => skippedAisSummary(events),
            },
            {
                deadLetters: { write: (l) => Promise.resolve(void deadLetters.push(l)) },
                clock: d.clock,
                logger: d.logger,
                metrics: d.metrics,
                lineage: lineageFor(sink),
            },
        );
        expect(sink.events).toHaveLength(1);
        const e = sink.events[0]!;
        expect(e).toMatchObject({ eventType: 'COMPLETE', job: { name: 'ingestAis' } });
        expect(e.inputs).toEqual([
            {
                namespace: 'eventhub://ns',
                name: 'ais-raw/partition=0/sequence=500-502',
                inputFacets: { inputStatistics: expect.objectContaining({ rowCount: 3 }) },
            },
        ]);
        // Exactly the blobs the lake holds now, each named in its container.
        const lake = d.lake;
        const written = (['bronze', 'silver', 'quarantine'] as const)
            .flatMap((c) => lake.paths(c).map((p) => `${c}/${p}`))
            .sort();
        expect(e.outputs.map((o) => o.name).sort()).toEqual(written);
        expect(e.outputs.every((o) => o.namespace === 'azblob://lake')).toBe(true);
        const bronze = e.outputs.find((o) => o.name.startsWith('bronze/'));
        expect(bronze?.outputFacets?.['outputStatistics']).toMatchObject({ rowCount: 3 });
        expect(e.run.facets['maritime']?.['counts']).toEqual({
            received: summary.received,
            accepted: summary.accepted,
            quarantined: summary.quarantined,
            duplicates: summary.duplicates,
            skipped: 0,
        });

        // A redelivered batch carries the same run id.
        await ingestOrDeadLetter(
            {
                functionName: 'ingestAis',
                source: 'ais',
                events,
                attempt: undefined,
                run: () => ingestAisBatch(events, d),
                skippedSummary: () => skippedAisSummary(events),
            },
            {
                deadLetters: { write: () => Promise.resolve() },
                clock: d.clock,
                logger: d.logger,
                metrics: d.metrics,
                lineage: lineageFor(sink),
            },
        );
        expect(sink.events[1]!.run.runId).toBe(e.run.runId);
    });

    it('a dead-lettered batch is a FAIL record with the error and the skipped count; a lineage failure fails nothing', async () => {
        const sink = recordingSink();
        const d = aisIngestFakes();
        const events = eventBatch([JSON.stringify(aisPositionEvent())], { firstSequence: 7 });
        const summary = await ingestOrDeadLetter(
            {
                functionName: 'ingestAis',
                source: 'ais',
                events,
                attempt: { retryCount: 2, maxRetryCount: 2 },
                run: () => Promise.reject(new Error('Cosmos down')),
                skippedSummary: () => skippedAisSummary(events),
            },
            {
                deadLetters: { write: () => Promise.resolve() },
                clock: d.clock,
                logger: d.logger,
                metrics: d.metrics,
                lineage: lineageFor(sink),
            },
        );
        expect(summary.skipped).toBe(1);
        expect(sink.events[0]).toMatchObject({
            eventType: 'FAIL',
            run: {
                facets: {
                    errorMessage: { message: expect.stringContaining('Cosmos down') as unknown as string },
                },
            },
        });
        expect(sink.events[0]!.run.facets['maritime']?.['counts']).toMatchObject({ skipped: 1 });

        const broken = {
            sink: { write: () => Promise.reject(new Error('lineage container gone')) },
            lakeNamespace: 'l',
            hubNamespace: 'h',
            hubName: 'ais-raw',
        };
        const ok = await ingestOrDeadLetter(
            {
                functionName: 'ingestAis',
                source: 'ais',
                events,
                attempt: undefined,
                run: () => ingestAisBatch(events, d),
                skippedSummary: () => skippedAisSummary(events),
            },
            {
                deadLetters: { write: () => Promise.resolve() },
                clock: d.clock,
                logger: d.logger,
                metrics: d.metrics,
                lineage: broken,
            },
        );
        expect(ok.received).toBe(1);
    });
});
