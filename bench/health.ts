/**
 * `npm run bench:health`: latency of GET /api/health's check against Azurite and the Cosmos-protocol server,
 * with an empty lake and with 10,000 bronze blobs (the old check listed every blob of two days; this one reads
 * only the watermarks). Prints figures and the ratio; never fails on speed (shared machines are noisy).
 */
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { startLocalServices } from '../local/services.js';
import { BlobLake } from '../shared/adapters/BlobLake.js';
import {
    createBlobServiceClient,
    createCosmosClient,
    createLakeContainers,
} from '../shared/adapters/clients.js';
import { CosmosVesselStore } from '../shared/adapters/CosmosVesselStore.js';
import { checkHealth } from '../shared/app/health.js';
import { WatermarkWriter } from '../shared/app/watermarks.js';

const CALLS = 50;
const BLOBS = Number(process.env.BENCH_HEALTH_BLOBS ?? 10_000);

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function measure(deps: Parameters<typeof checkHealth>[0]): Promise<{ p50: number; p95: number }> {
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        const h = await checkHealth(deps);
        times.push(performance.now() - t);
        if (h.status === 'unavailable')
            throw new Error(`health unavailable: ${JSON.stringify(h.dependencies)}`);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
    const services = await startLocalServices({ quiet: true });
    try {
        const containers = createLakeContainers(
            createBlobServiceClient({ connectionString: services.lakeConnectionString }),
        );
        await Promise.all(Object.values(containers).map((c) => c.createIfNotExists()));
        const lake = new BlobLake(containers);
        const cosmos = createCosmosClient({
            endpoint: services.cosmosEndpoint,
            key: services.cosmosKey,
            database: 'bench',
        });
        const database = await ensureCosmosResources(cosmos, 'bench');
        const vessels = new CosmosVesselStore(database.container('vessels'), { trackTtlDays: 30 });
        const deps = { lake, vessels, now: Date.now };
        const summary = {
            batchId: '0-0-0',
            partitionId: '0',
            received: 1,
            accepted: 1,
            quarantined: 1,
            duplicates: 0,
            skipped: 0,
            quarantinedByReason: {},
        };
        for (const p of ['0', '1', '2', '3'])
            await new WatermarkWriter(lake).mark('ais', { ...summary, partitionId: p }, Date.now());
        const small = await measure(deps);
        const day = new Date().toISOString().slice(0, 10);
        for (let i = 0; i < BLOBS; i += 200) {
            await Promise.all(
                Array.from({ length: Math.min(200, BLOBS - i) }, (_, k) =>
                    lake.writeJsonLinesGz('bronze', `ais/date=${day}/hour=00/0-${i + k}-${i + k}.jsonl.gz`, [
                        { body: '!AIVDM' },
                    ]),
                ),
            );
        }
        const large = await measure(deps);
        console.log(
            `health check (watermarks + Cosmos point read), ${CALLS} calls each; machine shared, figures indicative`,
        );
        console.log(
            `  lake with 0 data blobs:       p50 ${small.p50.toFixed(1)} ms, p95 ${small.p95.toFixed(1)} ms`,
        );
        console.log(
            `  lake with ${BLOBS.toLocaleString('en-US')} data blobs: p50 ${large.p50.toFixed(1)} ms, p95 ${large.p95.toFixed(1)} ms`,
        );
        console.log(
            `  ratio large/small p50: ${(large.p50 / small.p50).toFixed(2)} (1.0 = independent of lake size)`,
        );
        cosmos.dispose();
    } finally {
        await services.stop();
    }
}

await main();
