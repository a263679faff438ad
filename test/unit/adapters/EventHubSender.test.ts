import { describe, expect, it } from '@jest/globals';

import {
    type BatchLike,
    errorMessage,
    EventHubSender,
    type OutgoingEvent,
    type ProducerLike,
} from '../../../shared/adapters/EventHubSender.js';

/** A batch that counts body bytes plus a fixed overhead per event, like the SDK's size check. */
class FakeBatch implements BatchLike {
    readonly events: { body: Uint8Array; properties?: Record<string, string> }[] = [];
    sizeInBytes = 0;
    constructor(
        readonly partitionKey: string,
        readonly maxSizeInBytes: number,
    ) {}
    get count(): number {
        return this.events.length;
    }
    tryAdd(event: { body: Uint8Array; properties?: Record<string, string> }): boolean {
        const size = event.body.byteLength + 10;
        if (this.sizeInBytes + size > this.maxSizeInBytes) return false;
        this.sizeInBytes += size;
        this.events.push(event);
        return true;
    }
}

class FakeProducer implements ProducerLike<FakeBatch> {
    readonly sent: FakeBatch[] = [];
    created = 0;
    closed = false;
    failKeys = new Set<string>();
    /** createBatch fails from the n-th call on (the connection is lost), with this error. */
    unreachableFrom: { call: number; error: Error } | undefined;
    constructor(private readonly maxSize = 1000) {}
    createBatch(options: { partitionKey: string; maxSizeInBytes?: number }): Promise<FakeBatch> {
        this.created++;
        if (this.unreachableFrom && this.created >= this.unreachableFrom.call)
            return Promise.reject(this.unreachableFrom.error);
        return Promise.resolve(new FakeBatch(options.partitionKey, options.maxSizeInBytes ?? this.maxSize));
    }
    sendBatch(batch: FakeBatch): Promise<void> {
        if (this.failKeys.has(batch.partitionKey))
            return Promise.reject(new Error('ServiceUnavailable after retries'));
        this.sent.push(batch);
        return Promise.resolve();
    }
    close(): Promise<void> {
        this.closed = true;
        return Promise.resolve();
    }
}

const ev = (key: string, body: string, properties?: Record<string, string>): OutgoingEvent =>
    properties ? { body, partitionKey: key, properties } : { body, partitionKey: key };
const bodies = (b: FakeBatch): string[] => b.events.map((e) => Buffer.from(e.body).toString('utf8'));

