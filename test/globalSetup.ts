/**
 * Test services for the integration tests: starts Azurite (in-memory) and the Cosmos-protocol server once per
 * run, creates the lake containers and the Cosmos database/containers, and publishes the connection info in
 * the environment variable `MARITIME_TEST_SERVICES` (JSON of `LocalServicesInfo`), which Jest's workers inherit.
 * Tests read it with the helpers in `test/helpers/localServices.ts`:
 *
 *     const { lakeConnectionString, cosmosEndpoint, cosmosKey, cosmosDatabase, env } = localServices();
 *
 * Called by Jest's global setup (`test/jest/globalSetup.mjs`); `stop()` stops both services and removes the
 * variable again.
 */
import { ensureCosmosResources } from '../local/cosmosSetup.js';
import { startLocalServices } from '../local/services.js';
import { createBlobServiceClient, createCosmosClient } from '../shared/adapters/clients.js';
import { LAKE_CONTAINERS } from '../shared/config/settingNames.js';
import { type LocalServicesInfo, TEST_SERVICES_VARIABLE } from './helpers/providedContext.js';

const DATABASE = 'maritime-test';

export interface StartedTestServices {
    info: LocalServicesInfo;
    stop(): Promise<void>;
}

export async function startTestServices(): Promise<StartedTestServices> {
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
            GoldQueueConnection: services.lakeConnectionString,
            COSMOS_ENDPOINT: services.cosmosEndpoint,
            COSMOS_KEY: services.cosmosKey,
            COSMOS_DATABASE: DATABASE,
        },
    };
    process.env[TEST_SERVICES_VARIABLE] = JSON.stringify(info);
    if (process.env.LOCAL_SERVICES_VERBOSE === '1') {
        console.log(
            `local services up in ${Date.now() - started} ms: ${services.blobEndpoint} ${services.cosmosEndpoint}`,
        );
    }
    return {
        info,
        stop: async () => {
            delete process.env[TEST_SERVICES_VARIABLE];
            await services.stop();
        },
    };
}
