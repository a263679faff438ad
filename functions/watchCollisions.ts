import type { InvocationContext, Timer } from '@azure/functions';

import { type CollisionRunSummary, watchCollisionRisks } from '../shared/app/watchCollisionRisks.js';
import type { FunctionDefinition } from './definitions.js';
import { collisionDeps } from './runtime.js';

/** Timer, every minute: CPA/TCPA over the vessels that reported recently; an alert per pair at risk. */
export async function watchCollisions(timer: Timer, context: InvocationContext): Promise<CollisionRunSummary> {
    if (timer.isPastDue) context.warn('watchCollisions is running late (past due)');
    return watchCollisionRisks(collisionDeps(context));
}

export const watchCollisionsDefinition: FunctionDefinition = {
    name: 'watchCollisions',
    trigger: 'timer',
    options: {
        schedule: '0 * * * * *',
        // Idempotent per run (alert ids from the pair and the closest-approach slot): a retry is safe.
        retry: { strategy: 'exponentialBackoff', maxRetryCount: 2, minimumInterval: 2_000, maximumInterval: 10_000 },
        handler: watchCollisions,
    },
};
