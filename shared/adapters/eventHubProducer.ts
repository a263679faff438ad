/**
 * The one factory of Event Hub producers (alerts, dead letters, `maritime send`): an `EventHubProducerClient`
 * from a connection string (the Event Hubs emulator, `...;UseDevelopmentEmulator=true`) or from a namespace host
 * and an Entra credential (Azure), with the SDK's send retries, narrowed to `ProducerLike`.
 */
import { type EventDataBatch, EventHubProducerClient, type RetryOptions } from '@azure/event-hubs';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

import type { ProducerLike } from './EventHubSender.js';

/** Retries for `sendBatch`, applied by the SDK. */
export const DEFAULT_RETRY: RetryOptions = { maxRetries: 5, retryDelayInMs: 500, maxRetryDelayInMs: 15_000 };

/** Where a producer sends: a connection string, or a namespace with a credential (default `DefaultAzureCredential`). */
export type ProducerTarget =
    | { connectionString: string; eventHubName?: string; retryOptions?: RetryOptions }
    | {
          fullyQualifiedNamespace: string;
          eventHubName: string;
          credential?: TokenCredential;
          retryOptions?: RetryOptions;
      };

/** A producer for the target; creating it does not connect (the first batch does). */
export function createEventHubProducer(target: ProducerTarget): ProducerLike {
    const options = { retryOptions: target.retryOptions ?? DEFAULT_RETRY };
    let client: EventHubProducerClient;
    if ('connectionString' in target) {
        client =
            target.eventHubName === undefined
                ? new EventHubProducerClient(target.connectionString, options)
                : new EventHubProducerClient(target.connectionString, target.eventHubName, options);
    } else {
        client = new EventHubProducerClient(
            target.fullyQualifiedNamespace,
            target.eventHubName,
            target.credential ?? new DefaultAzureCredential(),
            options,
        );
    }
    return {
        createBatch: (batchOptions) => client.createBatch(batchOptions),
        // The SDK's `sendBatch` is overloaded; a batch made by `createBatch` is an `EventDataBatch`.
        sendBatch: (batch) => client.sendBatch(batch as EventDataBatch),
        close: () => client.close(),
    };
}

/**
 * The app's producer for `eventHubName` from its Event Hubs settings (a connection string with the emulator, else
 * the namespace with the app's identity), or undefined when no Event Hubs are configured (the embedded stack).
 */
export function appProducer(
    eventHub: { connectionString?: string; fullyQualifiedNamespace?: string },
    eventHubName: string,
    credential: () => TokenCredential,
): ProducerLike | undefined {
    if (eventHub.connectionString)
        return createEventHubProducer({ connectionString: eventHub.connectionString, eventHubName });
    if (eventHub.fullyQualifiedNamespace) {
        return createEventHubProducer({
            fullyQualifiedNamespace: eventHub.fullyQualifiedNamespace,
            eventHubName,
            credential: credential(),
        });
    }
    return undefined;
}
