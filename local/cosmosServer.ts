/**
 * The local Cosmos-protocol server (`@vercel/cosmosdb-server`, pinned at 1.0.1) in its own process (a child of the
 * stack's, in a process group of its own), with direct access to its in-memory data for the local stack's
 * snapshots. A process, not a thread of the stack's: it is the emulator of a service (Azurite runs apart the same
 * way), its documents are the database's memory, not the pipeline's (the stack's RSS, issue 10, is the pipeline's),
 * and a terminal's Ctrl-C (SIGINT to the foreground group) does not reach it, so the stack drains into it first. It
 * exits when the stack's end closes its IPC channel, also after a `kill -9` of the stack. Its operations:
 *
 * - `load` puts a saved snapshot's documents straight into the server's memory at start-up, instead of one HTTP
 *   request (TLS, JSON, routing, a scan per write) per document: restoring 1,487 documents that way took 18-21 s
 *   on the shared 2-core machine, most of the start-up time (`npm run bench:startup`).
 * - `dump` reads every document of a database in one synchronous pass in the server process: a consistent
 *   snapshot (no write lands half-way through it) that costs the ingest nothing, where a `SELECT *` per container
 *   over HTTP competed with it every 30 s.
 * - a query fast path (local/cosmosServerFastPath.ts, on by default): queries naming a partition key read only that
 *   partition, scans are linear, compiled queries are kept, and the SDK's query-plan request costs nothing; the
 *   package as published scanned and copied every document of the container, twice, for every query.
 *
 * The process runs plain JavaScript (`node -e`, so it runs the same from dist/ and from the TypeScript sources under
 * Jest). The package keeps its account object private to `createHttpsServer`; the process records it when the
 * server constructs it (the package's `lib/account` module export, looked up at construction), so the package's
 * own request handler serves HTTP unchanged. `test/integration/local/cosmosServer.test.ts` checks the round trip
 * through the real SDK, so an upgrade of the package that changes these internals fails there.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { COMPACT_EVERY_MS, COMPACT_IDLE_SECONDS, COMPACT_SOURCE } from './cosmosCompact.js';
import { FAST_PATH_SOURCE } from './cosmosServerFastPath.js';
import { HEAP_GROWING_PERCENT, SEMI_SPACE_MB, TRIM_HEAP_SCRIPT } from './heapTrim.js';

/** A document as stored by the server: the body plus the system properties it adds. */
export type CosmosDocument = Record<string, unknown>;

export interface CosmosServer {
    port: number;
    /** The server's process (its own process group). */
    pid: number;
    /** Every document of every container of `database`, without system properties (empty when it does not exist). */
    dump(database: string): Promise<Record<string, CosmosDocument[]>>;
    /**
     * Upserts documents straight into the server's memory; the database and containers must exist (created through
     * the SDK, so their partition keys are set). Resolves to the number of documents loaded.
     */
    load(database: string, containers: Record<string, readonly CosmosDocument[]>): Promise<number>;
    /** An outage (fault injection): closes the listener and cuts every open connection; the data stays. */
    pause(): Promise<void>;
    /** Listens again on the same port after `pause`. */
    resume(): Promise<void>;
    /**
     * Writes `{...header, containers: {name: [documents]}}` of `database` to `file` in the server process, in one
     * synchronous pass (consistent), a document at a time: the store is never copied to the caller nor
     * held as one string. Written to `file.<pid>.tmp`, flushed, renamed over `file`.
     */
    save(
        database: string,
        containers: readonly string[],
        header: Record<string, unknown>,
        file: string,
    ): Promise<{ documents: number; bytes: number }>;
    /**
     * Compacts now the point lists of documents not written for `idleSeconds` (local/cosmosCompact.ts; the server
     * also does it every minute for documents idle 2 minutes); resolves to the number compacted.
     */
    compact(idleSeconds: number): Promise<number>;
    /**
     * The server process's V8 heap, bytes, and the documents it holds per container of `database`; `collect`: after a
     * full garbage collection (the live size; for measurements).
     */
    stats(database: string, collect?: boolean): Promise<CosmosServerStats>;
    stop(): Promise<void>;
}

