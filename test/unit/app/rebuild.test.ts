import { describe, expect, it } from '@jest/globals';

import { InMemoryDeadLetterStore } from '../../../shared/adapters/memory/InMemoryDeadLetterStore.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { type BatchCounts, bronzeRow, emptyCounts } from '../../../shared/app/batchRecords.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { eventFromBronzeRow, rebuildFromBronze, redriveDeadLetters } from '../../../shared/app/rebuild.js';

const DAY = Date.parse('2026-12-02T00:00:00Z');
const ev = (seq: number, body: string, extra: Partial<ReceivedEvent> = {}): ReceivedEvent => ({
    body,
    meta: { partitionId: '1', sequenceNumber: seq, enqueuedTime: DAY + seq, partitionKey: 'k', properties: { a: 'b' } },
    ...extra,
});

function recorder(fail?: (events: readonly ReceivedEvent[]) => boolean) {
    const seen: ReceivedEvent[][] = [];
    const ingest = (events: readonly ReceivedEvent[]): Promise<BatchCounts> => {
        if (fail?.(events)) return Promise.reject(new Error('cosmos down'));
        seen.push([...events]);
        return Promise.resolve({ ...emptyCounts(), received: events.length, accepted: events.length });
    };
    return { seen, ingest };
}

describe('rebuild from bronze', () => {
    it('turns bronze rows back into the events they were, bytes included', () => {
        const e = ev(3, '\ufffd', { bodyBase64: Buffer.from([0xff]).toString('base64') });
        expect(eventFromBronzeRow(JSON.parse(JSON.stringify(bronzeRow(e))))).toEqual({ ...e, body: Buffer.from([0xff]).toString('utf8') });
        expect(eventFromBronzeRow(JSON.parse(JSON.stringify(bronzeRow(ev(4, '{"lat":43.10}')))))).toEqual(ev(4, '{"lat":43.10}'));
    });

    it('re-drives the batches of the date range by source, only quarantined ones on request, and reports failures', async () => {
        const lake = new InMemoryLake();
        await lake.writeJsonLinesGz('bronze', 'ais/date=2026-12-02/hour=00/1-1-2.jsonl.gz', [ev(1, 'a'), ev(2, 'b')].map(bronzeRow));
        await lake.writeJsonLinesGz('bronze', 'ais/date=2026-12-03/hour=00/1-3-3.jsonl.gz', [ev(3, 'c')].map(bronzeRow));
        await lake.writeJsonLinesGz('bronze', 'ais/date=2026-11-30/hour=00/1-0-0.jsonl.gz', [ev(0, 'old')].map(bronzeRow));
        await lake.writeJsonLinesGz('bronze', 'sensors/date=2026-12-02/hour=00/1-5-5.jsonl.gz', [ev(5, 's')].map(bronzeRow));
        await lake.writeJsonLinesGz('quarantine', 'ais/date=2026-12-03/hour=00/1-3-3.jsonl.gz', [{ reason: 'X' }]);
        const ais = recorder((events) => events[0]?.body === 'c');
        const sensors = recorder();
        const r = await rebuildFromBronze({ lake, ingest: { ais: ais.ingest, sensors: sensors.ingest } }, { from: DAY, to: DAY + 2 * 86_400_000 });
        expect(ais.seen.map((b) => b.map((e) => e.body))).toEqual([['a', 'b']]);
        expect(sensors.seen.map((b) => b.map((e) => e.body))).toEqual([['s']]);
        expect(r).toMatchObject({ batches: 2, events: 3, counts: { ais: { received: 2 }, sensors: { received: 1 } } });
        expect(r.failed).toEqual([{ path: 'bronze/ais/date=2026-12-03/hour=00/1-3-3.jsonl.gz', error: 'cosmos down' }]);

        const q = recorder();
        const rq = await rebuildFromBronze({ lake, ingest: { ais: q.ingest } }, { from: DAY, to: DAY + 2 * 86_400_000, onlyQuarantined: true });
        expect(q.seen.map((b) => b.map((e) => e.body))).toEqual([['c']]);
        expect(rq.batches).toBe(1);
    });

    it('re-drives dead letters and removes each one that landed', async () => {
        const store = new InMemoryDeadLetterStore();
        const letter = (batchId: string, body: string) => ({ functionName: 'ingestAis', source: 'ais', batchId, attempts: 6, error: 'e', failedAt: 1, items: 1, events: [ev(1, body)] });
        await store.write(letter('1-1-1', 'ok'));
        await store.write(letter('1-2-2', 'bad'));
        const ais = recorder((events) => events[0]?.body === 'bad');
        const r = await redriveDeadLetters({ deadLetters: store, ingest: { ais: ais.ingest } });
        expect(r).toMatchObject({ batches: 1, remaining: 1 });
        expect(store.all().map((l) => l.batchId)).toEqual(['1-2-2']);
    });
});
