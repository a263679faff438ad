/**
 * The gold shard queue on Azure Queue Storage (`@azure/storage-queue`): the `buildGold` timer sends one message per
 * shard of a day here, and the queue-triggered `buildGoldShard` function builds each one (`shared/app/gold/goldShards.ts`).
 *
 * Messages are JSON, base64-encoded: the Functions queue trigger's default `messageEncoding` is base64, so the
 * trigger in Azure and the local trigger host (`local/queueTrigger.ts`) read what this adapter writes the same way.
 *
 * Connection (the same settings the trigger's `connection: 'GoldQueueConnection'` reads): in Azure
 * `GoldQueueConnection__queueServiceUri` with the app's managed identity (Storage Queue Data Contributor on the
 * queue and its `-poison` queue); locally `GoldQueueConnection`, a connection string (Azurite).
 */
import type { TokenCredential } from '@azure/identity';
import { type QueueClient, QueueServiceClient, type StoragePipelineOptions } from '@azure/storage-queue';

import type { GoldShardMessage, ShardQueue } from '../app/ports.js';
import { fromSdkError } from './fromSdkError.js';

/** Same retry policy as the lake's blob clients: 4 tries with back-off, each bounded so a hung call fails. */
const QUEUE_PIPELINE_OPTIONS: StoragePipelineOptions = {
    retryOptions: { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000, tryTimeoutInMs: 30_000 },
    userAgentOptions: { userAgentPrefix: 'maritime-pipeline' },
};

/** Where the shard queue is: a connection string (local), or the queue service URI used with an identity (Azure). */
export interface ShardQueueConnection {
    connectionString?: string;
    queueServiceUri?: string;
    queueName: string;
}

/** The queue service of a connection (`credential` is used with `queueServiceUri` only). */
export function createQueueServiceClient(
    connection: Omit<ShardQueueConnection, 'queueName'>,
    credential?: TokenCredential,
): QueueServiceClient {
    if (connection.connectionString !== undefined) {
        return QueueServiceClient.fromConnectionString(connection.connectionString, QUEUE_PIPELINE_OPTIONS);
    }
    if (connection.queueServiceUri === undefined)
        throw new Error('the shard queue needs a connection string or a queue service URI');
    if (credential === undefined)
        throw new Error(`the shard queue at ${connection.queueServiceUri} needs a credential`);
    return new QueueServiceClient(connection.queueServiceUri, credential, QUEUE_PIPELINE_OPTIONS);
}

/** A queue message body as the Functions queue trigger reads it by default: base64 of the UTF-8 text. */
export function encodeQueueMessage(value: unknown): string {
    return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/**
 * The text of a queue message, as the trigger hands it over: base64 decoded when the message is base64 (what this
 * app sends), else as is (a message put on the queue by hand, e.g. from the portal with encoding off).
 */
export function decodeQueueMessage(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length > 0 && trimmed.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
        const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
        if (Buffer.from(decoded, 'utf8').toString('base64') === trimmed) return decoded;
    }
    return text;
}

export class StorageShardQueue implements ShardQueue {
    private readonly queue: QueueClient;
    private readonly poison: QueueClient;

    constructor(service: QueueServiceClient, queueName: string) {
        this.queue = service.getQueueClient(queueName);
        this.poison = service.getQueueClient(poisonQueueName(queueName));
    }

    /** Sends every message (in parallel); throws a pipeline error when one cannot be sent (the timer's run then fails and is retried). */
    async send(messages: readonly GoldShardMessage[]): Promise<void> {
        try {
            await Promise.all(messages.map((m) => this.queue.sendMessage(encodeQueueMessage(m))));
        } catch (error) {
            throw fromSdkError(error, `send to queue '${this.queue.name}'`);
        }
    }

    /** Creates the queue and its poison queue when missing (local stack, `maritime setup`; Bicep creates them in Azure). */
    async ensureExists(): Promise<void> {
        try {
            await this.queue.createIfNotExists();
            await this.poison.createIfNotExists();
        } catch (error) {
            throw fromSdkError(error, `create queue '${this.queue.name}'`);
        }
    }
}

/** The queue the Functions host moves a message to after `maxDequeueCount` failed attempts: `<name>-poison`. */
export function poisonQueueName(queueName: string): string {
    return `${queueName}-poison`;
}
