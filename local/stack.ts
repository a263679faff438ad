/**
 * The embedded local stack: Azurite + the Cosmos-protocol server, the containers, the settings, and the local
 * trigger host running the app's own function table. Used by `npm start`, `maritime start|replay|rebuild` and the
 * end-to-end tests.
 *
 * The stack builds its settings record (the embedded services' connection settings over `options.settings`) and
 * passes the checked config to the composition root (`createRuntime`, functions/runtime.ts); it never writes
 * `process.env`. Its totals come from the runtime's `onBatchLanded` observer.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bindFunctions } from '../functions/definitions.js';
import { FUNCTIONS } from '../functions/functionTable.js';
import { createRuntime, type LandedBatch, type Runtime } from '../functions/runtime.js';
import hostJson from '../host.json' with { type: 'json' };
import { createLakeContainers } from '../shared/adapters/clients.js';
import { ConsoleAlertPublisher } from '../shared/adapters/ConsoleAlertPublisher.js';
import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { addCounts, type BatchCounts, emptyCounts } from '../shared/app/batchRecords.js';
import { AIS_SOURCE, type BatchSummary, ingestAisBatch } from '../shared/app/ingestAisBatch.js';
import { recordIngestBatchAfterRun } from '../shared/app/ingestBatches.js';
import { ingestMaintenanceBatch, MAINTENANCE_SOURCE } from '../shared/app/ingestMaintenanceBatch.js';
import {
    ingestSensorBatch,
    SENSOR_SOURCE,
    type SensorBatchSummary,
} from '../shared/app/ingestSensorBatch.js';
import { rebuildFromBronze, type SourceIngest } from '../shared/app/rebuild.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { LAKE_CONTAINERS, SETTINGS } from '../shared/config/settingNames.js';
import { ensureCosmosResources } from './cosmosSetup.js';
import { readSnapshot, restoreSnapshot, writeSnapshot } from './cosmosSnapshot.js';
import { collectGarbage, trimHeapPeriodically } from './heapTrim.js';
import { type HostEvent, LocalHost } from './host.js';
import { type HeapUse, type HttpWorker, httpWorkerAvailable, startHttpWorker } from './httpWorker.js';
import { trimNativeHeap } from './mallocTrim.js';
import { hostQueueOptions } from './queueTrigger.js';
import { type LocalServices, startLocalServices } from './services.js';
import { EXAMPLE_PARTICULARS_PATH } from './simulator/particulars.js';

export interface StackOptions {
    /**
     * After each lake job, a full collection and glibc's `malloc_trim(0)` (heapTrim.ts, mallocTrim.ts): on for the
     * long-running commands (`maritime start`, `replay`, `rebuild`); off by default, so tests that start stacks in a
     * test runner's large heap do not pay a full collection per timer run.
     */
    releaseMemoryAfterJobs?: boolean;
    /** Persist lake and vessel state under this folder (default `.local`); `undefined` with `inMemory`. */
    dataDir?: string;
    inMemory?: boolean;
    /** Delete the persisted data first. */
    reset?: boolean;
    httpPort?: number;
    /**
     * Serve the HTTP functions from a worker thread with its own runtime, so reads never wait behind an ingest
     * batch (default: when the compiled app is there, i.e. `npm start` and the built CLI; Jest runs the sources and
     * serves HTTP on the stack's own event loop).
     */
    httpThread?: boolean;
    partitions?: number;
    maxBatchSize?: number;
    batchWindowMs?: number;
    /**
     * Window of the sensor hub's partitions, ms (default `LOCAL_SENSOR_BATCH_WINDOW_MS`, or `batchWindowMs` when
     * that is given).
     */
    sensorBatchWindowMs?: number;
    /** Multiplies the retry delays of the trigger host (default 1; fault tests use a small factor). */
    retryDelayScale?: number;
    /** How often the vessel state is snapshotted to disk, ms (default 30 s; persisted stacks only). */
    snapshotIntervalMs?: number;
    /**
     * App settings from the caller's environment (the CLI passes those of `SETTINGS` it finds set): they apply
     * except where the stack sets its own (the embedded services' connections, the dead-letter folder).
     */
    environment?: Readonly<Record<string, string>>;
    /** App settings over everything else (tests, `--max-age-days`). */
    settings?: Record<string, string>;
    /**
     * Alerts about events older than this are stored but not printed (`npm start` backfills weeks of sensor history
     * for the maintenance model); counted in `Stack.alertsNotPrinted`. Default: every alert is printed.
     */
    quietAlertsOlderThanMs?: number;
    log?: (level: string, functionName: string, message: string) => void;
}

