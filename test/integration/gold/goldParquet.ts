/** Gold Parquet files read back with DuckDB (an independent reader) for the gold tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

import type { LakeReader } from '../../../shared/app/ports.js';

/** Every row of a gold Parquet file (BIGINT as number, timestamps as DuckDB gives them). */
export async function readGoldParquet(lake: LakeReader, path: string): Promise<Record<string, unknown>[]> {
    const dir = mkdtempSync(join(tmpdir(), 'gold-read-'));
    const file = join(dir, 'part.parquet');
    writeFileSync(file, await lake.readBytes('gold', path));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
        const result = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
        return result
            .getRowObjectsJS()
            .map((r) =>
                Object.fromEntries(
                    Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
                ),
            );
    } finally {
        connection.closeSync();
        instance.closeSync();
        rmSync(dir, { recursive: true, force: true });
    }
}
