import { describe, expect, it } from '@jest/globals';

import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { checkHealth } from '../../../shared/app/queries.js';
import { WatermarkWriter } from '../../../shared/app/watermarks.js';

const summary = (over: Partial<{ accepted: number; quarantined: number; skipped: number }> = {}) => ({
    batchId: '0-1-2',
    partitionId: '0',
    received: 2,
    accepted: 1,
    quarantined: 1,
    duplicates: 0,
    skipped: 0,
    quarantinedByReason: {},
    ...over,
});

describe('watermarks', () => {
    it('mark the layers a batch wrote, at most once per interval per layer, source and partition', async () => {
        const lake = new InMemoryLake();
        const w = new WatermarkWriter(lake, 10_000);
        await w.mark('ais', summary({ quarantined: 0 }), 1_000);
        expect((await lake.list('bronze', '_watermarks/')).map((b) => b.path).sort()).toEqual([
            '_watermarks/bronze/ais-0.jsonl.gz',
            '_watermarks/silver/ais-0.jsonl.gz',
        ]);
        const writes = lake.writeCount;
        await w.mark('ais', summary(), 5_000); // bronze and silver throttled; quarantine is new
        expect(lake.writeCount).toBe(writes + 1);
        await w.mark('ais', summary(), 12_000);
        expect(lake.writeCount).toBe(writes + 3);
        await w.mark('ais', summary({ skipped: 2, accepted: 0, quarantined: 0 }), 60_000); // a dead-lettered batch wrote nothing
        expect(lake.writeCount).toBe(writes + 3);
    });
});

describe('checkHealth', () => {
    it('reads only the watermarks, however many blobs the lake holds', async () => {
        const lake = new InMemoryLake();
        for (let i = 0; i < 3_000; i++)
            await lake.writeJsonLinesGz('bronze', `ais/date=2026-12-01/hour=00/0-${i}-${i}.jsonl.gz`, [{}]);
        await new WatermarkWriter(lake).mark('ais', summary(), Date.now());
        await new WatermarkWriter(lake).mark('sensors', { ...summary(), partitionId: '1' }, Date.now());
        let listed = 0;
        const counting = {
            ...lake,
            list: (c: never, p: string) => ((listed += 1), lake.list(c, p)),
        } as unknown as InMemoryLake;
        const h = await checkHealth({
            lake: counting,
            vessels: { ping: () => Promise.resolve() },
            now: Date.now,
        });
        expect(listed).toBe(1);
        expect(h.status).toBe('ok');
        expect(Object.keys(h.layers.bronze!.sources).sort()).toEqual(['ais', 'sensors']);
        expect(h.layers.bronze!.ageSeconds).toBeLessThan(5);
    });

    it('is empty before anything landed, stale after the threshold, unavailable when a check times out', async () => {
        const lake = new InMemoryLake();
        const ok = { ping: () => Promise.resolve() };
        expect((await checkHealth({ lake, vessels: ok, now: Date.now })).status).toBe('empty');
        await new WatermarkWriter(lake).mark('ais', summary(), Date.now());
        expect((await checkHealth({ lake, vessels: ok, now: () => Date.now() + 16 * 60_000 })).status).toBe(
            'stale',
        );
        const hanging = { ping: () => new Promise<void>(() => undefined) };
        const started = Date.now();
        const h = await checkHealth({ lake, vessels: hanging, now: Date.now }, { timeoutMs: 100 });
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(h).toMatchObject({
            status: 'unavailable',
            dependencies: { storage: { status: 'ok' }, cosmos: { status: 'unavailable' } },
        });
    });
});
