/**
 * Creates the Cosmos DB database and containers locally. In Azure, Bicep creates them: identity-based
 * (data-plane RBAC) clients cannot create databases or containers.
 */
import type { CosmosClient, Database } from '@azure/cosmos';

import { COSMOS_CONTAINERS } from '../shared/config/settingNames.js';

/** Creates `databaseName` and every container of `COSMOS_CONTAINERS` if missing (idempotent). */
export async function ensureCosmosResources(client: CosmosClient, databaseName: string): Promise<Database> {
    const { database } = await client.databases.createIfNotExists({ id: databaseName });
    for (const spec of COSMOS_CONTAINERS) {
        await database.containers.createIfNotExists({
            id: spec.name,
            partitionKey: { paths: [spec.partitionKey] },
            defaultTtl: spec.defaultTtl,
        });
    }
    return database;
}
