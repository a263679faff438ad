/**
 * The `compactSilver` job: merges the small batch files of each closed silver table-hour into a few sorted files.
 *
 * An hour is closed `graceMs` after its end. At each fire the job lists the closed hours of the last `lookbackHours`
 * of every silver table, and works on those that need it, oldest first (open hours before them), at most
 * `maxHoursPerRun` closed hours:
 *   - an hour with more than one live file is compacted (again, when late data landed after a compaction);
 *   - files replaced more than `deleteDelayMs` ago (and compacted files a crashed run left unnamed) are deleted.
 * Each hour is claimed in the run ledger (window `{table}/{hour}`), so two fires at once compact it once; a fire after
 * a finished run finds one live file and nothing to do. The three steps and why a crash after any of them leaves a
 * correct hour are in `silverManifest.ts`.
 *
 * With `openMinFiles` > 0, hours not yet closed (the current one, and those within the grace) are compacted too, but
 * only incrementally: when an open hour holds at least `openMinFiles` batch files, those batch files (and nothing
 * else) are merged into one more compacted file, which the manifest adds beside the compacted files already there. So
 * each fire costs what arrived since the last one, not the hour so far, and a reader of the open hour reads a few
 * compacted files plus the batch files of the last minutes instead of every batch file. An increment also folds in
 * earlier ones when they make a full tier of about its size (`foldedIncrements`, size-tiered), so their number stays
 * bounded and each row is rewritten a few times in its hour, not at every fire. An increment is not sorted (DuckDB
 * streams it; no reader relies on an open hour's order, which holds batch files anyway). Once the hour is closed, it
 * is merged whole as above (one sorted set of files). An open hour is safe to compact for the same reason late data
 * is: a batch file written after the listing is neither an input nor named replaced, so it stays live until the next
 * fire; a batch rewritten after the listing is seen as rewritten (another Last-Modified) and merged with the
 * provenance filter.
 */
import { isStopped, throwIfStopped } from '../errors.js';
import { INGEST_BATCH_COLUMNS, INGEST_BATCHES_TABLE } from './ingestBatches.js';
import { claimRun, failRun, finishRun, handBackStoppedRun, type JobRunStore } from './jobRuns.js';
import type { BatchId } from './lakePaths.js';
import { lakeDataset, type LineageRun, lineageRunId, type LineageSink, recordLineage } from './lineage.js';
import type {
    BlobInfo,
    Clock,
    CompactionRequest,
    LakeBytesWriter,
    LakeDeleter,
    LakeReader,
    Logger,
    ParquetColumn,
    SilverCompactor,
} from './ports.js';
import {
    batchOfFileName,
    COMPACTED_PREFIX,
    deletableFiles,
    fileName,
    hourFolder,
    isCompactedName,
    MANIFEST_NAME,
    markDeleted,
    needsCompaction,
    nextManifest,
    type SilverHour,
    silverHours,
    type SilverManifest,
} from './silverManifest.js';
import { SENSOR_COLUMNS, SENSOR_READINGS_TABLE } from './silverTables.js';
import {
    MESSAGE_COLUMNS,
    MESSAGES_TABLE,
    POSITION_COLUMNS,
    POSITIONS_TABLE,
    STATIC_COLUMNS,
    STATIC_TABLE,
} from './silverTables.js';

export const COMPACT_JOB = 'compactSilver';

const HOUR_MS = 3_600_000;

export interface CompactedTable {
    table: string;
    columns: readonly ParquetColumn[];
    /** Sort key of the compacted files: vessel, then time (then the batch position, so the order is total). */
    sortBy: readonly string[];
    /**
     * How the provenance filter finds the rows of a rewritten batch in the compacted files: `sequence` by the batch's
     * Event Hub partition and sequence range (`eh_partition`, `eh_sequence`: the data tables), `record` by the file's
     * name, `{source}-{batch_id}` (`ingest_batches`: one record per batch file, no per-row sequence).
     */
    provenance: 'sequence' | 'record';
}

