import { describe, expect, it } from '@jest/globals';

import hostJson from '../../../host.json' with { type: 'json' };
import { hostQueueOptions, timespanMs } from '../../../local/queueTrigger.js';

describe('the local queue trigger reads host.json like the Functions host', () => {
    it('reads .NET time spans', () => {
        expect(timespanMs('00:00:30')).toBe(30_000);
        expect(timespanMs('01:02:03.5')).toBe(3_723_500);
        expect(timespanMs('1.00:00:00')).toBe(86_400_000);
        expect(() => timespanMs('30s')).toThrow(/hh:mm:ss/);
    });

    it("takes host.json's queue settings, and the Functions defaults for what it leaves out", () => {
        expect(hostQueueOptions(hostJson.extensions.queues, 60_000)).toEqual({
            batchSize: 1,
            newBatchThreshold: 0,
            maxDequeueCount: 5,
            visibilityTimeoutMs: 30_000,
            maxPollingIntervalMs: 5_000,
            leaseMs: 60_000,
        });
        expect(hostQueueOptions({})).toEqual({
            batchSize: 16,
            newBatchThreshold: 8,
            maxDequeueCount: 5,
            visibilityTimeoutMs: 0,
            maxPollingIntervalMs: 60_000,
        });
    });
});
