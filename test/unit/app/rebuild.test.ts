import { describe, expect, it } from '@jest/globals';

import { InMemoryDeadLetterStore } from '../../../shared/adapters/memory/InMemoryDeadLetterStore.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { type BatchCounts, bronzeRow, emptyCounts } from '../../../shared/app/batchRecords.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { eventFromBronzeRow, rebuildFromBronze, redriveDeadLetters } from '../../../shared/app/rebuild.js';

const DAY = Date.parse('2026-12-02T00:00:00Z');
const ev = (seq: number, body: string, extra: Partial<ReceivedEvent> = {}): ReceivedEvent => ({
    body,
    meta: {
        partitionId: '1',
        sequenceNumber: seq,
        enqueuedTime: DAY + seq,
        partitionKey: 'k',
        properties: { a: 'b' },
    },
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
        expect(eventFromBronzeRow(JSON.parse(JSON.stringify(bronzeRow(e))))).toEqual({
            ...e,
            body: Buffer.from([0xff]).toString('utf8'),
        });
        expect(eventFromBronzeRow(JSON.parse(JSON.stringify(bronzeRow(ev(4, '{"lat":43.10}')))))).toEqual(
            ev(4, '{"lat":43.10}'),
        );
    });

    it('re-drives the batches of the date range by source, only quarantined ones on request, and reports failures', async () => {
        const lake = new InMemoryLake();
        await lake.writeJsonLinesGz(
            'bronze',
            'ais/date=2026-12-02/hour=00/1-1-2.jsonl.gz',
            [ev(1, 'a'), ev(2, 'b')].map(bronzeRow),
        );
        await lake.writeJsonLinesGz(
            'bronze',
            'ais/date=2026-12-03/hour=00/1-3-3.jsonl.gz',
            [ev(3, 'c')].map(bronzeRow),
        );
        await lake.writeJsonLinesGz(
            'bronze',
            'ais/date=2026-11-30/hour=00/1-0-0.jsonl.gz',
            [ev(0, 'old')].map(bronzeRow),
        );
        await lake.writeJsonLinesGz(
            'bronze',
            'sensors/date=2026-12-02/hour=00/1-5-5.jsonl.gz',
            [ev(5, 's')].map(bronzeRow),
        );
        await lake.writeJsonLinesGz('quarantine', 'ais/date=2026-12-03/hour=00/1-3-3.jsonl.gz', [
            { reason: 'X' },
        ]);
        const ais = recorder((events) => events[0]?.body === 'c');
        const sensors = recorder();
        const r = await rebuildFromBronze(
            { lake, ingest: { ais: ais.ingest, sensors: sensors.ingest } },
            { from: DAY, to: DAY + 2 * 86_400_000 },
        );
        expect(ais.seen.map((b) => b.map((e) => e.body))).toEqual([['a', 'b']]);
        expect(sensors.seen.map((b) => b.map((e) => e.body))).toEqual([['s']]);
        expect(r).toMatchObject({
            batches: 2,
            events: 3,
            counts: { ais: { received: 2 }, sensors: { received: 1 } },
        });
        expect(r.failed).toEqual([
            { path: 'bronze/ais/date=2026-12-03/hour=00/1-3-3.jsonl.gz', error: 'cosmos down' },
        ]);

        const q = recorder();
        const rq = await rebuildFromBronze(
            { lake, ingest: { ais: q.ingest } },
            { from: DAY, to: DAY + 2 * 86_400_000, onlyQuarantined: true },
        );
        expect(q.seen.map((b) => b.map((e) => e.body))).toEqual([['c']]);
        expect(rq.batches).toBe(1);
    });

    it('re-drives dead letters and removes each one that landed', async () => {
        const store = new InMemoryDeadLetterStore();
        const letter = (batchId: string, body: string) => ({
            functionName: 'ingestAis',
            source: 'ais',
            batchId,
            attempts: 6,
            error: 'e',
            failedAt: 1,
            items: 1,
            events: [ev(1, body)],
        });
        await store.write(letter('1-1-1', 'ok'));
        await store.write(letter('1-2-2', 'bad'));
        const ais = recorder((events) => events[0]?.body === 'bad');
        const r = await redriveDeadLetters({ deadLetters: store, ingest: { ais: ais.ingest } });
        expect(r).toMatchObject({ batches: 1, remaining: 1 });
        expect(store.all().map((l) => l.batchId)).toEqual(['1-2-2']);
    });
});

