/**
 * The `checkCompliance` timer: which UTC days to check at a fire, oldest first, at most `maxWindows`.
 *
 * A day is due when its gold findings file (`compliance_findings/date=YYYY-MM-DD/findings.parquet`, written by every
 * run of that day) is missing (never checked: a missed window, the app was down), older than the newest silver input
 * of the day and its lookback (late data arrived after the last check), or was written while the day was still open or
 * within its grace period (today so far, yesterday's late fixes). The output file is the marker, so no separate state
 * is needed, and a double fire is harmless: the run is idempotent (deterministic ids, reconciliation writes only
 * changes; the alert ids repeat). The gold framework's run ledger (Cosmos `jobRuns`, etag claims, leases) was not on
 * main when this landed; with it a double fire would also do the work once.
 */
import type { BlobInfo, LakeReader } from '../ports.js';
import {
    checkComplianceWindow,
    type ComplianceDeps,
    type ComplianceSettings,
    type ComplianceWindowSummary,
    FINDINGS_TABLE,
} from './checkComplianceWindow.js';

const DAY_MS = 86_400_000;

export interface ComplianceTimerSettings extends ComplianceSettings {
    horizonDays: number;
    maxWindows: number;
    graceMs: number;
}

export interface ComplianceTimerSummary {
    candidates: number;
    due: string[];
    windows: ComplianceWindowSummary[];
}

export async function runComplianceTimer(
    deps: ComplianceDeps & { lake: ComplianceDeps['lake'] & LakeReader },
    settings: ComplianceTimerSettings,
    ruleVersion: string,
): Promise<ComplianceTimerSummary> {
    const now = deps.clock.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const candidates: number[] = [];
    for (let d = today - settings.horizonDays * DAY_MS; d <= today; d += DAY_MS) candidates.push(d);
    const due: number[] = [];
    for (const start of candidates) {
        if (due.length >= settings.maxWindows) break;
        const marker = await findingsFile(deps.lake, dayKey(start));
        if (marker === undefined) {
            // Never checked: due only when there is silver for it (an empty lake has nothing to check).
            const wm = await deps.inputs.watermark({ from: start, to: Math.min(start + DAY_MS, now) });
            if (wm > 0) due.push(start);
            continue;
        }
        const partialThen = marker.lastModified < start + DAY_MS + settings.graceMs;
        if (partialThen) {
            due.push(start);
            continue;
        }
        const wm = await deps.inputs.watermark({
            from: start - settings.lookbackHours * 3_600_000,
            to: start + DAY_MS,
        });
        if (wm > marker.lastModified) due.push(start);
    }
    const windows: ComplianceWindowSummary[] = [];
    for (const start of due) {
        const end = start + DAY_MS;
        windows.push(
            await checkComplianceWindow(
                deps,
                settings,
                { day: dayKey(start), start, end, cut: Math.min(end, Math.max(start, now)) },
                ruleVersion,
            ),
        );
    }
    deps.logger.info('compliance timer', {
        candidates: candidates.length,
        due: due.map(dayKey),
        opened: windows.reduce((n, w) => n + w.opened, 0),
        closed: windows.reduce((n, w) => n + w.closed, 0),
    });
    return { candidates: candidates.length, due: due.map(dayKey), windows };
}

function dayKey(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

async function findingsFile(lake: LakeReader, day: string): Promise<BlobInfo | undefined> {
    const blobs = await lake.list('gold', `${FINDINGS_TABLE}/date=${day}/`);
    return blobs.find((b) => b.path.endsWith('findings.parquet'));
}