/** Every silver table and how its compacted files are sorted. */
export const COMPACTED_TABLES: readonly CompactedTable[] = [
    {
        table: POSITIONS_TABLE,
        columns: POSITION_COLUMNS,
        sortBy: ['mmsi', 'event_time', 'eh_partition', 'eh_sequence'],
        provenance: 'sequence',
    },
    {
        table: STATIC_TABLE,
        columns: STATIC_COLUMNS,
        sortBy: ['mmsi', 'event_time', 'eh_partition', 'eh_sequence'],
        provenance: 'sequence',
    },
    {
        table: MESSAGES_TABLE,
        columns: MESSAGE_COLUMNS,
        sortBy: ['mmsi', 'event_time', 'eh_partition', 'eh_sequence'],
        provenance: 'sequence',
    },
    {
        table: SENSOR_READINGS_TABLE,
        columns: SENSOR_COLUMNS,
        sortBy: ['mmsi', 'vessel_key', 'event_time', 'sensor_id', 'eh_partition', 'eh_sequence'],
        provenance: 'sequence',
    },
    {
        // The ingest's batch records (dq_daily): one small file per batch, by the batch's first enqueued hour.
        table: INGEST_BATCHES_TABLE,
        columns: INGEST_BATCH_COLUMNS,
        sortBy: ['source', 'first_enqueued_time', 'batch_id', 'reason'],
        provenance: 'record',
    },
];

export interface CompactionSettings {
    /** An hour is closed (compacted) this long after its end. */
    graceMs: number;
    /** How far back a timer fire looks for hours to compact (a backlog older than this is left to `maritime compact`). */
    lookbackHours: number;
    /** Closed hours one fire works on at most (oldest first; the open hours, when compacted, are not counted). */
    maxHoursPerRun: number;
    /** Compacted files are split near this size. */
    targetFileBytes: number;
    /** Rows per row group of a compacted file. */
    rowGroupRows: number;
    /** Replaced files are deleted this long after the switch (readers that listed before it still find them). */
    deleteDelayMs: number;
    /** Lease of a claimed hour in the run ledger. */
    leaseMs: number;
    /**
     * An open hour (not closed yet) with at least this many batch files gets them merged into one more compacted
     * file (the hour's compacted files are kept; it is merged whole once closed). 0: open hours are left alone.
     */
    openMinFiles: number;
    /** Batch files one open-hour increment merges at most (default `OPEN_HOUR_MAX_INPUT_FILES`; tests set fewer). */
    openMaxInputFiles?: number;
}

export const DEFAULT_COMPACTION_SETTINGS: CompactionSettings = {
    graceMs: 30 * 60_000,
    lookbackHours: 48,
    maxHoursPerRun: 24,
    targetFileBytes: 128 * 1024 * 1024,
    rowGroupRows: 122_880,
    deleteDelayMs: 60 * 60_000,
    leaseMs: 15 * 60_000,
    openMinFiles: 0,
};

export interface CompactionDeps {
    lake: LakeReader & LakeBytesWriter & LakeDeleter;
    compactor: SilverCompactor;
    runs: JobRunStore;
    clock: Clock;
    logger: Logger;
    /** Where the lineage record of each compacted hour goes (none: not recorded). */
    lineage?: LineageSink;
    /** The lake's lineage namespace (its account URL). */
    lakeNamespace?: string;
    /**
     * Aborted when the host stops: the hour in progress stops between its files (a running DuckDB query is
     * interrupted) before its manifest switch, so readers never see it (its merged files, if any were written, are
     * unnamed and deleted by a later run); its run is left as after a crash with the lease handed back, and the fire
     * takes no more hours.
     */
    signal?: AbortSignal;
}

