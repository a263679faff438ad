import type { HttpRequest, InvocationContext, RetryOptions, Timer } from '@azure/functions';
import { afterEach, describe, expect, it, jest } from '@jest/globals';

import type { RegisteredFunction } from '../../../functions/definitions.js';
import { LocalHost, partitionFor } from '../../../local/host.js';

interface Seen {
    messages: unknown[];
    meta: Record<string, unknown>;
    retry: number;
}

/** An Event Hub function of `handler` (a batch of strings) on hub `eventHubName` (default `hub`). */
function eventHubFunction(
    handler: (messages: unknown, context: InvocationContext) => Promise<unknown>,
    over: { name?: string; eventHubName?: string; retry?: RetryOptions } = {},
): RegisteredFunction {
    return {
        name: over.name ?? 'ingest',
        trigger: 'eventHub',
        options: {
            connection: 'EventHubConnection',
            eventHubName: over.eventHubName ?? 'hub',
            cardinality: 'many',
            dataType: 'string',
            ...(over.retry === undefined ? {} : { retry: over.retry }),
            handler,
        },
    };
}

/** A timer function firing every second that records `{name} start` and `{name} end` around `work`. */
function everySecond(
    name: string,
    events: string[],
    work: () => Promise<void>,
    onTimer: (timer: Timer) => void = () => undefined,
): RegisteredFunction {
    return {
        name,
        trigger: 'timer',
        options: {
            schedule: '* * * * * *',
            handler: async (timer) => {
                events.push(`${name} start`);
                onTimer(timer);
                await work();
                events.push(`${name} end`);
            },
        },
    };
}

