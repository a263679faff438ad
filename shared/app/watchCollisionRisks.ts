/**
 * Use case behind the `watchCollisions` timer: every vessel that reported recently, dead-reckoned to now,
 * CPA/TCPA for each nearby pair (grid index), an alert per pair at risk. Alert ids derive from the pair and the
 * 10-minute slot of the predicted closest approach, so a timer that fires twice, or the same encounter seen on
 * consecutive runs, updates one alert instead of adding new ones. Each run writes a lineage record (vessel states in,
 * alerts out, the pair counts), its run id from the run's start time.
 */
import { type Alert, alertId } from '../domain/alerts/alert.js';
import { scanCollisionRisks } from '../domain/collision/index.js';
import type { VesselFix } from '../domain/collision/watch.js';
import { type TimerLineageDeps, withRunLineage } from './lineage.js';
import type { AlertPublisher, AlertStore, Clock, Logger, Metrics, VesselStateStore } from './ports.js';

export interface CollisionSettings {
    cpaNm: number;
    tcpaMaxMin: number;
    /** Vessels whose last fix is older than this are left out, ms. */
    staleAfterMs: number;
}

export const COLLISION_JOB = 'watchCollisions';

export interface CollisionDeps extends Omit<TimerLineageDeps, 'clock' | 'logger'> {
    vessels: VesselStateStore;
    alerts: AlertStore;
    publisher: AlertPublisher;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    settings: CollisionSettings;
}

export interface CollisionRunSummary {
    vessels: number;
    eligible: number;
    pairsEvaluated: number;
    risks: number;
    durationMs: number;
}

const SLOT_MS = 10 * 60_000;
const PAGE = 1000;

/** Every vessel state updated since `since`, through the paged query (continuation tokens). */
async function recentFixes(store: VesselStateStore, since: number): Promise<VesselFix[]> {
    const fixes: VesselFix[] = [];
    let continuation: string | undefined;
    do {
        const page = await store.queryVessels({ updatedSince: since, limit: PAGE, continuation });
        for (const v of page.items) {
            const p = v.position;
            if (p)
                fixes.push({
                    mmsi: v.mmsi,
                    lat: p.lat,
                    lon: p.lon,
                    sog: p.sog,
                    cog: p.cog,
                    eventTime: p.eventTime,
                });
        }
        continuation = page.continuation;
    } while (continuation);
    return fixes;
}

export async function watchCollisionRisks(deps: CollisionDeps): Promise<CollisionRunSummary> {
    const at = new Date(deps.clock.now()).toISOString();
    return withRunLineage(
        deps,
        { job: COLLISION_JOB, key: at, window: at },
        () => watch(deps),
        (s, names) => ({
            inputs: [names.cosmos('vessels', s.vessels)],
            outputs: [names.cosmos('alerts', s.risks)],
            counts: {
                vessels: s.vessels,
                eligible: s.eligible,
                pairsEvaluated: s.pairsEvaluated,
                risks: s.risks,
            },
        }),
    );
}

async function watch(deps: CollisionDeps): Promise<CollisionRunSummary> {
    const now = deps.clock.now();
    const fixes = await recentFixes(deps.vessels, now - deps.settings.staleAfterMs);
    const { risks, stats } = scanCollisionRisks(fixes, {
        now,
        cpaNm: deps.settings.cpaNm,
        tcpaMaxMin: deps.settings.tcpaMaxMin,
        staleAfterMs: deps.settings.staleAfterMs,
    });
    const alerts: Alert[] = risks.map((r) => {
        const cpaTime = now + r.tcpaMin * 60_000;
        return {
            id: alertId('collision-risk', [r.mmsiA, r.mmsiB, Math.floor(cpaTime / SLOT_MS)]),
            kind: 'collision-risk',
            severity:
                r.cpaNm <= deps.settings.cpaNm / 2 && r.tcpaMin <= deps.settings.tcpaMaxMin / 2
                    ? 'critical'
                    : 'warning',
            mmsi: r.mmsiA,
            vessels: [r.mmsiA, r.mmsiB],
            time: now,
            position: { lat: (r.latA + r.latB) / 2, lon: (r.lonA + r.lonB) / 2 },
            details: {
                cpaNm: r.cpaNm,
                tcpaMin: r.tcpaMin,
                rangeNm: r.rangeNm,
                bearingDeg: r.bearingDeg,
                cpaTime,
                positions: [
                    { mmsi: r.mmsiA, lat: r.latA, lon: r.lonA },
                    { mmsi: r.mmsiB, lat: r.latB, lon: r.lonB },
                ],
            },
            ruleVersion: `cpa<=${deps.settings.cpaNm}nm,tcpa<=${deps.settings.tcpaMaxMin}min`,
            raisedAt: now,
        };
    });
    if (alerts.length > 0) {
        await deps.alerts.save(alerts);
        await deps.publisher.publish(alerts);
    }
    const summary: CollisionRunSummary = {
        vessels: stats.vessels,
        eligible: stats.eligible,
        pairsEvaluated: stats.pairsEvaluated,
        risks: stats.risks,
        durationMs: deps.clock.now() - now,
    };
    deps.logger.info('collision watch run', { ...summary });
    deps.metrics.track('collisions.risks', summary.risks);
    deps.metrics.track('collisions.vessels', summary.eligible);
    deps.metrics.track('collisions.durationMs', summary.durationMs);
    return summary;
}
