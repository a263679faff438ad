/**
 * Sensor ingest against the real local services: Azurite (lake) and the Cosmos-protocol server (sensor state,
 * alerts, vessel state), through the production adapters.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { CosmosAlertStore } from '../../shared/adapters/CosmosAlertStore.js';
import { CosmosSensorStateStore } from '../../shared/adapters/CosmosSensorStateStore.js';
import { CosmosVesselStore } from '../../shared/adapters/CosmosVesselStore.js';
import { RecordingAlertPublisher } from '../../shared/adapters/memory/RecordingAlertPublisher.js';
import { ingestSensorBatch, type SensorIngestDeps } from '../../shared/app/ingestSensorBatch.js';
import type { ReceivedEvent } from '../../shared/app/ports.js';
import { sensorSeries } from '../helpers/factories.js';
import { sensorIngestFakes } from '../helpers/ingestFakes.js';
import {
    createTestDatabase,
    createTestLake,
    type TestDatabase,
    type TestLake,
} from '../helpers/localServices.js';

const NOW = Date.now();
let lake: TestLake;
let db: TestDatabase;
let deps: SensorIngestDeps;
let alerts: CosmosAlertStore;
const publisher = new RecordingAlertPublisher();

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('sensors'), createTestDatabase('sensors')]);
    const database = db.client.database(db.databaseId);
    alerts = new CosmosAlertStore(database.container('alerts'));
    deps = sensorIngestFakes({
        lake: lake.lake,
        sensors: new CosmosSensorStateStore(database.container('sensorState')),
        vessels: new CosmosVesselStore(db.vessels, { trackTtlDays: 30 }),
        alerts,
        publisher,
        clock: { now: () => NOW },
    });
});

afterAll(async () => {
    await Promise.all([lake.dispose(), db.dispose()]);
});

/** Engine temperature readings of one sensor, one per 10 s before `end`. */
function readings(values: number[], end: number): string[] {
    return sensorSeries(values, end, { position: { lat: 51.9, lon: 3.9 } });
}

function batch(bodies: string[], firstSequence: number): ReceivedEvent[] {
    return bodies.map((body, i) => ({
        body,
        meta: { partitionId: '1', sequenceNumber: firstSequence + i, enqueuedTime: NOW - 1000 },
    }));
}

describe('ingestSensorReadings against Azurite and the Cosmos-protocol server', () => {
    it('raises exactly one anomaly alert for a spike, even when the batch is delivered twice', async () => {
        // Arrange: 40 ordinary readings around 80 degC build the sensor's running statistics.
        const history = Array.from({ length: 40 }, (_, i) => 80 + Math.sin(i) * 0.8);
        const first = await ingestSensorBatch(batch(readings(history, NOW - 120_000), 1), deps);
        expect(first).toMatchObject({ received: 40, accepted: 40, alerts: 0 });

        // Act: a spike to 92 degC (under the 95 degC warning threshold: only the statistics can catch it), twice.
        const spike = batch(readings([80.2, 92], NOW - 60_000), 41);
        const once = await ingestSensorBatch(spike, deps);
        const twice = await ingestSensorBatch(spike, deps);

        // Assert
        expect(once).toMatchObject({ received: 2, accepted: 2, anomalyAlerts: 1 });
        expect(twice).toMatchObject({ received: 2, accepted: 2, anomalyAlerts: 0 });
        const stored = await alerts.query({ kind: 'sensor-anomaly', limit: 100 });
        expect(stored.items).toHaveLength(1);
        // |z| above twice the threshold: critical.
        expect(stored.items[0]).toMatchObject({
            mmsi: 244123456,
            severity: 'critical',
            details: { quantity: 'engine_temperature', value: 92 },
        });
        expect(Math.abs(stored.items[0]?.details.z as number)).toBeGreaterThan(6);
        expect(stored.items[0]?.position).toEqual({ lat: 51.9, lon: 3.9 });
        const state = (await deps.sensors.get(['mmsi:244123456|me-1|engine_temperature'])).get(
            'mmsi:244123456|me-1|engine_temperature',
        );
        expect(state?.stats.n).toBe(42);
        expect(state?.latest.value).toBe(92);
    });

    it('quarantines unknown units and out-of-range values, and puts readings in the zones they are in', async () => {
        const t = new Date(NOW - 5000).toISOString();
        const bodies = [
            JSON.stringify({
                mmsi: 244123456,
                sensorId: 'fuel',
                quantity: 'fuel_sulphur',
                value: 0.3,
                unit: '%',
                timestamp: t,
                position: { lat: 54.5, lon: 5.0 },
            }),
            JSON.stringify({
                mmsi: 244123456,
                sensorId: 'sea',
                quantity: 'sea_temperature',
                value: 15,
                unit: 'Celsius',
                timestamp: t,
            }),
            JSON.stringify({
                mmsi: 244123456,
                sensorId: 'hum',
                quantity: 'humidity',
                value: 140,
                unit: '%',
                timestamp: t,
            }),
        ];
        const s = await ingestSensorBatch(batch(bodies, 100), deps);
        expect(s).toMatchObject({
            received: 3,
            accepted: 1,
            quarantined: 2,
            quarantinedByReason: { SENSOR_UNKNOWN_UNIT: 1, SENSOR_OUT_OF_RANGE: 1 },
        });
        // 0.3 % sulphur is within the global 0.5 % cap but above the 0.1 % ECA cap: the North Sea is an ECA.
        const eca = await alerts.query({ kind: 'sensor-threshold', limit: 10 });
        expect(eca.items.map((a) => a.details.rule)).toEqual([expect.stringMatching(/eca/i)]);
        expect(eca.items[0]?.details.zone).toBe('ECA');
    });
});
