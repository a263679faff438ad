/**
 * The schema read from a Parquet footer without decoding the rest of it (`shared/adapters/parquetSchema.ts`): the
 * same top-level columns as hyparquet's full decode, for files of our writer (every column type, key-value metadata,
 * several row groups) and of DuckDB's (the compacted files, nested columns too); one key for files written alike,
 * another for another schema; undefined for what is not a Parquet footer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from '@jest/globals';
import { parquetMetadata } from 'hyparquet';

import { encodeParquet } from '../../../shared/adapters/parquet.js';
import { schemaOf } from '../../../shared/adapters/parquetSchema.js';
import type { ParquetColumn } from '../../../shared/app/ports.js';

const EVERY_TYPE: readonly ParquetColumn[] = [
    { name: 'mmsi', type: 'INT32' },
    { name: 'seq', type: 'INT64' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'sog', type: 'DOUBLE' },
    { name: 'moored', type: 'BOOLEAN' },
    { name: 'name', type: 'STRING' },
    { name: 'raw', type: 'JSON' },
];

function rows(n: number, from = 0): Record<string, unknown>[] {
    return Array.from({ length: n }, (_, i) => ({
        mmsi: 200_000_000 + i + from,
        seq: BigInt(i + from),
        event_time: 1_700_000_000_000 + i,
        sog: i / 10,
        moored: i % 2 === 0,
        name: i % 3 === 0 ? null : `V${i}`,
        raw: { i },
    }));
}

/** Top-level column names from hyparquet's decode of the whole footer. */
function hyparquetColumns(bytes: Uint8Array): string[] {
    const [, ...elements] = parquetMetadata(bytes).schema;
    const names: string[] = [];
    for (let i = 0; i < elements.length;) {
        names.push(elements[i]!.name);
        let skip = 1;
        for (let open = elements[i]!.num_children ?? 0; open > 0; open--) {
            open += elements[i + skip]!.num_children ?? 0;
            skip++;
        }
        i += skip;
    }
    return names;
}

describe('schemaOf (the footer schema only)', () => {
    it("reads our writer's files as hyparquet does, one key for one schema", () => {
        const a = encodeParquet({ columns: EVERY_TYPE, rows: rows(50) });
        const b = encodeParquet({ columns: EVERY_TYPE, rows: rows(3_000, 7) });
        const sa = schemaOf(a)!;
        expect([...sa.columns]).toEqual(hyparquetColumns(a));
        expect([...sa.columns]).toEqual(EVERY_TYPE.map((c) => c.name));
        expect(schemaOf(b)!.key).toBe(sa.key);
        // Another type, a column fewer: other keys.
        const retyped = EVERY_TYPE.map((c) => (c.name === 'sog' ? { ...c, type: 'STRING' as const } : c));
        expect(schemaOf(encodeParquet({ columns: retyped, rows: [] }))?.key).not.toBe(sa.key);
        const fewer = EVERY_TYPE.filter((c) => c.name !== 'raw');
        const sf = schemaOf(encodeParquet({ columns: fewer, rows: rows(1) }))!;
        expect(sf.key).not.toBe(sa.key);
        expect([...sf.columns]).toEqual(fewer.map((c) => c.name));
        // Read in place: a view into a larger buffer (a pooled download) reads the same.
        const pooled = new Uint8Array(a.length + 100);
        pooled.set(a, 37);
        expect(schemaOf(pooled.subarray(37, 37 + a.length))).toEqual(sa);
    });

    it("reads DuckDB's files (key-value metadata, statistics, nested columns) as hyparquet does", async () => {
        const dir = mkdtempSync(join(tmpdir(), 'schema-'));
        const db = await DuckDBInstance.create(':memory:');
        try {
            const connection = await db.connect();
            const file = join(dir, 'duck.parquet');
            await connection.run(
                `COPY (SELECT i AS mmsi, 'x' || i AS name, {'lat': i / 2, 'lon': [i, i + 1]} AS pos, [1, 2] AS tags,` +
                    ` now()::TIMESTAMP AS t, i % 2 = 0 AS b FROM range(5000) r(i))` +
                    ` TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000, KV_METADATA {run_id: 'r1'})`,
            );
            const bytes = new Uint8Array(readFileSync(file));
            const schema = schemaOf(bytes)!;
            expect([...schema.columns]).toEqual(hyparquetColumns(bytes));
            expect([...schema.columns]).toEqual(['mmsi', 'name', 'pos', 'tags', 't', 'b']);
        } finally {
            db.closeSync();
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('is undefined for what is not a Parquet footer', () => {
        const good = encodeParquet({ columns: EVERY_TYPE, rows: rows(5) });
        expect(schemaOf(new TextEncoder().encode('not parquet'))).toBeUndefined();
        expect(schemaOf(new Uint8Array(0))).toBeUndefined();
        // A cut file (its footer length points before its start), a footer of garbage.
        expect(schemaOf(good.subarray(good.length - 40))).toBeUndefined();
        const garbage = good.slice();
        const footer = new DataView(garbage.buffer).getUint32(garbage.length - 8, true);
        const start = garbage.length - 8 - footer;
        garbage.fill(0xff, start, start + 16);
        expect(schemaOf(garbage)).toBeUndefined();
    });
});
