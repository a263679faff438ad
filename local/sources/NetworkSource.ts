/**
 * A live NMEA feed, the way AIS receivers publish (AIS-catcher, rtl-ais, OpenCPN, gpsd relays):
 * - `udp://0.0.0.0:10110`: listen for datagrams;
 * - `tcp://host:port`: connect to a receiver's NMEA TCP server (AIS-catcher `-S`), reconnecting with
 *   exponential backoff;
 * - `tcp-listen://0.0.0.0:port`: accept connections that push NMEA.
 * Lines are framed across datagram / chunk boundaries, per sender; fragments are grouped into one event per
 * message (see `FragmentGrouper`). An incomplete message or an unterminated last line is passed on after a
 * timeout rather than dropped.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

import { FragmentGrouper, LineSplitter } from './nmea.js';
import type { EmitFn, EventSource, SourceEvent } from './types.js';

export interface NetworkOptions {
    /** First reconnect delay for `tcp://`, ms (default 500); doubles up to `reconnectMaxMs` (default 30000). */
    reconnectMinMs?: number;
    reconnectMaxMs?: number;
    /** An incomplete multi-sentence message is passed on after this long, ms (default 5000). */
    fragmentTimeoutMs?: number;
    /** A last line without its newline is taken as complete after this much silence, ms (default 1000). */
    lineIdleMs?: number;
    /** Progress and connection messages (default: stderr). */
    log?: (message: string) => void;
}

export interface NetworkStats {
    lines: number;
    events: number;
    datagrams: number;
    connections: number;
    reconnects: number;
}

interface Stream {
    splitter: LineSplitter;
    grouper: FragmentGrouper;
    lastData: number;
}

export type ListenUrl = { kind: 'udp' | 'tcp' | 'tcp-listen'; host: string; port: number };

export function parseListenUrl(url: string): ListenUrl {
    const m = /^(udp|tcp|tcp-listen):\/\/(\[[^\]]+\]|[^:/]*):(\d+)\/?$/.exec(url.trim());
    if (!m)
        throw new RangeError(
            `expected udp://host:port, tcp://host:port or tcp-listen://host:port, got '${url}'`,
        );
    const port = Number(m[3]);
    if (port > 65535) throw new RangeError(`port out of range in '${url}'`);
    const host = m[2]!.replace(/^\[|\]$/g, '') || (m[1] === 'tcp' ? '127.0.0.1' : '0.0.0.0');
    return { kind: m[1] as ListenUrl['kind'], host, port };
}

export class NetworkSource implements EventSource {
    readonly name: string;
    readonly stats: NetworkStats = { lines: 0, events: 0, datagrams: 0, connections: 0, reconnects: 0 };
    readonly #url: ListenUrl;
    readonly #o: Required<Omit<NetworkOptions, 'log'>>;
    readonly #log: (message: string) => void;
    readonly #streams = new Map<string, Stream>();
    #emit: EmitFn | undefined;
    #udp: UdpSocket | undefined;
    #server: Server | undefined;
    readonly #sockets = new Set<Socket>();
    #sweep: ReturnType<typeof setInterval> | undefined;
    #retry: ReturnType<typeof setTimeout> | undefined;
    #backoff: number;
    #stopped = false;

