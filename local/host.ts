/**
 * The local trigger host behind `npm start`: drives the same handlers, from the same function table
 * (`functions/functionTable.ts`, bound to a runtime by `bindFunctions`), the way the Functions host does in Azure,
 * without Core Tools or Docker.
 *
 * - Event Hub functions: events are spread over partitions by partition key (as Event Hubs does), numbered with
 *   per-partition sequence numbers, and delivered in batches (up to `maxBatchSize`, as host.json's
 *   `maxEventBatchSize`) with the same camel-cased trigger metadata the Node worker gives. Bodies go through the
 *   worker's conversion for the function's `dataType` (`binary`: Buffers; `string`: JSON bodies arrive parsed,
 *   the rest as strings). A throwing batch is retried under the function's retry policy (with the same
 *   `retryContext`) and then skipped, exactly like the real trigger, which checkpoints either way; the ingest
 *   functions dead-letter the batch on their last attempt, so only a batch the dead-letter store refused too is
 *   reported to `onLost`.
 * - HTTP functions: served on `port` under `/api/{route}`.
 * - Timer functions: fired on their NCRONTAB schedules (UTC).
 * - Storage queue functions: a `QueueTrigger` (local/queueTrigger.ts) per function polls its queue on the given
 *   queue service (Azurite under `npm start`) with host.json's `extensions.queues` settings: batch, visibility
 *   timeout, `maxDequeueCount` attempts, then `<queue>-poison`. The message arrives as the Node worker gives it (JSON
 *   parsed, else a string) with the trigger metadata (`dequeueCount`, `id`, `insertionTime`, ...).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import type { HttpResponseInit, RetryOptions, Timer } from '@azure/functions';
// A CommonJS package whose classes Node's ESM loader cannot see as named exports (only `app` and helpers).
import azureFunctions from '@azure/functions';
import type { QueueServiceClient } from '@azure/storage-queue';

import type { RegisteredFunction } from '../functions/definitions.js';
import { registrationOptions } from '../functions/http.js';
import { nextOccurrence, parseNcrontab } from './ncrontab.js';
import { hostQueueOptions, QueueTrigger, type QueueTriggerOptions } from './queueTrigger.js';

export interface HostEvent {
    body: string;
    partitionKey: string;
    properties?: Record<string, string>;
}

export interface HostOptions {
    partitions?: number;
    maxBatchSize?: number;
    /** How long a partition waits for more events before delivering a partial batch, ms. */
    batchWindowMs?: number;
    /** Windows of particular hubs (resolved names), ms, over `batchWindowMs`. */
    hubBatchWindowMs?: Readonly<Record<string, number>>;
    port?: number;
    /** Resolves `%SETTING%` binding expressions (hub names, consumer groups). */
    settings?: Record<string, string | undefined>;
    /** Where function logs go (default: nowhere but errors to stderr). */
    log?: (level: string, functionName: string, message: string) => void;
    /** Called with each Event Hub handler result (the ingest summaries). */
    onResult?: (functionName: string, result: unknown) => void;
    /** Called when an Event Hub batch still fails after its last retry (its events are skipped, unaccounted). */
    onLost?: (functionName: string, events: number, error: string) => void;
    /** Delay function for retries (tests pass a fast one). */
    sleep?: (ms: number) => Promise<void>;
    /** Multiplies the retry policy's delays (default 1; the fault harness uses a small factor). */
    retryDelayScale?: number;
    /** Where the storage queue functions' queues are (required when the table has one). */
    queueService?: QueueServiceClient;
    /** The queue trigger's settings (host.json `extensions.queues`, see `hostQueueOptions`). */
    queueOptions?: QueueTriggerOptions;
    /**
     * How long `settle` waits for timer runs and queue messages in progress (a gold build, a compliance check), ms
     * (default 3 s). The stack has already told the long ones to stop (`Runtime.stopRuns`: they end between steps
     * and files, their DuckDB query interrupted); one still running after this is abandoned (its run ledger lease
     * lets the next start take the window over, as after a crash) and its failures against the stopping services
     * are logged as such, not as errors.
     */
    timerGraceMs?: number;
    /**
     * Timer functions that run one at a time (default none): a fire of one of them while another of them runs
     * waits for it, then runs (`isPastDue` true when it waited more than a second). The local stack lists the lake's
     * heavy jobs (the gold builds, the compliance check, compaction): each holds its inputs and its DuckDB (or
     * hyparquet) working set while it runs, and at the time-scaled schedules they all fire at second 0 of every
     * minute, so run together their working sets added up in the one process. The Functions host runs timers
     * independently; a Flex Consumption instance has 2 GB or more for them.
     */
    exclusiveTimers?: readonly string[];
    /** Called after each timer run, settled either way, with the function's name (the local stack collects garbage). */
    onTimerRunSettled?: (functionName: string) => void;
    /**
     * First sequence number of every partition (default 0). A persisted stack starts from a time-based value, so
     * the sequence numbers (and the bronze blob names made from them) never repeat across restarts.
     */
    sequenceBase?: number;
}