export type HourOutcome =
    | {
          table: string;
          hour: string;
          outcome: 'compacted';
          /** An open hour's batch files merged into one more compacted file (its earlier compacted files kept). */
          open?: true;
          /** Of the inputs, the open hour's earlier increments folded into this one (`foldedIncrements`). */
          folded?: number;
          filesBefore: number;
          filesAfter: number;
          rows: number;
          deleted: number;
          /** Batch files a rebuild wrote again under replaced names, merged with the provenance filter. */
          rewritten: number;
          /** Rows of the earlier compacted files dropped because a rewritten batch file supersedes them. */
          superseded: number;
          runId: string;
          /** Of the hour's time, seconds fetching the inputs and in the merge engine (when the compactor tells). */
          downloadSeconds?: number;
          mergeSeconds?: number;
      }
    | { table: string; hour: string; outcome: 'cleaned'; deleted: number }
    /** `stopped`: cut short by the host's stop before the switch (readers unchanged; the next fire does it). */
    | { table: string; hour: string; outcome: 'busy' | 'nothing' | 'stopped' };

export interface CompactionSummary {
    /** Closed hours that needed work at this fire (before the per-fire bound). */
    due: number;
    hours: HourOutcome[];
    /** Due hours left for the next fire. */
    remaining: number;
}

interface DueHour {
    spec: CompactedTable;
    hour: SilverHour;
}

/**
 * One fire of the timer: the closed hours of the lookback that need work (and, with `openMinFiles`, the open hours),
 * oldest first, at most `maxHoursPerRun` closed hours (the open hours first, all of them).
 */
export async function runCompactionTimer(
    deps: CompactionDeps,
    settings: CompactionSettings,
    owner: string,
): Promise<CompactionSummary> {
    const now = deps.clock.now();
    const lastClosed = lastClosedHourEnd(now, settings.graceMs);
    const end = settings.openMinFiles > 0 ? openHoursEnd(now) : lastClosed;
    return compactRange(deps, settings, owner, lastClosed - settings.lookbackHours * HOUR_MS, end, {
        limit: settings.maxHoursPerRun,
    });
}

/** The end of the current hour (epoch ms): the open hours end at or before it. */
function openHoursEnd(now: number): number {
    return Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
}

/** Whether the hour starting at `hourStartMs` is still open at `now` (not `graceMs` past its end). */
export function isOpenHour(hourStartMs: number, now: number, graceMs: number): boolean {
    return hourStartMs + HOUR_MS > lastClosedHourEnd(now, graceMs);
}

/** The end of the newest closed hour (epoch ms): hours ending at or before it are closed. */
export function lastClosedHourEnd(now: number, graceMs: number): number {
    return Math.floor((now - graceMs) / HOUR_MS) * HOUR_MS;
}

/**
 * Compacts the hours in [fromMs, toMs) that need it (closed ones, and open ones when `openMinFiles` > 0), oldest
 * first, the open ones first and at most `limit` closed ones; `onHour` reports progress after each hour (the CLI
 * prints it).
 */
