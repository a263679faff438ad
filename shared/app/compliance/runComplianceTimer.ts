/**
 * The `checkCompliance` timer: which UTC days to check at a fire, oldest first, at most `maxWindows`, then the CII
 * years (`runCiiChecks`).
 *
 * Every day is a window of the run ledger (`shared/app/jobRuns.ts`, job `checkCompliance`, window `YYYY-MM-DD`):
 * claimed with an etag before it is checked, so of two fires (or two instances) only one checks a day, and a run
 * whose worker died is taken over after its lease. A day is due when it was never checked and has silver (a missed
 * window: the app was down), its run failed or its lease expired, it was checked while still open or within its
 * grace period (today so far, yesterday's late fixes), or its silver changed after the check read it (late data: a
 * silver blob newer than the newest the check read). The day's findings file in gold Parquet
 * (`compliance_findings/date=YYYY-MM-DD/findings.parquet`) is rewritten by every check of the day.
 *
 * The host's stop (`deps.signal`, as for the gold builds and the compaction): the fire claims no further day or CII
 * year, and a day being checked stops before it saves or writes anything; its run is left as after a crash with the
 * lease handed back (`stopRun`), so the next fire checks the day at once.
 */
import { isStopped } from '../../errors.js';
import type { GoldLake } from '../gold/goldOutput.js';
import {
    claimRun,
    dueWindows,
    failRun,
    finishRun,
    handBackStoppedRun,
    type JobRunStore,
    type StoredJobRun,
} from '../jobRuns.js';
import { blobFolders, type TimerLineageDeps, withRunLineage } from '../lineage.js';
import type { GoldStore } from '../ports.js';
import {
    checkComplianceWindow,
    type ComplianceDeps,
    type ComplianceSettings,
    type ComplianceWindowSummary,
} from './checkComplianceWindow.js';
import type { CiiFleetSource } from './ciiYear.js';
import { type CiiYearOutcome, runCiiChecks } from './runCiiChecks.js';

export const COMPLIANCE_JOB = 'checkCompliance';

const DAY_MS = 86_400_000;

export interface ComplianceTimerDeps extends ComplianceDeps, Omit<TimerLineageDeps, 'clock' | 'logger'> {
    lake: GoldLake;
    runs: JobRunStore;
    gold: GoldStore;
    fleet: CiiFleetSource;
}

export interface ComplianceTimerSettings extends ComplianceSettings {
    horizonDays: number;
    maxWindows: number;
    graceMs: number;
    leaseMs: number;
}

export type ComplianceDayOutcome =
    | ComplianceWindowSummary
    /** `stopped`: cut short by the host's stop, nothing saved, the lease handed back. */
    | { day: string; outcome: 'busy' | 'done' | 'lost' | 'stopped' };

export interface ComplianceTimerSummary {
    candidates: number;
    due: string[];
    windows: ComplianceDayOutcome[];
    cii: CiiYearOutcome[];
}

export async function runComplianceTimer(
    deps: ComplianceTimerDeps,
    settings: ComplianceTimerSettings,
    ruleVersion: string,
    owner: string,
): Promise<ComplianceTimerSummary> {
    const now = deps.clock.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const candidates: number[] = [];
    for (let d = today - settings.horizonDays * DAY_MS; d <= today; d += DAY_MS) candidates.push(d);
    // The newest silver input of each day with its lookback (a check that read less is stale); a day without silver of
    // its own has nothing to check.
    const watermarks = new Map<string, number>();
    const withSilver: string[] = [];
    for (const start of candidates) {
        if (deps.signal?.aborted === true) {
            deps.logger.warn('compliance timer stopped before it claimed a day');
            return { candidates: candidates.length, due: [], windows: [], cii: [] };
        }
        const to = Math.min(start + DAY_MS, now);
        if ((await deps.inputs.watermark({ from: start, to })) === 0) continue;
        withSilver.push(dayKey(start));
        watermarks.set(
            dayKey(start),
            await deps.inputs.watermark({ from: start - settings.lookbackHours * 3_600_000, to }),
        );
    }
    const isStale = (run: StoredJobRun): boolean =>
        run.partial === true || (watermarks.get(run.window) ?? 0) > (run.inputWatermark ?? 0);
    const due = await dueWindows(deps.runs, COMPLIANCE_JOB, withSilver, now, settings.maxWindows, isStale);
    const windows: ComplianceDayOutcome[] = [];
    for (const day of due) {
        if (deps.signal?.aborted === true) break;
        const outcome = await checkDay(deps, settings, day, ruleVersion, owner, isStale);
        windows.push(outcome);
        if ('outcome' in outcome && outcome.outcome === 'stopped') break;
    }
    const cii =
        deps.signal?.aborted === true
            ? []
            : await runCiiChecks(
                  deps,
                  { leaseMs: settings.leaseMs, graceMs: settings.graceMs },
                  owner,
                  ruleVersion,
              );
    deps.logger.info('compliance timer', {
        candidates: candidates.length,
        due,
        outcomes: windows.map((w) => ('outcome' in w ? `${w.day}:${w.outcome}` : `${w.day}:checked`)),
        // per day checked, how far the feed reached: silences still going on were judged up to it (feedHorizon.ts)
        heardUntil: Object.fromEntries(
            windows.flatMap((w) =>
                'outcome' in w
                    ? []
                    : [[w.day, w.heardUntil === null ? null : new Date(w.heardUntil).toISOString()]],
            ),
        ),
        cii: cii.map((c) => `${c.year}:${c.outcome}`),
    });
    return { candidates: candidates.length, due, windows, cii };
}

