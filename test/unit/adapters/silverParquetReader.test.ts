/**
 * SilverParquetReader.forEach: the rows of every row group of every file, in file order, only the columns asked for
 * (a column a file lacks is absent), the same rows as each file read whole; a failed download surfaces as the call's error,
 * never as an unhandled rejection, also when it is a file downloaded ahead of the one being parsed.
 */
import { describe, expect, it } from '@jest/globals';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { type Row, SilverParquetReader } from '../../../shared/adapters/SilverParquetReader.js';
import type { BlobInfo, LakeContainer, LakeReader } from '../../../shared/app/ports.js';

/** A Parquet file of `n` rows from `first` in row groups of `groupRows`; `withSog` false: an older schema without it. */
function file(first: number, n: number, groupRows: number, withSog = true): Uint8Array {
    const ids = Array.from({ length: n }, (_, i) => first + i);
    const columnData = [
        { name: 'mmsi', data: ids.map((i) => 200_000_000 + (i % 7)), type: 'INT32' as const },
        { name: 'event_time', data: ids.map((i) => BigInt(1_700_000_000_000 + i)), type: 'INT64' as const },
        {
            name: 'flags',
            data: ids.map((i) => (i % 3 === 0 ? 'IMPLAUSIBLE_JUMP' : null)),
            type: 'STRING' as const,
        },
        ...(withSog
            ? [{ name: 'sog', data: ids.map((i) => (i % 5 === 0 ? null : i / 10)), type: 'DOUBLE' as const }]
            : []),
        {
            name: 'seen',
            data: ids.map((i) => new Date(1_700_000_000_000 + i * 1000)),
            type: 'TIMESTAMP' as const,
        },
    ];
    return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: groupRows }));
}

async function lakeWith(files: Uint8Array[]): Promise<{ lake: InMemoryLake; blobs: BlobInfo[] }> {
    const lake = new InMemoryLake();
    const blobs: BlobInfo[] = [];
    for (const [i, bytes] of files.entries()) {
        const path = `ais_positions/date=2026-12-04/hour=10/f${i}.parquet`;
        await lake.writeBytes('silver', path, bytes);
        blobs.push({ path, lastModified: i, size: bytes.length });
    }
    return { lake, blobs };
}

/** Every row of each file read whole with hyparquet, in file order (the reference), only the `columns` a file has. */
async function wholeFiles(lake: InMemoryLake, blobs: BlobInfo[], columns: string[]): Promise<Row[]> {
    const rows: Row[] = [];
    for (const blob of blobs) {
        const bytes = await lake.readBytes('silver', blob.path);
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        const present = new Set(parquetMetadata(file).schema.map((e) => e.name));
        rows.push(
            ...((await parquetReadObjects({
                file,
                columns: columns.filter((c) => present.has(c)),
            })) as Row[]),
        );
    }
    return rows;
}