/**
 * Batches of the local trigger host: up to 1,024 events, gathered for up to 5 s per partition. Most of what a batch
 * costs is per batch, not per event: its blobs (bronze, quarantine, one Parquet file per silver table and hour, the
 * batch record), one state read, and one transactional batch per vessel that rewrites the vessel's current 10-minute
 * track bucket (up to 10 minutes of fixes). With 256 events gathered for 1 s, `npm start --rate 500` spent about
 * twice the CPU per event (README "Throughput"). Azure's trigger batches by host.json's `maxEventBatchSize` instead.
 * The main heap a batch holds is mostly per vessel, not per event (each batch reads and rewrites every bucket of its
 * vessels): at 512 the 4 partitions' batches in flight peaked as high as at 1,024, for 1.4 times the bytes allocated
 * per event (`npm run bench:ingest-memory`, README "Ingest memory").
 *
 * 5 s, not 2 s: at 500 AIS events/s the 4 partitions' 2 s batches (~250 events each) wrote 2 batches a second, each
 * an `ais_positions` file, often an `ais_static` file and an `ingest_batches` record: ~6 silver files a second that
 * compaction downloads one by one (most of an open hour's merge time is those downloads) and today's gold builds
 * list and read. 5 s batches (~625 events, under the 1,024 cap) write 2.5 times fewer files; the live map and the
 * collision watch see a position up to 5 s after it was sent (Class A vessels report every 2-10 s under way).
 */
export const LOCAL_MAX_BATCH_SIZE = 1024;
export const LOCAL_BATCH_WINDOW_MS = 5000;
/**
 * The sensor hub gathers for 10 s: with a 2 s window the local sensor hub's partitions delivered
 * batches of ~12-45 readings, each writing a `sensor_readings` file and an `ingest_batches` record (~4 of the ~10
 * silver files per second at `--rate 500`, that compaction and today's gold builds then read). Sensor readings
 * feed alerts and the hourly aggregates, where 10 s more does not matter; AIS keeps 5 s for the live map.
 */
export const LOCAL_SENSOR_BATCH_WINDOW_MS = 10_000;

/** AIS counts over every `ingestAis` batch, and the same for `ingestSensorReadings` with the alerts it raised. */
export interface Totals extends BatchCounts {
    sensors: BatchCounts;
    /** `ingestMaintenanceEvents` batches (the maintenance log). */
    maintenance: BatchCounts;
    alerts: number;
    batches: number;
    events: number;
    /** Events of batches that failed after their last retry AND could not be dead-lettered (should stay 0). */
    lostEvents: number;
    /** Where skipped batches are dead-lettered (`DEADLETTER_DIR`). */
    deadLetterDir: string;
}

