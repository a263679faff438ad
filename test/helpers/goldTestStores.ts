import { CosmosGoldStore } from '../../shared/adapters/CosmosGoldStore.js';
import { CosmosJobRunStore } from '../../shared/adapters/CosmosJobRunStore.js';
import { DuckDbGoldEngine } from '../../shared/adapters/DuckDbGoldEngine.js';
import { createTestDatabase, createTestLake, type TestDatabase, type TestLake } from './localServices.js';

/** What every gold integration test builds its deps from: a fresh lake on Azurite, and a database on the Cosmos-protocol server. */
export interface GoldTestStores {
    lake: TestLake;
    db: TestDatabase;
    /** The lake, the DuckDB engine over it, and the gold and job-run stores: spread them into the job's deps. */
    stores: {
        lake: TestLake['lake'];
        engine: DuckDbGoldEngine;
        gold: CosmosGoldStore;
        runs: CosmosJobRunStore;
    };
}

export async function openGoldTestStores(prefix: string): Promise<GoldTestStores> {
    const [lake, db] = await Promise.all([createTestLake(prefix), createTestDatabase(prefix)]);
    const database = db.client.database(db.databaseId);
    return {
        lake,
        db,
        stores: {
            lake: lake.lake,
            engine: new DuckDbGoldEngine(lake.lake),
            gold: new CosmosGoldStore(database.container('gold')),
            runs: new CosmosJobRunStore(database.container('jobRuns')),
        },
    };
}
