/**
 * De-duplication across batches (README "De-duplication"), AIS and sensor readings, with the in-memory fakes: a
 * re-sent batch, a redelivery in other, overlapping batch boundaries, a crash between the silver write and the
 * state write (the same batch retried, and a redelivery in other boundaries), bronze re-driven twice.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { InMemorySensorStateStore } from '../../../shared/adapters/memory/InMemorySensorStateStore.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { type BatchSummary, ingestAisBatch } from '../../../shared/app/ingestAisBatch.js';
import { ingestSensorBatch, type SensorBatchSummary } from '../../../shared/app/ingestSensorBatch.js';
import type {
    ReceivedEvent,
    SensorState,
    VesselWrite,
    VesselWriteResult,
} from '../../../shared/app/ports.js';
import { SENSOR_SEEN_KEYS } from '../../../shared/domain/sensors/seen.js';
import { DependencyError } from '../../../shared/errors.js';
import { eventBatch, MMSI, NOW, sensorSeries } from '../../helpers/factories.js';
import { aisIngestFakes, sensorIngestFakes } from '../../helpers/ingestFakes.js';

const SENSOR_KEY = `mmsi:${MMSI}|me-1|engine_temperature`;

/** typeexamples.nmea (gpsd): every AIS message type, one sentence per line, times from the receiver (USCG). */
const LINES = readFileSync(
    new URL('../../../../shared/testdata/ais/typeexamples.nmea', import.meta.url),
    'utf8',
)
    .split('\n')
    .filter((l) => l.trim() !== '');

/** A vessel store whose write stores the first vessel's write, then fails (a crash between the vessels' writes). */
class CrashingVesselStore extends InMemoryVesselStore {
    crashes = 0;
    override async write(writes: readonly VesselWrite[]): Promise<VesselWriteResult[]> {
        if (this.crashes === 0) return super.write(writes);
        this.crashes--;
        await super.write(writes.slice(0, 1));
        throw new DependencyError('Cosmos DB went away after the first vessel');
    }
}

/** The AIS ingest's fakes on `vessels` and `lake` (the next batch on the same stores); typeexamples.nmea is years old. */
function aisDeps(vessels = new InMemoryVesselStore(), lake = new InMemoryLake(() => NOW)) {
    return aisIngestFakes({ vessels, lake, settings: { maxAgeMs: 1e13 } });
}

/** Events of `bodies` numbered from `firstSequence`, enqueued at `enqueuedTime`. */
function events(
    bodies: readonly string[],
    firstSequence: number,
    enqueuedTime = NOW - 1000,
): ReceivedEvent[] {
    return eventBatch(bodies, { firstSequence, enqueuedTime });
}

const SILVER = ['ais_positions', 'ais_static', 'ais_messages'];

/** Silver rows of a table without their lineage columns, sorted (what a reader sees, whichever batch wrote it). */
function content(lake: InMemoryLake, table: string): string[] {
    return lake
        .allParquetRows('silver', `${table}/`)
        .map(({ ingest_time: _i, eh_partition: _p, eh_sequence: _s, eh_enqueued_time: _e, ...rest }) =>
            JSON.stringify(rest),
        )
        .sort();
}

/** The silver content of the whole file ingested once, in one batch, into a fresh store. */
async function reference(): Promise<{ summary: BatchSummary; lake: InMemoryLake }> {
    const d = aisDeps();
    const summary = await ingestAisBatch(events(LINES, 100), d);
    return { summary, lake: d.lake };
}

const reconciles = (s: {
    received: number;
    accepted: number;
    quarantined: number;
    duplicates: number;
    skipped: number;
}): boolean => s.received === s.accepted + s.quarantined + s.duplicates + s.skipped;

