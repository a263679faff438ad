/**
 * The ingest use case against the real local services: Azurite (lake) and the Cosmos-protocol server (vessel
 * state), through the production adapters. Parquet files are read back with DuckDB, an independent reader.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { CosmosVesselStore } from '../../shared/adapters/CosmosVesselStore.js';
import { ingestAisBatch } from '../../shared/app/ingestAisBatch.js';
import type { LakeContainer, LakeWriter, ReceivedEvent } from '../../shared/app/ports.js';
import { DependencyError } from '../../shared/errors.js';
import { aisIngestFakes } from '../helpers/ingestFakes.js';
import {
    createTestDatabase,
    createTestLake,
    type TestDatabase,
    type TestLake,
} from '../helpers/localServices.js';

const NOW = Date.now();
const TYPE1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
const TYPE5 = [
    '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
    '!AIVDM,2,2,1,A,88888888880,2*25',
];

let lake: TestLake;
let db: TestDatabase;
let store: CosmosVesselStore;

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('ingest'), createTestDatabase('ingest')]);
    store = new CosmosVesselStore(db.vessels, { trackTtlDays: 30 });
});

afterAll(async () => {
    await Promise.all([lake.dispose(), db.dispose()]);
});

/** The ingest on the local services: the lake in Azurite (or `lakeWriter`), vessel state in the Cosmos server. */
function deps(lakeWriter: LakeWriter = lake.lake) {
    return aisIngestFakes({ lake: lakeWriter, vessels: store, clock: { now: () => NOW } });
}

function batch(
    bodies: string[],
    partitionId: string,
    firstSequence: number,
    enqueuedTime = NOW - 2000,
): ReceivedEvent[] {
    return bodies.map((body, i) => ({
        body,
        meta: { partitionId, sequenceNumber: firstSequence + i, enqueuedTime },
    }));
}

async function blobNames(container: LakeContainer): Promise<string[]> {
    const names: string[] = [];
    for await (const b of lake.containers[container].listBlobsFlat()) names.push(b.name);
    return names.sort();
}

async function readParquetWithDuckDb(
    container: LakeContainer,
    path: string,
): Promise<Record<string, unknown>[]> {
    const bytes = await lake.lake.readBytes(container, path);
    const file = join(mkdtempSync(join(tmpdir(), 'pq-')), 'f.parquet');
    writeFileSync(file, bytes);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
        `SELECT * FROM read_parquet('${file}') ORDER BY event_time`,
    );
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    connection.closeSync();
    return rows;
}

