/**
 * Reading the dead letters back for `maritime rebuild --deadletter` outside the local stack:
 *
 * - `DEADLETTER_DIR` set (`func start` locally): that folder (FileDeadLetterStore);
 * - else the `ingest-deadletter` event hub (DEADLETTER_EVENTHUB_NAME) of the app's Event Hubs namespace, with the
 *   same connection settings as the function app (`EventHubConnection__fullyQualifiedNamespace` and
 *   DefaultAzureCredential, or the emulator's `EventHubConnection` string).
 *
 * An event hub cannot delete an event, so `remove` writes a marker blob per re-driven letter to the lake's
 * `lineage` container (`deadletter-redriven/{hub}/{source}-{batchId}-{failedAt}.jsonl.gz`, beside the lineage records, whose
 * reader lists only `date=` prefixes); `read` skips marked letters. The hub keeps a letter for its retention
 * (7 days in Bicep), so a letter is re-driven within that time or not at all.
 *
 * A letter larger than one event was split by its events into parts (EventHubDeadLetterSink): the parts of one
 * letter (same batch id and failure time) are put back together before it is re-driven, since a part alone has
 * another partition/sequence range and would write other blob names than the batch did.
 */
import { earliestEventPosition, EventHubConsumerClient, type ReceivedEventData } from '@azure/event-hubs';

import type { DeadLetter, DeadLetterSource, LakeDeleter, LakeReader, LakeWriter } from '../app/ports.js';
import type { AppConfig } from '../config/loadConfig.js';
import { getCredential } from './clients.js';
import { FileDeadLetterStore } from './FileDeadLetterStore.js';

/** One event of the dead-letter hub, as this module needs it. */
export interface DeadLetterEvent {
    body: unknown;
    properties?: Record<string, unknown>;
}

/** Reads every event a hub holds now, partition by partition, then stops. */
export interface HubReader {
    readAll(): AsyncIterable<DeadLetterEvent>;
    close(): Promise<void>;
}

const MARKERS = 'deadletter-redriven';
const MARKER_SUFFIX = '.jsonl.gz';

function letterId(l: DeadLetter): string {
    return `${l.source}-${l.batchId}-${l.failedAt}`;
}

function parseLetter(body: unknown): DeadLetter {
    const text =
        typeof body === 'string'
            ? body
            : Buffer.isBuffer(body) || body instanceof Uint8Array
              ? Buffer.from(body).toString('utf8')
              : JSON.stringify(body);
    const letter = (
        typeof body === 'object' && body !== null && !(body instanceof Uint8Array) ? body : JSON.parse(text)
    ) as DeadLetter;
    if (
        typeof letter.source !== 'string' ||
        typeof letter.batchId !== 'string' ||
        !Array.isArray(letter.events)
    ) {
        throw new Error('not a dead letter (source, batchId, events expected)');
    }
    return letter;
}

export class EventHubDeadLetterSource implements DeadLetterSource {
    /** Events that could not be read as letters (left in the hub; reported). */
    readonly unreadable: string[] = [];
    /** Letters whose parts were not all in the hub (left; reported). */
    readonly incomplete: string[] = [];

    constructor(
        private readonly reader: HubReader,
        private readonly lake: LakeReader & LakeWriter & LakeDeleter,
        readonly hubName: string,
        readonly where = `the event hub ${hubName}`,
    ) {}

