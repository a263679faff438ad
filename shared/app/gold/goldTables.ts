/**
 * The gold tables: name, columns (the Parquet schema under `gold/{table}/date=.../`) and, for the tables the API
 * serves, the deterministic Cosmos id of a row. Readers of gold (the compliance checks, notebooks, Spark) rely on
 * these schemas; the README documents every column with its unit.
 */
import type { ParquetColumn } from '../ports.js';
import { FLEET_DAILY_COLUMNS, FLEET_DAILY_TABLE } from './fleetSummary.js';
import type { GoldTableSpec } from './goldOutput.js';
import { DQ_DAILY_COLUMNS, DQ_DAILY_TABLE } from './tables/dqDaily.js';
import { EMISSIONS_DAILY_COLUMNS, EMISSIONS_DAILY_TABLE } from './tables/emissionsDaily.js';
import { SENSOR_HOURLY_COLUMNS, SENSOR_HOURLY_TABLE } from './tables/sensorHourly.js';
import { VESSEL_DAILY_COLUMNS, VESSEL_DAILY_TABLE } from './tables/vesselDaily.js';

export const VESSEL_DAILY_SPEC: GoldTableSpec = {
    table: VESSEL_DAILY_TABLE,
    columns: VESSEL_DAILY_COLUMNS,
    toDocument: (row) => ({
        id: `vessel_daily-${String(row.mmsi)}-${String(row.date)}`,
        mmsi: row.mmsi as number,
    }),
};

const PORT_CALL_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'locode', type: 'STRING' },
    { name: 'port_name', type: 'STRING' },
    { name: 'arrival', type: 'TIMESTAMP_MILLIS' },
    { name: 'departure', type: 'TIMESTAMP_MILLIS' },
    { name: 'hours_in_port', type: 'DOUBLE' },
    { name: 'anchor_hours_before', type: 'DOUBLE' },
    { name: 'max_gap_hours', type: 'DOUBLE' },
    { name: 'status', type: 'STRING' },
];

/** `port_calls`: calls that ended (departed) on the day; `date` is the departure day. */
export const PORT_CALLS_SPEC: GoldTableSpec = {
    table: 'port_calls',
    columns: PORT_CALL_COLUMNS,
    toDocument: (row) => ({
        id: `port_call-${String(row.mmsi)}-${String(row.locode)}-${String(row.arrival)}`,
        mmsi: row.mmsi as number,
    }),
};

/** `port_calls_open`: calls still open at the end of the day (the day's build carries them to the next day). */
export const PORT_CALLS_OPEN_SPEC: GoldTableSpec = {
    table: 'port_calls_open',
    columns: PORT_CALL_COLUMNS,
    toDocument: (row) => ({
        id: `port_call_open-${String(row.mmsi)}-${String(row.date)}`,
        mmsi: row.mmsi as number,
    }),
};

/** `voyages`: from one call's departure to the next call's arrival; `date` is the arrival day. */
export const VOYAGES_SPEC: GoldTableSpec = {
    table: 'voyages',
    columns: [
        { name: 'date', type: 'STRING' },
        { name: 'mmsi', type: 'INT32' },
        { name: 'from_locode', type: 'STRING' },
        { name: 'to_locode', type: 'STRING' },
        { name: 'departure', type: 'TIMESTAMP_MILLIS' },
        { name: 'arrival', type: 'TIMESTAMP_MILLIS' },
        { name: 'duration_hours', type: 'DOUBLE' },
        { name: 'distance_nm', type: 'DOUBLE' },
        { name: 'port_distance_nm', type: 'DOUBLE' },
        { name: 'detour_ratio', type: 'DOUBLE' },
        { name: 'mean_speed_kn', type: 'DOUBLE' },
        { name: 'anchor_hours_before_arrival', type: 'DOUBLE' },
        { name: 'reported_destination', type: 'STRING' },
        { name: 'destination_match', type: 'BOOLEAN' },
        { name: 'reported_eta', type: 'TIMESTAMP_MILLIS' },
        { name: 'eta_reported_at', type: 'TIMESTAMP_MILLIS' },
        { name: 'eta_error_hours', type: 'DOUBLE' },
    ],
    toDocument: (row) => ({
        id: `voyage-${String(row.mmsi)}-${String(row.departure)}`,
        mmsi: row.mmsi as number,
    }),
};

/** `emissions_daily`: fuel and emissions per vessel and day (IMO Fourth GHG Study method). */
export const EMISSIONS_DAILY_SPEC: GoldTableSpec = {
    table: EMISSIONS_DAILY_TABLE,
    columns: EMISSIONS_DAILY_COLUMNS,
    toDocument: (row) => ({
        id: `emissions_daily-${String(row.mmsi)}-${String(row.date)}`,
        mmsi: row.mmsi as number,
    }),
};

/** `sensor_hourly`: per vessel, sensor, quantity and hour (Parquet only: no endpoint serves it yet). */
export const SENSOR_HOURLY_SPEC: GoldTableSpec = {
    table: SENSOR_HOURLY_TABLE,
    columns: SENSOR_HOURLY_COLUMNS,
};

/** `fleet_daily`: the day's fleet summary (one row, served under mmsi 0). */
export const FLEET_DAILY_SPEC: GoldTableSpec = {
    table: FLEET_DAILY_TABLE,
    columns: FLEET_DAILY_COLUMNS,
    toDocument: (row) => ({ id: `fleet_daily-${String(row.date)}`, mmsi: 0 }),
};

/** `dq_daily`: data quality per layer, source and day (fleet-wide rows, served under mmsi 0). */
export const DQ_DAILY_SPEC: GoldTableSpec = {
    table: DQ_DAILY_TABLE,
    columns: DQ_DAILY_COLUMNS,
    toDocument: (row) => ({
        id: `dq_daily-${String(row.date)}-${String(row.layer)}-${String(row.source)}`,
        mmsi: 0,
    }),
};

export const GOLD_TABLES: readonly GoldTableSpec[] = [
    SENSOR_HOURLY_SPEC,
    FLEET_DAILY_SPEC,
    DQ_DAILY_SPEC,
    VESSEL_DAILY_SPEC,
    EMISSIONS_DAILY_SPEC,
    PORT_CALLS_SPEC,
    PORT_CALLS_OPEN_SPEC,
    VOYAGES_SPEC,
];