export async function compactRange(
    deps: CompactionDeps,
    settings: CompactionSettings,
    owner: string,
    fromMs: number,
    toMs: number,
    options: { limit?: number; onHour?: (done: number, total: number, outcome: HourOutcome) => void } = {},
): Promise<CompactionSummary> {
    const now = deps.clock.now();
    const end = Math.min(
        toMs,
        settings.openMinFiles > 0 ? openHoursEnd(now) : lastClosedHourEnd(now, settings.graceMs),
    );
    const due: DueHour[] = [];
    for (const spec of COMPACTED_TABLES) {
        if (deps.signal?.aborted === true) break;
        for (const hour of await silverHours(deps.lake, spec.table, fromMs, end)) {
            if (hasWork(hour, now, settings)) due.push({ spec, hour });
        }
    }
    // Open hours first (their increments are small, and the every-minute readers read them), then the closed hours
    // oldest first (a backlog is caught up over several fires).
    const open = (d: DueHour): boolean => isOpenHour(d.hour.hourStartMs, now, settings.graceMs);
    due.sort(
        (a, b) =>
            Number(open(b)) - Number(open(a)) ||
            a.hour.hourStartMs - b.hour.hourStartMs ||
            (a.spec.table < b.spec.table ? -1 : 1),
    );
    // The bound is on the closed hours: the open hours' increments are small and every fire must keep up with them
    // (with 5 tables open, a bound of 8 that counted them left 3 closed hours a fire for a backlog of 40-60).
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const openDue = due.filter(open);
    const work = [...openDue, ...due.filter((d) => !open(d)).slice(0, limit)];
    const hours: HourOutcome[] = [];
    let slowest = { ms: -1, what: '' };
    for (const item of work) {
        if (deps.signal?.aborted === true) break;
        const started = deps.clock.now();
        const outcome = await compactHour(deps, settings, item.spec, item.hour.hourStartMs, owner);
        hours.push(outcome);
        const ms = deps.clock.now() - started;
        if (ms > slowest.ms) slowest = { ms, what: hourLabel(outcome, ms) };
        options.onHour?.(hours.length, work.length, outcome);
        if (outcome.outcome === 'stopped') break;
    }
    if (work.length > 0) {
        deps.logger.info('silver compaction', {
            due: due.length,
            outcomes: hours.map((h) => `${h.table}@${h.hour}:${h.outcome}`),
            ...fireFigures(hours, deps.clock.now() - now),
            slowest: slowest.what,
        });
    }
    const done = hours.filter((h) => h.outcome !== 'stopped').length;
    return { due: due.length, hours, remaining: due.length - done };
}

/** Replaced files deleted at once (each a round trip to the lake). */
const DELETE_CONCURRENCY = 8;

/**
 * `ais_positions 2026-12-04T08 open 212 -> 1 files 3.4 s (download 1.2 s; merge 1.9 s)`: one hour's work, for the
 * fire's log line (the rest of its time: listing, deletes, uploads, manifest, run ledger; no comma: the soak reads
 * the field up to one).
 */
function hourLabel(h: HourOutcome, ms: number): string {
    const what =
        h.outcome === 'compacted'
            ? `${h.open === true ? 'open' : 'closed'} ${h.filesBefore} -> ${h.filesAfter} files`
            : h.outcome;
    const split =
        h.outcome === 'compacted' && h.downloadSeconds !== undefined && h.mergeSeconds !== undefined
            ? ` (download ${h.downloadSeconds.toFixed(1)} s; merge ${h.mergeSeconds.toFixed(1)} s)`
            : '';
    return `${h.table} ${h.hour.slice(0, 13)} ${what} ${(ms / 1000).toFixed(1)} s${split}`;
}

/** What a fire did, for its log line (the soak prints it): files merged in open and closed hours, and its seconds. */
export function fireFigures(
    hours: readonly HourOutcome[],
    elapsedMs: number,
): { open: string; closed: string; cleaned: number; seconds: number } {
    const open = { hours: 0, before: 0, after: 0 };
    const closed = { hours: 0, before: 0, after: 0 };
    let cleaned = 0;
    for (const h of hours) {
        if (h.outcome === 'compacted') {
            const sum = h.open === true ? open : closed;
            sum.hours++;
            sum.before += h.filesBefore;
            sum.after += h.filesAfter;
        } else if (h.outcome === 'cleaned') cleaned++;
    }
    const text = (s: typeof open): string => `${s.hours} hours ${s.before} -> ${s.after} files`;
    return { open: text(open), closed: text(closed), cleaned, seconds: Math.round(elapsedMs / 100) / 10 };
}

function hasWork(hour: SilverHour, now: number, settings: CompactionSettings): boolean {
    const open = isOpenHour(hour.hourStartMs, now, settings.graceMs);
    return (
        (open ? openHourNeedsCompaction(hour.live, settings.openMinFiles) : needsCompaction(hour.live)) ||
        hour.rewritten.length > 0 ||
        deletableFiles(hour.listing, hour.manifest, now, settings.deleteDelayMs).length > 0
    );
}

