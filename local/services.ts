/**
 * The local service stack: Azurite (blob and queue services, one child process; its table service runs too, unused) and the Cosmos-protocol server
 * (`@vercel/cosmosdb-server`, HTTPS with a self-signed certificate, in a child process of its own, so that its
 * query evaluation and TLS do not share the event loop with the ingest and the HTTP functions, and its documents
 * are not counted as the pipeline's memory). Used by `npm start` and by
 * the Jest global setup of the integration tests. Ports default to 0 (the OS picks a free one), so several stacks can run at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { type CosmosServer, startCosmosServer } from './cosmosServer.js';
import { SEMI_SPACE_MB } from './heapTrim.js';

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** The Cosmos DB emulator's well-known key; the local server accepts any key, the SDK needs valid base64. */
export const LOCAL_COSMOS_KEY =
    'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface LocalServicesOptions {
    /** Persist Azurite data under `<dataDir>/azurite`; in-memory when absent. (The Cosmos server is always in-memory.) */
    dataDir?: string;
    /** Blob port; 0 or absent: a free port chosen by the OS. */
    blobPort?: number;
    /** Queue port (the gold shard queue); 0 or absent: a free port chosen by the OS. */
    queuePort?: number;
    /** Cosmos port; 0 or absent: a free port chosen by the OS. */
    cosmosPort?: number;
    /** Suppress Azurite's output (default: only errors are printed). */
    quiet?: boolean;
    /** How long to wait for both services, ms (default 30 s). */
    startTimeoutMs?: number;
}

export interface LocalServices {
    /**
     * Azurite connection string with its blob and queue endpoints: `LAKE_CONNECTION_STRING` and
     * `GoldQueueConnection` (the gold shard queue).
     */
    lakeConnectionString: string;
    blobEndpoint: string;
    queueEndpoint: string;
    /** `https://127.0.0.1:<port>/` for `COSMOS_ENDPOINT`. */
    cosmosEndpoint: string;
    cosmosKey: string;
    /** Process ids of the child processes (Azurite), for diagnostics and tests. */
    childPids: number[];
    /** Direct access to the Cosmos-protocol server's in-memory data (snapshots of the local stack). */
    cosmosData: Pick<CosmosServer, 'dump' | 'load' | 'save' | 'stats'>;
    /**
     * Fault injection (the fault harness, `maritime replay --fault-control`): stops one service as an outage would
     * and starts it again on the same port. Azurite is stopped (SIGTERM, so it flushes its metadata as Azure
     * Storage would keep every acknowledged write) and started again over the same folder: only a persisted stack
     * (`dataDir`) can. The Cosmos-protocol server closes its listener and cuts every open connection, then listens
     * again; its data stays in memory, as Cosmos DB keeps its data through an outage.
     */
    outage: {
        stop(service: LocalServiceName): Promise<void>;
        start(service: LocalServiceName): Promise<void>;
    };
    stop(): Promise<void>;
}

export type LocalServiceName = 'azurite' | 'cosmos';

const require = createRequire(import.meta.url);

/** Azurite's entry that runs all its services (blob, queue, table) in one process. */
function azuriteEntry(): string {
    return join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
}

