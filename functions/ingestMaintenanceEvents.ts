import type { InvocationContext } from '@azure/functions';

import { fromEventHubBatch } from '../shared/adapters/fromEventHubBatch.js';
import { ingestOrDeadLetter } from '../shared/app/deadLetter.js';
import {
    ingestMaintenanceBatch,
    MAINTENANCE_SOURCE,
    type MaintenanceBatchSummary,
    skippedMaintenanceSummary,
} from '../shared/app/ingestMaintenanceBatch.js';
import { SETTINGS } from '../shared/config/settingNames.js';
import { EVENT_HUB_CONNECTION } from '../shared/config/settingNames.js';
import { EVENT_HUB_RETRY, type FunctionDefinition } from './definitions.js';
import { warnIfRetry } from './retryWarning.js';
import { deadLetterDeps, maintenanceIngestDeps, markWatermarks } from './runtime.js';

/** Event Hub trigger (batch): the maintenance log (failures, repairs, services) into bronze, quarantine and silver. */
/** The maintenance hub's name in lineage records (its setting's default; the trigger binds `%MAINTENANCE_EVENTHUB_NAME%`). */
const MAINTENANCE_HUB = SETTINGS.find((x) => x.name === 'MAINTENANCE_EVENTHUB_NAME')?.defaultValue ?? 'maintenance-events';

export async function ingestMaintenanceEvents(messages: unknown[], context: InvocationContext): Promise<MaintenanceBatchSummary> {
    const deps = maintenanceIngestDeps(context);
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
        deadLetterDeps(deps, MAINTENANCE_HUB),
    );
    await markWatermarks(MAINTENANCE_SOURCE, summary, context);
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
        handler: ingestMaintenanceEvents as (messages: unknown, context: InvocationContext) => Promise<MaintenanceBatchSummary>,
    },
};
