/**
 * SDK client factories: `create*` build a new client from a config section. The composition root
 * (`functions/runtime.ts`) makes one of each per runtime; tests and tools make their own.
 *
 * Azure: every client authenticates with `DefaultAzureCredential` pinned to the user-assigned identity
 * (`AZURE_CLIENT_ID`). Local: connection string (Azurite) and key (Cosmos-protocol server).
 */
import { Agent } from 'node:https';

import { CosmosClient, type CosmosClientOptions } from '@azure/cosmos';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';

import type { LakeContainer } from '../app/ports.js';
import { type AppConfig, isLocalEndpoint } from '../config/loadConfig.js';
import { LAKE_CONTAINERS } from '../config/settingNames.js';

/** Blob retries: 4 tries with exponential back-off (SDK default policy), each try bounded so a hung call fails. */
const BLOB_PIPELINE_OPTIONS: StoragePipelineOptions = {
    retryOptions: { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000, tryTimeoutInMs: 60_000 },
    userAgentOptions: { userAgentPrefix: 'maritime-pipeline' },
};

/**
 * The HTTPS agent of a client of a local Cosmos-protocol server (self-signed certificate: trusted for this client
 * only, never process-wide through NODE_TLS_REJECT_UNAUTHORIZED).
 *
 * Sockets are bounded and idle ones closed. A TLS socket's buffers live as long as the socket, on both ends, and the
 * local server runs in the stack's own process. Unbounded, the SDK's concurrent requests opened about a hundred
 * keep-alive sockets that were never closed (the agent's idle sockets have no timeout by default); a heaptrack
 * profile of a soak found 112 MB of TLS write buffers (`NodeBIO::TryAllocateForWrite`) live at its peak, and the
 * process's main malloc arena grew ~15 MB/min. Bounded, it stayed flat (README "Fault harness and soak").
 * The idle timeout (10 s) is well under the server's keep-alive (600 s), so the client always closes first and never
 * reuses a socket the server is closing.
 */
export const LOCAL_COSMOS_AGENT_OPTIONS = {
    rejectUnauthorized: false,
    keepAlive: true,
    maxSockets: 16,
    maxFreeSockets: 4,
    timeout: 10_000,
} as const;

/** Cosmos 429 handling: up to 9 retries within 30 s honouring x-ms-retry-after-ms, then the 429 surfaces. */
const COSMOS_RETRY_OPTIONS = { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 30 } as const;

const credentials = new Map<string, TokenCredential>();

/** One DefaultAzureCredential per identity (token caching is per credential instance). */
export function getCredential(azureClientId?: string): TokenCredential {
    const key = azureClientId ?? '';
    let credential = credentials.get(key);
    if (credential === undefined) {
        credential = new DefaultAzureCredential(
            azureClientId === undefined ? {} : { managedIdentityClientId: azureClientId },
        );
        credentials.set(key, credential);
    }
    return credential;
}

export function createBlobServiceClient(lake: AppConfig['lake'], azureClientId?: string): BlobServiceClient {
    if (lake.connectionString !== undefined) {
        return BlobServiceClient.fromConnectionString(lake.connectionString, BLOB_PIPELINE_OPTIONS);
    }
    if (lake.blobEndpoint === undefined)
        throw new Error('lake settings need a connection string or a blob endpoint');
    return new BlobServiceClient(lake.blobEndpoint, getCredential(azureClientId), BLOB_PIPELINE_OPTIONS);
}

export function createCosmosClient(cosmos: AppConfig['cosmos'], azureClientId?: string): CosmosClient {
    const local = isLocalEndpoint(cosmos.endpoint);
    const options: CosmosClientOptions = {
        endpoint: cosmos.endpoint,
        userAgentSuffix: 'maritime-pipeline',
        connectionPolicy: {
            retryOptions: { ...COSMOS_RETRY_OPTIONS },
            requestTimeout: 30_000,
            // A local server has one region; skip discovery and the background refresh timer.
            ...(local ? { enableEndpointDiscovery: false, enableBackgroundEndpointRefreshing: false } : {}),
        },
    };
    if (cosmos.key !== undefined) {
        options.key = cosmos.key;
        if (local && cosmos.endpoint.startsWith('https:')) {
            options.agent = new Agent(LOCAL_COSMOS_AGENT_OPTIONS);
        }
    } else {
        options.aadCredentials = getCredential(azureClientId);
    }
    return new CosmosClient(options);
}

/** Container clients of the lake, by logical name (the container names are the logical names). */
export function createLakeContainers(service: BlobServiceClient): Record<LakeContainer, ContainerClient> {
    return Object.fromEntries(
        LAKE_CONTAINERS.map((name) => [name, service.getContainerClient(name)]),
    ) as Record<LakeContainer, ContainerClient>;
}
