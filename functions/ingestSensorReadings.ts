import type { InvocationContext } from '@azure/functions';

import { fromEventHubBatch } from '../shared/adapters/fromEventHubBatch.js';
import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { ingestOrDeadLetter } from '../shared/app/deadLetter.js';
import { recordIngestBatchAfterRun } from '../shared/app/ingestBatches.js';
import {
    ingestSensorBatch,
    SENSOR_SOURCE,
    type SensorBatchSummary,
    skippedSensorSummary,
} from '../shared/app/ingestSensorBatch.js';
import { EVENT_HUB_CONNECTION } from '../shared/config/settingNames.js';
import { EVENT_HUB_RETRY, type EventHubHandler, type FunctionDefinition } from './definitions.js';
import { warnIfRetry } from './retryWarning.js';
import type { Runtime } from './runtime.js';

/** Event Hub trigger (batch): ship sensor readings into the lake, the per-sensor state and alerts. */
export async function ingestSensorReadings(
    rt: Runtime,
    messages: unknown[],
    context: InvocationContext,
): Promise<SensorBatchSummary> {
    const deps = rt.sensorIngestDeps(invocationLogger(context));
    const events = fromEventHubBatch(messages, context.triggerMetadata, deps.clock.now());
    warnIfRetry('ingestSensorReadings', context);
    const summary = await ingestOrDeadLetter(
        {
            functionName: 'ingestSensorReadings',
            source: SENSOR_SOURCE,
            events,
            attempt: context.retryContext,
            run: () => rt.resourceCheck.run(() => ingestSensorBatch(events, deps)),
            skippedSummary: () => skippedSensorSummary(events),
        },
        rt.deadLetterDeps(deps, rt.config.sensors.hubName),
    );
    await recordIngestBatchAfterRun(deps, SENSOR_SOURCE, events, summary);
    await rt.batchLanded(SENSOR_SOURCE, summary, deps.logger);
    return summary;
}

export const ingestSensorReadingsDefinition: FunctionDefinition = {
    name: 'ingestSensorReadings',
    trigger: 'eventHub',
    options: {
        connection: EVENT_HUB_CONNECTION,
        eventHubName: '%SENSOR_EVENTHUB_NAME%',
        consumerGroup: '%SENSOR_CONSUMER_GROUP%',
        cardinality: 'many',
        // Bytes: bronze keeps each body exactly as sent (see ingestAis).
        dataType: 'binary',
        retry: EVENT_HUB_RETRY,
    },
    handler: ingestSensorReadings as EventHubHandler,
};