    async *read(): AsyncIterable<{ id: string; letter: DeadLetter }> {
        const done = new Set(
            (await this.lake.list('lineage', `${MARKERS}/${this.hubName}/`)).map((b) =>
                b.path.slice(b.path.lastIndexOf('/') + 1, -MARKER_SUFFIX.length),
            ),
        );
        const parts = new Map<string, { parts: number; got: Map<number, DeadLetter> }>();
        const order: string[] = [];
        for await (const event of this.reader.readAll()) {
            let letter: DeadLetter;
            try {
                letter = parseLetter(event.body);
            } catch (error) {
                this.unreadable.push(error instanceof Error ? error.message : String(error));
                continue;
            }
            const id = letterId(letter);
            if (done.has(id)) continue;
            const count = Number(event.properties?.parts ?? 1);
            const index = Number(event.properties?.part ?? 1);
            let entry = parts.get(id);
            if (!entry) {
                entry = { parts: count, got: new Map() };
                parts.set(id, entry);
                order.push(id);
            }
            entry.got.set(index, letter);
        }
        for (const id of order) {
            const entry = parts.get(id)!;
            if (entry.got.size < entry.parts) {
                this.incomplete.push(`${id}: ${entry.got.size} of ${entry.parts} part(s)`);
                continue;
            }
            const ordered = [...entry.got.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
            const first = ordered[0]!;
            yield { id, letter: { ...first, events: ordered.flatMap((l) => l.events) } };
        }
    }

    /** Marks a re-driven letter done (the hub keeps the event until its retention ends). */
    async remove(id: string): Promise<void> {
        await this.lake.writeJsonLinesGz('lineage', `${MARKERS}/${this.hubName}/${id}${MARKER_SUFFIX}`, [
            { id, redrivenAt: Date.now() },
        ]);
    }

    close(): Promise<void> {
        return this.reader.close();
    }
}

/** A reader over an `EventHubConsumerClient`: from the earliest event of each partition up to its last one now. */
export function consumerReader(client: EventHubConsumerClient): HubReader {
    return {
        async *readAll() {
            for (const partitionId of await client.getPartitionIds()) {
                const props = await client.getPartitionProperties(partitionId);
                if (props.isEmpty) continue;
                const events: ReceivedEventData[] = [];
                await new Promise<void>((resolve, reject) => {
                    const subscription = client.subscribe(
                        partitionId,
                        {
                            processEvents: async (batch) => {
                                events.push(...batch);
                                if (
                                    batch.length === 0 ||
                                    events.at(-1)!.sequenceNumber >= props.lastEnqueuedSequenceNumber
                                ) {
                                    await subscription.close();
                                    resolve();
                                }
                            },
                            processError: async (error) => {
                                await subscription.close();
                                reject(error);
                            },
                        },
                        { startPosition: earliestEventPosition, maxBatchSize: 100, maxWaitTimeInSeconds: 10 },
                    );
                });
                for (const e of events)
                    yield { body: e.body, ...(e.properties ? { properties: e.properties } : {}) };
            }
        },
        close: () => client.close(),
    };
}

/**
 * The dead-letter store of the app settings: DEADLETTER_DIR when set, else the dead-letter event hub through the
 * app's Event Hubs connection (consumer group `$Default`).
 */
export function appDeadLetterSource(
    c: Pick<AppConfig, 'deadLetter' | 'eventHub' | 'azureClientId'>,
    lake: LakeReader & LakeWriter & LakeDeleter,
): DeadLetterSource & { where: string; close(): Promise<void> } {
    if (c.deadLetter.dir !== undefined) {
        const store = new FileDeadLetterStore(c.deadLetter.dir);
        return Object.assign(store, { where: store.dir, close: () => Promise.resolve() });
    }
    const hub = c.deadLetter.hubName;
    let client: EventHubConsumerClient;
    if (c.eventHub.connectionString !== undefined) {
        client = new EventHubConsumerClient(
            EventHubConsumerClient.defaultConsumerGroupName,
            c.eventHub.connectionString,
            hub,
        );
    } else if (c.eventHub.fullyQualifiedNamespace !== undefined) {
        client = new EventHubConsumerClient(
            EventHubConsumerClient.defaultConsumerGroupName,
            c.eventHub.fullyQualifiedNamespace,
            hub,
            getCredential(c.azureClientId),
        );
    } else {
        throw new Error(
            'no dead-letter store in the settings: set EventHubConnection__fullyQualifiedNamespace (the ingest-deadletter event hub, as the function app) ' +
                'or DEADLETTER_DIR (a folder), or give --local for the local stack',
        );
    }
    return new EventHubDeadLetterSource(
        consumerReader(client),
        lake,
        hub,
        `the event hub ${hub} (${c.eventHub.fullyQualifiedNamespace ?? 'EventHubConnection'})`,
    );
}
