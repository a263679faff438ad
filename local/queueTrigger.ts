/**
 * A Storage queue trigger for the local trigger host: polls a real queue (Azurite's queue service under
 * `npm start`) and runs a handler per message, the way the Functions host's queue trigger does in Azure
 * (host.json `extensions.queues`):
 *
 * - fetches up to `batchSize` messages at a time and runs them in parallel; fetches more when the messages in flight
 *   drop to `newBatchThreshold`;
 * - an empty queue is polled again after a wait that doubles from 100 ms up to `maxPollingIntervalMs`;
 * - a fetched message is invisible to others for `leaseMs` (the Functions host: 10 minutes), renewed at half of it
 *   while the handler runs, so a long build is not delivered twice;
 * - success deletes the message; a failure makes it visible again after `visibilityTimeoutMs`, and the attempt that
 *   reaches `maxDequeueCount` moves it to the `<queue>-poison` queue (same body) instead. A message that arrives
 *   with a dequeue count above `maxDequeueCount` (its worker died on its last attempt) goes to poison unprocessed.
 */
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';

import { decodeQueueMessage, poisonQueueName } from '../shared/adapters/StorageShardQueue.js';

export interface QueueTriggerOptions {
    /** Messages fetched at once and processed in parallel (host.json `queues.batchSize`, Functions default 16). */
    batchSize: number;
    /** More are fetched when the messages in flight drop to this (host.json `queues.newBatchThreshold`). */
    newBatchThreshold: number;
    /** Attempts before a message goes to `<queue>-poison` (host.json `queues.maxDequeueCount`, default 5). */
    maxDequeueCount: number;
    /** How long a failed message stays invisible before its next attempt (host.json `queues.visibilityTimeout`). */
    visibilityTimeoutMs: number;
    /** Longest wait between two polls of an empty queue (host.json `queues.maxPollingInterval`). */
    maxPollingIntervalMs: number;
    /** How long a fetched message is hidden from other consumers while it is processed, renewed at half (default 10 min). */
    leaseMs?: number;
}

/** What the handler gets: the message text (base64 decoded) and the trigger metadata the Functions host gives. */
export interface QueueDelivery {
    text: string;
    metadata: {
        id: string;
        dequeueCount: number;
        insertionTime: string;
        expirationTime: string;
        nextVisibleTime: string;
        popReceipt: string;
        queueTrigger: string;
    };
}

export interface QueueTriggerStats {
    /** Handler runs that succeeded (message deleted). */
    succeeded: number;
    /** Handler runs that threw. */
    failed: number;
    /** Handler runs cut short by the stop (StoppedError): visible again at once, not counted as failed. */
    stopped: number;
    /** Messages moved to the poison queue. */
    poisoned: number;
    /** Lease renewals of messages being processed. */
    renewals: number;
}

const MIN_POLLING_INTERVAL_MS = 100;
const DEFAULT_LEASE_MS = 600_000;

export class QueueTrigger {
    readonly stats: QueueTriggerStats = { succeeded: 0, failed: 0, stopped: 0, poisoned: 0, renewals: 0 };
    private readonly queue: QueueClient;
    private readonly poison: QueueClient;
    private readonly leaseMs: number;
    private inFlight = new Set<Promise<void>>();
    private stopped = true;
    private loop: Promise<void> | undefined;
    private wake: (() => void) | undefined;

    constructor(
        service: QueueServiceClient,
        readonly queueName: string,
        private readonly handler: (delivery: QueueDelivery) => Promise<void>,
        private readonly options: QueueTriggerOptions,
        private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void = () => undefined,
    ) {
        this.queue = service.getQueueClient(queueName);
        this.poison = service.getQueueClient(poisonQueueName(queueName));
        this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    }

    /** Messages being processed now. */
    get running(): number {
        return this.inFlight.size;
    }

    /** Starts polling (the queue must exist). */
    start(): void {
        if (!this.stopped) return;
        this.stopped = false;
        this.loop = this.poll();
    }

    /**
     * Stops polling; the messages being processed finish (at most `timeoutMs`). A message still running after that
     * stays invisible until its lease runs out and is then delivered again (as when a worker dies in Azure).
     */
    async stop(timeoutMs = 20_000): Promise<{ running: number }> {
        this.stopped = true;
        this.wake?.();
        await this.loop;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
            Promise.allSettled([...this.inFlight]),
            new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
        return { running: this.inFlight.size };
    }

    private async poll(): Promise<void> {
        let wait = MIN_POLLING_INTERVAL_MS;
        while (!this.stopped) {
            if (this.inFlight.size > this.options.newBatchThreshold) {
                await this.pause(this.options.maxPollingIntervalMs);
                continue;
            }
            let fetched = 0;
            try {
                const response = await this.queue.receiveMessages({
                    numberOfMessages: Math.min(32, Math.max(1, this.options.batchSize - this.inFlight.size)),
                    visibilityTimeout: seconds(this.leaseMs),
                });
                for (const item of response.receivedMessageItems) {
                    fetched++;
                    const run = this.process(item).finally(() => {
                        this.inFlight.delete(run);
                        this.wake?.();
                    });
                    this.inFlight.add(run);
                }
            } catch (error) {
                if (!this.stopped)
                    this.log('warn', `polling queue '${this.queueName}' failed: ${messageOf(error)}`);
            }
            wait =
                fetched > 0 ? MIN_POLLING_INTERVAL_MS : Math.min(this.options.maxPollingIntervalMs, wait * 2);
            if (fetched === 0) await this.pause(wait);
        }
    }

