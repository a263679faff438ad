/**
 * DuckDbGoldEngine's own settings: constructed without options (tests, benches, compaction) it takes DuckDB's memory
 * limit from the default of GOLD_DUCKDB_MEMORY_LIMIT, the one documented setting, not from a figure of its own.
 */
import { describe, expect, it } from '@jest/globals';

import { DuckDbGoldEngine } from '../../../shared/adapters/DuckDbGoldEngine.js';
import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
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
    });
});
