import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import type { DailyJobSettings } from '../../../shared/app/gold/dailyJob.js';
import {
    runSensorHourlyTimer,
    SENSOR_HOURLY_JOB,
    type SensorHourlyDeps,
} from '../../../shared/app/gold/sensorHourlyJob.js';
import { dayStart } from '../../../shared/app/gold/window.js';
import { type GoldTestStores, openGoldTestStores } from '../../helpers/goldTestStores.js';
import { type TestDatabase, type TestLake } from '../../helpers/localServices.js';
import { readGoldParquet } from './goldParquet.js';
import { writeSilverSensorReadings } from './silverFactory.js';

// Builds on Azurite and the Cosmos-protocol server take seconds each on a shared machine.
jest.setTimeout(240_000);

const H = 3_600_000;
const TODAY = '2026-08-05';
const YESTERDAY = '2026-08-04';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const settings: DailyJobSettings = { graceMs: 2 * H, horizonDays: 1, maxWindows: 5, leaseMs: 600_000 };

let lake: TestLake;
let db: TestDatabase;
let deps: SensorHourlyDeps;
let now = dayStart(TODAY) + 8 * H;

beforeAll(async () => {
    let stores: GoldTestStores['stores'];
    ({ lake, db, stores } = await openGoldTestStores('goldsensor'));
    deps = {
        ...stores,
        clock: { now: () => now },
        logger: quiet,
    };
    // Yesterday 06:00: twenty exhaust temperatures of 100 and one of 500 degrees. Today 03:00: three readings.
    const t0 = dayStart(YESTERDAY);
    const temps = [...Array<number>(20).fill(100), 500].map((value, i) => ({
        t: t0 + 6 * H + i * 60_000,
        value,
    }));
    await writeSilverSensorReadings(lake.lake, 1001, 'exhaust-1', 'exhaust_temperature', 'degC', temps);
    const t1 = dayStart(TODAY);
    await writeSilverSensorReadings(
        lake.lake,
        1001,
        'exhaust-1',
        'exhaust_temperature',
        'degC',
        [10, 20, 30].map((value, i) => ({ t: t1 + 3 * H + i * 60_000, value })),
    );
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

describe('buildSensorHourly timer', () => {
    it('builds yesterday final and today partial once under a double fire, then only today at the next fire', async () => {
        // Act: two fires at once.
        const [a, b] = await Promise.all([
            runSensorHourlyTimer(deps, settings, 'fire-a'),
            runSensorHourlyTimer(deps, settings, 'fire-b'),
        ]);
        // Assert: each day built by exactly one of them.
        const built = [...a.windows, ...b.windows].filter((w) => w.outcome === 'built').map((w) => w.day);
        expect(built.sort()).toEqual([YESTERDAY, TODAY]);
        const hourly = await readGoldParquet(
            lake.lake,
            `sensor_hourly/date=${YESTERDAY}/part-0-of-1.parquet`,
        );
        expect(hourly).toHaveLength(1);
        expect(hourly[0]).toMatchObject({
            mmsi: 1001,
            sensor_id: 'exhaust-1',
            count: 21,
            min: 100,
            max: 500,
            anomaly_count: 1,
            partial: false,
        });
        expect(hourly[0]!.mean as number).toBeCloseTo(2500 / 21, 9);
        const today = await readGoldParquet(lake.lake, `sensor_hourly/date=${TODAY}/part-0-of-1.parquet`);
        expect(today).toEqual([expect.objectContaining({ count: 3, mean: 20, partial: true })]);
        expect((await deps.runs.get(SENSOR_HOURLY_JOB, YESTERDAY))?.partial).toBe(false);

        // Act: the next fire an hour later.
        now += H;
        const c = await runSensorHourlyTimer(deps, settings, 'fire-c');
        // Assert: only today (partial) is due; a second fire at once finds nothing to do.
        expect(c.due).toEqual([TODAY]);
        expect((await runSensorHourlyTimer(deps, settings, 'fire-c2')).due).toEqual([]);
    });

    it('rebuilds a final day whose readings changed (late data), replacing its rows', async () => {
        // Arrange: a late reading of yesterday 06:30 in a new silver file. Blob Last-Modified has one-second resolution:
        // a file written in the same second as the newest file the last build read would not look newer (a known limit
        // of the watermark rule, in the README), so the late file comes a second later, as late data does.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        await writeSilverSensorReadings(lake.lake, 1001, 'exhaust-2', 'exhaust_temperature', 'degC', [
            { t: dayStart(YESTERDAY) + 6.5 * H, value: 120 },
        ]);
        // Act: a fire ten minutes later.
        now += 10 * 60_000;
        const fire = await runSensorHourlyTimer(deps, settings, 'fire-d');
        // Assert
        expect(fire.due).toEqual([YESTERDAY, TODAY]);
        const hourly = await readGoldParquet(
            lake.lake,
            `sensor_hourly/date=${YESTERDAY}/part-0-of-1.parquet`,
        );
        expect(hourly.map((r) => [r.sensor_id, r.count])).toEqual([
            ['exhaust-1', 21],
            ['exhaust-2', 1],
        ]);
        expect((await deps.runs.get(SENSOR_HOURLY_JOB, YESTERDAY))?.attempts).toBe(2);
    });
});