/**
 * How many compacted files an open hour holds at most: a fire that finds this many folds the newest of them into its
 * increment whatever their sizes (`foldedIncrements`), so a reader of the open hour reads at most this many compacted
 * files plus the batch files of the last minute, not one file per fire of the hour so far.
 */
export const OPEN_HOUR_MAX_INCREMENTS = 8;

/**
 * Below `OPEN_HOUR_MAX_INCREMENTS`, an increment folds earlier ones only when they make a full tier with it: this many
 * files of about one size (the increment one of them).
 */
export const OPEN_HOUR_FOLD_FANOUT = 4;

/**
 * Files of one tier: an older file joins a fold when no larger than this many times the largest taken so far
 * (increments of equal rows differ by some bytes, and merged files compress a little better).
 */
const FOLD_SLACK = 1.5;

/**
 * The earlier increments of an open hour that the next increment folds in, size-tiered like a log-structured merge:
 * the newest file, and each older one of about its size (no larger than `FOLD_SLACK` times the largest taken; sizes in
 * bytes, newest first), but only when that makes a full tier (`fanout` - 1 files, the increment the last of it) or the
 * hour holds `max` files; otherwise none. So most fires rewrite nothing but their own batch files, each row is
 * rewritten a few times in its hour, and the count stays at `max` or below. (Folding the newest file at every fire
 * once the hour held 4, as before, rewrote it at about every other fire.)
 * `files` are the manifest's names (oldest first); `live` the hour's live blobs (their sizes).
 */
export function foldedIncrements(
    files: readonly string[],
    live: readonly BlobInfo[],
    max = OPEN_HOUR_MAX_INCREMENTS,
    fanout = OPEN_HOUR_FOLD_FANOUT,
): BlobInfo[] {
    const byName = new Map(live.map((b) => [fileName(b.path), b]));
    const out: BlobInfo[] = [];
    let largest = 0;
    for (let i = files.length - 1; i >= 0; i--) {
        const blob = byName.get(files[i]!);
        if (blob === undefined || (out.length > 0 && blob.size > largest * FOLD_SLACK)) break;
        out.unshift(blob);
        largest = Math.max(largest, blob.size);
    }
    return out.length >= fanout - 1 || files.length >= max ? out : [];
}

function rowsOf(files: readonly BlobInfo[], rowsByFile: Readonly<Record<string, number>>): number {
    return files.reduce((n, b) => n + (rowsByFile[b.path] ?? 0), 0);
}

/** The batch files of an open hour's live files (its compacted files left out). */
function batchFilesOf(live: readonly BlobInfo[]): BlobInfo[] {
    return live.filter((b) => !isCompactedName(fileName(b.path)));
}

/**
 * Batch files one open-hour increment merges at most: a merge holds a Parquet reader per input file, and an open hour
 * of 1,327 batch files ran out of memory at a 64MB DuckDB limit. The rest (the newest) stay live, as a file written
 * after the listing does, and go into the next fire's increment.
 */
export const OPEN_HOUR_MAX_INPUT_FILES = 600;

/** Rows per row group of an open hour's increment (at most; `rowGroupRows` when smaller). */
export const OPEN_HOUR_ROW_GROUP_ROWS = 30_720;

/** The batch files of an open hour's next increment: the oldest `OPEN_HOUR_MAX_INPUT_FILES` (by Last-Modified). */
function openIncrementBatches(
    live: readonly BlobInfo[],
    max: number = OPEN_HOUR_MAX_INPUT_FILES,
): BlobInfo[] {
    const batches = batchFilesOf(live);
    if (batches.length <= max) return batches;
    return [...batches]
        .sort((a, b) => a.lastModified - b.lastModified || (a.path < b.path ? -1 : 1))
        .slice(0, max);
}

/** An open hour is compacted (incrementally) once it holds `minFiles` batch files; never with `minFiles` 0. */
function openHourNeedsCompaction(live: readonly BlobInfo[], minFiles: number): boolean {
    return minFiles > 0 && batchFilesOf(live).length >= Math.max(2, minFiles);
}

