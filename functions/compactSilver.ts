import type { InvocationContext, Timer } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { type CompactionSummary, runCompactionTimer } from '../shared/app/compactSilver.js';
import type { FunctionDefinition } from './definitions.js';
import type { Runtime } from './runtime.js';

/**
 * Timer (COMPACTION_SCHEDULE, hourly): merges the batch files of each closed silver table-hour into a few sorted files
 * and switches readers with the hour's manifest; deletes replaced files after COMPACTION_DELETE_DELAY_MINUTES. Each
 * hour is claimed in the run ledger, so a double fire compacts it once; a backlog is caught up oldest first.
 */
export async function compactSilver(
    rt: Runtime,
    timer: Timer,
    context: InvocationContext,
): Promise<CompactionSummary> {
    if (timer.isPastDue) context.warn('compactSilver is running late (past due)');
    return runCompactionTimer(
        rt.compactionDeps(invocationLogger(context)),
        rt.compactionSettings,
        context.invocationId,
    );
}

export const compactSilverDefinition: FunctionDefinition = {
    name: 'compactSilver',
    trigger: 'timer',
    options: {
        schedule: '%COMPACTION_SCHEDULE%',
        // Idempotent per hour (ledger claim; the manifest switch is one blob): a retry is safe.
        retry: {
            strategy: 'exponentialBackoff',
            maxRetryCount: 3,
            minimumInterval: 10_000,
            maximumInterval: 120_000,
        },
    },
    handler: compactSilver,
};