/** An ingest that records each batch's size and holds its first batch until `release` (a partition kept busy). */
function firstBatchHeld(): { fn: RegisteredFunction; delivered: number[]; release: () => void } {
    const delivered: number[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const fn = eventHubFunction(async (messages) => {
        delivered.push((messages as unknown[]).length);
        if (delivered.length === 1) await held;
    });
    return { fn, delivered, release };
}

/** An ingest on hub `%HUB%` that records what it sees and fails its first `failTimes` attempts (2 retries). */
function eventHubFn(seen: Seen[], failTimes = 0): RegisteredFunction {
    let failures = 0;
    return eventHubFunction(
        (messages, context) => {
            seen.push({
                messages: messages as unknown[],
                meta: context.triggerMetadata ?? {},
                retry: context.retryContext?.retryCount ?? 0,
            });
            if (failures++ < failTimes) throw new Error('sink down');
            return Promise.resolve({ n: (messages as unknown[]).length });
        },
        {
            name: 'ingestTest',
            eventHubName: '%HUB%',
            retry: {
                strategy: 'exponentialBackoff',
                maxRetryCount: 2,
                minimumInterval: 1,
                maximumInterval: 4,
            },
        },
    );
}

let host: LocalHost | undefined;
afterEach(async () => {
    await host?.stop();
    host = undefined;
});

describe('LocalHost', () => {
    it('assigns a key to the same partition every time', () => {
        expect(partitionFor('366123456', 4)).toBe(partitionFor('366123456', 4));
        const spread = new Set(
            Array.from({ length: 200 }, (_, i) => partitionFor(String(200_000_000 + i), 4)),
        );
        expect(spread.size).toBe(4);
    });

    it('delivers batches per partition with the worker-shaped metadata', async () => {
        // Arrange
        const seen: Seen[] = [];
        host = new LocalHost([eventHubFn(seen)], {
            partitions: 2,
            maxBatchSize: 3,
            batchWindowMs: 5,
            settings: { HUB: 'ais-raw' },
        });
        // Act
        host.publish(
            Array.from({ length: 7 }, (_, i) => ({
                body: i % 2 ? `line ${i}` : `{"i":${i}}`,
                partitionKey: 'same-key',
            })),
        );
        await host.idle();
        // Assert: one partition, batches of at most 3, sequence numbers continue across batches
        expect(seen.map((s) => s.messages.length)).toEqual([3, 3, 1]);
        expect(seen.flatMap((s) => s.meta.sequenceNumberArray as number[])).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(seen[0]?.meta.partitionContext).toMatchObject({
            eventHubName: 'ais-raw',
            partitionId: String(partitionFor('same-key', 2)),
        });
        expect(seen[0]?.messages).toEqual([{ i: 0 }, 'line 1', { i: 2 }]); // the worker JSON-parses string bodies
        expect(typeof (seen[0]?.meta.enqueuedTimeUtcArray as string[])[0]).toBe('string');
        expect(host.stats).toMatchObject({ published: 7, delivered: 7, batches: 3, failedBatches: 0 });
    });

    it('retries a failing batch under the retry policy, then succeeds with the same batch', async () => {
        const seen: Seen[] = [];
        host = new LocalHost([eventHubFn(seen, 2)], {
            partitions: 1,
            batchWindowMs: 1,
            sleep: () => Promise.resolve(),
            log: () => undefined,
        });
        host.publish([{ body: 'a', partitionKey: 'k' }]);
        await host.idle();
        expect(seen.map((s) => s.retry)).toEqual([0, 1, 2]);
        expect(seen.map((s) => s.meta.sequenceNumberArray)).toEqual([[0], [0], [0]]);
        expect(host.stats).toMatchObject({ retries: 2, failedBatches: 0 });
    });

    it('skips (checkpoints) a batch once the retries are spent, as the real trigger does', async () => {
        const seen: Seen[] = [];
        const logs: string[] = [];
        host = new LocalHost([eventHubFn(seen, 99)], {
            partitions: 1,
            batchWindowMs: 1,
            sleep: () => Promise.resolve(),
            log: (_l, _f, m) => logs.push(m),
        });
        host.publish([{ body: 'a', partitionKey: 'k' }]);
        await host.idle();
        host.publish([{ body: 'b', partitionKey: 'k' }]);
        await host.idle();
        expect(host.stats.failedBatches).toBe(2);
        expect(seen.at(-1)?.meta.sequenceNumberArray).toEqual([1]);
        expect(logs.some((l) => l.includes('skipped'))).toBe(true);
    });

    it('counts what is pending per hub (queued and in flight), and says when what was published to some hubs is processed while another is busy', async () => {
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const fn = (name: string, hub: string, wait?: Promise<void>): RegisteredFunction =>
            eventHubFunction(
                async () => {
                    await wait;
                    return {};
                },
                { name, eventHubName: hub },
            );
        host = new LocalHost([fn('slow', 'ais', gate), fn('fast', 'sensors')], {
            partitions: 1,
            maxBatchSize: 2,
            batchWindowMs: 1,
        });
        host.publish(
            Array.from({ length: 5 }, (_, i) => ({ body: `a${i}`, partitionKey: 'k' })),
            'ais',
        );
        host.publish(
            Array.from({ length: 3 }, (_, i) => ({ body: `s${i}`, partitionKey: 'k' })),
            'sensors',
        );
        expect(host.pending('ais')).toBe(5);
        expect(host.pending('sensors')).toBe(3);
        expect(host.pending('nobody')).toBe(0);
        await host.drained(['sensors'], 5);
        expect(host.pending('sensors')).toBe(0);
        expect(host.pending('ais')).toBe(5); // 2 in the blocked batch, 3 queued
        // what is published after the call does not hold it up
        const drained = host.drained(['ais'], 5);
        host.publish([{ body: 'late', partitionKey: 'k' }], 'ais');
        release();
        await drained;
        await host.drained(['ais', 'sensors'], 5);
        expect(host.stats).toMatchObject({ published: 9, delivered: 9 });
    });

    it('serves HTTP routes with parameters and 404s unknown ones', async () => {
        const fn: RegisteredFunction = {
            name: 'getThing',
            trigger: 'http',
            options: {
                route: 'things/{id}',
                methods: ['GET'],
                handler: (request: HttpRequest) =>
                    Promise.resolve({
                        status: 200,
                        jsonBody: { id: request.params.id, q: request.query.get('q') },
                    }),
            },
        };
        host = new LocalHost([fn], { port: 0 });
        const port = await host.start();
        const ok = await fetch(`http://127.0.0.1:${port}/api/things/42?q=x`);
        expect(ok.status).toBe(200);
        expect(await ok.json()).toEqual({ id: '42', q: 'x' });
        const missing = await fetch(`http://127.0.0.1:${port}/api/nothing`);
        expect(missing.status).toBe(404);
    });

    it('fires a timer whose next occurrence is more than 24.8 days away only when it is due (no timeout overflow)', async () => {
        // Without care, Node fires a setTimeout longer than 2^31-1 ms at once, again and again.
        jest.useFakeTimers({ now: Date.parse('2026-03-01T00:00:00Z') });
        try {
            const fired: string[] = [];
            const fn: RegisteredFunction = {
                name: 'yearly',
                trigger: 'timer',
                // 00:00:00 on 1 January: 306 days after the fake now.
                options: {
                    schedule: '0 0 0 1 1 *',
                    handler: () => Promise.resolve(void fired.push(new Date().toISOString())),
                },
            };
            host = new LocalHost([fn]);
            await host.start();
            await jest.advanceTimersByTimeAsync(30 * 86_400_000);
            expect(fired).toEqual([]);
            await jest.advanceTimersByTimeAsync(Date.parse('2027-01-01T00:00:00Z') - Date.now() + 1000);
            expect(fired).toEqual(['2027-01-01T00:00:00.000Z']);
        } finally {
            await host?.stop();
            host = undefined;
            jest.useRealTimers();
        }
    });

    it('settle lets a timer run in progress finish and fires no timer after it (no run against stopped services)', async () => {
        // A timer run still going at Ctrl-C (a gold build) used to meet the stopped services: ECONNREFUSED.
        let release: () => void = () => undefined;
        const gate = new Promise<void>((r) => (release = r));
        const events: string[] = [];
        const fn: RegisteredFunction = {
            name: 'everySecond',
            trigger: 'timer',
            options: {
                schedule: '* * * * * *',
                handler: async () => {
                    events.push('start');
                    await gate;
                    events.push('end');
                },
            },
        };
        host = new LocalHost([fn]);
        await host.start();
        while (events.length === 0) await new Promise((r) => setTimeout(r, 20));
        const settled = host.settle(10_000);
        await new Promise((r) => setTimeout(r, 100));
        expect(events).toEqual(['start']); // settle waits for the run
        release();
        expect(await settled).toEqual({ running: 0, abandonedTimerRuns: 0, abandonedTimers: [] });
        expect(events).toEqual(['start', 'end']);
        await new Promise((r) => setTimeout(r, 1_500)); // the every-second schedule does not fire again
        expect(events).toEqual(['start', 'end']);
    });

    it('runs the exclusive timers one at a time (a fire waits for the run in progress), the others alongside', async () => {
        // The local stack's gold builds, compliance check and compaction all fire at second 0: run together, their
        // working sets added up in the one process.
        const events: string[] = [];
        const pastDue: boolean[] = [];
        let release: () => void = () => undefined;
        const gate = new Promise<void>((r) => (release = r));
        const timerFn = (name: string, work: () => Promise<void>): RegisteredFunction =>
            everySecond(name, events, work, (timer) => {
                if (name === 'b') pastDue.push(timer.isPastDue);
            });
        host = new LocalHost(
            [
                timerFn('a', () => gate),
                timerFn('b', () => Promise.resolve()),
                timerFn('free', () => Promise.resolve()),
            ],
            { exclusiveTimers: ['a', 'b'] },
        );
        await host.start();
        while (!events.includes('a start')) await new Promise((r) => setTimeout(r, 20));
        // 'free' fires every second meanwhile; 'b' waits for 'a' (whichever of the two fired first runs first)
        // (three: 'b' then waits over a second, so it runs past due)
        while (events.filter((e) => e === 'free end').length < 3) await new Promise((r) => setTimeout(r, 50));
        const beforeRelease = events.filter((e) => e.startsWith('a ') || e.startsWith('b '));
        // 'a' holds the gate; 'b' ran before it only if its timer fired first in that second
        expect(beforeRelease.filter((e) => e.endsWith('start')).length).toBe(
            beforeRelease[0] === 'b start' ? 2 : 1,
        );
        expect(beforeRelease.filter((e) => e.endsWith('end'))).toEqual(
            beforeRelease[0] === 'b start' ? ['b end'] : [],
        );
        release();
        while (!events.includes('b end') || !events.includes('a end'))
            await new Promise((r) => setTimeout(r, 20));
        // never two exclusive runs at once
        let running = 0;
        for (const e of events.filter((x) => !x.startsWith('free'))) {
            running += e.endsWith('start') ? 1 : -1;
            expect(running).toBeLessThanOrEqual(1);
        }
        // 'b' fired while 'a' held the gate for over a second: past due when it ran
        if (events.indexOf('b start') > events.indexOf('a start')) expect(pastDue[0]).toBe(true);
        expect(await host.settle(5_000)).toMatchObject({ abandonedTimerRuns: 0 });
    });

    it('an exclusive timer run waiting at the stop never starts; runningJobs names the run at work, not the one waiting; onTimerRunSettled hears of each run', async () => {
        const events: string[] = [];
        let release: () => void = () => undefined;
        const gate = new Promise<void>((r) => (release = r));
        const timerFn = (name: string, work: () => Promise<void>): RegisteredFunction =>
            everySecond(name, events, work);
        const settledRuns: string[] = [];
        host = new LocalHost([timerFn('a', () => gate), timerFn('b', () => Promise.resolve())], {
            exclusiveTimers: ['a', 'b'],
            onTimerRunSettled: (name) => settledRuns.push(name),
        });
        await host.start();
        while (!events.includes('a start')) await new Promise((r) => setTimeout(r, 20));
        // 'b' fires within the second and waits behind 'a'
        await new Promise((r) => setTimeout(r, 1_100));
        expect(host.runningJobs).toEqual(['a']);
        const settled = host.settle(5_000);
        release();
        expect(await settled).toMatchObject({ abandonedTimerRuns: 0 });
        await new Promise((r) => setTimeout(r, 100));
        expect(events.slice(events.indexOf('a start'))).toEqual(['a start', 'a end']);
        expect(host.runningJobs).toEqual([]);
        // told once the run has settled, after it left runningJobs; never for the run that never started
        expect(settledRuns.at(-1)).toBe('a');
        expect(settledRuns.filter((n) => n === 'b').length).toBe(events.filter((e) => e === 'b end').length);
    });

    it('settle reports a timer run that outlasts its deadline', async () => {
        let started = false;
        const fn: RegisteredFunction = {
            name: 'slow',
            trigger: 'timer',
            options: {
                schedule: '* * * * * *',
                handler: () => {
                    started = true;
                    return new Promise<void>(() => undefined);
                },
            },
        };
        host = new LocalHost([fn]);
        await host.start();
        while (!started) await new Promise((r) => setTimeout(r, 20));
        expect(await host.settle(50)).toEqual({
            running: 0,
            abandonedTimerRuns: 1,
            abandonedTimers: ['slow'],
        });
    });

    it('settle waits for a timer run at most timerGraceMs, even with a longer deadline; its failure after that is logged as left behind, not as an error', async () => {
        // A gold build can take a minute: Ctrl-C must not wait for it (its run ledger lease covers the cut-off).
        let started = false;
        let fail: (e: Error) => void = () => undefined;
        const logs: string[] = [];
        const fn: RegisteredFunction = {
            name: 'build',
            trigger: 'timer',
            options: {
                schedule: '* * * * * *',
                handler: () => {
                    started = true;
                    return new Promise<void>((_, reject) => (fail = reject));
                },
            },
        };
        host = new LocalHost([fn], {
            timerGraceMs: 100,
            log: (level, name, message) => logs.push(`${level} ${name} ${message}`),
        });
        await host.start();
        while (!started) await new Promise((r) => setTimeout(r, 20));
        const t0 = Date.now();
        expect(await host.settle(30_000)).toEqual({
            running: 0,
            abandonedTimerRuns: 1,
            abandonedTimers: ['build'],
        });
        expect(Date.now() - t0).toBeLessThan(10_000); // (the grace is 100 ms; far below the 30 s deadline)
        fail(new Error('connect ECONNREFUSED'));
        await new Promise((r) => setTimeout(r, 20));
        expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
        expect(logs.some((l) => /^warn build \(left running at the stop.*ECONNREFUSED/.test(l))).toBe(true);
    });

    it('flush delivers what is queued without waiting for the batch window (a finite source that is done)', async () => {
        const delivered: number[] = [];
        const fn = eventHubFunction((messages) => {
            delivered.push((messages as unknown[]).length);
            return Promise.resolve();
        });
        host = new LocalHost([fn], { batchWindowMs: 60_000 });
        host.publish([
            { body: 'a', partitionKey: '1' },
            { body: 'b', partitionKey: '1' },
        ]);
        await new Promise((r) => setTimeout(r, 50));
        expect(delivered).toEqual([]); // still gathering (a minute's window)
        host.flush();
        await host.idle();
        expect(delivered).toEqual([2]);
    });

    it('a partition busy with a batch gathers the next one for its window too, not just what queued meanwhile', async () => {
        // Arrange: the first batch is held until released; one event arrives while it runs, two more soon after it
        const { fn, delivered, release } = firstBatchHeld();
        host = new LocalHost([fn], { partitions: 1, batchWindowMs: 1_000 });
        host.publish([{ body: 'a', partitionKey: 'k' }]);
        while (delivered.length === 0) await new Promise((r) => setTimeout(r, 5));

        // Act
        host.publish([{ body: 'b', partitionKey: 'k' }]);
        release();
        await new Promise((r) => setTimeout(r, 20));
        host.publish([
            { body: 'c', partitionKey: 'k' },
            { body: 'd', partitionKey: 'k' },
        ]);
        await host.idle();

        // Assert: b, c and d went as one batch (delivering b alone at once gave [1, 1, 2])
        expect(delivered).toEqual([1, 3]);
    });

    it('after flush a busy partition delivers what queued meanwhile without waiting for its window', async () => {
        const { fn, delivered, release } = firstBatchHeld();
        host = new LocalHost([fn], { partitions: 1, batchWindowMs: 60_000 });
        host.publish([{ body: 'a', partitionKey: 'k' }]);
        host.flush();
        while (delivered.length === 0) await new Promise((r) => setTimeout(r, 5));
        host.publish([{ body: 'b', partitionKey: 'k' }]);
        release();
        await host.idle(); // a minute's window would time the test out
        expect(delivered).toEqual([1, 1]);
    });

    it('a hub with its own batch window gathers for that long; the other hubs keep the host window', async () => {
        const delivered: string[] = [];
        const ais = eventHubFunction(
            (messages) => {
                delivered.push(`ais ${(messages as unknown[]).length}`);
                return Promise.resolve();
            },
            { name: 'ais', eventHubName: 'ais' },
        );
        const sensors = eventHubFunction(
            (messages) => {
                delivered.push(`sensors ${(messages as unknown[]).length}`);
                return Promise.resolve();
            },
            { name: 'sensors', eventHubName: 'sensors' },
        );
        host = new LocalHost([ais, sensors], {
            partitions: 1,
            batchWindowMs: 1,
            hubBatchWindowMs: { sensors: 60_000 },
        });
        host.publish([{ body: 's1', partitionKey: '1' }], 'sensors');
        host.publish([{ body: 'a1', partitionKey: '1' }], 'ais');
        host.publish([{ body: 's2', partitionKey: '2' }], 'sensors');
        while (delivered.length === 0) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 50));
        expect(delivered).toEqual(['ais 1']); // the sensor hub is still gathering (a minute's window)
        host.flush();
        await host.idle();
        expect(delivered).toEqual(['ais 1', 'sensors 2']);
    });

    it('settle waits for batches being processed until its deadline, past the timer grace', async () => {
        let release: () => void = () => undefined;
        const gate = new Promise<void>((r) => (release = r));
        let started = false;
        const fn = eventHubFunction(async () => {
            started = true;
            await gate;
        });
        host = new LocalHost([fn], { timerGraceMs: 10, batchWindowMs: 1 });
        host.publish([{ body: 'x', partitionKey: '1' }]);
        while (!started) await new Promise((r) => setTimeout(r, 5));
        const settled = host.settle(10_000);
        await new Promise((r) => setTimeout(r, 200));
        release();
        expect(await settled).toEqual({ running: 0, abandonedTimerRuns: 0, abandonedTimers: [] });
        expect(host.stats.delivered).toBe(1);
    });
});
