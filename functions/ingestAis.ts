import type { InvocationContext } from '@azure/functions';

import { fromEventHubBatch } from '../shared/adapters/fromEventHubBatch.js';
import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { ingestOrDeadLetter } from '../shared/app/deadLetter.js';
import {
    AIS_SOURCE,
    type BatchSummary,
    ingestAisBatch,
    skippedAisSummary,
} from '../shared/app/ingestAisBatch.js';
import { recordIngestBatchAfterRun } from '../shared/app/ingestBatches.js';
import { EVENT_HUB_CONNECTION } from '../shared/config/settingNames.js';
import { EVENT_HUB_RETRY, type EventHubHandler, type FunctionDefinition } from './definitions.js';
import { warnIfRetry } from './retryWarning.js';
import type { Runtime } from './runtime.js';

/**
 * Event Hub trigger (batch): raw AIS into bronze, silver, quarantine and the live vessel state. A failure is
 * retried under EVENT_HUB_RETRY; on the last attempt the whole batch is dead-lettered and counted as skipped.
 */
export async function ingestAis(
    rt: Runtime,
    messages: unknown[],
    context: InvocationContext,
): Promise<BatchSummary> {
    const deps = rt.ingestDeps(invocationLogger(context));
    const events = fromEventHubBatch(messages, context.triggerMetadata, deps.clock.now());
    warnIfRetry('ingestAis', context);
    const summary = await ingestOrDeadLetter(
        {
            functionName: 'ingestAis',
            source: AIS_SOURCE,
            events,
            attempt: context.retryContext,
            run: () => rt.resourceCheck.run(() => ingestAisBatch(events, deps)),
            skippedSummary: () => skippedAisSummary(events),
        },
        rt.deadLetterDeps(deps, rt.config.eventHub.aisHubName),
    );
    await recordIngestBatchAfterRun(deps, AIS_SOURCE, events, summary);
    await rt.batchLanded(AIS_SOURCE, summary, deps.logger);
    return summary;
}

export const ingestAisDefinition: FunctionDefinition = {
    name: 'ingestAis',
    trigger: 'eventHub',
    options: {
        connection: EVENT_HUB_CONNECTION,
        eventHubName: '%AIS_EVENTHUB_NAME%',
        consumerGroup: '%AIS_CONSUMER_GROUP%',
        cardinality: 'many',
        // Bytes, not strings: with `string` the Node worker JSON.parses every body that parses (Azure Functions
        // nodejs library, fromRpcTypedData), so bronze could only keep a re-serialisation (`43.10` -> `43.1`,
        // `null` -> nothing). As bytes every body reaches bronze exactly as sent. (Without any dataType the
        // extension itself tries JSON on non-JSON bodies: Azure/azure-functions-nodejs-library#187, #340.)
        dataType: 'binary',
        retry: EVENT_HUB_RETRY,
    },
    handler: ingestAis as EventHubHandler,
};
