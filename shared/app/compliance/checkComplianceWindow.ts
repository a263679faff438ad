/**
 * One compliance run over one UTC day (today so far while it is open): read silver (and gold emissions when
 * present), run every check, reconcile with the stored findings, then
 *
 * 1. save and publish an alert (kind `compliance-finding`) for every critical finding opened or reopened, first, so a
 *    crash before the findings are saved re-raises the same alert ids on the retry instead of losing them;
 * 2. upsert the findings that changed (Cosmos `findings`), closed ones included;
 * 3. write the day's findings to gold Parquet `compliance_findings/date=YYYY-MM-DD/findings.parquet` (one file per
 *    day, overwritten by every run of that day, so a rerun replaces it).
 *
 * Running the same window twice writes nothing the second time (reconciliation returns no changes), which with the
 * run ledger makes a double fire harmless.
 */
import { type Alert, alertId } from '../../domain/alerts/alert.js';
import {
    COMPLIANCE_CHECKS,
    type ComplianceCheck,
    darkGapFindings,
    type DarkGapSettings,
    type EvaluationScope,
    type Finding,
    type FindingDraft,
    type IdentitySettings,
    imoFindings,
    inScope,
    type PortLocation,
    reconcileFindings,
    type Reconciliation,
    type SpeedSettings,
    speedZoneFindings,
    type SpeedZoneSet,
    spoofingFindings,
    sulphurFindings,
    type SulphurSettings,
    type VesselTrack,
} from '../../domain/compliance/index.js';
import type { ZoneIndex } from '../../domain/zones/index.js';
import { throwIfStopped } from '../../errors.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    ComplianceInputSource,
    FindingStore,
    LakeWriter,
    Logger,
    Metrics,
    ParquetColumn,
} from '../ports.js';

/** The checks a day run evaluates (CII is judged over the year by its own run). */
export const WINDOW_CHECKS: readonly ComplianceCheck[] = COMPLIANCE_CHECKS.filter(
    (c) => !c.startsWith('cii-'),
);

export const FINDINGS_TABLE = 'compliance_findings';

export interface ComplianceDeps {
    inputs: ComplianceInputSource;
    findings: FindingStore;
    alerts: AlertStore;
    publisher: AlertPublisher;
    lake: LakeWriter;
    zones: ZoneIndex;
    speedZones: SpeedZoneSet;
    ports: readonly PortLocation[];
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    /**
     * Aborted when the host stops (the local stack's Ctrl-C, the Functions host's shutdown): a check stops after it
     * read its inputs, before it saves or writes anything (a `StoppedError`).
     */
    signal?: AbortSignal;
}

export interface ComplianceSettings {
    lookbackHours: number;
    darkGap: DarkGapSettings;
    speed: SpeedSettings;
    sulphur: SulphurSettings;
    identity: IdentitySettings;
}

export interface ComplianceWindow {
    /** `YYYY-MM-DD` */
    day: string;
    start: number;
    end: number;
    /** Where the data is cut: `end` for a closed day, now for today so far. */
    cut: number;
    /** The run (lineage): every row of the day's gold findings file carries it as `run_id`. */
    runId?: string;
}

export interface ComplianceWindowSummary {
    day: string;
    vessels: number;
    fixes: number;
    sulphurReadings: number;
    files: number;
    watermark: number;
    /** How far the positions' feed reaches, epoch ms (null: not known, silences judged up to the cut). */
    heardUntil: number | null;
    drafts: Partial<Record<ComplianceCheck, number>>;
    opened: number;
    updated: number;
    closed: number;
    unchanged: number;
    alerts: number;
    /** Findings in the day's gold Parquet file. */
    goldRows: number;
    /** The gold file written (`compliance_findings/date=D/findings.parquet`). */
    goldPath: string;
    /** Findings written to Cosmos (opened, updated and closed). */
    upserts: number;
    /** The blobs read, `{container}/{path}` (lineage). */
    inputPaths: string[];
}

