/**
 * The one skeleton every ingest use case runs (AIS, sensor readings, and any new feed): each use case is an
 * {@link IngestStory} that says how its events become items and what its accepted items become; this file does
 * the rest, in the same order for all of them:
 *
 * 1. `admit`: every item ends as exactly one of accepted, quarantined (with a reason code) or duplicate, through
 *    the {@link BatchLedger}, so `received = accepted + quarantined + duplicates` holds by construction;
 * 2. `plan`: the story reads the state it needs, moves the accepted items that state shows an earlier batch
 *    already stored to duplicates (cross-batch de-duplication, README "De-duplication") and returns the silver
 *    rows, alerts and state writes of the rest;
 * 3. bronze first (whatever fails afterwards, the raw events are kept and can be replayed), then quarantine and
 *    silver (partitioned by the hour of each row's `event_time`);
 * 4. alerts before state: if the batch fails in between, the retry reads the same state, recomputes the same
 *    alerts and rewrites the same (deterministic) alert ids; once the state is written a redelivery raises none;
 * 5. state writes, conditional on the etag they were computed from; conflicted keys are re-read and recomputed
 *    (a bounded number of rounds, then a DependencyError so the trigger's retry policy runs the batch again);
 * 6. the summary is logged and its counts reported as metrics `<source>.<name>`.
 *
 * Data errors never throw; only infrastructure failures do, and every write is idempotent (paths and ids derive
 * from the batch), so a retry of the whole batch is safe. A batch whose retries run out is dead-lettered whole
 * (deadLetter.ts) with {@link skippedSummary}: each of its items counted as `skipped`.
 *
 * A new feed: write `myStory(deps): IngestStory<MySummary, MyAccepted>` (admit with the ledger: `withBodies` for
 * the events, a domain admission per item returning a refusal or nothing, `settle` with it; plan with silver rows
 * from silverRows.ts / silverTables.ts, `alerts: []` and no `state` when it keeps none, `conflictedWrites` when it
 * does), then `ingestMyBatch = (events, deps) => ingestBatch(events, myStory(deps), deps)`.
 */
import type { Alert } from '../domain/alerts/alert.js';
import { EMPTY_BODY, emptyBodyDetail, isEmptyBody } from '../domain/formats/emptyBody.js';
import type { SourceFormat } from '../domain/records.js';
import { hourStart } from '../domain/time.js';
import type { Refusal } from '../domain/validation/admit.js';
import { DependencyError } from '../errors.js';
import { type BatchCounts, bronzeRow, type QuarantineEntry } from './batchRecords.js';
import { batchIdOf, batchIdString, bronzePath, quarantinePath, silverPath } from './lakePaths.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    EventMetadata,
    LakeContainer,
    LakeWriter,
    Logger,
    Metrics,
    ParquetColumn,
    ReceivedEvent,
} from './ports.js';

/** What every ingest summary holds: the batch, its reconciliation counts and its timing. */
export interface IngestSummary extends BatchCounts {
    batchId: string;
    partitionId: string;
    events: number;
    /** Processing time minus the earliest enqueued time of the batch, ms. */
    lagMs: number;
    durationMs: number;
    /** What the batch wrote to the lake (bronze blob, quarantine blob, each silver table-hour file), for lineage. */
    outputs: LakeOutput[];
}

/** One blob a batch wrote, and how many rows (records) it holds. */
export interface LakeOutput {
    container: LakeContainer;
    path: string;
    rows: number;
}

/** The outside world every ingest needs (a story adds its own stores). The alert sinks only for feeds that raise alerts. */
export interface IngestCoreDeps {
    lake: LakeWriter;
    alerts?: AlertStore;
    publisher?: AlertPublisher;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
}

/** Rows of one silver table; written one Parquet file per hour of `event_time`. */
export interface SilverRows {
    table: string;
    columns: readonly ParquetColumn[];
    rows: Record<string, unknown>[];
}

/** State writes with optimistic concurrency (keyed by `K`). */
export interface StateWrites<W> {
    /** What the state is about, for the error when conflicts persist (`vessel`, `sensor`). */
    what: string;
    writes: W[];
    /** Writes them; returns the writes whose stored document changed since it was read. */
    write(writes: readonly W[]): Promise<W[]>;
    /** Re-reads the state of the conflicted writes and recomputes them (no alerts: raised with the first pass). */
    recompute(conflicted: readonly W[]): Promise<W[]>;
}

/** What a batch's accepted items become. */
export interface IngestPlan {
    silver: SilverRows[];
    /** Unique ids (see uniqueById in domain/alerts/alert.ts). */
    alerts: Alert[];
    state?: StateWrites<unknown>;
}

