import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, it } from '@jest/globals';

import { bindFunctions } from '../../../functions/definitions.js';
import { FUNCTIONS } from '../../../functions/functionTable.js';
import { getAlerts } from '../../../functions/getAlerts.js';
import { getHealth, getHealthDefinition } from '../../../functions/getHealth.js';
import { getIngestRate } from '../../../functions/getIngestRate.js';
import { getVessel } from '../../../functions/getVessel.js';
import { getVessels } from '../../../functions/getVessels.js';
import { getVesselSensors } from '../../../functions/getVesselSensors.js';
import { getVesselTrack } from '../../../functions/getVesselTrack.js';
import { registrationOptions } from '../../../functions/http.js';
import { ingestAis, ingestAisDefinition } from '../../../functions/ingestAis.js';
import { ingestSensorReadings } from '../../../functions/ingestSensorReadings.js';
import { createRuntime } from '../../../functions/runtime.js';
import { watchCollisions } from '../../../functions/watchCollisions.js';
import { InMemoryAlertStore } from '../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryDeadLetterStore } from '../../../shared/adapters/memory/InMemoryDeadLetterStore.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { InMemorySensorStateStore } from '../../../shared/adapters/memory/InMemorySensorStateStore.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { loadConfig } from '../../../shared/config/loadConfig.js';
import { testTimer } from '../../helpers/timers.js';

const NOW = Date.now();
const lake = new InMemoryLake();
const vessels = new InMemoryVesselStore();
const sensors = new InMemorySensorStateStore();
const alerts = new InMemoryAlertStore();
const publisher = new RecordingAlertPublisher();
const deadLetters = new InMemoryDeadLetterStore();
const logs: string[] = [];
// A local configuration (never connected: every adapter the handlers use is an in-memory fake).
const config = loadConfig({
    LAKE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: 'https://127.0.0.1:1/',
    COSMOS_KEY: 'a2V5',
});
const adapters = {
    lake,
    vessels,
    sensors,
    alerts,
    publisher,
    deadLetters,
    clock: { now: () => NOW },
    metrics: { track: () => undefined },
};
const rt = createRuntime(config, { adapters });

function context(functionName: string, triggerMetadata?: Record<string, unknown>): InvocationContext {
    return new InvocationContext({
        functionName,
        triggerMetadata,
        logHandler: (level, ...args) => logs.push(`${level} ${args.join(' ')}`),
    });
}

function get(url: string, params: Record<string, string> = {}): HttpRequest {
    return new HttpRequest({ method: 'GET', url: `http://localhost/api/${url}`, params });
}

beforeAll(async () => {
    // Arrange: one batch through the Event Hub handler, as the host binds it
    const t = new Date(NOW - 60_000).toISOString();
    const bodies = [
        '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A',
        { type: 'position', mmsi: 366123456, timestamp: t, lat: 37.8, lon: -122.4, sog: 10, cog: 90 },
        { type: 'static', mmsi: 366123456, timestamp: t, name: 'GOLDEN GATE', shipType: 70 },
        'not ais at all',
    ];
    const summary = await ingestAis(
        rt,
        bodies,
        context('ingestAis', {
            partitionContext: { partitionId: '1' },
            sequenceNumberArray: [5, 6, 7, 8],
            enqueuedTimeUtcArray: bodies.map(() => new Date(NOW - 1000).toISOString().replace('Z', '')),
        }),
    );
    expect(summary).toMatchObject({
        received: 4,
        accepted: 3,
        quarantined: 1,
        duplicates: 0,
        batchId: '1-5-8',
    });
});

