/**
 * Silver compaction with embedded DuckDB (already the gold engine): the hour's files are downloaded into a private
 * temporary folder, read as one relation (by name, `union_by_name`, only when their schemas differ: files written
 * before a column was added still read), projected onto the table's declared schema in its order and types, sorted, and written by DuckDB's Parquet writer
 * (snappy like the batch files, so every reader of the lake, hyparquet included, reads both; row groups of the
 * requested size; min/max statistics per column chunk; split into files near the target size; the run id in each
 * file's key-value metadata). With a provenance filter (`supersede`: a rebuild wrote batches of a compacted hour again)
 * the rows of the earlier compacted files that belong to a rewritten batch (by `eh_partition` and `eh_sequence`, or for
 * the batch records of `ingest_batches` by `source` and `batch_id`) are left out, and counted. A sort larger than a share of the memory limit is
 * done in slices (ranges of the first sort key, each sorted alone into a temporary file, the files then written out in
 * order): DuckDB's own sort did not spill rows as wide as these (an hour of positions at 500 events/s ran out of memory
 * at 128MB), so an hour larger than memory still compacts. With `request.signal` aborted (the host is stopping), the downloads stop
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
                // DuckDB's allocator hands freed memory back to the system (a background thread, and after any task
                // that peaked above 8MB) instead of keeping it: a sorted merge of 1.8M positions at 128MB peaked at
                // 650-690 MB RSS without, 340-420 MB with.
                allocator_background_threads: 'true',
                allocator_flush_threshold: '8MB',
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
            const output =
                `(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${Math.max(1, Math.trunc(request.rowGroupRows))}, ` +
                `FILE_SIZE_BYTES ${Math.max(1, Math.trunc(request.targetFileBytes))}` +
                (metadata === '' ? '' : `, KV_METADATA {${metadata}}`) +
                ')';
            throwIfStopped(signal, 'compaction');
            let slices =
                order === ''
                    ? 1
                    : await sliceCount(
                          connection,
                          source,
                          request.columns,
                          present,
                          inputRows - supersededRows,
                          this.memoryLimit,
                      );
            for (;;) {
                try {
                    if (slices <= 1) {
                        await connection.run(
                            `COPY (SELECT ${select} FROM ${source}${where}${order}) TO ${literal(outputDir)} ${output}`,
                        );
                    } else {
                        // Sorted in ranges of the first sort key, each alone into a temporary file, then the files
                        // read in order into the output (streamed): `sortInSlices`.
                        const sorted = await sortInSlices(
                            connection,
                            {
                                source,
                                select,
                                order,
                                keys: request.sortBy,
                                present,
                                dir: join(dir, 'sorted'),
                                rowGroupRows: Math.min(request.rowGroupRows, SLICE_ROW_GROUP_ROWS),
                                signal,
                            },
                            superseded === undefined ? undefined : `NOT (${superseded})`,
                            slices,
                        );
                        throwIfStopped(signal, 'compaction');
                        await connection.run(
                            `COPY (SELECT * FROM read_parquet([${sorted.map(literal).join(', ')}])) TO ${literal(outputDir)} ${output}`,
                        );
                    }
                    break;
                } catch (error) {
                    // The estimate was short (rows wider than sampled): twice the slices, from the start.
                    const rows = inputRows - supersededRows;
                    if (order === '' || !isOutOfMemory(error) || rows / (slices * 2) < MIN_SLICE_ROWS)
                        throw error;
                    throwIfStopped(signal, 'compaction');
                    slices = Math.max(2, slices * 2);
                    rmSync(outputDir, { recursive: true, force: true });
                }
            }
            const names = readdirSync(outputDir)
                .filter((n) => n.endsWith('.parquet'))
                .sort((a, b) => indexOf(a) - indexOf(b));
            const counts: number[] = [];
            for (const name of names) {
                const path = literal(join(outputDir, name));
                counts.push(Number(await scalar(connection, `SELECT count(*) FROM read_parquet(${path})`)));
            }
            // An interrupted query may end as if done: its output is not the whole hour.
            throwIfStopped(signal, 'compaction');
            // DuckDB's memory goes back before the output is read into this process (an hour's files are 100s of MB).
            connection = undefined;
            instance.closeSync();
            instance = undefined;
            // A Buffer is a Uint8Array (`new Uint8Array(buffer)` would copy it: twice the file in memory for a moment).
            const files: CompactionOutput['files'] = names.map((name, i) => ({
                bytes: readFileSync(join(outputDir, name)),
                rows: counts[i]!,
            }));
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

/**
 * Share of DuckDB's memory limit one slice of a sorted merge may take (by `rowBytes`). DuckDB's sort spills, but not
 * for rows as wide as the silver tables' (45 columns of `ais_positions`, 15 of them strings): an hour at 500 events/s
 * (1.8M rows) failed at 128MB and at 256MB ran at 433 MB RSS; 112,500 of those rows (about 80 MB by `rowBytes`) sorted
 * at 128MB, 225,000 did not.
 */
