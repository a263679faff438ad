import type { InvocationContext, Timer } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { type GoldTimerSummary, runGoldTimer } from '../shared/app/gold/runGoldJob.js';
import type { FunctionDefinition } from './definitions.js';
import type { Runtime } from './runtime.js';

/**
 * Timer (GOLD_SCHEDULE, hourly): builds today so far (partial rows), finalises yesterday after the grace period,
 * rebuilds days whose silver changed, catches missed days up; each day claimed in the run ledger first.
 */
export async function buildGold(
    rt: Runtime,
    timer: Timer,
    context: InvocationContext,
): Promise<GoldTimerSummary> {
    if (timer.isPastDue) context.warn('buildGold is running late (past due)');
    return runGoldTimer(
        await rt.goldJobDeps(invocationLogger(context)),
        rt.goldSettings,
        context.invocationId,
    );
}

export const buildGoldDefinition: FunctionDefinition = {
    name: 'buildGold',
    trigger: 'timer',
    options: {
        schedule: '%GOLD_SCHEDULE%',
        // Idempotent per day (ledger claim, outputs replaced as a whole): a retry is safe.
        retry: {
            strategy: 'exponentialBackoff',
            maxRetryCount: 3,
            minimumInterval: 10_000,
            maximumInterval: 120_000,
        },
    },
    handler: buildGold,
};