describe('SilverParquetReader.forEach', () => {
    it('hands over each row group in file order, the rows of the whole files', async () => {
        const { lake, blobs } = await lakeWith([
            file(0, 1_000, 300),
            file(1_000, 10, 300),
            file(1_010, 2_500, 1_000),
            file(3_510, 0, 100),
            file(3_510, 5, 100),
        ]);
        // concurrency 2: files 3 and 4 download while the earlier ones are parsed
        const reader = new SilverParquetReader(lake, 2);
        const groups: Row[][] = [];
        await reader.forEach(blobs, ['mmsi', 'event_time', 'sog'], (rows) => groups.push(rows));
        // 4 + 1 + 3 + 1 groups (the empty file has none)
        expect(groups.map((g) => g.length)).toEqual([300, 300, 300, 100, 10, 1_000, 1_000, 500, 5]);
        const rows = groups.flat();
        expect(rows.map((r) => Number(r.event_time) - 1_700_000_000_000)).toEqual(
            Array.from({ length: 3_515 }, (_, i) => i),
        );
        expect(rows.every((r) => !('flags' in r))).toBe(true);
        const whole = await wholeFiles(lake, blobs, ['mmsi', 'event_time', 'sog']);
        expect(rows).toEqual(whole);
    });

    it('reads every column when none are named, and leaves out a column a file lacks', async () => {
        const { lake, blobs } = await lakeWith([file(0, 4, 10, false), file(4, 2, 10)]);
        const rows: Row[] = [];
        await new SilverParquetReader(lake).forEach(blobs, ['mmsi', 'sog'], (r) => rows.push(...r));
        expect(rows.map((r) => Object.keys(r).sort())).toEqual([
            ['mmsi'],
            ['mmsi'],
            ['mmsi'],
            ['mmsi'],
            ['mmsi', 'sog'],
            ['mmsi', 'sog'],
        ]);
        const all: Row[] = [];
        await new SilverParquetReader(lake).forEach(blobs, undefined, (r) => all.push(...r));
        expect(Object.keys(all[0]!).sort()).toEqual(['event_time', 'flags', 'mmsi', 'seen']);
        expect(all[4]!.sog).toBe(0.4);
        expect(all[5]!.sog).toBeNull(); // every fifth sog is null
    });

    it('forEachColumns: the same values as columns, timestamps as epoch ms, a missing column absent', async () => {
        const { lake, blobs } = await lakeWith([
            file(0, 700, 250),
            file(700, 30, 250, false),
            file(730, 300, 1_000),
        ]);
        const reader = new SilverParquetReader(lake, 2);
        const columns = ['mmsi', 'event_time', 'sog', 'flags', 'seen', 'not_there'];
        const groups: { names: string[]; n: number; rows: Row[] }[] = [];
        await reader.forEachColumns(blobs, columns, (c, n) => {
            const names = Object.keys(c).sort();
            const rows = Array.from({ length: n }, (_, i) =>
                Object.fromEntries(names.map((k) => [k, c[k]![i]])),
            );
            groups.push({ names, n, rows });
        });
        expect(groups.map((g) => g.n)).toEqual([250, 250, 200, 30, 300]);
        expect(groups[0]!.names).toEqual(['event_time', 'flags', 'mmsi', 'seen', 'sog']);
        expect(groups[3]!.names).toEqual(['event_time', 'flags', 'mmsi', 'seen']);
        const rows = groups.flatMap((g) => g.rows);
        const whole = await wholeFiles(lake, blobs, columns.slice(0, 5));
        expect(rows).toHaveLength(whole.length);
        for (const [i, r] of rows.entries()) {
            const w = whole[i]!;
            expect(r.mmsi).toBe(w.mmsi);
            expect(r.event_time).toBe(w.event_time);
            expect(r.sog ?? null).toBe(w.sog ?? null);
            expect(r.flags).toBe(w.flags);
            expect(r.seen).toBe((w.seen as Date).getTime());
        }
        expect(rows[3]!.seen).toBe(1_700_000_003_000);
    });

    it('fails with the download error of a file read ahead, without an unhandled rejection', async () => {
        const { lake, blobs } = await lakeWith([file(0, 50, 10), file(50, 50, 10), file(100, 50, 10)]);
        const failing: LakeReader = {
            list: (c, p) => lake.list(c, p),
            readJsonLinesGz: (c, p) => lake.readJsonLinesGz(c, p),
            readBytes: (c: LakeContainer, path: string) =>
                path.endsWith('f2.parquet')
                    ? Promise.reject(new Error('blob f2 unreadable'))
                    : lake.readBytes(c, path),
        };
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
        process.on('unhandledRejection', onUnhandled);
        try {
            const seen: number[] = [];
            await expect(
                new SilverParquetReader(failing, 3).forEach(blobs, ['event_time'], (rows) =>
                    seen.push(rows.length),
                ),
            ).rejects.toThrow('blob f2 unreadable');
            // the two files before it were handed over whole first
            expect(seen).toEqual(Array(10).fill(10));
            await new Promise((r) => setTimeout(r, 20));
            expect(unhandled).toEqual([]);
        } finally {
            process.off('unhandledRejection', onUnhandled);
        }
    });
});
