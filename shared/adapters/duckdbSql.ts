/** Quoting for the SQL the DuckDB adapters build (the gold engine, the silver compactor), and the module itself, loaded lazily. */
import { PipelineError } from '../errors.js';

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
