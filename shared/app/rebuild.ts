/**
 * Bronze is the truth: every derived layer (silver, quarantine, vessel state, tracks, sensor state, alerts) can be
 * rebuilt by re-driving bronze batches through the same ingest use cases. Bronze blob names carry the batch's
 * partition and sequence range, and a bronze row keeps the body exactly as received with its Event Hub metadata,
 * so a re-driven batch writes the same blob names and document ids it wrote the first time: a rebuild is
 * idempotent, whatever it re-drives twice lands once, and newer state is never replaced by older (event time
 * decides). Used by `maritime rebuild` and by the local stack at start (bronze written after the snapshot).
 */
import type { BatchCounts } from './batchRecords.js';
import { addCounts, emptyCounts } from './batchRecords.js';
import type {
    BlobInfo,
    DeadLetterSource,
    EventMetadata,
    LakeDeleter,
    LakeReader,
    ReceivedEvent,
} from './ports.js';

/** The ingest use case of each bronze source (`ais`, `sensors`), bound to its dependencies. */
export type SourceIngest = (events: readonly ReceivedEvent[]) => Promise<BatchCounts>;

export interface RebuildDeps {
    /** Bronze and quarantine are read; a quarantine blob whose batch is now accepted whole is deleted. */
    lake: LakeReader & LakeDeleter;
    ingest: Readonly<Record<string, SourceIngest>>;
    /** Called after each batch: batches done, batches in all. */
    progress?: (done: number, total: number) => void;
}

export interface RebuildOptions {
    /** Epoch ms: first arrival day (UTC) to re-drive; 0 = everything in bronze. */
    from: number;
    /** Epoch ms: last arrival day (UTC) to re-drive (default: today). */
    to?: number;
    /** Only bronze blobs modified at or after this (epoch ms): the start-up replay after a snapshot. */
    modifiedSince?: number;
    /** Only the bronze batches that have quarantine entries (re-drive quarantined items after a rule fix). */
    onlyQuarantined?: boolean;
    /** Sources to re-drive (default: every source with an ingest). */
    sources?: readonly string[];
}

export interface RebuildSummary {
    batches: number;
    events: number;
    /** Per source, the counts the re-driven batches reported. */
    counts: Record<string, BatchCounts>;
    /** Batches that failed (left for another run; the rebuild goes on). */
    failed: { path: string; error: string }[];
    /**
     * Quarantine blobs deleted because their batch, re-driven, quarantined nothing any more (a rule fix accepted
     * what it had rejected): the quarantine layer then holds only what the batch's last run rejected, as its
     * `ingest_batches` record counts it. A batch that still quarantines items overwrites its blob instead.
     */
    quarantineCleared: number;
}

const DAY = 86_400_000;

/** The UTC days from `from` to `to`, as `date=YYYY-MM-DD/` prefixes. */
export function dayPrefixes(from: number, to: number): string[] {
    const out: string[] = [];
    for (let t = Math.floor(from / DAY) * DAY; t <= to; t += DAY)
        out.push(`date=${new Date(t).toISOString().slice(0, 10)}/`);
    return out;
}

/** A bronze row back into the event it was: body (bytes when they were not UTF-8) and metadata. */
export function eventFromBronzeRow(row: unknown): ReceivedEvent {
    const r = row as Record<string, unknown>;
    const meta: EventMetadata = {
        partitionId: typeof r.partitionId === 'string' ? r.partitionId : '0',
        sequenceNumber: Number(r.sequenceNumber ?? -1),
        enqueuedTime: Number(r.enqueuedTime ?? 0),
    };
    if (typeof r.offset === 'string') meta.offset = r.offset;
    if (typeof r.partitionKey === 'string') meta.partitionKey = r.partitionKey;
    if (r.properties && typeof r.properties === 'object')
        meta.properties = r.properties as Record<string, unknown>;
    const event: ReceivedEvent = { body: typeof r.body === 'string' ? r.body : '', meta };
    if (typeof r.bodyBase64 === 'string') {
        event.bodyBase64 = r.bodyBase64;
        event.body = Buffer.from(r.bodyBase64, 'base64').toString('utf8');
    }
    return event;
}

