/**
 * Silver compaction with embedded DuckDB (already the gold engine): the hour's files are downloaded into a private
 * temporary folder, read as one relation (by name, `union_by_name`, only when their schemas differ: files written
 * before a column was added still read), projected onto the table's declared schema in its order and types, sorted, and written by DuckDB's Parquet writer
 * (snappy like the batch files, so every reader of the lake, hyparquet included, reads both; row groups of the
 * requested size; min/max statistics per column chunk; split into files near the target size; the run id in each
 * file's key-value metadata). With a provenance filter (`supersede`: a rebuild wrote batches of a compacted hour again)
 * the rows of the earlier compacted files that belong to a rewritten batch (by `eh_partition` and `eh_sequence`, or for
 * the batch records of `ingest_batches` by `source` and `batch_id`) are left out, and counted. DuckDB sorts out of core (it spills to the temp folder past its memory limit), so an
 * hour larger than memory still compacts. With `request.signal` aborted (the host is stopping), the downloads stop
 * between files and a running query is interrupted: a StoppedError.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type DuckDBConnection, type DuckDBInstance } from '@duckdb/node-api';

import type {
    CompactionOutput,
    CompactionRequest,
    LakeReader,
    ParquetColumn,
    ParquetType,
    SilverCompactor,
} from '../app/ports.js';
import { PipelineError, stoppedError, throwIfStopped } from '../errors.js';
import { mapLimit } from './cosmosSupport.js';
import { duckDbMemoryLimit, ident, literal, loadDuckDb } from './duckdbSql.js';

export interface DuckDbSilverCompactorOptions {
    /** DuckDB worker threads (default 1: output order is then the sort order, and a Functions instance is small). */
    threads?: number;
    /**
     * DuckDB's memory limit (default: the default of `COMPACTION_DUCKDB_MEMORY_LIMIT`); a larger sort spills to the
     * temporary folder.
     */
    memoryLimit?: string;
    /** Parent of the per-run temporary folders (default the OS temp dir). */
    tempDir?: string;
    /** Blob downloads in parallel (default 8). */
    downloadConcurrency?: number;
}

/** The DuckDB type each declared Parquet type is cast to, so the output's Parquet types equal the batch files'. */
const CAST: Record<ParquetType, string> = {
    STRING: 'VARCHAR',
    DOUBLE: 'DOUBLE',
    INT32: 'INTEGER',
    INT64: 'BIGINT',
    BOOLEAN: 'BOOLEAN',
    // TIMESTAMP_MS is written as INT64 TIMESTAMP(MILLIS), as hyparquet-writer writes the batch files.
    TIMESTAMP_MILLIS: 'TIMESTAMP_MS',
    JSON: 'JSON',
};

export class DuckDbSilverCompactor implements SilverCompactor {
    readonly #lake: LakeReader;
    readonly #options: DuckDbSilverCompactorOptions;

    constructor(lake: LakeReader, options: DuckDbSilverCompactorOptions = {}) {
        this.#lake = lake;
        this.#options = options;
    }

