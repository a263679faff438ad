/**
 * The `scoreMaintenance` timer: after the sensor hourly build, scores every equipment of every vessel for each due
 * UTC day (health 0-100, probability of a failure within the model's horizon, the top contributing features),
 * writes gold `equipment_health` (Parquet + Cosmos `gold` for the API) and raises a `maintenance-risk` warning when
 * the probability reaches the alert setting.
 *
 * Windows are UTC days on the run ledger (job `scoreMaintenance`, `jobRuns.ts`): a day is due when its gold
 * `sensor_hourly` exists and is newer than the last scoring of the day (the hourly build ran again: today so far,
 * late data) or the maintenance log changed; a claim with an etag makes a double fire score a day once.
 * Alerts: one per equipment and episode, an episode being the time since the equipment's last repair or service,
 * so a warning is raised once while the probability stays high, and again only after a repair/service and a new
 * rise. The alert id is deterministic (`maintenance-risk:mmsi:equipment:episodeStart`) and only alerts not yet in
 * the store are published.
 *
 * The host's stop (`deps.signal`, as for the gold builds and the compaction): the fire claims no further day, and a
 * day being scored stops after it read its inputs, before it writes anything; its run is left as after a crash with
 * the lease handed back (`stopRun`), so the next fire scores the day at once.
 */
import { type Alert, alertId } from '../../domain/alerts/alert.js';
import { EQUIPMENT, LOAD_SENSOR } from '../../domain/maintenance/equipment.js';
import type { MaintenanceEvent } from '../../domain/maintenance/events.js';
import type { EquipmentHistory } from '../../domain/maintenance/features.js';
import type { HourlySensorStat } from '../../domain/maintenance/hourly.js';
import type { MaintenanceModel } from '../../domain/maintenance/model.js';
import { type EquipmentRisk, rankEquipment } from '../../domain/maintenance/rank.js';
import { isStopped, throwIfStopped } from '../../errors.js';
import { type GoldLake, goldPartPath, type GoldTableSpec, writeGoldTable } from '../gold/goldOutput.js';
import { dayOf, daysBetween, dayStart } from '../gold/window.js';
import {
    claimRun,
    dueWindows,
    failRun,
    finishRun,
    handBackStoppedRun,
    type JobRunStore,
    type StoredJobRun,
} from '../jobRuns.js';
import { type TimerLineageDeps, withRunLineage } from '../lineage.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    GoldStore,
    Logger,
    Metrics,
    ParquetColumn,
} from '../ports.js';

const DAY_MS = 86_400_000;
export const MAINTENANCE_JOB = 'scoreMaintenance';
export const EQUIPMENT_HEALTH_TABLE = 'equipment_health';

/** The inputs of a scoring: gold `sensor_hourly` and silver `maintenance_events`. */
export interface MaintenanceInputSource {
    /** Hourly statistics of the equipment indicators and the shaft power, days inclusive (YYYY-MM-DD). */
    hourly(fromDay: string, toDay: string): Promise<HourlySensorStat[]>;
    /** The maintenance log, de-duplicated, by time. */
    events(): Promise<MaintenanceEvent[]>;
    /** Newest input change for the day (epoch ms); undefined while the day has no `sensor_hourly` yet. */
    watermark(day: string): Promise<number | undefined>;
}

export interface MaintenanceScoreSettings {
    /** Days of hourly history read before and including the scored day (the baseline and the 7-day slopes). */
    historyDays: number;
    /** Days back (before today) the timer looks for unscored or changed days. */
    catchUpDays: number;
    /** Days scored per fire at most, oldest first. */
    maxWindows: number;
    leaseMs: number;
    /** Probability at or above which a `maintenance-risk` warning is raised. */
    alertProbability: number;
}

export interface MaintenanceScoreDeps extends Omit<TimerLineageDeps, 'clock' | 'logger'> {
    inputs: MaintenanceInputSource;
    lake: GoldLake;
    gold: GoldStore;
    runs: JobRunStore;
    alerts: AlertStore;
    publisher: AlertPublisher;
    model: MaintenanceModel;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    /**
     * Aborted when the host stops (the local stack's Ctrl-C, the Functions host's shutdown): no further day is
     * claimed, and a day being scored stops before it writes anything (a `StoppedError`).
     */
    signal?: AbortSignal;
}

