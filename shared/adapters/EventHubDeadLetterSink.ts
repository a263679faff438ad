/**
 * The dead-letter store in Azure: the `ingest-deadletter` event hub (DEADLETTER_EVENTHUB_NAME).
 *
 * Why an event hub rather than a Storage queue on the host account: it does not depend on the sinks that fail
 * (the lake account, Cosmos DB) and the app already holds an identity-based producer for the same namespace
 * (alerts); an event takes up to 1 MB, the size of the largest event the trigger can deliver, where a queue
 * message takes 64 KB (a 256-event batch of JSON readings would need splitting into many messages); and it keeps
 * every letter for the hub's retention (7 days) for `maritime rebuild --deadletter`, with an incoming-messages
 * metric per hub that the `deadletter` alert rule watches (infra/bicep/modules/alerts.bicep). The namespace is
 * the trigger's own: when it is down, nothing is being received (so nothing acknowledged) either.
 *
 * One letter is one event (`contentType: application/json`, partition key = batch id, properties `source`,
 * `functionName`, `batchId`, `part`, `parts`); a letter larger than `maxEventBytes` is split by events into parts.
 */
import type { DeadLetter, DeadLetterSink } from '../app/ports.js';
import { DependencyError, ensureError } from '../errors.js';
import type { ProducerLike } from './EventHubSender.js';

export const DEADLETTER_CONTENT_TYPE = 'application/json';

/** Under the 1 MB event limit of Standard, leaving room for the AMQP envelope and properties. */
const DEFAULT_MAX_EVENT_BYTES = 900_000;

/** Splits a letter by its events so that each part's JSON stays under `maxBytes` (one event per part at least). */
export function splitLetter(letter: DeadLetter, maxBytes: number): DeadLetter[] {
    const size = (l: DeadLetter): number => Buffer.byteLength(JSON.stringify(l));
    if (letter.events.length <= 1 || size(letter) <= maxBytes) return [letter];
    const half = Math.ceil(letter.events.length / 2);
    return [
        ...splitLetter({ ...letter, events: letter.events.slice(0, half) }, maxBytes),
        ...splitLetter({ ...letter, events: letter.events.slice(half) }, maxBytes),
    ];
}

export class EventHubDeadLetterSink implements DeadLetterSink {
    constructor(
        private readonly producer: ProducerLike,
        private readonly maxEventBytes = DEFAULT_MAX_EVENT_BYTES,
    ) {}

    async write(letter: DeadLetter): Promise<void> {
        const parts = splitLetter(letter, this.maxEventBytes);
        try {
            for (let i = 0; i < parts.length; i++) {
                const batch = await this.producer.createBatch({ partitionKey: letter.batchId });
                const added = batch.tryAdd({
                    body: Buffer.from(JSON.stringify(parts[i]), 'utf8'),
                    contentType: DEADLETTER_CONTENT_TYPE,
                    properties: {
                        source: letter.source,
                        functionName: letter.functionName,
                        batchId: letter.batchId,
                        part: String(i + 1),
                        parts: String(parts.length),
                    },
                });
                if (!added)
                    throw new Error(`dead-letter part ${i + 1} of ${parts.length} is larger than one event`);
                await this.producer.sendBatch(batch);
            }
        } catch (error) {
            const cause = ensureError(error);
            throw new DependencyError(`dead-lettering batch ${letter.batchId} failed: ${cause.message}`, {
                cause,
            });
        }
    }

    close(): Promise<void> {
        return this.producer.close();
    }
}
