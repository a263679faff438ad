/**
 * The run ledger: one document per job and window (Cosmos `jobRuns`, partition key `/job`), claimed with an etag so
 * a timer that fires twice (or two instances that fire at once) builds a window once, with a lease so a run whose
 * worker died is taken over after `leaseMs`. Generic: any timer job (gold, sensor hourly, compliance) keys its
 * windows by a string of its own (`2026-12-03`, `2026-12-03T10`).
 *
 *     const claim = await claimRun(store, { job: 'buildGold', window: '2026-12-03', owner, now, leaseMs });
 *     if (claim.outcome !== 'claimed') return;           // another run holds it, or it is done
 *     ... build ...
 *     await finishRun(store, claim.run, { now, result }); // 'lost' when another run took the lease over meanwhile
 */
import { stoppedError } from '../errors.js';
import type { Clock, Logger } from './ports.js';

export type JobRunStatus = 'running' | 'succeeded' | 'failed';

export interface JobRun {
    job: string;
    /** The window's key, as the job names it (sortable: oldest first when sorted as strings). */
    window: string;
    status: JobRunStatus;
    /** Who holds (or last held) the run: the invocation id. */
    owner: string;
    /** Epoch ms; a `running` run past its lease may be taken over. */
    leaseUntil: number;
    /** Claims so far (1 on the first run; takeovers and rebuilds add one). */
    attempts: number;
    /** Epoch ms of the latest claim. */
    startedAt: number;
    /** Epoch ms the latest run finished. */
    finishedAt?: number;
    /**
     * What the run saw of its inputs: the newest `lastModified` (epoch ms) of the input blobs. A later input means
     * late data arrived after the build: the window is due again.
     */
    inputWatermark?: number;
    /** True when the window was still open at build time (today so far): it is due again at the next fire. */
    partial?: boolean;
    /** Job-specific summary (row counts, durations, shard progress). */
    result?: Record<string, unknown>;
    /** Message of the last failure. */
    error?: string;
    /**
     * Epoch ms the run was stopped by its host's stop (`stopRun`): left `running` with its lease handed back, as a
     * crashed run whose lease ran out, so the next fire takes the window over at once.
     */
    stoppedAt?: number;
}

export interface StoredJobRun extends JobRun {
    etag: string;
}

export interface JobRunStore {
    get(job: string, window: string): Promise<StoredJobRun | undefined>;
    /** Runs of a job with `from <= window <= to` (string order), sorted by window. */
    list(job: string, from: string, to: string): Promise<StoredJobRun[]>;
    /**
     * Writes the run if the stored document still has `expectedEtag` (null: must not exist yet). Returns the new
     * stored run, or `conflict` (nothing written) when another writer got there first.
     */
    put(run: JobRun, expectedEtag: string | null): Promise<StoredJobRun | 'conflict'>;
}

export interface ClaimRequest {
    job: string;
    window: string;
    owner: string;
    now: number;
    leaseMs: number;
    /**
     * Whether a succeeded run must run again (late data, a partial window that moved on, a forced rebuild).
     * Default: never.
     */
    isStale?: (run: StoredJobRun) => boolean;
}

export type ClaimResult =
    | { outcome: 'claimed'; run: StoredJobRun; previous?: StoredJobRun }
    /** Another run holds a live lease on the window. */
    | { outcome: 'busy'; run: StoredJobRun }
    /** The window was built and nothing says it must be built again. */
    | { outcome: 'done'; run: StoredJobRun };

/** Claims a window: creates or takes over its run document with an etag check, so exactly one claimant wins. */
export async function claimRun(store: JobRunStore, request: ClaimRequest): Promise<ClaimResult> {
    const existing = await store.get(request.job, request.window);
    if (existing !== undefined) {
        if (existing.status === 'running' && existing.leaseUntil > request.now)
            return { outcome: 'busy', run: existing };
        if (existing.status === 'succeeded' && !(request.isStale?.(existing) ?? false)) {
            return { outcome: 'done', run: existing };
        }
    }
    const run: JobRun = {
        ...(existing === undefined ? {} : withoutEtag(existing)),
        job: request.job,
        window: request.window,
        status: 'running',
        owner: request.owner,
        leaseUntil: request.now + request.leaseMs,
        attempts: (existing?.attempts ?? 0) + 1,
        startedAt: request.now,
    };
    delete run.error;
    delete run.stoppedAt;
    const written = await store.put(run, existing?.etag ?? null);
    if (written === 'conflict') {
        const winner = await store.get(request.job, request.window);
        return { outcome: 'busy', run: winner ?? existing! };
    }
    return existing === undefined
        ? { outcome: 'claimed', run: written }
        : { outcome: 'claimed', run: written, previous: existing };
}

