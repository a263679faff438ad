import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { type QueueDelivery, QueueTrigger, type QueueTriggerOptions } from '../../../local/queueTrigger.js';
import {
    decodeQueueMessage,
    encodeQueueMessage,
    poisonQueueName,
    StorageShardQueue,
} from '../../../shared/adapters/StorageShardQueue.js';
import type { GoldShardMessage } from '../../../shared/app/ports.js';
import { createTestQueue, type TestQueue } from '../../helpers/localServices.js';

const OPTIONS: QueueTriggerOptions = {
    batchSize: 4,
    newBatchThreshold: 2,
    maxDequeueCount: 3,
    visibilityTimeoutMs: 0,
    maxPollingIntervalMs: 200,
};

const shard = (index: number): GoldShardMessage => ({
    day: '2026-09-01',
    index,
    count: 3,
    runStartedAt: 1_000,
    windowNow: 2_000,
    runId: 'run-1',
});

/** Resolves when `condition` holds (checked every 50 ms); fails after `ms` (a deadline, not a timing assertion). */
async function until(condition: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error('condition not met before the deadline');
        await new Promise((r) => setTimeout(r, 50));
    }
}

async function visibleMessages(q: TestQueue, name = q.name): Promise<string[]> {
    const queue = q.service.getQueueClient(name);
    // No poison queue yet: nothing was poisoned.
    if (!(await queue.exists())) return [];
    const peeked = await queue.peekMessages({ numberOfMessages: 32 });
    return peeked.peekedMessageItems.map((m) => m.messageText);
}

let q: TestQueue;
const triggers: QueueTrigger[] = [];

function trigger(
    handler: (d: QueueDelivery) => Promise<void>,
    options: Partial<QueueTriggerOptions> = {},
): QueueTrigger {
    const t = new QueueTrigger(q.service, q.name, handler, { ...OPTIONS, ...options });
    triggers.push(t);
    t.start();
    return t;
}

beforeEach(async () => {
    q = await createTestQueue('trigger');
});

afterEach(async () => {
    await Promise.all(triggers.splice(0).map((t) => t.stop()));
    await q.dispose();
});

describe('StorageShardQueue and the local queue trigger on Azurite', () => {
    it('encodes messages as the Functions trigger reads them (base64 JSON), and decodes plain text as is', () => {
        // Arrange
        const encoded = encodeQueueMessage(shard(1));
        // Act / Assert
        expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(JSON.stringify(shard(1)));
        expect(JSON.parse(decodeQueueMessage(encoded))).toEqual(shard(1));
        expect(decodeQueueMessage('{"day":"2026-09-01"}')).toBe('{"day":"2026-09-01"}');
        // Looks like base64 but is not the encoding of UTF-8 text: kept as is.
        expect(decodeQueueMessage('abcd')).toBe('abcd');
    });

    it('delivers every sent shard once, with the trigger metadata, and deletes it on success', async () => {
        // Arrange
        await new StorageShardQueue(q.service, q.name).send([shard(0), shard(1), shard(2)]);
        const delivered: QueueDelivery[] = [];
        // Act
        const t = trigger((d) => {
            delivered.push(d);
            return Promise.resolve();
        });
        await until(() => t.stats.succeeded === 3);
        // Assert
        expect(
            delivered.map((d) => JSON.parse(d.text) as GoldShardMessage).sort((a, b) => a.index - b.index),
        ).toEqual([shard(0), shard(1), shard(2)]);
        expect(
            delivered.every(
                (d) =>
                    d.metadata.dequeueCount === 1 &&
                    d.metadata.queueTrigger === d.text &&
                    d.metadata.id.length > 0,
            ),
        ).toBe(true);
        await until(async () => (await visibleMessages(q)).length === 0 && t.running === 0);
        expect(await visibleMessages(q)).toEqual([]);
        expect(t.stats).toMatchObject({ succeeded: 3, failed: 0, poisoned: 0 });
    });

    it('makes a failed message visible again and deletes it once an attempt succeeds', async () => {
        // Arrange
        await new StorageShardQueue(q.service, q.name).send([shard(0)]);
        const attempts: number[] = [];
        // Act: the first attempt fails.
        const t = trigger((d) => {
            attempts.push(d.metadata.dequeueCount);
            return d.metadata.dequeueCount === 1
                ? Promise.reject(new Error('Cosmos unavailable'))
                : Promise.resolve();
        });
        await until(() => t.stats.succeeded === 1);
        // Assert
        expect(attempts).toEqual([1, 2]);
        expect(t.stats).toMatchObject({ succeeded: 1, failed: 1, poisoned: 0 });
        await until(() => t.running === 0);
        expect(await visibleMessages(q)).toEqual([]);
        expect(await visibleMessages(q, poisonQueueName(q.name))).toEqual([]);
    });

    it('moves a message whose every attempt fails to the -poison queue after maxDequeueCount attempts, body unchanged', async () => {
        // Arrange
        await new StorageShardQueue(q.service, q.name).send([shard(2)]);
        const attempts: number[] = [];
        // Act
        const t = trigger((d) => {
            attempts.push(d.metadata.dequeueCount);
            return Promise.reject(new Error('malformed shard'));
        });
        await until(() => t.stats.poisoned === 1);
        // Assert
        expect(attempts).toEqual([1, 2, 3]);
        expect(await visibleMessages(q)).toEqual([]);
        const poisoned = await visibleMessages(q, poisonQueueName(q.name));
        expect(poisoned.map((text) => JSON.parse(decodeQueueMessage(text)) as unknown)).toEqual([shard(2)]);
    });

    it('moves a message that arrives above maxDequeueCount (its worker died on the last attempt) to poison unprocessed', async () => {
        // Arrange: two failed attempts under a trigger allowing five.
        await new StorageShardQueue(q.service, q.name).send([shard(1)]);
        const first: QueueTrigger = trigger(
            (d) => {
                // The worker stops taking messages after the second attempt.
                if (d.metadata.dequeueCount >= 2) void first.stop();
                return Promise.reject(new Error('crash'));
            },
            { maxDequeueCount: 5 },
        );
        await until(() => first.stats.failed === 2 && first.running === 0);
        await first.stop();
        let handled = 0;
        // Act: a trigger allowing one attempt gets it with dequeue count 3.
        const second = trigger(
            () => {
                handled++;
                return Promise.resolve();
            },
            { maxDequeueCount: 1 },
        );
        await until(() => second.stats.poisoned === 1);
        // Assert
        expect(handled).toBe(0);
        expect(await visibleMessages(q)).toEqual([]);
        expect(await visibleMessages(q, poisonQueueName(q.name))).toHaveLength(1);
    });

    it('renews the lease of a message whose handler outlasts it, so it is not delivered twice', async () => {
        // Arrange
        await new StorageShardQueue(q.service, q.name).send([shard(0)]);
        let deliveries = 0;
        // Act: a 2 s lease; the handler finishes only after the lease was renewed twice (4 s).
        const t: QueueTrigger = trigger(
            async () => {
                deliveries++;
                await until(() => t.stats.renewals >= 2);
            },
            { leaseMs: 2_000 },
        );
        await until(() => t.stats.succeeded === 1);
        // Assert
        expect(deliveries).toBe(1);
        await until(() => t.running === 0);
        expect(await visibleMessages(q)).toEqual([]);
    });
});