export interface MaintenanceDaySummary {
    day: string;
    /** `stopped`: cut short by the host's stop, nothing written, the lease handed back. */
    outcome: 'scored' | 'busy' | 'done' | 'stopped';
    equipment: number;
    atRisk: number;
    alertsRaised: number;
}

export const EQUIPMENT_HEALTH_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'equipment_id', type: 'STRING' },
    { name: 'kind', type: 'STRING' },
    { name: 'health', type: 'INT32' },
    { name: 'probability', type: 'DOUBLE' },
    { name: 'horizon_days', type: 'INT32' },
    { name: 'at_risk', type: 'BOOLEAN' },
    /** JSON array of { feature, value, logOdds }, largest share of the log-odds first. */
    { name: 'contributions', type: 'STRING' },
    /** Start of the episode: the last repair or service before the day's end (epoch ms), null when none is logged. */
    { name: 'episode_start', type: 'TIMESTAMP_MILLIS' },
    { name: 'model_version', type: 'STRING' },
    { name: 'scored_at', type: 'TIMESTAMP_MILLIS' },
];

export const EQUIPMENT_HEALTH_SPEC: GoldTableSpec = {
    table: EQUIPMENT_HEALTH_TABLE,
    columns: EQUIPMENT_HEALTH_COLUMNS,
    toDocument: (row) => ({
        id: `equipment_health-${String(row.mmsi)}-${String(row.equipment_id)}-${String(row.date)}`,
        mmsi: row.mmsi as number,
    }),
};

/** One history per vessel and known equipment with indicator hours in the window. */
export function equipmentHistories(
    stats: readonly HourlySensorStat[],
    events: readonly MaintenanceEvent[],
    historyStart: number,
): EquipmentHistory[] {
    const bySeries = new Map<string, HourlySensorStat[]>();
    for (const s of stats) {
        const key = `${s.mmsi}|${s.sensorId}|${s.quantity}`;
        const list = bySeries.get(key) ?? [];
        list.push(s);
        bySeries.set(key, list);
    }
    const mmsis = [...new Set(stats.map((s) => s.mmsi))].sort((a, b) => a - b);
    const histories: EquipmentHistory[] = [];
    for (const mmsi of mmsis) {
        const load = bySeries.get(`${mmsi}|${LOAD_SENSOR.sensorId}|${LOAD_SENSOR.quantity}`) ?? [];
        for (const equipment of EQUIPMENT) {
            const indicator = bySeries.get(`${mmsi}|${equipment.sensorId}|${equipment.quantity}`);
            if (indicator === undefined) continue;
            const own = events.filter((e) => e.mmsi === mmsi && e.equipmentId === equipment.equipmentId);
            histories.push({ mmsi, equipment, indicator, load, events: own, historyStart });
        }
    }
    return histories;
}

/** The last repair or service of the equipment before `end`: the start of its current episode. */
export function episodeStart(
    events: readonly MaintenanceEvent[],
    mmsi: number,
    equipmentId: string,
    end: number,
): number | undefined {
    let start: number | undefined;
    for (const e of events) {
        if (e.mmsi !== mmsi || e.equipmentId !== equipmentId || e.time >= end || e.kind === 'failure')
            continue;
        if (start === undefined || e.time > start) start = e.time;
    }
    return start;
}

function healthRow(
    r: EquipmentRisk,
    day: string,
    episode: number | undefined,
    model: MaintenanceModel,
    scoredAt: number,
    alertProbability: number,
): Record<string, unknown> {
    return {
        date: day,
        mmsi: r.mmsi,
        equipment_id: r.equipmentId,
        kind: r.kind,
        health: r.health,
        probability: r.probability,
        horizon_days: model.horizonDays,
        at_risk: r.probability >= alertProbability,
        contributions: JSON.stringify(r.contributions),
        episode_start: episode,
        model_version: modelVersion(model),
        scored_at: scoredAt,
    };
}

