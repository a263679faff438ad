/**
 * Stopping the local stack: a batch being processed when the stop comes is finished through the sinks (bronze,
 * silver, vessel state) before the services stop, not cut off and dead-lettered; what was still queued is
 * reported as not drained. The stack starts its own services (startStack), in memory.
 */
import { readdirSync } from 'node:fs';

import { afterAll, describe, expect, it } from '@jest/globals';

import { type Stack, startStack } from '../../../local/stack.js';
import { positionEvents } from '../../helpers/factories.js';

const NOW = Date.now();
let stack: Stack | undefined;

afterAll(async () => {
    await stack?.abort();
});

/** `n` position events of distinct vessels, a minute old. */
const positions = (n: number, first: number) => positionEvents(n, first, NOW - 60_000);

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
