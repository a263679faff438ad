/**
 * The worker's check for missing resources (shared/adapters/resources.ts): a batch or request that fails because a
 * lake container, the Cosmos DB database or a container does not exist (`func start` against fresh emulators
 * before `npx maritime setup`) fails with a `MissingResourceError` naming it, instead of a raw SDK error. The
 * clients are the worker's own, built from the settings on the first failure.
 */
import { createLakeContainers, getBlobServiceClient, getCosmosClient } from '../shared/adapters/clients.js';
import { ResourceCheck } from '../shared/adapters/resources.js';
import { getConfig } from '../shared/config/loadConfig.js';

export const resourceCheck = new ResourceCheck(() => {
    const config = getConfig();
    return { lake: createLakeContainers(getBlobServiceClient(config)), cosmos: getCosmosClient(config), database: config.cosmos.database };
});