describe('ingestAis against Azurite and the Cosmos-protocol server', () => {
    it('lands a batch with bad lines: the rest in silver and Cosmos, the bad lines in quarantine', async () => {
        const s = await ingestAisBatch(
            batch([TYPE1, 'garbage', TYPE1.replace('*4A', '*4B'), ...TYPE5], '0', 10),
            deps(),
        );
        expect(s).toMatchObject({ received: 4, accepted: 2, quarantined: 2, duplicates: 0 });
        expect(await blobNames('bronze')).toEqual([
            expect.stringMatching(/^ais\/date=\d{4}-\d\d-\d\d\/hour=\d\d\/0-10-14\.jsonl\.gz$/),
        ]);
        const [q] = await blobNames('quarantine');
        const quarantined = (await lake.lake.readJsonLinesGz('quarantine', q as string)) as {
            reason: string;
        }[];
        expect(quarantined.map((e) => e.reason).sort()).toEqual(['NMEA_CHECKSUM', 'NMEA_MALFORMED']);

        const silver = await blobNames('silver');
        expect(silver.filter((n) => n.startsWith('ais_positions/'))).toHaveLength(1);
        const rows = await readParquetWithDuckDb(
            'silver',
            silver.find((n) => n.startsWith('ais_positions/')) as string,
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
            mmsi: 371798000,
            nav_status: 0,
            flag: 'PA',
            eh_partition: '0',
            source_format: 'nmea',
        });
        expect(Number(rows[0]?.lat)).toBeCloseTo(48.38163, 4);

        const states = await store.getStates([371798000, 351759000]);
        expect(states.get(351759000)?.static).toMatchObject({
            name: 'EVER DIADEM',
            imo: 9134270,
            callSign: '3FOF8',
        });
        expect(states.get(371798000)?.position?.lat).toBeCloseTo(48.38163, 4);
    });

    it('changes nothing when the batch is delivered again', async () => {
        // Enqueued (hence, without a time of their own, observed) at another time than the first test's copies,
        // which would otherwise be duplicates of them.
        const events = batch([TYPE1, ...TYPE5, 'junk'], '1', 100, NOW - 3000);
        expect(await ingestAisBatch(events, deps())).toMatchObject({
            received: 3,
            accepted: 2,
            quarantined: 1,
        });
        const before = {
            bronze: await blobNames('bronze'),
            silver: await blobNames('silver'),
            quarantine: await blobNames('quarantine'),
        };
        const stateBefore = (await store.getStates([371798000])).get(371798000);
        const trackBefore = await store.getTrack(371798000, NOW - 86_400_000, NOW);

        const again = await ingestAisBatch(events, deps());

        expect(again).toMatchObject({ received: 3, accepted: 2, quarantined: 1 });
        expect({
            bronze: await blobNames('bronze'),
            silver: await blobNames('silver'),
            quarantine: await blobNames('quarantine'),
        }).toEqual(before);
        const stateAfter = (await store.getStates([371798000])).get(371798000);
        expect({ ...stateAfter, etag: '', updatedAt: 0 }).toEqual({ ...stateBefore, etag: '', updatedAt: 0 });
        expect(await store.getTrack(371798000, NOW - 86_400_000, NOW)).toEqual(trackBefore);
    });

    it('never moves a vessel backwards when older data arrives later', async () => {
        const json = (t: number, lat: number): string =>
            JSON.stringify({
                type: 'position',
                mmsi: 244123456,
                timestamp: new Date(t).toISOString(),
                lat,
                lon: 4.5,
                sog: 8,
                cog: 10,
            });
        await ingestAisBatch(batch([json(NOW - 30_000, 52.1)], '2', 1), deps());
        await ingestAisBatch(batch([json(NOW - 900_000, 51.9)], '2', 2), deps());
        const state = (await store.getStates([244123456])).get(244123456);
        expect(state?.position).toMatchObject({ lat: 52.1, eventTime: NOW - 30_000 });
        expect(state?.flag).toBe('NL');
    });

    it('throws when a sink fails, and the retried batch lands once', async () => {
        const events = batch(
            [
                JSON.stringify({
                    type: 'position',
                    mmsi: 257123456,
                    timestamp: new Date(NOW - 5000).toISOString(),
                    lat: 60,
                    lon: 5,
                }),
            ],
            '3',
            50,
        );
        let failures = 1;
        const flaky: LakeWriter = {
            writeJsonLinesGz: (c, p, r) => lake.lake.writeJsonLinesGz(c, p, r),
            writeParquet: (c, p, t) =>
                failures-- > 0
                    ? Promise.reject(new DependencyError('storage unavailable'))
                    : lake.lake.writeParquet(c, p, t),
        };
        await expect(ingestAisBatch(events, deps(flaky))).rejects.toThrow(DependencyError);
        const s = await ingestAisBatch(events, deps(flaky));
        expect(s).toMatchObject({ received: 1, accepted: 1 });
        const silver = (await blobNames('silver')).filter((n) => n.endsWith('/3-50-50.parquet'));
        expect(silver).toHaveLength(1);
        expect(await store.getTrack(257123456, NOW - 3_600_000, NOW)).toHaveLength(1);
    });

    it('uses one Cosmos request per distinct vessel per batch, plus one read', async () => {
        const before = store.requestCount;
        const lines = Array.from({ length: 30 }, (_, i) =>
            JSON.stringify({
                type: 'position',
                mmsi: 311000000 + (i % 10),
                timestamp: new Date(NOW - 60_000 + i * 1000).toISOString(),
                lat: 25 + i / 100,
                lon: -77,
            }),
        );
        const s = await ingestAisBatch(batch(lines, '4', 1), deps());
        expect(s).toMatchObject({ accepted: 30, vessels: 10 });
        expect(store.requestCount - before).toBe(10 + 1);
        expect(s.cosmosRequestCharge).toBeGreaterThan(0); // the local server charges 1 per operation
    });
});