/** Checks one day under the ledger: claim (etag), check, record what the check read and whether the day was open. */
async function checkDay(
    deps: ComplianceTimerDeps,
    settings: ComplianceTimerSettings,
    day: string,
    ruleVersion: string,
    owner: string,
    isStale: (run: StoredJobRun) => boolean,
): Promise<ComplianceDayOutcome> {
    const now = deps.clock.now();
    const claim = await claimRun(deps.runs, {
        job: COMPLIANCE_JOB,
        window: day,
        owner,
        now,
        leaseMs: settings.leaseMs,
        isStale,
    });
    if (claim.outcome !== 'claimed') return { day, outcome: claim.outcome };
    if (deps.signal?.aborted === true) return stopDay(deps, claim.run, day);
    const start = Date.parse(`${day}T00:00:00Z`);
    const end = start + DAY_MS;
    let summary: ComplianceWindowSummary;
    try {
        // One lineage run per checked day: silver table-hours (and gold emissions days) in; the day's gold findings
        // file (its rows carry the run id), the findings and the alerts out.
        summary = await withRunLineage(
            deps,
            { job: COMPLIANCE_JOB, key: `${day}#${claim.run.attempts}`, window: day },
            (runId) =>
                checkComplianceWindow(
                    deps,
                    settings,
                    { day, start, end, cut: Math.min(end, Math.max(start, now)), runId },
                    ruleVersion,
                ),
            (s, names) => ({
                inputs: [
                    ...blobFolders(s.inputPaths).map((folder) => names.lakeNamed(folder)),
                    names.cosmos('findings'),
                ],
                outputs: [
                    names.lake('gold', s.goldPath, s.goldRows),
                    names.cosmos('findings', s.upserts),
                    names.cosmos('alerts', s.alerts),
                ],
                counts: {
                    vessels: s.vessels,
                    fixes: s.fixes,
                    sulphurReadings: s.sulphurReadings,
                    files: s.files,
                    opened: s.opened,
                    updated: s.updated,
                    closed: s.closed,
                    alerts: s.alerts,
                    goldRows: s.goldRows,
                },
            }),
        );
    } catch (error) {
        if (isStopped(error, deps.signal)) return stopDay(deps, claim.run, day, error);
        await failRun(
            deps.runs,
            claim.run,
            deps.clock.now(),
            error instanceof Error ? error.message : String(error),
        );
        throw error;
    }
    const finished = await finishRun(deps.runs, claim.run, {
        now: deps.clock.now(),
        inputWatermark: summary.watermark,
        partial: now < end + settings.graceMs,
        result: {
            opened: summary.opened,
            closed: summary.closed,
            updated: summary.updated,
            goldRows: summary.goldRows,
        },
    });
    return finished === 'lost' ? { day, outcome: 'lost' } : summary;
}

/**
 * A check cut short by the host's stop: logged as stopped (not failed), the run left as after a crash with its lease
 * handed back so the next fire checks the day. Never throws (the services may be stopping).
 */
async function stopDay(
    deps: ComplianceTimerDeps,
    run: StoredJobRun,
    day: string,
    error?: unknown,
): Promise<ComplianceDayOutcome> {
    await handBackStoppedRun(deps, run, {
        job: COMPLIANCE_JOB,
        window: day,
        stopped: "stopped by the host's stop (not failed); the next run checks the day",
        signal: deps.signal,
        error,
    });
    return { day, outcome: 'stopped' };
}

function dayKey(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}
