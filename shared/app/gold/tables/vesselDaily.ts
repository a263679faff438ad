/**
 * `vessel_daily`: one row per vessel (MMSI) and UTC day. The SQL below is the table's definition; it runs on DuckDB
 * here and, unchanged, on Spark SQL over the same lake (see the README, "Gold on Spark").
 *
 * Activity rule (each fix holds until the next one, at most 30 minutes; time not held by any fix is `unknown`):
 * nav status 5 = moored; nav status 1 = at anchor; else SOG >= 0.5 kn = underway; SOG < 0.5 kn = not moving; no SOG
 * = unknown. The five hours columns add up to the window (24 h for a closed day, 00:00 to the build time for today).
 */
import type { ParquetColumn } from '../../ports.js';
import { type DayWindow, HOUR_MS, sqlTimestamp } from '../window.js';

export const VESSEL_DAILY_TABLE = 'vessel_daily';

/** A fix holds its activity until the next fix, at most this long. */
export const MAX_HOLD_MS = 30 * 60_000;
/** Below this SOG (knots) a vessel is not moving. */
export const MOVING_SOG_KN = 0.5;

export const VESSEL_DAILY_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'partial', type: 'BOOLEAN' },
    { name: 'fixes', type: 'INT64' },
    { name: 'first_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'first_lat', type: 'DOUBLE' },
    { name: 'first_lon', type: 'DOUBLE' },
    { name: 'last_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'last_lat', type: 'DOUBLE' },
    { name: 'last_lon', type: 'DOUBLE' },
    { name: 'distance_nm', type: 'DOUBLE' },
    { name: 'hours_underway', type: 'DOUBLE' },
    { name: 'hours_at_anchor', type: 'DOUBLE' },
    { name: 'hours_moored', type: 'DOUBLE' },
    { name: 'hours_not_moving', type: 'DOUBLE' },
    { name: 'hours_unknown', type: 'DOUBLE' },
    { name: 'mean_sog_kn', type: 'DOUBLE' },
    { name: 'max_sog_kn', type: 'DOUBLE' },
    { name: 'max_gap_hours', type: 'DOUBLE' },
    { name: 'hours_without_fix', type: 'INT32' },
    { name: 'eca_hours', type: 'DOUBLE' },
    { name: 'eca_distance_nm', type: 'DOUBLE' },
    { name: 'eca_zones', type: 'STRING' },
    { name: 'name', type: 'STRING' },
    { name: 'imo', type: 'INT32' },
    { name: 'flag', type: 'STRING' },
    { name: 'ship_type', type: 'INT32' },
    { name: 'ship_category', type: 'STRING' },
];

/** Great-circle distance in nautical miles between two (lat, lon) column pairs, in SQL both engines run. */
export function haversineNmSql(lat1: string, lon1: string, lat2: string, lon2: string): string {
    return (
        `2 * 3440.065 * ASIN(LEAST(1.0, SQRT(POWER(SIN(RADIANS(${lat2} - ${lat1}) / 2), 2) + ` +
        `COS(RADIANS(${lat1})) * COS(RADIANS(${lat2})) * POWER(SIN(RADIANS(${lon2} - ${lon1}) / 2), 2))))`
    );
}

/** The fixes of the window, one per vessel and time (a fix heard twice counts once). */
export function windowFixesSql(w: DayWindow): string {
    return `
    SELECT mmsi, t, lat, lon, sog, nav_status, jump, draught, name, imo, flag, ship_type, ship_category
    FROM (
        SELECT mmsi, unix_millis(event_time) AS t, lat, lon, sog, nav_status, draught,
               CASE WHEN flags LIKE '%IMPLAUSIBLE_JUMP%' THEN 1 ELSE 0 END AS jump,
               name, imo, flag, ship_type, ship_category,
               ROW_NUMBER() OVER (PARTITION BY mmsi, event_time ORDER BY eh_partition, eh_sequence) AS copy
        FROM ais_positions
        WHERE event_time >= ${sqlTimestamp(w.start)} AND event_time < ${sqlTimestamp(w.cut)}
          AND lat IS NOT NULL AND lon IS NOT NULL
    ) f
    WHERE copy = 1`;
}

export function vesselDailySql(w: DayWindow): string {
    const activity = `CASE WHEN nav_status = 5 THEN 'moored' WHEN nav_status = 1 THEN 'at_anchor'
                  WHEN sog >= ${MOVING_SOG_KN} THEN 'underway' WHEN sog IS NOT NULL THEN 'not_moving' ELSE 'unknown' END`;
    const hours = (a: string) => `SUM(CASE WHEN activity = '${a}' THEN held_ms ELSE 0 END) / ${HOUR_MS}.0`;
    const windowHours = (w.cut - w.start) / HOUR_MS;
    return `
WITH fixes AS (${windowFixesSql(w)}),
intervals AS (
    SELECT fixes.*,
           LEAST(COALESCE(LEAD(t) OVER (PARTITION BY mmsi ORDER BY t), ${w.cut}) - t, ${MAX_HOLD_MS}) AS held_ms,
           COALESCE(LEAD(t) OVER (PARTITION BY mmsi ORDER BY t), ${w.cut}) - t AS gap_after_ms,
           CAST(FLOOR((t - ${w.start}) / ${HOUR_MS}) AS INT) AS hour_of_day,
           ${activity} AS activity
    FROM fixes
),
moves AS (
    SELECT mmsi, lat, lon,
           LAG(lat) OVER (PARTITION BY mmsi ORDER BY t) AS prev_lat,
           LAG(lon) OVER (PARTITION BY mmsi ORDER BY t) AS prev_lon
    FROM fixes
    WHERE jump = 0
),
distances AS (
    SELECT mmsi, SUM(${haversineNmSql('prev_lat', 'prev_lon', 'lat', 'lon')}) AS distance_nm
    FROM moves
    WHERE prev_lat IS NOT NULL
    GROUP BY mmsi
),
daily AS (
    SELECT mmsi,
           COUNT(*) AS fixes,
           MIN(t) AS first_time, min_by(lat, t) AS first_lat, min_by(lon, t) AS first_lon,
           MAX(t) AS last_time, max_by(lat, t) AS last_lat, max_by(lon, t) AS last_lon,
           ${hours('underway')} AS hours_underway,
           ${hours('at_anchor')} AS hours_at_anchor,
           ${hours('moored')} AS hours_moored,
           ${hours('not_moving')} AS hours_not_moving,
           ${hours('unknown')} AS hours_unknown_held,
           AVG(sog) AS mean_sog_kn,
           MAX(sog) AS max_sog_kn,
           MAX(gap_after_ms) AS max_gap_after_ms,
           COUNT(DISTINCT hour_of_day) AS hours_with_fix,
           max_by(name, CASE WHEN name IS NOT NULL THEN t END) AS name,
           max_by(imo, CASE WHEN imo IS NOT NULL THEN t END) AS imo,
           max_by(flag, CASE WHEN flag IS NOT NULL THEN t END) AS flag,
           max_by(ship_type, CASE WHEN ship_type IS NOT NULL THEN t END) AS ship_type,
           max_by(ship_category, CASE WHEN ship_category IS NOT NULL THEN t END) AS ship_category
    FROM intervals
    GROUP BY mmsi
),
statics AS (
    SELECT mmsi,
           max_by(name, CASE WHEN name IS NOT NULL THEN event_time END) AS name,
           max_by(imo, CASE WHEN imo IS NOT NULL THEN event_time END) AS imo,
           max_by(ship_type, CASE WHEN ship_type IS NOT NULL THEN event_time END) AS ship_type,
           max_by(ship_category, CASE WHEN ship_category IS NOT NULL THEN event_time END) AS ship_category
    FROM ais_static
    WHERE event_time < ${sqlTimestamp(w.cut)}
    GROUP BY mmsi
)
SELECT '${w.day}' AS date,
       d.mmsi,
       ${w.partial ? 'TRUE' : 'FALSE'} AS partial,
       d.fixes,
       d.first_time, d.first_lat, d.first_lon, d.last_time, d.last_lat, d.last_lon,
       COALESCE(x.distance_nm, 0.0) AS distance_nm,
       d.hours_underway, d.hours_at_anchor, d.hours_moored, d.hours_not_moving,
       ${windowHours} - d.hours_underway - d.hours_at_anchor - d.hours_moored - d.hours_not_moving AS hours_unknown,
       d.mean_sog_kn, d.max_sog_kn,
       GREATEST(d.max_gap_after_ms, d.first_time - ${w.start}) / ${HOUR_MS}.0 AS max_gap_hours,
       CAST(${Math.ceil(windowHours)} - d.hours_with_fix AS INT) AS hours_without_fix,
       COALESCE(d.name, s.name) AS name,
       COALESCE(d.imo, s.imo) AS imo,
       d.flag,
       COALESCE(d.ship_type, s.ship_type) AS ship_type,
       COALESCE(d.ship_category, s.ship_category) AS ship_category
FROM daily d
LEFT JOIN distances x ON x.mmsi = d.mmsi
LEFT JOIN statics s ON s.mmsi = d.mmsi
ORDER BY d.mmsi`;
}
