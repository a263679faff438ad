/**
 * `npm run bench:track-buckets`: what one ingest batch's vessel reads and writes cost at a given minute of the hour.
 * At 500 AIS events/s from about 200 vessels (the simulator of `npm start`/`npm run soak`) each vessel sends about
 * one fix a second. Its track is stored in 10-minute buckets (one Cosmos document per vessel and 10 minutes,
 * TRACK_BUCKET_MS, shared/adapters/CosmosVesselStore.ts): a live batch reads the state documents and the bucket of
 * its fixes' times, and rewrites that bucket; the older buckets of the hour are not read again. For each minute it
 * starts the local Cosmos-protocol server, loads `--vessels` vessels with a state document (position at the last
 * stored fix) and the buckets of the hour so far (one fix a second), then times through the real adapter and the
 * real domain code:
 *
 * - a live batch: `--new-points` new fixes per vessel after its stored position: the first read (`recordBuckets`),
 *   `previousFixBuckets` (nothing more to read), `planVesselWrite`, `write` (a transactional batch per vessel);
 * - a late batch: the same number of fixes per vessel 20 minutes before its stored position, which also reads the
 *   older buckets of each fix's window (the hour before included) in a second query.
 *
 * Prints, per minute, the points in the bucket the live batch rewrites, the median wall time and CPU (this process
 * and the server's, from /proc: Linux only) of each batch, and the stored JSON. Figures only, never fails.
 *
 *   node dist/bench/trackBuckets.js [--vessels 200] [--minutes 0,15,30,59] [--new-points 5] [--rounds 3]
 */
import { loadavg } from 'node:os';

import { startCosmosServer } from '../local/cosmosServer.js';
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { LOCAL_COSMOS_KEY } from '../local/services.js';
import { createCosmosClient } from '../shared/adapters/clients.js';
import { CosmosVesselStore, trackBucketId } from '../shared/adapters/CosmosVesselStore.js';
import { TRACK_BUCKET_MS, trackBucketStart } from '../shared/domain/time.js';
import {
    planVesselWrite,
    previousFixBuckets,
    recordBuckets,
    type ValidRecord,
} from '../shared/domain/vessel/fold.js';
import { type StoredVessel, type TrackPoint, type VesselWrite } from '../shared/domain/vessel/state.js';
import { benchArgs } from './lib/args.js';
import { cpuSeconds } from './lib/child.js';

