/**
 * Silver table schemas: typed, enriched records as Parquet, one table per record kind (rows: silverRows.ts).
 * Column names are snake_case (the lake's convention, friendly to Spark/DuckDB/Synapse).
 */
import type { ParquetColumn } from './ports.js';

const lineage: ParquetColumn[] = [
    { name: 'source_format', type: 'STRING' },
    { name: 'station', type: 'STRING' },
    { name: 'eh_partition', type: 'STRING' },
    { name: 'eh_sequence', type: 'INT64' },
    { name: 'eh_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'ingest_time', type: 'TIMESTAMP_MILLIS' },
];

const vesselIdentity: ParquetColumn[] = [
    { name: 'mmsi', type: 'INT32' },
    { name: 'mmsi_class', type: 'STRING' },
    { name: 'flag', type: 'STRING' },
    { name: 'flag_country', type: 'STRING' },
    { name: 'msg_type', type: 'INT32' },
    { name: 'ais_class', type: 'STRING' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    /** receiver (NMEA receiver stamp), record (CSV/JSON time) or arrival (Event Hub enqueued time). */
    { name: 'event_time_source', type: 'STRING' },
];

export const POSITIONS_TABLE = 'ais_positions';
export const STATIC_TABLE = 'ais_static';
export const MESSAGES_TABLE = 'ais_messages';

export const POSITION_COLUMNS: readonly ParquetColumn[] = [
    ...vesselIdentity,
    { name: 'lat', type: 'DOUBLE' },
    { name: 'lon', type: 'DOUBLE' },
    { name: 'sog', type: 'DOUBLE' },
    { name: 'cog', type: 'DOUBLE' },
    { name: 'heading', type: 'INT32' },
    { name: 'rot', type: 'DOUBLE' },
    { name: 'nav_status', type: 'INT32' },
    { name: 'nav_status_text', type: 'STRING' },
    { name: 'accuracy', type: 'BOOLEAN' },
    { name: 'h3_cell', type: 'STRING' },
    { name: 'name', type: 'STRING' },
    { name: 'imo', type: 'INT32' },
    { name: 'call_sign', type: 'STRING' },
    { name: 'ship_type', type: 'INT32' },
    { name: 'ship_type_text', type: 'STRING' },
    { name: 'ship_category', type: 'STRING' },
    { name: 'length', type: 'DOUBLE' },
    { name: 'width', type: 'DOUBLE' },
    { name: 'draught', type: 'DOUBLE' },
    { name: 'destination', type: 'STRING' },
    { name: 'distance_nm', type: 'DOUBLE' },
    { name: 'elapsed_s', type: 'DOUBLE' },
    { name: 'implied_speed_kn', type: 'DOUBLE' },
    { name: 'flags', type: 'STRING' },
    ...lineage,
];

export const STATIC_COLUMNS: readonly ParquetColumn[] = [
    ...vesselIdentity,
    { name: 'part', type: 'STRING' },
    { name: 'imo', type: 'INT32' },
    { name: 'call_sign', type: 'STRING' },
    { name: 'name', type: 'STRING' },
    { name: 'ship_type', type: 'INT32' },
    { name: 'ship_type_text', type: 'STRING' },
    { name: 'ship_category', type: 'STRING' },
    { name: 'to_bow', type: 'INT32' },
    { name: 'to_stern', type: 'INT32' },
    { name: 'to_port', type: 'INT32' },
    { name: 'to_starboard', type: 'INT32' },
    { name: 'length', type: 'DOUBLE' },
    { name: 'width', type: 'DOUBLE' },
    { name: 'draught', type: 'DOUBLE' },
    { name: 'destination', type: 'STRING' },
    { name: 'eta', type: 'STRING' },
    { name: 'flags', type: 'STRING' },
    ...lineage,
];

export const MESSAGE_COLUMNS: readonly ParquetColumn[] = [
    ...vesselIdentity,
    { name: 'fields', type: 'JSON' },
    ...lineage,
];

export const SENSOR_READINGS_TABLE = 'sensor_readings';

export const SENSOR_COLUMNS: readonly ParquetColumn[] = [
    { name: 'vessel_key', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'imo', type: 'INT32' },
    { name: 'sensor_id', type: 'STRING' },
    { name: 'quantity', type: 'STRING' },
    { name: 'value', type: 'DOUBLE' },
    { name: 'unit', type: 'STRING' },
    { name: 'raw_value', type: 'DOUBLE' },
    { name: 'raw_unit', type: 'STRING' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'lat', type: 'DOUBLE' },
    { name: 'lon', type: 'DOUBLE' },
    { name: 'position_source', type: 'STRING' },
    { name: 'position_offset_s', type: 'DOUBLE' },
    { name: 'zones', type: 'STRING' },
    { name: 'flags', type: 'STRING' },
    { name: 'eh_partition', type: 'STRING' },
    { name: 'eh_sequence', type: 'INT64' },
    { name: 'eh_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'ingest_time', type: 'TIMESTAMP_MILLIS' },
];

export const MAINTENANCE_EVENTS_TABLE = 'maintenance_events';

export const MAINTENANCE_COLUMNS: readonly ParquetColumn[] = [
    { name: 'event_id', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'equipment_id', type: 'STRING' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'kind', type: 'STRING' },
    { name: 'note', type: 'STRING' },
    { name: 'eh_partition', type: 'STRING' },
    { name: 'eh_sequence', type: 'INT64' },
    { name: 'eh_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'ingest_time', type: 'TIMESTAMP_MILLIS' },
];
