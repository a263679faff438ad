import type { InvocationContext, Timer } from '@azure/functions';

import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import type { DailyTimerSummary } from '../shared/app/gold/dailyJob.js';
import { runSensorHourlyTimer, type SensorHourlySummary } from '../shared/app/gold/sensorHourlyJob.js';
import type { FunctionDefinition } from './definitions.js';
import type { Runtime } from './runtime.js';

/**
 * Timer (SENSOR_HOURLY_SCHEDULE, hourly): `sensor_hourly` for today so far (partial rows), yesterday final after the
 * grace period, days with late readings rebuilt, missed days caught up; each day claimed in the run ledger first.
 */
export async function buildSensorHourly(
    rt: Runtime,
    timer: Timer,
    context: InvocationContext,
): Promise<DailyTimerSummary<SensorHourlySummary>> {
    if (timer.isPastDue) context.warn('buildSensorHourly is running late (past due)');
    return runSensorHourlyTimer(
        await rt.goldJobDeps(invocationLogger(context)),
        rt.goldSettings,
        context.invocationId,
    );
}

export const buildSensorHourlyDefinition: FunctionDefinition = {
    name: 'buildSensorHourly',
    trigger: 'timer',
    options: {
        schedule: '%SENSOR_HOURLY_SCHEDULE%',
        // Idempotent per day (ledger claim, output replaced as a whole): a retry is safe.
        retry: {
            strategy: 'exponentialBackoff',
            maxRetryCount: 3,
            minimumInterval: 10_000,
            maximumInterval: 120_000,
        },
    },
    handler: buildSensorHourly,
};
