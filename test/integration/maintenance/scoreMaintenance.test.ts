/**
 * The `scoreMaintenance` timer against Azurite (gold `sensor_hourly` in, gold `equipment_health` out) and the
 * Cosmos-protocol server (gold rows for the API, run ledger, alerts), with the shipped model: a constructed fleet
 * where one bearing's vibration climbs away from its baseline over the last days and everything else stays flat.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import modelFile from '../../../config/maintenance-model.json' with { type: 'json' };
import { getFleetMaintenance } from '../../../functions/getFleetMaintenance.js';
import { getVesselEquipment } from '../../../functions/getVesselEquipment.js';
import { createRuntime, type Runtime } from '../../../functions/runtime.js';
import { CosmosAlertStore } from '../../../shared/adapters/CosmosAlertStore.js';
import { CosmosGoldStore } from '../../../shared/adapters/CosmosGoldStore.js';
import { CosmosJobRunStore } from '../../../shared/adapters/CosmosJobRunStore.js';
import { LakeMaintenanceInputs } from '../../../shared/adapters/LakeMaintenanceInputs.js';
import { RecordingAlertPublisher } from '../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { SENSOR_HOURLY_COLUMNS } from '../../../shared/app/gold/tables/sensorHourly.js';
import { ingestMaintenanceBatch } from '../../../shared/app/ingestMaintenanceBatch.js';
import {
    EQUIPMENT_HEALTH_TABLE,
    type MaintenanceScoreDeps,
    type MaintenanceScoreSettings,
    runMaintenanceTimer,
} from '../../../shared/app/maintenance/scoreMaintenance.js';
import { checkModel } from '../../../shared/domain/maintenance/model.js';
import { RecordingLineageSink } from '../../fakes/RecordingLineageSink.js';
import {
    createTestDatabase,
    createTestLake,
    localConfig,
    type TestDatabase,
    type TestLake,
} from '../../helpers/localServices.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 1); // 30 days of history: 2026-11-01 .. 2026-11-30
const DAYS = 30;
const LAST = START + (DAYS - 1) * DAY;
const SICK = 219000001;
const HEALTHY = 219000002;
const model = checkModel(modelFile);

let lake: TestLake;
let db: TestDatabase;
let deps: MaintenanceScoreDeps;
let alerts: CosmosAlertStore;
let gold: CosmosGoldStore;
const publisher = new RecordingAlertPublisher();
let now = LAST + 20 * HOUR;
const settings: MaintenanceScoreSettings = {
    historyDays: 30,
    catchUpDays: 0,
    maxWindows: 3,
    leaseMs: 60_000,
    alertProbability: model.threshold,
};
const quiet = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};

/** Small deterministic wobble in [-1, 1]. */
const wobble = (i: number): number => Math.sin(i * 1.7) * 0.6 + Math.sin(i * 0.37) * 0.4;

/** The hourly statistics of one day of both vessels, gold `sensor_hourly` shape. */
function dayRows(day: number): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    const date = new Date(day).toISOString().slice(0, 10);
    for (const mmsi of [SICK, HEALTHY]) {
        for (let h = 0; h < 24; h++) {
            const hour = day + h * HOUR;
            const i = (hour - START) / HOUR + mmsi;
            const daysIn = (hour - START) / DAY;
            // The sick bearing leaves its baseline 5 days before the end and climbs ever faster.
            const wear = mmsi === SICK && daysIn > DAYS - 5 ? Math.pow(daysIn - (DAYS - 5), 2) * 0.25 : 0;
            const series: [string, string, string, number, number][] = [
                ['SHAFT1-PWR', 'shaft_power', 'kW', 8000 + 150 * wobble(i), 40],
                [
                    'ME1-BRG-VIB',
                    'vibration_rms',
                    'mm/s',
                    2.2 + 0.06 * wobble(i + 3) + wear,
                    0.05 * (1 + wear),
                ],
                ['ME1-EXH-T1', 'exhaust_temperature', 'degC', 380 + 2 * wobble(i + 5), 1.5],
                ['FO-FLT-DP', 'filter_pressure_drop', 'hPa', 300 + 4 * wobble(i + 7), 3],
            ];
            for (const [sensorId, quantity, unit, mean, sd] of series) {
                rows.push({
                    date,
                    hour,
                    vessel_key: `mmsi:${mmsi}`,
                    mmsi,
                    imo: undefined,
                    sensor_id: sensorId,
                    quantity,
                    unit,
                    count: 60,
                    mean,
                    min: mean - 2 * sd,
                    max: mean + 2 * sd,
                    stddev: sd,
                    p95: mean + 1.6 * sd,
                    anomaly_count: 0,
                    partial: false,
                });
            }
        }
    }
    return rows;
}

async function writeDay(day: number): Promise<void> {
    const date = new Date(day).toISOString().slice(0, 10);
    await lake.lake.writeParquet('gold', `sensor_hourly/date=${date}/part-0-of-1.parquet`, {
        columns: SENSOR_HOURLY_COLUMNS,
        rows: dayRows(day),
    });
}

