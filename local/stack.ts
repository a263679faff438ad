/**
 * The embedded local stack: Azurite + the Cosmos-protocol server, the containers, the settings, and the local
 * trigger host running the app's own function table. Used by `npm start`, `maritime start|replay` and the
 * end-to-end tests.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLakeContainers, disposeClients, getBlobServiceClient, getCosmosClient } from '../shared/adapters/clients.js';
import { addCounts, type BatchCounts, emptyCounts } from '../shared/app/batchRecords.js';
import type { BatchSummary } from '../shared/app/ingestAisBatch.js';
import type { SensorBatchSummary } from '../shared/app/ingestSensorBatch.js';
import { getConfig, resetConfig } from '../shared/config/loadConfig.js';
import { COSMOS_CONTAINERS, LAKE_CONTAINERS, SETTINGS } from '../shared/config/settingNames.js';
import { ensureCosmosResources } from './cosmosSetup.js';
import { type HostEvent, LocalHost } from './host.js';
import { type LocalServices, startLocalServices } from './services.js';
import { EXAMPLE_PARTICULARS_PATH } from './simulator/particulars.js';

export interface StackOptions {
    /** Persist lake and vessel state under this folder (default `.local`); `undefined` with `inMemory`. */
    dataDir?: string;
    inMemory?: boolean;
    /** Delete the persisted data first. */
    reset?: boolean;
    httpPort?: number;
    partitions?: number;
    maxBatchSize?: number;
    batchWindowMs?: number;
    /** Multiplies the retry delays of the trigger host (default 1; fault tests use a small factor). */
    retryDelayScale?: number;
    /** Extra settings (override the defaults of `SETTINGS`). */
    settings?: Record<string, string>;
    log?: (level: string, functionName: string, message: string) => void;
}

/** AIS counts over every `ingestAis` batch, and the same for `ingestSensorReadings` with the alerts it raised. */
export interface Totals extends BatchCounts {
    sensors: BatchCounts;
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
    services: LocalServices;
    httpPort: number;
    baseUrl: string;
    totals: Totals;
    /** Cosmos documents restored from the previous run's snapshot. */
    restoredDocuments: number;
    /** Publishes to a hub (default `ais-raw`). */
    publish(events: readonly HostEvent[], hub?: string): void;
    /**
     * Drains (at most `drainTimeoutMs`, default 8 s; retries stop waiting and a failing batch is dead-lettered
     * at once), saves the state, then stops the services last. Resolves with the events left undrained.
     */
    stop(options?: { drainTimeoutMs?: number }): Promise<{ undrained: number }>;
    /** Stops at once (a second Ctrl-C): no drain, no save. Resolves with the events left undrained. */
    abort(): Promise<{ undrained: number }>;
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
                    ? new PortInUseError(`port ${port} is already in use (another 'npm start' or 'func start'?): stop it, or pick another port with --port N (--port 0: any free port)`)
                    : error,
            );
        });
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
}

const SNAPSHOT_FILE = 'cosmos-snapshot.json';

/** The Cosmos-protocol server keeps data in memory only: the stack saves and restores it as a JSON snapshot. */
async function restoreCosmos(dataDir: string): Promise<number> {
    const file = join(dataDir, SNAPSHOT_FILE);
    if (!existsSync(file)) return 0;
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>[]>;
    const db = getCosmosClient().database(getConfig().cosmos.database);
    let n = 0;
    for (const c of COSMOS_CONTAINERS) {
        const docs = snapshot[c.name] ?? [];
        const container = db.container(c.name);
        const key = c.partitionKey.slice(1);
        for (let i = 0; i < docs.length; i += 100) {
            const chunk = docs.slice(i, i + 100);
            await container.items.executeBulkOperations(
                chunk.map((d) => ({ operationType: 'Upsert' as const, resourceBody: d as { id: string }, partitionKey: d[key] as number })),
            );
            n += chunk.length;
        }
    }
    return n;
}

