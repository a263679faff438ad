/**
 * De-duplication across batches against the real local services (Azurite for the lake, the Cosmos-protocol server
 * for vessel and sensor state, through the production adapters): the keys live in the track bucket and sensor
 * state documents, so they must survive the round trip through Cosmos. Silver rows are read back from the
 * Parquet files (hyparquet).
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import { CosmosSensorStateStore } from '../../shared/adapters/CosmosSensorStateStore.js';
import { CosmosVesselStore } from '../../shared/adapters/CosmosVesselStore.js';
import { ingestAisBatch, type IngestDeps } from '../../shared/app/ingestAisBatch.js';
import { ingestSensorBatch, type SensorIngestDeps } from '../../shared/app/ingestSensorBatch.js';
import type { ReceivedEvent } from '../../shared/app/ports.js';
import { aisIngestFakes, sensorIngestFakes } from '../helpers/ingestFakes.js';
import {
    createTestDatabase,
    createTestLake,
    type TestDatabase,
    type TestLake,
} from '../helpers/localServices.js';

const NOW = Date.now();
const LINES = readFileSync(new URL('../../../shared/testdata/ais/typeexamples.nmea', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

let lake: TestLake;
let db: TestDatabase;
let ais: IngestDeps;
let sensors: SensorIngestDeps;

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('dedup'), createTestDatabase('dedup')]);
    const vessels = new CosmosVesselStore(db.vessels, { trackTtlDays: 30 });
    // Both use cases on the same lake, vessel store, alerts and clock; typeexamples.nmea is years old.
    const ingestAis = aisIngestFakes({
        lake: lake.lake,
        vessels,
        clock: { now: () => NOW },
        settings: { maxAgeMs: 1e13 },
    });
    ais = ingestAis;
    sensors = sensorIngestFakes({
        lake: lake.lake,
        vessels,
        alerts: ingestAis.alerts,
        publisher: ingestAis.publisher,
        clock: ingestAis.clock,
        sensors: new CosmosSensorStateStore(db.client.database(db.databaseId).container('sensorState')),
    });
});

afterAll(async () => {
    await Promise.all([lake.dispose(), db.dispose()]);
});

function batch(bodies: readonly string[], firstSequence: number, enqueuedTime: number): ReceivedEvent[] {
    return bodies.map((body, i) => ({
        body,
        meta: { partitionId: '1', sequenceNumber: firstSequence + i, enqueuedTime },
    }));
}

/** Every silver row of the tables under `prefix`. */
async function silverRows(prefix: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    for await (const b of lake.containers.silver.listBlobsFlat({ prefix })) {
        const bytes = await lake.lake.readBytes('silver', b.name);
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        rows.push(...((await parquetReadObjects({ file })) as Record<string, unknown>[]));
    }
    return rows;
}

describe('cross-batch de-duplication against Azurite and the Cosmos-protocol server', () => {
    it('AIS: a re-sent file and an overlapping redelivery in other boundaries store each record once', async () => {
        const first = await ingestAisBatch(batch(LINES.slice(0, 16), 100, NOW - 5000), ais);
        const rowsAfterFirst = (await silverRows('ais_')).length;
        expect(rowsAfterFirst).toBe(first.positions + first.statics + first.others);
        // overlapping redelivery: 108 onwards in one batch (other boundaries, same events)
        const overlap = await ingestAisBatch(batch(LINES.slice(8), 108, NOW - 5000), ais);
        // the whole file re-sent by a producer: new sequence numbers and enqueued time
        const resent = await ingestAisBatch(batch(LINES, 900, NOW - 1000), ais);
        expect(resent).toMatchObject({ accepted: 0, duplicates: resent.received - resent.quarantined });
        const rows = await silverRows('ais_');
        expect(rows).toHaveLength(first.accepted + overlap.accepted);
        const keys = rows.map(
            (r) =>
                `${r.mmsi as number}|${r.msg_type as number}|${String(r.event_time)}|${String(r.lat)}|${String(r.name)}`,
        );
        expect(new Set(keys).size).toBe(rows.length);
        // the seen keys are in the track buckets (base stations and other non-fix senders get buckets, no state)
        const { resources } = await db.vessels.items
            .query("SELECT c.mmsi, c.seen FROM c WHERE c.docType = 'track' AND IS_DEFINED(c.seen)")
            .fetchAll();
        expect(resources.length).toBeGreaterThan(0);
    });

    it('sensor readings: a re-sent batch is counted as duplicates and stored once', async () => {
        const readings = Array.from({ length: 10 }, (_, i) =>
            JSON.stringify({
                mmsi: 244123456,
                sensorId: 'me-1',
                quantity: 'engine_temperature',
                value: 80 + i / 10,
                unit: 'degC',
                timestamp: new Date(NOW - 60_000 + i * 5000).toISOString(),
            }),
        );
        const first = await ingestSensorBatch(batch(readings, 1, NOW - 2000), sensors);
        const again = await ingestSensorBatch(batch(readings.slice(3), 500, NOW - 1000), sensors);
        expect(first).toMatchObject({ accepted: 10, duplicates: 0 });
        expect(again).toMatchObject({ received: 7, accepted: 0, duplicates: 7 });
        expect(await silverRows('sensor_readings/')).toHaveLength(10);
    });
});
