/**
 * `npm run bench:track-buckets`: what one ingest batch's vessel reads and writes cost as the current hour's track
 * buckets fill. At 500 AIS events/s from about 200 vessels (the simulator of `npm start`/`npm run soak`) each
 * vessel sends about one fix a second, so its bucket of the hour (one Cosmos document per vessel-hour, read and
 * rewritten whole by every batch that has its fixes, shared/adapters/CosmosVesselStore.ts) grows to ~3,600 points
 * by the end of the hour. For each bucket size it starts the local Cosmos-protocol server, loads `--vessels`
 * vessels with a state document and a current-hour bucket of that many points, then times what a batch does per
 * vessel through the real adapter: `getVessels` of the hour and the hour before, `planVesselWrite` with
 * `--new-points` new fixes, `write` (a transactional batch per vessel). Prints the median wall time and the
 * process CPU (this thread and the server's) of a batch, and the stored JSON. Figures only, never fails.
 *
 *   node dist/bench/trackBuckets.js [--vessels 200] [--points 0,900,1800,3600] [--new-points 5] [--rounds 3]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { startCosmosServer } from '../local/cosmosServer.js';
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { LOCAL_COSMOS_KEY } from '../local/services.js';
import { createCosmosClient } from '../shared/adapters/clients.js';
import { CosmosVesselStore, trackBucketId } from '../shared/adapters/CosmosVesselStore.js';
import { planVesselWrite } from '../shared/domain/vessel/fold.js';
import { type TrackPoint, type VesselWrite } from '../shared/domain/vessel/state.js';

const { values } = parseArgs({
    options: {
        vessels: { type: 'string', default: '200' },
        points: { type: 'string', default: '0,900,1800,3600' },
        'new-points': { type: 'string', default: '5' },
        rounds: { type: 'string', default: '3' },
    },
});
const VESSELS = Number(values.vessels);
const NEW_POINTS = Number(values['new-points']);
const ROUNDS = Number(values.rounds);
const HOUR_MS = 3_600_000;
const HOUR = Date.UTC(2026, 11, 3, 22);
const DATABASE = 'buckets';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function measure(points: number): Promise<string> {
    const server = await startCosmosServer(0);
    const client = createCosmosClient({
        endpoint: `https://127.0.0.1:${server.port}/`,
        key: LOCAL_COSMOS_KEY,
        database: DATABASE,
    });
    try {
        const db = await ensureCosmosResources(client, DATABASE);
        const docs: Record<string, unknown>[] = [];
        const mmsis: number[] = [];
        for (let v = 0; v < VESSELS; v++) {
            const mmsi = 366_000_000 + v;
            mmsis.push(mmsi);
            docs.push({ id: 'state', docType: 'state', mmsi, lastSeen: HOUR, updatedAt: HOUR });
            const track: TrackPoint[] = Array.from({ length: points }, (_, p) => ({
                t: HOUR + p * 1000,
                lat: 40.123456789 + p / 1e5,
                lon: -70.98765432 + v / 1e3,
                sog: 12.3,
                cog: 91.5,
                heading: 90,
                e: 4_503_599_627_370_000 + p,
            }));
            docs.push({ id: trackBucketId(HOUR), docType: 'track', mmsi, hourStart: HOUR, points: track });
        }
        const storedMb = JSON.stringify(docs).length / 1_048_576;
        await server.load(DATABASE, { vessels: docs });
        const store = new CosmosVesselStore(db.container('vessels'), { trackTtlDays: 7 });
        const wall: number[] = [];
        const cpu: number[] = [];
        for (let round = 0; round <= ROUNDS; round++) {
            const c0 = process.cpuUsage();
            const w0 = performance.now();
            const stored = await store.getVessels(mmsis, [HOUR, HOUR - HOUR_MS]);
            const writes: VesselWrite[] = [];
            for (const mmsi of mmsis) {
                const vessel = stored.get(mmsi);
                const last = vessel?.buckets.get(HOUR)?.points.at(-1)?.t ?? HOUR;
                const fixes = Array.from({ length: NEW_POINTS }, (_, k) => ({
                    t: last + (k + 1) * 1000,
                    lat: 40,
                    lon: -70,
                }));
                const write = planVesselWrite(mmsi, vessel, fixes, undefined);
                if (write) writes.push(write);
            }
            await store.write(writes);
            const c = process.cpuUsage(c0);
            if (round === 0) continue; // warm-up: connections, compiled query
            wall.push(performance.now() - w0);
            cpu.push((c.user + c.system) / 1000);
        }
        return `${String(points).padStart(6)} | ${median(wall).toFixed(0).padStart(7)} | ${median(cpu).toFixed(0).padStart(6)} | ${storedMb.toFixed(1)}`;
    } finally {
        client.dispose();
        await server.stop();
    }
}

async function main(): Promise<void> {
    const sizes = values.points.split(',').map(Number);
    process.stdout.write(
        `track buckets: ${VESSELS} vessels, ${NEW_POINTS} new fixes each per batch, median of ${ROUNDS}, load ${loadavg()[0]!.toFixed(1)}\n` +
            'points per bucket | batch wall ms | batch CPU ms | stored JSON MB\n',
    );
    for (const points of sizes) process.stdout.write(`${await measure(points)}\n`);
    process.stdout.write(`(load ${loadavg()[0]!.toFixed(1)} at the end)\n`);
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