async function saveCosmos(dataDir: string): Promise<void> {
    const db = getCosmosClient().database(getConfig().cosmos.database);
    const snapshot: Record<string, unknown[]> = {};
    for (const c of COSMOS_CONTAINERS) {
        const { resources } = await db
            .container(c.name)
            .items.query('SELECT * FROM c')
            .fetchAll();
        snapshot[c.name] = resources.map((d: Record<string, unknown>) => {
            const { _rid, _self, _etag, _attachments, _ts, ...rest } = d;
            void [_rid, _self, _etag, _attachments, _ts];
            return rest;
        });
    }
    writeFileSync(join(dataDir, SNAPSHOT_FILE), JSON.stringify(snapshot));
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
    const deadLetterDir = dataDir ? join(dataDir, 'deadletter') : mkdtempSync(join(tmpdir(), 'maritime-deadletter-'));
    const services = await startLocalServices({ dataDir, quiet: true });
    let restoredDocuments = 0;
    try {
        Object.assign(process.env, {
            LAKE_CONNECTION_STRING: services.lakeConnectionString,
            COSMOS_ENDPOINT: services.cosmosEndpoint,
            COSMOS_KEY: services.cosmosKey,
            DEADLETTER_DIR: deadLetterDir,
            // the simulated fleet's particulars file, unless the user names another one
            VESSEL_PARTICULARS_PATH: process.env.VESSEL_PARTICULARS_PATH ?? EXAMPLE_PARTICULARS_PATH,
            ...options.settings,
        });
        resetConfig();
        disposeClients();
        const config = getConfig();
        const lake = createLakeContainers(getBlobServiceClient(config));
        await Promise.all(LAKE_CONTAINERS.map((name) => lake[name].createIfNotExists()));
        await ensureCosmosResources(getCosmosClient(config), config.cosmos.database);
        if (dataDir) restoredDocuments = await restoreCosmos(dataDir);
    } catch (error) {
        await services.stop();
        throw error;
    }

    const { FUNCTIONS } = await import('../functions/all.js');
    const totals: Totals = { ...emptyCounts(), sensors: emptyCounts(), alerts: 0, batches: 0, events: 0, lostEvents: 0, deadLetterDir };
    const host = new LocalHost(FUNCTIONS, {
        partitions: options.partitions ?? 4,
        maxBatchSize: options.maxBatchSize ?? 256,
        batchWindowMs: options.batchWindowMs ?? 1000,
        port: options.httpPort ?? 7071,
        ...(options.retryDelayScale !== undefined ? { retryDelayScale: options.retryDelayScale } : {}),
        // Binding expressions (%AIS_EVENTHUB_NAME%, ...) resolve like the host's: app settings, else the defaults.
        settings: {
            ...Object.fromEntries(SETTINGS.flatMap((d) => ('defaultValue' in d ? [[d.name, d.defaultValue]] : []))),
            ...process.env,
        },
        ...(options.log ? { log: options.log } : {}),
        onLost: (_name, events) => {
            totals.lostEvents += events;
        },
        onResult: (name, result) => {
            if (!result) return;
            if (name === 'ingestSensorReadings') {
                const s = result as SensorBatchSummary;
                addCounts(totals.sensors, s);
                totals.alerts += s.alerts;
                return;
            }
            if (name !== 'ingestAis') return;
            const s = result as BatchSummary;
            totals.batches++;
            totals.events += s.events;
            addCounts(totals, s);
        },
    });
    let httpPort: number;
    try {
        httpPort = await host.start();
    } catch (error) {
        await host.stop();
        disposeClients();
        await services.stop();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new PortInUseError(`port ${options.httpPort ?? 7071} is already in use: stop whatever holds it, or pick another port with --port N (--port 0: any free port)`);
        }
        throw error;
    }
    let stopping: Promise<{ undrained: number }> | undefined;
    return {
        host,
        services,
        httpPort,
        baseUrl: `http://127.0.0.1:${httpPort}/api`,
        totals,
        restoredDocuments,
        publish: (events, hub) => host.publish(events, hub),
        stop(stopOptions = {}) {
            stopping ??= (async () => {
                host.hurry();
                const deadline = stopOptions.drainTimeoutMs ?? 8_000;
                let timer: NodeJS.Timeout | undefined;
                await Promise.race([host.idle(), new Promise<void>((r) => (timer = setTimeout(r, deadline)))]);
                clearTimeout(timer);
                const undrained = host.backlog;
                await host.stop();
                if (dataDir) {
                    try {
                        await saveCosmos(dataDir);
                    } catch (error) {
                        process.stderr.write(`could not save the vessel state: ${error instanceof Error ? error.message : String(error)}\n`);
                    }
                }
                disposeClients();
                await services.stop();
                return { undrained };
            })();
            return stopping;
        },
        async abort() {
            const undrained = host.backlog;
            await host.stop();
            disposeClients();
            await services.stop();
            return { undrained };
        },
    };
}
