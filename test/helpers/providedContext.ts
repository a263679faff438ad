/** Types of the values `test/globalSetup.ts` provides to tests (`inject('localServices')` from 'vitest'). */
export interface LocalServicesInfo {
    /** Azurite connection string (`LAKE_CONNECTION_STRING`). */
    lakeConnectionString: string;
    /** Cosmos-protocol server endpoint (`COSMOS_ENDPOINT`), HTTPS with a self-signed certificate. */
    cosmosEndpoint: string;
    cosmosKey: string;
    /** Database created by the global setup with every container of `COSMOS_CONTAINERS`. */
    cosmosDatabase: string;
    /** The same as app settings, ready for `loadConfig({ ...env })`. */
    env: Record<string, string>;
}

declare module 'vitest' {
    export interface ProvidedContext {
        localServices: LocalServicesInfo;
    }
}
