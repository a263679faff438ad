/**
 * The local HTTP functions on their own thread. In Azure, HTTP invocations never wait behind an ingest batch on the
 * same event loop (instances scale out, and the Event Hub trigger runs beside them); in one local process they did:
 * a read waited for whatever decode, Parquet encoding or upload the ingest was doing (p95 over a second under load).
 * So the stack serves HTTP from a worker thread with its own runtime (its own Cosmos and blob clients, from the same
 * settings) and its own LocalHost holding only the HTTP functions. The HTTP handlers read only the stores (Cosmos,
 * the lake), as they must in Azure where instances share nothing, so two runtimes see the same data.
 *
 * The worker runs the compiled module (dist/local/httpWorker.js); under Jest, which runs the TypeScript sources, the
 * stack serves HTTP on its own event loop as before (`httpWorkerAvailable`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, resourceLimits, Worker, workerData } from 'node:worker_threads';

import { bindFunctions } from '../functions/definitions.js';
import { FUNCTIONS } from '../functions/functionTable.js';
import { createRuntime } from '../functions/runtime.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { WORKER_RESOURCE_LIMITS } from './heapTrim.js';
import { LocalHost } from './host.js';

interface WorkerInput {
    settings: Record<string, string>;
    port: number;
}

type WorkerMessage =
    { port: number } | { error: string; code?: string } | { stopped: true } | { heap: HeapUse };

/**
 * A thread's V8 heap, bytes, and what its isolate holds outside it (`external`: memory V8 was told about, Buffers
 * included; `arrayBuffers`: Buffer and ArrayBuffer backing stores, malloc'd). Per thread: the main thread's
 * `process.memoryUsage()` does not count a worker's Buffers.
 */
export interface HeapUse {
    used: number;
    total: number;
    external?: number;
    arrayBuffers?: number;
    /** The young generation the thread runs with (a worker's resource limit), MB. */
    youngGenerationMb?: number;
}

const WORKER_URL = new URL('./httpWorker.js', import.meta.url);

/** True when this module runs compiled (its `.js` file exists): a worker thread can load it. */
export function httpWorkerAvailable(): boolean {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

export interface HttpWorker {
    port: number;
    /** The worker thread's own V8 heap (its runtime, clients and requests). */
    heap(): Promise<HeapUse>;
    stop(): Promise<void>;
}

/** Starts the HTTP functions on a worker thread, listening on `port` (0: a free one). Rejects as `listen` would. */
export async function startHttpWorker(settings: Record<string, string>, port: number): Promise<HttpWorker> {
    const worker = new Worker(WORKER_URL, {
        workerData: { settings, port } satisfies WorkerInput,
        resourceLimits: WORKER_RESOURCE_LIMITS,
    });
    const bound = await new Promise<number>((resolve, reject) => {
        const onExit = (code: number): void =>
            reject(new Error(`the HTTP worker exited during start-up (code ${code})`));
        worker.once('error', reject);
        worker.once('exit', onExit);
        worker.once('message', (m: WorkerMessage) => {
            worker.off('error', reject);
            worker.off('exit', onExit);
            if ('port' in m) resolve(m.port);
            else if ('error' in m)
                reject(Object.assign(new Error(m.error), m.code === undefined ? {} : { code: m.code }));
        });
    }).catch(async (error: unknown) => {
        await worker.terminate();
        throw error;
    });
    let stopping: Promise<void> | undefined;
    const heapWaiters: ((heap: HeapUse) => void)[] = [];
    worker.on('message', (m: WorkerMessage) => {
        if ('heap' in m) heapWaiters.shift()?.(m.heap);
    });
    worker.once('exit', () => heapWaiters.splice(0).forEach((resolve) => resolve({ used: 0, total: 0 })));
    return {
        port: bound,
        heap: () =>
            new Promise<HeapUse>((resolve) => {
                heapWaiters.push(resolve);
                worker.postMessage('heap');
            }),
        stop() {
            stopping ??= (async () => {
                const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
                worker.postMessage('stop');
                // A worker that does not finish within 10 s is terminated (its requests are cut off anyway).
                const timer = setTimeout(() => void worker.terminate(), 10_000);
                await exited;
                clearTimeout(timer);
            })();
            return stopping;
        },
    };
}

async function serve(input: WorkerInput): Promise<void> {
    const runtime = createRuntime(loadConfig(input.settings));
    const http = FUNCTIONS.filter((f) => f.trigger === 'http');
    const host = new LocalHost(bindFunctions(http, runtime), { port: input.port, settings: input.settings });
    try {
        const port = await host.start();
        parentPort?.postMessage({ port } satisfies WorkerMessage);
    } catch (error) {
        await host.stop();
        runtime.dispose();
        const e = error as NodeJS.ErrnoException;
        parentPort?.postMessage({
            error: e.message,
            ...(e.code === undefined ? {} : { code: e.code }),
        } satisfies WorkerMessage);
        return;
    }
    const onMessage = (m: unknown): void => {
        if (m === 'heap') {
            const h = getHeapStatistics();
            const { external, arrayBuffers } = process.memoryUsage();
            parentPort?.postMessage({
                heap: {
                    used: h.used_heap_size,
                    total: h.total_heap_size,
                    external,
                    arrayBuffers,
                    ...(resourceLimits.maxYoungGenerationSizeMb === undefined
                        ? {}
                        : { youngGenerationMb: resourceLimits.maxYoungGenerationSizeMb }),
                },
            } satisfies WorkerMessage);
            return;
        }
        parentPort?.off('message', onMessage);
        void host.stop().finally(() => {
            runtime.dispose();
            // Ends this thread only (keep-alive sockets of the clients would otherwise hold it open).
            process.exit(0);
        });
    };
    parentPort?.on('message', onMessage);
}

if (
    !isMainThread &&
    parentPort !== null &&
    (workerData as Partial<WorkerInput> | undefined)?.settings !== undefined
) {
    void serve(workerData as WorkerInput);
}
