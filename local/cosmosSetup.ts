/**
 * Creates the Cosmos DB database and containers locally (`ensureCosmosContainers` in shared/adapters/resources.ts,
 * which `npx maritime setup` uses too). In Azure, Bicep creates them: identity-based (data-plane RBAC) clients
 * cannot create databases or containers.
 */
import type { CosmosClient, Database } from '@azure/cosmos';

import { ensureCosmosContainers } from '../shared/adapters/resources.js';

/** Creates `databaseName` and every container of `COSMOS_CONTAINERS` if missing (idempotent). */
export async function ensureCosmosResources(client: CosmosClient, databaseName: string): Promise<Database> {
    await ensureCosmosContainers(client, databaseName);
    return client.database(databaseName);
}
