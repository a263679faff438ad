/**
 * Ingest benchmark (issue: AIS ingestion). Prints figures and ratios against the targets; never fails on speed.
 *
 *   npm run bench:ingest [-- --events 200000 --vessels 2000 --batch 256]
 *
 * 1. The ingest use case without I/O (in-memory lake that keeps rows, in-memory vessel store): events/s on one core.
 *    Target: >= 250,000 events/s.
 * 2. The same with the real lake adapter on Azurite (gzip JSONL + Parquet encoding + HTTP uploads), vessel
 *    state in memory: events/s. Target: >= 25,000 events/s.
 * 3. Cosmos requests per 1,000 events through the real Cosmos adapter on the Cosmos-protocol server (it has no
 *    RU accounting and ~260 requests/s, so requests are counted, not timed). Target: at most one per distinct
 *    vessel per batch (plus the one state read per batch).
 *
 * Events are realistic NMEA from a synthetic fleet (Class A positions with tag-block times, type 5 static data),
 * 2 % heard twice (duplicates) and 1 % corrupt, spread over 4 partitions by MMSI as Event Hubs would.
 */

import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { partitionFor } from '../local/host.js';
import { startLocalServices } from '../local/services.js';
import { AisEncoder } from '../local/simulator/aisEncoder.js';
import { BlobLake } from '../shared/adapters/BlobLake.js';
import {
    createBlobServiceClient,
    createCosmosClient,
    createLakeContainers,
} from '../shared/adapters/clients.js';
import { CosmosVesselStore } from '../shared/adapters/CosmosVesselStore.js';
import { InMemoryAlertStore } from '../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryVesselStore } from '../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../shared/adapters/memory/RecordingAlertPublisher.js';
import { type BatchSummary, ingestAisBatch, type IngestDeps } from '../shared/app/ingestAisBatch.js';
import type { LakeWriter, ReceivedEvent, VesselStateStore } from '../shared/app/ports.js';
import { LAKE_CONTAINERS } from '../shared/config/settingNames.js';
import { Prng } from '../shared/domain/prng.js';
import { createZoneIndex } from '../shared/domain/zones/index.js';
import { benchArgs } from './lib/args.js';

const { values: args } = benchArgs({
    options: {
        events: { type: 'string', default: '200000' },
        vessels: { type: 'string', default: '2000' },
        batch: { type: 'string', default: '256' },
        partitions: { type: 'string', default: '4' },
        'cosmos-events': { type: 'string', default: '5000' },
    },
});
const EVENTS = Number(args.events);
const VESSELS = Number(args.vessels);
const BATCH = Number(args.batch);
const PARTITIONS = Number(args.partitions);
const NOW = Date.now();

/** A lake that keeps nothing but counts rows (the "no I/O" case still builds every row). */
class CountingLake implements LakeWriter {
    rows = 0;
    writeJsonLinesGz(_c: string, _p: string, rows: readonly unknown[]): Promise<void> {
        this.rows += rows.length;
        return Promise.resolve();
    }
    writeParquet(_c: string, _p: string, table: { rows: readonly unknown[] }): Promise<void> {
        this.rows += table.rows.length;
        return Promise.resolve();
    }
}

function generate(count: number): { body: string; key: string }[] {
    const rng = new Prng(42);
    const encoder = new AisEncoder();
    const fleet = Array.from({ length: VESSELS }, (_, i) => ({
        mmsi: [244, 366, 211, 563, 477][i % 5]! * 1_000_000 + 100_000 + i,
        lat: -60 + rng.next() * 120,
        lon: -180 + rng.next() * 360,
        sog: rng.next() * 20,
        cog: rng.next() * 359,
    }));
    const out: { body: string; key: string }[] = [];
    const start = NOW - 50 * 60_000;
    for (let i = 0; out.length < count; i++) {
        const v = fleet[i % VESSELS]!;
        const t = start + Math.floor((i / count) * 49 * 60_000);
        v.lat = Math.max(-80, Math.min(80, v.lat + (v.sog / 3600 / 60) * Math.cos((v.cog * Math.PI) / 180)));
        v.lon = ((v.lon + 180 + (v.sog / 3600 / 60) * Math.sin((v.cog * Math.PI) / 180)) % 360) - 180;
        const message =
            i % 50 === 0
                ? ({
                      type: 5,
                      mmsi: v.mmsi,
                      imo: 9134270,
                      callsign: 'TEST1',
                      shipname: `VESSEL ${i % VESSELS}`,
                      shiptype: 70,
                      to_bow: 100,
                      to_stern: 20,
                      to_port: 10,
                      to_starboard: 10,
                      draught: 8.5,
                      destination: 'ROTTERDAM',
                  } as const)
                : ({
                      type: 1,
                      mmsi: v.mmsi,
                      status: 0,
                      speed: Math.round(v.sog * 10) / 10,
                      lat: v.lat,
                      lon: v.lon,
                      course: Math.round(v.cog * 10) / 10,
                      heading: Math.round(v.cog) % 360,
                      second: Math.floor(t / 1000) % 60,
                      accuracy: true,
                  } as const);
        const lines = encoder.encode(message, { tagBlock: { station: 'rx-1', time: t } });
        let body = lines.join('\n');
        if (rng.next() < 0.01) body = body.slice(0, -2) + '00'; // corrupt checksum
        out.push({ body, key: String(v.mmsi) });
        if (rng.next() < 0.02 && out.length < count) {
            // the same transmission heard by a second receiver
            out.push({
                body: encoder.encode(message, { tagBlock: { station: 'rx-2', time: t + 400 } }).join('\n'),
                key: String(v.mmsi),
            });
        }
    }
    return out;
}