export interface CosmosServerStats {
    heapUsed: number;
    heapTotal: number;
    /** The server process outside its heap (Buffers: request and response bodies, TLS records), bytes. */
    external: number;
    arrayBuffers: number;
    /** The server process's resident memory, bytes (apart from the stack's: the emulated database's memory). */
    rss: number;
    /** The young generation the server runs with (its semi-spaces x 3), MB. */
    youngGenerationMb: number;
    documents: Record<string, number>;
    /** Packed points written to the cold file (local/cosmosCompact.ts), bytes: on disk, not in this heap. */
    coldBytes: number;
}

const require = createRequire(import.meta.url);

const COSMOS_WORKER = `
const workerData = JSON.parse(process.env.MARITIME_COSMOS_SERVER);
const parentPort = { postMessage: (m) => process.send(m), on: (event, fn) => process.on(event, fn) };
// The stack ended (also by kill -9): its end of the IPC channel closed. The data is the stack's to save, not ours.
process.on('disconnect', () => process.exit(0));
${TRIM_HEAP_SCRIPT}
const { join } = require('node:path');
${FAST_PATH_SOURCE}
// Before the package's router loads: it captures the query handler when it does.
if (workerData.fastPath) installFastPath(workerData.packageDir);
${COMPACT_SOURCE}
if (workerData.compactEveryMs > 0) installFlatStrings(workerData.packageDir);
if (workerData.coldFile) openCold(workerData.coldFile);
const accounts = require(join(workerData.packageDir, 'lib/account'));
const { createHttpsServer } = require(workerData.packageDir);
let account;
const Account = accounts.default;
accounts.default = class extends Account {
    constructor(...args) {
        super(...args);
        // The package makes a new, empty account on every 'listening' event, so after an outage (pause, resume)
        // the server would come back without its databases (every request 404) and a snapshot would save nothing.
        // A restarted Cosmos DB keeps its data: the new account takes over the old one's databases.
        if (account) this.databases = account.databases;
        account = this;
    }
};
// keepAlive: the server otherwise answers every request with 'connection: close' (one TLS handshake per call).
const server = createHttpsServer({ keepAlive: true });
// Node closes a keep-alive socket after 5 s idle, and the SDK's agent may reuse it at that very moment: the request
// then fails with ECONNRESET (seen on a transactional batch while re-driving bronze at start-up).
server.keepAliveTimeout = 600000;
server.headersTimeout = 605000;
server.once('error', (e) => parentPort.postMessage({ error: e.code === 'EADDRINUSE' ? 'port ' + workerData.port + ' is in use' : e.message }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
// Open connections, so an outage (pause) can cut them as a failing service would.
const sockets = new Set();
server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
});
let boundPort;
server.once('listening', () => (boundPort = server.address().port));
function pause() {
    return new Promise((resolve) => {
        if (!server.listening) return resolve(true);
        server.close(() => resolve(true));
        for (const socket of sockets) socket.destroy();
    });
}
function resume() {
    return new Promise((resolve, reject) => {
        if (server.listening) return resolve(true);
        const onError = (e) => reject(e);
        server.once('error', onError);
        server.listen(boundPort, '127.0.0.1', () => {
            server.off('error', onError);
            resolve(true);
        });
    });
}

if (workerData.compactEveryMs > 0) setInterval(() => compactIdle(workerData.compactIdleSeconds), workerData.compactEveryMs).unref();

const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];
const strip = (doc) => {
    const copy = { ...doc };
    for (const p of SYSTEM) delete copy[p];
    return copy;
};
function dump(database) {
    const db = account.database(database);
    const out = {};
    if (!db.read()) return out;
    for (const c of db.collections._data.values()) {
        const id = c.read() && c.read().id;
        if (typeof id !== 'string') continue;
        const docs = [];
        for (const item of db.collection(id).documents._data.values()) {
            const doc = item.read();
            if (doc) docs.push(strip(doc));
        }
        out[id] = docs;
    }
    return out;
}
function load(database, containers) {
    const db = account.database(database);
    let n = 0;
    for (const [name, docs] of Object.entries(containers)) {
        const collection = db.read() ? db.collection(name) : undefined;
        if (!collection || !collection.read()) throw new Error('container ' + database + '/' + name + ' does not exist');
        for (const doc of docs) {
            collection.documents.upsert(strip(doc));
            n++;
        }
    }
    return n;
}
const { closeSync, fsyncSync, openSync, renameSync, writeSync } = require('node:fs');
const { getHeapStatistics } = require('node:v8');
// Writes {...header, "containers": {name: [doc, ...]}} to file (write, flush, rename), a document at a time in
// 1 MB chunks: one synchronous pass (consistent), never the whole store as one string or a copy in another process.
function save(database, names, header, file) {
    const db = account.database(database);
    const tmp = file + '.' + process.pid + '.tmp';
    const fd = openSync(tmp, 'w');
    let bytes = 0;
    let documents = 0;
    let chunk = '';
    const put = (s) => {
        chunk += s;
        if (chunk.length >= 1 << 20) {
            bytes += writeSync(fd, chunk);
            chunk = '';
        }
    };
    try {
        put(JSON.stringify(header).slice(0, -1) + ',"containers":{');
        names.forEach((name, i) => {
            put((i > 0 ? ',' : '') + JSON.stringify(name) + ':[');
            const collection = db.read() ? db.collection(name) : undefined;
            let first = true;
            if (collection && collection.read()) {
                for (const item of collection.documents._data.values()) {
                    const doc = item.read();
                    if (!doc) continue;
                    put((first ? '' : ',') + JSON.stringify(strip(doc)));
                    first = false;
                    documents++;
                }
            }
            put(']');
        });
        put('}}');
        bytes += writeSync(fd, chunk);
        fsyncSync(fd);
    } finally {
        closeSync(fd);
    }
    renameSync(tmp, file);
    return { documents, bytes };
}
// This process's heap and the documents held per container.
function stats(database, collect) {
    if (collect) require('node:vm').runInNewContext('gc')();
    const heap = getHeapStatistics();
    const documents = {};
    const db = account.database(database);
    if (db.read()) {
        for (const c of db.collections._data.values()) {
            const id = c.read() && c.read().id;
            if (typeof id === 'string') documents[id] = db.collection(id).documents._data.size;
        }
    }
    const { external, arrayBuffers, rss } = process.memoryUsage();
    // What this process was started with: three semi-spaces (two, and one for large objects).
    const semiSpace = /--max-semi-space-size=(\\d+)/.exec(process.execArgv.join(' '));
    const youngGenerationMb = semiSpace ? 3 * Number(semiSpace[1]) : undefined;
    const coldBytes = COLD === undefined ? 0 : COLD.bytes;
    return { heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, external, arrayBuffers, rss, youngGenerationMb, documents, coldBytes };
}
parentPort.on('message', (m) => {
    if (m.op === 'pause' || m.op === 'resume') {
        (m.op === 'pause' ? pause() : resume()).then(
            (result) => parentPort.postMessage({ id: m.id, result }),
            (e) => parentPort.postMessage({ id: m.id, error: e.message }),
        );
        return;
    }
    try {
        const result =
            m.op === 'dump' ? dump(m.database)
            : m.op === 'save' ? save(m.database, m.names, m.header, m.file)
            : m.op === 'stats' ? stats(m.database, m.collect)
            : m.op === 'compact' ? compactIdle(m.idleSeconds)
            : load(m.database, m.containers);
        parentPort.postMessage({ id: m.id, result });
    } catch (e) {
        parentPort.postMessage({ id: m.id, error: e.message });
    }
});
`;

