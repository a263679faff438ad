import type { InvocationContext, Timer } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { type CollisionRunSummary, watchCollisionRisks } from '../shared/app/watchCollisionRisks.js';
import type { FunctionDefinition } from './definitions.js';
import type { Runtime } from './runtime.js';

/** Timer, every minute: CPA/TCPA over the vessels that reported recently; an alert per pair at risk. */
export async function watchCollisions(
    rt: Runtime,
    timer: Timer,
    context: InvocationContext,
): Promise<CollisionRunSummary> {
    if (timer.isPastDue) context.warn('watchCollisions is running late (past due)');
    return watchCollisionRisks(rt.collisionDeps(invocationLogger(context)));
}

export const watchCollisionsDefinition: FunctionDefinition = {
    name: 'watchCollisions',
    trigger: 'timer',
    options: {
        schedule: '0 * * * * *',
        // Idempotent per run (alert ids from the pair and the closest-approach slot): a retry is safe.
        retry: {
            strategy: 'exponentialBackoff',
            maxRetryCount: 2,
            minimumInterval: 2_000,
            maximumInterval: 10_000,
        },
    },
    handler: watchCollisions,
};
