/**
 * Reads silver Parquet rows with hyparquet (pure JS, the reader twin of the hyparquet-writer that writes silver):
 * the live files of a table for a time range (`liveSilverFiles`: the batch files, or where compaction merged an hour,
 * the files its manifest names, so nothing is read twice), a few at a time, only the columns asked for. Used by the
 * compliance checks and the sensor history endpoint; the gold build reads the same live files through DuckDB.
 * `forEach` hands over one row group at a time, in file order, so a reader of a day of positions holds one row group
 * of row objects, not every file's; `forEachColumns` hands over a row group's columns as arrays, no row
 * objects at all, timestamps as epoch ms (the compliance check's positions: a day of them as row objects made most of
 * its memory, `npm run bench:gold-memory -- --job compliance`).
 */
import { type FileMetaData, parquetMetadata, parquetRead, parquetReadObjects } from 'hyparquet';

import type { BlobInfo, LakeContainer, LakeReader } from '../app/ports.js';
import { liveSilverFiles } from '../app/silverManifest.js';

export type Row = Record<string, unknown>;

/** A value read from Parquet as a number: a finite number, an INT64 (bigint), a timestamp (Date); else undefined. */
export const parquetNumber = (v: unknown): number | undefined =>
    typeof v === 'number' && Number.isFinite(v)
        ? v
        : typeof v === 'bigint'
          ? Number(v)
          : v instanceof Date
            ? v.getTime()
            : undefined;

export class SilverParquetReader {
    constructor(
        private readonly lake: LakeReader,
        private readonly concurrency = 8,
    ) {}

    /** The live silver files of `table` for the hours overlapping [from, to). */
    files(table: string, from: number, to: number): Promise<BlobInfo[]> {
        return liveSilverFiles(this.lake, table, from, to);
    }

    /**
     * Calls `onRows` with the rows of each row group of each file, in file order (the files download `concurrency`
     * ahead of the one being parsed; the parse is the CPU's work either way). Only the row group being handed over is
     * held as row objects. `columns` a file lacks (an older schema) are absent from its rows.
     */
    async forEach(
        files: readonly BlobInfo[],
        columns: readonly string[] | undefined,
        onRows: (rows: Row[]) => void,
        container: LakeContainer = 'silver',
    ): Promise<void> {
        await this.#eachGroup(files, columns, container, async (file, metadata, wanted, rowStart, rowEnd) =>
            onRows(
                (await parquetReadObjects({
                    file,
                    metadata,
                    rowStart,
                    rowEnd,
                    ...(wanted !== undefined && { columns: wanted }),
                })) as Row[],
            ),
        );
    }

    /**
     * As `forEach`, but each row group's columns as arrays by name (a column the file lacks is absent), `rows` long;
     * TIMESTAMP columns as epoch ms numbers, not Dates. No row object is made.
     */
    async forEachColumns(
        files: readonly BlobInfo[],
        columns: readonly string[],
        onGroup: (columns: Readonly<Record<string, ArrayLike<unknown>>>, rows: number) => void,
        container: LakeContainer = 'silver',
    ): Promise<void> {
        await this.#eachGroup(files, columns, container, async (file, metadata, wanted, rowStart, rowEnd) => {
            const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
            await parquetRead({
                file,
                metadata,
                rowStart,
                rowEnd,
                columns: wanted ?? [],
                parsers: { timestampFromMilliseconds: (ms: bigint) => Number(ms) },
                onChunk: ({ columnName, columnData, rowStart: at }) => {
                    let list = chunks.get(columnName);
                    if (list === undefined) chunks.set(columnName, (list = []));
                    list.push({ rowStart: at, data: columnData as ArrayLike<unknown> });
                },
            });
            const out: Record<string, ArrayLike<unknown>> = {};
            for (const [name, list] of chunks) {
                if (list.length === 1 && list[0]!.rowStart === rowStart) {
                    out[name] = list[0]!.data;
                    continue;
                }
                const whole = new Array<unknown>(rowEnd - rowStart);
                for (const { rowStart: at, data } of list)
                    for (let i = 0; i < data.length; i++) whole[at - rowStart + i] = data[i];
                out[name] = whole;
            }
            onGroup(out, rowEnd - rowStart);
        });
    }

    /** Each row group of each file in order, the files downloaded `concurrency` ahead of the one being read. */
    async #eachGroup(
        files: readonly BlobInfo[],
        columns: readonly string[] | undefined,
        container: LakeContainer,
        onGroup: (
            file: ArrayBuffer,
            metadata: FileMetaData,
            wanted: string[] | undefined,
            rowStart: number,
            rowEnd: number,
        ) => Promise<void>,
    ): Promise<void> {
        const downloads: (Promise<Uint8Array> | undefined)[] = [];
        const fetch = (i: number): void => {
            if (i >= files.length) return;
            const p = this.lake.readBytes(container, files[i]!.path);
            // Awaited in turn below; a failure before its turn must not count as unhandled.
            p.catch(() => undefined);
            downloads[i] = p;
        };
        for (let i = 0; i < Math.max(1, this.concurrency); i++) fetch(i);
        for (let i = 0; i < files.length; i++) {
            const bytes = await downloads[i]!;
            downloads[i] = undefined;
            fetch(i + Math.max(1, this.concurrency));
            const file = arrayBufferOf(bytes);
            const metadata = parquetMetadata(file);
            const present = new Set(metadata.schema.slice(1).map((e) => e.name));
            const wanted = columns?.filter((c) => present.has(c));
            let rowStart = 0;
            for (const group of metadata.row_groups) {
                const rowEnd = rowStart + Number(group.num_rows);
                await onGroup(file, metadata, wanted, rowStart, rowEnd);
                rowStart = rowEnd;
            }
        }
    }
}

/** The bytes as an ArrayBuffer of their own (hyparquet reads an ArrayBuffer; a Buffer may share a larger one). */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
