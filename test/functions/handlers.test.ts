import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getHealth } from '../../functions/getHealth.js';
import { getVessel } from '../../functions/getVessel.js';
import { getVessels } from '../../functions/getVessels.js';
import { getVesselTrack } from '../../functions/getVesselTrack.js';
import { ingestAis, ingestAisDefinition } from '../../functions/ingestAis.js';
import { setRuntime } from '../../functions/runtime.js';
import { resetConfig } from '../../shared/config/loadConfig.js';
import { InMemoryLake } from '../fakes/InMemoryLake.js';
import { InMemoryVesselStore } from '../fakes/InMemoryVesselStore.js';

const NOW = Date.now();
const lake = new InMemoryLake();
const vessels = new InMemoryVesselStore();
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
    setRuntime({ lake, vessels, clock: { now: () => NOW }, metrics: { track: () => undefined } });
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