    /** Waits `ms`, or less when a message finishes or the trigger stops. */
    private pause(ms: number): Promise<void> {
        if (this.stopped) return Promise.resolve();
        return new Promise<void>((resolve) => {
            const done = (): void => {
                clearTimeout(timer);
                if (this.wake === done) this.wake = undefined;
                resolve();
            };
            const timer = setTimeout(done, ms);
            this.wake = done;
        });
    }

    private async process(item: ReceivedItem): Promise<void> {
        let popReceipt = item.popReceipt;
        if (item.dequeueCount > this.options.maxDequeueCount) {
            await this.moveToPoison(
                item,
                popReceipt,
                `dequeue count ${item.dequeueCount} is above ${this.options.maxDequeueCount}`,
            );
            return;
        }
        // Keep the message hidden while the handler runs.
        let renewing = Promise.resolve();
        const renew = setInterval(
            () => {
                renewing = renewing.then(async () => {
                    try {
                        popReceipt = (
                            await this.queue.updateMessage(
                                item.messageId,
                                popReceipt,
                                undefined,
                                seconds(this.leaseMs),
                            )
                        ).popReceipt!;
                        this.stats.renewals++;
                    } catch (error) {
                        this.log(
                            'warn',
                            `renewing the lease of message ${item.messageId} failed: ${messageOf(error)}`,
                        );
                    }
                });
            },
            Math.max(500, this.leaseMs / 2),
        );
        let failure: unknown;
        try {
            await this.handler({
                text: decodeQueueMessage(item.messageText),
                metadata: {
                    id: item.messageId,
                    dequeueCount: item.dequeueCount,
                    insertionTime: item.insertedOn.toISOString(),
                    expirationTime: item.expiresOn.toISOString(),
                    nextVisibleTime: item.nextVisibleOn.toISOString(),
                    popReceipt: item.popReceipt,
                    queueTrigger: decodeQueueMessage(item.messageText),
                },
            });
        } catch (error) {
            failure = error ?? new Error('handler failed');
        } finally {
            clearInterval(renew);
            await renewing;
        }
        try {
            if (failure === undefined) {
                this.stats.succeeded++;
                await this.queue.deleteMessage(item.messageId, popReceipt);
                return;
            }
            if (failure instanceof Error && failure.name === 'StoppedError') {
                // Cut short by the stop (Runtime.stopRuns), not failed: visible again at once for the next start.
                this.stats.stopped++;
                this.log(
                    'warn',
                    `message ${item.messageId} stopped (not failed), visible again: ${messageOf(failure)}`,
                );
                await this.queue.updateMessage(item.messageId, popReceipt, undefined, 0);
                return;
            }
            this.stats.failed++;
            if (item.dequeueCount >= this.options.maxDequeueCount) {
                await this.moveToPoison(
                    item,
                    popReceipt,
                    `attempt ${item.dequeueCount} of ${this.options.maxDequeueCount} failed: ${messageOf(failure)}`,
                );
            } else {
                this.log(
                    'warn',
                    `message ${item.messageId} attempt ${item.dequeueCount} of ${this.options.maxDequeueCount} failed, visible again in ${this.options.visibilityTimeoutMs} ms: ${messageOf(failure)}`,
                );
                await this.queue.updateMessage(
                    item.messageId,
                    popReceipt,
                    undefined,
                    seconds(this.options.visibilityTimeoutMs),
                );
            }
        } catch (error) {
            // The message reappears when its lease ends and is handled again (at least once, as in Azure).
            this.log('error', `settling message ${item.messageId} failed: ${messageOf(error)}`);
        }
    }

    private async moveToPoison(item: ReceivedItem, popReceipt: string, reason: string): Promise<void> {
        await this.poison.createIfNotExists();
        await this.poison.sendMessage(item.messageText);
        await this.queue.deleteMessage(item.messageId, popReceipt);
        this.stats.poisoned++;
        this.log(
            'error',
            `message ${item.messageId} moved to '${poisonQueueName(this.queueName)}': ${reason}`,
        );
    }
}

interface ReceivedItem {
    messageId: string;
    popReceipt: string;
    messageText: string;
    dequeueCount: number;
    insertedOn: Date;
    expiresOn: Date;
    nextVisibleOn: Date;
}

/** Queue visibility timeouts are whole seconds. */
function seconds(ms: number): number {
    return Math.max(0, Math.round(ms / 1000));
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** host.json's `extensions.queues` (the settings the Functions host's queue trigger reads). */
export interface HostJsonQueues {
    batchSize?: number;
    newBatchThreshold?: number;
    maxDequeueCount?: number;
    /** `hh:mm:ss` */
    visibilityTimeout?: string;
    /** `hh:mm:ss` */
    maxPollingInterval?: string;
}

/** The local trigger's options from host.json, with the Functions defaults where it says nothing. */
export function hostQueueOptions(queues: HostJsonQueues = {}, leaseMs?: number): QueueTriggerOptions {
    const batchSize = queues.batchSize ?? 16;
    return {
        batchSize,
        newBatchThreshold: queues.newBatchThreshold ?? Math.floor(batchSize / 2),
        maxDequeueCount: queues.maxDequeueCount ?? 5,
        visibilityTimeoutMs: timespanMs(queues.visibilityTimeout ?? '00:00:00'),
        maxPollingIntervalMs: timespanMs(queues.maxPollingInterval ?? '00:01:00'),
        ...(leaseMs === undefined ? {} : { leaseMs }),
    };
}

/** A .NET TimeSpan as host.json writes it (`[d.]hh:mm:ss[.fff]`), in ms. */
export function timespanMs(text: string): number {
    const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
    if (!m) throw new Error(`not a host.json time span (hh:mm:ss): '${text}'`);
    const [, d, h, min, sec, frac] = m;
    return (
        ((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(min)) * 60_000 +
        Number(sec) * 1000 +
        Number((frac ?? '0').padEnd(3, '0'))
    );
}