/** Event Hub batches: per partition (by MMSI), up to BATCH events, sequence numbers per partition. */
function toBatches(events: { body: string; key: string }[]): ReceivedEvent[][] {
    const partitions: ReceivedEvent[][] = Array.from({ length: PARTITIONS }, () => []);
    for (const e of events) {
        const p = partitionFor(e.key, PARTITIONS);
        const list = partitions[p]!;
        list.push({
            body: e.body,
            meta: {
                partitionId: String(p),
                sequenceNumber: list.length,
                enqueuedTime: NOW - 1000,
                partitionKey: e.key,
            },
        });
    }
    const batches: ReceivedEvent[][] = [];
    for (const list of partitions)
        for (let i = 0; i < list.length; i += BATCH) batches.push(list.slice(i, i + BATCH));
    return batches;
}

/** Built once, as the runtime does. */
const ZONES = createZoneIndex();

function deps(lake: LakeWriter, vessels: VesselStateStore): IngestDeps {
    return {
        lake,
        vessels,
        zones: ZONES,
        alerts: new InMemoryAlertStore(),
        publisher: new RecordingAlertPublisher(),
        clock: { now: () => Date.now() },
        logger: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
        },
        metrics: { track: () => undefined },
        settings: {
            futureToleranceMs: 300_000,
            maxAgeMs: 30 * 86_400_000,
            implausibleSpeedKnots: 50,
            h3Resolution: 7,
        },
    };
}

async function run(
    batches: ReceivedEvent[][],
    d: IngestDeps,
): Promise<{ seconds: number; totals: Omit<BatchSummary, 'quarantinedByReason'> }> {
    const totals = { received: 0, accepted: 0, quarantined: 0, duplicates: 0, events: 0, vessels: 0 } as Omit<
        BatchSummary,
        'quarantinedByReason'
    >;
    const t0 = process.hrtime.bigint();
    for (const b of batches) {
        const s = await ingestAisBatch(b, d);
        totals.received += s.received;
        totals.accepted += s.accepted;
        totals.quarantined += s.quarantined;
        totals.duplicates += s.duplicates;
        totals.events += s.events;
        totals.vessels += s.vessels;
    }
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, totals };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
    console.log(
        `node ${process.version}; ${EVENTS.toLocaleString()} events, ${VESSELS} vessels, batches of ${BATCH} over ${PARTITIONS} partitions`,
    );
    const events = generate(EVENTS);
    const batches = toBatches(events);

    // 1. Without I/O: warm up once, then best of 3.
    await run(
        batches.slice(0, 20),
        deps(new CountingLake(), new InMemoryVesselStore({ copyDocuments: false })),
    );
    const runs = [];
    for (let i = 0; i < 3; i++) {
        runs.push(
            await run(batches, deps(new CountingLake(), new InMemoryVesselStore({ copyDocuments: false }))),
        );
    }
    const best = Math.min(...runs.map((r) => r.seconds));
    const totals = runs[0]!.totals;
    const noIo = events.length / best;
    console.log(
        `\n1. use case without I/O: ${fmt(noIo)} events/s (best of 3; target 250,000 -> ${(noIo / 250_000).toFixed(2)}x)`,
    );
    console.log(
        `   received ${fmt(totals.received)} = accepted ${fmt(totals.accepted)} + quarantined ${fmt(totals.quarantined)} + duplicates ${fmt(totals.duplicates)}`,
    );

    // 2. Real lake adapter on Azurite.
    const services = await startLocalServices({ quiet: true });
    try {
        const blob = createBlobServiceClient({ connectionString: services.lakeConnectionString });
        const containers = createLakeContainers(blob);
        await Promise.all(LAKE_CONTAINERS.map((c) => containers[c].createIfNotExists()));
        const lake = new BlobLake(containers);
        const sample = batches.slice(0, Math.max(1, Math.floor(batches.length / 4)));
        const sampleEvents = sample.reduce((n, b) => n + b.length, 0);
        const withLake = await run(sample, deps(lake, new InMemoryVesselStore({ copyDocuments: false })));
        const lakeRate = sampleEvents / withLake.seconds;
        console.log(
            `\n2. with Azurite lake sinks (gzip JSONL + Parquet + uploads), ${fmt(sampleEvents)} events: ${fmt(lakeRate)} events/s (target 25,000 -> ${(lakeRate / 25_000).toFixed(2)}x); ${fmt(lake.requestCount)} blob requests`,
        );

        // 3. Cosmos requests per 1,000 events.
        const cosmos = createCosmosClient({
            endpoint: services.cosmosEndpoint,
            key: services.cosmosKey,
            database: 'bench',
        });
        const database = await ensureCosmosResources(cosmos, 'bench');
        const store = new CosmosVesselStore(database.container('vessels'), { trackTtlDays: 30 });
        const cosmosBatches: ReceivedEvent[][] = [];
        let n = 0;
        for (const b of batches) {
            if (n >= Number(args['cosmos-events'])) break;
            cosmosBatches.push(b);
            n += b.length;
        }
        const r = await run(cosmosBatches, deps(new CountingLake(), store));
        const perThousand = (store.requestCount * 1000) / n;
        const bound = ((r.totals.vessels + cosmosBatches.length) * 1000) / n;
        console.log(
            `\n3. Cosmos: ${fmt(store.requestCount)} requests for ${fmt(n)} events in ${cosmosBatches.length} batches = ${perThousand.toFixed(1)} per 1,000 events;` +
                ` distinct vessels per batch summed = ${fmt(r.totals.vessels)} (+1 state read per batch) -> bound ${bound.toFixed(1)} per 1,000; ratio ${(perThousand / bound).toFixed(2)} (target <= 1.00)`,
        );
        cosmos.dispose();
    } finally {
        await services.stop();
    }
}

void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