describe('rebuild --quarantine after a rule fix', () => {
    it('removes the quarantine blob of a batch that is now accepted whole, so the quarantine layer and the batch records reconcile', async () => {
        const { createRuntime } = await import('../../../functions/runtime.js');
        const { runtimeIngest } = await import('../../../local/stack.js');
        const { InMemoryVesselStore } =
            await import('../../../shared/adapters/memory/InMemoryVesselStore.js');
        const { InMemoryAlertStore } = await import('../../../shared/adapters/memory/InMemoryAlertStore.js');
        const { RecordingAlertPublisher } =
            await import('../../../shared/adapters/memory/RecordingAlertPublisher.js');
        const { loadConfig } = await import('../../../shared/config/loadConfig.js');
        const now = Date.parse('2026-12-03T12:00:00Z');
        const lake = new InMemoryLake(() => now);
        const adapters = {
            lake,
            vessels: new InMemoryVesselStore(),
            alerts: new InMemoryAlertStore(),
            publisher: new RecordingAlertPublisher(),
            deadLetters: new InMemoryDeadLetterStore(),
            clock: { now: () => now },
            metrics: { track: () => undefined },
        };
        const runtime = (maxAgeDays: string) =>
            createRuntime(
                loadConfig({
                    LAKE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
                    COSMOS_ENDPOINT: 'https://127.0.0.1:1/',
                    COSMOS_KEY: 'a2V5',
                    EVENT_TIME_MAX_AGE_DAYS: maxAgeDays,
                }),
                { adapters },
            );
        const position = (mmsi: number, daysAgo: number) =>
            JSON.stringify({
                type: 'position',
                mmsi,
                timestamp: new Date(now - daysAgo * 86_400_000).toISOString(),
                lat: 57.1,
                lon: 11.2,
                sog: 10,
                cog: 90,
            });
        const batch = (seq: number, bodies: string[]): ReceivedEvent[] =>
            bodies.map((body, i) => ({
                body,
                meta: { partitionId: '0', sequenceNumber: seq + i, enqueuedTime: now - 60_000 },
            }));
        // Arrange: a 30-day age limit quarantines the 40-day-old fixes: one batch all old, one mixed, one not at all
        const strict = runtimeIngest(runtime('30'));
        await strict.ais!(batch(10, [position(244000001, 40), position(244000002, 40)]));
        await strict.ais!(batch(20, [position(244000003, 40), position(244000004, 1), 'not ais']));
        await strict.ais!(batch(30, [position(244000005, 1)]));
        const quarantinedItems = () => lake.allJsonLines('quarantine').length;
        const records = () =>
            lake.allParquetRows('silver', 'ingest_batches/').filter((r) => r.reason === null);
        const sum = (key: string) => records().reduce((n, r) => n + Number(r[key]), 0);
        expect(quarantinedItems()).toBe(4);
        expect(sum('quarantined')).toBe(4);

        // Act: the rule is fixed (a 60-day limit) and the quarantined batches re-driven
        const r = await rebuildFromBronze(
            { lake, ingest: runtimeIngest(runtime('60')) },
            { from: now - 86_400_000, to: now, onlyQuarantined: true },
        );

        // Assert: the all-old batch is accepted whole, its quarantine blob gone; the mixed one keeps only 'not ais'
        expect(r).toMatchObject({ batches: 2, quarantineCleared: 1, failed: [] });
        expect(r.counts.ais).toMatchObject({
            received: 5,
            accepted: 4,
            quarantined: 1,
            duplicates: 0,
            skipped: 0,
        });
        expect(lake.paths('quarantine')).toEqual([expect.stringMatching(/0-20-22\.jsonl\.gz$/)]);
        expect(lake.allJsonLines('quarantine')).toEqual([expect.objectContaining({ raw: 'not ais' })]);
        expect(quarantinedItems()).toBe(sum('quarantined'));
        expect(sum('received')).toBe(6);
        expect(sum('received')).toBe(
            sum('accepted') + sum('quarantined') + sum('duplicates') + sum('skipped'),
        );

        // A second run changes nothing more (idempotent)
        const again = await rebuildFromBronze(
            { lake, ingest: runtimeIngest(runtime('60')) },
            { from: now - 86_400_000, to: now, onlyQuarantined: true },
        );
        expect(again).toMatchObject({ batches: 1, quarantineCleared: 0 });
        expect(quarantinedItems()).toBe(1);
    });
});
