/**
 * Telemetry reaches an Application Insights resource with local auth disabled only with an Entra credential: the
 * adapter must hand the managed identity's credential to the SDK before `start()`, and the pinned SDK must turn it
 * into the exporter's credential.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from '@jest/globals';
import appInsights from 'applicationinsights';

import { getCredential } from '../../../shared/adapters/clients.js';
import {
    appInsightsMetrics,
    type ApplicationInsightsModule,
    resetTelemetryForTests,
    startAppTelemetry,
    startTelemetry,
    telemetryIdentity,
} from '../../../shared/adapters/telemetry.js';
import { loadConfig } from '../../../shared/config/loadConfig.js';

const CONNECTION_STRING =
    'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

const fakeCredential: TokenCredential = {
    getToken: (): Promise<AccessToken> =>
        Promise.resolve({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** A stand-in for the `applicationinsights` module that records the calls and what the client held at start(). */
function recordingModule() {
    const calls: string[] = [];
    const metrics: unknown[] = [];
    let credentialAtStart: TokenCredential | undefined;
    const defaultClient = {
        config: {} as { aadTokenCredential?: TokenCredential },
        trackMetric: (m: unknown) => metrics.push(m),
    };
    let isSetUp = false;
    const mod: ApplicationInsightsModule = {
        setup(connectionString) {
            calls.push(`setup ${connectionString}`);
            isSetUp = true;
            return { setAutoCollectConsole: (v: boolean) => calls.push(`console ${v}`) };
        },
        start() {
            calls.push('start');
            credentialAtStart = defaultClient.config.aadTokenCredential;
        },
        get defaultClient() {
            return isSetUp ? defaultClient : undefined;
        },
    };
    return { mod, calls, metrics, credentialAtStart: () => credentialAtStart, defaultClient };
}

afterEach(() => resetTelemetryForTests());

describe('startTelemetry', () => {
    it('sets the Entra credential on the client before start() (start reads it into the exporter options)', async () => {
        const rec = recordingModule();
        await startTelemetry(CONNECTION_STRING, fakeCredential, () => Promise.resolve(rec.mod));
        expect(rec.calls).toEqual([`setup ${CONNECTION_STRING}`, 'console false', 'start']);
        expect(rec.credentialAtStart()).toBe(fakeCredential);
        appInsightsMetrics.track('ais.accepted', 3, { partitionId: '0' });
        expect(rec.metrics).toEqual([{ name: 'ais.accepted', value: 3, properties: { partitionId: '0' } }]);
    });

    it('starts once per worker, and not at all without a connection string', async () => {
        const rec = recordingModule();
        await expect(
            startTelemetry(undefined, fakeCredential, () => Promise.resolve(rec.mod)),
        ).resolves.toBeUndefined();
        expect(rec.calls).toEqual([]);
        await startTelemetry(CONNECTION_STRING, fakeCredential, () => Promise.resolve(rec.mod));
        await startTelemetry(CONNECTION_STRING, fakeCredential, () => Promise.resolve(rec.mod));
        expect(rec.calls.filter((c) => c === 'start')).toHaveLength(1);
    });

    it('starts the Azure settings with the managed identity credential every other client uses', async () => {
        const rec = recordingModule();
        const config = loadConfig({
            LAKE_BLOB_ENDPOINT: 'https://lake.blob.core.windows.net',
            COSMOS_ENDPOINT: 'https://cosmos.documents.azure.com:443/',
            AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
            APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
            APPLICATIONINSIGHTS_AUTHENTICATION_STRING:
                'ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD',
        });
        await startAppTelemetry(config, () => Promise.resolve(rec.mod));
        expect(rec.credentialAtStart()).toBeDefined();
        expect(rec.credentialAtStart()).toBe(getCredential('11111111-2222-3333-4444-555555555555'));
    });
});

describe('telemetryIdentity', () => {
    it('takes the ClientId of an Authorization=AAD authentication string', () => {
        expect(
            telemetryIdentity({
                authenticationString: 'ClientId=abc;Authorization=AAD',
                azureClientId: 'other',
            }),
        ).toEqual({ clientId: 'abc' });
        expect(telemetryIdentity({ authenticationString: 'Authorization=AAD' })).toEqual({});
        expect(telemetryIdentity({ authenticationString: 'Authorization=AAD', azureClientId: 'id' })).toEqual(
            { clientId: 'id' },
        );
    });

    it('falls back to AZURE_CLIENT_ID, and is absent locally (no identity configured)', () => {
        expect(telemetryIdentity({ azureClientId: 'id' })).toEqual({ clientId: 'id' });
        expect(telemetryIdentity({})).toBeUndefined();
    });
});

describe('the pinned applicationinsights SDK', () => {
    it('turns defaultClient.config.aadTokenCredential into the Azure Monitor exporter credential', () => {
        // A client of its own (not the global one): parseConfig is what initialize() -> useAzureMonitor() receives.
        const client = new appInsights.TelemetryClient(CONNECTION_STRING, { useGlobalProviders: false });
        client.config.aadTokenCredential = fakeCredential;
        const options = (
            client.config as unknown as {
                parseConfig(): {
                    azureMonitorExporterOptions: { credential?: unknown; connectionString?: string };
                };
            }
        ).parseConfig();
        expect(options.azureMonitorExporterOptions.credential).toBe(fakeCredential);
        expect(options.azureMonitorExporterOptions.connectionString).toBe(CONNECTION_STRING);
    });
});