    /** DuckDB's memory limit of each merge (the option, else `COMPACTION_DUCKDB_MEMORY_LIMIT`'s default). */
    get memoryLimit(): string {
        return duckDbMemoryLimit(this.#options.memoryLimit, 'COMPACTION_DUCKDB_MEMORY_LIMIT');
    }

    async compact(request: CompactionRequest): Promise<CompactionOutput> {
        if (request.files.length === 0) return { inputRows: 0, inputRowsByFile: {}, files: [] };
        const { signal } = request;
        throwIfStopped(signal, 'compaction');
        const dir = mkdtempSync(join(this.#options.tempDir ?? tmpdir(), 'compact-'));
        let instance: DuckDBInstance | undefined;
        let connection: DuckDBConnection | undefined;
        // A stop interrupts the running query (the COPY of a large hour takes seconds).
        const onAbort = (): void => connection?.interrupt();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
            const inputDir = join(dir, 'in');
            const outputDir = join(dir, 'out');
            mkdirSync(inputDir);
            const started = performance.now();
            const localName = (path: string): string =>
                join(inputDir, path.replace(/[^A-Za-z0-9=._-]/g, '_'));
            const inputs = await mapLimit(
                request.files,
                this.#options.downloadConcurrency ?? 8,
                async (blob) => {
                    throwIfStopped(signal, 'compaction');
                    const file = localName(blob.path);
                    writeFileSync(file, await this.#lake.readBytes('silver', blob.path));
                    return file;
                },
            );
            const downloaded = performance.now();
            instance = await (
                await loadDuckDb()
            ).DuckDBInstance.create(':memory:', {
                threads: String(this.#options.threads ?? 1),
                memory_limit: this.memoryLimit,
                temp_directory: join(dir, 'spill'),
            });
            connection = await instance.connect();
            throwIfStopped(signal, 'compaction');
            const list = `[${inputs.map(literal).join(', ')}]`;
            // By name only when the files' schemas differ (files written before a column was added): union_by_name
            // binds every file of every query apart, and a merge of 600 batch files of one schema took 2.4x as long
            // in its COPY (6x in its count) and 120 MB more memory with it than without.
            const byName = !(await oneSchema(connection, list));
            const source = `read_parquet(${list}${byName ? ', union_by_name = true' : ''}, filename = true)`;
            const present = await presentColumns(connection, source);
            // Rows per input file (an open hour's fold needs those of the increments it folds), and in all.
            const counted = await connection.runAndReadAll(
                `SELECT filename, count(*) FROM ${source} GROUP BY filename`,
            );
            const rowsByLocal = new Map(counted.getRows().map((r) => [String(r[0]), Number(r[1])]));
            const inputRowsByFile: Record<string, number> = {};
            request.files.forEach((blob, i) => {
                inputRowsByFile[blob.path] = rowsByLocal.get(inputs[i]!) ?? 0;
            });
            const inputRows = Object.values(inputRowsByFile).reduce((a, b) => a + b, 0);
            const superseded = supersededPredicate(request.supersede, localName, present);
            const supersededRows =
                superseded === undefined
                    ? 0
                    : Number(await scalar(connection, `SELECT count(*) FROM ${source} WHERE ${superseded}`));
            const where = superseded === undefined ? '' : ` WHERE NOT (${superseded})`;
            const select = request.columns.map((c) => projection(c, present)).join(', ');
            for (const key of request.sortBy) {
                if (!request.columns.some((c) => c.name === key))
                    throw new PipelineError(`sort column '${key}' is not in the table`);
            }
            const order =
                request.sortBy.length > 0
                    ? ` ORDER BY ${request.sortBy.map((k) => `${ident(k)} NULLS LAST`).join(', ')}`
                    : '';
            const metadata = Object.entries(request.metadata)
                .map(([k, v]) => `${ident(k)}: ${literal(v)}`)
                .join(', ');
            throwIfStopped(signal, 'compaction');
            await connection.run(
                `COPY (SELECT ${select} FROM ${source}${where}${order}) TO ${literal(outputDir)} (FORMAT parquet, COMPRESSION snappy, ` +
                    `ROW_GROUP_SIZE ${Math.max(1, Math.trunc(request.rowGroupRows))}, ` +
                    `FILE_SIZE_BYTES ${Math.max(1, Math.trunc(request.targetFileBytes))}` +
                    (metadata === '' ? '' : `, KV_METADATA {${metadata}}`) +
                    ')',
            );
            const names = readdirSync(outputDir)
                .filter((n) => n.endsWith('.parquet'))
                .sort((a, b) => indexOf(a) - indexOf(b));
            const files: CompactionOutput['files'] = [];
            for (const name of names) {
                const path = join(outputDir, name);
                const rows = Number(
                    await scalar(connection, `SELECT count(*) FROM read_parquet(${literal(path)})`),
                );
                files.push({ bytes: new Uint8Array(readFileSync(path)), rows });
            }
            // An interrupted query may end as if done: its output is not the whole hour.
            throwIfStopped(signal, 'compaction');
            const timings = { downloadMs: downloaded - started, mergeMs: performance.now() - downloaded };
            return { inputRows, inputRowsByFile, supersededRows, files, timings };
        } catch (error) {
            // Interrupted by the stop (or failing because of it): a stop, not a failure.
            if (signal?.aborted === true) throw stoppedError(signal, 'compaction');
            throw error;
        } finally {
            signal?.removeEventListener('abort', onAbort);
            instance?.closeSync();
            rmSync(dir, { recursive: true, force: true });
        }
    }
}

/** The SQL condition of the rows the provenance filter leaves out (undefined: no filter). */
function supersededPredicate(
    supersede: CompactionRequest['supersede'],
    localName: (path: string) => string,
    present: ReadonlySet<string>,
): string | undefined {
    if (supersede === undefined || supersede.files.length === 0) return undefined;
    const files = supersede.files.map((p) => literal(localName(p))).join(', ');
    const records = supersede.records ?? [];
    if (records.length > 0) {
        if (!present.has('source') || !present.has('batch_id')) {
            throw new PipelineError('the provenance filter of batch records needs source and batch_id');
        }
        return `filename IN (${files}) AND (source || '-' || batch_id) IN (${records.map(literal).join(', ')})`;
    }
    if (supersede.batches.length === 0) return undefined;
    if (!present.has('eh_partition') || !present.has('eh_sequence')) {
        throw new PipelineError(
            'the provenance filter needs eh_partition and eh_sequence, which the silver files lack',
        );
    }
    const batches = supersede.batches
        .map(
            (b) =>
                `(eh_partition = ${literal(b.partitionId)} AND eh_sequence BETWEEN ${Math.trunc(b.firstSequence)} AND ${Math.trunc(b.lastSequence)})`,
        )
        .join(' OR ');
    return `filename IN (${files}) AND (${batches})`;
}

/**
 * Whether every file of `list` has the same Parquet schema (names, types and order of its columns): read from the
 * footers. Files that differ are read by name (`union_by_name`).
 */
async function oneSchema(connection: DuckDBConnection, list: string): Promise<boolean> {
    const signature =
        "string_agg(concat_ws(' ', name, type, converted_type, CAST(logical_type AS VARCHAR), duckdb_type, " +
        "repetition_type, num_children), ',' ORDER BY column_id)";
    const distinct = await scalar(
        connection,
        `SELECT count(DISTINCT sig) FROM (SELECT file_name, ${signature} AS sig FROM parquet_schema(${list}) GROUP BY file_name)`,
    );
    return Number(distinct) === 1;
}

async function presentColumns(connection: DuckDBConnection, source: string): Promise<Set<string>> {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    return new Set(reader.getRowObjectsJson().map((r) => r['column_name'] as string));
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRows()[0]?.[0];
}

function projection(column: ParquetColumn, present: ReadonlySet<string>): string {
    const name = ident(column.name);
    return present.has(column.name)
        ? `CAST(${name} AS ${CAST[column.type]}) AS ${name}`
        : `CAST(NULL AS ${CAST[column.type]}) AS ${name}`;
}

/** DuckDB names split outputs data_0.parquet, data_1.parquet, ... in write (= sort) order. */
function indexOf(name: string): number {
    const m = /(\d+)\.parquet$/.exec(name);
    return m === null ? 0 : Number(m[1]);
}