function byArrival(a: BlobInfo, b: BlobInfo): number {
    return a.lastModified - b.lastModified || a.path.localeCompare(b.path);
}

/** Re-drives the bronze batches of a date range (optionally only recent ones, or only those with quarantine entries). */
export async function rebuildFromBronze(deps: RebuildDeps, options: RebuildOptions): Promise<RebuildSummary> {
    const to = options.to ?? Date.now();
    const sources = options.sources ?? Object.keys(deps.ingest);
    const days = options.from <= 0 ? [''] : dayPrefixes(options.from, to);
    const work: { source: string; blob: BlobInfo; quarantined: boolean }[] = [];
    for (const source of sources) {
        const listed = (
            await Promise.all(days.map((d) => deps.lake.list('bronze', `${source}/${d}`)))
        ).flat();
        let blobs = listed.filter(
            (b) =>
                b.path.endsWith('.jsonl.gz') &&
                (options.modifiedSince === undefined || b.lastModified >= options.modifiedSince),
        );
        // A batch's quarantine blob has its bronze blob's path (lakePaths.ts).
        const quarantined = new Set(
            (await Promise.all(days.map((d) => deps.lake.list('quarantine', `${source}/${d}`))))
                .flat()
                .map((b) => b.path),
        );
        if (options.onlyQuarantined) blobs = blobs.filter((b) => quarantined.has(b.path));
        for (const blob of blobs) work.push({ source, blob, quarantined: quarantined.has(blob.path) });
    }
    work.sort((a, b) => byArrival(a.blob, b.blob));
    const summary: RebuildSummary = { batches: 0, events: 0, counts: {}, failed: [], quarantineCleared: 0 };
    for (const source of sources) summary.counts[source] = emptyCounts();
    let done = 0;
    for (const { source, blob, quarantined } of work) {
        try {
            const events = (await deps.lake.readJsonLinesGz('bronze', blob.path)).map(eventFromBronzeRow);
            const counts = await (deps.ingest[source] as SourceIngest)(events);
            if (quarantined && counts.quarantined === 0 && counts.skipped === 0) {
                await deps.lake.delete('quarantine', blob.path);
                summary.quarantineCleared++;
            }
            addCounts(summary.counts[source] as BatchCounts, counts);
            summary.batches++;
            summary.events += events.length;
        } catch (error) {
            summary.failed.push({
                path: `bronze/${blob.path}`,
                error: error instanceof Error ? error.message : String(error),
            });
        }
        deps.progress?.(++done, work.length);
    }
    return summary;
}

/** Re-drives dead-lettered batches; each one that lands (skips nothing) is removed from the store. */
export async function redriveDeadLetters(deps: {
    deadLetters: DeadLetterSource;
    ingest: Readonly<Record<string, SourceIngest>>;
    progress?: (done: number) => void;
}): Promise<RebuildSummary & { remaining: number }> {
    const summary: RebuildSummary & { remaining: number } = {
        batches: 0,
        events: 0,
        counts: {},
        failed: [],
        quarantineCleared: 0,
        remaining: 0,
    };
    let done = 0;
    for await (const { id, letter } of deps.deadLetters.read()) {
        const ingest = deps.ingest[letter.source];
        if (!ingest) {
            summary.failed.push({ path: id, error: `no ingest for source '${letter.source}'` });
            summary.remaining++;
            continue;
        }
        try {
            const counts = await ingest(letter.events);
            summary.counts[letter.source] ??= emptyCounts();
            addCounts(summary.counts[letter.source] as BatchCounts, counts);
            summary.batches++;
            summary.events += letter.events.length;
            if (counts.skipped === 0) await deps.deadLetters.remove(id);
            else summary.remaining++;
        } catch (error) {
            summary.failed.push({ path: id, error: error instanceof Error ? error.message : String(error) });
            summary.remaining++;
        }
        deps.progress?.(++done);
    }
    return summary;
}