const SLICE_SHARE = 0.25;

/**
 * Rows per row group of a slice's temporary file: DuckDB's Parquet reader holds a row group's columns, and 122,880 rows
 * of 45 wide columns did not fit 128MB (the slices are read again for the output).
 */
const SLICE_ROW_GROUP_ROWS = 16_384;

/** A slice holds at least this many rows: an out-of-memory slice is split in two only down to this. */
const MIN_SLICE_ROWS = 5_000;

/** Rows sampled for the strings' mean length. */
const WIDTH_SAMPLE_ROWS = 10_000;

/** Bytes of a value in DuckDB's row layout (a string's 16 bytes hold up to 12 inline; longer ones are copied out). */
const FIXED_BYTES: Record<ParquetType, number> = {
    STRING: 16,
    JSON: 16,
    DOUBLE: 8,
    INT64: 8,
    TIMESTAMP_MILLIS: 8,
    INT32: 4,
    BOOLEAN: 1,
};

/** DuckDB's memory limit in bytes ('128MB', '1GB', '512MiB'; DuckDB's units, 1000s and 1024s). */
export function memoryLimitBytes(limit: string): number {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B?)\s*$/i.exec(limit);
    if (m === null) throw new PipelineError(`not a DuckDB memory limit: '${limit}'`);
    const unit = m[2]!.toUpperCase();
    const power = { '': 0, B: 0, K: 1, M: 2, G: 3, T: 4 }[unit.replace(/I?B$/, '') || ''] ?? 0;
    const base = unit.includes('I') ? 1024 : 1000;
    return Number(m[1]) * base ** power;
}

/**
 * Bytes a row of `columns` takes in DuckDB's sort (fixed part, and the strings longer than 12 bytes by their mean
 * length in the first rows of `source`).
 */
async function rowBytes(
    connection: DuckDBConnection,
    source: string,
    columns: readonly ParquetColumn[],
    present: ReadonlySet<string>,
): Promise<number> {
    const strings = columns.filter((c) => (c.type === 'STRING' || c.type === 'JSON') && present.has(c.name));
    let heap = 0;
    if (strings.length > 0) {
        const means = await connection.runAndReadAll(
            `SELECT ${strings.map((c) => `avg(strlen(CAST(${ident(c.name)} AS VARCHAR)))`).join(', ')} ` +
                `FROM (SELECT ${strings.map((c) => ident(c.name)).join(', ')} FROM ${source} LIMIT ${WIDTH_SAMPLE_ROWS})`,
        );
        for (const mean of means.getRows()[0] ?? []) {
            const bytes = Number(mean ?? 0);
            if (bytes > 12) heap += bytes;
        }
    }
    // 8: the row's validity and alignment.
    return columns.reduce((n, c) => n + FIXED_BYTES[c.type], 8) + heap;
}

/**
 * Slices a sorted merge of `rows` rows is sorted in: one when they fit `SLICE_SHARE` of the memory limit, else as
 * many as make each slice fit.
 */
