import { describe, expect, it } from '@jest/globals';

import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { checkHealth, HealthMonitor } from '../../../shared/app/health.js';
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

/** A controllable world: a clock, a lake whose watermark listing and a Cosmos ping that can fail or hang. */
function world() {
    const w = {
        t: 1_000_000,
        lists: 0,
        pings: 0,
        bronzeAt: 1_000_000 - 3_000,
        cosmos: 'up' as 'up' | 'down' | 'hang',
        release: undefined as (() => void) | undefined,
    };
    const deps = {
        now: () => w.t,
        lake: {
            list: () => {
                w.lists += 1;
                return Promise.resolve([
                    { path: '_watermarks/bronze/ais-0.jsonl.gz', lastModified: w.bronzeAt, size: 40 },
                ]);
            },
        },
        vessels: {
            ping: () => {
                w.pings += 1;
                if (w.cosmos === 'down') return Promise.reject(new Error('connect ECONNREFUSED'));
                if (w.cosmos === 'hang') return new Promise<void>((resolve) => (w.release = resolve));
                return Promise.resolve();
            },
        },
    };
    return { w, deps };
}

const SETTINGS = { refreshMs: 5_000, maxAgeMs: 30_000, timeoutMs: 50 };

describe('HealthMonitor', () => {
    it('answers a burst of calls from one probe, with the probe age and layer ages as of the answer', async () => {
        const { w, deps } = world();
        const monitor = new HealthMonitor(deps, SETTINGS);
        const first = await monitor.report();
        expect(first).toMatchObject({ status: 'ok', checkedAt: 1_000_000, checkAgeMs: 0 });
        expect(first.layers.bronze!.ageSeconds).toBe(3);
        for (let i = 0; i < 100; i++) {
            w.t += 40; // 100 calls over 4 s
            await monitor.report();
        }
        expect([monitor.probes, w.lists, w.pings]).toEqual([1, 1, 1]);
        const later = await monitor.report();
        expect(later).toMatchObject({ status: 'ok', checkedAt: 1_000_000, checkAgeMs: 4_000 });
        expect(later.layers.bronze!.ageSeconds).toBe(7);
    });

    it('refreshes in the background once the probe is older than refreshMs, answering meanwhile from the last one', async () => {
        const { w, deps } = world();
        const monitor = new HealthMonitor(deps, SETTINGS);
        await monitor.report();
        w.t += 5_000;
        w.bronzeAt = w.t - 1_000;
        const answered = await monitor.report();
        expect(answered.checkAgeMs).toBe(5_000); // the old probe, not waited for the new one
        expect(monitor.probes).toBe(2);
        await monitor.idle(); // the background probe settles
        const next = await monitor.report();
        expect(next).toMatchObject({ checkedAt: w.t, checkAgeMs: 0 });
        expect(next.layers.bronze!.ageSeconds).toBe(1);
        expect(monitor.probes).toBe(2);
    });

    it('never answers from a probe older than maxAgeMs: a call after a quiet spell waits for a new probe', async () => {
        const { w, deps } = world();
        const monitor = new HealthMonitor(deps, SETTINGS);
        await monitor.report();
        w.t += 30_000;
        w.cosmos = 'down';
        const res = await monitor.report();
        expect(res).toMatchObject({
            status: 'unavailable',
            checkAgeMs: 0,
            dependencies: {
                storage: { status: 'ok' },
                cosmos: { status: 'unavailable', error: 'connect ECONNREFUSED' },
            },
        });
        expect(monitor.probes).toBe(2);
    });

    it('shows a dependency that stopped answering within refreshMs + timeoutMs when called every second, and its recovery the same way', async () => {
        const { w, deps } = world();
        const monitor = new HealthMonitor(deps, SETTINGS);
        await monitor.report();
        const diedAt = w.t + 1_000; // just before the call at that time
        const statusAt = async (t: number): Promise<string> => {
            w.t = t;
            if (t === diedAt) w.cosmos = 'down';
            const h = await monitor.report();
            await monitor.idle(); // a background probe this call started settles before the next second
            return h.status;
        };
        let shownAt: number | undefined;
        for (let t = w.t + 1_000; t <= diedAt + 20_000 && shownAt === undefined; t += 1_000)
            if ((await statusAt(t)) === 'unavailable') shownAt = t;
        expect(shownAt).toBeDefined();
        expect(shownAt! - diedAt).toBeLessThanOrEqual(SETTINGS.refreshMs + SETTINGS.timeoutMs + 1_000);
        w.cosmos = 'up';
        const recoveredFrom = w.t;
        let okAt: number | undefined;
        for (let t = w.t + 1_000; t <= recoveredFrom + 20_000 && okAt === undefined; t += 1_000)
            if ((await statusAt(t)) === 'ok') okAt = t;
        expect(okAt! - recoveredFrom).toBeLessThanOrEqual(SETTINGS.refreshMs + SETTINGS.timeoutMs + 1_000);
        const seconds = (w.t - 1_000_000) / 1_000;
        expect(monitor.probes).toBeLessThanOrEqual(1 + Math.ceil(seconds / 5)); // one probe per refreshMs, not per call
    });

    it('reports a hanging dependency unavailable after timeoutMs and does not ask it again until its request settles', async () => {
        const { w, deps } = world();
        w.cosmos = 'hang';
        const monitor = new HealthMonitor(deps, SETTINGS);
        const first = await monitor.report();
        expect(first).toMatchObject({
            status: 'unavailable',
            dependencies: {
                storage: { status: 'ok' },
                cosmos: { status: 'unavailable', error: 'no answer within 50 ms' },
            },
        });
        w.t += 30_000;
        const second = await monitor.report(); // a new probe: the listing again, the ping still the first one
        expect(second.dependencies.cosmos).toMatchObject({ status: 'unavailable', ms: 30_000 });
        expect([w.lists, w.pings]).toEqual([2, 1]);
        w.cosmos = 'up';
        w.release?.();
        await new Promise((resolve) => setImmediate(resolve)); // the hung request settles
        w.t += 30_000;
        expect((await monitor.report()).status).toBe('ok');
        expect(w.pings).toBe(2);
    });

    it('turns stale at answer time, without a new probe, when the last bronze watermark passes the threshold', async () => {
        const { w, deps } = world(); // bronze written 3 s before the first call
        const monitor = new HealthMonitor(deps, {
            refreshMs: 20_000,
            maxAgeMs: 30_000,
            staleAfterMs: 10_000,
        });
        expect((await monitor.report()).status).toBe('ok');
        w.t += 7_000; // 10 s after the write
        expect((await monitor.report()).status).toBe('ok');
        w.t += 1_000;
        expect(await monitor.report()).toMatchObject({ status: 'stale', checkAgeMs: 8_000 });
        expect(monitor.probes).toBe(1);
    });
});
