import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { encodeParquet } from '../../../shared/adapters/parquet.js';
import type { ParquetTable } from '../../../shared/app/ports.js';
import { ValidationError } from '../../../shared/errors.js';

// Read back with an independent reader (DuckDB), not with the writer's own companion library.
let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parquet-test-'));
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
});

afterAll(() => {
    db.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
});

async function readBack(bytes: Uint8Array, name: string) {
    const file = join(dir, `${name}.parquet`);
    writeFileSync(file, bytes);
    const types = await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    const rows = await db.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return {
        types: Object.fromEntries(
            types.getRowObjectsJS().map((r) => [r.column_name as string, r.column_type as string]),
        ),
        rows: rows.getRowObjectsJS(),
    };
}

const table: ParquetTable = {
    columns: [
        { name: 's', type: 'STRING' },
        { name: 'd', type: 'DOUBLE' },
        { name: 'i32', type: 'INT32' },
        { name: 'i64', type: 'INT64' },
        { name: 'b', type: 'BOOLEAN' },
        { name: 'ts', type: 'TIMESTAMP_MILLIS' },
        { name: 'j', type: 'JSON' },
    ],
    rows: [
        {
            s: 'Ævar ⚓',
            d: 12.5,
            i32: -7,
            i64: 244_123_456,
            b: true,
            ts: 1_700_000_000_123,
            j: { a: [1, 2], n: null },
        },
        { s: null, d: null, i32: null, i64: null, b: null, ts: null, j: null },
        { d: -0.25, i32: 2_147_483_647, i64: 9_007_199_254_740_993n, b: false, ts: new Date(0), j: 'text' },
    ],
};

describe('encodeParquet', () => {
    it('writes every column type and nulls so that DuckDB reads them back', async () => {
        const { types, rows } = await readBack(encodeParquet(table), 'all-types');

        expect(types).toEqual({
            s: 'VARCHAR',
            d: 'DOUBLE',
            i32: 'INTEGER',
            i64: 'BIGINT',
            b: 'BOOLEAN',
            ts: expect.stringMatching(/^TIMESTAMP/),
            j: expect.stringMatching(/^(JSON|VARCHAR)$/),
        });
        expect(rows).toHaveLength(3);
        const [r0, r1, r2] = rows;
        expect(r0).toMatchObject({ s: 'Ævar ⚓', d: 12.5, i32: -7, i64: 244_123_456n, b: true });
        expect((r0!.ts as Date).getTime()).toBe(1_700_000_000_123);
        expect(JSON.parse(r0!.j as string)).toEqual({ a: [1, 2], n: null });
        expect(Object.values(r1!).every((v) => v === null)).toBe(true);
        expect(r2).toMatchObject({
            s: null,
            d: -0.25,
            i32: 2_147_483_647,
            i64: 9_007_199_254_740_993n,
            b: false,
        });
        expect((r2!.ts as Date).getTime()).toBe(0);
        expect(JSON.parse(r2!.j as string)).toBe('text');
    });

    it('writes an empty table with its schema', async () => {
        const { types, rows } = await readBack(encodeParquet({ columns: table.columns, rows: [] }), 'empty');
        expect(Object.keys(types)).toEqual(['s', 'd', 'i32', 'i64', 'b', 'ts', 'j']);
        expect(rows).toEqual([]);
    });

    it('handles 50,000 rows (several row groups are not needed, one is)', async () => {
        const rows = Array.from({ length: 50_000 }, (_, i) => ({
            s: `v${i % 100}`,
            d: i / 3,
            i64: i,
            ts: i * 1000,
        }));
        // Speed belongs in the benchmarks (bench/ingest.ts), not in a timed test on a shared machine.
        const bytes = encodeParquet({ columns: table.columns.filter((c) => c.name in rows[0]!), rows });
        const file = join(dir, 'big.parquet');
        writeFileSync(file, bytes);
        const agg = await db.runAndReadAll(
            `SELECT count(*) AS n, sum(i64) AS s FROM read_parquet('${file}')`,
        );
        expect(agg.getRowObjectsJS()[0]).toEqual({ n: 50_000n, s: 1_249_975_000n });
    });

    it('rejects a value of the wrong type with the column and row', () => {
        expect(() =>
            encodeParquet({ columns: [{ name: 'n', type: 'INT32' }], rows: [{ n: 1 }, { n: 1.5 }] }),
        ).toThrow(ValidationError);
        expect(() =>
            encodeParquet({ columns: [{ name: 'n', type: 'INT32' }], rows: [{ n: 1 }, { n: 1.5 }] }),
        ).toThrow(/'n' \(INT32\): row 1/);
        expect(() =>
            encodeParquet({ columns: [{ name: 'x', type: 'INT64' }], rows: [{ x: 2 ** 60 }] }),
        ).toThrow(ValidationError);
    });
});
