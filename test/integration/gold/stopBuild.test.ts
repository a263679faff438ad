/**
 * A gold build stopped by its host (the local stack's Ctrl-C, the Functions host's shutdown: `Runtime.stopRuns`
 * aborts the deps' signal) on Azurite and the Cosmos-protocol server: the running DuckDB query is interrupted, nothing
 * of the stopped build is visible (the day's gold rows and Parquet parts are the previous build's), the run is logged
 * as stopped (no FAIL lineage), left `running` with its lease handed back, and the next fire builds the day.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import { GOLD_JOB, type GoldJobDeps, runGoldTimer } from '../../../shared/app/gold/runGoldJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import { lineageRunId, type OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import type { GoldEngine, GoldSession } from '../../../shared/app/ports.js';
import { createPortIndex } from '../../../shared/domain/gold/ports.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import { StoppedError } from '../../../shared/errors.js';
import { type GoldTestStores, openGoldTestStores } from '../../helpers/goldTestStores.js';
import type { TestDatabase, TestLake } from '../../helpers/localServices.js';
import { steadyTrack, writeSilverPositions } from './silverFactory.js';

jest.setTimeout(240_000);

const H = 3_600_000;
const DAY = '2026-06-09';
const TODAY = '2026-06-10';
const settings = { graceMs: 2 * H, horizonDays: 1, maxWindows: 2, leaseMs: 10 * 60_000, shards: 1 };

let lake: TestLake;
let db: TestDatabase;
let stores: GoldTestStores['stores'];
let now = dayStart(TODAY) + 10 * H;
const lineage: OpenLineageRunEvent[] = [];
const warnings: string[] = [];
const logger = {
    debug() {},
    info() {},
    warn: (m: string) => void warnings.push(m),
    error: (m: string) => void warnings.push(`ERROR ${m}`),
};

function deps(extra: Partial<GoldJobDeps> = {}): GoldJobDeps {
    return {
        ...stores,
        zones: createZoneIndex(),
        ports: createPortIndex(),
        clock: { now: () => now },
        logger,
        lineage: { write: (e) => Promise.resolve(void lineage.push(e)) },
        lakeNamespace: 'azblob://test',
        ...extra,
    };
}

/**
 * The real engine, whose sessions abort `controller` once the vessel pass has its first chunk of fixes: the stop
 * comes while a DuckDB query streams, as a Ctrl-C in the middle of a build does.
 */
function stoppingEngine(real: GoldEngine, controller: AbortController): GoldEngine {
    return {
        async open(inputs, shard, references, options) {
            const session = await real.open(inputs, shard, references, options);
            const wrapped: GoldSession = {
                query: (sql) => session.query(sql),
                stream: (sql, onChunk) =>
                    session.stream(sql, (columns, n) => {
                        controller.abort(new StoppedError('the test stops the host'));
                        onChunk(columns, n);
                    }),
                close: () => session.close(),
            };
            return wrapped;
        },
    };
}

async function dayRows(day: string) {
    const rows = (await stores.gold.query({ table: 'vessel_daily', fromDay: day, toDay: day, limit: 100 }))
        .items;
    return rows.map((r) => [r.mmsi, r.run_id]);
}

/** The run ids in the day's vessel_daily Parquet part, as a reader of the lake sees them. */
async function lakeRunIds(day: string): Promise<unknown[]> {
    const bytes = await lake.lake.readBytes('gold', `vessel_daily/date=${day}/part-0-of-1.parquet`);
    const rows = (await parquetReadObjects({
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    })) as Record<string, unknown>[];
    return rows.map((r) => [Number(r['mmsi']), r['run_id']]);
}

beforeAll(async () => {
    ({ lake, db, stores } = await openGoldTestStores('goldstop'));
    const t0 = dayStart(DAY);
    await writeSilverPositions(lake.lake, [
        ...steadyTrack(3001, t0, t0 + 24 * H, 10, { lat: 10, lon: 100 }, 12),
        ...steadyTrack(3002, t0, t0 + 24 * H, 10, { lat: -10, lon: 60 }, 8),
    ]);
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

describe('a gold build stopped by its host', () => {
    it('leaves the previous build visible, is logged as stopped with its lease handed back, and the next fire builds the day', async () => {
        // Arrange: the day built once; then late data (a third vessel) makes it due again.
        const first = await runGoldTimer(deps(), settings, 'fire-1');
        expect(first.windows.find((w) => w.day === DAY)?.outcome).toBe('built');
        const firstRun = lineageRunId(GOLD_JOB, `${DAY}#1`);
        const before = [
            [3001, firstRun],
            [3002, firstRun],
        ];
        expect(await dayRows(DAY)).toEqual(before);
        const t0 = dayStart(DAY);
        await writeSilverPositions(
            lake.lake,
            steadyTrack(3003, t0 + 5 * H, t0 + 7 * H, 10, { lat: 0, lon: 0 }, 5),
            7,
        );
        now += 5 * 60_000;
        const eventsBefore = lineage.length;

        // Act: a fire whose host stops while the build's vessel pass streams from DuckDB.
        const controller = new AbortController();
        const stopped = await runGoldTimer(
            deps({ engine: stoppingEngine(stores.engine, controller), signal: controller.signal }),
            settings,
            'fire-2',
        );

        // Assert: stopped, not failed; the fire took no further day; nothing of it is visible.
        expect(controller.signal.aborted).toBe(true);
        expect(stopped.windows).toEqual([{ day: DAY, outcome: 'stopped' }]);
        expect(await dayRows(DAY)).toEqual(before);
        expect(await lakeRunIds(DAY)).toEqual(before);
        const run = await stores.runs.get(GOLD_JOB, DAY);
        expect(run).toMatchObject({ status: 'running', attempts: 2, owner: 'fire-2' });
        expect(run?.stoppedAt).toBe(now);
        expect(run?.leaseUntil).toBeLessThanOrEqual(now);
        expect(run?.error).toBeUndefined();
        expect(lineage.slice(eventsBefore)).toEqual([]);
        expect(warnings.filter((w) => w.startsWith('ERROR'))).toEqual([]);
        expect(warnings.some((w) => w.includes(`${GOLD_JOB} ${DAY}: stopped`))).toBe(true);

        // Act: the next start's fire (its lease was handed back: no wait for it to run out).
        now += 60_000;
        const next = await runGoldTimer(deps(), settings, 'fire-3');

        // Assert: the day is built with the late vessel, under the third claim.
        expect(next.windows.find((w) => w.day === DAY)?.outcome).toBe('built');
        const thirdRun = lineageRunId(GOLD_JOB, `${DAY}#3`);
        const after = [
            [3001, thirdRun],
            [3002, thirdRun],
            [3003, thirdRun],
        ];
        expect(await dayRows(DAY)).toEqual(after);
        expect(await lakeRunIds(DAY)).toEqual(after);
        const done = await stores.runs.get(GOLD_JOB, DAY);
        expect(done).toMatchObject({ status: 'succeeded', attempts: 3 });
        expect(done?.stoppedAt).toBeUndefined();
    });

    it('a fire whose host is already stopping claims nothing', async () => {
        const controller = new AbortController();
        controller.abort(new StoppedError('stopping'));
        now += 5 * 60_000;
        const summary = await runGoldTimer(deps({ signal: controller.signal }), settings, 'fire-4');
        expect(summary.windows).toEqual([]);
        expect((await stores.runs.get(GOLD_JOB, TODAY))?.owner).not.toBe('fire-4');
    });
});