describe('AIS de-duplication across batches', () => {
    it('a re-sent batch (new sequence numbers and enqueued time) writes nothing again and counts every copy as a duplicate', async () => {
        const ref = await reference();
        const d = aisDeps();
        const first = await ingestAisBatch(events(LINES, 100), d);
        expect(first.accepted).toBeGreaterThanOrEqual(20);
        const again = aisDeps(d.vessels, d.lake);
        const second = await ingestAisBatch(events(LINES, 5000, NOW - 500), again);
        expect(second).toMatchObject({
            received: first.received,
            accepted: 0,
            quarantined: first.quarantined,
            duplicates: first.accepted + first.duplicates,
        });
        expect(reconciles(second)).toBe(true);
        expect(again.metrics.values('ais.duplicates')).toEqual([second.duplicates]);
        expect(again.metrics.values('ais.accepted')).toEqual([0]);
        for (const table of SILVER) expect(content(d.lake, table)).toEqual(content(ref.lake, table));
    });

    it('a redelivery in other, overlapping batch boundaries writes only the events the first batch did not have', async () => {
        const ref = await reference();
        const d = aisDeps();
        const all = events(LINES, 100);
        const s1 = await ingestAisBatch(all.slice(0, 16), d);
        // The checkpoint after events 100-115 was lost: the hub redelivers from 108 on, in one larger batch.
        const s2 = await ingestAisBatch(all.slice(8), aisDeps(d.vessels, d.lake));
        expect(reconciles(s2)).toBe(true);
        expect(s1.accepted + s2.accepted).toBe(ref.summary.accepted);
        expect(s2.duplicates).toBeGreaterThanOrEqual(8 - (s1.quarantined > 0 ? s1.quarantined : 0));
        for (const table of SILVER) expect(content(d.lake, table)).toEqual(content(ref.lake, table));
    });

    it('a crash between the silver write and the state write: the same batch retried rewrites its blobs whole', async () => {
        const ref = await reference();
        const vessels = new CrashingVesselStore();
        const d = aisDeps(vessels);
        vessels.crashes = 1;
        await expect(ingestAisBatch(events(LINES, 100), d)).rejects.toThrow(DependencyError);
        // One vessel's state and track are stored; the retry must not take that vessel's records for copies.
        const retried = await ingestAisBatch(events(LINES, 100), aisDeps(vessels, d.lake));
        expect(retried).toMatchObject({ accepted: ref.summary.accepted, duplicates: ref.summary.duplicates });
        for (const table of SILVER) expect(content(d.lake, table)).toEqual(content(ref.lake, table));
    });

    it('a crash between the silver write and the state write, then a redelivery in other boundaries: what the state holds is not written twice', async () => {
        const vessels = new CrashingVesselStore();
        const d = aisDeps(vessels);
        vessels.crashes = 1;
        const all = events(LINES, 100);
        await expect(ingestAisBatch(all.slice(0, 16), d)).rejects.toThrow(DependencyError);
        const stored = await vessels.getVessels(
            [...new Set(d.lake.allParquetRows('silver', 'ais_').map((r) => r.mmsi as number))],
            [],
        );
        const storedMmsi = [...stored.keys()];
        expect(storedMmsi).toHaveLength(1);
        const rowsOf = (mmsi: number): number =>
            d.lake.allParquetRows('silver', 'ais_').filter((r) => r.mmsi === mmsi).length;
        const before = rowsOf(storedMmsi[0] as number);
        const s2 = await ingestAisBatch(all.slice(0, 20), aisDeps(vessels, d.lake));
        expect(reconciles(s2)).toBe(true);
        // The stored vessel's records of the crashed attempt are duplicates now (its blobs keep them).
        expect(rowsOf(storedMmsi[0] as number)).toBe(before);
    });

    it('bronze re-driven batch by batch twice (restart re-drive, `maritime rebuild`) changes nothing', async () => {
        const d = aisDeps();
        const all = events(LINES, 100);
        const batches = [all.slice(0, 10), all.slice(10)];
        for (const b of batches) await ingestAisBatch(b, d);
        const silver = SILVER.map((t) => content(d.lake, t));
        const paths = d.lake.paths('silver').sort();
        for (const b of batches) {
            const s = await ingestAisBatch(b, aisDeps(d.vessels, d.lake));
            expect(s.duplicates).toBe(0);
        }
        expect(d.lake.paths('silver').sort()).toEqual(paths);
        expect(SILVER.map((t) => content(d.lake, t))).toEqual(silver);
    });
});

/** The sensor ingest's fakes on `sensors` and `lake` (the next batch on the same stores). */
function sensorDeps(sensors = new InMemorySensorStateStore(), lake = new InMemoryLake(() => NOW)) {
    return sensorIngestFakes({ sensors, lake });
}

const sensorRows = (lake: InMemoryLake): string[] =>
    lake
        .allParquetRows('silver', 'sensor_readings/')
        .map((r) => `${r.sensor_id as string}|${r.event_time as number}|${r.value as number}`)
        .sort();

