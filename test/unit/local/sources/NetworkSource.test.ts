import { createSocket } from 'node:dgram';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from '@jest/globals';

import { AisEncoder } from '../../../../local/simulator/aisEncoder.js';
import { createSource } from '../../../../local/sources/index.js';
import { NetworkSource, parseListenUrl } from '../../../../local/sources/NetworkSource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import { AisDecoder } from '../../../../shared/domain/ais/decoder.js';

const enc = new AisEncoder();
const t1 = enc.encode({ type: 1, mmsi: 244123456, lat: 52, lon: 4, speed: 10 })[0]!;
const t5 = enc.encode({ type: 5, mmsi: 211000042, shipname: 'TEST VESSEL', destination: 'NL RTM' });

/** Resolves once `events` holds at least `n` events (or fails after 3 s). */
async function waitFor(events: SourceEvent[], n: number): Promise<void> {
    const deadline = Date.now() + 3000;
    while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out with ${events.length} of ${n} events`);
        await new Promise((r) => setTimeout(r, 10));
    }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c(); // last in, first out
});

function collect(source: NetworkSource): SourceEvent[] {
    const events: SourceEvent[] = [];
    cleanup.push(() => source.stop());
    void source.start((e) => {
        events.push(...e);
    });
    return events;
}

const quiet = { log: (): void => undefined };

describe('parseListenUrl', () => {
    it('parses the three kinds and rejects others', () => {
        expect(parseListenUrl('udp://0.0.0.0:10110')).toEqual({ kind: 'udp', host: '0.0.0.0', port: 10110 });
        expect(parseListenUrl('tcp://ais.local:5012')).toEqual({
            kind: 'tcp',
            host: 'ais.local',
            port: 5012,
        });
        expect(parseListenUrl('tcp-listen://[::1]:0')).toEqual({ kind: 'tcp-listen', host: '::1', port: 0 });
        expect(() => parseListenUrl('http://x:1')).toThrow(/udp:\/\/host:port/);
        expect(() => createSource({ kind: 'listen', url: 'udp://x' })).toThrow();
    });
});

describe('NetworkSource udp://', () => {
    it('frames lines across datagrams and keeps fragments together', async () => {
        const source = new NetworkSource('udp://127.0.0.1:0', { ...quiet, lineIdleMs: 100 });
        const events: SourceEvent[] = [];
        cleanup.push(() => source.stop());
        await source.start((e) => {
            events.push(...e);
        });
        const { port } = source.address();
        const udp = createSocket('udp4');
        cleanup.push(() => new Promise<void>((r) => udp.close(() => r())));
        const send = (s: string): Promise<void> =>
            new Promise((resolve, reject) =>
                udp.send(s, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
            );
        // one sentence split over two datagrams; a two-sentence message over two more; a last line without newline
        await send(t1.slice(0, 20));
        await send(`${t1.slice(20)}\r\n${t5[0]}\r\n`);
        await send(`${t5[1]}\r\n${t1}`);
        await waitFor(events, 3);
        expect(events.map((e) => e.body)).toEqual([t1, t5.join('\n'), t1]);
        expect(events.map((e) => e.partitionKey)).toEqual(['244123456', '211000042', '244123456']);
        expect(source.stats.datagrams).toBe(3);
        const decoder = new AisDecoder();
        const decoded = events.flatMap((e) => e.body.split('\n').flatMap((l) => decoder.push(l)));
        expect(decoded.map((d) => d.kind)).toEqual(['message', 'message', 'message']);
    });

    it('passes on an incomplete message after the fragment timeout', async () => {
        const source = new NetworkSource('udp://127.0.0.1:0', { ...quiet, fragmentTimeoutMs: 100 });
        const events: SourceEvent[] = [];
        cleanup.push(() => source.stop());
        await source.start((e) => {
            events.push(...e);
        });
        const udp = createSocket('udp4');
        cleanup.push(() => new Promise<void>((r) => udp.close(() => r())));
        udp.send(`${t5[0]}\n`, source.address().port, '127.0.0.1');
        await waitFor(events, 1);
        expect(events[0]!.body).toBe(t5[0]);
    });
});

describe('NetworkSource tcp://', () => {
    it('connects to a receiver’s NMEA server and reconnects after it drops the connection', async () => {
        const sockets: Socket[] = [];
        const server: Server = createServer((s) => {
            sockets.push(s);
            if (sockets.length === 1) {
                s.write(`${t5[0]}\r\n${t5[1]!.slice(0, 10)}`);
                setTimeout(() => s.end(`${t5[1]!.slice(10)}\r\n`), 20);
                setTimeout(() => s.destroy(), 40);
            } else {
                s.write(`${t1}\r\n`);
            }
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
        cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
        cleanup.push(() => sockets.forEach((s) => s.destroy()));
        const port = (server.address() as { port: number }).port;
        const source = new NetworkSource(`tcp://127.0.0.1:${port}`, { ...quiet, reconnectMinMs: 50 });
        const events = collect(source);
        await waitFor(events, 2);
        expect(events.map((e) => e.body)).toEqual([t5.join('\n'), t1]);
        expect(source.stats.reconnects).toBeGreaterThanOrEqual(1);
        expect(source.stats.connections).toBe(2);
    });

    it('keeps retrying while nothing listens', async () => {
        const probe = createServer();
        await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
        const port = (probe.address() as { port: number }).port;
        await new Promise<void>((r) => probe.close(() => r()));
        const source = new NetworkSource(`tcp://127.0.0.1:${port}`, {
            ...quiet,
            reconnectMinMs: 20,
            reconnectMaxMs: 40,
        });
        collect(source);
        // Poll instead of a fixed window: on a loaded machine 250 ms may hold fewer than 3 attempts.
        for (let waited = 0; source.stats.reconnects < 3 && waited < 10_000; waited += 50) {
            await new Promise((r) => setTimeout(r, 50));
        }
        expect(source.stats.reconnects).toBeGreaterThanOrEqual(3);
        expect(source.stats.connections).toBe(0);
    });
});

describe('NetworkSource tcp-listen://', () => {
    it('accepts pushes from several senders, framing each connection on its own', async () => {
        const source = new NetworkSource('tcp-listen://127.0.0.1:0', quiet);
        const events: SourceEvent[] = [];
        cleanup.push(() => source.stop());
        await source.start((e) => {
            events.push(...e);
        });
        const { port } = source.address();
        const a = createConnection({ port, host: '127.0.0.1' });
        const b = createConnection({ port, host: '127.0.0.1' });
        cleanup.push(() => {
            a.destroy();
            b.destroy();
        });
        await Promise.all([a, b].map((s) => new Promise((r) => s.once('connect', r))));
        a.write(`${t5[0]}\n`);
        b.write(t1.slice(0, 15));
        await new Promise((r) => setTimeout(r, 20));
        b.write(`${t1.slice(15)}\n`);
        a.end(`${t5[1]}\n`);
        await waitFor(events, 2);
        expect(events.map((e) => e.body).sort()).toEqual([t1, t5.join('\n')].sort());
    });
});