/** Starts Azurite (blob, queue) and the Cosmos-protocol server and waits until both answer. */
export async function startLocalServices(opts: LocalServicesOptions = {}): Promise<LocalServices> {
    const timeoutMs = opts.startTimeoutMs ?? 30_000;
    const [azurite, cosmos] = await Promise.allSettled([
        startAzurite(opts, timeoutMs),
        startCosmos(opts.cosmosPort ?? 0),
    ]);
    if (azurite.status === 'rejected' || cosmos.status === 'rejected') {
        if (azurite.status === 'fulfilled') await azurite.value.stop();
        if (cosmos.status === 'fulfilled') await cosmos.value.stop();
        throw azurite.status === 'rejected' ? azurite.reason : (cosmos as PromiseRejectedResult).reason;
    }
    const blobEndpoint = `http://127.0.0.1:${azurite.value.port}/${AZURITE_ACCOUNT}`;
    const queueEndpoint = `http://127.0.0.1:${azurite.value.queuePort}/${AZURITE_ACCOUNT}`;
    const cosmosEndpoint = `https://127.0.0.1:${cosmos.value.port}/`;
    try {
        await Promise.all([
            waitForHttp(blobEndpoint, timeoutMs),
            waitForHttp(queueEndpoint, timeoutMs),
            waitForHttp(cosmosEndpoint, timeoutMs),
        ]);
    } catch (error) {
        await Promise.allSettled([azurite.value.stop(), cosmos.value.stop()]);
        throw error;
    }

    let stopped: Promise<void> | undefined;
    let az: Started & { queuePort: number } = azurite.value;
    let azuriteDown = false;
    const outage: LocalServices['outage'] = {
        async stop(service) {
            if (stopped) throw new Error('the local services are stopped');
            if (service === 'cosmos') return cosmos.value.data.pause();
            if (opts.dataDir === undefined)
                throw new Error(
                    'Azurite runs in memory here: stopping it would lose the lake (a persisted stack can)',
                );
            if (azuriteDown) return;
            azuriteDown = true;
            await az.stop();
        },
        async start(service) {
            if (stopped) throw new Error('the local services are stopped');
            if (service === 'cosmos') return cosmos.value.data.resume();
            if (!azuriteDown) return;
            az = await startAzurite({ ...opts, blobPort: az.port, queuePort: az.queuePort }, timeoutMs);
            azuriteDown = false;
            await Promise.all([waitForHttp(blobEndpoint, timeoutMs), waitForHttp(queueEndpoint, timeoutMs)]);
        },
    };
    return {
        lakeConnectionString:
            `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
            `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};`,
        blobEndpoint,
        queueEndpoint,
        cosmosEndpoint,
        cosmosKey: LOCAL_COSMOS_KEY,
        get childPids() {
            return az.pid !== undefined ? [az.pid] : [];
        },
        cosmosData: cosmos.value.data,
        outage,
        stop: () => {
            stopped ??= Promise.allSettled([az.stop(), cosmos.value.stop()]).then(() => undefined);
            return stopped;
        },
    };
}

interface Started {
    port: number;
    /** Process id of the child, when the service runs in one. */
    pid?: number;
    stop(): Promise<void>;
}

/**
 * Runs a CommonJS entry point (`node -e CHILD_GUARD <entry> <args...>`) so that it never outlives its parent: when
 * the parent's end of stdin closes (the parent exited, even by kill -9) or the parent pid disappears, the child
 * sends itself SIGTERM (the service's own graceful shutdown) and exits at most 3 s later.
 */
export const CHILD_GUARD = `
const entry = process.argv[1];
process.argv = [process.argv[0], entry, ...process.argv.slice(2)];
const parent = process.ppid;
let leaving = false;
const leave = () => {
    if (leaving) return;
    leaving = true;
    setTimeout(() => process.exit(0), 3000).unref();
    try { process.kill(process.pid, 'SIGTERM'); } catch { process.exit(0); }
};
process.stdin.on('end', leave);
process.stdin.on('close', leave);
process.stdin.on('error', leave);
process.stdin.resume();
setInterval(() => { try { process.kill(parent, 0); } catch { leave(); } }, 1000).unref();
require(entry);
`;

async function startAzurite(
    opts: LocalServicesOptions,
    timeoutMs: number,
): Promise<Started & { queuePort: number }> {
    const args = [
        azuriteEntry(),
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(opts.blobPort ?? 0),
        '--queueHost',
        '127.0.0.1',
        '--queuePort',
        String(opts.queuePort ?? 0),
        // Unused, but the all-services entry starts it: a free port, so it never collides with another stack.
        '--tableHost',
        '127.0.0.1',
        '--tablePort',
        '0',
        // @azure/storage-blob 12.32 sends an API version newer than Azurite 3.35 knows.
        '--skipApiVersionCheck',
        '--loose',
        '--disableTelemetry',
        '--silent',
    ];
    if (opts.dataDir === undefined) {
        args.push('--inMemoryPersistence', '--extentMemoryLimit', '1024');
    } else {
        const location = join(opts.dataDir, 'azurite');
        mkdirSync(location, { recursive: true });
        args.push('--location', location);
    }
    // Its own process group (detached): a terminal Ctrl-C reaches only the stack, which stops Azurite last,
    // after the drain. The guard makes it exit when the stack dies, even by kill -9 (stdin pipe closes).
    // The stack's young generation (local/heapTrim.ts): V8's default holds up to 16 MB more of it resident.
    const child = spawn(
        process.execPath,
        [`--max-semi-space-size=${SEMI_SPACE_MB}`, '-e', CHILD_GUARD, ...args],
        {
            stdio: ['pipe', 'pipe', 'pipe'],
            detached: true,
            windowsHide: true,
        },
    );
    child.stdin?.on('error', () => undefined);
    const killOnExit = (): void => {
        child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);

    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const stop = async (): Promise<void> => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
    };

    try {
        const { blob, queue } = await waitForAzuritePorts(child, opts.quiet === true, timeoutMs);
        return { port: blob, queuePort: queue, ...(child.pid !== undefined ? { pid: child.pid } : {}), stop };
    } catch (error) {
        await stop();
        throw error;
    }
}

/** The blob and queue ports Azurite prints once each service listens (`Azurite Queue service is successfully listening at ...`). */
function waitForAzuritePorts(
    child: ChildProcess,
    quiet: boolean,
    timeoutMs: number,
): Promise<{ blob: number; queue: number }> {
    return new Promise<{ blob: number; queue: number }>((resolve, reject) => {
        let output = '';
        let settled = false;
        const finish = (error: Error | undefined, ports?: { blob: number; queue: number }): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (error !== undefined) reject(error);
            else resolve(ports!);
        };
        const timer = setTimeout(
            () => finish(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`)),
            timeoutMs,
        );
        const onData = (chunk: Buffer): void => {
            const text = chunk.toString('utf8');
            if (!settled) {
                output += text;
                const port = (service: string): number | undefined => {
                    const m = new RegExp(
                        `${service} service is successfully listening at https?://[^:\\s]+:(\\d+)`,
                    ).exec(output);
                    return m?.[1] === undefined ? undefined : Number(m[1]);
                };
                const blob = port('Blob');
                const queue = port('Queue');
                if (blob !== undefined && queue !== undefined) finish(undefined, { blob, queue });
            } else if (!quiet) {
                process.stderr.write(`[azurite] ${text}`);
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('error', (error) => finish(error));
        child.once('exit', (code, signal) =>
            finish(
                new Error(
                    `Azurite exited during start-up (code ${code}, signal ${signal}). Output:\n${output}`,
                ),
            ),
        );
    });
}

async function startCosmos(port: number): Promise<Started & { data: CosmosServer }> {
    const server = await startCosmosServer(port);
    return { port: server.port, stop: () => server.stop(), data: server };
}

/** Resolves when the endpoint answers HTTP at all (any status). */
async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const ok = await new Promise<boolean>((resolve) => {
            const send = url.startsWith('https:') ? httpsRequest : httpRequest;
            const req = send(url, { method: 'GET', rejectUnauthorized: false, timeout: 2_000 }, (res) => {
                res.resume();
                resolve(true);
            });
            req.once('error', () => resolve(false));
            req.once('timeout', () => req.destroy());
            req.end();
        });
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
