/**
 * The `buildGold` job: which days to build at a fire, and building one day under the run ledger.
 *
 * At each fire the candidates are the days from `horizonDays` ago to today. A day is due when it was never built
 * (a missed window), its run failed or its lease expired (a crashed run), it was built while still partial (today
 * so far, or yesterday within the grace period), or its silver changed after the build (late data). Due days are
 * built oldest first, at most `maxWindows` per fire; each is claimed in the ledger first, so a double fire builds once.
 */
import { fnv1a } from '../../domain/hash.js';
import { claimRun, dueWindows, failRun, finishRun, type JobRunStore, type StoredJobRun } from '../jobRuns.js';
import type { Clock } from '../ports.js';
import { buildGoldDay, type GoldBuildDeps, type GoldDaySummary, silverInputsOf } from './buildGoldDay.js';
import { fleetRow, mergeFleet } from './fleetSummary.js';
import { writeGoldTable } from './goldOutput.js';
import { DQ_DAILY_SPEC, FLEET_DAILY_SPEC } from './goldTables.js';
import { watermarkOf } from './silverFiles.js';
import { dqRows } from './tables/dqDaily.js';
import { addDays, dayOf, daysBetween, type DayWindow, dayWindow } from './window.js';

export const GOLD_JOB = 'buildGold';

export interface GoldJobDeps extends GoldBuildDeps {
    runs: JobRunStore;
    clock: Clock;
}

export interface GoldJobSettings {
    graceMs: number;
    horizonDays: number;
    maxWindows: number;
    leaseMs: number;
    shards: number;
}

export type WindowOutcome =
    | { day: string; outcome: 'built'; summaries: GoldDaySummary[] }
    | { day: string; outcome: 'busy' | 'done' | 'lost' };

export interface GoldTimerSummary {
    candidates: number;
    due: string[];
    windows: WindowOutcome[];
}

/** One fire of the timer: the due days, oldest first, at most `maxWindows`. */
export async function runGoldTimer(deps: GoldJobDeps, settings: GoldJobSettings, owner: string): Promise<GoldTimerSummary> {
    const now = deps.clock.now();
    const today = dayOf(now);
    const candidates = daysBetween(addDays(today, -settings.horizonDays), today);
    const watermarks = await silverWatermarks(deps, candidates, now);
    const runs = new Map((await deps.runs.list(GOLD_JOB, addDays(candidates[0]!, -1), today)).map((r) => [r.window, r]));
    const stale = (run: StoredJobRun): boolean =>
        isStale(run, watermarks.get(run.window) ?? 0, runs.get(addDays(run.window, -1)));
    const due = await dueWindows(deps.runs, GOLD_JOB, candidates, now, settings.maxWindows, stale);
    const windows: WindowOutcome[] = [];
    for (const day of due) windows.push(await buildGoldWindow(deps, settings, day, owner, { isStale: stale }));
    deps.logger.info('gold timer', { candidates: candidates.length, due, outcomes: windows.map((w) => `${w.day}:${w.outcome}`) });
    return { candidates: candidates.length, due, windows };
}

/**
 * A succeeded build must run again when it was partial, when silver changed after it (late data), or when the day
 * before was rebuilt after it with other port-call states at its end (the states this day started from changed).
 */
export function isStale(run: StoredJobRun, silverWatermark: number, previousDay?: StoredJobRun): boolean {
    const carryChangedAt = previousDay?.result?.carryChangedAt;
    return (
        run.partial === true ||
        silverWatermark > (run.inputWatermark ?? 0) ||
        (typeof carryChangedAt === 'number' && carryChangedAt > run.startedAt)
    );
}

async function silverWatermarks(deps: GoldJobDeps, days: readonly string[], now: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const day of days) {
        const inputs = await silverInputsOf(deps.lake, dayWindow(day, now));
        out.set(day, Math.max(0, ...inputs.map((i) => watermarkOf(i.files))));
    }
    return out;
}

/**
 * Builds one day under the ledger: claim (etag), build every shard, record what the build read. `force` rebuilds a
 * day that is done (the backfill command). A run that fails is marked failed and the error rethrown (the timer's
 * retry policy and the next fire claim it again).
 */
export async function buildGoldWindow(
    deps: GoldJobDeps,
    settings: GoldJobSettings,
    day: string,
    owner: string,
    options: { isStale?: (run: StoredJobRun) => boolean; force?: boolean } = {},
): Promise<WindowOutcome> {
    const claim = await claimRun(deps.runs, {
        job: GOLD_JOB,
        window: day,
        owner,
        now: deps.clock.now(),
        leaseMs: settings.leaseMs,
        isStale: options.force === true ? () => true : options.isStale,
    });
    if (claim.outcome !== 'claimed') return { day, outcome: claim.outcome };
    const w = dayWindow(day, deps.clock.now(), settings.graceMs);
    const summaries: GoldDaySummary[] = [];
    try {
        for (let index = 0; index < settings.shards; index++) {
            summaries.push(await buildGoldDay(deps, w, { index, count: settings.shards }));
        }
    } catch (error) {
        await failRun(deps.runs, claim.run, deps.clock.now(), error instanceof Error ? error.message : String(error));
        throw error;
    }
    let rows: Record<string, number>;
    try {
        rows = await finaliseGoldDay(deps, w, summaries);
    } catch (error) {
        await failRun(deps.runs, claim.run, deps.clock.now(), error instanceof Error ? error.message : String(error));
        throw error;
    }
    const carryOut = fnv1a(summaries.map((s) => s.carryOut).join(','));
    const before = claim.previous?.result;
    const carryChangedAt = before?.carryOut === carryOut && typeof before.carryChangedAt === 'number' ? before.carryChangedAt : deps.clock.now();
    for (const s of summaries) for (const [table, n] of Object.entries(s.rows)) rows[table] = (rows[table] ?? 0) + n;
    const finished = await finishRun(deps.runs, claim.run, {
        now: deps.clock.now(),
        inputWatermark: Math.max(0, ...summaries.map((s) => s.inputWatermark)),
        partial: w.partial,
        result: { rows, shards: settings.shards, silverFiles: summaries[0]?.silverFiles ?? 0, carryOut, carryChangedAt },
    });
    return finished === 'lost' ? { day, outcome: 'lost' } : { day, outcome: 'built', summaries };
}

/**
 * The day's last step, once every shard is built: the fleet summary and the data quality, from the shards' parts
 * (in shard order, so the sums do not depend on which shard finished first). Returns the rows written per table.
 */
export async function finaliseGoldDay(
    deps: Pick<GoldJobDeps, 'lake' | 'gold' | 'clock'>,
    w: DayWindow,
    summaries: readonly Pick<GoldDaySummary, 'fleet' | 'dq'>[],
): Promise<Record<string, number>> {
    const whole = { index: 0, count: 1 };
    const fleet = fleetRow(w.day, w.partial, mergeFleet(summaries.map((s) => s.fleet)));
    await writeGoldTable(deps.lake, deps.gold, FLEET_DAILY_SPEC, w.day, whole, [fleet]);
    const dq = dqRows(w, deps.clock.now(), summaries.map((s) => s.dq));
    await writeGoldTable(deps.lake, deps.gold, DQ_DAILY_SPEC, w.day, whole, dq);
    return { fleet_daily: 1, dq_daily: dq.length };
}
