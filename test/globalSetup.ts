/**
 * Vitest global setup: starts Azurite (in-memory) and the Cosmos-protocol server once per run, creates the lake
 * containers and the Cosmos database/containers, and provides the connection info to every test:
 *
 *     import { inject } from 'vitest';
 *     const { lakeConnectionString, cosmosEndpoint, cosmosKey, cosmosDatabase, env } = inject('localServices');
 *
 * (or the helpers in `test/helpers/localServices.ts`). Teardown stops both services.
 */
import type { TestProject } from 'vitest/node';

import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { startLocalServices } from '../local/services.js';
import { createBlobServiceClient, createCosmosClient } from '../shared/adapters/clients.js';
import { LAKE_CONTAINERS } from '../shared/config/settingNames.js';
import type { LocalServicesInfo } from './helpers/providedContext.js';

const DATABASE = 'maritime-test';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
    const started = Date.now();
    const services = await startLocalServices({ quiet: true });
    try {
        const blob = createBlobServiceClient({ connectionString: services.lakeConnectionString });
        const cosmos = createCosmosClient({
            endpoint: services.cosmosEndpoint,
            key: services.cosmosKey,
            database: DATABASE,
        });
        await Promise.all([
            ...LAKE_CONTAINERS.map((name) => blob.getContainerClient(name).createIfNotExists()),
            ensureCosmosResources(cosmos, DATABASE),
        ]);
        cosmos.dispose();
    } catch (error) {
        await services.stop();
        throw error;
    }
    const info: LocalServicesInfo = {
        lakeConnectionString: services.lakeConnectionString,
        cosmosEndpoint: services.cosmosEndpoint,
        cosmosKey: services.cosmosKey,
        cosmosDatabase: DATABASE,
        env: {
            LAKE_CONNECTION_STRING: services.lakeConnectionString,
            COSMOS_ENDPOINT: services.cosmosEndpoint,
            COSMOS_KEY: services.cosmosKey,
            COSMOS_DATABASE: DATABASE,
        },
    };
    project.provide('localServices', info);
    if (process.env.LOCAL_SERVICES_VERBOSE === '1') {
        console.log(
            `local services up in ${Date.now() - started} ms: ${services.blobEndpoint} ${services.cosmosEndpoint}`,
        );
    }
    return () => services.stop();
}
