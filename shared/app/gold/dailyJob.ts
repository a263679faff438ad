/**
 * A timer job over UTC days under the run ledger (`buildGold`, `buildSensorHourly`): which days are due at a fire,
 * and one day's build claimed, run and recorded.
 *
 * At each fire the candidates are the days from `horizonDays` ago to today. A day is due when it was never built
 * (a missed window), its run failed or its lease expired (a crashed run), it was built while still partial (today
 * so far, or yesterday within the grace period) at least a minute ago, or its silver changed after the build (late
 * data), or the job says so (`isStale`). Due days are built oldest first, at most `maxWindows` per fire; each is claimed in the ledger
 * first, so a double fire builds once.
 */
import { isStopped } from '../../errors.js';
import {
    claimRun,
    dueWindows,
    failRun,
    finishRun,
    handBackStoppedRun,
    type JobRunStore,
    type StoredJobRun,
} from '../jobRuns.js';
import {
    lakeDataset,
    type LineageDataset,
    lineageRunId,
    type LineageSink,
    recordLineage,
} from '../lineage.js';
import type { Clock, Logger } from '../ports.js';
import { addDays, dayOf, daysBetween, type DayWindow, dayWindow } from './window.js';

export interface DailyJobDeps {
    runs: JobRunStore;
    clock: Clock;
    logger: Logger;
    /** Where each built day's lineage record goes (absent: none written), and the lake's namespace in it. */
    lineage?: LineageSink;
    lakeNamespace?: string;
    /**
     * Aborted when the host stops (the local stack's Ctrl-C, the Functions host's shutdown): the build in progress
     * stops between its steps and files (a running DuckDB query is interrupted) before it writes anything, its run is
     * left as after a crash with the lease handed back (`stopRun`), and the fire builds no more days.
     */
    signal?: AbortSignal;
}

export interface DailyJobSettings {
    graceMs: number;
    horizonDays: number;
    maxWindows: number;
    leaseMs: number;
}

export type DayBuild<S> = DayBuilt<S> | { dispatched: number };

export interface DayBuilt<S> {
    /** Newest input blob the build read (epoch ms; 0 when none): a later one means late data. */
    inputWatermark: number;
    /** What the ledger keeps about the build (row counts, hashes). */
    result: Record<string, unknown>;
    /** What the caller gets back (summaries). */
    summaries: S[];
    /** For the lineage record: what the build read (silver table-hour folders) and wrote (gold parts, with rows). */
    lineage?: {
        inputs: readonly string[];
        outputs: readonly { container: string; path: string; rows: number }[];
    };
}

/** What a daily job is: its ledger name, the watermark of a day's inputs, and the build of one day. */
export interface DailyJob<S> {
    name: string;
    /** Newest input blob of the day (epoch ms; 0 when none). */
    inputWatermark(w: DayWindow): Promise<number>;
    /** More reasons than partial and late data to build a succeeded day again (the day before changed, ...). */
    isStale?(run: StoredJobRun, previousDay: StoredJobRun | undefined): boolean;
    /**
     * Builds the day, or hands it out (`dispatched`: the number of shard messages sent; the run stays `running`
     * under its lease and the last shard finishes it).
     */
    build(w: DayWindow, previous: StoredJobRun | undefined, run: StoredJobRun): Promise<DayBuild<S>>;
}

export type WindowOutcome<S> =
    | { day: string; outcome: 'built'; summaries: S[] }
    | { day: string; outcome: 'dispatched'; shards: number }
    /** Cut short by the host's stop: nothing written, the lease handed back (the next fire builds the day). */
    | { day: string; outcome: 'busy' | 'done' | 'lost' | 'stopped' };

export interface DailyTimerSummary<S> {
    candidates: number;
    due: string[];
    windows: WindowOutcome<S>[];
}

/**
 * A partial day (today so far) built less than this long ago is not built again: two fires of one schedule (a double
 * fire, two instances) build it once, not one after the other.
 */
export const PARTIAL_REBUILD_MIN_MS = 60_000;

/**
 * A succeeded build must run again when its inputs changed after it (late data), or when it was partial and built at
 * least `PARTIAL_REBUILD_MIN_MS` ago (today moved on; yesterday may now be final).
 */