export function modelVersion(model: MaintenanceModel): string {
    const seed = model.training.seed;
    return `${model.format}${typeof seed === 'number' ? `/seed-${seed}` : ''}`;
}

function riskAlert(
    r: EquipmentRisk,
    episode: number | undefined,
    start: number,
    model: MaintenanceModel,
    alertProbability: number,
    now: number,
): Alert {
    return {
        id: alertId('maintenance-risk', [r.mmsi, r.equipmentId, episode ?? 'none']),
        kind: 'maintenance-risk',
        severity: 'warning',
        mmsi: r.mmsi,
        vessels: [r.mmsi],
        // The end of the scored day: what the warning is based on was known then.
        time: Math.min(start + DAY_MS, now),
        details: {
            equipmentId: r.equipmentId,
            equipmentKind: r.kind,
            probability: r.probability,
            health: r.health,
            horizonDays: model.horizonDays,
            threshold: alertProbability,
            day: dayOf(start),
            episodeStart: episode ?? null,
            contributions: r.contributions,
        },
        ruleVersion: modelVersion(model),
        raisedAt: now,
    };
}

/** Alerts not in the store yet (the same equipment and episode already warned are left out). */
async function newAlerts(store: AlertStore, candidates: readonly Alert[]): Promise<Alert[]> {
    const out: Alert[] = [];
    const known = new Map<number, Set<string>>();
    for (const a of candidates) {
        let ids = known.get(a.mmsi);
        if (ids === undefined) {
            ids = new Set<string>();
            let continuation: string | undefined;
            do {
                const page = await store.query({
                    mmsi: a.mmsi,
                    kind: 'maintenance-risk',
                    limit: 1000,
                    ...(continuation ? { continuation } : {}),
                });
                for (const x of page.items) ids.add(x.id);
                continuation = page.continuation;
            } while (continuation !== undefined);
            known.set(a.mmsi, ids);
        }
        if (!ids.has(a.id)) out.push(a);
    }
    return out;
}

/**
 * Scores one UTC day and writes its gold rows and warnings; `runId` (lineage) goes on every `equipment_health` row
 * as `run_id`.
 */
export async function scoreMaintenanceDay(
    day: string,
    deps: MaintenanceScoreDeps,
    settings: MaintenanceScoreSettings,
    runId?: string,
): Promise<Omit<MaintenanceDaySummary, 'outcome'>> {
    const now = deps.clock.now();
    const start = dayStart(day);
    const historyStart = start - (settings.historyDays - 1) * DAY_MS;
    const [stats, events] = await Promise.all([
        deps.inputs.hourly(dayOf(historyStart), day),
        deps.inputs.events(),
    ]);
    throwIfStopped(deps.signal, `maintenance scoring of ${day}`);
    const histories = equipmentHistories(stats, events, historyStart);
    const risks = rankEquipment(histories, start, deps.model, settings.alertProbability);
    const end = start + DAY_MS;
    const rows: Record<string, unknown>[] = [];
    const candidates: Alert[] = [];
    for (const r of risks) {
        const episode = episodeStart(events, r.mmsi, r.equipmentId, end);
        rows.push(healthRow(r, day, episode, deps.model, now, settings.alertProbability));
        if (r.probability >= settings.alertProbability)
            candidates.push(riskAlert(r, episode, start, deps.model, settings.alertProbability, now));
    }
    throwIfStopped(deps.signal, `maintenance scoring of ${day}`);
    await writeGoldTable(
        deps.lake,
        deps.gold,
        EQUIPMENT_HEALTH_SPEC,
        day,
        { index: 0, count: 1 },
        rows,
        runId,
    );
    const raised = candidates.length > 0 ? await newAlerts(deps.alerts, candidates) : [];
    if (raised.length > 0) {
        await deps.alerts.save(raised);
        await deps.publisher.publish(raised);
    }
    return { day, equipment: rows.length, atRisk: candidates.length, alertsRaised: raised.length };
}