export async function checkComplianceWindow(
    deps: ComplianceDeps,
    settings: ComplianceSettings,
    window: ComplianceWindow,
    ruleVersion: string,
): Promise<ComplianceWindowSummary> {
    const from = window.start - settings.lookbackHours * 3_600_000;
    const inputs = await deps.inputs.read({ from, windowStart: window.start, to: window.cut });
    throwIfStopped(deps.signal, `compliance check of ${window.day}`);
    const checkWindow = { start: window.start, end: window.cut };
    const tracks = new Map<number, VesselTrack>(inputs.tracks.map((t) => [t.mmsi, t]));
    // How far the feed's data reaches (feedHorizon.ts): a silence still going on is judged up to it, so a check that
    // runs while the feed catches up (a backlog, a history replayed) does not find every vessel dark up to the clock.
    const gapWindow =
        inputs.heardUntil === undefined ? checkWindow : { ...checkWindow, heardUntil: inputs.heardUntil };

    const drafts: FindingDraft[] = [];
    let fixCount = 0;
    for (const lazy of inputs.tracks) {
        // one vessel's fixes at a time (the adapter may build them when read: ComplianceInputs.tracks)
        const track = withFixesRead(lazy);
        fixCount += track.fixes.length;
        drafts.push(...darkGapFindings(track, gapWindow, deps.ports, settings.darkGap));
        drafts.push(...speedZoneFindings(track, checkWindow, deps.speedZones, settings.speed));
        drafts.push(...spoofingFindings(track, checkWindow, settings.identity));
    }
    const ecaAt = (lat: number, lon: number, t: number): { id: string; name: string } | undefined => {
        const id = deps.zones.zonesAt(lat, lon, t, { pollutant: 'sox' })[0];
        return id === undefined ? undefined : { id, name: deps.zones.properties(id)?.name ?? id };
    };
    const readingsByVessel = new Map<number, typeof inputs.sulphur>();
    for (const r of inputs.sulphur) {
        const list = readingsByVessel.get(r.mmsi);
        if (list === undefined) readingsByVessel.set(r.mmsi, [r]);
        else list.push(r);
    }
    for (const [mmsi, readings] of readingsByVessel) {
        const lazy = tracks.get(mmsi);
        const track = lazy === undefined ? undefined : withFixesRead(lazy);
        const fuelByDay = inputs.fuel.get(mmsi);
        drafts.push(
            ...sulphurFindings(
                mmsi,
                readings,
                checkWindow,
                {
                    ecaAt,
                    ...(track !== undefined && { track }),
                    ...(fuelByDay !== undefined && { fuelByDay }),
                },
                settings.sulphur,
            ),
        );
    }
    drafts.push(...imoFindings(inputs.imoReports, checkWindow));

    // Reconcile: the stored findings of these checks whose evidence ends in the window, and any with these ids.
    const scope: EvaluationScope = { checks: WINDOW_CHECKS, start: window.start, end: window.cut };
    const { stored, rec, alerts } = await reconcileAndSave(deps, scope, drafts, deps.clock, ruleVersion);
    // The day's findings in gold Parquet.
    const byId = new Map<string, Finding>();
    for (const f of stored) if (inScope(f, scope)) byId.set(`${f.mmsi}|${f.id}`, f);
    for (const f of rec.upserts) byId.set(`${f.mmsi}|${f.id}`, f);
    const dayFindings = [...byId.values()]
        .filter((f) => inScope(f, scope))
        .sort((a, b) => a.mmsi - b.mmsi || (a.id < b.id ? -1 : 1));
    const goldPath = `${FINDINGS_TABLE}/date=${window.day}/findings.parquet`;
    await deps.lake.writeParquet('gold', goldPath, {
        columns: FINDING_COLUMNS,
        rows: dayFindings.map((f) => toRow(f, window.day, window.runId)),
    });

    const counts: Partial<Record<ComplianceCheck, number>> = {};
    for (const d of drafts) counts[d.check] = (counts[d.check] ?? 0) + 1;
    const summary: ComplianceWindowSummary = {
        day: window.day,
        vessels: inputs.tracks.length,
        fixes: fixCount,
        sulphurReadings: inputs.sulphur.length,
        files: inputs.files,
        watermark: inputs.watermark,
        heardUntil: inputs.heardUntil ?? null,
        drafts: counts,
        opened: rec.opened.length,
        updated: rec.upserts.length - rec.opened.length - rec.closed.length,
        closed: rec.closed.length,
        unchanged: rec.unchanged,
        alerts: alerts.length,
        goldRows: dayFindings.length,
        goldPath,
        upserts: rec.upserts.length,
        inputPaths: inputs.paths ?? [],
    };
    const { inputPaths: _, ...logged } = summary;
    deps.logger.info('compliance window checked', logged);
    deps.metrics.track('compliance.findingsOpened', rec.opened.length, { day: window.day });
    deps.metrics.track('compliance.findingsClosed', rec.closed.length, { day: window.day });
    return summary;
}

/**
 * Reconciles the drafts of `scope` with the stored findings of its checks (those whose evidence ends in the scope, and
 * any with the drafts' ids; `clock` read after they are loaded), then writes: 1. alerts for the critical findings
 * opened or escalated, 2. the findings (in that order, so a crash in between re-raises the alerts). The day checks
 * and the CII checks of a year both go through it.
 */