async function sliceCount(
    connection: DuckDBConnection,
    source: string,
    columns: readonly ParquetColumn[],
    present: ReadonlySet<string>,
    rows: number,
    memoryLimit: string,
): Promise<number> {
    if (rows <= MIN_SLICE_ROWS) return 1;
    const bytes = rows * (await rowBytes(connection, source, columns, present));
    return Math.min(
        Math.ceil(bytes / (memoryLimitBytes(memoryLimit) * SLICE_SHARE)),
        Math.ceil(rows / MIN_SLICE_ROWS),
    );
}

/** A value of the first sort key as an SQL literal (undefined: a type the slices do not split on). */
function keyLiteral(value: unknown): string | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'string') return literal(value);
    return undefined;
}

interface SliceOptions {
    source: string;
    select: string;
    order: string;
    /** The sort keys: the slices are ranges of the first, its nulls (last, as NULLS LAST sorts them) by the next. */
    keys: readonly string[];
    present: ReadonlySet<string>;
    dir: string;
    rowGroupRows: number;
    signal: AbortSignal | undefined;
}

/**
 * Sorts the merge in about `slices` ranges of the first sort key (bounds: its quantiles), each range sorted alone into
 * a temporary Parquet file; the files in order are the whole merge in sort order. The rows whose first key is null
 * come last, sliced the same way by the next key (sensor readings of a vessel known by IMO only have no MMSI). Each
 * slice reads every input again (the inputs are not sorted), but only its range is sorted, within the memory limit.
 * `where`: the rows to keep (the provenance filter), or all.
 */
async function sortInSlices(
    connection: DuckDBConnection,
    o: SliceOptions,
    where: string | undefined,
    slices: number,
): Promise<string[]> {
    rmSync(o.dir, { recursive: true, force: true });
    mkdirSync(o.dir);
    const files: string[] = [];
    const write = async (conditions: readonly string[]): Promise<void> => {
        throwIfStopped(o.signal, 'compaction');
        const file = join(o.dir, `slice-${files.length}.parquet`);
        const filter = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
        await connection.run(
            `COPY (SELECT ${o.select} FROM ${o.source}${filter}${o.order}) ` +
                `TO ${literal(file)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${Math.max(1, Math.trunc(o.rowGroupRows))})`,
        );
        files.push(file);
    };
    const range = async (conditions: readonly string[], keyIndex: number, parts: number): Promise<void> => {
        const name = o.keys[keyIndex];
        if (parts <= 1 || name === undefined) return write(conditions);
        if (!o.present.has(name)) return range(conditions, keyIndex + 1, parts);
        const key = ident(name);
        const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
        const stats = await connection.runAndReadAll(
            `SELECT quantile_disc(${key}, [${fractions.join(', ')}]), count(${key}), count(*) FROM ${o.source}` +
                (conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`),
        );
        const [raw, nonNull, all] = stats.getRows()[0] ?? [];
        const literals = ((raw as { items?: unknown[] } | null)?.items ?? []).map(keyLiteral);
        // A key of another type is not split on (the next key is not: it orders only within equal values).
        if (!literals.every((l): l is string => l !== undefined)) return write(conditions);
        // Equal quantiles (a key value in many rows) are one bound.
        const bounds = [...new Set(literals)];
        for (let i = 0; i <= bounds.length; i++) {
            const part = [...conditions];
            if (i > 0) part.push(`${key} >= ${bounds[i - 1]!}`);
            if (i < bounds.length) part.push(`${key} < ${bounds[i]!}`);
            if (bounds.length === 0) part.push(`${key} IS NOT NULL`);
            if (Number(nonNull) > 0) await write(part);
        }
        const nulls = Number(all) - Number(nonNull);
        if (nulls > 0) {
            const perSlice = Math.max(1, Number(all) / parts);
            await range([...conditions, `${key} IS NULL`], keyIndex + 1, Math.ceil(nulls / perSlice));
        }
    };
    await range(where === undefined ? [] : [`(${where})`], 0, slices);
    return files;
}

function isOutOfMemory(error: unknown): boolean {
    return error instanceof Error && /Out of Memory/i.test(error.message);
}