export function isPartialOrLate(run: StoredJobRun, inputWatermark: number, now: number): boolean {
    return (
        (run.partial === true && now - run.startedAt >= PARTIAL_REBUILD_MIN_MS) ||
        inputWatermark > (run.inputWatermark ?? 0)
    );
}

/**
 * How long the silver listing a fire took of a day for its input watermark is handed to that day's build instead of
 * a second listing (a day of batch files is thousands of blobs, about 40 KB of Azure SDK garbage each on the main
 * thread). Not longer: a build must read what it listed well within compaction's delete delay
 * (`COMPACTION_DELETE_DELAY_MINUTES`, 10 locally), and a fire's earlier builds may take minutes.
 */
export const LISTING_REUSE_MS = 60_000;

/** The listings of one fire (a daily job made per fire keeps one): taken for a day's watermark, given to its build. */
export class FireListings<T> {
    readonly #kept = new Map<string, { value: T; at: number }>();

    constructor(private readonly clock: Clock) {}

    /** Lists the day (`list`) and keeps the result for the day's build. */
    async keep(day: string, list: () => Promise<T>): Promise<T> {
        const at = this.clock.now();
        const value = await list();
        this.#kept.set(day, { value, at });
        return value;
    }

    /** The day's listing if it was taken at most `LISTING_REUSE_MS` ago (once), else undefined: list again. */
    take(day: string): T | undefined {
        const kept = this.#kept.get(day);
        this.#kept.delete(day);
        return kept !== undefined && this.clock.now() - kept.at <= LISTING_REUSE_MS ? kept.value : undefined;
    }
}

/** One fire of a daily job's timer: the due days, oldest first, at most `maxWindows`. */
export async function runDailyTimer<S>(
    job: DailyJob<S>,
    deps: DailyJobDeps,
    settings: DailyJobSettings,
    owner: string,
): Promise<DailyTimerSummary<S>> {
    const now = deps.clock.now();
    const today = dayOf(now);
    const candidates = daysBetween(addDays(today, -settings.horizonDays), today);
    const watermarks = new Map<string, number>();
    for (const day of candidates) {
        if (deps.signal?.aborted === true) {
            deps.logger.warn(`${job.name} timer stopped before it claimed a day`);
            return { candidates: candidates.length, due: [], windows: [] };
        }
        watermarks.set(day, await job.inputWatermark(dayWindow(day, now)));
    }
    const runs = new Map(
        (await deps.runs.list(job.name, addDays(candidates[0]!, -1), today)).map((r) => [r.window, r]),
    );
    const stale = (run: StoredJobRun): boolean =>
        isPartialOrLate(run, watermarks.get(run.window) ?? 0, now) ||
        (job.isStale?.(run, runs.get(addDays(run.window, -1))) ?? false);
    const due = await dueWindows(deps.runs, job.name, candidates, now, settings.maxWindows, stale);
    const windows: WindowOutcome<S>[] = [];
    for (const day of due) {
        if (deps.signal?.aborted === true) break;
        const outcome = await buildDailyWindow(job, deps, settings, day, owner, { isStale: stale });
        windows.push(outcome);
        if (outcome.outcome === 'stopped') break;
    }
    deps.logger.info(`${job.name} timer`, {
        candidates: candidates.length,
        due,
        outcomes: windows.map((w) => `${w.day}:${w.outcome}`),
    });
    return { candidates: candidates.length, due, windows };
}

/**
 * Builds one day under the ledger: claim (etag), build, record what the build read. `force` rebuilds a day that is
 * done (the backfill command). A build that fails is marked failed, gets a FAIL lineage record with the error, and the
 * error is rethrown (the timer's retry policy and the next fire claim it again).
 */
