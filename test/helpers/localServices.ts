/**
 * Helpers for integration tests against the local services started by `test/globalSetup.ts`. Each helper
 * creates isolated resources (own database / own lake containers) so test files can run in parallel.
 */
import { randomUUID } from 'node:crypto';

import type { Container, CosmosClient } from '@azure/cosmos';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { QueueServiceClient } from '@azure/storage-queue';

import { ensureCosmosResources } from '../../local/cosmosSetup.js';
import { BlobLake } from '../../shared/adapters/BlobLake.js';
import { createBlobServiceClient, createCosmosClient } from '../../shared/adapters/clients.js';
import { createQueueServiceClient, poisonQueueName } from '../../shared/adapters/StorageShardQueue.js';
import type { LakeContainer } from '../../shared/app/ports.js';
import { type AppConfig, loadConfig } from '../../shared/config/loadConfig.js';
import { LAKE_CONTAINERS } from '../../shared/config/settingNames.js';
import { type LocalServicesInfo, TEST_SERVICES_VARIABLE } from './providedContext.js';

let cached: LocalServicesInfo | undefined;

/** The connection info of the services the Jest global setup started (integration project only). */
export function localServices(): LocalServicesInfo {
    if (cached) return cached;
    const json = process.env[TEST_SERVICES_VARIABLE];
    if (!json) {
        throw new Error(
            `${TEST_SERVICES_VARIABLE} is not set: tests that use the local services belong under test/integration/, ` +
                'whose Jest project starts Azurite and the Cosmos-protocol server (npm test, npm run test:integration)',
        );
    }
    cached = JSON.parse(json) as LocalServicesInfo;
    return cached;
}

/** A checked config pointing at the local services; `overrides` are app settings. */
export function localConfig(overrides: Record<string, string> = {}): Readonly<AppConfig> {
    return loadConfig({ ...localServices().env, ...overrides });
}

export function localBlobServiceClient(): BlobServiceClient {
    return createBlobServiceClient({ connectionString: localServices().lakeConnectionString });
}

export function localCosmosClient(): CosmosClient {
    const s = localServices();
    return createCosmosClient({ endpoint: s.cosmosEndpoint, key: s.cosmosKey, database: s.cosmosDatabase });
}

export interface TestDatabase {
    client: CosmosClient;
    databaseId: string;
    vessels: Container;
    /** Deletes the database and disposes the client. */
    dispose(): Promise<void>;
}

/** A fresh database with every container (isolated from other test files). */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
    const client = localCosmosClient();
    const databaseId = `${prefix}-${randomUUID().slice(0, 8)}`;
    const database = await ensureCosmosResources(client, databaseId);
    return {
        client,
        databaseId,
        vessels: database.container('vessels'),
        dispose: async () => {
            await database.delete().catch(() => undefined);
            client.dispose();
        },
    };
}

export interface TestLake {
    lake: BlobLake;
    containers: Record<LakeContainer, ContainerClient>;
    dispose(): Promise<void>;
}

/** A BlobLake over fresh containers (`<prefix>-<random>-<name>`), isolated from other test files. */
export async function createTestLake(prefix = 't'): Promise<TestLake> {
    const service = localBlobServiceClient();
    const tag = `${prefix}-${randomUUID().slice(0, 8)}`;
    const containers = Object.fromEntries(
        LAKE_CONTAINERS.map((name) => [name, service.getContainerClient(`${tag}-${name}`)]),
    ) as Record<LakeContainer, ContainerClient>;
    await Promise.all(Object.values(containers).map((c) => c.createIfNotExists()));
    return {
        lake: new BlobLake(containers),
        containers,
        dispose: async () => {
            await Promise.all(Object.values(containers).map((c) => c.deleteIfExists()));
        },
    };
}

export function localQueueServiceClient(): QueueServiceClient {
    return createQueueServiceClient({ connectionString: localServices().lakeConnectionString });
}

export interface TestQueue {
    service: QueueServiceClient;
    /** A fresh queue name (`<prefix>-<random>`); its `-poison` queue is deleted with it. */
    name: string;
    dispose(): Promise<void>;
}

/** A fresh queue on Azurite's queue service (isolated from other test files). */
export async function createTestQueue(prefix = 'q'): Promise<TestQueue> {
    const service = localQueueServiceClient();
    const name = `${prefix}-${randomUUID().slice(0, 8)}`;
    await service.getQueueClient(name).create();
    return {
        service,
        name,
        dispose: async () => {
            await Promise.all(
                [name, poisonQueueName(name)].map((q) => service.getQueueClient(q).deleteIfExists()),
            );
        },
    };
}
