import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import type { BatchCounts } from '../../../shared/app/batchRecords.js';
import { queryDataQuality } from '../../../shared/app/gold/goldQueries.js';
import {
    buildGoldWindow,
    type GoldJobDeps,
    type GoldJobSettings,
} from '../../../shared/app/gold/runGoldJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import { recordIngestBatch } from '../../../shared/app/ingestBatches.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { createPortIndex } from '../../../shared/domain/gold/ports.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import { ValidationError } from '../../../shared/errors.js';
import { type GoldTestStores, openGoldTestStores } from '../../helpers/goldTestStores.js';
import { type TestDatabase, type TestLake } from '../../helpers/localServices.js';
import { steadyTrack, writeSilverPositions, writeSilverSensorReadings } from './silverFactory.js';

// Builds on Azurite and the Cosmos-protocol server take seconds each on a shared machine.
jest.setTimeout(240_000);

const DAY = '2026-07-01';
const T0 = dayStart(DAY);
const H = 3_600_000;
const NOW = T0 + 50 * H;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const settings = (shards: number): GoldJobSettings => ({
    graceMs: 2 * H,
    horizonDays: 3,
    maxWindows: 2,
    leaseMs: 600_000,
    shards,
});

let lake: TestLake;
let db: TestDatabase;
let deps: GoldJobDeps;

/** `n` events of one partition, enqueued at `t`, sequence numbers from `first`. */
function events(partitionId: string, first: number, n: number, t: number): ReceivedEvent[] {
    return Array.from({ length: n }, (_, i) => ({
        body: '{}',
        meta: { partitionId, sequenceNumber: first + i, enqueuedTime: t },
    }));
}

function counts(c: Partial<BatchCounts>): BatchCounts {
    return {
        received: 0,
        accepted: 0,
        quarantined: 0,
        duplicates: 0,
        skipped: 0,
        quarantinedByReason: {},
        ...c,
    };
}

