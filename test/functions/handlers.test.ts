import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getAlerts } from '../../functions/getAlerts.js';
import { getHealth } from '../../functions/getHealth.js';
import { getVessel } from '../../functions/getVessel.js';
import { getVessels } from '../../functions/getVessels.js';
import { getVesselSensors } from '../../functions/getVesselSensors.js';
import { getVesselTrack } from '../../functions/getVesselTrack.js';
import { ingestAis, ingestAisDefinition } from '../../functions/ingestAis.js';
import { ingestSensorReadings } from '../../functions/ingestSensorReadings.js';
import { setRuntime } from '../../functions/runtime.js';
import { watchCollisions } from '../../functions/watchCollisions.js';
import { resetConfig } from '../../shared/config/loadConfig.js';
import { InMemoryAlertStore } from '../fakes/InMemoryAlertStore.js';
import { InMemoryLake } from '../fakes/InMemoryLake.js';
import { InMemorySensorStateStore } from '../fakes/InMemorySensorStateStore.js';
import { InMemoryVesselStore } from '../fakes/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../fakes/RecordingAlertPublisher.js';

const NOW = Date.now();
const lake = new InMemoryLake();
const vessels = new InMemoryVesselStore();
const sensors = new InMemorySensorStateStore();
const alerts = new InMemoryAlertStore();
const publisher = new RecordingAlertPublisher();
const logs: string[] = [];

function context(functionName: string, triggerMetadata?: Record<string, unknown>): InvocationContext {
    return new InvocationContext({ functionName, triggerMetadata, logHandler: (level, ...args) => logs.push(`${level} ${args.join(' ')}`) });
}

function get(url: string, params: Record<string, string> = {}): HttpRequest {
    return new HttpRequest({ method: 'GET', url: `http://localhost/api/${url}`, params });
}

beforeAll(async () => {
    // The handlers read their settings once (loadConfig); give them a local configuration and in-memory adapters.
    Object.assign(process.env, { LAKE_CONNECTION_STRING: 'UseDevelopmentStorage=true', COSMOS_ENDPOINT: 'https://127.0.0.1:1/', COSMOS_KEY: 'a2V5' });
    resetConfig();
    setRuntime({ lake, vessels, sensors, alerts, publisher, clock: { now: () => NOW }, metrics: { track: () => undefined } });
    // Arrange: one batch through the Event Hub handler, as the host binds it
    const t = new Date(NOW - 60_000).toISOString();
    const bodies = [
        '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A',
        { type: 'position', mmsi: 366123456, timestamp: t, lat: 37.8, lon: -122.4, sog: 10, cog: 90 },
        { type: 'static', mmsi: 366123456, timestamp: t, name: 'GOLDEN GATE', shipType: 70 },
        'not ais at all',
    ];
    const summary = await ingestAis(
        bodies,
        context('ingestAis', {
            partitionContext: { partitionId: '1' },
            sequenceNumberArray: [5, 6, 7, 8],
            enqueuedTimeUtcArray: bodies.map(() => new Date(NOW - 1000).toISOString().replace('Z', '')),
        }),
    );
    expect(summary).toMatchObject({ received: 4, accepted: 3, quarantined: 1, duplicates: 0, batchId: '1-5-8' });
});

afterAll(() => {
    setRuntime(undefined);
    resetConfig();
});

describe('ingestAis registration', () => {
    it('binds string bodies in batches, with a bounded retry policy and the consumer group from a setting', () => {
        expect(ingestAisDefinition.options).toMatchObject({
            cardinality: 'many',
            dataType: 'string',
            eventHubName: '%AIS_EVENTHUB_NAME%',
            consumerGroup: '%AIS_CONSUMER_GROUP%',
            connection: 'EventHubConnection',
            retry: { strategy: 'exponentialBackoff', maxRetryCount: 5 },
        });
    });

    it('logs one structured summary line through the invocation context', () => {
        expect(logs.filter((l) => l.includes('ais batch processed'))).toHaveLength(1);
    });
});

describe('HTTP handlers', () => {
    it('GET /api/vessels lists vessels with filters', async () => {
        const res = await getVessels(new HttpRequest({ method: 'GET', url: 'http://localhost/api/vessels?bbox=-123,37,-122,38&category=cargo' }), context('getVessels'));
        expect(res.status).toBe(200);
        const body = res.jsonBody as { items: { mmsi: number }[] };
        expect(body.items.map((v) => v.mmsi)).toEqual([366123456]);
    });

    it('GET /api/vessels answers 400 with a clear message for a bad parameter', async () => {
        const res = await getVessels(new HttpRequest({ method: 'GET', url: 'http://localhost/api/vessels?bbox=1,2,3' }), context('getVessels'));
        expect(res.status).toBe(400);
        expect(res.jsonBody).toMatchObject({ error: 'bad_request', message: expect.stringContaining("'bbox'") });
    });

    it('GET /api/vessels/{mmsi} gives the latest state with static data, 404 when unknown', async () => {
        const ok = await getVessel(get('vessels/366123456', { mmsi: '366123456' }), context('getVessel'));
        expect(ok.status).toBe(200);
        expect(ok.jsonBody).toMatchObject({ mmsi: 366123456, flag: 'US', position: { lat: 37.8 }, static: { name: 'GOLDEN GATE' } });
        const missing = await getVessel(get('vessels/123456789', { mmsi: '123456789' }), context('getVessel'));
        expect(missing.status).toBe(404);
        const bad = await getVessel(get('vessels/abc', { mmsi: 'abc' }), context('getVessel'));
        expect(bad.status).toBe(400);
    });

    it('GET /api/vessels/{mmsi}/track returns the points in the window', async () => {
        const res = await getVesselTrack(
            new HttpRequest({ method: 'GET', url: `http://localhost/api/vessels/366123456/track?from=${NOW - 3_600_000}&to=${NOW}`, params: { mmsi: '366123456' } }),
            context('getVesselTrack'),
        );
        expect(res.status).toBe(200);
        expect((res.jsonBody as { points: unknown[] }).points).toHaveLength(1);
    });

    it('GET /api/health reports per-layer freshness and counts', async () => {
        const res = await getHealth(get('health'), context('getHealth'));
        expect(res.status).toBe(200);
        expect(res.jsonBody).toMatchObject({ status: 'ok', vessels: { count: 2 }, layers: { bronze: { blobsLast2Days: 1 }, quarantine: { blobsLast2Days: 1 } } });
    });
});

