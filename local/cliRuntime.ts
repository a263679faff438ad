/**
 * The runtime of the CLI's batch commands (`maritime gold`, `compact`, `lineage`): over the lake and Cosmos the app
 * settings of the environment name (as in Azure), or with `--local` over the embedded services and the data
 * `npm start` persisted (restored from its snapshot, saved back at close). The environment's other settings apply
 * either way.
 */
import { mkdirSync } from 'node:fs';

import { createRuntime, type Runtime } from '../functions/runtime.js';
import { createLakeContainers } from '../shared/adapters/clients.js';
import { appSettingsIn, loadConfig } from '../shared/config/loadConfig.js';
import { LAKE_CONTAINERS } from '../shared/config/settingNames.js';
import { ensureCosmosResources } from './cosmosSetup.js';
import { restoreCosmosSnapshot, saveCosmosSnapshot } from './cosmosSnapshot.js';
import { startLocalServices } from './services.js';

export interface CliRuntimeOptions {
    local: boolean;
    dataDir: string;
}

export interface CliRuntime {
    runtime: Runtime;
    /** Saves the local snapshot (with `--local`), releases the clients and stops the local services. */
    close(): Promise<void>;
}

export async function openCliRuntime(options: CliRuntimeOptions): Promise<CliRuntime> {
    const environment = appSettingsIn(process.env);
    if (!options.local) {
        const runtime = createRuntime(loadConfig(environment));
        return { runtime, close: () => Promise.resolve(runtime.dispose()) };
    }
    mkdirSync(options.dataDir, { recursive: true });
    const services = await startLocalServices({ dataDir: options.dataDir, quiet: true });
    let runtime: Runtime | undefined;
    try {
        runtime = createRuntime(
            loadConfig({
                ...environment,
                LAKE_CONNECTION_STRING: services.lakeConnectionString,
                COSMOS_ENDPOINT: services.cosmosEndpoint,
                COSMOS_KEY: services.cosmosKey,
            }),
        );
        const lake = createLakeContainers(runtime.blobService);
        await Promise.all(LAKE_CONTAINERS.map((name) => lake[name].createIfNotExists()));
        await ensureCosmosResources(runtime.cosmos, runtime.config.cosmos.database);
        await restoreCosmosSnapshot(services.cosmosData, runtime.config.cosmos.database, options.dataDir);
    } catch (error) {
        runtime?.dispose();
        await services.stop();
        throw error;
    }
    const rt = runtime;
    return {
        runtime: rt,
        async close() {
            try {
                await saveCosmosSnapshot(services.cosmosData, rt.config.cosmos.database, options.dataDir);
            } finally {
                rt.dispose();
                await services.stop();
            }
        },
    };
}
