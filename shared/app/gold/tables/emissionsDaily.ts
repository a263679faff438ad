/**
 * `emissions_daily`: fuel and emissions per vessel and day, bottom-up per fix interval with the IMO Fourth GHG Study
 * method (`shared/domain/emissions`, the model and its tests live there). This module holds the table's schema, the
 * SQL that gathers the model's inputs from silver (vessel facts, fuel-flow readings) and the row mapping.
 */
import type { EmissionsDailyRow } from '../../../domain/emissions/index.js';
import type { ParquetColumn } from '../../ports.js';
import { type DayWindow, sqlTimestamp } from '../window.js';

export const EMISSIONS_DAILY_TABLE = 'emissions_daily';

export const EMISSIONS_DAILY_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'imo', type: 'INT32' },
    { name: 'partial', type: 'BOOLEAN' },
    { name: 'source', type: 'STRING' },
    { name: 'particulars', type: 'STRING' },
    { name: 'ghg_ship_type', type: 'STRING' },
    { name: 'cii_ship_type', type: 'STRING' },
    { name: 'dwt', type: 'DOUBLE' },
    { name: 'gt', type: 'DOUBLE' },
    { name: 'hours_modelled', type: 'DOUBLE' },
    { name: 'hours_in_seca', type: 'DOUBLE' },
    { name: 'hours_berth', type: 'DOUBLE' },
    { name: 'hours_anchor', type: 'DOUBLE' },
    { name: 'hours_manoeuvring', type: 'DOUBLE' },
    { name: 'hours_sea', type: 'DOUBLE' },
    { name: 'intervals', type: 'INT32' },
    { name: 'fuel_main_t', type: 'DOUBLE' },
    { name: 'fuel_auxiliary_t', type: 'DOUBLE' },
    { name: 'fuel_boiler_t', type: 'DOUBLE' },
    { name: 'fuel_total_t', type: 'DOUBLE' },
    { name: 'fuel_in_seca_t', type: 'DOUBLE' },
    { name: 'fuel_by_type_t', type: 'JSON' },
    { name: 'co2_t', type: 'DOUBLE' },
    { name: 'sox_t', type: 'DOUBLE' },
    { name: 'nox_t', type: 'DOUBLE' },
    { name: 'pm_t', type: 'DOUBLE' },
    { name: 'ch4_t', type: 'DOUBLE' },
    { name: 'n2o_t', type: 'DOUBLE' },
    { name: 'model_fuel_total_t', type: 'DOUBLE' },
    { name: 'sensor_coverage', type: 'DOUBLE' },
];

/** Per vessel: what AIS says about its size and type (the model estimates particulars from it without a file row). */
export function vesselFactsSql(w: DayWindow): string {
    return `
SELECT mmsi,
       max_by(imo, CASE WHEN imo IS NOT NULL THEN event_time END) AS imo,
       max_by(ship_type, CASE WHEN ship_type IS NOT NULL THEN event_time END) AS ship_type,
       MAX(length) AS length_m,
       MAX(width) AS beam_m,
       MAX(draught) AS draught_m
FROM (
    SELECT mmsi, event_time, imo, ship_type, length, width, draught FROM ais_positions
    WHERE event_time >= ${sqlTimestamp(w.start)} AND event_time < ${sqlTimestamp(w.cut)}
    UNION ALL
    SELECT mmsi, event_time, imo, ship_type, length, width, draught FROM ais_static
    WHERE event_time < ${sqlTimestamp(w.cut)}
) facts
GROUP BY mmsi`;
}

/** Fuel mass-flow readings (kg/h) of the window, by vessel and meter. */
export function fuelFlowSql(w: DayWindow): string {
    return `
SELECT mmsi, CAST(unix_millis(event_time) AS DOUBLE) AS t, value AS kg_per_hour, sensor_id
FROM sensor_readings
WHERE quantity = 'fuel_mass_flow' AND unit = 'kg/h' AND mmsi IS NOT NULL AND value IS NOT NULL
  AND event_time >= ${sqlTimestamp(w.start)} AND event_time < ${sqlTimestamp(w.cut)}
ORDER BY mmsi, sensor_id, t`;
}

export function toEmissionsRow(r: EmissionsDailyRow, partial: boolean): Record<string, unknown> {
    return {
        date: r.date,
        mmsi: r.mmsi,
        imo: r.imo,
        partial,
        source: r.source,
        particulars: r.particulars,
        ghg_ship_type: r.shipType,
        cii_ship_type: r.ciiShipType,
        dwt: r.dwt,
        gt: r.gt,
        hours_modelled: r.hoursModelled,
        hours_in_seca: r.hoursInSeca,
        hours_berth: r.hoursByMode.berth,
        hours_anchor: r.hoursByMode.anchor,
        hours_manoeuvring: r.hoursByMode.manoeuvring,
        hours_sea: r.hoursByMode.sea,
        intervals: r.intervals,
        fuel_main_t: r.fuelMainT,
        fuel_auxiliary_t: r.fuelAuxiliaryT,
        fuel_boiler_t: r.fuelBoilerT,
        fuel_total_t: r.fuelTotalT,
        fuel_in_seca_t: r.fuelInSecaT,
        fuel_by_type_t: r.fuelByType,
        co2_t: r.co2T,
        sox_t: r.soxT,
        nox_t: r.noxT,
        pm_t: r.pmT,
        ch4_t: r.ch4T,
        n2o_t: r.n2oT,
        model_fuel_total_t: r.modelFuelTotalT,
        sensor_coverage: r.sensorCoverage,
    };
}
