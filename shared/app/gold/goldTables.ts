/**
 * The gold tables: name, columns (the Parquet schema under `gold/{table}/date=.../`) and, for the tables the API
 * serves, the deterministic Cosmos id of a row. Readers of gold (the compliance checks, notebooks, Spark) rely on
 * these schemas; the README documents every column with its unit.
 */
import type { GoldTableSpec } from './goldOutput.js';
import { VESSEL_DAILY_COLUMNS, VESSEL_DAILY_TABLE } from './tables/vesselDaily.js';

export const VESSEL_DAILY_SPEC: GoldTableSpec = {
    table: VESSEL_DAILY_TABLE,
    columns: VESSEL_DAILY_COLUMNS,
    toDocument: (row) => ({ id: `vessel_daily-${String(row.mmsi)}-${String(row.date)}`, mmsi: row.mmsi as number }),
};

export const GOLD_TABLES: readonly GoldTableSpec[] = [VESSEL_DAILY_SPEC];
