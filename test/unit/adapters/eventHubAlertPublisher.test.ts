import { describe, expect, it } from '@jest/globals';

import {
    ALERT_CONTENT_TYPE,
    EventHubAlertPublisher,
} from '../../../shared/adapters/EventHubAlertPublisher.js';
import type { BatchLike, ProducerLike } from '../../../shared/adapters/EventHubSender.js';
import { RecordingAlertPublisher } from '../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { type Alert, alertId } from '../../../shared/domain/alerts/alert.js';
import { DependencyError, PipelineError } from '../../../shared/errors.js';

interface SentEvent {
    body: Uint8Array;
    properties?: Record<string, string>;
    contentType?: string;
}

/** A batch that counts body bytes plus a fixed overhead per event, like the SDK's size check. */
class FakeBatch implements BatchLike {
    readonly events: SentEvent[] = [];
    sizeInBytes = 0;
    constructor(
        readonly partitionKey: string,
        readonly maxSizeInBytes: number,
    ) {}
    get count(): number {
        return this.events.length;
    }
    tryAdd(event: SentEvent): boolean {
        const size = event.body.byteLength + 10;
        if (this.sizeInBytes + size > this.maxSizeInBytes) return false;
        this.sizeInBytes += size;
        this.events.push(event);
        return true;
    }
}

class FakeProducer implements ProducerLike<FakeBatch> {
    readonly sent: FakeBatch[] = [];
    closed = false;
    failKeys = new Set<string>();
    failCreate: Error | undefined;
    constructor(private readonly maxSize = 100_000) {}
    createBatch(options: { partitionKey: string; maxSizeInBytes?: number }): Promise<FakeBatch> {
        if (this.failCreate) return Promise.reject(this.failCreate);
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

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

function alert(mmsi: number, time: number, patch: Partial<Alert> = {}): Alert {
    return {
        id: alertId('zone-entry', [mmsi, 'harbour-1', time]),
        kind: 'zone-entry',
        severity: 'info',
        mmsi,
        vessels: [mmsi],
        time,
        position: { lat: 59.9, lon: 10.7 },
        details: { zone: 'harbour-1', name: 'Oslo — indre havn' },
        ruleVersion: 'zones-3',
        raisedAt: time + 10,
        ...patch,
    };
}

const decode = (e: SentEvent): unknown => JSON.parse(Buffer.from(e.body).toString('utf8'));

describe('EventHubAlertPublisher', () => {
    it('sends each alert as UTF-8 JSON with its kind and severity, keyed by MMSI, batched per key in order', async () => {
        const producer = new FakeProducer();
        const publisher = new EventHubAlertPublisher(producer);
        const alerts = [
            alert(257_000_001, T0),
            alert(257_000_002, T0, {
                kind: 'collision-risk',
                severity: 'critical',
                vessels: [257_000_002, 257_000_003],
            }),
            alert(257_000_001, T0 + 1000, { severity: 'warning' }),
        ];

        await publisher.publish(alerts);

        expect(producer.sent.map((b) => b.partitionKey).sort()).toEqual(['257000001', '257000002']);
        const first = producer.sent.find((b) => b.partitionKey === '257000001')!;
        expect(first.events.map(decode)).toEqual([alerts[0], alerts[2]]);
        const event = first.events[0]!;
        expect(event.body).toBeInstanceOf(Uint8Array);
        expect(event.contentType).toBe(ALERT_CONTENT_TYPE);
        expect(event.properties).toEqual({ kind: 'zone-entry', severity: 'info' });
        const collision = producer.sent.find((b) => b.partitionKey === '257000002')!.events[0]!;
        expect(collision.properties).toEqual({ kind: 'collision-risk', severity: 'critical' });
        expect(decode(collision)).toEqual(alerts[1]);
    });

    it('splits a partition key over several batches when one is full', async () => {
        const producer = new FakeProducer();
        const publisher = new EventHubAlertPublisher(producer, { maxBatchBytes: 700 });
        const alerts = Array.from({ length: 5 }, (_, i) => alert(257_000_001, T0 + i));

        await publisher.publish(alerts);

        expect(producer.sent.length).toBeGreaterThan(1);
        expect(producer.sent.flatMap((b) => b.events.map(decode))).toEqual(alerts);
    });

    it('does nothing for no alerts', async () => {
        const producer = new FakeProducer();
        producer.failCreate = new Error('should not connect');
        await new EventHubAlertPublisher(producer).publish([]);
        expect(producer.sent).toEqual([]);
    });

    it('throws DependencyError when a batch fails to send, after sending the others', async () => {
        const producer = new FakeProducer();
        producer.failKeys.add('257000002');
        const publisher = new EventHubAlertPublisher(producer);

        const error = await publisher
            .publish([alert(257_000_001, T0), alert(257_000_002, T0)])
            .catch((e: unknown) => e);

        expect(error).toBeInstanceOf(DependencyError);
        expect((error as Error).message).toMatch(/1 of 2 not sent.*ServiceUnavailable/);
        expect(producer.sent.map((b) => b.partitionKey)).toEqual(['257000001']);
    });

    it('throws DependencyError when the hub cannot be reached (creating a batch fails)', async () => {
        const producer = new FakeProducer();
        producer.failCreate = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        const error = await new EventHubAlertPublisher(producer)
            .publish([alert(1, T0)])
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DependencyError);
        expect((error as Error).cause).toBe(producer.failCreate);
    });

    it('throws a non-transient PipelineError for an alert too large for an empty batch', async () => {
        const producer = new FakeProducer(200);
        const big = alert(1, T0, { details: { text: 'x'.repeat(500) } });
        const error = await new EventHubAlertPublisher(producer).publish([big]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PipelineError);
        expect(error).not.toBeInstanceOf(DependencyError);
    });

    it('closes the producer', async () => {
        const producer = new FakeProducer();
        await new EventHubAlertPublisher(producer).close();
        expect(producer.closed).toBe(true);
    });
});

describe('RecordingAlertPublisher', () => {
    it('records published alerts in order and fails the next call on request', async () => {
        const publisher = new RecordingAlertPublisher({ failNext: true });
        await expect(publisher.publish([alert(1, T0)])).rejects.toBeInstanceOf(DependencyError);
        expect(publisher.published).toEqual([]);

        await publisher.publish([alert(1, T0), alert(2, T0)]);
        publisher.failNext = new Error('boom');
        await expect(publisher.publish([alert(3, T0)])).rejects.toThrow('boom');
        await publisher.publish([alert(1, T0)]);

        expect(publisher.ids()).toEqual([alert(1, T0).id, alert(2, T0).id, alert(1, T0).id]);
        expect(publisher.calls).toBe(4);
    });
});
