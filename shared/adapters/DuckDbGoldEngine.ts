/**
 * The gold SQL engine: embedded DuckDB over the silver Parquet of one window. The silver files are downloaded from
 * the lake (Blob API, so Azurite and ADLS alike) into a private temporary folder, each silver table becomes a view of
 * its name over its files (only the shard's vessels), the reference tables (ports, ...) are loaded as tables, and
 * the gold SQL runs over them. DuckDB lacks three Spark SQL functions the gold SQL uses; they are defined here as
 * macros with Spark's meaning, so the same SQL text runs on Spark unchanged.
 *
 * A table's files are read in groups of one schema (column names and types, from each file's Parquet footer):
 * DuckDB's `union_by_name` opens and holds every file's reader to unify their schemas, which over the local stack's
 * hundreds to thousands of small batch files per build cost more than the query itself (2,000 files of 500 rows:
 * peak 600 MB with it, 340 MB without, `npm run bench:gold-files`); files of one schema need no unifying, and the
 * groups (a column added later: older files lack it) are joined with UNION ALL, a missing column read as null.
 * The files are written off the main thread (`fs/promises`). With a `signal` (the host is stopping), the downloads
 * stop between files and a running query is interrupted (`connection.interrupt()`): both throw a StoppedError.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type DuckDBConnection, type DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

import type {
    GoldEngine,
    GoldSession,
    LakeReader,
    ParquetColumn,
    ParquetType,
    ReferenceTable,
    Shard,
    SilverInput,
} from '../app/ports.js';
import { DependencyError, PipelineError, stoppedError, throwIfStopped } from '../errors.js';
import { mapLimit } from './cosmosSupport.js';
import { duckDbMemoryLimit, ident, literal, loadDuckDb } from './duckdbSql.js';
import { type FileSchema, schemaOf } from './parquetSchema.js';

export { schemaOf };
import { encodeParquet } from './parquet.js';

export interface DuckDbGoldEngineOptions {
    /** DuckDB worker threads (default 1: a Functions instance is small and the timers share it). */
    threads?: number;
    /**
     * DuckDB's memory limit (default: the default of `GOLD_DUCKDB_MEMORY_LIMIT`); larger intermediate results spill
     * to the temporary folder.
     */
    memoryLimit?: string;
    /** Parent of the per-session temporary folders (default the OS temp dir). */
    tempDir?: string;
    /** Blob downloads in parallel (default 8). */
    downloadConcurrency?: number;
}

/** Spark SQL functions DuckDB does not have, defined with Spark's semantics. */
const SPARK_COMPAT_MACROS = [
    'CREATE MACRO unix_millis(ts) AS epoch_ms(ts)',
    'CREATE MACRO pmod(a, b) AS ((a % b) + b) % b',
    'CREATE MACRO percentile_approx(x, p) AS approx_quantile(x, p)',
];

const SQL_TYPE: Record<ParquetType, string> = {
    STRING: 'VARCHAR',
    DOUBLE: 'DOUBLE',
    INT32: 'INTEGER',
    INT64: 'BIGINT',
    BOOLEAN: 'BOOLEAN',
    TIMESTAMP_MILLIS: 'TIMESTAMP',
    JSON: 'VARCHAR',
};

export class DuckDbGoldEngine implements GoldEngine {
    readonly #lake: LakeReader;
    readonly #options: DuckDbGoldEngineOptions;

    constructor(lake: LakeReader, options: DuckDbGoldEngineOptions = {}) {
        this.#lake = lake;
        this.#options = options;
    }

