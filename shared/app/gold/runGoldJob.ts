/**
 * The `buildGold` job: a daily job (`dailyJob.ts`) whose build is every shard of the day, then the day's last step
 * (fleet summary, data quality). Besides partial days and late data, a day is built again when the day before was
 * rebuilt after it with other port-call states at its end (the states this day started from changed).
 */
import { fnv1a } from '../../domain/hash.js';
import type { StoredJobRun } from '../jobRuns.js';
import type { ShardQueue, SilverInput } from '../ports.js';
import { buildGoldDay, type GoldBuildDeps, type GoldDaySummary, silverInputsOf } from './buildGoldDay.js';
import {
    buildDailyWindow,
    type DailyJob,
    type DailyJobDeps,
    type DailyJobSettings,
    type DailyTimerSummary,
    FireListings,
    runDailyTimer,
} from './dailyJob.js';
import { fleetRow, mergeFleet } from './fleetSummary.js';
import { goldPartPath, writeGoldTable } from './goldOutput.js';
import { DQ_DAILY_SPEC, FLEET_DAILY_SPEC } from './goldTables.js';
import { watermarkOf } from './silverFiles.js';
import { dqRows } from './tables/dqDaily.js';
import type { DayWindow } from './window.js';

export const GOLD_JOB = 'buildGold';

export interface GoldJobDeps extends GoldBuildDeps, DailyJobDeps {
    /** Where the shards of a day go when `shards` > 1 (absent: the run builds them one after another). */
    shardQueue?: ShardQueue;
}

export interface GoldJobSettings extends DailyJobSettings {
    shards: number;
}

export type GoldWindowOutcome = Awaited<ReturnType<typeof buildGoldWindow>>;
export type GoldTimerSummary = DailyTimerSummary<GoldDaySummary>;

/** The day before was rebuilt, after this day's build, with other port-call states at its end. */
export function carryChanged(run: StoredJobRun, previousDay: StoredJobRun | undefined): boolean {
    const carryChangedAt = previousDay?.result?.carryChangedAt;
    return typeof carryChangedAt === 'number' && carryChangedAt > run.startedAt;
}

/** The `buildGold` job over the deps and settings (one per fire). */
export function goldJob(deps: GoldJobDeps, settings: GoldJobSettings): DailyJob<GoldDaySummary> {
    const listings = new FireListings<SilverInput[]>(deps.clock);
    return {
        name: GOLD_JOB,
        inputWatermark: async (w) => {
            const inputs = await listings.keep(w.day, () => silverInputsOf(deps.lake, w));
            return Math.max(0, ...inputs.map((i) => watermarkOf(i.files)));
        },
        isStale: carryChanged,
        build: async (w, previous, run) => {
            const listed = listings.take(w.day);
            if (deps.shardQueue !== undefined && settings.shards > 1) {
                const messages = Array.from({ length: settings.shards }, (_, index) => ({
                    day: w.day,
                    index,
                    count: settings.shards,
                    runStartedAt: run.startedAt,
                    windowNow: deps.clock.now(),
                    ...(w.runId === undefined ? {} : { runId: w.runId }),
                }));
                await deps.shardQueue.send(messages);
                return { dispatched: messages.length };
            }
            const summaries: GoldDaySummary[] = [];
            for (let index = 0; index < settings.shards; index++) {
                // A stop ends the first shard before it writes; once a shard has written its parts, the others run
                // to the end (a day half rebuilt would be visible).
                const shardDeps = index === 0 ? deps : { ...deps, signal: undefined };
                summaries.push(await buildGoldDay(shardDeps, w, { index, count: settings.shards }, listed));
            }
            const complete = await completeGoldDay(deps, w, summaries, previous?.result);
            return {
                ...complete,
                summaries,
                lineage: goldDayLineage(w.day, summaries, complete.result['rows'] as Record<string, number>),
            };
        },
    };
}

/**
 * The day's last step once every shard is built (inline, or by the last shard message): the fleet summary and data
 * quality, and what the ledger keeps (row counts, the hash of the port-call states at the day's end and since when
 * they are what they are).
 */
export async function completeGoldDay(
    deps: Pick<GoldJobDeps, 'lake' | 'gold' | 'clock'>,
    w: DayWindow,
    summaries: readonly Omit<GoldDaySummary, 'seconds'>[],
    previousResult: Record<string, unknown> | undefined,
): Promise<{ inputWatermark: number; result: Record<string, unknown> }> {
    const rows = await finaliseGoldDay(deps, w, summaries);
    for (const s of summaries)
        for (const [table, n] of Object.entries(s.rows)) rows[table] = (rows[table] ?? 0) + n;
    const carryOut = fnv1a(summaries.map((s) => s.carryOut).join(','));
    const carryChangedAt =
        previousResult?.carryOut === carryOut && typeof previousResult.carryChangedAt === 'number'
            ? previousResult.carryChangedAt
            : deps.clock.now();
    return {
        inputWatermark: Math.max(0, ...summaries.map((s) => s.inputWatermark)),
        result: {
            rows,
            shards: summaries.length,
            silverFiles: summaries[0]?.silverFiles ?? 0,
            carryOut,
            carryChangedAt,
        },
    };
}

/** What a built gold day read (silver table-hours) and wrote (each shard's parts, the whole-day tables). */
export function goldDayLineage(
    day: string,
    summaries: readonly Pick<GoldDaySummary, 'shard' | 'rows' | 'inputFolders'>[],
    dayRows: Readonly<Record<string, number>>,
): { inputs: string[]; outputs: { container: string; path: string; rows: number }[] } {
    const inputs = [...new Set(summaries.flatMap((s) => s.inputFolders ?? []))].sort();
    const outputs = summaries.flatMap((s) =>
        Object.entries(s.rows).map(([table, rows]) => ({
            container: 'gold',
            path: goldPartPath(table, day, s.shard),
            rows,
        })),
    );
    const whole = { index: 0, count: 1 };
    for (const table of [FLEET_DAILY_SPEC.table, DQ_DAILY_SPEC.table]) {
        outputs.push({ container: 'gold', path: goldPartPath(table, day, whole), rows: dayRows[table] ?? 0 });
    }
    return { inputs, outputs };
}

/** One fire of the `buildGold` timer. */
export function runGoldTimer(
    deps: GoldJobDeps,
    settings: GoldJobSettings,
    owner: string,
): Promise<GoldTimerSummary> {
    return runDailyTimer(goldJob(deps, settings), deps, settings, owner);
}

/** Builds one gold day under the ledger (`force`: even when it is done, as the backfill does). */
export function buildGoldWindow(
    deps: GoldJobDeps,
    settings: GoldJobSettings,
    day: string,
    owner: string,
    options: { isStale?: (run: StoredJobRun) => boolean; force?: boolean } = {},
) {
    return buildDailyWindow(goldJob(deps, settings), deps, settings, day, owner, options);
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
    await writeGoldTable(deps.lake, deps.gold, FLEET_DAILY_SPEC, w.day, whole, [fleet], w.runId);
    const dq = dqRows(
        w,
        deps.clock.now(),
        summaries.map((s) => s.dq),
    );
    await writeGoldTable(deps.lake, deps.gold, DQ_DAILY_SPEC, w.day, whole, dq, w.runId);
    return { fleet_daily: 1, dq_daily: dq.length };
}
