import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { EventHubDeadLetterSink, splitLetter } from '../../../shared/adapters/EventHubDeadLetterSink.js';
import { FileDeadLetterStore } from '../../../shared/adapters/FileDeadLetterStore.js';
import type { DeadLetter } from '../../../shared/app/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function letter(n: number, bodyBytes = 10, failedAt = 1_000): DeadLetter {
    return {
        functionName: 'ingestAis',
        source: 'ais',
        batchId: `0-1-${n}`,
        attempts: 6,
        error: 'Error: down',
        failedAt,
        items: n,
        events: Array.from({ length: n }, (_, i) => ({
            body: 'x'.repeat(bodyBytes),
            meta: { partitionId: '0', sequenceNumber: i + 1, enqueuedTime: 1 },
        })),
    };
}

describe('FileDeadLetterStore', () => {
    it('writes one file per letter (no temporary files left), reads them back oldest first, removes re-driven ones', async () => {
        const store = new FileDeadLetterStore(join(dir, 'dl'));
        expect(await store.ids()).toEqual([]);
        await store.write(letter(2, 10, 2_000));
        await store.write(letter(3, 10, 1_000));
        expect(readdirSync(join(dir, 'dl')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        const read: { id: string; letter: DeadLetter }[] = [];
        for await (const l of store.read()) read.push(l);
        expect(read.map((r) => r.letter.batchId)).toEqual(['0-1-3', '0-1-2']);
        expect(read[0]!.letter).toEqual(letter(3, 10, 1_000));
        await store.remove(read[0]!.id);
        expect((await store.ids()).length).toBe(1);
    });
});

describe('EventHubDeadLetterSink', () => {
    it('splits a letter over events under the size limit, keeping every event once and in order', () => {
        const parts = splitLetter(letter(10, 1_000), 3_500);
        expect(parts.length).toBeGreaterThan(1);
        for (const p of parts)
            expect(Buffer.byteLength(JSON.stringify(p)) <= 3_500 || p.events.length === 1).toBe(true);
        expect(parts.flatMap((p) => p.events.map((e) => e.meta.sequenceNumber))).toEqual([
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        ]);
    });

    it('sends each part as a JSON event keyed by the batch id, and wraps a failure as a DependencyError', async () => {
        const sent: { partitionKey: string; body: string; properties?: Record<string, string> }[] = [];
        let fail = false;
        const producer = {
            createBatch: ({ partitionKey }: { partitionKey: string }) =>
                Promise.resolve({
                    partitionKey,
                    events: [] as { body: Uint8Array; properties?: Record<string, string> }[],
                    tryAdd(e: { body: Uint8Array; properties?: Record<string, string> }) {
                        this.events.push(e);
                        return true;
                    },
                    count: 0,
                    sizeInBytes: 0,
                    maxSizeInBytes: 1_000_000,
                }),
            sendBatch: (b: {
                partitionKey: string;
                events: { body: Uint8Array; properties?: Record<string, string> }[];
            }) => {
                if (fail) return Promise.reject(new Error('namespace unreachable'));
                for (const e of b.events)
                    sent.push({
                        partitionKey: b.partitionKey,
                        body: Buffer.from(e.body).toString(),
                        ...(e.properties ? { properties: e.properties } : {}),
                    });
                return Promise.resolve();
            },
            close: () => Promise.resolve(),
        };
        const sink = new EventHubDeadLetterSink(producer as never, 3_500);
        await sink.write(letter(10, 1_000));
        expect(sent.length).toBeGreaterThan(1);
        expect(new Set(sent.map((s) => s.partitionKey))).toEqual(new Set(['0-1-10']));
        expect(sent[0]!.properties).toMatchObject({
            source: 'ais',
            batchId: '0-1-10',
            part: '1',
            parts: String(sent.length),
        });
        const events = sent.flatMap((s) => (JSON.parse(s.body) as DeadLetter).events);
        expect(events).toHaveLength(10);
        fail = true;
        await expect(sink.write(letter(1))).rejects.toMatchObject({ name: 'DependencyError' });
    });
});