    /** DuckDB's memory limit of each session (the option, else `GOLD_DUCKDB_MEMORY_LIMIT`'s default). */
    get memoryLimit(): string {
        return duckDbMemoryLimit(this.#options.memoryLimit, 'GOLD_DUCKDB_MEMORY_LIMIT');
    }

    async open(
        inputs: readonly SilverInput[],
        shard: Shard,
        references: readonly ReferenceTable[] = [],
        options: { signal?: AbortSignal } = {},
    ): Promise<GoldSession> {
        const { signal } = options;
        throwIfStopped(signal, 'gold build');
        const dir = mkdtempSync(join(this.#options.tempDir ?? tmpdir(), 'gold-'));
        let instance: DuckDBInstance | undefined;
        try {
            instance = await (
                await loadDuckDb()
            ).DuckDBInstance.create(':memory:', {
                threads: String(this.#options.threads ?? 1),
                memory_limit: this.memoryLimit,
                temp_directory: join(dir, 'spill'),
            });
            const connection = await instance.connect();
            for (const macro of SPARK_COMPAT_MACROS) await connection.run(macro);
            for (const input of inputs) await this.#createView(connection, dir, input, shard, signal);
            for (const reference of references) {
                const file = join(dir, `ref-${reference.name}.parquet`);
                writeFileSync(file, encodeParquet(reference));
                await connection.run(
                    `CREATE TABLE ${ident(reference.name)} AS SELECT * FROM read_parquet(${literal(file)})`,
                );
            }
            throwIfStopped(signal, 'gold build');
            return new DuckDbSession(instance, connection, dir, signal);
        } catch (error) {
            instance?.closeSync();
            rmSync(dir, { recursive: true, force: true });
            throw error;
        }
    }

    async #createView(
        connection: DuckDBConnection,
        dir: string,
        input: SilverInput,
        shard: Shard,
        signal: AbortSignal | undefined,
    ): Promise<void> {
        const tableDir = join(dir, input.table);
        mkdirSync(tableDir, { recursive: true });
        // Each file is written as soon as it is downloaded: memory holds at most `downloadConcurrency` files.
        const files = await mapLimit(input.files, this.#options.downloadConcurrency ?? 8, async (blob) => {
            throwIfStopped(signal, 'gold build');
            const file = join(tableDir, blob.path.replace(/[^A-Za-z0-9=._-]/g, '_'));
            const bytes = await this.#lake.readBytes('silver', blob.path);
            await writeFile(file, bytes);
            return { file, schema: schemaOf(bytes) };
        });
        // Tables without vessels (the ingest's batch records) are not split: every shard sees all of them.
        const sharded = shard.count > 1 && input.columns.some((c) => c.name === 'mmsi');
        const filter = sharded ? ` WHERE pmod(mmsi, ${shard.count}) = ${shard.index}` : '';
        if (files.length === 0) {
            // No files: an empty view with the table's columns, so the SQL runs the same.
            const columns = input.columns.map((c) => nullColumn(c)).join(', ');
            await connection.run(`CREATE VIEW ${ident(input.table)} AS SELECT ${columns} WHERE 1 = 0`);
            return;
        }
        const selects = schemaGroups(files).map((group) => {
            const list = group.files.map((f) => literal(f)).join(', ');
            // A footer that did not parse: DuckDB reads the file itself (and names the problem if it cannot).
            if (group.columns === undefined) {
                return `SELECT ${projection(input.columns)} FROM read_parquet([${list}], union_by_name = true)${filter}`;
            }
            const present = group.columns;
            const columns = input.columns
                .map((c) => (present.has(c.name) ? ident(c.name) : nullColumn(c)))
                .join(', ');
            return `SELECT ${columns} FROM read_parquet([${list}])${filter}`;
        });
        await connection.run(`CREATE VIEW ${ident(input.table)} AS ${selects.join(' UNION ALL ')}`);
    }
}

/** A declared column that a file lacks (written before the column was added): null of the column's type. */
function nullColumn(c: ParquetColumn): string {
    return `CAST(NULL AS ${SQL_TYPE[c.type]}) AS ${ident(c.name)}`;
}

/** The files in groups of one schema, in order of first appearance; files whose footer did not parse form one group. */
export function schemaGroups(
    files: readonly { file: string; schema: FileSchema | undefined }[],
): { files: string[]; columns: ReadonlySet<string> | undefined }[] {
    const groups = new Map<string, { files: string[]; columns: ReadonlySet<string> | undefined }>();
    for (const { file, schema } of files) {
        const key = schema === undefined ? '\0unparsed' : schema.key;
        let group = groups.get(key);
        if (group === undefined) groups.set(key, (group = { files: [], columns: schema?.columns }));
        group.files.push(file);
    }
    return [...groups.values()];
}

class DuckDbSession implements GoldSession {
    /** Interrupts the running query when the signal is aborted (the host is stopping). */
    readonly #onAbort: () => void;

    constructor(
        private readonly instance: DuckDBInstance,
        private readonly connection: DuckDBConnection,
        private readonly dir: string,
        private readonly signal: AbortSignal | undefined,
    ) {
        this.#onAbort = () => connection.interrupt();
        signal?.addEventListener('abort', this.#onAbort, { once: true });
    }

    async query(sql: string): Promise<Record<string, unknown>[]> {
        const rows: Record<string, unknown>[] = [];
        await this.stream(sql, (columns, rowCount) => {
            const names = Object.keys(columns);
            for (let i = 0; i < rowCount; i++) {
                const row: Record<string, unknown> = {};
                for (const name of names) row[name] = columns[name]![i];
                rows.push(row);
            }
        });
        return rows;
    }

    async stream(
        sql: string,
        onChunk: (columns: Record<string, unknown[]>, rowCount: number) => void,
    ): Promise<number> {
        let total = 0;
        throwIfStopped(this.signal, 'gold SQL');
        try {
            const result = await this.connection.stream(sql);
            const names = result.columnNames();
            for (;;) {
                const chunk = await result.fetchChunk();
                if (chunk === null || chunk.rowCount === 0) break;
                // One array per column, converted straight from the vector (the pass reads millions of rows).
                const columns: Record<string, unknown[]> = {};
                const n = chunk.rowCount;
                for (let c = 0; c < names.length; c++) {
                    const vector = chunk.getColumnVector(c);
                    const values = new Array<unknown>(n);
                    for (let i = 0; i < n; i++) values[i] = toPlain(vector.getItem(i));
                    columns[names[c]!] = values;
                }
                onChunk(columns, chunk.rowCount);
                total += chunk.rowCount;
            }
            // An interrupted stream may end as if done: its rows are not the whole answer.
            throwIfStopped(this.signal, 'gold SQL');
        } catch (error) {
            // Interrupted by the stop (or failing because of it): a stop, not a failure of the SQL.
            if (this.signal?.aborted === true) throw stoppedError(this.signal, 'gold SQL');
            if (error instanceof PipelineError) throw error;
            const message = error instanceof Error ? error.message : String(error);
            // Out of memory or disk is an infrastructure failure (a retry on a fresh instance may pass).
            if (/out of memory|no space/i.test(message))
                throw new DependencyError(`gold SQL failed: ${message}`, { cause: error });
            throw new PipelineError(`gold SQL failed: ${message}`, { cause: error });
        }
        return total;
    }

    close(): Promise<void> {
        this.signal?.removeEventListener('abort', this.#onAbort);
        try {
            this.connection.closeSync();
            this.instance.closeSync();
        } finally {
            rmSync(this.dir, { recursive: true, force: true });
        }
        return Promise.resolve();
    }
}

/** DuckDB values to plain JS: BIGINT → number, TIMESTAMP/DATE → epoch ms, the rest as they are. */
function toPlain(value: DuckDBValue): unknown {
    if (
        value === null ||
        typeof value === 'number' ||
        typeof value === 'string' ||
        typeof value === 'boolean'
    )
        return value;
    if (typeof value === 'bigint') return Number(value);
    const v = value as { micros?: bigint; days?: number; toString(): string };
    if (typeof v.micros === 'bigint') return Number(v.micros / 1000n);
    if (typeof v.days === 'number') return v.days * 86_400_000;
    return v.toString();
}

function projection(columns: readonly ParquetColumn[]): string {
    return columns.map((c) => ident(c.name)).join(', ');
}
