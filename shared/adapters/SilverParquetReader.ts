/**
 * Reads silver Parquet rows with hyparquet (pure JS, the reader twin of the hyparquet-writer that writes silver):
 * the live files of a table for a time range (`liveSilverFiles`: the batch files, or where compaction merged an hour,
 * the files its manifest names, so nothing is read twice), a few at a time, only the columns asked for. Used by the
 * compliance checks and the sensor history endpoint; the gold build reads the same live files through DuckDB.
 */
import { parquetReadObjects } from 'hyparquet';

import type { BlobInfo, LakeContainer, LakeReader } from '../app/ports.js';
import { liveSilverFiles } from '../app/silverManifest.js';
import { mapLimit } from './cosmosSupport.js';

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

    /** The rows of each file (in the order given); `columns` undefined = every column. */
    read(
        files: readonly BlobInfo[],
        columns: string[] | undefined,
        container: LakeContainer = 'silver',
    ): Promise<Row[][]> {
        return mapLimit(files, this.concurrency, async (f) => {
            const bytes = await this.lake.readBytes(container, f.path);
            const file = bytes.buffer.slice(
                bytes.byteOffset,
                bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer;
            try {
                return (await parquetReadObjects(
                    columns === undefined ? { file } : { file, columns },
                )) as Row[];
            } catch {
                // A file without one of the columns (an older schema): read what it has.
                return (await parquetReadObjects({ file })) as Row[];
            }
        });
    }
}
