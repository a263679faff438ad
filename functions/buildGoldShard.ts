import type { InvocationContext } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { parseGoldShardMessage, runGoldShard, type ShardOutcome } from '../shared/app/gold/goldShards.js';
import { GOLD_QUEUE_CONNECTION } from '../shared/config/settingNames.js';
import type { FunctionDefinition } from './definitions.js';
import type { Runtime } from './runtime.js';

/**
 * Queue trigger (`GOLD_SHARD_QUEUE`): builds one shard of a gold day that `buildGold` sent; the last shard of the
 * run completes the day (fleet summary, data quality, ledger, lineage). A redelivered message rebuilds its shard
 * and overwrites the same outputs; a message of a finished or replaced run is ignored. A failure is retried by the
 * trigger (host.json `queues`: `maxDequeueCount` attempts, `visibilityTimeout` apart), then the message goes to
 * `<queue>-poison`; the run's lease expires and the next `buildGold` fire claims the day again.
 */
export async function buildGoldShard(
    rt: Runtime,
    message: unknown,
    context: InvocationContext,
): Promise<ShardOutcome> {
    const m = parseGoldShardMessage(message);
    const attempt = context.triggerMetadata?.['dequeueCount'];
    if (typeof attempt === 'number' && attempt > 1)
        context.warn(`gold shard ${m.day} ${m.index}/${m.count}: attempt ${attempt}`);
    return runGoldShard(await rt.goldJobDeps(invocationLogger(context)), rt.goldSettings, m);
}

export const buildGoldShardDefinition: FunctionDefinition = {
    name: 'buildGoldShard',
    trigger: 'storageQueue',
    // No retry policy: queue triggers retry through the message itself (dequeue count, then the poison queue).
    options: { queueName: '%GOLD_SHARD_QUEUE%', connection: GOLD_QUEUE_CONNECTION },
    handler: buildGoldShard,
};
