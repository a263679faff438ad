/**
 * The DuckDB adapters stop when their signal is aborted (the host is stopping, `Runtime.stopRuns`): a running query
 * is interrupted (`connection.interrupt()`) and rejects with a StoppedError, not a SQL failure; an engine asked to open
 * a session for a stopping host opens none; the compactor stops between its downloads. (The queries here would run
 * for hours if the interrupt did not work: the test would time out, it asserts no duration.)
 */
import { describe, expect, it } from '@jest/globals';

import { DuckDbGoldEngine } from '../../../shared/adapters/DuckDbGoldEngine.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import type { LakeContainer, LakeReader } from '../../../shared/app/ports.js';
import { POSITION_COLUMNS } from '../../../shared/app/silverTables.js';
import { StoppedError } from '../../../shared/errors.js';

const WHOLE = { index: 0, count: 1 };
/** 10^12 rows: hours of work, unless interrupted. */
const ENDLESS = 'SELECT sum(a.range * b.range) AS s FROM range(1000000) a, range(1000000) b';

describe('DuckDbGoldEngine under a stop', () => {
    it('interrupts a running query: it rejects with a StoppedError, and the session still closes', async () => {
        const controller = new AbortController();
        const session = await new DuckDbGoldEngine(new InMemoryLake()).open([], WHOLE, [], {
            signal: controller.signal,
        });
        try {
            const running = session.query(ENDLESS);
            setTimeout(() => controller.abort(new StoppedError('the host is stopping')), 200);
            await expect(running).rejects.toThrow(StoppedError);
            await expect(running).rejects.toThrow('the host is stopping');
            // The next query of a stopped build does not start.
            await expect(session.query('SELECT 1 AS one')).rejects.toThrow(StoppedError);
        } finally {
            await session.close();
        }
    }, 60_000);

    it('streams are interrupted too (the vessel pass)', async () => {
        const controller = new AbortController();
        const session = await new DuckDbGoldEngine(new InMemoryLake()).open([], WHOLE, [], {
            signal: controller.signal,
        });
        let chunks = 0;
        try {
            await expect(
                session.stream('SELECT range AS r FROM range(1000000000000)', () => {
                    if (++chunks === 3) controller.abort();
                }),
            ).rejects.toThrow(StoppedError);
            expect(chunks).toBeGreaterThanOrEqual(3);
        } finally {
            await session.close();
        }
    }, 60_000);

    it('opens no session for a host already stopping, and a session without a signal is unaffected', async () => {
        const controller = new AbortController();
        controller.abort();
        const engine = new DuckDbGoldEngine(new InMemoryLake());
        await expect(engine.open([], WHOLE, [], { signal: controller.signal })).rejects.toThrow(StoppedError);
        const session = await engine.open([], WHOLE);
        try {
            expect(await session.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
        } finally {
            await session.close();
        }
    });
});

describe('DuckDbSilverCompactor under a stop', () => {
    it('stops between its downloads with a StoppedError', async () => {
        const lake = new InMemoryLake();
        const files = [];
        for (let i = 0; i < 6; i++) {
            const path = `ais_positions/date=2026-05-06/hour=08/0-${i}-${i}.parquet`;
            await lake.writeParquet('silver', path, {
                columns: POSITION_COLUMNS,
                rows: [{ mmsi: 210_000_000 + i, event_time: 1_000 * i, lat: 50, lon: 3 }],
            });
            files.push({ path, lastModified: 0, size: 0 });
        }
        const controller = new AbortController();
        let reads = 0;
        const stopping: LakeReader = {
            list: (c, p) => lake.list(c, p),
            readJsonLinesGz: (c, p) => lake.readJsonLinesGz(c, p),
            readBytes: (c: LakeContainer, p: string) => {
                if (++reads === 2) controller.abort();
                return lake.readBytes(c, p);
            },
        };
        const compactor = new DuckDbSilverCompactor(stopping, { downloadConcurrency: 1 });
        await expect(
            compactor.compact({
                files,
                columns: POSITION_COLUMNS,
                sortBy: ['mmsi'],
                targetFileBytes: 1 << 20,
                rowGroupRows: 1000,
                metadata: {},
                signal: controller.signal,
            }),
        ).rejects.toThrow(StoppedError);
        expect(reads).toBe(2);
    });
});