export async function buildDailyWindow<S>(
    job: DailyJob<S>,
    deps: DailyJobDeps,
    settings: DailyJobSettings,
    day: string,
    owner: string,
    options: { isStale?: (run: StoredJobRun) => boolean; force?: boolean } = {},
): Promise<WindowOutcome<S>> {
    const claim = await claimRun(deps.runs, {
        job: job.name,
        window: day,
        owner,
        now: deps.clock.now(),
        leaseMs: settings.leaseMs,
        isStale: options.force === true ? () => true : options.isStale,
    });
    if (claim.outcome !== 'claimed') return { day, outcome: claim.outcome };
    if (deps.signal?.aborted === true) return stopWindow(job.name, deps, claim.run, day, deps.signal);
    const runId = lineageRunId(job.name, `${day}#${claim.run.attempts}`);
    const w = { ...dayWindow(day, deps.clock.now(), settings.graceMs), runId };
    let built: DayBuild<S>;
    try {
        built = await job.build(w, claim.previous, claim.run);
    } catch (error) {
        if (isStopped(error, deps.signal))
            return stopWindow(job.name, deps, claim.run, day, deps.signal, error);
        const message = error instanceof Error ? error.message : String(error);
        // The build's own error is what the caller must see, even when marking the run failed fails too (the store
        // is what broke): the lease then lets the next fire take the day over.
        await failRun(deps.runs, claim.run, deps.clock.now(), message).catch((markError: unknown) =>
            deps.logger.warn(`${job.name} ${day}: could not mark the run failed`, {
                error: markError instanceof Error ? markError.message : String(markError),
                buildError: message,
            }),
        );
        await recordLineage(
            deps.lineage,
            {
                job: job.name,
                runId,
                startedAt: claim.run.startedAt,
                endedAt: deps.clock.now(),
                outcome: 'FAIL',
                window: day,
                inputs: [],
                outputs: [],
                error: message,
            },
            deps.logger,
        );
        throw error;
    }
    if ('dispatched' in built) return { day, outcome: 'dispatched', shards: built.dispatched };
    const finished = await finishRun(deps.runs, claim.run, {
        now: deps.clock.now(),
        inputWatermark: built.inputWatermark,
        partial: w.partial,
        result: built.result,
    });
    if (finished === 'lost') return { day, outcome: 'lost' };
    await recordDayLineage(job.name, runId, deps, claim.run, day, built);
    return { day, outcome: 'built', summaries: built.summaries };
}

/**
 * A build cut short by the host's stop: logged as stopped (not failed, no FAIL lineage), the run left as after a
 * crash with its lease handed back so the next fire takes the day over. Never throws (the services may be stopping).
 */
async function stopWindow<S>(
    job: string,
    deps: DailyJobDeps,
    run: StoredJobRun,
    day: string,
    signal: AbortSignal | undefined,
    error?: unknown,
): Promise<WindowOutcome<S>> {
    await handBackStoppedRun(deps, run, {
        job,
        window: day,
        stopped: "stopped by the host's stop (not failed); the next run builds the day",
        signal,
        error,
    });
    return { day, outcome: 'stopped' };
}

/**
 * The built day's lineage record: silver table-hours in, gold parts out, row counts. Never throws. Written by the
 * run that built the day, or by the last shard of a day built from shard messages.
 */
export async function recordDayLineage(
    job: string,
    runId: string,
    deps: DailyJobDeps,
    run: StoredJobRun,
    day: string,
    built: Pick<DayBuilt<unknown>, 'result' | 'lineage'>,
): Promise<void> {
    if (deps.lineage === undefined) return;
    const ns = deps.lakeNamespace ?? 'lake';
    const inputs: LineageDataset[] = (built.lineage?.inputs ?? []).map((name) => ({ namespace: ns, name }));
    const outputs = (built.lineage?.outputs ?? []).map((o) => lakeDataset(ns, o.container, o.path, o.rows));
    const rows = built.result['rows'];
    const counts: Record<string, number> = {};
    if (typeof rows === 'object' && rows !== null) {
        for (const [table, n] of Object.entries(rows)) if (typeof n === 'number') counts[table] = n;
    }
    await recordLineage(
        deps.lineage,
        {
            job,
            runId,
            startedAt: run.startedAt,
            endedAt: deps.clock.now(),
            outcome: 'COMPLETE',
            window: day,
            inputs,
            outputs,
            counts,
        },
        deps.logger,
    );
}

/** The silver table-hour folders (`silver/{table}/date=D/hour=H/`) of a build's input files. */
export function silverHourFolders(paths: readonly string[]): string[] {
    const folders = new Set<string>();
    for (const path of paths) folders.add(`silver/${path.slice(0, path.lastIndexOf('/') + 1)}`);
    return [...folders].sort();
}
