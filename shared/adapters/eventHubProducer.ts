/**
 * The one factory of Event Hub producers (alerts, dead letters, `maritime send`): an `EventHubProducerClient`
 * from a connection string (the Event Hubs emulator, `...;UseDevelopmentEmulator=true`) or from a namespace host
 * and an Entra credential (Azure), with the SDK's send retries, narrowed to `ProducerLike`.
 */
import { isIP } from 'node:net';

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

/**
 * Why the target cannot be reached over TLS, or undefined: its host is an IP address and the connection would be
 * TLS (not the emulator's plain AMQP, `UseDevelopmentEmulator=true`). An Event Hubs certificate names the
 * namespace's host, so TLS to an IP cannot be verified; and the AMQP library under the SDK (rhea) sends the host as
 * the TLS server name, which RFC 6066 forbids for an IP (Node warns, DEP0123) and the SDK has no option to change.
 */
export function tlsToIpProblem(target: ProducerTarget): string | undefined {
    let host: string;
    if ('connectionString' in target) {
        const fields = new Map(
            target.connectionString.split(';').map((kv) => {
                const i = kv.indexOf('=');
                return [kv.slice(0, i).trim().toLowerCase(), kv.slice(i + 1).trim()] as const;
            }),
        );
        if (fields.get('usedevelopmentemulator')?.toLowerCase() === 'true') return undefined;
        host = /^[a-z]+:\/\/([^/]*)/i.exec(fields.get('endpoint') ?? '')?.[1] ?? '';
    } else {
        host = target.fullyQualifiedNamespace.replace(/^[a-z]+:\/\//i, '').split('/')[0]!;
    }
    // host[:port], [v6]:port or a bare v6 address
    const bracketed = /^\[([^\]]+)\]/.exec(host)?.[1];
    const name = bracketed ?? (isIP(host) === 6 ? host : host.replace(/:\d+$/, ''));
    if (isIP(name) === 0) return undefined;
    return (
        `${name} is an IP address: Event Hubs is reached over TLS by the namespace's host name (NS.servicebus.windows.net, ` +
        `which its certificate names); give the host name (a private endpoint resolves it to its IP), or, for the ` +
        `Event Hubs emulator, a connection string with UseDevelopmentEmulator=true (plain AMQP)`
    );
}

/**
 * A producer for the target; creating it does not connect (the first batch does). Throws when the target's host is
 * an IP address reached over TLS (`tlsToIpProblem`).
 */
export function createEventHubProducer(target: ProducerTarget): ProducerLike {
    const problem = tlsToIpProblem(target);
    if (problem !== undefined) throw new Error(problem);
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
