import type { InvocationContext, Timer } from '@azure/functions';

import { type GoldTimerSummary, runGoldTimer } from '../shared/app/gold/runGoldJob.js';
import type { FunctionDefinition } from './definitions.js';
import { goldJobDepsWithParticulars, goldJobSettings } from './runtime.js';

/**
 * Timer (GOLD_SCHEDULE, hourly): builds today so far (partial rows), finalises yesterday after the grace period,
 * rebuilds days whose silver changed, catches missed days up; each day claimed in the run ledger first.
 */
export async function buildGold(timer: Timer, context: InvocationContext): Promise<GoldTimerSummary> {
    if (timer.isPastDue) context.warn('buildGold is running late (past due)');
    return runGoldTimer(await goldJobDepsWithParticulars(context), goldJobSettings(), context.invocationId);
}

export const buildGoldDefinition: FunctionDefinition = {
    name: 'buildGold',
    trigger: 'timer',
    options: {
        schedule: '%GOLD_SCHEDULE%',
        // Idempotent per day (ledger claim, outputs replaced as a whole): a retry is safe.
        retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: 10_000, maximumInterval: 120_000 },
        handler: buildGold,
    },
};