describe('sensor and alert handlers', () => {
    it('ingests sensor readings, raises a threshold alert once even when the batch is delivered twice', async () => {
        const t = new Date(NOW - 30_000).toISOString();
        const bodies = [
            { mmsi: 366123456, sensorId: 'me-exh-1', quantity: 'exhaust_temperature', value: 520, unit: 'degC', timestamp: t },
            { mmsi: 366123456, sensorId: 'sea-t', quantity: 'sea_temperature', value: 290, unit: 'K', timestamp: t },
            { mmsi: 366123456, sensorId: 'x', quantity: 'warp_factor', value: 9, unit: 'c', timestamp: t },
        ];
        const meta = {
            partitionContext: { partitionId: '0' },
            sequenceNumberArray: [1, 2, 3],
            enqueuedTimeUtcArray: bodies.map(() => new Date(NOW - 1000).toISOString().replace('Z', '')),
        };
        const first = await ingestSensorReadings(bodies, context('ingestSensorReadings', meta));
        const second = await ingestSensorReadings(bodies, context('ingestSensorReadings', meta));
        expect(first).toMatchObject({ received: 3, accepted: 2, quarantined: 1, duplicates: 0, quarantinedByReason: { SENSOR_UNKNOWN_QUANTITY: 1 } });
        expect(second).toMatchObject({ received: 3, accepted: 2, quarantined: 1 });
        const stored = alerts.all().filter((a) => a.kind === 'sensor-threshold');
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({ severity: 'critical', mmsi: 366123456, details: { quantity: 'exhaust_temperature', value: 520 } });
        // the position came from the vessel's state (ingested above), with the time offset recorded
        expect(stored[0]?.position?.lat).toBeCloseTo(37.8, 5);
    });

    it('GET /api/alerts filters and validates', async () => {
        const ok = await getAlerts(new HttpRequest({ method: 'GET', url: 'http://localhost/api/alerts?kind=sensor-threshold&mmsi=366123456' }), context('getAlerts'));
        expect(ok.status).toBe(200);
        expect((ok.jsonBody as { items: unknown[] }).items).toHaveLength(1);
        const bad = await getAlerts(new HttpRequest({ method: 'GET', url: 'http://localhost/api/alerts?severity=apocalyptic' }), context('getAlerts'));
        expect(bad.status).toBe(400);
        expect(bad.jsonBody).toMatchObject({ message: expect.stringContaining("'severity'") });
    });

    it('GET /api/vessels/{mmsi}/sensors gives the latest readings in canonical units', async () => {
        const res = await getVesselSensors(get('vessels/366123456/sensors', { mmsi: '366123456' }), context('getVesselSensors'));
        expect(res.status).toBe(200);
        const body = res.jsonBody as { sensors: { sensorId: string; unit: string; latest: { value: number } }[] };
        expect(body.sensors.map((x) => x.sensorId)).toEqual(['me-exh-1', 'sea-t']);
        expect(body.sensors[1]).toMatchObject({ unit: 'degC', latest: { value: expect.closeTo(16.85, 5) } });
    });

    it('watchCollisions raises one alert per pair at risk, and the same one when the timer fires twice', async () => {
        // Two vessels 2 NM apart on reciprocal courses: CPA 0, TCPA 6 minutes.
        const t = new Date(NOW - 5000).toISOString();
        const pos = (mmsi: number, lat: number, cog: number): string => JSON.stringify({ type: 'position', mmsi, timestamp: t, lat, lon: 5, sog: 10, cog });
        await ingestAis([pos(244000001, 53.0, 0), pos(244000002, 53.0 + 2 / 60, 180)], context('ingestAis', { partitionContext: { partitionId: '2' }, sequenceNumberArray: [1, 2] }));
        const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
        const run1 = await watchCollisions(timer, context('watchCollisions'));
        await watchCollisions(timer, context('watchCollisions'));
        expect(run1.risks).toBe(1);
        const risks = alerts.all().filter((a) => a.kind === 'collision-risk');
        expect(risks).toHaveLength(1);
        expect(risks[0]).toMatchObject({ vessels: [244000001, 244000002], severity: 'critical' });
    });

    it('ingestAis raises a zone-entry alert (saved and published) when a vessel sails into an ECA', async () => {
        const pos = (t: number, lon: number): string =>
            JSON.stringify({ type: 'position', mmsi: 235000009, timestamp: new Date(t).toISOString(), lat: 54, lon, sog: 12, cog: 90 });
        const summary = await ingestAis([pos(NOW - 120_000, -3.5), pos(NOW - 60_000, 2)], context('ingestAis', { partitionContext: { partitionId: '3' }, sequenceNumberArray: [1, 2] }));
        expect(summary.zoneEvents).toBe(1);
        const entries = alerts.all().filter((a) => a.mmsi === 235000009);
        expect(entries).toMatchObject([{ kind: 'zone-entry', details: { zone: 'eca-north-sea' } }]);
        expect(publisher.published.some((a) => a.id === entries[0]?.id)).toBe(true);
    });
});
