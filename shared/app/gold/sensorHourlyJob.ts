/**
 * The `buildSensorHourly` job: `sensor_hourly` for a UTC day, on its own timer and run ledger job beside `buildGold`
 * (sensor statistics do not wait for the AIS build, and the maintenance features read them). A daily job
 * (`dailyJob.ts`): today so far is rebuilt at every fire (rows `partial`), yesterday is finalised after the grace
 * period, days whose `sensor_readings` changed (late readings) are rebuilt, missed days are caught up oldest first.
 * One session per day over that day's readings only; not sharded (readings are a small part of the lake, and
 * readings keyed by IMO have no MMSI to shard on).
 */
import { throwIfStopped } from '../../errors.js';
import type { BlobInfo, GoldEngine, GoldStore } from '../ports.js';
import { SENSOR_COLUMNS, SENSOR_READINGS_TABLE } from '../silverTables.js';
import {
    buildDailyWindow,
    type DailyJob,
    type DailyJobDeps,
    type DailyJobSettings,
    type DailyTimerSummary,
    FireListings,
    runDailyTimer,
    silverHourFolders,
} from './dailyJob.js';
import { type GoldLake, goldPartPath, writeGoldTable } from './goldOutput.js';
import { SENSOR_HOURLY_SPEC } from './goldTables.js';
import { silverFiles, watermarkOf } from './silverFiles.js';
import { sensorHourlySql } from './tables/sensorHourly.js';
import type { DayWindow } from './window.js';

export const SENSOR_HOURLY_JOB = 'buildSensorHourly';

export interface SensorHourlyDeps extends DailyJobDeps {
    lake: GoldLake;
    engine: GoldEngine;
    gold: GoldStore;
}

export interface SensorHourlySummary {
    day: string;
    partial: boolean;
    rows: number;
    silverFiles: number;
    seconds: number;
}

const WHOLE = { index: 0, count: 1 };

export function sensorHourlyJob(deps: SensorHourlyDeps): DailyJob<SensorHourlySummary> {
    // The fire's listing of a day for its watermark is the build's too, while fresh (`FireListings`).
    const listings = new FireListings<BlobInfo[]>(deps.clock);
    const list = (w: DayWindow): Promise<BlobInfo[]> =>
        silverFiles(deps.lake, SENSOR_READINGS_TABLE, w.start, w.end);
    return {
        name: SENSOR_HOURLY_JOB,
        inputWatermark: async (w) => watermarkOf(await listings.keep(w.day, () => list(w))),
        build: async (w) => {
            const started = performance.now();
            const files = listings.take(w.day) ?? (await list(w));
            const { signal } = deps;
            throwIfStopped(signal, `sensor hourly ${w.day}`);
            const session = await deps.engine.open(
                [{ table: SENSOR_READINGS_TABLE, columns: SENSOR_COLUMNS, files }],
                WHOLE,
                undefined,
                signal === undefined ? {} : { signal },
            );
            let rows: Record<string, unknown>[];
            try {
                rows = await session.query(sensorHourlySql(w));
            } finally {
                await session.close();
            }
            // The last point a stop ends the build (nothing written yet).
            throwIfStopped(signal, `sensor hourly ${w.day}`);
            await writeGoldTable(deps.lake, deps.gold, SENSOR_HOURLY_SPEC, w.day, WHOLE, rows, w.runId);
            const summary = {
                day: w.day,
                partial: w.partial,
                rows: rows.length,
                silverFiles: files.length,
                seconds: (performance.now() - started) / 1000,
            };
            deps.logger.info('sensor hourly day built', { ...summary });
            return {
                inputWatermark: watermarkOf(files),
                result: { rows: { sensor_hourly: rows.length }, silverFiles: files.length },
                summaries: [summary],
                lineage: {
                    inputs: silverHourFolders(files.map((f) => f.path)),
                    outputs: [
                        {
                            container: 'gold',
                            path: goldPartPath(SENSOR_HOURLY_SPEC.table, w.day, WHOLE),
                            rows: rows.length,
                        },
                    ],
                },
            };
        },
    };
}

/** One fire of the `buildSensorHourly` timer. */
export function runSensorHourlyTimer(
    deps: SensorHourlyDeps,
    settings: DailyJobSettings,
    owner: string,
): Promise<DailyTimerSummary<SensorHourlySummary>> {
    return runDailyTimer(sensorHourlyJob(deps), deps, settings, owner);
}

/** Builds one day of `sensor_hourly` under the ledger (`force`: even when it is done, as the backfill does). */
export function buildSensorHourlyWindow(
    deps: SensorHourlyDeps,
    settings: DailyJobSettings,
    day: string,
    owner: string,
    options: { force?: boolean } = {},
) {
    return buildDailyWindow(sensorHourlyJob(deps), deps, settings, day, owner, options);
}