/** One fire of the timer: the due days (oldest first, at most `maxWindows`), each claimed on the run ledger. */
export async function runMaintenanceTimer(
    deps: MaintenanceScoreDeps,
    settings: MaintenanceScoreSettings,
    owner: string,
): Promise<MaintenanceDaySummary[]> {
    const now = deps.clock.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const watermarks = new Map<string, number>();
    for (let d = today - settings.catchUpDays * DAY_MS; d <= today; d += DAY_MS) {
        if (deps.signal?.aborted === true) {
            deps.logger.warn('maintenance timer stopped before it claimed a day');
            return [];
        }
        const wm = await deps.inputs.watermark(dayOf(d));
        if (wm !== undefined) watermarks.set(dayOf(d), wm);
    }
    const isStale = (run: { window: string; inputWatermark?: number }): boolean =>
        (run.inputWatermark ?? 0) < (watermarks.get(run.window) ?? 0);
    const due = await dueWindows(
        deps.runs,
        MAINTENANCE_JOB,
        [...watermarks.keys()],
        now,
        settings.maxWindows,
        isStale,
    );
    const out: MaintenanceDaySummary[] = [];
    for (const day of due) {
        if (deps.signal?.aborted === true) break;
        const claim = await claimRun(deps.runs, {
            job: MAINTENANCE_JOB,
            window: day,
            owner,
            now,
            leaseMs: settings.leaseMs,
            isStale,
        });
        if (claim.outcome !== 'claimed') {
            out.push({ day, outcome: claim.outcome, equipment: 0, atRisk: 0, alertsRaised: 0 });
            continue;
        }
        try {
            throwIfStopped(deps.signal, `maintenance scoring of ${day}`);
            // One lineage run per scored day: the gold sensor_hourly days of the history and the maintenance log in;
            // equipment_health (its rows carry the run id) and the warnings out.
            const historyFrom = dayOf(dayStart(day) - (settings.historyDays - 1) * DAY_MS);
            const s = await withRunLineage(
                deps,
                { job: MAINTENANCE_JOB, key: `${day}#${claim.run.attempts}`, window: day },
                (runId) => scoreMaintenanceDay(day, deps, settings, runId),
                (r, names) => ({
                    inputs: [
                        ...daysBetween(historyFrom, day).map((d) =>
                            names.lake('gold', `sensor_hourly/date=${d}/`),
                        ),
                        names.lake('silver', 'maintenance_events/'),
                    ],
                    outputs: [
                        names.lake(
                            'gold',
                            goldPartPath(EQUIPMENT_HEALTH_TABLE, day, { index: 0, count: 1 }),
                            r.equipment,
                        ),
                        names.cosmos('gold', r.equipment),
                        names.cosmos('alerts', r.alertsRaised),
                    ],
                    counts: { equipment: r.equipment, atRisk: r.atRisk, alertsRaised: r.alertsRaised },
                }),
            );
            const wm = watermarks.get(day) as number;
            await finishRun(deps.runs, claim.run, {
                now: deps.clock.now(),
                inputWatermark: wm,
                result: { ...s },
            });
            out.push({ ...s, outcome: 'scored' });
            deps.logger.info('maintenance day scored', { ...s });
            deps.metrics.track('maintenance.atRisk', s.atRisk, { day });
        } catch (error) {
            if (isStopped(error, deps.signal)) {
                out.push(await stopDay(deps, claim.run, day, error));
                break;
            }
            await failRun(
                deps.runs,
                claim.run,
                deps.clock.now(),
                error instanceof Error ? error.message : String(error),
            );
            throw error;
        }
    }
    return out;
}

/**
 * A scoring cut short by the host's stop: logged as stopped (not failed), the run left as after a crash with its
 * lease handed back so the next fire scores the day. Never throws (the services may be stopping).
 */
async function stopDay(
    deps: MaintenanceScoreDeps,
    run: StoredJobRun,
    day: string,
    error?: unknown,
): Promise<MaintenanceDaySummary> {
    await handBackStoppedRun(deps, run, {
        job: MAINTENANCE_JOB,
        window: day,
        stopped: "stopped by the host's stop (not failed); the next run scores the day",
        signal: deps.signal,
        error,
    });
    return { day, outcome: 'stopped', equipment: 0, atRisk: 0, alertsRaised: 0 };
}