describe('ingestAis registration', () => {
    it('binds bodies as bytes in batches, with a bounded retry policy and the consumer group from a setting', () => {
        expect(ingestAisDefinition.options).toMatchObject({
            cardinality: 'many',
            dataType: 'binary',
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

describe('function table bound to a runtime', () => {
    it('registers every function with a handler that reaches the runtime, asked for at each invocation', async () => {
        let asked = 0;
        const registered = bindFunctions(FUNCTIONS, () => {
            asked++;
            return rt;
        });
        expect(registered.map((f) => f.name)).toEqual(FUNCTIONS.map((f) => f.name));
        expect(asked).toBe(0);
        const vessel = registered.find((f) => f.name === 'getVessel');
        if (vessel?.trigger !== 'http') throw new Error('getVessel is not an HTTP function');
        const res = await vessel.options.handler(
            get('vessels/366123456', { mmsi: '366123456' }),
            context('getVessel'),
        );
        expect(res).toMatchObject({ status: 200, jsonBody: { mmsi: 366123456 } });
        expect(asked).toBe(1);
    });
});

describe('HTTP handlers', () => {
    it('GET /api/vessels lists vessels with filters', async () => {
        const res = await getVessels(
            rt,
            new HttpRequest({
                method: 'GET',
                url: 'http://localhost/api/vessels?bbox=-123,37,-122,38&category=cargo',
            }),
            context('getVessels'),
        );
        expect(res.status).toBe(200);
        const body = res.jsonBody as { items: { mmsi: number }[] };
        expect(body.items.map((v) => v.mmsi)).toEqual([366123456]);
    });

    it('GET /api/vessels answers 400 with a clear message for a bad parameter', async () => {
        const res = await getVessels(
            rt,
            new HttpRequest({ method: 'GET', url: 'http://localhost/api/vessels?bbox=1,2,3' }),
            context('getVessels'),
        );
        expect(res.status).toBe(400);
        expect(res.jsonBody).toMatchObject({
            error: 'bad_request',
            message: expect.stringContaining("'bbox'"),
        });
    });

    it('GET /api/vessels/{mmsi} gives the latest state with static data, 404 when unknown', async () => {
        const ok = await getVessel(rt, get('vessels/366123456', { mmsi: '366123456' }), context('getVessel'));
        expect(ok.status).toBe(200);
        expect(ok.jsonBody).toMatchObject({
            mmsi: 366123456,
            flag: 'US',
            position: { lat: 37.8 },
            static: { name: 'GOLDEN GATE' },
        });
        const missing = await getVessel(
            rt,
            get('vessels/123456789', { mmsi: '123456789' }),
            context('getVessel'),
        );
        expect(missing.status).toBe(404);
        const bad = await getVessel(rt, get('vessels/abc', { mmsi: 'abc' }), context('getVessel'));
        expect(bad.status).toBe(400);
    });

    it('GET /api/vessels/{mmsi}/track returns the points in the window', async () => {
        const res = await getVesselTrack(
            rt,
            new HttpRequest({
                method: 'GET',
                url: `http://localhost/api/vessels/366123456/track?from=${NOW - 3_600_000}&to=${NOW}`,
                params: { mmsi: '366123456' },
            }),
            context('getVesselTrack'),
        );
        expect(res.status).toBe(200);
        expect((res.jsonBody as { points: unknown[] }).points).toHaveLength(1);
    });

    it('GET /api/health reports per-layer freshness from the watermarks the ingest wrote, and the dependencies', async () => {
        const res = await getHealth(rt, get('health'), context('getHealth'));
        expect(res.status).toBe(200);
        expect(res.jsonBody).toMatchObject({
            status: 'ok',
            layers: {
                bronze: { sources: { ais: {} } },
                silver: { sources: { ais: {} } },
                quarantine: { sources: { ais: {} } },
            },
            dependencies: { storage: { status: 'ok' }, cosmos: { status: 'ok' } },
        });
        expect(getHealthDefinition.options).toMatchObject({
            authLevel: 'anonymous',
            methods: ['GET'],
            route: 'health',
        });
    });

    it('GET /api/health?x=1 (a probe adding its own query) is answered as /api/health, while a data route answers 400', async () => {
        // As both hosts register them (functions/http.ts registrationOptions over the bound table).
        const registered = bindFunctions(FUNCTIONS, rt);
        const route = (name: string) => {
            const f = registered.find((r) => r.name === name);
            if (f?.trigger !== 'http') throw new Error(`${name} is not an HTTP function`);
            return registrationOptions(f);
        };
        const probe = (await route('getHealth').handler(
            get('health?x=1&probe=lb'),
            context('getHealth'),
        )) as HttpResponseInit;
        expect(probe.status).toBe(200);
        expect(probe.jsonBody).toMatchObject({ status: 'ok', checkAgeMs: expect.any(Number) });
        const data = (await route('getVessels').handler(
            get('vessels?x=1'),
            context('getVessels'),
        )) as HttpResponseInit;
        expect(data.status).toBe(400);
    });

    it('GET /api/ingest/rate counts the events of the last minute from the bronze blob names', async () => {
        const res = await getIngestRate(rt, get('ingest/rate'), context('getIngestRate'));
        expect(res.status).toBe(200);
        // The one AIS batch of the last minute holds sequence numbers 5..8: four events.
        expect(res.jsonBody).toMatchObject({
            windowSeconds: 60,
            sources: { ais: { events: 4, eventsPerSecond: 0.1 }, sensors: { events: 0 } },
        });
    });

    it('GET /api/health answers 503 from the last probe of the runtime once it found a dependency not answering', async () => {
        vessels.pingError = new Error('connect ECONNREFUSED');
        try {
            await rt.health.probe(); // the background refresh (every 5 s while called)
            const res = await getHealth(rt, get('health'), context('getHealth'));
            expect(res.status).toBe(503);
            expect(res.jsonBody).toMatchObject({
                status: 'unavailable',
                dependencies: { cosmos: { status: 'unavailable', error: 'connect ECONNREFUSED' } },
            });
        } finally {
            vessels.pingError = undefined;
        }
    });
});

describe('sensor and alert handlers', () => {
    it('ingests sensor readings, raises a threshold alert once even when the batch is delivered twice', async () => {
        const t = new Date(NOW - 30_000).toISOString();
        const bodies = [
            {
                mmsi: 366123456,
                sensorId: 'me-exh-1',
                quantity: 'exhaust_temperature',
                value: 520,
                unit: 'degC',
                timestamp: t,
            },
            {
                mmsi: 366123456,
                sensorId: 'sea-t',
                quantity: 'sea_temperature',
                value: 290,
                unit: 'K',
                timestamp: t,
            },
            { mmsi: 366123456, sensorId: 'x', quantity: 'warp_factor', value: 9, unit: 'c', timestamp: t },
        ];
        const meta = {
            partitionContext: { partitionId: '0' },
            sequenceNumberArray: [1, 2, 3],
            enqueuedTimeUtcArray: bodies.map(() => new Date(NOW - 1000).toISOString().replace('Z', '')),
        };
        const first = await ingestSensorReadings(rt, bodies, context('ingestSensorReadings', meta));
        const second = await ingestSensorReadings(rt, bodies, context('ingestSensorReadings', meta));
        expect(first).toMatchObject({
            received: 3,
            accepted: 2,
            quarantined: 1,
            duplicates: 0,
            quarantinedByReason: { SENSOR_UNKNOWN_QUANTITY: 1 },
        });
        expect(second).toMatchObject({ received: 3, accepted: 2, quarantined: 1 });
        const stored = alerts.all().filter((a) => a.kind === 'sensor-threshold');
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({
            severity: 'critical',
            mmsi: 366123456,
            details: { quantity: 'exhaust_temperature', value: 520 },
        });
        // the position came from the vessel's state (ingested above), with the time offset recorded
        expect(stored[0]?.position?.lat).toBeCloseTo(37.8, 5);
    });

    it('GET /api/alerts filters and validates', async () => {
        const ok = await getAlerts(
            rt,
            new HttpRequest({
                method: 'GET',
                url: 'http://localhost/api/alerts?kind=sensor-threshold&mmsi=366123456',
            }),
            context('getAlerts'),
        );
        expect(ok.status).toBe(200);
        expect((ok.jsonBody as { items: unknown[] }).items).toHaveLength(1);
        const bad = await getAlerts(
            rt,
            new HttpRequest({ method: 'GET', url: 'http://localhost/api/alerts?severity=apocalyptic' }),
            context('getAlerts'),
        );
        expect(bad.status).toBe(400);
        expect(bad.jsonBody).toMatchObject({ message: expect.stringContaining("'severity'") });
    });

    it('GET /api/vessels/{mmsi}/sensors gives the latest readings in canonical units', async () => {
        const res = await getVesselSensors(
            rt,
            get('vessels/366123456/sensors', { mmsi: '366123456' }),
            context('getVesselSensors'),
        );
        expect(res.status).toBe(200);
        const body = res.jsonBody as {
            sensors: { sensorId: string; unit: string; latest: { value: number } }[];
        };
        expect(body.sensors.map((x) => x.sensorId)).toEqual(['me-exh-1', 'sea-t']);
        expect(body.sensors[1]).toMatchObject({ unit: 'degC', latest: { value: expect.closeTo(16.85, 5) } });
    });

    it('watchCollisions raises one alert per pair at risk, and the same one when the timer fires twice', async () => {
        // Two vessels 2 NM apart on reciprocal courses: CPA 0, TCPA 6 minutes.
        const t = new Date(NOW - 5000).toISOString();
        const pos = (mmsi: number, lat: number, cog: number): string =>
            JSON.stringify({ type: 'position', mmsi, timestamp: t, lat, lon: 5, sog: 10, cog });
        await ingestAis(
            rt,
            [pos(244000001, 53.0, 0), pos(244000002, 53.0 + 2 / 60, 180)],
            context('ingestAis', { partitionContext: { partitionId: '2' }, sequenceNumberArray: [1, 2] }),
        );
        const timer = testTimer();
        const run1 = await watchCollisions(rt, timer, context('watchCollisions'));
        await watchCollisions(rt, timer, context('watchCollisions'));
        expect(run1.risks).toBe(1);
        const risks = alerts.all().filter((a) => a.kind === 'collision-risk');
        expect(risks).toHaveLength(1);
        expect(risks[0]).toMatchObject({ vessels: [244000001, 244000002], severity: 'critical' });
    });

    it('ingestAis raises a zone-entry alert (saved and published) when a vessel sails into an ECA', async () => {
        const pos = (t: number, lon: number): string =>
            JSON.stringify({
                type: 'position',
                mmsi: 235000009,
                timestamp: new Date(t).toISOString(),
                lat: 54,
                lon,
                sog: 12,
                cog: 90,
            });
        const summary = await ingestAis(
            rt,
            [pos(NOW - 120_000, -3.5), pos(NOW - 60_000, 2)],
            context('ingestAis', { partitionContext: { partitionId: '3' }, sequenceNumberArray: [1, 2] }),
        );
        expect(summary.zoneEvents).toBe(1);
        const entries = alerts.all().filter((a) => a.mmsi === 235000009);
        expect(entries).toMatchObject([{ kind: 'zone-entry', details: { zone: 'eca-north-sea' } }]);
        expect(publisher.published.some((a) => a.id === entries[0]?.id)).toBe(true);
    });
});

describe('no silent skips (ingest handlers)', () => {
    const enqueued = (n: number): string[] =>
        Array.from({ length: n }, () => new Date(NOW - 1000).toISOString().replace('Z', ''));
    function ehContext(
        functionName: string,
        partitionId: string,
        seqs: number[],
        retryCount: number,
        maxRetryCount = 5,
    ): InvocationContext {
        return new InvocationContext({
            functionName,
            triggerMetadata: {
                partitionContext: { partitionId },
                sequenceNumberArray: seqs,
                enqueuedTimeUtcArray: enqueued(seqs.length),
            },
            retryContext: { retryCount, maxRetryCount },
            logHandler: (level, ...args) => logs.push(`${level} ${args.join(' ')}`),
        });
    }
    const body = (mmsi: number, lat: string): Buffer =>
        Buffer.from(
            `{"type":"position","mmsi":${mmsi},"timestamp":"${new Date(NOW - 50_000).toISOString()}","lat":${lat},"lon":1e1}`,
        );

    it('keeps every body byte for byte in bronze and quarantines empty and null bodies as EMPTY_BODY', async () => {
        const bodies = [
            body(244123456, '43.10'),
            Buffer.from(''),
            Buffer.from('null'),
            Buffer.from([0x21, 0xff, 0xfe]),
        ];
        const summary = await ingestAis(rt, bodies, ehContext('ingestAis', '3', [10, 11, 12, 13], 0));
        expect(summary).toMatchObject({
            received: 4,
            accepted: 1,
            skipped: 0,
            quarantinedByReason: { EMPTY_BODY: 2 },
        });
        expect(summary.received).toBe(
            summary.accepted + summary.quarantined + summary.duplicates + summary.skipped,
        );
        const bronze = (await lake.list('bronze', 'ais/')).find((b) => b.path.endsWith('/3-10-13.jsonl.gz'));
        const rows = (await lake.readJsonLinesGz('bronze', bronze!.path)) as {
            body: string;
            bodyBase64?: string;
        }[];
        expect(rows.map((r) => r.body).slice(0, 3)).toEqual([bodies[0]!.toString(), '', 'null']);
        expect(rows[0]!.body).toContain('"lat":43.10,"lon":1e1');
        expect(Buffer.from(rows[3]!.bodyBase64!, 'base64')).toEqual(bodies[3]);
        // The batch's record for dq_daily: the totals row, then one row per quarantine reason.
        const record = (await lake.list('silver', 'ingest_batches/')).find((b) =>
            b.path.endsWith('/ais-3-10-13.parquet'),
        );
        expect(lake.parquetTable('silver', record!.path)?.rows).toEqual([
            expect.objectContaining({
                source: 'ais',
                batch_id: '3-10-13',
                reason: null,
                events: 4,
                received: 4,
                accepted: 1,
                quarantined: 3,
                skipped: 0,
            }),
            expect.objectContaining({ reason: 'EMPTY_BODY', quarantined: 2, received: 0 }),
            expect.objectContaining({ reason: 'NMEA_CHECKSUM', quarantined: 1 }),
        ]);
    });

    it('rethrows before the last attempt, and dead-letters the whole batch on the last one, counted as skipped', async () => {
        const bodies = [body(244000001, '50.5'), body(244000002, '50.6'), Buffer.from('null')];
        const failing = { ...vessels, getVessels: () => Promise.reject(new Error('cosmos unavailable')) };
        const failingRt = createRuntime(config, {
            adapters: { ...adapters, vessels: failing as unknown as InMemoryVesselStore },
        });
        try {
            await expect(
                ingestAis(failingRt, bodies, ehContext('ingestAis', '2', [20, 21, 22], 4)),
            ).rejects.toThrow('cosmos unavailable');
            expect(deadLetters.all()).toHaveLength(0);
            const summary = await ingestAis(failingRt, bodies, ehContext('ingestAis', '2', [20, 21, 22], 5));
            expect(summary).toMatchObject({
                received: 3,
                accepted: 0,
                quarantined: 0,
                duplicates: 0,
                skipped: 3,
            });
            const [letter] = deadLetters.all();
            expect(letter).toMatchObject({
                functionName: 'ingestAis',
                source: 'ais',
                batchId: '2-20-22',
                attempts: 6,
                items: 3,
            });
            expect(letter!.error).toContain('cosmos unavailable');
            expect(letter!.events.map((e) => e.body)).toEqual(bodies.map((b) => b.toString()));
            expect(letter!.events.map((e) => e.meta.sequenceNumber)).toEqual([20, 21, 22]);
            const record = (await lake.list('silver', 'ingest_batches/')).find((b) =>
                b.path.endsWith('/ais-2-20-22.parquet'),
            );
            expect(lake.parquetTable('silver', record!.path)?.rows).toEqual([
                expect.objectContaining({ received: 3, accepted: 0, skipped: 3 }),
            ]);

            // A store that refuses the letter too: the invocation fails (the host logs it; the events stay in the hub).
            deadLetters.failWrites = new Error('disk full');
            await expect(
                ingestAis(failingRt, bodies, ehContext('ingestAis', '2', [20, 21, 22], 5)),
            ).rejects.toThrow('could not be dead-lettered');
        } finally {
            deadLetters.failWrites = undefined;
        }
    });

    it('dead-letters a sensor batch on its last attempt (no retry context: the first attempt is the last)', async () => {
        const before = deadLetters.all().length;
        const failingLake = {
            ...lake,
            list: lake.list.bind(lake),
            writeParquet: () => Promise.reject(new Error('storage down')),
            writeJsonLinesGz: () => Promise.reject(new Error('storage down')),
        };
        const failingRt = createRuntime(config, {
            adapters: { ...adapters, lake: failingLake as unknown as InMemoryLake },
        });
        const t = new Date(NOW - 30_000).toISOString();
        const bodies = [
            Buffer.from(
                `{"mmsi":366123456,"sensorId":"a","quantity":"sea_temperature","value":290,"unit":"K","timestamp":"${t}"}`,
            ),
            Buffer.from(''),
        ];
        const ctx = new InvocationContext({
            functionName: 'ingestSensorReadings',
            triggerMetadata: {
                partitionContext: { partitionId: '1' },
                sequenceNumberArray: [7, 8],
                enqueuedTimeUtcArray: enqueued(2),
            },
        });
        const summary = await ingestSensorReadings(failingRt, bodies, ctx);
        expect(summary).toMatchObject({ received: 2, skipped: 2, accepted: 0 });
        expect(deadLetters.all().length).toBe(before + 1);
        expect(deadLetters.all().at(-1)).toMatchObject({
            functionName: 'ingestSensorReadings',
            source: 'sensors',
            batchId: '1-7-8',
        });
    });
});