describe('EventHubSender', () => {
    it('groups events by partition key into keyed batches, order kept within a key', async () => {
        const producer = new FakeProducer();
        const sender = new EventHubSender(producer);
        const result = await sender.send([
            ev('1', 'a1'),
            ev('2', 'b1'),
            ev('1', 'a2', { format: 'nmea' }),
            ev('3', 'c1'),
            ev('2', 'b2'),
        ]);
        expect(result).toEqual({ sent: 5, batches: 3, failed: 0, errors: [] });
        const byKey = Object.fromEntries(producer.sent.map((b) => [b.partitionKey, bodies(b)]));
        expect(byKey).toEqual({ '1': ['a1', 'a2'], '2': ['b1', 'b2'], '3': ['c1'] });
        const withProps = producer.sent.find((b) => b.partitionKey === '1')!.events[1]!;
        expect(withProps.properties).toEqual({ format: 'nmea' });
    });

    it('sends bodies as UTF-8 bytes, not JSON strings', async () => {
        const producer = new FakeProducer();
        await new EventHubSender(producer).send([
            ev('9', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\nÆ'),
        ]);
        const body = producer.sent[0]!.events[0]!.body;
        expect(body).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(body).toString('utf8')).toBe('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\nÆ');
    });

    it('rolls a full batch over into a new one', async () => {
        const producer = new FakeProducer(100); // 3 events of 20 bytes + 10 overhead per batch
        const events = Array.from({ length: 7 }, (_, i) => ev('42', `${i}`.padStart(20, 'x')));
        const result = await new EventHubSender(producer).send(events);
        expect(result).toMatchObject({ sent: 7, batches: 3, failed: 0 });
        expect(producer.sent.map((b) => b.count)).toEqual([3, 3, 1]);
        expect(producer.sent.flatMap(bodies)).toEqual(events.map((e) => e.body));
    });

    it('reports an event too large for an empty batch, and sends the rest', async () => {
        const producer = new FakeProducer();
        const big = ev('7', 'x'.repeat(5000));
        const result = await new EventHubSender(producer).send([ev('7', 'small'), big, ev('7', 'after')]);
        expect(result.sent).toBe(2);
        expect(result.failed).toBe(1);
        expect(result.errors).toEqual([
            {
                reason: 'EVENT_TOO_LARGE',
                partitionKey: '7',
                message: 'event of 5000 bytes does not fit in an empty batch (max 1000 bytes)',
                events: [big],
            },
        ]);
        expect(producer.sent.flatMap(bodies)).toEqual(['small', 'after']);
    });

    it('reports a batch that failed after the SDK retries, with its events', async () => {
        const producer = new FakeProducer();
        producer.failKeys.add('2');
        const result = await new EventHubSender(producer).send([ev('1', 'a'), ev('2', 'b'), ev('2', 'c')]);
        expect(result.sent).toBe(1);
        expect(result.failed).toBe(2);
        expect(result.errors[0]).toMatchObject({
            reason: 'SEND_FAILED',
            partitionKey: '2',
            events: [ev('2', 'b'), ev('2', 'c')],
        });
        expect(result.errors[0]!.message).toMatch(/ServiceUnavailable/);
    });

    it('passes maxBatchBytes to createBatch, sends keys concurrently, closes the producer', async () => {
        const producer = new FakeProducer();
        const sender = new EventHubSender(producer, { maxBatchBytes: 50, concurrency: 3 });
        const events = Array.from({ length: 40 }, (_, i) => ev(String(i % 10), 'y'.repeat(15)));
        const result = await sender.send(events);
        expect(result).toMatchObject({ sent: 40, failed: 0 });
        expect(producer.sent.every((b) => b.maxSizeInBytes === 50 && b.count <= 2)).toBe(true);
        expect(await sender.send([])).toEqual({ sent: 0, batches: 0, failed: 0, errors: [] });
        await sender.close();
        expect(producer.closed).toBe(true);
    });

    it('builds SDK clients from a connection string or a namespace without connecting', async () => {
        const cs =
            'Endpoint=sb://localhost;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0;UseDevelopmentEmulator=true';
        const a = EventHubSender.fromConnectionString(cs, 'ais-raw');
        const b = EventHubSender.fromNamespace('ns.servicebus.windows.net', 'ais-raw', {
            credential: { getToken: () => Promise.resolve(null) },
        });
        await a.close();
        await b.close();
    });

    it('reports every event not yet sent, with the cause, when the hub cannot be reached (and does not retry it for each key)', async () => {
        const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5671'), {
            name: 'MessagingError',
            code: 'ECONNREFUSED',
        });
        const producer = new FakeProducer(30);
        // The first batch of key 1 is created and sent; the connection is lost when the second is created.
        producer.unreachableFrom = { call: 2, error: new AggregateError([refused, refused], '') };
        const sender = new EventHubSender(producer, { concurrency: 1 });
        const result = await sender.send([
            ev('1', 'aaaaaaaaaa'),
            ev('1', 'bbbbbbbbbb'),
            ev('1', 'cccccccccc'),
            ev('2', 'dd'),
            ev('3', 'ee'),
        ]);
        expect(result.sent).toBe(1);
        expect(result.failed).toBe(4);
        expect(result.sent + result.failed).toBe(5);
        expect(result.errors.flatMap((e) => e.events.map((x) => x.body))).toEqual([
            'bbbbbbbbbb',
            'cccccccccc',
            'dd',
            'ee',
        ]);
        expect(result.errors[0]?.message).toBe('MessagingError: connect ECONNREFUSED 127.0.0.1:5671');
        // Keys 2 and 3 are not attempted: the hub was just found unreachable.
        expect(result.errors.slice(1).map((e) => e.message)).toEqual([
            'not attempted: MessagingError: connect ECONNREFUSED 127.0.0.1:5671',
            'not attempted: MessagingError: connect ECONNREFUSED 127.0.0.1:5671',
        ]);
        expect(producer.created).toBe(2);
    });

    it('says what an error was, even one without a message', () => {
        expect(
            errorMessage(
                new AggregateError(
                    [Object.assign(new Error('getaddrinfo ENOTFOUND ns.invalid'), { code: 'ENOTFOUND' })],
                    '',
                ),
            ),
        ).toBe('Error: getaddrinfo ENOTFOUND ns.invalid');
        expect(errorMessage(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
            'Error: socket hang up (ECONNRESET)',
        );
        expect(errorMessage(new Error('', { cause: new Error('TLS handshake failed') }))).toBe(
            'Error: Error: TLS handshake failed',
        );
        expect(errorMessage('plain')).toBe('plain');
    });
});
