import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { queryFleetSummary } from '../../../shared/app/gold/goldQueries.js';
import {
    GOLD_JOB,
    type GoldJobDeps,
    type GoldJobSettings,
    runGoldTimer,
} from '../../../shared/app/gold/runGoldJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import { lineageRunId, type OpenLineageRunEvent, traceGoldDay } from '../../../shared/app/lineage.js';
import { createPortIndex } from '../../../shared/domain/gold/ports.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import { type GoldTestStores, openGoldTestStores } from '../../helpers/goldTestStores.js';
import { type TestDatabase, type TestLake } from '../../helpers/localServices.js';
import { steadyTrack, writeSilverPositions } from './silverFactory.js';

// Builds on Azurite and the Cosmos-protocol server take seconds each on a shared machine.
jest.setTimeout(240_000);

const H = 3_600_000;
const TODAY = '2026-06-10';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const settings: GoldJobSettings = {
    graceMs: 2 * H,
    horizonDays: 3,
    maxWindows: 2,
    leaseMs: 10 * 60_000,
    shards: 1,
};

let lake: TestLake;
let db: TestDatabase;
let deps: GoldJobDeps;
const lineageEvents: OpenLineageRunEvent[] = [];
let now = dayStart(TODAY) + 10 * H;

beforeAll(async () => {
    let stores: GoldTestStores['stores'];
    ({ lake, db, stores } = await openGoldTestStores('goldtimer'));
    deps = {
        ...stores,
        zones: createZoneIndex(),
        ports: createPortIndex(),
        clock: { now: () => now },
        logger: quiet,
        lineage: { write: (e) => Promise.resolve(void lineageEvents.push(e)) },
        lakeNamespace: 'azblob://test',
    };
    // Two vessels sailing on each of the last three days and today so far.
    for (const d of ['2026-06-07', '2026-06-08', '2026-06-09', TODAY]) {
        const t0 = dayStart(d);
        await writeSilverPositions(lake.lake, [
            ...steadyTrack(2001, t0, Math.min(t0 + 24 * H, now), 15, { lat: 10, lon: 100 }, 12),
            ...steadyTrack(2002, t0, Math.min(t0 + 24 * H, now), 15, { lat: -10, lon: 60 }, 8),
        ]);
    }
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

async function dailyRows(day: string) {
    return (await deps.gold.query({ table: 'vessel_daily', fromDay: day, toDay: day, limit: 100 })).items;
}

describe('buildGold timer', () => {
    it('catches missed days up oldest first, a bounded number per fire, and builds each day once under a double fire', async () => {
        // Act: the app was down; two fires at once, then two more.
        const [a, b] = await Promise.all([
            runGoldTimer(deps, settings, 'fire-a'),
            runGoldTimer(deps, settings, 'fire-b'),
        ]);
        // Assert: the oldest days go first, and no day is built by both fires (the second one may take the next days).
        expect([a.due[0], b.due[0]]).toContain('2026-06-07');
        const built = [...a.windows, ...b.windows].filter((w) => w.outcome === 'built').map((w) => w.day);
        expect(new Set(built).size).toBe(built.length);
        expect(built).toEqual(expect.arrayContaining(['2026-06-07', '2026-06-08']));
        now += 5 * 60_000;
        const c = await runGoldTimer(deps, settings, 'fire-c');
        expect(c.due.at(-1)).toBe(TODAY);
        // Yesterday is past the grace period: final. Today is partial and rebuilt at every fire.
        expect((await deps.runs.get(GOLD_JOB, '2026-06-09'))?.partial).toBe(false);
        expect((await dailyRows(TODAY)).every((r) => r.partial === true)).toBe(true);
        now += 5 * 60_000;
        const d = await runGoldTimer(deps, settings, 'fire-d');
        expect(d.due).toEqual([TODAY]);
        expect((await dailyRows('2026-06-08')).map((r) => [r.mmsi, r.fixes])).toEqual([
            [2001, 96],
            [2002, 96],
        ]);
        const fleet = await queryFleetSummary(
            (n) => (n === 'date' ? '2026-06-08' : undefined),
            deps.gold,
            now,
        );
        const distance = (await dailyRows('2026-06-08')).reduce(
            (sum, r) => sum + (r.distance_nm as number),
            0,
        );
        expect(fleet).toMatchObject({ date: '2026-06-08', partial: false, vessels: 2 });
        expect(fleet.distance_nm as number).toBeCloseTo(distance, 5); // summed in millionths of a NM
        expect(fleet.by_ship_category).toMatchObject({ cargo: { vessels: 2 } });
    });

    it('rebuilds a day whose silver changed after its build, replacing its rows without double counting', async () => {
        // Arrange: a late batch for 2026-06-08 (a third vessel, and one more fix of vessel 2001 at 23:59).
        const t0 = dayStart('2026-06-08');
        await writeSilverPositions(
            lake.lake,
            [
                ...steadyTrack(2003, t0 + 5 * H, t0 + 6 * H, 10, { lat: 0, lon: 0 }, 5),
                { mmsi: 2001, t: t0 + 24 * H - 60_000, lat: 10, lon: 100, sog: 12 },
            ],
            7,
        );
        // Act: a fire, and a second one at once.
        now += 5 * 60_000;
        const fire = await runGoldTimer(deps, settings, 'fire-e');
        const again = await runGoldTimer(deps, settings, 'fire-f');
        // Assert
        expect(fire.due).toEqual(['2026-06-08', TODAY]);
        // The rebuild of 06-08 changed the port-call states 06-09 starts from (vessel 2003 is new): 06-09 is due;
        // today was just built and is not built again.
        expect(again.due).toEqual(['2026-06-09']);
        const rows = await dailyRows('2026-06-08');
        expect(rows.map((r) => [r.mmsi, r.fixes])).toEqual([
            [2001, 97],
            [2002, 96],
            [2003, 6],
        ]);
        const run = await deps.runs.get(GOLD_JOB, '2026-06-08');
        expect(run?.attempts).toBe(2);
        expect(run?.result).toMatchObject({ rows: { vessel_daily: 3 } });

        // Lineage: one record per built day; the newest one of 06-08 is this rebuild (attempt 2), it read the day's
        // silver hours and wrote the day's gold parts; the trace finds it.
        const trace = traceGoldDay(lineageEvents, 'vessel_daily', '2026-06-08');
        expect(trace.gold?.run.runId).toBe(lineageRunId(GOLD_JOB, '2026-06-08#2'));
        // Every gold row of the rebuild carries the run's id: a user walks from a row to its run.
        expect(rows.map((r) => r.run_id)).toEqual(rows.map(() => lineageRunId(GOLD_JOB, '2026-06-08#2')));
        expect(trace.gold?.job.name).toBe(GOLD_JOB);
        expect(trace.hours.map((h) => h.folder)).toEqual(
            Array.from(
                { length: 24 },
                (_, h) => `silver/ais_positions/date=2026-06-08/hour=${String(h).padStart(2, '0')}/`,
            ),
        );
        const outputs = trace.gold!.outputs.map((o) => [
            o.name,
            o.outputFacets?.['outputStatistics']?.['rowCount'],
        ]);
        expect(outputs).toEqual(
            expect.arrayContaining([
                ['gold/vessel_daily/date=2026-06-08/part-0-of-1.parquet', 3],
                ['gold/fleet_daily/date=2026-06-08/part-0-of-1.parquet', 1],
            ]),
        );
        expect(
            lineageEvents.filter((e) => e.run.facets['maritime']?.['window'] === '2026-06-08'),
        ).toHaveLength(2);
    });
    it("hands a fire's listing of a day to the day's build: today's silver is listed once a fire, not twice", async () => {
        now += 2 * 60_000; // today was built over a minute ago: due again
        const list = jest.spyOn(lake.lake, 'list');
        try {
            const fire = await runGoldTimer(deps, settings, 'fire-g');
            expect(fire.due).toEqual([TODAY]);
            expect(fire.windows.map((w) => w.outcome)).toEqual(['built']);
            const today = list.mock.calls.filter(
                ([container, prefix]) => container === 'silver' && prefix === `ais_positions/date=${TODAY}/`,
            );
            expect(today).toHaveLength(1);
        } finally {
            list.mockRestore();
        }
    });
});
