import { describe, expect, it } from '@jest/globals';

import { CosmosJobRunStore } from '../../../shared/adapters/CosmosJobRunStore.js';
import { InMemoryJobRunStore } from '../../../shared/adapters/memory/InMemoryJobRunStore.js';
import { claimRun, dueWindows, failRun, finishRun, type JobRunStore } from '../../../shared/app/jobRuns.js';
import { createTestDatabase } from '../../helpers/localServices.js';

function describeJobRunStoreContract(
    name: string,
    open: () => Promise<{ store: JobRunStore; dispose: () => Promise<void> }>,
): void {
    describe(`JobRunStore contract: ${name}`, () => {
        const claim = (store: JobRunStore, window: string, owner: string, now: number) =>
            claimRun(store, { job: 'buildGold', window, owner, now, leaseMs: 60_000 });

        it('lets exactly one of two simultaneous claims win', async () => {
            const { store, dispose } = await open();
            try {
                const [a, b] = await Promise.all([
                    claim(store, '2026-12-01', 'a', 1000),
                    claim(store, '2026-12-01', 'b', 1000),
                ]);
                expect([a.outcome, b.outcome].sort()).toEqual(['busy', 'claimed']);
                const stored = await store.get('buildGold', '2026-12-01');
                expect(stored?.status).toBe('running');
                expect(stored?.attempts).toBe(1);
            } finally {
                await dispose();
            }
        });

        it('answers done after success and busy while the lease lives; takes an expired lease over', async () => {
            const { store, dispose } = await open();
            try {
                const first = await claim(store, '2026-12-02', 'a', 1000);
                if (first.outcome !== 'claimed') throw new Error('expected a claim');
                expect((await claim(store, '2026-12-02', 'b', 2000)).outcome).toBe('busy');
                // The worker of 'a' died: after the lease, 'c' takes over, and 'a' finishing late is told it lost.
                const takeover = await claim(store, '2026-12-02', 'c', 1000 + 60_001);
                expect(takeover.outcome).toBe('claimed');
                expect(takeover.run.attempts).toBe(2);
                expect(await finishRun(store, first.run, { now: 70_000 })).toBe('lost');
                if (takeover.outcome !== 'claimed') throw new Error('unreachable');
                const done = await finishRun(store, takeover.run, {
                    now: 70_000,
                    inputWatermark: 5,
                    result: { rows: 3 },
                });
                expect(done).not.toBe('lost');
                const again = await claim(store, '2026-12-02', 'd', 80_000);
                expect(again.outcome).toBe('done');
                expect(again.run.result).toEqual({ rows: 3 });
                expect(again.run.owner).toBe('c');
            } finally {
                await dispose();
            }
        });

        it('claims a succeeded window again when it is stale (late data), and a failed one at the next fire', async () => {
            const { store, dispose } = await open();
            try {
                const first = await claim(store, '2026-12-03', 'a', 1000);
                if (first.outcome !== 'claimed') throw new Error('expected a claim');
                await finishRun(store, first.run, { now: 2000, inputWatermark: 100 });
                const rebuild = await claimRun(store, {
                    job: 'buildGold',
                    window: '2026-12-03',
                    owner: 'b',
                    now: 3000,
                    leaseMs: 60_000,
                    isStale: (run) => (run.inputWatermark ?? 0) < 200,
                });
                expect(rebuild.outcome).toBe('claimed');
                if (rebuild.outcome !== 'claimed') throw new Error('unreachable');
                await failRun(store, rebuild.run, 4000, 'boom');
                expect((await store.get('buildGold', '2026-12-03'))?.error).toBe('boom');
                expect((await claim(store, '2026-12-03', 'c', 5000)).outcome).toBe('claimed');
            } finally {
                await dispose();
            }
        });

        it('lists due windows oldest first, bounded, per job', async () => {
            const { store, dispose } = await open();
            try {
                const done = await claim(store, '2026-11-02', 'a', 1000);
                if (done.outcome === 'claimed') await finishRun(store, done.run, { now: 1000 });
                await claimRun(store, {
                    job: 'otherJob',
                    window: '2026-11-01',
                    owner: 'x',
                    now: 1000,
                    leaseMs: 1,
                });
                const windows = ['2026-11-04', '2026-11-01', '2026-11-03', '2026-11-02', '2026-11-05'];
                expect(await dueWindows(store, 'buildGold', windows, 2000, 3)).toEqual([
                    '2026-11-01',
                    '2026-11-03',
                    '2026-11-04',
                ]);
                const listed = await store.list('buildGold', '2026-11-01', '2026-11-30');
                expect(listed.map((r) => r.window)).toEqual(['2026-11-02']);
            } finally {
                await dispose();
            }
        });
    });
}

describeJobRunStoreContract('InMemoryJobRunStore', () =>
    Promise.resolve({ store: new InMemoryJobRunStore(), dispose: () => Promise.resolve() }),
);

describeJobRunStoreContract('CosmosJobRunStore (local Cosmos-protocol server)', async () => {
    const db = await createTestDatabase('jobruns');
    return {
        store: new CosmosJobRunStore(db.client.database(db.databaseId).container('jobRuns')),
        dispose: () => db.dispose(),
    };
});