export async function reconcileAndSave(
    deps: Pick<ComplianceDeps, 'findings' | 'alerts' | 'publisher'>,
    scope: EvaluationScope,
    drafts: readonly FindingDraft[],
    clock: Clock,
    ruleVersion: string,
): Promise<{ stored: Finding[]; rec: Reconciliation; alerts: Alert[] }> {
    const stored = await deps.findings.forReconciliation(
        [{ checks: scope.checks, from: scope.start, to: scope.end }],
        drafts.map((d) => ({ mmsi: d.mmsi, id: d.id })),
    );
    const now = clock.now();
    const rec = reconcileFindings(stored, drafts, scope, now, ruleVersion);
    const alerts = criticalAlerts(rec, stored, now);
    if (alerts.length > 0) {
        await deps.alerts.save(alerts);
        await deps.publisher.publish(alerts);
    }
    if (rec.upserts.length > 0) await deps.findings.save(rec.upserts);
    return { stored, rec, alerts };
}

/**
 * The alerts a reconciliation raises: every critical finding opened or reopened, and every open finding that became
 * critical (a dark gap that grew past the disabling threshold when the next day was checked).
 */
export function criticalAlerts(rec: Reconciliation, stored: readonly Finding[], now: number): Alert[] {
    const before = new Map(stored.map((f) => [`${f.mmsi}|${f.id}`, f]));
    const opened = new Set(rec.opened);
    return rec.upserts
        .filter(
            (f) =>
                f.severity === 'critical' &&
                f.status === 'open' &&
                (opened.has(f) || before.get(`${f.mmsi}|${f.id}`)?.severity !== 'critical'),
        )
        .map((f) => toAlert(f, now));
}

/** A critical finding as an alert (same id for the same finding, so a retry overwrites it). */
export function toAlert(f: Finding, now: number): Alert {
    return {
        id: alertId('compliance-finding', [f.id]),
        kind: 'compliance-finding',
        severity: 'critical',
        mmsi: f.mmsi,
        vessels: [f.mmsi],
        time: f.firstSeen,
        ...(f.position !== undefined && { position: f.position }),
        details: {
            findingId: f.id,
            check: f.check,
            summary: f.summary,
            rule: f.evidence.rule,
            source: f.evidence.source,
            firstSeen: new Date(f.firstSeen).toISOString(),
            lastSeen: new Date(f.lastSeen).toISOString(),
        },
        ruleVersion: f.ruleVersion,
        raisedAt: now,
    };
}

export const FINDING_COLUMNS: readonly ParquetColumn[] = [
    { name: 'day', type: 'STRING' },
    { name: 'id', type: 'STRING' },
    { name: 'check', type: 'STRING' },
    { name: 'severity', type: 'STRING' },
    { name: 'status', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'imo', type: 'INT32' },
    { name: 'first_seen', type: 'TIMESTAMP_MILLIS' },
    { name: 'last_seen', type: 'TIMESTAMP_MILLIS' },
    { name: 'ongoing', type: 'BOOLEAN' },
    { name: 'lat', type: 'DOUBLE' },
    { name: 'lon', type: 'DOUBLE' },
    { name: 'summary', type: 'STRING' },
    { name: 'rule', type: 'STRING' },
    { name: 'source', type: 'STRING' },
    { name: 'evidence', type: 'JSON' },
    { name: 'detected_at', type: 'TIMESTAMP_MILLIS' },
    { name: 'updated_at', type: 'TIMESTAMP_MILLIS' },
    { name: 'closed_at', type: 'TIMESTAMP_MILLIS' },
    { name: 'closed_reason', type: 'STRING' },
    { name: 'rule_version', type: 'STRING' },
    /** The checkCompliance run that wrote the file (its lineage record's run id). */
    { name: 'run_id', type: 'STRING' },
];

function toRow(f: Finding, day: string, runId: string | undefined): Record<string, unknown> {
    return {
        day,
        id: f.id,
        check: f.check,
        severity: f.severity,
        status: f.status,
        mmsi: f.mmsi,
        imo: f.imo ?? null,
        first_seen: f.firstSeen,
        last_seen: f.lastSeen,
        ongoing: f.ongoing === true,
        lat: f.position?.lat ?? null,
        lon: f.position?.lon ?? null,
        summary: f.summary,
        rule: f.evidence.rule,
        source: f.evidence.source,
        evidence: f.evidence,
        detected_at: f.detectedAt,
        updated_at: f.updatedAt,
        closed_at: f.closedAt ?? null,
        closed_reason: f.closedReason ?? null,
        rule_version: f.ruleVersion,
        run_id: runId ?? null,
    };
}

/** The track with its fixes read once (a plain object: `fixes` may be a getter that builds them on each read). */
function withFixesRead(track: VesselTrack): VesselTrack {
    const { fixes, ...rest } = track;
    return { ...rest, fixes };
}