/**
 * Compacts one table-hour under a ledger claim: deletes what may go, merges the live files if there are several, and
 * switches readers with the manifest. Idempotent: a second call finds one live file and nothing to delete.
 */
export async function compactHour(
    deps: CompactionDeps,
    settings: CompactionSettings,
    spec: CompactedTable,
    hourStartMs: number,
    owner: string,
): Promise<HourOutcome> {
    const hourIso = new Date(hourStartMs).toISOString();
    const window = `${spec.table}/${hourIso}`;
    const claim = await claimRun(deps.runs, {
        job: COMPACT_JOB,
        window,
        owner,
        now: deps.clock.now(),
        leaseMs: settings.leaseMs,
        // The listing decides whether there is work; the ledger only keeps two runs off the same hour.
        isStale: () => true,
    });
    if (claim.outcome !== 'claimed') return { table: spec.table, hour: hourIso, outcome: 'busy' };
    const stopped = async (error?: unknown): Promise<HourOutcome> => {
        await handBackStoppedRun(deps, claim.run, {
            job: COMPACT_JOB,
            window,
            stopped:
                "stopped by the host's stop before the switch (not failed); the next fire compacts the hour",
            signal: deps.signal,
            error,
        });
        return { table: spec.table, hour: hourIso, outcome: 'stopped' };
    };
    if (deps.signal?.aborted === true) return stopped();
    // The run id names the compacted files, sits in their metadata and in the lineage record.
    const runId = lineageRunId(COMPACT_JOB, `${window}#${claim.run.attempts}`);
    const startedAt = deps.clock.now();
    try {
        const { outcome, lineage } = await compactClaimedHour(deps, settings, spec, hourStartMs, runId);
        await finishRun(deps.runs, claim.run, { now: deps.clock.now(), result: { ...outcome } });
        if (lineage !== undefined) {
            await recordLineage(
                deps.lineage,
                {
                    job: COMPACT_JOB,
                    runId,
                    startedAt,
                    endedAt: deps.clock.now(),
                    outcome: 'COMPLETE',
                    window,
                    ...lineage,
                },
                deps.logger,
            );
        }
        return outcome;
    } catch (error) {
        if (isStopped(error, deps.signal)) return stopped(error);
        const message = error instanceof Error ? error.message : String(error);
        await failRun(deps.runs, claim.run, deps.clock.now(), message);
        await recordLineage(
            deps.lineage,
            {
                job: COMPACT_JOB,
                runId,
                startedAt,
                endedAt: deps.clock.now(),
                outcome: 'FAIL',
                window,
                inputs: [],
                outputs: [],
                error: message,
            },
            deps.logger,
        );
        throw error;
    }
}

