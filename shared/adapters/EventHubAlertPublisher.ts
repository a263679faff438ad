/**
 * Publishes alerts to the alerts Event Hub for downstream consumers, on top of `EventHubSender`: one event per
 * alert, its JSON as UTF-8 bytes (`contentType: application/json`), application properties `kind` and `severity`,
 * partition key `String(alert.mmsi)` (one vessel's alerts stay in order on one partition), batched per partition
 * key.
 *
 * At least once: anything not sent (a failed batch after the SDK's retries, or a failure to reach the hub) makes
 * `publish` throw `DependencyError`, so the calling function's retry policy runs the invocation again. Batches that
 * did go out are then sent again; alert ids are deterministic, so consumers de-duplicate by `id`.
 */
import type { AlertPublisher } from '../app/ports.js';
import type { Alert } from '../domain/alerts/alert.js';
import { DependencyError, ensureError, PipelineError } from '../errors.js';
import {
    type BatchLike,
    EventHubSender,
    type EventHubSenderOptions,
    type OutgoingEvent,
    type ProducerLike,
} from './EventHubSender.js';

export const ALERT_CONTENT_TYPE = 'application/json';

export type EventHubAlertPublisherOptions = EventHubSenderOptions;

export class EventHubAlertPublisher implements AlertPublisher {
    readonly #sender: EventHubSender;

    /** Over any producer (`createEventHubProducer`, or a test fake). */
    constructor(producer: ProducerLike, options: EventHubAlertPublisherOptions = {}) {
        this.#sender = new EventHubSender(new JsonProducer(producer), options);
    }

    async publish(alerts: readonly Alert[]): Promise<void> {
        if (alerts.length === 0) return;
        const events = alerts.map(toOutgoingEvent);
        let result;
        try {
            result = await this.#sender.send(events);
        } catch (error) {
            // Creating a batch (connecting, authenticating) failed after the SDK's retries.
            if (error instanceof PipelineError) throw error;
            const cause = ensureError(error);
            throw new DependencyError(`publishing ${alerts.length} alert(s) failed: ${cause.message}`, {
                cause,
            });
        }
        if (result.failed === 0) return;
        const sendFailed = result.errors.filter((e) => e.reason === 'SEND_FAILED');
        const tooLarge = result.errors.filter((e) => e.reason === 'EVENT_TOO_LARGE');
        const first = (sendFailed[0] ?? tooLarge[0])?.message ?? 'unknown error';
        const message =
            `publishing alerts: ${result.failed} of ${alerts.length} not sent` +
            ` (${sendFailed.length} failed batch(es), ${tooLarge.length} too large): ${first}`;
        // A failed send is worth retrying; an alert too large for an empty batch would fail every retry.
        if (sendFailed.length > 0) {
            const cause = sendFailed.find((e) => e.cause !== undefined)?.cause;
            throw cause === undefined
                ? new DependencyError(message)
                : new DependencyError(message, { cause: ensureError(cause) });
        }
        throw new PipelineError(message);
    }

    close(): Promise<void> {
        return this.#sender.close();
    }
}

/** The event of one alert: JSON body, `kind` and `severity` properties, keyed by the vessel. */
export function toOutgoingEvent(alert: Alert): OutgoingEvent {
    return {
        body: JSON.stringify(alert),
        partitionKey: String(alert.mmsi),
        properties: { kind: alert.kind, severity: alert.severity },
    };
}

/** A batch that stamps `contentType: application/json` on every event (`EventHubSender` marks bodies as text). */
class JsonBatch implements BatchLike {
    constructor(readonly inner: BatchLike) {}
    tryAdd(event: { body: Uint8Array; properties?: Record<string, string>; contentType?: string }): boolean {
        return this.inner.tryAdd({ ...event, contentType: ALERT_CONTENT_TYPE });
    }
    get count(): number {
        return this.inner.count;
    }
    get sizeInBytes(): number {
        return this.inner.sizeInBytes;
    }
    get maxSizeInBytes(): number {
        return this.inner.maxSizeInBytes;
    }
}

class JsonProducer implements ProducerLike<JsonBatch> {
    constructor(readonly inner: ProducerLike) {}
    async createBatch(options: { partitionKey: string; maxSizeInBytes?: number }): Promise<JsonBatch> {
        return new JsonBatch(await this.inner.createBatch(options));
    }
    sendBatch(batch: JsonBatch): Promise<void> {
        return this.inner.sendBatch(batch.inner);
    }
    close(): Promise<void> {
        return this.inner.close();
    }
}