export interface Stack {
    host: LocalHost;
    /** The app the host runs (adapters over the embedded services). */
    runtime: Runtime;
    services: LocalServices;
    httpPort: number;
    baseUrl: string;
    totals: Totals;
    /** Alerts stored but not printed because they are about old events (`quietAlertsOlderThanMs`). */
    alertsNotPrinted(): number;
    /** Cosmos documents restored from the previous run's snapshot. */
    restoredDocuments: number;
    /** Where the start-up time went, ms from the call: services up, state restored, bronze re-driven, ready. */
    startup: { services: number; restore: number; replay: number; ready: number };
    /** Bronze batches written after that snapshot, re-driven at start (what a crash had not saved). */
    replayedBatches: number;
    /** Publishes to a hub (default `ais-raw`). */
    publish(events: readonly HostEvent[], hub?: string): void;
    /**
     * Tells the long timer runs to stop (`Runtime.stopRuns`: gold, sensor hourly, compaction end between their steps
     * and files, as after a crash), drains (at most `drainTimeoutMs`, default 8 s; retries stop waiting and a failing
     * batch is dead-lettered at once), then finishes the batches being processed (at most `settleTimeoutMs` more, default 20 s) so none
     * is cut off by the services stopping, saves the state, then stops the services last. Resolves with the
     * events left undrained (still queued in the local hub, never handed to a function).
     */
    stop(options?: { drainTimeoutMs?: number; settleTimeoutMs?: number }): Promise<{ undrained: number }>;
    /** Stops at once (a second Ctrl-C): no drain, no save. Resolves with the events left undrained. */
    abort(): Promise<{ undrained: number }>;
    /** Where this process's memory is: RSS, each thread's V8 heap, the Cosmos-protocol server's documents. */
    memory(): Promise<StackMemory>;
}

/** Bytes, except `documents` (per container, held in memory by the local Cosmos-protocol server). */
export interface StackMemory {
    rss: number;
    /**
     * The timer and queue functions running when `rss` was read (`LocalHost.runningJobs`): a sample taken during a
     * gold build or a check holds that job's working set for its few seconds.
     */
    jobs?: readonly string[];
    /** This thread's heap (ingest, trigger host, timers) and what V8 holds outside it (Buffers, DuckDB's not). */
    main: HeapUse;
    external: number;
    arrayBuffers: number;
    /** The Cosmos-protocol server process's heap: every document it holds, plus its indexes and query caches. */
    cosmos: HeapUse;
    /** The Cosmos-protocol server process's RSS, bytes (not in `rss`: a process of its own). */
    cosmosRss?: number;
    documents: Record<string, number>;
    /** Idle track points the Cosmos-protocol server keeps in its temporary file, not in its heap (cosmosCompact.ts). */
    coldBytes?: number;
    /** The HTTP worker thread's heap (absent with --http-inline). */
    http?: HeapUse;
    /** Size of the last snapshot file of the Cosmos data (persisted stacks). */
    snapshotBytes?: number;
}

/** The HTTP port is taken: said plainly, before anything is started. */
export class PortInUseError extends Error {
    override name = 'PortInUseError';
}

