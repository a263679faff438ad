/**
 * Stopping the local stack: a batch being processed when the stop comes is finished through the sinks (bronze,
 * silver, vessel state) before the services stop, not cut off and dead-lettered; what was still queued is
 * reported as not drained. The stack starts its own services (startStack), in memory.
 */
import { readdirSync } from 'node:fs';

import { afterAll, describe, expect, it } from '@jest/globals';

import { type Stack, startStack } from '../../../local/stack.js';

const NOW = Date.now();
let stack: Stack | undefined;

afterAll(async () => {
    await stack?.abort();
});

/** `n` position events of distinct vessels, as JSON (all in one partition: the stack has one). */
function positions(n: number, first: number) {
    return Array.from({ length: n }, (_, i) => ({
        body: JSON.stringify({
            type: 'position',
            mmsi: 366000000 + first + i,
            timestamp: new Date(NOW - 60_000).toISOString(),
            lat: 37 + i / 1000,
            lon: -122,
            sog: 10,
            cog: 90,
        }),
        partitionKey: String(366000000 + first + i),
    }));
}

describe('stack stop', () => {
    it('finishes the batch in flight (accepted, not skipped or dead-lettered) and reports the queued rest as not drained', async () => {
        stack = await startStack({
            inMemory: true,
            httpPort: 0,
            partitions: 1,
            maxBatchSize: 100,
            batchWindowMs: 10,
            retryDelayScale: 0.01,
        });
        stack.publish(positions(100, 0));
        stack.publish(positions(200, 100));
        // Wait until the first batch is being processed, then stop at once (no drain time): only the batch in
        // flight may complete; the two still queued must not start.
        const started = Date.now();
        while (stack.host.oldestAttemptStart() === undefined && Date.now() - started < 20_000)
            await new Promise((r) => setTimeout(r, 2));
        expect(stack.host.oldestAttemptStart()).toBeDefined();
        const { undrained } = await stack.stop({ drainTimeoutMs: 0 });
        const totals = stack.totals;
        stack = undefined;
        expect({
            received: totals.received,
            accepted: totals.accepted,
            skipped: totals.skipped,
            lost: totals.lostEvents,
        }).toEqual({ received: 100, accepted: 100, skipped: 0, lost: 0 });
        expect(undrained).toBe(200);
        expect(readdirSync(totals.deadLetterDir)).toEqual([]);
    }, 60_000);
});