async function compactClaimedHour(
    deps: CompactionDeps,
    settings: CompactionSettings,
    spec: CompactedTable,
    hourStartMs: number,
    runId: string,
): Promise<{ outcome: HourOutcome; lineage?: Pick<LineageRun, 'inputs' | 'outputs' | 'counts'> }> {
    const hourIso = new Date(hourStartMs).toISOString();
    const folder = hourFolder(spec.table, hourStartMs);
    // Listed again under the claim: the timer's listing may be minutes old.
    const [hour] = await silverHours(deps.lake, spec.table, hourStartMs, hourStartMs + HOUR_MS);
    if (hour === undefined) return { outcome: { table: spec.table, hour: hourIso, outcome: 'nothing' } };
    let manifest = hour.manifest;

    // Step 3 of earlier runs: delete what no reader reads any more, then record it (names kept in the manifest).
    const deletable = deletableFiles(hour.listing, manifest, deps.clock.now(), settings.deleteDelayMs);
    // 8 at a time: an open hour at 500 AIS events/s has 120-240 replaced batch files a fire to delete, and one after
    // the other (a round trip each) they took seconds of the fire.
    for (let i = 0; i < deletable.length; i += DELETE_CONCURRENCY) {
        throwIfStopped(deps.signal, `compaction of ${folder}`);
        await Promise.all(
            deletable.slice(i, i + DELETE_CONCURRENCY).map((blob) => deps.lake.delete('silver', blob.path)),
        );
    }
    if (manifest !== undefined && deletable.length > 0) {
        manifest = markDeleted(manifest, deletable);
        await writeManifest(deps.lake, folder, manifest);
    }
    // Batch files a rebuild wrote again under replaced names: their rows supersede those of the same batch in the
    // compacted files (the provenance filter below), so the hour keeps one copy of each batch, the newest.
    const rewritten = hour.rewritten;
    // An open hour without rewritten files is compacted incrementally: its batch files only, into one more file.
    const open = rewritten.length === 0 && isOpenHour(hourStartMs, deps.clock.now(), settings.graceMs);
    const pending = open
        ? openHourNeedsCompaction(hour.live, settings.openMinFiles)
        : needsCompaction(hour.live) || rewritten.length > 0;
    if (!pending) {
        return {
            outcome:
                deletable.length > 0
                    ? { table: spec.table, hour: hourIso, outcome: 'cleaned', deleted: deletable.length }
                    : { table: spec.table, hour: hourIso, outcome: 'nothing' },
        };
    }

    // Step 1: the merged files, under names no reader reads until the manifest names them. An open hour's increment
    // folds in its newest compacted files when they make a full tier (`foldedIncrements`).
    const folded = open ? foldedIncrements(manifest?.files ?? [], hour.live) : [];
    const foldedNames = new Set(folded.map((b) => fileName(b.path)));
    const inputs = open
        ? [...folded, ...openIncrementBatches(hour.live, settings.openMaxInputFiles)]
        : [...hour.live, ...rewritten];
    const kept = open ? (manifest?.files ?? []).filter((name) => !foldedNames.has(name)) : [];
    const supersede = supersededBatches(hour.live, rewritten, spec.provenance);
    const stopCheck = (): void => throwIfStopped(deps.signal, `compaction of ${folder}`);
    stopCheck();
    const merged = await deps.compactor.compact({
        ...(deps.signal === undefined ? {} : { signal: deps.signal }),
        files: inputs,
        ...(supersede === undefined ? {} : { supersede }),
        columns: spec.columns,
        // An open hour's increment is not sorted: DuckDB then streams it (a sort of the folded increments held them in
        // memory, spilling past the memory limit); the hour is sorted once it closes, and no reader relies on an
        // open hour's order (its batch files are in arrival order anyway).
        sortBy: open ? [] : spec.sortBy,
        // An open hour's increment is one file: it is small, and merged whole with the rest once the hour closes.
        targetFileBytes: open ? Number.MAX_SAFE_INTEGER : settings.targetFileBytes,
        // Smaller row groups in an increment: the closed hour's merge reads it again, and DuckDB's Parquet reader holds
        // a row group's columns (122,880 rows of 45 wide columns did not fit 128MB).
        rowGroupRows: open
            ? Math.min(settings.rowGroupRows, OPEN_HOUR_ROW_GROUP_ROWS)
            : settings.rowGroupRows,
        metadata: { maritime_compaction_run: runId, maritime_table: spec.table, maritime_hour: hourIso },
    });
    const outputRows = merged.files.reduce((n, f) => n + f.rows, 0);
    const superseded = merged.supersededRows ?? 0;
    if (outputRows !== merged.inputRows - superseded) {
        throw new Error(
            `compaction of ${folder} wrote ${outputRows} rows for ${merged.inputRows} read (${superseded} superseded): readers not switched`,
        );
    }
    const outputs = merged.files.map((_, i) => `${COMPACTED_PREFIX}${runId}-${i}.parquet`);
    // A run id is new at each claim (the ledger's attempts), so its files never carry a name the hour holds; were the
    // ledger lost, writing over a compacted file the manifest keeps (an open hour's earlier increment) would lose rows.
    const taken = new Set(hour.listing.map((b) => fileName(b.path)));
    const clash = outputs.find((name) => taken.has(name));
    if (clash !== undefined) {
        throw new Error(
            `compaction of ${folder}: ${clash} exists already (run ledger reset?): readers not switched`,
        );
    }
    for (let i = 0; i < outputs.length; i++) {
        // Unnamed until the switch: a stop between these writes leaves files no reader reads (deleted later).
        stopCheck();
        await deps.lake.writeBytes(
            'silver',
            folder + outputs[i]!,
            merged.files[i]!.bytes,
            'application/vnd.apache.parquet',
        );
    }

    // Step 2: the switch. One blob, written last; the last point a stop ends the run.
    stopCheck();
    const next = nextManifest(manifest, {
        table: spec.table,
        hourStartMs,
        inputs,
        outputs: [...kept, ...outputs],
        rows: outputRows + (open ? (manifest?.rows ?? 0) - rowsOf(folded, merged.inputRowsByFile) : 0),
        runId,
        now: deps.clock.now(),
    });
    await writeManifest(deps.lake, folder, next);
    const ns = deps.lakeNamespace ?? 'lake';
    return {
        outcome: {
            table: spec.table,
            hour: hourIso,
            outcome: 'compacted',
            ...(open ? { open: true as const } : {}),
            filesBefore: inputs.length,
            filesAfter: outputs.length,
            ...(folded.length > 0 ? { folded: folded.length } : {}),
            rows: outputRows,
            deleted: deletable.length,
            rewritten: rewritten.length,
            superseded,
            runId,
            ...(merged.timings === undefined
                ? {}
                : {
                      downloadSeconds: Math.round(merged.timings.downloadMs / 100) / 10,
                      mergeSeconds: Math.round(merged.timings.mergeMs / 100) / 10,
                  }),
        },
        lineage: {
            inputs: inputs.map((b) => lakeDataset(ns, 'silver', b.path)),
            outputs: [
                ...outputs.map((name, i) => lakeDataset(ns, 'silver', folder + name, merged.files[i]!.rows)),
                lakeDataset(ns, 'silver', folder + MANIFEST_NAME),
            ],
            counts: {
                filesBefore: inputs.length,
                filesAfter: outputs.length,
                rows: outputRows,
                deleted: deletable.length,
                rewritten: rewritten.length,
                superseded,
            },
        },
    };
}

