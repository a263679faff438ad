/**
 * The collision watch use case with the in-memory fakes: recent vessel states (paged), one alert per pair at risk
 * with a deterministic id, severity by how close and how soon, stale vessels left out, metrics.
 */
import { describe, expect, it } from '@jest/globals';

import { InMemoryAlertStore } from '../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { type CollisionDeps, watchCollisionRisks } from '../../../shared/app/watchCollisionRisks.js';
import { RecordingLineageSink } from '../../fakes/RecordingLineageSink.js';
import { RecordingLogger, RecordingMetrics } from '../../fakes/RecordingTelemetry.js';
import { NOW, offsetPosition, vesselState } from '../../helpers/factories.js';

const SETTINGS = { cpaNm: 0.5, tcpaMaxMin: 20, staleAfterMs: 10 * 60_000 };

function deps(): CollisionDeps & {
    vessels: InMemoryVesselStore;
    alerts: InMemoryAlertStore;
    publisher: RecordingAlertPublisher;
    logger: RecordingLogger;
    metrics: RecordingMetrics;
} {
    return {
        vessels: new InMemoryVesselStore(),
        alerts: new InMemoryAlertStore(),
        publisher: new RecordingAlertPublisher(),
        clock: { now: () => NOW },
        logger: new RecordingLogger(),
        metrics: new RecordingMetrics(),
        settings: SETTINGS,
    };
}

/** A vessel `eastNm`/`northNm` from (0, 0), its fix 30 s old unless `ageMs` says otherwise. */
function vessel(mmsi: number, eastNm: number, northNm: number, sog: number, cog: number, ageMs = 30_000) {
    return vesselState({ mmsi, time: NOW - ageMs, sog, cog, ...offsetPosition(eastNm, northNm) });
}

