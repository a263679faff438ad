/**
 * DuckDbGoldEngine's own settings: constructed without options (tests, benches) it takes DuckDB's memory limit from
 * the default of GOLD_DUCKDB_MEMORY_LIMIT, the documented setting, not from a figure of its own (the compactor from
 * COMPACTION_DUCKDB_MEMORY_LIMIT's).
 * And how a table's files are read: in groups of one schema (no `union_by_name` over every file), files of an
 * older schema (a column added since) joined to the rest with the missing column null.
 */
import { describe, expect, it } from '@jest/globals';

import { DuckDbGoldEngine, schemaGroups, schemaOf } from '../../../shared/adapters/DuckDbGoldEngine.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { encodeParquet } from '../../../shared/adapters/parquet.js';
import type { ParquetColumn } from '../../../shared/app/ports.js';
import { settingDefault } from '../../../shared/config/loadConfig.js';

const WHOLE = { index: 0, count: 1 };

async function memoryLimitOf(engine: DuckDbGoldEngine): Promise<unknown> {
    const session = await engine.open([], WHOLE);
    try {
        const [row] = await session.query("SELECT current_setting('memory_limit') AS limit_");
        return row?.limit_;
    } finally {
        await session.close();
    }
}

describe('DuckDbGoldEngine', () => {
    it("without options uses GOLD_DUCKDB_MEMORY_LIMIT's default memory limit", async () => {
        const lake = new InMemoryLake();
        const setting = settingDefault('GOLD_DUCKDB_MEMORY_LIMIT');
        const fallback = await memoryLimitOf(new DuckDbGoldEngine(lake));
        expect(fallback).toBe(await memoryLimitOf(new DuckDbGoldEngine(lake, { memoryLimit: setting })));
        // The comparison can tell limits apart (DuckDB prints them in its own units, e.g. 488.2 MiB for 512MB).
        const other = setting === '1GB' ? '2GB' : '1GB';
        expect(fallback).not.toBe(await memoryLimitOf(new DuckDbGoldEngine(lake, { memoryLimit: other })));
        expect(new DuckDbGoldEngine(lake).memoryLimit).toBe(setting);
        expect(new DuckDbSilverCompactor(lake).memoryLimit).toBe(
            settingDefault('COMPACTION_DUCKDB_MEMORY_LIMIT'),
        );
    });
});

const COLUMNS: readonly ParquetColumn[] = [
    { name: 'mmsi', type: 'INT64' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'sog', type: 'DOUBLE' },
    { name: 'flags', type: 'STRING' },
];
const OLD_COLUMNS = COLUMNS.filter((c) => c.name !== 'flags');

function row(mmsi: number, t: number, flags: string | null) {
    return { mmsi, event_time: t, sog: mmsi / 1e8, flags };
}

describe('DuckDbGoldEngine reads a table in groups of one schema', () => {
    it('joins files of an older schema (a column added since) with the column null, every row once', async () => {
        const lake = new InMemoryLake();
        const paths = ['t/a-new.parquet', 't/b-old.parquet', 't/c-new.parquet', 't/d-old.parquet'];
        await lake.writeParquet('silver', paths[0]!, { columns: COLUMNS, rows: [row(201, 1_000, 'x')] });
        await lake.writeParquet('silver', paths[1]!, { columns: OLD_COLUMNS, rows: [row(202, 2_000, null)] });
        await lake.writeParquet('silver', paths[2]!, {
            columns: COLUMNS,
            rows: [row(203, 3_000, 'y'), row(204, 4_000, null)],
        });
        await lake.writeParquet('silver', paths[3]!, { columns: OLD_COLUMNS, rows: [row(205, 5_000, null)] });
        const files = paths.map((path) => ({ path, lastModified: 0, size: 0 }));
        const session = await new DuckDbGoldEngine(lake).open(
            [{ table: 't', columns: COLUMNS, files }],
            WHOLE,
        );
        try {
            const rows = await session.query(
                'SELECT mmsi, epoch_ms(event_time) AS t, flags FROM t ORDER BY mmsi',
            );
            expect(rows).toEqual([
                { mmsi: 201, t: 1_000, flags: 'x' },
                { mmsi: 202, t: 2_000, flags: null },
                { mmsi: 203, t: 3_000, flags: 'y' },
                { mmsi: 204, t: 4_000, flags: null },
                { mmsi: 205, t: 5_000, flags: null },
            ]);
            // The view's columns are the declared ones, in order, with their types.
            const described = await session.query('DESCRIBE t');
            expect(described.map((d) => [d.column_name, d.column_type])).toEqual([
                ['mmsi', 'BIGINT'],
                ['event_time', 'TIMESTAMP'],
                ['sog', 'DOUBLE'],
                ['flags', 'VARCHAR'],
            ]);
        } finally {
            await session.close();
        }
    });

    it('groups files by the schema in their footers, in order of first appearance', () => {
        const bytes = (columns: readonly ParquetColumn[]) =>
            encodeParquet({ columns, rows: [row(1, 1, 'z')] });
        const groups = schemaGroups([
            { file: 'a', schema: schemaOf(bytes(COLUMNS)) },
            { file: 'b', schema: schemaOf(bytes(OLD_COLUMNS)) },
            { file: 'c', schema: schemaOf(bytes(COLUMNS)) },
            { file: 'd', schema: schemaOf(new TextEncoder().encode('not parquet')) },
        ]);
        expect(groups.map((g) => g.files)).toEqual([['a', 'c'], ['b'], ['d']]);
        expect([...groups[0]!.columns!]).toEqual(['mmsi', 'event_time', 'sog', 'flags']);
        expect([...groups[1]!.columns!]).toEqual(['mmsi', 'event_time', 'sog']);
        expect(groups[2]!.columns).toBeUndefined();
        // Same names, another type: another group (DuckDB would not read them as one without unifying).
        const retyped = COLUMNS.map((c) => (c.name === 'sog' ? { ...c, type: 'STRING' as const } : c));
        expect(schemaOf(bytes(retyped))!.key).not.toBe(schemaOf(bytes(COLUMNS))!.key);
    });

    it('names a file that is not Parquet', async () => {
        const lake = new InMemoryLake();
        await lake.writeBytes('silver', 't/bad.parquet', new TextEncoder().encode('not parquet'));
        const files = [{ path: 't/bad.parquet', lastModified: 0, size: 0 }];
        await expect(
            new DuckDbGoldEngine(lake).open([{ table: 't', columns: COLUMNS, files }], WHOLE),
        ).rejects.toThrow(/bad\.parquet/);
    });
});
