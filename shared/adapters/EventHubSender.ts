/**
 * Publishes source events (`local/sources`) to an Event Hub: `maritime send`, and anything else that feeds a
 * real hub. Events are grouped by partition key (the MMSI) and sent in `createBatch({ partitionKey })`
 * batches, so one vessel's messages land on one partition in order. A full batch is sent and a new one
 * started; an event too large for an empty batch is reported in the result (never dropped silently).
 * Transient failures are retried by the SDK (exponential, `retryOptions`); what still fails is reported.
 *
 * Bodies are sent as UTF-8 bytes (an AMQP data section). A JS string body would be JSON-encoded by the SDK
 * (`"!AIVDM..."` with quotes) and reach the Functions host that way.
 */
import type { RetryOptions } from '@azure/event-hubs';
import type { TokenCredential } from '@azure/identity';

import { createEventHubProducer } from './eventHubProducer.js';

/** The event shape of `local/sources/types.ts` (restated so the adapter does not depend on `local/`). */
export interface OutgoingEvent {
    body: string;
    partitionKey: string;
    properties?: Record<string, string>;
}

/** What the sender needs of a batch: `EventDataBatch` or a test fake. */
export interface BatchLike {
    tryAdd(event: { body: Uint8Array; properties?: Record<string, string>; contentType?: string }): boolean;
    readonly count: number;
    readonly sizeInBytes: number;
    readonly maxSizeInBytes: number;
}

/** What the sender needs of a producer: `EventHubProducerClient` or a test fake. */
export interface ProducerLike<B extends BatchLike = BatchLike> {
    createBatch(options: { partitionKey: string; maxSizeInBytes?: number }): Promise<B>;
    sendBatch(batch: B): Promise<void>;
    close(): Promise<void>;
}

export interface SendError {
    reason: 'EVENT_TOO_LARGE' | 'SEND_FAILED';
    partitionKey: string;
    message: string;
    /** The error behind a SEND_FAILED, when there was one (not for sends not attempted during the back-off). */
    cause?: unknown;
    /** The events concerned, so the caller can retry or write them aside. */
    events: OutgoingEvent[];
}

export interface SendResult {
    /** Events accepted by the hub. */
    sent: number;
    /** Batches sent. */
    batches: number;
    /** Events not sent (too large, or their batch failed after the SDK's retries). */
    failed: number;
    errors: SendError[];
}

export interface EventHubSenderOptions {
    /** Batch size limit, bytes (default: the hub's, 1 MB on Standard). */
    maxBatchBytes?: number;
    /** Partition-key groups sent at once (default 8); each group is sent in order. */
    concurrency?: number;
}

/** After the hub could not be reached (the SDK's retries spent), sends fail at once for this long, ms. */
const UNREACHABLE_BACKOFF_MS = 30_000;

export class EventHubSender {
    readonly #producer: ProducerLike;
    readonly #maxBatchBytes: number | undefined;
    readonly #concurrency: number;
    /** Set when the hub could not be reached: until when sends are not attempted, and why. */
    #unreachable: { message: string; until: number } | undefined;

    constructor(producer: ProducerLike, options: EventHubSenderOptions = {}) {
        this.#producer = producer;
        this.#maxBatchBytes = options.maxBatchBytes;
        this.#concurrency = Math.max(1, options.concurrency ?? 8);
    }

    /**
     * From a connection string (`Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...[;EntityPath=hub]`,
     * or the emulator's `...;UseDevelopmentEmulator=true`).
     */
    static fromConnectionString(
        connectionString: string,
        eventHubName?: string,
        options: EventHubSenderOptions & { retryOptions?: RetryOptions } = {},
    ): EventHubSender {
        return new EventHubSender(
            createEventHubProducer({
                connectionString,
                ...(eventHubName === undefined ? {} : { eventHubName }),
                ...retry(options),
            }),
            options,
        );
    }

    /** From a namespace host (`ns.servicebus.windows.net`) and Entra ID (default `DefaultAzureCredential`). */
    static fromNamespace(
        fullyQualifiedNamespace: string,
        eventHubName: string,
        options: EventHubSenderOptions & { credential?: TokenCredential; retryOptions?: RetryOptions } = {},
    ): EventHubSender {
        const credential = options.credential === undefined ? {} : { credential: options.credential };
        return new EventHubSender(
            createEventHubProducer({
                fullyQualifiedNamespace,
                eventHubName,
                ...credential,
                ...retry(options),
            }),
            options,
        );
    }

