/**
 * Backfill: rebuilds gold for a range of days from silver (the `buildGold` tables and `sensor_hourly`), oldest
 * first, each day claimed in the run ledger like a timer run (so it is safe while the timers run: a day a timer is
 * building is reported busy, not built twice).
 */
import { ValidationError } from '../../errors.js';
import {
    buildGoldWindow,
    type GoldJobDeps,
    type GoldJobSettings,
    type GoldWindowOutcome,
} from './runGoldJob.js';
import { buildSensorHourlyWindow } from './sensorHourlyJob.js';
import { daysBetween, isDay } from './window.js';

export const MAX_BACKFILL_DAYS = 366;

export interface BackfillProgress {
    done: number;
    total: number;
    outcome: GoldWindowOutcome;
    seconds: number;
}

export interface BackfillSummary {
    days: number;
    built: number;
    busy: string[];
    rows: Record<string, number>;
    seconds: number;
}

export async function backfillGold(
    deps: GoldJobDeps,
    settings: GoldJobSettings,
    range: { from: string; to: string },
    owner: string,
    onProgress: (p: BackfillProgress) => void = () => undefined,
): Promise<BackfillSummary> {
    for (const [name, value] of Object.entries(range)) {
        if (!isDay(value)) throw new ValidationError(`--${name} must be a date YYYY-MM-DD; got '${value}'`);
    }
    if (range.from > range.to) throw new ValidationError('--from must not be after --to');
    const days = daysBetween(range.from, range.to);
    if (days.length > MAX_BACKFILL_DAYS)
        throw new ValidationError(`at most ${MAX_BACKFILL_DAYS} days per backfill; split the range`);
    const started = performance.now();
    const summary: BackfillSummary = { days: days.length, built: 0, busy: [], rows: {}, seconds: 0 };
    for (const [i, day] of days.entries()) {
        const t0 = performance.now();
        const outcome = await buildGoldWindow(deps, settings, day, owner, { force: true });
        const sensors = await buildSensorHourlyWindow(deps, settings, day, owner, { force: true });
        if (outcome.outcome === 'built') {
            summary.built++;
            for (const s of outcome.summaries) {
                for (const [table, n] of Object.entries(s.rows))
                    summary.rows[table] = (summary.rows[table] ?? 0) + n;
            }
        } else {
            summary.busy.push(day);
        }
        if (sensors.outcome === 'built') {
            for (const s of sensors.summaries)
                summary.rows.sensor_hourly = (summary.rows.sensor_hourly ?? 0) + s.rows;
        } else if (!summary.busy.includes(day)) {
            summary.busy.push(day);
        }
        onProgress({ done: i + 1, total: days.length, outcome, seconds: (performance.now() - t0) / 1000 });
    }
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
}
