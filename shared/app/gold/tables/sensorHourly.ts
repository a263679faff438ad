/**
 * `sensor_hourly`: statistics per vessel, sensor, quantity and UTC hour from silver `sensor_readings` (values in the
 * canonical unit of the quantity). `anomaly_count` counts the readings more than 3 standard deviations from their
 * hour's mean (a batch measure over the hour, not the live detector's running statistics).
 */
import type { ParquetColumn } from '../../ports.js';
import { type DayWindow, sqlTimestamp } from '../window.js';

export const SENSOR_HOURLY_TABLE = 'sensor_hourly';

export const SENSOR_HOURLY_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'hour', type: 'TIMESTAMP_MILLIS' },
    { name: 'vessel_key', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'imo', type: 'INT32' },
    { name: 'sensor_id', type: 'STRING' },
    { name: 'quantity', type: 'STRING' },
    { name: 'unit', type: 'STRING' },
    { name: 'count', type: 'INT64' },
    { name: 'mean', type: 'DOUBLE' },
    { name: 'min', type: 'DOUBLE' },
    { name: 'max', type: 'DOUBLE' },
    { name: 'stddev', type: 'DOUBLE' },
    { name: 'p95', type: 'DOUBLE' },
    { name: 'anomaly_count', type: 'INT64' },
    { name: 'partial', type: 'BOOLEAN' },
];

export function sensorHourlySql(w: DayWindow): string {
    return `
WITH readings AS (
    SELECT vessel_key, mmsi, imo, sensor_id, quantity, unit, value, date_trunc('hour', event_time) AS hour
    FROM sensor_readings
    WHERE event_time >= ${sqlTimestamp(w.start)} AND event_time < ${sqlTimestamp(w.cut)} AND value IS NOT NULL
),
hourly AS (
    SELECT vessel_key, sensor_id, quantity, hour, AVG(value) AS hour_mean, STDDEV_SAMP(value) AS hour_sd
    FROM readings
    GROUP BY vessel_key, sensor_id, quantity, hour
)
SELECT '${w.day}' AS date,
       unix_millis(r.hour) AS hour,
       r.vessel_key, MAX(r.mmsi) AS mmsi, MAX(r.imo) AS imo, r.sensor_id, r.quantity, MAX(r.unit) AS unit,
       COUNT(*) AS count,
       AVG(r.value) AS mean, MIN(r.value) AS min, MAX(r.value) AS max,
       STDDEV_SAMP(r.value) AS stddev,
       percentile_approx(r.value, 0.95) AS p95,
       SUM(CASE WHEN h.hour_sd > 0 AND ABS(r.value - h.hour_mean) > 3 * h.hour_sd THEN 1 ELSE 0 END) AS anomaly_count,
       ${w.partial ? 'TRUE' : 'FALSE'} AS partial
FROM readings r
JOIN hourly h ON h.vessel_key = r.vessel_key AND h.sensor_id = r.sensor_id AND h.quantity = r.quantity AND h.hour = r.hour
GROUP BY r.vessel_key, r.sensor_id, r.quantity, r.hour
ORDER BY r.vessel_key, r.sensor_id, r.quantity, r.hour`;
}
