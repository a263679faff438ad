import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { runGoldShard } from '../../../shared/app/gold/goldShards.js';
import {
    buildGoldWindow,
    GOLD_JOB,
    type GoldJobDeps,
    type GoldJobSettings,
} from '../../../shared/app/gold/runGoldJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import type { LineageSink, OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import type { GoldShardMessage, ShardQueue } from '../../../shared/app/ports.js';
import { createPortIndex } from '../../../shared/domain/gold/ports.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import { type GoldTestStores, openGoldTestStores } from '../../helpers/goldTestStores.js';
import { type TestDatabase, type TestLake } from '../../helpers/localServices.js';
import { steadyTrack, writeSilverPositions } from './silverFactory.js';

// Builds on Azurite and the Cosmos-protocol server take seconds each on a shared machine.
jest.setTimeout(300_000);

const DAY = '2026-09-01';
const T0 = dayStart(DAY);
const H = 3_600_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const settings = (shards: number): GoldJobSettings => ({
    graceMs: 2 * H,
    horizonDays: 2,
    maxWindows: 2,
    leaseMs: 600_000,
    shards,
});

/** The queue as the timer sees it: the messages it was given, delivered by the test (in any order, any number of times). */
class RecordingQueue implements ShardQueue {
    readonly sent: GoldShardMessage[] = [];
    send(messages: readonly GoldShardMessage[]): Promise<void> {
        this.sent.push(...messages.map((m) => ({ ...m })));
        return Promise.resolve();
    }
}

/** Lineage records as written. */
class RecordingLineage implements LineageSink {
    readonly events: OpenLineageRunEvent[] = [];
    write(event: OpenLineageRunEvent): Promise<void> {
        this.events.push(event);
        return Promise.resolve();
    }
}

let lake: TestLake;
let db: TestDatabase;
let deps: GoldJobDeps;

beforeAll(async () => {
    let stores: GoldTestStores['stores'];
    ({ lake, db, stores } = await openGoldTestStores('goldshards'));
    deps = {
        ...stores,
        zones: createZoneIndex(),
        ports: createPortIndex(),
        clock: { now: () => T0 + 50 * H },
        logger: quiet,
    };
    // Seven vessels sailing part of the day, some in an ECA (so every shard of three gets some).
    for (let k = 0; k < 7; k++) {
        await writeSilverPositions(
            lake.lake,
            steadyTrack(
                5001 + k,
                T0 + k * H,
                T0 + (k + 8) * H,
                10,
                { lat: 50 + k, lon: k % 2 === 0 ? 2 : -30 },
                8 + k,
            ),
            k,
        );
    }
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

async function snapshot(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of ['vessel_daily', 'emissions_daily', 'fleet_daily', 'dq_daily']) {
        const items = (await deps.gold.query({ table, fromDay: DAY, toDay: DAY, limit: 1000 })).items;
        // run_id says which build wrote a row; the data itself must be identical.
        out[table] = items
            .map(({ _rid, _self, _etag, _attachments, _ts, run_id: _run, ...rest }) => rest)
            .sort((a, b) => (a.id < b.id ? -1 : 1));
    }
    return out;
}

describe('gold shards over a queue', () => {
    it('builds a day from shard messages, completes it with the last shard, and a message delivered twice changes nothing', async () => {
        // Arrange: the day built inline in one shard, as the reference.
        await buildGoldWindow(deps, settings(1), DAY, 'inline', { force: true });
        const reference = await snapshot();
        expect(reference.vessel_daily).toHaveLength(7);
        const queue = new RecordingQueue();
        const lineage = new RecordingLineage();
        const fanOut: GoldJobDeps = { ...deps, shardQueue: queue, lineage };

        // Act: the timer's run of the day sends three shard messages and leaves the run open.
        const outcome = await buildGoldWindow(fanOut, settings(3), DAY, 'fan-out', { force: true });
        // Assert
        expect(outcome).toEqual({ day: DAY, outcome: 'dispatched', shards: 3 });
        expect(queue.sent.map((m) => `${m.index}/${m.count}`)).toEqual(['0/3', '1/3', '2/3']);
        // Every message carries the run's lineage id.
        const runId = queue.sent[0]?.runId;
        expect(runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
        expect(queue.sent.every((m) => m.runId === runId)).toBe(true);
        expect((await deps.runs.get(GOLD_JOB, DAY))?.status).toBe('running');

        // Act: shard 2 is delivered twice, then shard 0; the run is still open; shard 1 is the last.
        const [m0, m1, m2] = queue.sent as [GoldShardMessage, GoldShardMessage, GoldShardMessage];
        expect(await runGoldShard(fanOut, settings(3), m2)).toBe('built');
        expect(await runGoldShard(fanOut, settings(3), m2)).toBe('built');
        expect(await runGoldShard(fanOut, settings(3), m0)).toBe('built');
        expect((await deps.runs.get(GOLD_JOB, DAY))?.status).toBe('running');
        expect(await runGoldShard(fanOut, settings(3), m1)).toBe('completed');

        // Assert: the run is done, and the tables are those of the inline build (nothing counted twice).
        const run = await deps.runs.get(GOLD_JOB, DAY);
        expect(run).toMatchObject({
            status: 'succeeded',
            result: { shards: 3, rows: { vessel_daily: 7, fleet_daily: 1 } },
        });
        expect(await snapshot()).toEqual(reference);
        // The rows of the shards and of the day's last step carry the run id, and the last shard recorded the lineage.
        for (const table of ['vessel_daily', 'emissions_daily', 'fleet_daily', 'dq_daily']) {
            const items = (await deps.gold.query({ table, fromDay: DAY, toDay: DAY, limit: 1000 })).items;
            expect(items.length).toBeGreaterThan(0);
            expect(new Set(items.map((i) => i['run_id']))).toEqual(new Set([runId]));
        }
        expect(lineage.events).toHaveLength(1);
        expect(lineage.events[0]?.run.runId).toBe(runId);
        expect(lineage.events[0]?.outputs.map((o) => o.name)).toEqual(
            expect.arrayContaining([
                `gold/vessel_daily/date=${DAY}/part-2-of-3.parquet`,
                `gold/fleet_daily/date=${DAY}/part-0-of-1.parquet`,
            ]),
        );
        const parts = (await lake.lake.list('gold', `vessel_daily/date=${DAY}/`)).map((p) => p.path).sort();
        expect(parts).toEqual([0, 1, 2].map((i) => `vessel_daily/date=${DAY}/part-${i}-of-3.parquet`));

        // Act: a message redelivered after the day was completed.
        expect(await runGoldShard(fanOut, settings(3), m1)).toBe('stale');
        // Assert
        expect(await snapshot()).toEqual(reference);
        expect((await deps.runs.get(GOLD_JOB, DAY))?.attempts).toBe(run?.attempts);
    });
});