async function healthRows(date: string): Promise<Record<string, unknown>[]> {
    const bytes = await lake.lake.readBytes(
        'gold',
        `${EQUIPMENT_HEALTH_TABLE}/date=${date}/part-0-of-1.parquet`,
    );
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
}

const SERVICE_TIME = START + 2 * HOUR;

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('mscore'), createTestDatabase('mscore')]);
    const database = db.client.database(db.databaseId);
    alerts = new CosmosAlertStore(database.container('alerts'));
    gold = new CosmosGoldStore(database.container('gold'));
    deps = {
        inputs: new LakeMaintenanceInputs(lake.lake),
        lake: lake.lake,
        gold,
        runs: new CosmosJobRunStore(database.container('jobRuns')),
        alerts,
        publisher,
        model,
        clock: { now: () => now },
        logger: quiet,
        metrics: { track: () => undefined },
    };
    for (let d = START; d <= LAST; d += DAY) await writeDay(d);
    // The log: every equipment of both vessels serviced at the start (the episode the warning belongs to).
    const log = [SICK, HEALTHY].flatMap((mmsi) =>
        ['ME1-BRG', 'ME1-TC', 'FO-FILTER'].map((id) =>
            JSON.stringify({
                mmsi,
                equipmentId: id,
                time: new Date(SERVICE_TIME).toISOString(),
                kind: 'service',
            }),
        ),
    );
    const landed = await ingestMaintenanceBatch(
        log.map((body, i) => ({ body, meta: { partitionId: '0', sequenceNumber: i, enqueuedTime: now } })),
        { lake: lake.lake, clock: { now: () => now }, logger: quiet, metrics: { track: () => undefined } },
    );
    expect(landed.accepted).toBe(6);
}, 60_000);

afterAll(async () => {
    await Promise.all([lake.dispose(), db.dispose()]);
});

describe('scoreMaintenance on Azurite and the Cosmos-protocol server', () => {
    it('scores every equipment of the day, ranks the climbing bearing first and warns once for it', async () => {
        const [summary, ...more] = await runMaintenanceTimer(deps, settings, 'fire-1');

        expect(more).toEqual([]);
        expect(summary).toEqual({
            day: '2026-11-30',
            outcome: 'scored',
            equipment: 6,
            atRisk: 1,
            alertsRaised: 1,
        });
        const rows = await healthRows('2026-11-30');
        expect(rows).toHaveLength(6);
        const top = rows.reduce((a, b) => ((a.probability as number) >= (b.probability as number) ? a : b));
        expect(top).toMatchObject({
            mmsi: SICK,
            equipment_id: 'ME1-BRG',
            kind: 'bearing',
            at_risk: true,
            horizon_days: 7,
        });
        expect(top.probability as number).toBeGreaterThanOrEqual(model.threshold);
        expect(new Date(top.episode_start as Date).getTime()).toBe(SERVICE_TIME);
        const contributions = JSON.parse(top.contributions as string) as {
            feature: string;
            logOdds: number;
        }[];
        expect(contributions.length).toBeGreaterThan(0);
        expect(contributions.every((c) => c.logOdds > 0)).toBe(true);
        for (const r of rows) {
            expect(r.health).toBe(Math.round(100 * (1 - (r.probability as number))));
            if (r !== top) expect(r).toMatchObject({ at_risk: false });
        }

        const served = await gold.query({ table: EQUIPMENT_HEALTH_TABLE, mmsi: SICK, limit: 10 });
        expect(served.items.map((d) => d.equipment_id).sort()).toEqual(['FO-FILTER', 'ME1-BRG', 'ME1-TC']);

        const warnings = await alerts.query({ kind: 'maintenance-risk', limit: 10 });
        expect(warnings.items).toHaveLength(1);
        expect(warnings.items[0]).toMatchObject({
            id: `maintenance-risk:${SICK}:ME1-BRG:${SERVICE_TIME}`,
            severity: 'warning',
            mmsi: SICK,
            details: { equipmentId: 'ME1-BRG', horizonDays: 7, episodeStart: SERVICE_TIME },
        });
        expect(publisher.published.filter((a) => a.kind === 'maintenance-risk')).toHaveLength(1);
    });

    it('does the day once when the timer fires twice, and rescoring after new hourly data warns no second time', async () => {
        now += 10 * 60_000;
        expect(await runMaintenanceTimer(deps, settings, 'fire-2')).toEqual([]);

        // The hourly build runs again (today so far): the day is due again and rescored, same episode.
        await writeDay(LAST);
        now += 10 * 60_000;
        const sink = new RecordingLineageSink();
        const [again] = await runMaintenanceTimer(
            { ...deps, lineage: sink, lakeNamespace: 'azblob://lake' },
            settings,
            'fire-3',
        );
        expect(again).toMatchObject({ day: '2026-11-30', outcome: 'scored', atRisk: 1, alertsRaised: 0 });
        // Its lineage record: the sensor_hourly days of the history and the maintenance log in, equipment_health out;
        // every row written carries the record's run id.
        expect(sink.events).toHaveLength(1);
        const record = sink.events[0]!;
        expect(record).toMatchObject({
            eventType: 'COMPLETE',
            job: { name: 'scoreMaintenance' },
            run: {
                facets: {
                    maritime: expect.objectContaining({
                        window: '2026-11-30',
                        counts: { equipment: 6, atRisk: 1, alertsRaised: 0 },
                    }),
                },
            },
        });
        expect(record.inputs.map((i) => i.name)).toEqual(
            expect.arrayContaining(['gold/sensor_hourly/date=2026-11-30/', 'silver/maintenance_events/']),
        );
        expect(record.inputs).toHaveLength(settings.historyDays + 1);
        expect(record.outputs[0]).toMatchObject({
            name: `gold/${EQUIPMENT_HEALTH_TABLE}/date=2026-11-30/part-0-of-1.parquet`,
            outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 6 }) },
        });
        expect(new Set((await healthRows('2026-11-30')).map((r) => r['run_id']))).toEqual(
            new Set([record.run.runId]),
        );
        expect(publisher.published.filter((a) => a.kind === 'maintenance-risk')).toHaveLength(1);
        expect((await alerts.query({ kind: 'maintenance-risk', limit: 10 })).items).toHaveLength(1);
        expect(await healthRows('2026-11-30')).toHaveLength(6);
    });

    it('leaves days without sensor_hourly alone', async () => {
        now = LAST + DAY + HOUR; // the next day: no hourly build yet
        expect(await runMaintenanceTimer(deps, { ...settings, catchUpDays: 0 }, 'fire-4')).toEqual([]);
    });
});