const { values } = benchArgs({
    options: {
        vessels: { type: 'string', default: '200' },
        minutes: { type: 'string', default: '0,15,30,59' },
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
const LATE_MS = 20 * 60_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function point(t: number, v: number): TrackPoint {
    return {
        t,
        lat: 40.123456789 + (t % HOUR_MS) / 1e8,
        lon: -70.98765432 + v / 1e3,
        sog: 12.3,
        cog: 91.5,
        heading: 90,
        e: 4_503_599_627_370_000 + (t % 1_000_000),
    };
}

function fix(mmsi: number, t: number): ValidRecord {
    return {
        record: { kind: 'position', mmsi, eventTime: t, lat: 40, lon: -70 } as ValidRecord['record'],
        flags: [],
    };
}

/** One batch of `records` through the store as the ingest does it (reads, previous-fix reads, plan, write). */
async function batch(store: CosmosVesselStore, mmsis: number[], records: ValidRecord[]): Promise<number> {
    const read = recordBuckets(records);
    const stored: Map<number, StoredVessel> = await store.getVessels(mmsis, [...read]);
    const more = previousFixBuckets(records, stored, read);
    if (more.mmsis.length > 0) {
        const older = await store.getVessels(more.mmsis, more.buckets);
        for (const [mmsi, v] of older)
            for (const [b, bucket] of v.buckets) stored.get(mmsi)?.buckets.set(b, bucket);
    }
    const writes: VesselWrite[] = [];
    for (const mmsi of mmsis) {
        const track = records
            .filter((r) => r.record.mmsi === mmsi)
            .map((r) => ({ t: r.record.eventTime, lat: 40, lon: -70 }));
        const write = planVesselWrite(mmsi, stored.get(mmsi), track, undefined);
        if (write) writes.push(write);
    }
    await store.write(writes);
    return more.buckets.length;
}

async function measure(minute: number): Promise<string> {
    const server = await startCosmosServer(0);
    const client = createCosmosClient({
        endpoint: `https://127.0.0.1:${server.port}/`,
        key: LOCAL_COSMOS_KEY,
        database: DATABASE,
    });
    try {
        const db = await ensureCosmosResources(client, DATABASE);
        // One fix a second from the start of the hour before up to `minute` of this hour.
        const last = HOUR + minute * 60_000;
        const docs: Record<string, unknown>[] = [];
        const mmsis: number[] = [];
        for (let v = 0; v < VESSELS; v++) {
            const mmsi = 366_000_000 + v;
            mmsis.push(mmsi);
            const p = point(last, v);
            docs.push({
                id: 'state',
                docType: 'state',
                mmsi,
                position: { eventTime: last, lat: p.lat, lon: p.lon },
                lastSeen: last,
                updatedAt: last,
            });
            for (let b = HOUR - HOUR_MS; b <= last; b += TRACK_BUCKET_MS) {
                const points: TrackPoint[] = [];
                for (let t = b; t < b + TRACK_BUCKET_MS && t <= last; t += 1000) points.push(point(t, v));
                docs.push({ id: trackBucketId(b), docType: 'track', mmsi, bucketStart: b, points });
            }
        }
        const bucketPoints = (last - trackBucketStart(last)) / 1000 + 1;
        const storedMb = JSON.stringify(docs).length / 1_048_576;
        await server.load(DATABASE, { vessels: docs });
        const store = new CosmosVesselStore(db.container('vessels'), { trackTtlDays: 7 });
        const live = { wall: [] as number[], cpu: [] as number[] };
        const late = { wall: [] as number[], cpu: [] as number[], buckets: 0 };
        for (let round = 0; round <= ROUNDS; round++) {
            for (const kind of ['live', 'late'] as const) {
                // New times each round (a few ms apart), so every batch adds points.
                const base = kind === 'live' ? last + 1 : last - LATE_MS + 1;
                const records = mmsis.flatMap((mmsi) =>
                    Array.from({ length: NEW_POINTS }, (_, k) => fix(mmsi, base + round * 100 + k * 10)),
                );
                const c0 = process.cpuUsage();
                const s0 = cpuSeconds(server.pid);
                const w0 = performance.now();
                const extra = await batch(store, mmsis, records);
                const c = process.cpuUsage(c0);
                // this process's CPU and the server process's
                c.user += (cpuSeconds(server.pid) - s0) * 1e6;
                if (round === 0) continue; // warm-up: connections, compiled queries
                const into = kind === 'live' ? live : late;
                into.wall.push(performance.now() - w0);
                into.cpu.push((c.user + c.system) / 1000);
                if (kind === 'late') late.buckets = extra;
            }
        }
        const cell = (n: number, w: number): string => n.toFixed(0).padStart(w);
        return (
            `${String(minute).padStart(6)} | ${cell(bucketPoints, 6)} | ${cell(median(live.wall), 9)} | ` +
            `${cell(median(live.cpu), 8)} | ${cell(median(late.wall), 9)} | ${cell(median(late.cpu), 8)} | ` +
            `${cell(late.buckets, 6)} | ${storedMb.toFixed(1)}`
        );
    } finally {
        client.dispose();
        await server.stop();
    }
}

async function main(): Promise<void> {
    const minutes = values.minutes.split(',').map(Number);
    process.stdout.write(
        `track buckets (${TRACK_BUCKET_MS / 60_000} min): ${VESSELS} vessels at one fix a second, ${NEW_POINTS} new fixes each per batch, median of ${ROUNDS}, load ${loadavg()[0]!.toFixed(1)}\n` +
            'minute | points in the live bucket | live batch wall ms | CPU ms | late batch (20 min back) wall ms | CPU ms | more buckets read | stored JSON MB\n',
    );
    for (const minute of minutes) process.stdout.write(`${await measure(minute)}\n`);
    process.stdout.write(`(load ${loadavg()[0]!.toFixed(1)} at the end)\n`);
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
