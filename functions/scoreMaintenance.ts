import type { InvocationContext, Timer } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import {
    type MaintenanceDaySummary,
    runMaintenanceTimer,
} from '../shared/app/maintenance/scoreMaintenance.js';
import type { FunctionDefinition } from './definitions.js';
import type { Runtime } from './runtime.js';

/**
 * Timer (MAINTENANCE_SCHEDULE, hourly after the gold build): scores every equipment for the due days (health,
 * failure probability, top features) into gold `equipment_health`, and raises `maintenance-risk` warnings.
 */
export async function scoreMaintenance(
    rt: Runtime,
    timer: Timer,
    context: InvocationContext,
): Promise<MaintenanceDaySummary[]> {
    if (timer.isPastDue) context.warn('scoreMaintenance is running late (past due)');
    return runMaintenanceTimer(
        rt.maintenanceScoreDeps(invocationLogger(context)),
        rt.maintenanceScoreSettings,
        context.invocationId,
    );
}

export const scoreMaintenanceDefinition: FunctionDefinition = {
    name: 'scoreMaintenance',
    trigger: 'timer',
    options: {
        schedule: '%MAINTENANCE_SCHEDULE%',
        // Idempotent per day (ledger claim, outputs replaced as a whole, alert ids per episode): a retry is safe.
        retry: {
            strategy: 'exponentialBackoff',
            maxRetryCount: 3,
            minimumInterval: 10_000,
            maximumInterval: 120_000,
        },
    },
    handler: scoreMaintenance,
};
