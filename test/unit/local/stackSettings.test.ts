/**
 * The local stack's own settings: DuckDB's memory limit of the stack's gold builds and sensor builds is the local one
 * (lower than the Azure default, see `LOCAL_STACK_SETTINGS`), and so is compaction's (`COMPACTION_DUCKDB_MEMORY_LIMIT`),
 * unless the caller's environment sets it.
 */
import { describe, expect, it } from '@jest/globals';

import { LOCAL_STACK_SETTINGS, stackSettings } from '../../../local/stack.js';
import { loadConfig, settingDefault } from '../../../shared/config/loadConfig.js';

const SERVICES = {
    lakeConnectionString: 'UseDevelopmentStorage=true',
    cosmosEndpoint: 'https://127.0.0.1:8081',
    cosmosKey: 'a2V5',
};

describe('stackSettings', () => {
    it("runs DuckDB with the local stack's memory limit, not the Azure default", () => {
        const settings = stackSettings(SERVICES, '/tmp/dead', {});
        expect(settings.GOLD_DUCKDB_MEMORY_LIMIT).toBe(LOCAL_STACK_SETTINGS.GOLD_DUCKDB_MEMORY_LIMIT);
        expect(settings.GOLD_DUCKDB_MEMORY_LIMIT).not.toBe(settingDefault('GOLD_DUCKDB_MEMORY_LIMIT'));
        const config = loadConfig(settings);
        expect(config.gold.duckdbMemoryLimit).toBe(LOCAL_STACK_SETTINGS.GOLD_DUCKDB_MEMORY_LIMIT);
        expect(config.compaction.duckdbMemoryLimit).toBe(LOCAL_STACK_SETTINGS.COMPACTION_DUCKDB_MEMORY_LIMIT);
        expect(config.compaction.duckdbMemoryLimit).not.toBe(
            settingDefault('COMPACTION_DUCKDB_MEMORY_LIMIT'),
        );
    });

    it('leaves the limit to the environment when it sets one', () => {
        const settings = stackSettings(SERVICES, '/tmp/dead', {
            environment: { GOLD_DUCKDB_MEMORY_LIMIT: '1GB', COMPACTION_DUCKDB_MEMORY_LIMIT: '512MB' },
        });
        expect(settings.GOLD_DUCKDB_MEMORY_LIMIT).toBe('1GB');
        expect(settings.COMPACTION_DUCKDB_MEMORY_LIMIT).toBe('512MB');
    });
});
