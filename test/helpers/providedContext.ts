/**
 * The connection info `test/globalSetup.ts` publishes to the test workers, as JSON in the environment variable
 * `MARITIME_TEST_SERVICES` (read it with `localServices()` from `test/helpers/localServices.ts`).
 */
export const TEST_SERVICES_VARIABLE = 'MARITIME_TEST_SERVICES';

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