export interface CosmosServerOptions {
    /**
     * Install the query fast path (local/cosmosServerFastPath.ts: partition index, linear scans, compiled queries
     * kept, no query-plan work). Default true; false runs the package as published (for `npm run bench:cosmos`).
     */
    fastPath?: boolean;
    /**
     * Compact idle documents' point lists every minute (local/cosmosCompact.ts). Default true; false keeps every
     * document as parsed (for A/B measurements).
     */
    compactIdle?: boolean;
    /**
     * Keep compacted point lists in a temporary file instead of the server's heap (local/cosmosCompact.ts). Default
     * true; false keeps them in memory as arrays of doubles (for A/B measurements).
     */
    coldPoints?: boolean;
}

/** Starts the server on `127.0.0.1:port` (0: a free port) in its own process, HTTPS with the package's certificate. */
export async function startCosmosServer(port = 0, options: CosmosServerOptions = {}): Promise<CosmosServer> {
    const packageDir = dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
    const fastPath = options.fastPath ?? true;
    const compactIdle = options.compactIdle ?? true;
    const coldFile =
        (options.coldPoints ?? true)
            ? join(tmpdir(), `maritime-cosmos-points-${process.pid}-${randomUUID()}.bin`)
            : undefined;
    // The young generation and the old generation's growth the stack's threads run with (local/heapTrim.ts: flags a
    // process takes at its start; the stack sets its own at run time, which reached this server as a thread).
    const v8Flags = [
        `--max-semi-space-size=${SEMI_SPACE_MB}`,
        `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    ];
    const worker = spawn(process.execPath, [...v8Flags, '-e', COSMOS_WORKER], {
        // its own process group: a terminal's Ctrl-C reaches the stack, which stops it after the drain
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
        env: {
            ...process.env,
            MARITIME_COSMOS_SERVER: JSON.stringify({
                packageDir,
                port,
                fastPath,
                compactEveryMs: compactIdle ? COMPACT_EVERY_MS : 0,
                compactIdleSeconds: COMPACT_IDLE_SECONDS,
                coldFile,
            }),
        },
    });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const terminate = (): Promise<void> => {
        if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
        return exited;
    };
    let bound: number;
    const listeners: {
        message?: (m: { port?: number; error?: string }) => void;
        error?: (e: Error) => void;
        exit?: (code: number | null, signal: NodeJS.Signals | null) => void;
    } = {};
    try {
        bound = await new Promise<number>((resolve, reject) => {
            listeners.message = (m) =>
                m.port !== undefined
                    ? resolve(m.port)
                    : reject(new Error(`Cosmos-protocol server: ${m.error}`));
            listeners.error = reject;
            listeners.exit = (code, signal) =>
                reject(
                    new Error(`Cosmos-protocol server process exited (${code ?? signal}) before listening`),
                );
            worker.once('message', listeners.message);
            worker.once('error', listeners.error);
            worker.once('exit', listeners.exit);
        });
    } catch (e) {
        await terminate();
        if (coldFile !== undefined) rmSync(coldFile, { force: true });
        throw e;
    }
    worker.off('error', listeners.error!);
    worker.off('exit', listeners.exit!);
    const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
    let nextId = 0;
    const failAll = (error: Error): void => {
        for (const p of pending.values()) p.reject(error);
        pending.clear();
    };
    worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(`Cosmos-protocol server: ${m.error}`));
        else p?.resolve(m.result);
    });
    worker.on('error', failAll);
    worker.on('exit', (code, signal) =>
        failAll(new Error(`Cosmos-protocol server process exited (${code ?? signal})`)),
    );
    const call = <T>(message: Record<string, unknown>): Promise<T> =>
        new Promise<T>((resolve, reject) => {
            if (!worker.connected) {
                reject(new Error('Cosmos-protocol server: its process has exited'));
                return;
            }
            const id = nextId++;
            pending.set(id, { resolve, reject });
            worker.send({ ...message, id }, (error) => {
                if (error === null || !pending.has(id)) return;
                pending.delete(id);
                reject(new Error(`Cosmos-protocol server: ${error.message}`));
            });
        });
    let stopped: Promise<void> | undefined;
    return {
        port: bound,
        pid: worker.pid!,
        dump: (database) => call({ op: 'dump', database }),
        load: (database, containers) => call({ op: 'load', database, containers }),
        pause: () => call<boolean>({ op: 'pause' }).then(() => undefined),
        resume: () => call<boolean>({ op: 'resume' }).then(() => undefined),
        save: (database, containers, header, file) =>
            call({ op: 'save', database, names: containers, header, file }),
        stats: (database, collect) => call({ op: 'stats', database, collect }),
        compact: (idleSeconds) => call({ op: 'compact', idleSeconds }),
        stop: () =>
            (stopped ??= terminate().then(() => {
                // Unlinked by the server process already where the system allows it.
                if (coldFile !== undefined) rmSync(coldFile, { force: true });
            })),
    };
}
