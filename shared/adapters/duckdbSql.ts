/** Quoting for the SQL the DuckDB adapters build (the gold engine, the silver compactor). */
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