/** What names a feed and counts its items, without any dependency (enough for the summary of a skipped batch). */
export interface IngestFeed<S extends IngestSummary> {
    /** Lake source folder (bronze/quarantine) and metric prefix: `ais`, `sensors`. */
    source: string;
    /** The summary of this batch with every count at zero ({@link newSummary} plus the feed's own counters). */
    emptySummary(events: readonly ReceivedEvent[]): S;
    /** How many items the events hold (without validating them): the skipped count of a dead-lettered batch. */
    countItems(events: readonly ReceivedEvent[]): number;
}

/** One ingest use case: how events become items, and what accepted items become. */
export interface IngestStory<S extends IngestSummary, A> extends IngestFeed<S> {
    /** Settles every item of the events in the ledger; returns the accepted ones. `now`: processing time. */
    admit(events: readonly ReceivedEvent[], ledger: BatchLedger, summary: S, now: number): A[];
    /**
     * Reads the state it needs; returns the silver rows, alerts and state writes of the accepted items. Items the
     * stored state shows to be copies of ones an earlier batch stored move to duplicates
     * ({@link BatchLedger.storedDuplicate}) and are left out.
     */
    plan(accepted: A[], summary: S, now: number, ledger: BatchLedger): Promise<IngestPlan>;
    /** Metrics beyond the shared counts and times, by name (`<source>.<name>`). */
    metrics?(summary: S): Record<string, number>;
}

const MAX_CONFLICT_ROUNDS = 5;

/** The shared part of a summary, every count at zero, with the story's own counters. */
export function newSummary<X extends object>(events: readonly ReceivedEvent[], own: X): IngestSummary & X {
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
        lagMs: 0,
        durationMs: 0,
        outputs: [],
        ...own,
    };
}

/** The summary of a batch that did not land (dead-lettered): each of its items counted as skipped. */
export function skippedSummary<S extends IngestSummary>(
    feed: IngestFeed<S>,
    events: readonly ReceivedEvent[],
): S {
    const summary = feed.emptySummary(events);
    summary.received = feed.countItems(events);
    summary.skipped = summary.received;
    return summary;
}

/** Where every item of a batch is settled: accepted, quarantined or duplicate, each counted once. */
export class BatchLedger {
    public readonly quarantine: QuarantineEntry[] = [];
    private readonly seen = new Set<string>();

    public constructor(
        private readonly counts: BatchCounts,
        private readonly source: string,
        private readonly now: number,
    ) {}

    public accept(): void {
        this.counts.received++;
        this.counts.accepted++;
    }

    public duplicate(): void {
        this.counts.received++;
        this.counts.duplicates++;
    }

    /**
     * An accepted item turned out to be a copy of one an earlier batch stored (found against the stored state,
     * after admission): counted as a duplicate instead, so `received` still adds up.
     */
    public storedDuplicate(): void {
        this.counts.accepted--;
        this.counts.duplicates++;
    }

    /** False, counting a duplicate, when an item with this content key was already seen in the batch. */
    public firstSight(key: string): boolean {
        if (this.seen.has(key)) {
            this.duplicate();
            return false;
        }
        this.seen.add(key);
        return true;
    }

    public reject(
        item: { raw: string; format: SourceFormat },
        meta: EventMetadata,
        reason: string,
        detail: string,
    ): void {
        this.counts.received++;
        this.counts.quarantined++;
        this.counts.quarantinedByReason[reason] = (this.counts.quarantinedByReason[reason] ?? 0) + 1;
        const { raw, format } = item;
        this.quarantine.push({
            reason,
            detail,
            raw,
            format,
            source: this.source,
            eventHub: meta,
            quarantinedAt: this.now,
        });
    }

    /** An empty body, or the JSON literal null, is one item: quarantined, never silently dropped. */
    public rejectEmptyBody(event: ReceivedEvent, format: SourceFormat): void {
        this.reject({ raw: event.body, format }, event.meta, EMPTY_BODY, emptyBodyDetail(event.body));
    }

    /** The events with a body; each empty one is settled here ({@link rejectEmptyBody}). */
    public *withBodies(events: readonly ReceivedEvent[], format: SourceFormat): Generator<ReceivedEvent> {
        for (const event of events) {
            if (isEmptyBody(event.body)) this.rejectEmptyBody(event, format);
            else yield event;
        }
    }

    /** Settles an item by what its admission returned: undefined (accepted), `duplicate`, or a reason to quarantine. */
    public settle(
        item: { raw: string; format: SourceFormat },
        meta: EventMetadata,
        refusal: Refusal | undefined,
    ): void {
        if (refusal === undefined) this.accept();
        else if (refusal === 'duplicate') this.duplicate();
        else this.reject(item, meta, refusal.reason, refusal.detail);
    }
}