/** Extends the lease of a claimed run (long builds); `lost` when another run took it over. */
export async function renewLease(
    store: JobRunStore,
    run: StoredJobRun,
    now: number,
    leaseMs: number,
): Promise<StoredJobRun | 'lost'> {
    const written = await store.put({ ...withoutEtag(run), leaseUntil: now + leaseMs }, run.etag);
    return written === 'conflict' ? 'lost' : written;
}

/** Marks a claimed run succeeded; `lost` when another run took the lease over meanwhile (its result stands). */
export async function finishRun(
    store: JobRunStore,
    run: StoredJobRun,
    outcome: { now: number; inputWatermark?: number; partial?: boolean; result?: Record<string, unknown> },
): Promise<StoredJobRun | 'lost'> {
    const done: JobRun = {
        ...withoutEtag(run),
        status: 'succeeded',
        finishedAt: outcome.now,
        leaseUntil: outcome.now,
    };
    if (outcome.inputWatermark !== undefined) done.inputWatermark = outcome.inputWatermark;
    if (outcome.partial !== undefined) done.partial = outcome.partial;
    if (outcome.result !== undefined) done.result = outcome.result;
    const written = await store.put(done, run.etag);
    return written === 'conflict' ? 'lost' : written;
}

/** Marks a claimed run failed (the next fire claims it again); `lost` when another run took it over. */
export async function failRun(
    store: JobRunStore,
    run: StoredJobRun,
    now: number,
    error: string,
): Promise<StoredJobRun | 'lost'> {
    const failed: JobRun = { ...withoutEtag(run), status: 'failed', finishedAt: now, leaseUntil: now, error };
    const written = await store.put(failed, run.etag);
    return written === 'conflict' ? 'lost' : written;
}

/**
 * A claimed run cut short by its host's stop (not a failure): it stays `running` with its lease handed back
 * (`leaseUntil` = now) and `stoppedAt` set, as a crashed run whose lease ran out, so the next fire (the next start)
 * claims the window again at once; `lost` when another run took it over meanwhile.
 */
export async function stopRun(
    store: JobRunStore,
    run: StoredJobRun,
    now: number,
): Promise<StoredJobRun | 'lost'> {
    const written = await store.put({ ...withoutEtag(run), leaseUntil: now, stoppedAt: now }, run.etag);
    return written === 'conflict' ? 'lost' : written;
}

/**
 * `stopRun` for a job cut short by its host's stop, logged as stopped (not failed): `${job} ${window}: ${stopped}`
 * with the reason (the StoppedError that cut it short, else one for `signal`). Never throws, since the services may
 * be stopping: a lease it could not hand back ends by itself.
 */
export async function handBackStoppedRun(
    deps: { runs: JobRunStore; clock: Clock; logger: Logger },
    run: StoredJobRun,
    stop: { job: string; window: string; stopped: string; signal: AbortSignal | undefined; error?: unknown },
): Promise<void> {
    const { job, window, error } = stop;
    const why =
        error instanceof Error && error.name === 'StoppedError' ? error : stoppedError(stop.signal, job);
    await stopRun(deps.runs, run, deps.clock.now()).catch((markError: unknown) =>
        deps.logger.warn(`${job} ${window}: could not hand the run's lease back (it ends by itself)`, {
            error: markError instanceof Error ? markError.message : String(markError),
        }),
    );
    deps.logger.warn(`${job} ${window}: ${stop.stopped}`, { reason: why.message });
}

/**
 * The windows of `candidates` (sorted oldest first) that are due: never run, failed, a lease expired, or a
 * succeeded run `isStale` says must run again. At most `limit`, oldest first, so a long outage is caught up a bounded
 * number of windows per fire.
 */
export async function dueWindows(
    store: JobRunStore,
    job: string,
    candidates: readonly string[],
    now: number,
    limit: number,
    isStale: (run: StoredJobRun) => boolean = () => false,
): Promise<string[]> {
    if (candidates.length === 0) return [];
    const sorted = [...candidates].sort();
    const runs = await store.list(job, sorted[0]!, sorted[sorted.length - 1]!);
    const byWindow = new Map(runs.map((r) => [r.window, r]));
    const due: string[] = [];
    for (const window of sorted) {
        if (due.length >= limit) break;
        const run = byWindow.get(window);
        if (
            run === undefined ||
            run.status === 'failed' ||
            (run.status === 'running' && run.leaseUntil <= now) ||
            (run.status === 'succeeded' && isStale(run))
        ) {
            due.push(window);
        }
    }
    return due;
}

function withoutEtag(run: StoredJobRun): JobRun {
    const { etag: _etag, ...rest } = run;
    return rest;
}
