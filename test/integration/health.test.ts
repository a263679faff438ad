/**
 * `/api/health`'s monitor (shared/app/health.ts) against the real services: a Cosmos-protocol server of its own that
 * the test stops and starts again, and Azurite (a lake whose endpoint is a closed port stands for a dead Azurite).
 * A dead dependency shows as unavailable in the next probe, bounded by the timeout however the SDK retries, and a
 * recovered one as available again; the route's answers between probes come from the cache.
 */
import { createServer } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type CosmosServer, startCosmosServer } from '../../local/cosmosServer.js';
import { ensureCosmosResources } from '../../local/cosmosSetup.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, LOCAL_COSMOS_KEY } from '../../local/services.js';
import { BlobLake } from '../../shared/adapters/BlobLake.js';
import {
    createBlobServiceClient,
    createCosmosClient,
    createLakeContainers,
} from '../../shared/adapters/clients.js';
import { CosmosVesselStore } from '../../shared/adapters/CosmosVesselStore.js';
import { HealthMonitor } from '../../shared/app/health.js';
import { WatermarkWriter } from '../../shared/app/watermarks.js';
import { createTestLake, type TestLake } from '../helpers/localServices.js';

const SETTINGS = { refreshMs: 5_000, maxAgeMs: 30_000, timeoutMs: 1_000 };
const summary = {
    batchId: '0-1-2',
    partitionId: '0',
    received: 2,
    accepted: 2,
    quarantined: 0,
    duplicates: 0,
    skipped: 0,
    quarantinedByReason: {},
};

let lake: TestLake;
let server: CosmosServer | undefined;

beforeAll(async () => {
    lake = await createTestLake('health');
    await new WatermarkWriter(lake.lake).mark('ais', summary, Date.now());
});

afterAll(async () => {
    await server?.stop();
    await lake.dispose();
});

/** A TCP port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    return port;
}

describe('HealthMonitor against the local services', () => {
    it('shows a stopped Cosmos-protocol server as unavailable in the next probe, and its return', async () => {
        server = await startCosmosServer(0);
        const port = server.port;
        const client = createCosmosClient({
            endpoint: `https://127.0.0.1:${port}/`,
            key: LOCAL_COSMOS_KEY,
            database: 'health',
        });
        try {
            const db = await ensureCosmosResources(client, 'health');
            let t = Date.now();
            const monitor = new HealthMonitor(
                {
                    lake: lake.lake,
                    vessels: new CosmosVesselStore(db.container('vessels'), { trackTtlDays: 30 }),
                    now: () => t,
                },
                SETTINGS,
            );
            const up = await monitor.report();
            expect(up).toMatchObject({
                status: 'ok',
                dependencies: { storage: { status: 'ok' }, cosmos: { status: 'ok' } },
            });
            expect(up.layers.silver!.sources.ais).toBeDefined();

            await server.stop();
            server = undefined;
            t += 1_000;
            expect((await monitor.report()).status).toBe('ok'); // from the probe of 1 s ago: no new request
            expect(monitor.probes).toBe(1);
            t += SETTINGS.refreshMs; // a call now starts the background probe ...
            expect((await monitor.report()).status).toBe('ok');
            await monitor.idle(); // ... which settles within the timeout
            const down = await monitor.report();
            expect(down).toMatchObject({
                status: 'unavailable',
                dependencies: { storage: { status: 'ok' }, cosmos: { status: 'unavailable' } },
            });
            expect(down.dependencies.cosmos.error).toBeTruthy();

            server = await startCosmosServer(port);
            await ensureCosmosResources(client, 'health');
            t += SETTINGS.maxAgeMs; // a call after a quiet spell waits for a new probe
            // The SDK may still be retrying the ping it sent to the stopped server: probes wait on it until it settles.
            let back = await monitor.report();
            for (let i = 0; i < 20 && back.status !== 'ok'; i++) {
                await new Promise((resolve) => setTimeout(resolve, 500));
                t += SETTINGS.maxAgeMs;
                back = await monitor.report();
            }
            expect(back).toMatchObject({ status: 'ok', checkAgeMs: 0 });
        } finally {
            client.dispose();
        }
    });

    it('reports storage unavailable after the timeout when the blob endpoint does not answer, while the SDK still retries', async () => {
        const port = await closedPort();
        const service = createBlobServiceClient({
            connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
        });
        const dead = new BlobLake(createLakeContainers(service));
        const requests: Promise<unknown>[] = [];
        const counting = {
            list: (...args: Parameters<BlobLake['list']>) => {
                const request = dead.list(...args);
                requests.push(request.catch((error: unknown) => error));
                return request;
            },
        };
        let t = Date.now();
        const monitor = new HealthMonitor(
            { lake: counting, vessels: { ping: () => Promise.resolve() }, now: () => t },
            { ...SETTINGS, timeoutMs: 300 },
        );
        const first = await monitor.report();
        expect(first).toMatchObject({
            status: 'unavailable',
            layers: { bronze: { sources: {} } },
            dependencies: { storage: { status: 'unavailable' }, cosmos: { status: 'ok' } },
        });
        t += SETTINGS.maxAgeMs;
        const second = await monitor.report();
        expect(second.status).toBe('unavailable');
        // The SDK retries a refused connection with back-off for longer than the timeout: the second probe waited on
        // the first request instead of sending another.
        expect(requests).toHaveLength(1);
        const outcome = await requests[0]; // the SDK gives up after its retries (about 3.5 s)
        expect(String(outcome)).toMatch(/ECONNREFUSED/);
    });
});