interface Partition {
    hub: string;
    id: string;
    queue: HostEvent[];
    nextSequence: number;
    nextOffset: number;
    busy: boolean;
    /**
     * When the oldest event of `queue` was published (epoch ms; undefined while the queue is empty): a batch goes
     * when it is full or has gathered for the window since then, also when the partition was busy meanwhile.
     */
    gatheringSince?: number;
    /** Events of the batch being processed (0 between batches). */
    inFlight: number;
    /** Events ever published to the partition, and ever processed (delivered, retried or skipped). */
    published: number;
    processed: number;
    timer?: NodeJS.Timeout;
}

export interface HostStats {
    published: number;
    delivered: number;
    batches: number;
    failedBatches: number;
    retries: number;
}

/** Partition index for a key, stable across runs (Event Hubs also hashes the partition key). */
export function partitionFor(key: string, partitions: number): number {
    const h = createHash('md5').update(key).digest();
    return h.readUInt32BE(0) % partitions;
}

/** The Node worker's conversion of a string body: JSON is parsed, anything else stays a string. */
function workerConvert(body: string): unknown {
    try {
        return JSON.parse(body) as unknown;
    } catch {
        return body;
    }
}

function retryDelay(policy: RetryOptions, attempt: number): number {
    const ms = (v: unknown): number => (typeof v === 'number' ? v : 1000);
    if (policy.strategy === 'fixedDelay') return ms(policy.delayInterval);
    return Math.min(ms(policy.maximumInterval), ms(policy.minimumInterval) * 2 ** (attempt - 1));
}

const { HttpRequest, InvocationContext } = azureFunctions;