/** Two sensors, 12 readings each, 10 s apart. */
function readings(): string[] {
    const a = sensorSeries(
        Array.from({ length: 12 }, (_, i) => 80 + i / 10),
        NOW - 60_000,
    );
    const b = sensorSeries(
        Array.from({ length: 12 }, (_, i) => 70 + i / 10),
        NOW - 60_000,
        { sensorId: 'me-2' },
    );
    return a.flatMap((x, i) => [x, b[i] as string]);
}

describe('sensor reading de-duplication across batches', () => {
    it('a re-sent batch counts every reading as a duplicate and stores none again; the statistics are unchanged', async () => {
        const d = sensorDeps();
        const first = await ingestSensorBatch(events(readings(), 1), d);
        const state = (await d.sensors.get([SENSOR_KEY])).values().next().value as SensorState | undefined;
        const rows = sensorRows(d.lake);
        const second: SensorBatchSummary = await ingestSensorBatch(
            events(readings(), 900, NOW - 500),
            sensorDeps(d.sensors, d.lake),
        );
        expect(second).toMatchObject({ received: 24, accepted: 0, duplicates: 24, quarantined: 0 });
        expect(sensorRows(d.lake)).toEqual(rows);
        expect(first.accepted).toBe(24);
        const after = (await d.sensors.get([SENSOR_KEY])).values().next().value as SensorState | undefined;
        expect(state?.stats.n).toBe(12);
        expect(after?.stats).toEqual(state?.stats);
    });

    it('an overlapping redelivery in other boundaries stores each reading once', async () => {
        const d = sensorDeps();
        const all = events(readings(), 1);
        await ingestSensorBatch(all.slice(0, 14), d);
        const s2 = await ingestSensorBatch(all.slice(6), sensorDeps(d.sensors, d.lake));
        expect(s2).toMatchObject({ received: 18, accepted: 10, duplicates: 8 });
        expect(sensorRows(d.lake)).toHaveLength(24);
        expect(new Set(sensorRows(d.lake)).size).toBe(24);
    });

    it('a late reading (older than the statistics mark) is stored once, and its copy is a duplicate', async () => {
        const d = sensorDeps();
        await ingestSensorBatch(events(readings(), 1), d);
        const late = sensorSeries([79.5], NOW - 65_000);
        expect(await ingestSensorBatch(events(late, 100), sensorDeps(d.sensors, d.lake))).toMatchObject({
            accepted: 1,
            duplicates: 0,
        });
        expect(await ingestSensorBatch(events(late, 200), sensorDeps(d.sensors, d.lake))).toMatchObject({
            accepted: 0,
            duplicates: 1,
        });
        expect(sensorRows(d.lake)).toHaveLength(25);
    });

    it('a crash between the silver write and the state write: the same batch retried is not its own duplicate', async () => {
        const sensors = new InMemorySensorStateStore();
        const d = sensorDeps(sensors);
        const batch = events(readings(), 1);
        sensors.failNextWrite = new DependencyError('Cosmos DB went away');
        await expect(ingestSensorBatch(batch, d)).rejects.toThrow(DependencyError);
        const retried = await ingestSensorBatch(batch, sensorDeps(sensors, d.lake));
        expect(retried).toMatchObject({ accepted: 24, duplicates: 0 });
        // and once the state is written, the same batch delivered again (same boundaries) rewrites the same blob
        const again = await ingestSensorBatch(batch, sensorDeps(sensors, d.lake));
        expect(again).toMatchObject({ accepted: 24, duplicates: 0 });
        expect(sensorRows(d.lake)).toHaveLength(24);
    });

    it('keeps the keys of the latest readings only', async () => {
        const d = sensorDeps();
        const many = sensorSeries(
            Array.from({ length: SENSOR_SEEN_KEYS + 10 }, (_, i) => 80 + (i % 7) / 10),
            NOW - 10_000,
            {},
            1000,
        );
        await ingestSensorBatch(events(many, 1), d);
        const [state] = [...(await d.sensors.get([SENSOR_KEY])).values()];
        expect(state?.seen).toHaveLength(SENSOR_SEEN_KEYS);
        expect(state?.seen?.[0]?.[0]).toBe(NOW - 10_000 - (SENSOR_SEEN_KEYS - 1) * 1000);
    });
});