    constructor(url: string, options: NetworkOptions = {}) {
        this.#url = parseListenUrl(url);
        this.#o = {
            reconnectMinMs: options.reconnectMinMs ?? 500,
            reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
            fragmentTimeoutMs: options.fragmentTimeoutMs ?? 5000,
            lineIdleMs: options.lineIdleMs ?? 1000,
        };
        this.#backoff = this.#o.reconnectMinMs;
        this.#log = options.log ?? ((m) => process.stderr.write(`[${this.name}] ${m}\n`));
        this.name = `listen ${url}`;
    }

    /** The bound address (udp, tcp-listen) once started: the port when 0 was asked for. */
    address(): { host: string; port: number } {
        const a = this.#udp?.address() ?? this.#server?.address();
        if (a && typeof a === 'object') return { host: a.address, port: a.port };
        return { host: this.#url.host, port: this.#url.port };
    }

    async start(emit: EmitFn): Promise<void> {
        this.#emit = emit;
        this.#stopped = false;
        const tick = Math.max(10, Math.min(250, this.#o.lineIdleMs / 2, this.#o.fragmentTimeoutMs / 2));
        this.#sweep = setInterval(() => this.#sweepStreams(), tick);
        this.#sweep.unref();
        const { kind, host, port } = this.#url;
        if (kind === 'udp') {
            const udp = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
            this.#udp = udp;
            udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
                this.stats.datagrams++;
                void this.#data(`${rinfo.address}:${rinfo.port}`, msg.toString('latin1')); // UDP cannot push back
            });
            udp.on('error', (e) => this.#log(`udp error: ${e.message}`));
            await new Promise<void>((resolve, reject) => {
                udp.once('error', reject);
                udp.bind(port, host, () => {
                    udp.off('error', reject);
                    resolve();
                });
            });
            this.#log(`listening for NMEA datagrams on udp://${host}:${this.address().port}`);
        } else if (kind === 'tcp-listen') {
            const server = createServer((socket) =>
                this.#accept(socket, `${socket.remoteAddress}:${socket.remotePort}`),
            );
            this.#server = server;
            server.on('error', (e) => this.#log(`tcp server error: ${e.message}`));
            await new Promise<void>((resolve, reject) => {
                server.once('error', reject);
                server.listen(port, host, () => {
                    server.off('error', reject);
                    resolve();
                });
            });
            this.#log(`accepting NMEA connections on tcp://${host}:${this.address().port}`);
        } else {
            this.#connect();
        }
    }

    async stop(): Promise<void> {
        this.#stopped = true;
        if (this.#sweep) clearInterval(this.#sweep);
        if (this.#retry) clearTimeout(this.#retry);
        for (const key of [...this.#streams.keys()]) this.#closeStream(key);
        for (const s of this.#sockets) s.destroy();
        this.#sockets.clear();
        const udp = this.#udp;
        this.#udp = undefined;
        if (udp) await new Promise<void>((r) => udp.close(() => r()));
        const server = this.#server;
        this.#server = undefined;
        if (server) await new Promise<void>((r) => server.close(() => r()));
        this.#emit = undefined;
    }

    #connect(): void {
        const { host, port } = this.#url;
        const key = `${host}:${port}`;
        const socket = createConnection({ host, port });
        socket.setKeepAlive(true, 30_000);
        socket.once('connect', () => {
            this.#backoff = this.#o.reconnectMinMs;
            this.#log(`connected to tcp://${key}`);
        });
        this.#accept(socket, key, () => {
            if (this.#stopped) return;
            const delay = this.#backoff;
            this.#backoff = Math.min(this.#o.reconnectMaxMs, this.#backoff * 2);
            this.stats.reconnects++;
            this.#log(`connection to tcp://${key} closed; reconnecting in ${delay} ms`);
            this.#retry = setTimeout(() => this.#connect(), delay);
        });
    }

    #accept(socket: Socket, key: string, onClose?: () => void): void {
        this.#sockets.add(socket);
        socket.on('connect', () => this.stats.connections++);
        if (!socket.connecting) this.stats.connections++;
        socket.on('data', (chunk: Buffer) => {
            const pending = this.#data(key, chunk.toString('latin1'));
            if (pending) {
                // TCP can push back: stop reading until the consumer has taken the events
                socket.pause();
                void pending.finally(() => socket.resume());
            }
        });
        socket.on('error', (e) => this.#log(`tcp ${key}: ${e.message}`));
        socket.on('close', () => {
            this.#sockets.delete(socket);
            this.#closeStream(key);
            onClose?.();
        });
    }

    #stream(key: string): Stream {
        let s = this.#streams.get(key);
        if (!s) {
            s = {
                splitter: new LineSplitter(),
                grouper: new FragmentGrouper({ properties: { format: 'nmea' } }),
                lastData: 0,
            };
            this.#streams.set(key, s);
        }
        return s;
    }

    #data(key: string, text: string): Promise<void> | undefined {
        const s = this.#stream(key);
        s.lastData = Date.now();
        const events: SourceEvent[] = [];
        for (const line of s.splitter.push(text)) {
            this.stats.lines++;
            events.push(...s.grouper.push(line));
        }
        return this.#send(events);
    }

    #closeStream(key: string): void {
        const s = this.#streams.get(key);
        if (!s) return;
        this.#streams.delete(key);
        const events: SourceEvent[] = [];
        for (const line of s.splitter.flush()) {
            this.stats.lines++;
            events.push(...s.grouper.push(line));
        }
        events.push(...s.grouper.flush());
        void this.#send(events);
    }

    #sweepStreams(): void {
        const now = Date.now();
        const events: SourceEvent[] = [];
        for (const [key, s] of this.#streams) {
            if (s.splitter.pending && now - s.lastData >= this.#o.lineIdleMs) {
                for (const line of s.splitter.flush()) {
                    this.stats.lines++;
                    events.push(...s.grouper.push(line));
                }
            }
            events.push(...s.grouper.flushOlderThan(this.#o.fragmentTimeoutMs));
            // forget quiet UDP senders
            if (
                this.#udp &&
                now - s.lastData > 600_000 &&
                s.grouper.pendingCount === 0 &&
                !s.splitter.pending
            ) {
                this.#streams.delete(key);
            }
        }
        void this.#send(events);
    }

    #send(events: SourceEvent[]): Promise<void> | undefined {
        if (events.length === 0 || !this.#emit) return undefined;
        this.stats.events += events.length;
        try {
            const r = this.#emit(events);
            if (r instanceof Promise) {
                return r.catch((e: unknown) =>
                    this.#log(`consumer failed: ${e instanceof Error ? e.message : String(e)}`),
                );
            }
        } catch (e) {
            this.#log(`consumer failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        return undefined;
    }
}
