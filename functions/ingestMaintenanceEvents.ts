import type { InvocationContext } from '@azure/functions';

import { fromEventHubBatch } from '../shared/adapters/fromEventHubBatch.js';
import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { ingestOrDeadLetter } from '../shared/app/deadLetter.js';
import {
    ingestMaintenanceBatch,
    MAINTENANCE_SOURCE,
    type MaintenanceBatchSummary,
    skippedMaintenanceSummary,
} from '../shared/app/ingestMaintenanceBatch.js';
import { EVENT_HUB_CONNECTION } from '../shared/config/settingNames.js';
import { EVENT_HUB_RETRY, type EventHubHandler, type FunctionDefinition } from './definitions.js';
import { warnIfRetry } from './retryWarning.js';
import type { Runtime } from './runtime.js';

/** Event Hub trigger (batch): the maintenance log (failures, repairs, services) into bronze, quarantine and silver. */
export async function ingestMaintenanceEvents(
    rt: Runtime,
    messages: unknown[],
    context: InvocationContext,
): Promise<MaintenanceBatchSummary> {
    const deps = rt.maintenanceIngestDeps(invocationLogger(context));
    const events = fromEventHubBatch(messages, context.triggerMetadata, deps.clock.now());
    warnIfRetry('ingestMaintenanceEvents', context);
    const summary = await ingestOrDeadLetter(
        {
            functionName: 'ingestMaintenanceEvents',
            source: MAINTENANCE_SOURCE,
            events,
            attempt: context.retryContext,
            run: () => ingestMaintenanceBatch(events, deps),
            skippedSummary: () => skippedMaintenanceSummary(events, deps.clock.now()),
        },
        rt.deadLetterDeps(deps, rt.config.maintenance.hubName),
    );
    await rt.batchLanded(MAINTENANCE_SOURCE, summary, deps.logger);
    return summary;
}

export const ingestMaintenanceEventsDefinition: FunctionDefinition = {
    name: 'ingestMaintenanceEvents',
    trigger: 'eventHub',
    options: {
        connection: EVENT_HUB_CONNECTION,
        eventHubName: '%MAINTENANCE_EVENTHUB_NAME%',
        consumerGroup: '%MAINTENANCE_CONSUMER_GROUP%',
        cardinality: 'many',
        // Bytes: bronze keeps each body exactly as sent (see ingestAis).
        dataType: 'binary',
        retry: EVENT_HUB_RETRY,
    },
    handler: ingestMaintenanceEvents as EventHubHandler,
};
