/**
 * Maintenance log ingest against Azurite through the production lake adapter: bronze as received, quarantine with
 * reason codes, silver `maintenance_events` by event hour, counts that reconcile, and a redelivery that changes
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import { reconciles } from '../../../shared/app/batchRecords.js';
import {
    ingestMaintenanceBatch,
    type MaintenanceIngestDeps,
    skippedMaintenanceSummary,
} from '../../../shared/app/ingestMaintenanceBatch.js';
import type { LakeContainer, ReceivedEvent } from '../../../shared/app/ports.js';
import { createTestLake, type TestLake } from '../../helpers/localServices.js';

const NOW = Date.parse('2026-12-03T08:00:00Z');
let lake: TestLake;
let deps: MaintenanceIngestDeps;

beforeAll(async () => {
    lake = await createTestLake('maint');
    deps = {
        lake: lake.lake,
        clock: { now: () => NOW },
        logger: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
        },
        metrics: { track: () => undefined },
    };
});

afterAll(async () => {
    await lake.dispose();
});

function batch(bodies: string[], partitionId: string, firstSequence: number): ReceivedEvent[] {
    return bodies.map((body, i) => ({
        body,
        meta: { partitionId, sequenceNumber: firstSequence + i, enqueuedTime: NOW - 1000 },
    }));
}

async function blobNames(container: LakeContainer, prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const b of lake.containers[container].listBlobsFlat({ prefix })) names.push(b.name);
    return names.sort();
}

async function silverRows(path: string): Promise<Record<string, unknown>[]> {
    const bytes = await lake.lake.readBytes('silver', path);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
}

const FAILURE =
    '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-12-01T10:15:00Z","kind":"failure","note":"surge"}';
const REPAIR_CSV = '366764000,ME1-TC,2026-12-02T09:00:00Z,repair,"cleaned, ""washed"""';
const SERVICE_CSV_BODY =
    'mmsi,equipment_id,time,kind,note\n244123456,FO-FILTER,2026-12-01T10:40:00Z,service,filter changed';

describe('ingestMaintenanceBatch on Azurite', () => {
    it('lands every line: silver by event hour, quarantine with reasons, bronze as received; the counts reconcile', async () => {
        // Arrange: JSON and CSV lines, a body of several lines (header included), a repeat, and five bad lines.
        const bodies = [
            FAILURE,
            REPAIR_CSV,
            SERVICE_CSV_BODY,
            FAILURE, // the same event again: a duplicate
            '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-12-01T10:15:00Z","kind":"broken"}',
            '366764000,ME1-TC,2026-13-01T00:00:00Z,repair',
            '{"mmsi":0,"equipmentId":"ME1-TC","time":"2026-12-01T10:15:00Z","kind":"failure"}',
            'not,a,log',
            '',
        ];

        // Act
        const summary = await ingestMaintenanceBatch(batch(bodies, '0', 40), deps);

        // Assert: counts
        expect(summary).toMatchObject({
            batchId: '0-40-48',
            events: 9,
            received: 9,
            accepted: 3,
            duplicates: 1,
            quarantined: 5,
            skipped: 0,
        });
        expect(summary.quarantinedByReason).toEqual({
            MAINT_UNKNOWN_KIND: 1,
            INVALID_EVENT_TIME: 1,
            INVALID_MMSI: 1,
            MAINT_MALFORMED: 1,
            EMPTY_BODY: 1,
        });
        expect(reconciles(summary)).toBe(true);

        // Bronze: every event exactly as received, with its Event Hub metadata.
        const [bronze, ...moreBronze] = await blobNames('bronze', 'maintenance/');
        expect(moreBronze).toEqual([]);
        expect(bronze).toBe('maintenance/date=2026-12-03/hour=07/0-40-48.jsonl.gz');
        const bronzeRows = (await lake.lake.readJsonLinesGz('bronze', bronze as string)) as {
            body: string;
            sequenceNumber: number;
        }[];
        expect(bronzeRows.map((r) => r.body)).toEqual(bodies);

        // Quarantine: one entry per bad line, with its reason and raw text.
        const [q] = await blobNames('quarantine', 'maintenance/');
        const quarantined = (await lake.lake.readJsonLinesGz('quarantine', q as string)) as {
            reason: string;
            raw: string;
            source: string;
        }[];
        expect(quarantined.map((e) => e.reason).sort()).toEqual([
            'EMPTY_BODY',
            'INVALID_EVENT_TIME',
            'INVALID_MMSI',
            'MAINT_MALFORMED',
            'MAINT_UNKNOWN_KIND',
        ]);
        expect(quarantined.every((e) => e.source === 'maintenance')).toBe(true);
        expect(quarantined.find((e) => e.reason === 'MAINT_MALFORMED')?.raw).toBe('not,a,log');

        // Silver: by event hour; typed columns; the CSV note unquoted.
        const silver = await blobNames('silver', 'maintenance_events/');
        expect(silver).toEqual([
            'maintenance_events/date=2026-12-01/hour=10/0-40-48.parquet',
            'maintenance_events/date=2026-12-02/hour=09/0-40-48.parquet',
        ]);
        const hour10 = await silverRows(silver[0] as string);
        expect(hour10.map((r) => [r.mmsi, r.equipment_id, r.kind]).sort()).toEqual([
            [244123456, 'FO-FILTER', 'service'],
            [366764000, 'ME1-TC', 'failure'],
        ]);
        const failure = hour10.find((r) => r.kind === 'failure') as Record<string, unknown>;
        expect(failure.event_id).toBe(`366764000|ME1-TC|${Date.parse('2026-12-01T10:15:00Z')}|failure`);
        expect(new Date(failure.event_time as Date).toISOString()).toBe('2026-12-01T10:15:00.000Z');
        expect(failure).toMatchObject({ note: 'surge', eh_partition: '0' });
        const [repair] = await silverRows(silver[1] as string);
        expect(repair).toMatchObject({ kind: 'repair', note: 'cleaned, "washed"' });
    });

    it('changes nothing when the same batch is delivered again', async () => {
        const events = batch([FAILURE, 'junk'], '1', 7);
        const first = await ingestMaintenanceBatch(events, deps);
        const names = async () => [
            ...(await blobNames('bronze', 'maintenance/date=2026-12-03/hour=07/1-')),
            ...(await blobNames('quarantine', 'maintenance/date=2026-12-03/hour=07/1-')),
            ...(await blobNames('silver', 'maintenance_events/date=2026-12-01/hour=10/1-')),
        ];
        const before = await names();
        const again = await ingestMaintenanceBatch(events, deps);
        expect(again).toEqual(first);
        expect(await names()).toEqual(before);
        expect(before).toHaveLength(3);
        expect(await silverRows('maintenance_events/date=2026-12-01/hour=10/1-7-8.parquet')).toHaveLength(1);
    });

    it('counts every line of a dead-lettered batch as skipped', () => {
        const s = skippedMaintenanceSummary(batch([SERVICE_CSV_BODY, FAILURE, ''], '0', 1), NOW);
        expect(s).toMatchObject({ received: 3, skipped: 3, accepted: 0 });
        expect(reconciles(s)).toBe(true);
    });
});