/** Runs one batch through the skeleton (see the header). */
export async function ingestBatch<S extends IngestSummary, A>(
    events: readonly ReceivedEvent[],
    story: IngestStory<S, A>,
    deps: IngestCoreDeps,
): Promise<S> {
    const now = deps.clock.now();
    const summary = story.emptySummary(events);
    if (events.length === 0) return summary;
    let arrival = Number.POSITIVE_INFINITY;
    for (const e of events) arrival = Math.min(arrival, e.meta.enqueuedTime);
    summary.lagMs = Math.max(0, now - arrival);

    const ledger = new BatchLedger(summary, story.source, now);
    const accepted = story.admit(events, ledger, summary, now);
    const plan = await story.plan(accepted, summary, now, ledger);
    summary.outputs = await writeLake(
        events,
        story.source,
        arrival,
        ledger.quarantine,
        plan.silver,
        deps.lake,
    );
    if (plan.alerts.length > 0) {
        if (!deps.alerts || !deps.publisher)
            throw new Error(
                `${story.source} ingest raised alerts but was given no alert store and publisher`,
            );
        await deps.alerts.save(plan.alerts);
        await deps.publisher.publish(plan.alerts);
    }
    if (plan.state) await writeState(plan.state);

    summary.durationMs = deps.clock.now() - now;
    report(story, summary, deps);
    return summary;
}

async function writeLake(
    events: readonly ReceivedEvent[],
    source: string,
    arrival: number,
    quarantine: readonly QuarantineEntry[],
    silver: readonly SilverRows[],
    lake: LakeWriter,
): Promise<LakeOutput[]> {
    const batch = batchIdOf(events);
    const bronze: LakeOutput = {
        container: 'bronze',
        path: bronzePath(source, arrival, batch),
        rows: events.length,
    };
    await lake.writeJsonLinesGz(bronze.container, bronze.path, events.map(bronzeRow));
    const outputs = [bronze];
    const writes: Promise<void>[] = [];
    if (quarantine.length > 0) {
        const q: LakeOutput = {
            container: 'quarantine',
            path: quarantinePath(source, arrival, batch),
            rows: quarantine.length,
        };
        writes.push(lake.writeJsonLinesGz(q.container, q.path, quarantine));
        outputs.push(q);
    }
    for (const { table, columns, rows } of silver) {
        for (const [hour, hourRows] of byEventHour(rows)) {
            const out: LakeOutput = {
                container: 'silver',
                path: silverPath(table, hour, batch),
                rows: hourRows.length,
            };
            writes.push(lake.writeParquet(out.container, out.path, { columns, rows: hourRows }));
            outputs.push(out);
        }
    }
    await Promise.all(writes);
    return outputs;
}

/** Groups rows by the hour of their `event_time`, for the silver date/hour partitions. */
function byEventHour(rows: Record<string, unknown>[]): Map<number, Record<string, unknown>[]> {
    const out = new Map<number, Record<string, unknown>[]>();
    for (const row of rows) {
        const h = hourStart(row.event_time as number);
        const list = out.get(h);
        if (list) list.push(row);
        else out.set(h, [row]);
    }
    return out;
}

/**
 * The writes whose result is a conflict (for {@link StateWrites.write}): results and writes are matched by key,
 * one write per key.
 */
export function conflictedWrites<W, R extends { status: string }>(
    pending: readonly W[],
    results: readonly R[],
    keyOfWrite: (w: W) => unknown,
    keyOfResult: (r: R) => unknown,
): W[] {
    const conflicted = new Set(results.filter((r) => r.status === 'conflict').map(keyOfResult));
    return conflicted.size === 0 ? [] : pending.filter((w) => conflicted.has(keyOfWrite(w)));
}

async function writeState<W>(state: StateWrites<W>): Promise<void> {
    let pending = state.writes;
    for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_CONFLICT_ROUNDS) {
            throw new DependencyError(
                `${state.what} state kept changing concurrently for ${pending.length} ${state.what}(s)`,
            );
        }
        const conflicted = await state.write(pending);
        if (conflicted.length === 0) break;
        pending = await state.recompute(conflicted);
    }
}

function report<S extends IngestSummary>(story: IngestStory<S, unknown>, s: S, deps: IngestCoreDeps): void {
    const { outputs, ...line } = s;
    deps.logger.info(`${story.source} batch processed`, { ...line, outputs: outputs.length });
    for (const reason of Object.keys(s.quarantinedByReason)) {
        deps.logger.warn(`${story.source} items quarantined`, {
            batchId: s.batchId,
            reason,
            count: s.quarantinedByReason[reason],
        });
    }
    const props = { partitionId: s.partitionId };
    const counts: Record<string, number> = {
        received: s.received,
        accepted: s.accepted,
        quarantined: s.quarantined,
        duplicates: s.duplicates,
        skipped: s.skipped,
        processingMs: s.durationMs,
        lagMs: s.lagMs,
        ...story.metrics?.(s),
    };
    for (const [name, value] of Object.entries(counts))
        deps.metrics.track(`${story.source}.${name}`, value, props);
    for (const [reason, n] of Object.entries(s.quarantinedByReason)) {
        deps.metrics.track(`${story.source}.quarantinedByReason`, n, { ...props, reason });
    }
}