async function assertPortFree(port: number): Promise<void> {
    if (port === 0) return;
    await new Promise<void>((resolve, reject) => {
        const probe = createNetServer();
        probe.once('error', (error: NodeJS.ErrnoException) => {
            reject(
                error.code === 'EADDRINUSE'
                    ? new PortInUseError(
                          `port ${port} is already in use (another 'npm start' or 'func start'?): stop it, or pick another port with --port N (--port 0: any free port)`,
                      )
                    : error,
            );
        });
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
}

/** The ingest use cases bound to the runtime, for re-driving bronze and dead letters (`maritime rebuild`, start-up). */
export function runtimeIngest(
    runtime: Runtime,
    log: (message: string) => void = () => undefined,
): Record<string, SourceIngest> {
    const logger = (functionName: string) =>
        invocationLogger({
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: (...args: unknown[]) =>
                log(
                    `[${functionName}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`,
                ),
        });
    return {
        [AIS_SOURCE]: async (events) => {
            const deps = runtime.ingestDeps(logger('rebuild.ais'));
            const summary = await ingestAisBatch(events, deps);
            await recordIngestBatchAfterRun(deps, AIS_SOURCE, events, summary);
            await runtime.markWatermarks(AIS_SOURCE, summary, deps.logger);
            return summary;
        },
        [SENSOR_SOURCE]: async (events) => {
            const deps = runtime.sensorIngestDeps(logger('rebuild.sensors'));
            const summary = await ingestSensorBatch(events, deps);
            await recordIngestBatchAfterRun(deps, SENSOR_SOURCE, events, summary);
            await runtime.markWatermarks(SENSOR_SOURCE, summary, deps.logger);
            return summary;
        },
        [MAINTENANCE_SOURCE]: async (events) => {
            const deps = runtime.maintenanceIngestDeps(logger('rebuild.maintenance'));
            const summary = await ingestMaintenanceBatch(events, deps);
            await runtime.markWatermarks(MAINTENANCE_SOURCE, summary, deps.logger);
            return summary;
        },
    };
}

/**
 * Settings the local stack runs with where Azure keeps the default (the caller's environment wins).
 * `GOLD_DUCKDB_MEMORY_LIMIT`: the stack runs every gold build in its one process (the per-minute `buildGold`, the
 * `buildSensorHourly`, and the compaction's own DuckDB, often at once) beside the ingest, the Cosmos-protocol server
 * and the HTTP thread, where a Functions instance runs one build at a time; at 512MB a build of the day a 30-minute
 * soak reaches kept its whole working set resident (its windows and sorts over the day's fixes). At this limit DuckDB
 * spills the rest to the build's temporary folder: same rows, measured with `node dist/bench/goldMemory.js` and
 * `node dist/bench/gold.js` (README "Fault harness and soak").
 * `COMPACTION_DUCKDB_MEMORY_LIMIT` 128MB: an open hour's increments are no longer sorted (DuckDB streams them, at most
 * `OPEN_HOUR_MAX_INPUT_FILES` files), so only a closed hour's merge sorts, in slices of its first sort key when it
 * does not fit (`DuckDbSilverCompactor`); at 512MB a merge could hold 512MB beside a gold build. (At 64MB a sorted merge of an open hour of 1,327 batch files ran out
 * of memory; measured at 128MB: an 8-minute soak, every fire without a DuckDB error, and one sorted merge of 1,400
 * batch files.)
 */
export const LOCAL_STACK_SETTINGS: Readonly<Record<string, string>> = {
    GOLD_DUCKDB_MEMORY_LIMIT: '64MB',
    COMPACTION_DUCKDB_MEMORY_LIMIT: '128MB',
};

/**
 * The timers the stack runs one at a time (`HostOptions.exclusiveTimers`): the jobs over the lake, each holding its
 * inputs and a DuckDB (or hyparquet) working set while it runs. Under `--time-scale` the gold builds and the
 * compliance check fire at second 0 of every minute and compaction at second 45, so they overlapped; their working
 * sets then added up in the stack's one process (README "Fault harness and soak"). One after another, a fire waits
 * for the run in progress, so under load a job runs less often than its schedule says; the collision watch
 * (`watchCollisions`) is not among them, it keeps its minute.
 */
export const LOCAL_EXCLUSIVE_TIMERS: readonly string[] = [
    'buildGold',
    'buildSensorHourly',
    'checkCompliance',
    'compactSilver',
    'scoreMaintenance',
];

/**
 * The app settings of the stack: the defaults of `SETTINGS`, the local stack's own (`LOCAL_STACK_SETTINGS`), the
 * caller's environment, the embedded services' connection settings and the dead-letter folder, the simulated
 * fleet's particulars file, then `overrides` (the caller's, e.g. from the CLI).
 */
export function stackSettings(
    services: Pick<LocalServices, 'lakeConnectionString' | 'cosmosEndpoint' | 'cosmosKey'>,
    deadLetterDir: string,
    options: StackOptions,
): Record<string, string> {
    const environment = options.environment ?? {};
    return {
        ...Object.fromEntries(
            SETTINGS.flatMap((d) => ('defaultValue' in d ? [[d.name, d.defaultValue]] : [])),
        ),
        ...LOCAL_STACK_SETTINGS,
        ...environment,
        LAKE_CONNECTION_STRING: services.lakeConnectionString,
        GoldQueueConnection: services.lakeConnectionString,
        COSMOS_ENDPOINT: services.cosmosEndpoint,
        COSMOS_KEY: services.cosmosKey,
        DEADLETTER_DIR: deadLetterDir,
        // the simulated fleet's particulars file, unless the user names another one
        VESSEL_PARTICULARS_PATH: environment.VESSEL_PARTICULARS_PATH ?? EXAMPLE_PARTICULARS_PATH,
        ...options.settings,
    };
}

/** Adds a landed ingest batch to the stack's totals (AIS batches and events; sensor counts and alerts apart). */
function addToTotals(totals: Totals, { source, summary }: LandedBatch): void {
    if (source === MAINTENANCE_SOURCE) {
        addCounts(totals.maintenance, summary);
    } else if (source === SENSOR_SOURCE) {
        const s = summary as SensorBatchSummary;
        addCounts(totals.sensors, s);
        totals.alerts += s.alerts;
    } else if (source === AIS_SOURCE) {
        const s = summary as BatchSummary;
        totals.batches++;
        totals.events += s.events;
        addCounts(totals, s);
    }
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
    const dataDir = options.inMemory ? undefined : (options.dataDir ?? '.local');
    if (dataDir) {
        if (options.reset) rmSync(dataDir, { recursive: true, force: true });
        mkdirSync(dataDir, { recursive: true });
    }
    await assertPortFree(options.httpPort ?? 7071);
    // The dead-letter store lives on the local disk, not in Azurite or the Cosmos-protocol server (the sinks
    // that can fail); an in-memory stack still keeps its dead letters on disk, in a temporary folder.
    const deadLetterDir = dataDir
        ? join(dataDir, 'deadletter')
        : mkdtempSync(join(tmpdir(), 'maritime-deadletter-'));
    const startedAt = Date.now();
    const startup = { services: 0, restore: 0, replay: 0, ready: 0 };
    const services = await startLocalServices({ dataDir, quiet: true });
    startup.services = Date.now() - startedAt;
    const settings = stackSettings(services, deadLetterDir, options);
    const totals: Totals = {
        ...emptyCounts(),
        sensors: emptyCounts(),
        maintenance: emptyCounts(),
        alerts: 0,
        batches: 0,
        events: 0,
        lostEvents: 0,
        deadLetterDir,
    };
    let runtime: Runtime | undefined;
    const alertPrinter =
        options.quietAlertsOlderThanMs === undefined
            ? undefined
            : new ConsoleAlertPublisher(undefined, { quietOlderThanMs: options.quietAlertsOlderThanMs });
    let restoredDocuments = 0;
    let replayedBatches = 0;
    try {
        runtime = createRuntime(loadConfig(settings), {
            onBatchLanded: (batch) => addToTotals(totals, batch),
            ...(alertPrinter ? { adapters: { publisher: alertPrinter } } : {}),
        });
        const lake = createLakeContainers(runtime.blobService);
        await Promise.all(LAKE_CONTAINERS.map((name) => lake[name].createIfNotExists()));
        await ensureCosmosResources(runtime.cosmos, runtime.config.cosmos.database);
        await runtime.ensureShardQueue();
        if (dataDir) {
            const snapshot = readSnapshot(dataDir);
            if (snapshot)
                restoredDocuments = await restoreSnapshot(
                    services.cosmosData,
                    runtime.config.cosmos.database,
                    snapshot,
                );
            startup.restore = Date.now() - startedAt;
            // Bronze written since the snapshot (all of it when there is none) goes through the ingest again.
            const replayFrom = snapshot ? snapshot.replayFrom : 0;
            if (Number.isFinite(replayFrom)) {
                const since = Math.max(0, replayFrom - 2_000); // blob times have 1 s resolution
                const replay = await rebuildFromBronze(
                    {
                        lake: runtime.lake,
                        ingest: runtimeIngest(runtime, (m) => process.stderr.write(`[replay] ${m}\n`)),
                    },
                    { from: since, modifiedSince: since },
                );
                replayedBatches = replay.batches;
                startup.replay = Date.now() - startedAt;
                if (replay.failed.length > 0) {
                    throw new Error(
                        `re-driving bronze written after the snapshot failed for ${replay.failed.length} batch(es): ${replay.failed[0]?.error}`,
                    );
                }
            }
            // From here on bronze is due again after a crash: a clean stop's snapshot owes nothing, and a kill -9 before
            // the first periodic snapshot must not leave that one in place.
            await writeSnapshot(services.cosmosData, runtime.config.cosmos.database, dataDir, Date.now());
        }
    } catch (error) {
        runtime?.dispose();
        await services.stop();
        throw error;
    }

    const app = runtime;
    // HTTP on its own thread (local/httpWorker.ts) when the compiled app is there; else on this event loop.
    const httpThread = options.httpThread ?? httpWorkerAvailable();
    const functions = httpThread ? FUNCTIONS.filter((f) => f.trigger !== 'http') : FUNCTIONS;
    const host = new LocalHost(bindFunctions(functions, app), {
        ...(dataDir ? { sequenceBase: Date.now() * 1_000 } : {}),
        partitions: options.partitions ?? 4,
        maxBatchSize: options.maxBatchSize ?? LOCAL_MAX_BATCH_SIZE,
        batchWindowMs: options.batchWindowMs ?? LOCAL_BATCH_WINDOW_MS,
        hubBatchWindowMs: {
            [app.config.sensors.hubName]:
                options.sensorBatchWindowMs ?? options.batchWindowMs ?? LOCAL_SENSOR_BATCH_WINDOW_MS,
        },
        port: options.httpPort ?? 7071,
        exclusiveTimers: LOCAL_EXCLUSIVE_TIMERS,
        // A lake job's garbage (the buffers of the Parquet files it read) goes as soon as it ends (heapTrim.ts), and
        // the native memory it freed goes back to the system (mallocTrim.ts).
        onTimerRunSettled: (name) => {
            if (options.releaseMemoryAfterJobs !== true || !LOCAL_EXCLUSIVE_TIMERS.includes(name)) return;
            collectGarbage();
            trimNativeHeap();
        },
        ...(options.retryDelayScale !== undefined ? { retryDelayScale: options.retryDelayScale } : {}),
        // Binding expressions (%AIS_EVENTHUB_NAME%, ...) resolve like the host's: from the app settings.
        settings,
        // The gold shard queue on Azurite, polled with host.json's queue settings; a message is leased for 1 minute
        // (10 in Azure), so one whose stack died is built again soon after the next start.
        ...(app.queueService === undefined ? {} : { queueService: app.queueService }),
        queueOptions: hostQueueOptions(hostJson.extensions.queues, 60_000),
        ...(options.log ? { log: options.log } : {}),
        onLost: (_name, events) => {
            totals.lostEvents += events;
        },
    });
    let httpPort: number;
    let http: HttpWorker | undefined;
    try {
        if (httpThread) {
            http = await startHttpWorker(settings, options.httpPort ?? 7071);
            httpPort = http.port;
            await host.start();
        } else {
            httpPort = await host.start();
        }
    } catch (error) {
        await host.stop();
        await http?.stop();
        app.dispose();
        await services.stop();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new PortInUseError(
                `port ${options.httpPort ?? 7071} is already in use: stop whatever holds it, or pick another port with --port N (--port 0: any free port)`,
            );
        }
        throw error;
    }
    let stopping: Promise<{ undrained: number }> | undefined;
    let saving: Promise<void> | undefined;
    let snapshotBytes: number | undefined;
    // A batch running when a snapshot is taken may not have written all its state: the bronze written since it
    // began is due again at start. The last snapshot, taken after the host stopped with none running, owes nothing.
    const snapshotNow = (final = false): Promise<void> => {
        if (!dataDir) return Promise.resolve();
        const replayFrom = host.oldestAttemptStart() ?? (final ? Number.POSITIVE_INFINITY : Date.now());
        saving ??= writeSnapshot(services.cosmosData, app.config.cosmos.database, dataDir, replayFrom)
            .then((written) => {
                snapshotBytes = written.bytes;
            })
            .finally(() => {
                saving = undefined;
            });
        return saving;
    };
    const snapshotTimer = dataDir
        ? setInterval(() => {
              snapshotNow().catch((error: unknown) =>
                  process.stderr.write(
                      `vessel-state snapshot failed (the next one retries): ${error instanceof Error ? error.message : String(error)}\n`,
                  ),
              );
          }, options.snapshotIntervalMs ?? 30_000)
        : undefined;
    snapshotTimer?.unref();
    const stopTrimming = trimHeapPeriodically();
    return {
        host,
        runtime: app,
        services,
        httpPort,
        baseUrl: `http://127.0.0.1:${httpPort}/api`,
        totals,
        alertsNotPrinted: () => alertPrinter?.notPrinted ?? 0,
        restoredDocuments,
        replayedBatches,
        startup: { ...startup, ready: Date.now() - startedAt },
        publish: (events, hub) => host.publish(events, hub),
        stop(stopOptions = {}) {
            stopping ??= (async () => {
                const began = Date.now();
                const marks: string[] = [];
                const mark = (step: string, from: number): number => {
                    const now = Date.now();
                    marks.push(`${step} ${((now - from) / 1000).toFixed(1)} s`);
                    return now;
                };
                // The long timer runs (a gold build, sensor hourly, a compaction) stop now, between their steps and
                // files, instead of competing with the drain for the CPU: their windows are left as after a crash,
                // with the run ledger lease handed back, and the next start does them again.
                void app.stopRuns('the local stack is stopping');
                host.hurry();
                // What the partitions are gathering goes now, not at the end of its window (10 s on the sensor hub).
                host.flush();
                const deadline = stopOptions.drainTimeoutMs ?? 8_000;
                let timer: NodeJS.Timeout | undefined;
                await Promise.race([
                    host.idle(),
                    new Promise<void>((r) => (timer = setTimeout(r, deadline))),
                ]);
                clearTimeout(timer);
                let at = mark('drain', began);
                // Batches being processed finish through the sinks (the services are still up); what is still
                // queued is not started.
                const { running, abandonedTimerRuns, abandonedTimers } = await host.settle(
                    stopOptions.settleTimeoutMs ?? 20_000,
                );
                at = mark('settle', at);
                if (running > 0)
                    process.stderr.write(
                        `${running} batch(es) still running after the settle deadline: they may fail as the services stop (then dead-lettered)\n`,
                    );
                if (abandonedTimerRuns > 0)
                    process.stderr.write(
                        `${abandonedTimerRuns} timer run(s) not waited for (${abandonedTimers.join(', ')}): the next start takes their window over once the run ledger lease ends, as after a crash\n`,
                    );
                const undrained = host.backlog;
                clearInterval(snapshotTimer);
                stopTrimming();
                await host.stop();
                await http?.stop();
                if (dataDir) {
                    try {
                        await saving;
                        await snapshotNow(true);
                    } catch (error) {
                        process.stderr.write(
                            `could not save the vessel state: ${error instanceof Error ? error.message : String(error)}\n`,
                        );
                    }
                }
                at = mark('host and state saved', at);
                app.dispose();
                await services.stop();
                mark('services', at);
                process.stderr.write(
                    `stack stopped in ${((Date.now() - began) / 1000).toFixed(1)} s (${marks.join(', ')})\n`,
                );
                return { undrained };
            })();
            return stopping;
        },
        async memory() {
            const m = process.memoryUsage();
            const jobs = host.runningJobs;
            const [cosmos, httpHeap] = await Promise.all([
                services.cosmosData.stats(app.config.cosmos.database),
                stopping ? undefined : http?.heap(),
            ]);
            return {
                rss: m.rss,
                jobs,
                main: { used: m.heapUsed, total: m.heapTotal },
                external: m.external,
                arrayBuffers: m.arrayBuffers,
                cosmos: {
                    used: cosmos.heapUsed,
                    total: cosmos.heapTotal,
                    external: cosmos.external,
                    arrayBuffers: cosmos.arrayBuffers,
                },
                documents: cosmos.documents,
                coldBytes: cosmos.coldBytes,
                cosmosRss: cosmos.rss,
                ...(httpHeap ? { http: httpHeap } : {}),
                ...(snapshotBytes === undefined ? {} : { snapshotBytes }),
            };
        },
        async abort() {
            void app.stopRuns('the local stack is stopping at once');
            clearInterval(snapshotTimer);
            stopTrimming();
            const undrained = host.backlog;
            await host.stop();
            await http?.stop();
            app.dispose();
            await services.stop();
            return { undrained };
        },
    };
}
