import type { InvocationContext } from '@azure/functions';

import { fromEventHubBatch } from '../shared/adapters/fromEventHubBatch.js';
import { type BatchSummary, ingestAisBatch } from '../shared/app/ingestAisBatch.js';
import { EVENT_HUB_CONNECTION } from '../shared/config/settingNames.js';
import { EVENT_HUB_RETRY, type FunctionDefinition } from './definitions.js';
import { ingestDeps } from './runtime.js';

/** Event Hub trigger (batch): raw AIS into bronze, silver, quarantine and the live vessel state. */
export async function ingestAis(messages: unknown[], context: InvocationContext): Promise<BatchSummary> {
    const deps = ingestDeps(context);
    const events = fromEventHubBatch(messages, context.triggerMetadata, deps.clock.now());
    if (context.retryContext && context.retryContext.retryCount > 0) {
        context.warn(`ingestAis retry ${context.retryContext.retryCount} of ${context.retryContext.maxRetryCount}`);
    }
    return ingestAisBatch(events, deps);
}

export const ingestAisDefinition: FunctionDefinition = {
    name: 'ingestAis',
    trigger: 'eventHub',
    options: {
        connection: EVENT_HUB_CONNECTION,
        eventHubName: '%AIS_EVENTHUB_NAME%',
        consumerGroup: '%AIS_CONSUMER_GROUP%',
        cardinality: 'many',
        // Non-JSON bodies (NMEA, CSV) only bind as strings: Azure/azure-functions-nodejs-library#187, #340.
        dataType: 'string',
        retry: EVENT_HUB_RETRY,
        handler: ingestAis as (messages: unknown, context: InvocationContext) => Promise<BatchSummary>,
    },
};