    /** Sends the events; never throws for a bad event or a failed batch (see `SendResult.errors`). */
    async send(events: readonly OutgoingEvent[]): Promise<SendResult> {
        const groups = new Map<string, OutgoingEvent[]>();
        for (const e of events) {
            const g = groups.get(e.partitionKey);
            if (g) g.push(e);
            else groups.set(e.partitionKey, [e]);
        }
        const result: SendResult = { sent: 0, batches: 0, failed: 0, errors: [] };
        const queue = [...groups.entries()];
        const worker = async (): Promise<void> => {
            for (let next = queue.shift(); next; next = queue.shift())
                await this.#sendGroup(next[0], next[1], result);
        };
        await Promise.all(Array.from({ length: Math.min(this.#concurrency, queue.length) }, worker));
        return result;
    }

    close(): Promise<void> {
        return this.#producer.close();
    }

    /**
     * Sends one partition key's events in order. When the hub cannot be reached (creating a batch needs a
     * connection: refused, DNS, TLS, auth), every event not yet sent is reported as SEND_FAILED with the cause.
     */
    async #sendGroup(partitionKey: string, events: OutgoingEvent[], result: SendResult): Promise<void> {
        let done = 0;
        const now = Date.now();
        if (this.#unreachable !== undefined && now < this.#unreachable.until) {
            result.failed += events.length;
            result.errors.push({
                reason: 'SEND_FAILED',
                partitionKey,
                message: `not attempted: ${this.#unreachable.message}`,
                events,
            });
            return;
        }
        try {
            await this.#sendGroupFrom(partitionKey, events, result, (n) => (done = n));
        } catch (e) {
            const unsent = events.slice(done);
            // The hub could not be reached (the SDK has retried): the next groups fail at once for a while
            // instead of each retrying for seconds.
            this.#unreachable = { message: errorMessage(e), until: Date.now() + UNREACHABLE_BACKOFF_MS };
            result.failed += unsent.length;
            result.errors.push({
                reason: 'SEND_FAILED',
                partitionKey,
                message: errorMessage(e),
                cause: e,
                events: unsent,
            });
        }
    }

    async #sendGroupFrom(
        partitionKey: string,
        events: OutgoingEvent[],
        result: SendResult,
        settled: (eventsAccountedFor: number) => void,
    ): Promise<void> {
        const newBatch = (): Promise<BatchLike> =>
            this.#producer.createBatch(
                this.#maxBatchBytes === undefined
                    ? { partitionKey }
                    : { partitionKey, maxSizeInBytes: this.#maxBatchBytes },
            );
        let batch = await newBatch();
        let inBatch: OutgoingEvent[] = [];
        let accounted = 0;
        const flush = async (): Promise<void> => {
            if (batch.count === 0) return;
            const sending = inBatch;
            try {
                await this.#producer.sendBatch(batch);
                result.sent += sending.length;
                result.batches++;
            } catch (e) {
                result.failed += sending.length;
                result.errors.push({
                    reason: 'SEND_FAILED',
                    partitionKey,
                    message: errorMessage(e),
                    events: sending,
                });
            }
            accounted += sending.length;
            settled(accounted);
            inBatch = [];
            batch = await newBatch();
        };
        for (const event of events) {
            const data = toEventData(event);
            if (batch.tryAdd(data)) {
                inBatch.push(event);
                continue;
            }
            if (batch.count > 0) {
                await flush();
                if (batch.tryAdd(data)) {
                    inBatch.push(event);
                    continue;
                }
            }
            result.failed++;
            // Accounted for, but still in order: it is reported here, the events before it already were.
            settled(++accounted);
            result.errors.push({
                reason: 'EVENT_TOO_LARGE',
                partitionKey,
                message: `event of ${Buffer.byteLength(event.body)} bytes does not fit in an empty batch (max ${batch.maxSizeInBytes} bytes)`,
                events: [event],
            });
        }
        await flush();
    }
}

function toEventData(event: OutgoingEvent): {
    body: Uint8Array;
    properties?: Record<string, string>;
    contentType: string;
} {
    const data: { body: Uint8Array; properties?: Record<string, string>; contentType: string } = {
        body: Buffer.from(event.body, 'utf8'),
        contentType: 'text/plain; charset=utf-8',
    };
    if (event.properties && Object.keys(event.properties).length > 0) data.properties = event.properties;
    return data;
}

/**
 * The cause, readable: `MessagingError: connect ECONNREFUSED 127.0.0.1:5671 (ECONNREFUSED)`. A refused connection
 * comes as an AggregateError (one error per address tried) with an empty message: its errors are spelled out.
 */
export function errorMessage(e: unknown): string {
    if (e instanceof AggregateError && e.errors.length > 0) {
        const parts = [...new Set(e.errors.map((inner) => errorMessage(inner)))];
        return parts.join('; ');
    }
    if (!(e instanceof Error)) return String(e);
    const code = (e as { code?: unknown }).code;
    const text = e.message || (e.cause !== undefined ? errorMessage(e.cause) : '(no message)');
    return `${e.name}: ${text}${typeof code === 'string' && !text.includes(code) ? ` (${code})` : ''}`;
}

function retry(options: { retryOptions?: RetryOptions }): { retryOptions?: RetryOptions } {
    return options.retryOptions === undefined ? {} : { retryOptions: options.retryOptions };
}