/** The longest delay setTimeout takes (about 24.8 days); a yearly schedule's next fire is often further. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

let invocationCounter = 0;

export class LocalHost {
    readonly stats: HostStats = { published: 0, delivered: 0, batches: 0, failedBatches: 0, retries: 0 };
    /** Partitions of every hub a function consumes, by hub name. */
    private readonly hubs = new Map<string, Partition[]>();
    private readonly partitions: Partition[] = [];
    private readonly maxBatchSize: number;
    private readonly batchWindowMs: number;
    private readonly eventHubFns: Extract<RegisteredFunction, { trigger: 'eventHub' }>[];
    private readonly httpFns: Extract<RegisteredFunction, { trigger: 'http' }>[];
    private readonly timerFns: Extract<RegisteredFunction, { trigger: 'timer' }>[];
    private readonly queueFns: Extract<RegisteredFunction, { trigger: 'storageQueue' }>[];
    private readonly queueTriggers: QueueTrigger[] = [];
    private readonly queueFunctionNames = new Map<QueueTrigger, string>();
    private readonly timers: NodeJS.Timeout[] = [];
    /** Timer function runs in progress (settle waits for them, as the Functions host does on shutdown). */
    private readonly timerRuns = new Map<Promise<unknown>, string>();
    /** Timer functions whose handler is running now (an exclusive run waiting for its turn is not), with how many runs. */
    private readonly timersRunning = new Map<string, number>();
    /** The last exclusive timer run (`exclusiveTimers`), settled or not: the next one starts after it. */
    private exclusiveTail: Promise<unknown> = Promise.resolve();
    /** Timer runs left running when the stop stopped waiting for them (`settle`). */
    private abandonedTimerRuns = 0;
    private server: Server | undefined;
    private idleWaiters: (() => void)[] = [];
    private stopped = false;
    /** `flush` was called: queued events go without waiting for their window. */
    private flushing = false;
    /** Stopping: no more batches are taken from the partitions; the ones being processed finish (`settle`). */
    private closing = false;
    /** Shutting down: no more waiting between retries; a failing batch gets its last attempt at once. */
    private hurrying = false;
    private readonly wakeUps = new Set<() => void>();
    /** Start times of the Event Hub attempts running now. */
    private readonly attemptStarts = new Set<{ at: number }>();

    constructor(
        functions: readonly RegisteredFunction[],
        private readonly options: HostOptions = {},
    ) {
        const n = options.partitions ?? 4;
        this.maxBatchSize = options.maxBatchSize ?? 256;
        this.batchWindowMs = options.batchWindowMs ?? 250;
        this.eventHubFns = functions.filter(
            (f): f is Extract<RegisteredFunction, { trigger: 'eventHub' }> => f.trigger === 'eventHub',
        );
        for (const fn of this.eventHubFns) {
            const hub = this.resolve(fn.options.eventHubName);
            if (this.hubs.has(hub)) continue;
            const partitions = Array.from({ length: n }, (_, i) => ({
                hub,
                id: String(i),
                queue: [],
                nextSequence: options.sequenceBase ?? 0,
                nextOffset: 0,
                busy: false,
                inFlight: 0,
                published: 0,
                processed: 0,
            }));
            this.hubs.set(hub, partitions);
            this.partitions.push(...partitions);
        }
        // Registered as in Azure (functions/index.ts): every method, 405 for the ones a route does not declare.
        this.httpFns = functions
            .filter((f): f is Extract<RegisteredFunction, { trigger: 'http' }> => f.trigger === 'http')
            .map((f) => ({ ...f, options: registrationOptions(f) }));
        this.timerFns = functions.filter(
            (f): f is Extract<RegisteredFunction, { trigger: 'timer' }> => f.trigger === 'timer',
        );
        this.queueFns = functions.filter(
            (f): f is Extract<RegisteredFunction, { trigger: 'storageQueue' }> =>
                f.trigger === 'storageQueue',
        );
    }

    /** Partitions per hub. */
    get partitionCount(): number {
        return this.options.partitions ?? 4;
    }

    /** The hubs the functions consume (resolved names), in declaration order. */
    get hubNames(): string[] {
        return [...this.hubs.keys()];
    }

    /** Events waiting in partitions or being processed. */
    get backlog(): number {
        return this.stats.published - this.stats.delivered;
    }

    /**
     * Publishes events to a hub (default: the first consumed hub): each goes to the partition of its key.
     * Throws for a hub no function consumes.
     */
    publish(events: readonly HostEvent[], hub: string = this.hubNames[0] ?? ''): void {
        const partitions = this.hubs.get(hub);
        if (!partitions)
            throw new Error(
                `no function consumes event hub '${hub}' (consumed: ${this.hubNames.join(', ')})`,
            );
        for (const e of events) {
            const p = partitions[partitionFor(e.partitionKey, partitions.length)] as Partition;
            if (p.queue.length === 0) p.gatheringSince = Date.now();
            p.queue.push(e);
            p.published++;
            this.stats.published++;
            if (p.queue.length >= this.maxBatchSize) this.schedule(p, 0);
            else this.schedule(p, this.options.hubBatchWindowMs?.[hub] ?? this.batchWindowMs);
        }
    }

    /** Events of one hub waiting in its partitions or in a batch being processed (0 for a hub no function consumes). */
    pending(hub: string): number {
        return (this.hubs.get(hub) ?? []).reduce((n, p) => n + p.queue.length + p.inFlight, 0);
    }

    /**
     * Resolves when every event published to the given hubs up to now has been processed (retries included), or the
     * host stops; events published later do not hold it up (a live feed into the same hub never lets it be idle).
     */
    async drained(hubs: readonly string[], pollMs = 200): Promise<void> {
        const marks = hubs.flatMap((h) => (this.hubs.get(h) ?? []).map((p) => [p, p.published] as const));
        while (!this.stopped && marks.some(([p, published]) => p.processed < published))
            await new Promise((r) => setTimeout(r, pollMs));
    }

    /**
     * Delivers what is queued now instead of at the end of its batch window (a finite source that is done has
     * nothing more to gather: `maritime replay` then ends up to a window sooner).
     */
    flush(): void {
        // From now on nothing waits for its window (a partition busy now delivers the rest as soon as it is done).
        this.flushing = true;
        for (const p of this.partitions) if (p.queue.length > 0) this.schedule(p, 0);
    }

    /**
     * How long a partition's queue still gathers before it goes as a batch (0: now). Full batches and flushed
     * queues go at once; else the window runs from the oldest queued event, also while the partition was busy with
     * the batch before, like the Event Hubs trigger's `maxWaitTime`. (Delivering whatever had queued as soon as the
     * batch before was done made a saturated stack process ever smaller batches: at `--rate 500` with a backlog, the
     * AIS hub's batches were a few hundred events however long the window, and each wrote its silver files.)
     */
    private gatherWait(p: Partition): number {
        if (this.flushing || p.queue.length >= this.maxBatchSize || p.gatheringSince === undefined) return 0;
        const windowMs = this.options.hubBatchWindowMs?.[p.hub] ?? this.batchWindowMs;
        return Math.max(0, p.gatheringSince + windowMs - Date.now());
    }

    /** Resolves when every published event has been delivered (and retried or skipped). */
    idle(): Promise<void> {
        if (this.stats.delivered >= this.stats.published && this.partitions.every((p) => !p.busy))
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    private schedule(p: Partition, delay: number): void {
        if (p.busy || this.stopped || this.closing) return;
        if (p.timer && delay > 0) return;
        if (p.timer) clearTimeout(p.timer);
        p.timer = setTimeout(() => {
            p.timer = undefined;
            void this.drain(p);
        }, delay);
    }

    private async drain(p: Partition): Promise<void> {
        if (p.busy) return;
        p.busy = true;
        let gathering = 0;
        try {
            while (p.queue.length > 0 && !this.stopped && !this.closing) {
                gathering = this.gatherWait(p);
                if (gathering > 0) break;
                const batch = p.queue.splice(0, this.maxBatchSize);
                // What is left (a full batch's overflow) waited as long: it goes next, at once.
                if (p.queue.length === 0) p.gatheringSince = undefined;
                p.inFlight = batch.length;
                try {
                    await this.deliver(p, batch);
                } finally {
                    p.inFlight = 0;
                }
                p.processed += batch.length;
                this.stats.delivered += batch.length;
            }
        } finally {
            p.busy = false;
        }
        if (gathering > 0) this.schedule(p, gathering);
        if (
            this.stats.delivered >= this.stats.published &&
            this.partitions.every((q) => !q.busy && q.queue.length === 0)
        ) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
        }
    }

    private async deliver(p: Partition, batch: HostEvent[]): Promise<void> {
        const now = Date.now();
        const sequenceNumbers = batch.map(() => p.nextSequence++);
        const offsets = batch.map((e) => {
            const o = p.nextOffset;
            p.nextOffset += Buffer.byteLength(e.body);
            return String(o);
        });
        // The host gives enqueued times as ISO strings without a zone.
        const enqueued = new Date(now).toISOString().replace('Z', '');
        for (const fn of this.eventHubFns) {
            const hubName = this.resolve(fn.options.eventHubName);
            if (hubName !== p.hub) continue;
            const triggerMetadata: Record<string, unknown> = {
                partitionContext: {
                    fullyQualifiedNamespace: 'localhost',
                    eventHubName: hubName,
                    consumerGroup: this.resolve(fn.options.consumerGroup ?? '$Default'),
                    partitionId: p.id,
                },
                sequenceNumberArray: sequenceNumbers,
                offsetArray: offsets,
                enqueuedTimeUtcArray: batch.map(() => enqueued),
                partitionKeyArray: batch.map((e) => e.partitionKey),
                propertiesArray: batch.map((e) => e.properties ?? {}),
                systemPropertiesArray: batch.map((e, i) => ({
                    sequenceNumber: sequenceNumbers[i],
                    offset: offsets[i],
                    partitionKey: e.partitionKey,
                    enqueuedTimeUtc: enqueued,
                })),
            };
            const messages = batch.map((e) =>
                fn.options.dataType === 'string'
                    ? workerConvert(e.body)
                    : fn.options.dataType === 'binary'
                      ? Buffer.from(e.body, 'utf8')
                      : e.body,
            );
            const lost = await this.invokeWithRetry(
                fn.name,
                fn.options.retry,
                async (retryCount, maxRetryCount) => {
                    const attempt = { at: Date.now() };
                    this.attemptStarts.add(attempt);
                    try {
                        const context = this.context(fn.name, triggerMetadata, retryCount, maxRetryCount);
                        const result: unknown = await fn.options.handler(messages, context);
                        this.options.onResult?.(fn.name, result);
                    } finally {
                        this.attemptStarts.delete(attempt);
                    }
                },
            );
            if (lost !== undefined) this.options.onLost?.(fn.name, batch.length, lost);
        }
        this.stats.batches++;
    }

    /** Runs under the retry policy; resolves with the last error when every attempt failed, else undefined. */
    private async invokeWithRetry(
        name: string,
        policy: RetryOptions | undefined,
        run: (retryCount: number, maxRetryCount: number) => Promise<void>,
    ): Promise<string | undefined> {
        const max = policy ? policy.maxRetryCount : 0;
        for (let attempt = 0; ; attempt++) {
            try {
                await run(attempt, max);
                return undefined;
            } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                if (error instanceof Error && error.name === 'StoppedError') {
                    // Cut short by the stop (Runtime.stopRuns): not a failure, and not retried.
                    this.log('warn', name, `stopped (not failed): ${message}`);
                    return undefined;
                }
                if (!policy || attempt >= max) {
                    this.stats.failedBatches++;
                    this.log(
                        'error',
                        name,
                        `failed after ${attempt + 1} attempt(s); the batch is skipped (checkpointed), as in Azure: ${message}`,
                    );
                    return message;
                }
                this.stats.retries++;
                if (this.hurrying) {
                    // Shutting down: the last attempt now (it dead-letters the batch if it fails again).
                    this.log(
                        'warn',
                        name,
                        `attempt ${attempt + 1} failed while stopping; last attempt now: ${message}`,
                    );
                    attempt = max - 1;
                    continue;
                }
                const delay = Math.round(
                    retryDelay(policy, attempt + 1) * (this.options.retryDelayScale ?? 1),
                );
                this.log('warn', name, `attempt ${attempt + 1} failed, retrying in ${delay} ms: ${message}`);
                await this.sleep(delay);
                if (this.hurrying) attempt = Math.max(attempt, max - 1);
            }
        }
    }

    /** Sleeps between retries; `hurry()` cuts every sleep short. */
    private sleep(ms: number): Promise<void> {
        if (this.options.sleep) return this.options.sleep(ms);
        return new Promise<void>((resolve) => {
            const done = (): void => {
                clearTimeout(timer);
                this.wakeUps.delete(done);
                resolve();
            };
            const timer = setTimeout(done, ms);
            this.wakeUps.add(done);
        });
    }

    /**
     * Shutting down: retries stop waiting, and a batch that fails gets its last attempt at once (the ingest
     * functions then dead-letter it), so the drain ends in seconds even when a sink is down.
     */
    hurry(): void {
        this.hurrying = true;
        for (const wake of [...this.wakeUps]) wake();
    }

    /**
     * Stopping, step two (after a drain with a deadline): no more batches are taken from the partitions (what is
     * still queued stays there, counted by `queued`), and the batches being processed are finished, through
     * their sinks, with their retries hurried (a batch that still fails is dead-lettered by its function), so no
     * batch is cut off by the services stopping under it; timers fire no more, and their runs in progress get
     * `timerGraceMs` (never more than `timeoutMs`) to finish: a gold build can take a minute, and it is safe to cut
     * off (its run ledger lease hands the window to the next start, as after a crash). Resolves when nothing is
     * being processed, or after the deadlines with the number of batches and queue messages still running
     * (`running`) and of the timer runs left behind (`abandonedTimerRuns`).
     */
    async settle(
        timeoutMs: number,
    ): Promise<{ running: number; abandonedTimerRuns: number; abandonedTimers: string[] }> {
        this.closing = true;
        this.hurry();
        for (const p of this.partitions) {
            if (p.timer) clearTimeout(p.timer);
            p.timer = undefined;
        }
        // No timer fires any more; a timer run in progress (a gold build, a compliance check) finishes while the
        // services are still up, instead of failing against stopped ones (its run ledger lease covers a cut-off).
        for (const t of this.timers) clearTimeout(t);
        const deadline = Date.now() + timeoutMs;
        const timerDeadline = Math.min(deadline, Date.now() + (this.options.timerGraceMs ?? 3_000));
        // Queue messages being processed (gold shards: stopped by Runtime.stopRuns like the timer runs) get as long as
        // the timer runs; the rest stay on the queue for the next start.
        const queues = await Promise.all(
            this.queueTriggers.map((t) => t.stop(Math.max(0, timerDeadline - Date.now()))),
        );
        const waiting = (): boolean =>
            (this.partitions.some((p) => p.busy) && Date.now() < deadline) ||
            (this.timerRuns.size > 0 && Date.now() < timerDeadline);
        while (waiting()) await new Promise((r) => setTimeout(r, 20));
        this.abandonedTimerRuns = this.timerRuns.size;
        return {
            running: this.partitions.filter((p) => p.busy).length + queues.reduce((n, q) => n + q.running, 0),
            abandonedTimerRuns: this.timerRuns.size,
            abandonedTimers: [...this.timerRuns.values()],
        };
    }

    /** When the oldest Event Hub attempt still running began (epoch ms), or undefined when none runs. */
    oldestAttemptStart(): number | undefined {
        let oldest: number | undefined;
        for (const a of this.attemptStarts) if (oldest === undefined || a.at < oldest) oldest = a.at;
        return oldest;
    }

    /** Events published but not yet handed to a function (still queued in the partitions). */
    get queued(): number {
        return this.partitions.reduce((n, p) => n + p.queue.length, 0);
    }

    private context(
        functionName: string,
        triggerMetadata: Record<string, unknown> | undefined,
        retryCount = 0,
        maxRetryCount = 0,
    ): azureFunctions.InvocationContext {
        return new InvocationContext({
            invocationId: `local-${++invocationCounter}`,
            functionName,
            triggerMetadata,
            retryContext: { retryCount, maxRetryCount },
            logHandler: (level, ...args) =>
                this.log(
                    level,
                    functionName,
                    args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
                ),
        });
    }

    private log(level: string, functionName: string, message: string): void {
        // A timer run the stop left behind fails against the stopping services: expected, not an error.
        if (
            this.abandonedTimerRuns > 0 &&
            level === 'error' &&
            this.timerFns.some((f) => f.name === functionName)
        ) {
            level = 'warn';
            message = `(left running at the stop; the next start takes its window over) ${message}`;
        }
        if (this.options.log) this.options.log(level, functionName, message);
        else if (level === 'error') process.stderr.write(`[${functionName}] ${message}\n`);
    }

    private resolve(value: string): string {
        return value.replace(/%([^%]+)%/g, (_, name: string) => this.options.settings?.[name] ?? name);
    }

    /** Starts the HTTP listener, the timers and the queue triggers. Resolves with the bound port. */
    async start(): Promise<number> {
        for (const fn of this.timerFns) this.startTimer(fn);
        for (const fn of this.queueFns) this.startQueueTrigger(fn);
        if (this.httpFns.length === 0) return 0;
        const server = createServer((req, res) => void this.handleHttp(req, res));
        this.server = server;
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.options.port ?? 7071, '127.0.0.1', () => resolve());
        });
        const address = server.address();
        return typeof address === 'object' && address ? address.port : 0;
    }

    private startQueueTrigger(fn: Extract<RegisteredFunction, { trigger: 'storageQueue' }>): void {
        const service = this.options.queueService;
        if (service === undefined)
            throw new Error(
                `function ${fn.name} is triggered by queue ${fn.options.queueName}: the host needs a queue service`,
            );
        const trigger = new QueueTrigger(
            service,
            this.resolve(fn.options.queueName),
            async (delivery) => {
                const result: unknown = await fn.options.handler(
                    workerConvert(delivery.text),
                    this.context(fn.name, { ...delivery.metadata }),
                );
                this.options.onResult?.(fn.name, result);
            },
            this.options.queueOptions ?? hostQueueOptions(),
            (level, message) => this.log(level, fn.name, message),
        );
        this.queueTriggers.push(trigger);
        this.queueFunctionNames.set(trigger, fn.name);
        trigger.start();
    }

    /** Queue messages being processed now. */
    get queueRunning(): number {
        return this.queueTriggers.reduce((n, t) => n + t.running, 0);
    }

    /**
     * The functions running now besides ingest and HTTP: timer functions whose handler runs (not those waiting for an
     * exclusive turn) and queue functions processing a message, by name, sorted (`memory:` line; the soak tells the
     * samples taken during a job from the others by it).
     */
    get runningJobs(): string[] {
        const names = new Set(this.timersRunning.keys());
        for (const t of this.queueTriggers)
            if (t.running > 0) names.add(this.queueFunctionNames.get(t) ?? t.queueName);
        return [...names].sort();
    }

    /** Per queue function: its handler runs that succeeded, failed, and messages moved to the poison queue. */
    get queueStats(): Record<string, QueueTrigger['stats']> {
        return Object.fromEntries(this.queueTriggers.map((t) => [t.queueName, { ...t.stats }]));
    }

    private startTimer(fn: Extract<RegisteredFunction, { trigger: 'timer' }>): void {
        const schedule = parseNcrontab(this.resolve(fn.options.schedule));
        const arm = (): void => {
            if (this.stopped || this.closing) return;
            const now = Date.now();
            const next = nextOccurrence(schedule, now);
            if (next - now > MAX_TIMEOUT_MS) {
                // Node fires a longer timeout at once (TimeoutOverflowWarning): wait in steps, then arm again.
                const wait = setTimeout(arm, MAX_TIMEOUT_MS);
                wait.unref();
                this.timers.push(wait);
                return;
            }
            const t = setTimeout(
                () => {
                    const invoke = async (): Promise<string | undefined> => {
                        this.timersRunning.set(fn.name, (this.timersRunning.get(fn.name) ?? 0) + 1);
                        const timer: Timer = {
                            isPastDue: Date.now() - next > 1000,
                            schedule: { adjustForDST: false },
                            scheduleStatus: {
                                last: new Date(now).toISOString(),
                                next: new Date(next).toISOString(),
                                lastUpdated: new Date().toISOString(),
                            },
                        };
                        try {
                            return await this.invokeWithRetry(
                                fn.name,
                                fn.options.retry,
                                async (retryCount, maxRetryCount) => {
                                    await fn.options.handler(
                                        timer,
                                        this.context(fn.name, undefined, retryCount, maxRetryCount),
                                    );
                                },
                            );
                        } finally {
                            const left = (this.timersRunning.get(fn.name) ?? 1) - 1;
                            if (left > 0) this.timersRunning.set(fn.name, left);
                            else this.timersRunning.delete(fn.name);
                            this.options.onTimerRunSettled?.(fn.name);
                        }
                    };
                    const run = (
                        this.options.exclusiveTimers?.includes(fn.name) === true
                            ? this.afterExclusive(invoke)
                            : invoke()
                    ).finally(() => {
                        this.timerRuns.delete(run);
                        arm();
                    });
                    this.timerRuns.set(run, fn.name);
                },
                Math.max(0, next - now),
            );
            t.unref();
            this.timers.push(t);
        };
        arm();
    }

    /** Runs `invoke` after the exclusive timer runs before it; not at all when the host stops meanwhile. */
    private afterExclusive(invoke: () => Promise<string | undefined>): Promise<string | undefined> {
        const run = this.exclusiveTail.then(() => (this.stopped || this.closing ? undefined : invoke()));
        this.exclusiveTail = run.catch(() => undefined);
        return run;
    }

    private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
        const match = this.matchRoute(req.method ?? 'GET', url.pathname);
        let response: HttpResponseInit;
        if (!match) {
            response = {
                status: 404,
                jsonBody: {
                    error: 'not_found',
                    message: `No function serves ${req.method} ${url.pathname}`,
                    routes: this.httpFns.map((f) => `/api/${f.options.route}`),
                },
            };
        } else {
            const chunks: Buffer[] = [];
            for await (const chunk of req) chunks.push(chunk as Buffer);
            const body = Buffer.concat(chunks);
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
            const request = new HttpRequest({
                method: req.method ?? 'GET',
                url: url.toString(),
                headers,
                params: match.params,
                ...(body.length > 0 ? { body: { bytes: body } } : {}),
            });
            try {
                response = await match.fn.options.handler(request, this.context(match.fn.name, undefined));
            } catch (error) {
                this.log(
                    'error',
                    match.fn.name,
                    error instanceof Error ? (error.stack ?? error.message) : String(error),
                );
                response = { status: 500, jsonBody: { error: 'internal' } };
            }
        }
        const headers: Record<string, string> = {};
        if (response.headers)
            for (const [k, v] of Object.entries(response.headers as Record<string, string>)) headers[k] = v;
        let payload: string | Buffer = '';
        if (response.jsonBody !== undefined) {
            payload = JSON.stringify(response.jsonBody);
            headers['content-type'] ??= 'application/json; charset=utf-8';
        } else if (typeof response.body === 'string') payload = response.body;
        res.writeHead(response.status ?? 200, headers);
        res.end(payload);
    }

    private matchRoute(
        method: string,
        path: string,
    ): { fn: Extract<RegisteredFunction, { trigger: 'http' }>; params: Record<string, string> } | undefined {
        const segments = path
            .replace(/^\/api\/?/, '')
            .split('/')
            .filter(Boolean);
        for (const fn of this.httpFns) {
            if (fn.options.methods && !fn.options.methods.includes(method as never)) continue;
            const template = fn.options.route.split('/').filter(Boolean);
            if (template.length !== segments.length) continue;
            const params: Record<string, string> = {};
            let ok = true;
            template.forEach((t, i) => {
                const s = decodeURIComponent(segments[i] as string);
                const m = /^\{(\w+)(?::\w+)?\}$/.exec(t);
                if (m) params[m[1] as string] = s;
                else if (t !== s) ok = false;
            });
            if (ok) return { fn, params };
        }
        return undefined;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        for (const t of this.timers) clearTimeout(t);
        // Polling ends; a message still running is left to its lease (delivered again later, as in Azure).
        await Promise.all(this.queueTriggers.map((t) => t.stop(0)));
        for (const p of this.partitions) if (p.timer) clearTimeout(p.timer);
        const server = this.server;
        if (server) {
            const closed = new Promise<void>((resolve) => server.close(() => resolve()));
            server.closeAllConnections();
            await closed;
        }
        // Whoever waits for idle (a drain with a deadline) is released: nothing more will be delivered.
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
    }
}
