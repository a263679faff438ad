/**
 * The gold fan-out as `npm start` and Azure run it: the `buildGold` handler sends the day's shards to a real Storage
 * queue (Azurite), the local trigger host's queue trigger runs `buildGoldShard` per message with host.json's queue
 * settings, and the last shard completes the day. A message that is not a shard ends in the poison queue.
 */
// A CommonJS package whose classes Node's ESM loader cannot see as named exports.
import azureFunctions from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { buildGold } from '../../../functions/buildGold.js';
import { buildGoldShardDefinition } from '../../../functions/buildGoldShard.js';
import { bindFunctions } from '../../../functions/definitions.js';
import { createRuntime, type Runtime } from '../../../functions/runtime.js';
import hostJson from '../../../host.json' with { type: 'json' };
import { LocalHost } from '../../../local/host.js';
import { hostQueueOptions } from '../../../local/queueTrigger.js';
import { CosmosGoldStore } from '../../../shared/adapters/CosmosGoldStore.js';
import { CosmosJobRunStore } from '../../../shared/adapters/CosmosJobRunStore.js';
import {
    decodeQueueMessage,
    encodeQueueMessage,
    poisonQueueName,
} from '../../../shared/adapters/StorageShardQueue.js';
import { GOLD_JOB } from '../../../shared/app/gold/runGoldJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import type { LineageSink, OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import {
    createTestDatabase,
    createTestLake,
    createTestQueue,
    localConfig,
    localServices,
    type TestDatabase,
    type TestLake,
    type TestQueue,
} from '../../helpers/localServices.js';
import { testTimer } from '../../helpers/timers.js';
import { steadyTrack, writeSilverPositions } from './silverFactory.js';

jest.setTimeout(300_000);

const { InvocationContext } = azureFunctions;
const DAY = '2026-09-01';
const T0 = dayStart(DAY);
const H = 3_600_000;

class RecordingLineage implements LineageSink {
    readonly events: OpenLineageRunEvent[] = [];
    write(event: OpenLineageRunEvent): Promise<void> {
        this.events.push(event);
        return Promise.resolve();
    }
}

async function until(condition: () => boolean | Promise<boolean>, ms = 240_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error('condition not met before the deadline');
        await new Promise((r) => setTimeout(r, 200));
    }
}

let lake: TestLake;
let db: TestDatabase;
let queue: TestQueue;
let rt: Runtime;
let host: LocalHost;
const lineage = new RecordingLineage();

beforeAll(async () => {
    [lake, db, queue] = await Promise.all([
        createTestLake('goldq'),
        createTestDatabase('goldq'),
        createTestQueue('goldq'),
    ]);
    // The timer fires on 2026-09-03: it builds 09-01 (the day with data), 09-02 and 09-03 (empty), three shards each.
    const settings = {
        GOLD_SHARDS: '3',
        GOLD_LATE_HORIZON_DAYS: '2',
        GOLD_SHARD_QUEUE: queue.name,
        GoldQueueConnection: localServices().lakeConnectionString,
    };
    const database = db.client.database(db.databaseId);
    rt = createRuntime(localConfig(settings), {
        adapters: {
            lake: lake.lake,
            gold: new CosmosGoldStore(database.container('gold')),
            jobRuns: new CosmosJobRunStore(database.container('jobRuns')),
            clock: { now: () => T0 + 50 * H },
            lineage: { sink: lineage, lakeNamespace: 'test' },
        },
    });
    await rt.ensureShardQueue();
    // The host as the stack builds it: host.json's queue settings (retries without the 30 s wait, for the test).
    host = new LocalHost(bindFunctions([buildGoldShardDefinition], rt), {
        settings,
        queueService: rt.queueService!,
        queueOptions: {
            ...hostQueueOptions(hostJson.extensions.queues),
            visibilityTimeoutMs: 0,
            maxPollingIntervalMs: 250,
        },
        log: () => undefined,
    });
    await host.start();
    for (let k = 0; k < 5; k++) {
        await writeSilverPositions(
            lake.lake,
            steadyTrack(
                7001 + k,
                T0 + k * H,
                T0 + (k + 6) * H,
                10,
                { lat: 51 + k, lon: k % 2 === 0 ? 3 : -20 },
                9 + k,
            ),
            k,
        );
    }
}, 120_000);

afterAll(async () => {
    await host?.stop();
    rt?.dispose();
    await Promise.all([lake?.dispose(), db?.dispose(), queue?.dispose()]);
});

describe('gold shards through the Storage queue and the local queue trigger', () => {
    it('buildGold sends three shard messages; the queue trigger builds them and the last one completes the day', async () => {
        // Act: one timer fire.
        const context = new InvocationContext({ functionName: 'buildGold', invocationId: 'fire-1' });
        const summary = await buildGold(rt, testTimer(), context);
        // Assert: the day was handed out, and is completed by the shard messages.
        expect(summary.windows).toEqual(
            ['2026-09-01', '2026-09-02', '2026-09-03'].map((day) => ({
                day,
                outcome: 'dispatched',
                shards: 3,
            })),
        );
        await until(
            async () =>
                (await rt.jobRuns.list(GOLD_JOB, '2026-09-01', '2026-09-03')).filter(
                    (r) => r.status === 'succeeded',
                ).length === 3,
        );
        const run = await rt.jobRuns.get(GOLD_JOB, DAY);
        expect(run?.result).toMatchObject({ shards: 3, rows: { vessel_daily: 5, fleet_daily: 1 } });
        const daily = (await rt.gold.query({ table: 'vessel_daily', fromDay: DAY, toDay: DAY, limit: 100 }))
            .items;
        expect(daily.map((d) => d.mmsi).sort()).toEqual([7001, 7002, 7003, 7004, 7005]);
        const runIds = new Set(daily.map((d) => d['run_id']));
        expect(runIds.size).toBe(1);
        // One lineage record per day, written by its last shard; the one of 09-01 under the run id its rows carry.
        const records = lineage.events.filter((e) => e.job.name === GOLD_JOB);
        expect(records).toHaveLength(3);
        expect(records.map((e) => e.run.runId)).toContain([...runIds][0]);
        expect(host.queueStats[queue.name]).toMatchObject({ succeeded: 9, failed: 0, poisoned: 0 });
        await until(() => host.queueRunning === 0);
        const left = await queue.service.getQueueClient(queue.name).peekMessages({ numberOfMessages: 32 });
        expect(left.peekedMessageItems).toEqual([]);
    });

    it('moves a message that is not a shard message to the poison queue after maxDequeueCount attempts', async () => {
        // Arrange
        const before = host.queueStats[queue.name]!;
        const junk = { day: 'yesterday', index: 0, count: 3 };
        // Act
        await queue.service.getQueueClient(queue.name).sendMessage(encodeQueueMessage(junk));
        await until(() => host.queueStats[queue.name]!.poisoned === before.poisoned + 1);
        // Assert
        expect(host.queueStats[queue.name]!.failed - before.failed).toBe(
            hostJson.extensions.queues.maxDequeueCount,
        );
        const poisoned = await queue.service
            .getQueueClient(poisonQueueName(queue.name))
            .peekMessages({ numberOfMessages: 32 });
        expect(
            poisoned.peekedMessageItems.map((m) => JSON.parse(decodeQueueMessage(m.messageText)) as unknown),
        ).toEqual([junk]);
    });
});