beforeAll(async () => {
    let stores: GoldTestStores['stores'];
    ({ lake, db, stores } = await openGoldTestStores('golddq'));
    deps = {
        ...stores,
        zones: createZoneIndex(),
        ports: createPortIndex(),
        clock: { now: () => NOW },
        logger: quiet,
    };
    // Silver: two vessels (6 + 4 fixes); the first 3 fixes of vessel 3001 heard again in another batch; 2 fixes of
    // vessel 3002 that reached silver the next day (late); sensor readings of one sensor.
    const a = steadyTrack(3001, T0 + 2 * H, T0 + 3 * H, 10, { lat: 10, lon: 100 }, 12);
    const b = steadyTrack(3002, T0 + 5 * H, T0 + 6 * H, 15, { lat: -10, lon: 60 }, 8);
    await writeSilverPositions(lake.lake, [...a, ...b.slice(0, 2)], 0);
    await writeSilverPositions(lake.lake, a.slice(0, 3), 1);
    await writeSilverPositions(
        lake.lake,
        b.slice(2).map((f) => ({ ...f, ingestTime: T0 + 26 * H })),
        2,
    );
    await writeSilverSensorReadings(
        lake.lake,
        3001,
        'me-1',
        'fuel_mass_flow',
        'kg/h',
        [1, 2, 3, 4, 5].map((i) => ({ t: T0 + i * H, value: 900 + i })),
    );
    // The ingest's batch records: two AIS batches and a dead-lettered one on the day, a sensor batch, and an AIS
    // batch enqueued the next day (another day's dq).
    await recordIngestBatch(
        lake.lake,
        'ais',
        events('0', 100, 8, T0 + 2 * H),
        counts({
            received: 10,
            accepted: 7,
            quarantined: 2,
            duplicates: 1,
            quarantinedByReason: { NMEA_CHECKSUM: 1, INVALID_MMSI: 1 },
        }),
        NOW,
    );
    await recordIngestBatch(
        lake.lake,
        'ais',
        events('1', 5, 3, T0 + 9 * H),
        counts({ received: 3, accepted: 2, quarantined: 1, quarantinedByReason: { NMEA_CHECKSUM: 1 } }),
        NOW,
    );
    await recordIngestBatch(
        lake.lake,
        'ais',
        events('1', 8, 4, T0 + 11 * H),
        counts({ received: 4, skipped: 4 }),
        NOW,
    );
    await recordIngestBatch(
        lake.lake,
        'sensors',
        events('0', 0, 5, T0 + 5 * H),
        counts({ received: 5, accepted: 5 }),
        NOW,
    );
    await recordIngestBatch(
        lake.lake,
        'ais',
        events('0', 200, 2, T0 + 25 * H),
        counts({ received: 2, accepted: 2 }),
        NOW,
    );
    // Redelivery of the first batch: the same record, overwritten, not added.
    await recordIngestBatch(
        lake.lake,
        'ais',
        events('0', 100, 8, T0 + 2 * H),
        counts({
            received: 10,
            accepted: 7,
            quarantined: 2,
            duplicates: 1,
            quarantinedByReason: { NMEA_CHECKSUM: 1, INVALID_MMSI: 1 },
        }),
        NOW,
    );
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

async function allDq(params: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    let continuation: string | undefined;
    do {
        const q = {
            date: DAY,
            limit: '3',
            ...params,
            ...(continuation === undefined ? {} : { continuation }),
        } as Record<string, string>;
        const page = await queryDataQuality((n) => q[n], deps.gold, NOW);
        // run_id says which build wrote a row; the data itself must be identical.
        rows.push(...page.items.map(({ run_id: _run, ...row }) => row));
        continuation = page.continuation;
    } while (continuation !== undefined);
    return rows.map(({ id: _id, mmsi: _mmsi, ...row }) => row);
}

describe('dq_daily', () => {
    it('counts each layer and source of the day, and 1 and 3 shards give the same rows', async () => {
        // Act
        const outcome = await buildGoldWindow(deps, settings(1), DAY, 'dq-1', { force: true });
        const one = await allDq();
        // Assert
        expect(outcome.outcome).toBe('built');
        const row = (layer: string, source: string) =>
            one.find((r) => r.layer === layer && r.source === source);
        expect(one).toHaveLength(7);
        expect(row('bronze', 'ais')).toMatchObject({
            partial: false,
            batches: 3,
            events: 15,
            received: 17,
            accepted: 9,
            quarantined: 3,
            duplicates: 1,
            skipped: 4,
            newest_time: T0 + 11 * H,
            freshness_seconds: (NOW - (T0 + 11 * H)) / 1000,
        });
        const bronze = row('bronze', 'ais')!;
        expect(bronze.received).toBe(
            (bronze.accepted as number) +
                (bronze.quarantined as number) +
                (bronze.duplicates as number) +
                (bronze.skipped as number),
        );
        expect(row('quarantine', 'ais')).toMatchObject({
            quarantined: 3,
            quarantined_by_reason: { INVALID_MMSI: 1, NMEA_CHECKSUM: 2 },
            newest_time: T0 + 9 * H,
        });
        expect(row('bronze', 'sensors')).toMatchObject({
            batches: 1,
            received: 5,
            accepted: 5,
            quarantined: 0,
        });
        expect(row('quarantine', 'sensors')).toMatchObject({
            quarantined: 0,
            quarantined_by_reason: {},
            newest_time: null,
            freshness_seconds: null,
        });
        expect(row('silver', 'ais_positions')).toMatchObject({
            records: 13,
            duplicates: 3,
            late_arrivals: 2,
            newest_time: T0 + 5 * H + 45 * 60_000,
        });
        expect(row('silver', 'ais_static')).toMatchObject({
            records: 0,
            duplicates: 0,
            late_arrivals: 0,
            newest_time: null,
        });
        expect(row('silver', 'sensor_readings')).toMatchObject({
            records: 5,
            duplicates: 0,
            newest_time: T0 + 5 * H,
        });

        // Act: the same day in 3 shards (a rebuild replaces the rows).
        await buildGoldWindow(deps, settings(3), DAY, 'dq-3', { force: true });
        // Assert
        expect(await allDq()).toEqual(one);
    });

    it('serves one layer or source, and names a bad parameter', async () => {
        expect((await allDq({ layer: 'silver' })).map((r) => r.source)).toEqual([
            'ais_positions',
            'ais_static',
            'sensor_readings',
        ]);
        expect((await allDq({ source: 'ais' })).map((r) => r.layer)).toEqual(['bronze', 'quarantine']);
        await expect(
            queryDataQuality((n) => ({ date: DAY, layer: 'gold' })[n], deps.gold, NOW),
        ).rejects.toThrow(ValidationError);
        await expect(queryDataQuality((n) => ({ date: '2026-7-1' })[n], deps.gold, NOW)).rejects.toThrow(
            "'date'",
        );
    });
});