describe('GET /api/vessels/{mmsi}/equipment and /api/fleet/maintenance', () => {
    let rt: Runtime;
    beforeAll(() => {
        rt = createRuntime(localConfig({ COSMOS_DATABASE: db.databaseId }), {
            adapters: {
                lake: lake.lake,
                gold,
                jobRuns: deps.runs,
                alerts,
                publisher,
                clock: { now: () => LAST + 20 * HOUR },
                metrics: { track: () => undefined },
            },
        });
    });

    const ctx = (): InvocationContext =>
        new InvocationContext({ functionName: 'http', logHandler: () => undefined });
    const get = (url: string, params: Record<string, string> = {}): HttpRequest =>
        new HttpRequest({ method: 'GET', url: `http://localhost/api/${url}`, params });

    it("serves a vessel's equipment on the latest scored day, riskiest first, with its contributions", async () => {
        const res = await getVesselEquipment(
            rt,
            get(`vessels/${SICK}/equipment`, { mmsi: String(SICK) }),
            ctx(),
        );
        expect(res.status).toBe(200);
        const body = res.jsonBody as {
            mmsi: number;
            day: string;
            items: {
                equipment_id: string;
                probability: number;
                health: number;
                at_risk: boolean;
                contributions: { feature: string }[];
            }[];
        };
        expect(body).toMatchObject({ mmsi: SICK, day: '2026-11-30' });
        expect(body.items.map((i) => i.equipment_id)[0]).toBe('ME1-BRG');
        expect(body.items).toHaveLength(3);
        expect(body.items[0]).toMatchObject({ at_risk: true });
        expect(body.items[0]?.contributions.length).toBeGreaterThan(0);
        for (let i = 1; i < body.items.length; i++)
            expect(body.items[i]!.probability).toBeLessThanOrEqual(body.items[i - 1]!.probability);
    });

    it('answers an unscored day with no items and a bad day with 400', async () => {
        const none = await getVesselEquipment(
            rt,
            get(`vessels/${HEALTHY}/equipment?day=2026-10-01`, { mmsi: String(HEALTHY) }),
            ctx(),
        );
        expect(none.jsonBody).toEqual({ mmsi: HEALTHY, day: '2026-10-01', items: [] });
        const bad = await getVesselEquipment(
            rt,
            get(`vessels/${HEALTHY}/equipment?day=yesterday`, { mmsi: String(HEALTHY) }),
            ctx(),
        );
        expect(bad.status).toBe(400);
    });

    it('ranks the fleet by risk and counts the equipment at risk', async () => {
        const res = await getFleetMaintenance(rt, get('fleet/maintenance?limit=2'), ctx());
        expect(res.status).toBe(200);
        const body = res.jsonBody as {
            day: string;
            equipment: number;
            atRisk: number;
            items: { mmsi: number; equipment_id: string }[];
        };
        expect(body).toMatchObject({ day: '2026-11-30', equipment: 6, atRisk: 1 });
        expect(body.items).toHaveLength(2);
        expect(body.items[0]).toMatchObject({ mmsi: SICK, equipment_id: 'ME1-BRG' });
        const onlyAtRisk = (await getFleetMaintenance(rt, get('fleet/maintenance?atRiskOnly=true'), ctx()))
            .jsonBody as { items: unknown[] };
        expect(onlyAtRisk.items).toHaveLength(1);
    });
});