/**
 * The provenance filter of a compaction with rewritten batch files: rows of the hour's compacted files (the only
 * inputs that can hold an older copy of a rewritten batch) whose Event Hub partition and sequence fall in a rewritten
 * batch's range are dropped. Undefined when nothing was rewritten.
 */
export function supersededBatches(
    live: readonly BlobInfo[],
    rewritten: readonly BlobInfo[],
    provenance: CompactedTable['provenance'] = 'sequence',
): CompactionRequest['supersede'] {
    if (rewritten.length === 0) return undefined;
    const files = live.filter((b) => isCompactedName(fileName(b.path))).map((b) => b.path);
    if (provenance === 'record') {
        // A batch record's file is named `{source}-{batch_id}.parquet`: its rows are those with that source and id.
        return {
            files,
            batches: [],
            records: rewritten.map((b) => fileName(b.path).replace(/\.parquet$/, '')),
        };
    }
    const batches: BatchId[] = [];
    for (const blob of rewritten) {
        const batch = batchOfFileName(fileName(blob.path));
        if (batch === undefined)
            throw new Error(`rewritten silver file ${blob.path} does not carry a batch range in its name`);
        batches.push(batch);
    }
    return { files, batches };
}

async function writeManifest(lake: LakeBytesWriter, folder: string, manifest: SilverManifest): Promise<void> {
    const bytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`);
    await lake.writeBytes('silver', folder + MANIFEST_NAME, bytes, 'application/json');
}
