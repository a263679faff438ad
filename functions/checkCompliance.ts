import type { InvocationContext, Timer } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import {
    type ComplianceTimerSummary,
    runComplianceTimer,
} from '../shared/app/compliance/runComplianceTimer.js';
import type { FunctionDefinition } from './definitions.js';
import { COMPLIANCE_RULE_VERSION, type Runtime } from './runtime.js';

/** Timer (`COMPLIANCE_SCHEDULE`, default every 5 min): the compliance checks over the due UTC days, then the CII years. */
export async function checkCompliance(
    rt: Runtime,
    timer: Timer,
    context: InvocationContext,
): Promise<ComplianceTimerSummary> {
    if (timer.isPastDue) context.warn('checkCompliance is running late (past due)');
    return runComplianceTimer(
        rt.complianceDeps(invocationLogger(context)),
        rt.complianceSettings,
        COMPLIANCE_RULE_VERSION,
        context.invocationId,
    );
}

export const checkComplianceDefinition: FunctionDefinition = {
    name: 'checkCompliance',
    trigger: 'timer',
    options: {
        schedule: '%COMPLIANCE_SCHEDULE%',
        // Idempotent per day and year (run ledger claims, deterministic ids, reconciliation writes only changes): a retry is safe.
        retry: {
            strategy: 'exponentialBackoff',
            maxRetryCount: 2,
            minimumInterval: 5_000,
            maximumInterval: 30_000,
        },
    },
    handler: checkCompliance,
};
