/** Quoting for the SQL the DuckDB adapters build (the gold engine, the silver compactor), and the module itself, loaded lazily. */
import { settingDefault } from '../config/loadConfig.js';
import { PipelineError } from '../errors.js';

/**
 * DuckDB's memory limit of an adapter: the one given (the app passes `GOLD_DUCKDB_MEMORY_LIMIT` to the gold engine,
 * `COMPACTION_DUCKDB_MEMORY_LIMIT` to the compactor), else the default of the adapter's `setting`, so an adapter
 * constructed without options (tests, benches) runs as the app does.
 */
export function duckDbMemoryLimit(
    given: string | undefined,
    setting: 'GOLD_DUCKDB_MEMORY_LIMIT' | 'COMPACTION_DUCKDB_MEMORY_LIMIT',
): string {
    return given ?? settingDefault(setting);
}

/** A column or view name, checked (names come from the schemas in code, never from input). */
export function ident(name: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new PipelineError(`not an SQL identifier: '${name}'`);
    return name;
}

/** A string literal (file paths, metadata values). */
export function literal(text: string): string {
    return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The DuckDB module, loaded on first use: its native library takes a second or more to load on a busy machine, and
 * most processes that build the runtime (`npm start`, every HTTP and ingest worker) never run the gold SQL or a
 * compaction.
 */
export function loadDuckDb(): Promise<typeof import('@duckdb/node-api')> {
    return import('@duckdb/node-api');
}