describe('watchCollisionRisks', () => {
    it('raises one critical alert for two vessels meeting head-on, and nothing for vessels on parallel courses', async () => {
        const d = deps();
        // Head-on, 4 NM apart at the fixes (3.8 NM now, closing at 24 kn): CPA 0 in 9.5 minutes.
        d.vessels.seed(vessel(211000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(211000002, 4, 0, 12, 270));
        // Side by side, 2 NM apart, same course and speed: never closer.
        d.vessels.seed(vessel(211000003, 0, 10, 12, 90));
        d.vessels.seed(vessel(211000004, 0, 12, 12, 90));

        const s = await watchCollisionRisks(d);

        expect(s).toMatchObject({ vessels: 4, eligible: 4, risks: 1 });
        const [alert] = d.alerts.all();
        expect(d.alerts.all()).toHaveLength(1);
        expect(alert).toMatchObject({
            kind: 'collision-risk',
            severity: 'critical',
            mmsi: 211000001,
            vessels: [211000001, 211000002],
            time: NOW,
        });
        expect(alert?.details.cpaNm as number).toBeLessThan(0.05);
        expect(alert?.details.tcpaMin as number).toBeCloseTo(9.5, 1);
        expect(alert?.position?.lat).toBeCloseTo(0, 3);
        expect(d.publisher.ids()).toEqual([alert?.id]);
    });

    it('a pair passing between half the CPA threshold and the threshold is a warning', async () => {
        const d = deps();
        d.vessels.seed(vessel(211000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(211000002, 4, 0.4, 12, 270));
        await watchCollisionRisks(d);
        expect(d.alerts.all()).toEqual([
            expect.objectContaining({
                severity: 'warning',
                details: expect.objectContaining({ cpaNm: expect.closeTo(0.4, 2) as unknown }),
            }),
        ]);
    });

    it('leaves out vessels whose last fix is older than staleAfterMs', async () => {
        const d = deps();
        d.vessels.seed(vessel(211000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(211000002, 4, 0, 12, 270, SETTINGS.staleAfterMs + 60_000));
        const s = await watchCollisionRisks(d);
        expect(s).toMatchObject({ vessels: 1, risks: 0 });
        expect(d.alerts.all()).toEqual([]);
        expect(d.publisher.calls).toBe(0);
    });

    it('a timer that fires twice updates the same alert instead of adding one', async () => {
        const d = deps();
        d.vessels.seed(vessel(211000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(211000002, 4, 0, 12, 270));
        await watchCollisionRisks(d);
        await watchCollisionRisks(d);
        expect(d.alerts.all()).toHaveLength(1);
        // Published twice with one id: consumers de-duplicate by id.
        expect(new Set(d.publisher.ids()).size).toBe(1);
    });

    it('reads every recent vessel through the paged query (more than one page)', async () => {
        const d = deps();
        // 1,200 moored vessels on a 0.5 NM grid far from the pair, then the pair: the pair is on the second page.
        for (let i = 0; i < 1200; i++)
            d.vessels.seed(vessel(200000000 + i, 100 + (i % 40) * 0.5, 100 + Math.floor(i / 40) * 0.5, 0, 0));
        d.vessels.seed(vessel(300000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(300000002, 4, 0, 12, 270));

        const s = await watchCollisionRisks(d);

        expect(s.vessels).toBe(1202);
        expect(d.alerts.all().map((a) => a.vessels)).toEqual([[300000001, 300000002]]);
    });

    it('logs the run and reports risks, vessels and duration as metrics', async () => {
        const d = deps();
        d.vessels.seed(vessel(211000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(211000002, 4, 0, 12, 270));
        await watchCollisionRisks(d);
        expect(d.logger.withMessage('collision watch run')).toEqual([
            expect.objectContaining({ props: expect.objectContaining({ risks: 1, eligible: 2 }) }),
        ]);
        expect(d.metrics.values('collisions.risks')).toEqual([1]);
        expect(d.metrics.values('collisions.vessels')).toEqual([2]);
        expect(d.metrics.values('collisions.durationMs')).toEqual([0]);
    });

    it('writes one lineage record per run: vessel states in, alerts out, the pair counts; a failing run records FAIL', async () => {
        const d = deps();
        const sink = new RecordingLineageSink();
        d.vessels.seed(vessel(211000001, 0, 0, 12, 90));
        d.vessels.seed(vessel(211000002, 4, 0, 12, 270));
        d.vessels.seed(vessel(211000003, 0, 30, 12, 90));
        await watchCollisionRisks({
            ...d,
            lineage: sink,
            cosmosNamespace: 'azurecosmos://acct/dbs/maritime',
        });

        expect(sink.events).toHaveLength(1);
        const e = sink.events[0]!;
        expect(e).toMatchObject({
            eventType: 'COMPLETE',
            job: { namespace: 'maritime', name: 'watchCollisions' },
        });
        expect(e.inputs).toEqual([
            {
                namespace: 'azurecosmos://acct/dbs/maritime',
                name: 'colls/vessels',
                inputFacets: { inputStatistics: expect.objectContaining({ rowCount: 3 }) },
            },
        ]);
        expect(e.outputs).toEqual([
            {
                namespace: 'azurecosmos://acct/dbs/maritime',
                name: 'colls/alerts',
                outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 1 }) },
            },
        ]);
        expect(e.run.facets['maritime']).toMatchObject({
            window: new Date(NOW).toISOString(),
            counts: { vessels: 3, eligible: 3, risks: 1 },
        });

        const broken = {
            ...d,
            vessels: {
                ...d.vessels,
                queryVessels: () => Promise.reject(new Error('cosmos down')),
            } as unknown as InMemoryVesselStore,
            lineage: sink,
        };
        await expect(watchCollisionRisks(broken)).rejects.toThrow('cosmos down');
        expect(sink.events[1]).toMatchObject({
            eventType: 'FAIL',
            run: { facets: { errorMessage: expect.objectContaining({ message: 'cosmos down' }) } },
        });
    });
});
