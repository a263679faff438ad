/**
 * Custom metrics through Application Insights (the `applicationinsights` 3.x SDK, a shim over Azure Monitor
 * OpenTelemetry). Started once per worker, at module load of the Azure entry (functions/index.ts), and only when
 * `APPLICATIONINSIGHTS_CONNECTION_STRING` is set: locally and in tests the metrics go nowhere (or to an injected
 * sink).
 *
 * Entra authentication: Bicep disables local (instrumentation-key) auth on the Application Insights resource, so
 * the ingestion endpoint accepts only telemetry sent with an Entra token. `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`
 * is read by the Functions host for its own telemetry, NOT by this SDK: the SDK needs the credential object. In
 * applicationinsights 3.x the shim's `defaultClient.config.aadTokenCredential` becomes
 * `azureMonitorExporterOptions.credential` when the client initialises (`ShimConfig.parseConfig`, called by
 * `start()`), so it must be set between `setup()` and `start()`. Checked against the SDK source
 * (node_modules/applicationinsights/out/src/shim/shim-config.js, telemetryClient.js `initialize`) and
 * https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication (Node.js: the credential, and the
 * Monitoring Metrics Publisher role on the resource, which rbac.bicep grants).
 */
import type { TokenCredential } from '@azure/identity';

import type { Metrics } from '../app/ports.js';
import type { AppConfig } from '../config/loadConfig.js';
import { getCredential } from './clients.js';

export const noMetrics: Metrics = { track: () => undefined };

interface TelemetryClientLike {
    trackMetric(m: { name: string; value: number; properties?: Record<string, string> }): void;
    config: { aadTokenCredential?: TokenCredential };
}

/** The part of the `applicationinsights` module this adapter uses (the real module, or a recording fake in tests). */
export interface ApplicationInsightsModule {
    setup(connectionString: string): { setAutoCollectConsole(value: boolean): unknown };
    start(): unknown;
    readonly defaultClient: TelemetryClientLike | undefined;
}

export interface TelemetrySettings {
    /** `APPLICATIONINSIGHTS_CONNECTION_STRING`; telemetry is off without it. */
    connectionString?: string;
    /** `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (`ClientId=<id>;Authorization=AAD`). */
    authenticationString?: string;
    /** `AZURE_CLIENT_ID`: the user-assigned identity of every SDK client. */
    azureClientId?: string;
}

/**
 * Which identity telemetry authenticates with: the `ClientId` of an `Authorization=AAD` authentication string,
 * else `AZURE_CLIENT_ID` (the identity every other client uses); `undefined` = no Entra credential (local runs
 * against a resource that still accepts instrumentation keys).
 */
export function telemetryIdentity(settings: TelemetrySettings): { clientId?: string } | undefined {
    const parts = new Map(
        (settings.authenticationString ?? '')
            .split(';')
            .map((p) => p.split('=').map((s) => s.trim()))
            .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '')
            .map(([k, v]) => [k.toLowerCase(), v]),
    );
    if (parts.get('authorization')?.toUpperCase() === 'AAD') {
        const clientId = parts.get('clientid') ?? settings.azureClientId;
        return clientId === undefined ? {} : { clientId };
    }
    return settings.azureClientId === undefined ? undefined : { clientId: settings.azureClientId };
}

let client: TelemetryClientLike | undefined;
let started: Promise<TelemetryClientLike | undefined> | undefined;

const loadApplicationInsights = async (): Promise<ApplicationInsightsModule> =>
    // A CommonJS package imported from ESM: its exports are the default export.
    (await import('applicationinsights')).default;

/**
 * Starts Application Insights once per worker when a connection string is configured, with `credential` (the
 * managed identity's) for Entra-authenticated ingestion. Later calls return the first start.
 * Host-level telemetry (requests, traces from `context.log`) is sent by the Functions host itself; this adds the
 * pipeline's custom metrics.
 */
export function startTelemetry(
    connectionString: string | undefined,
    credential: TokenCredential | undefined,
    load: () => Promise<ApplicationInsightsModule> = loadApplicationInsights,
): Promise<TelemetryClientLike | undefined> {
    if (!connectionString) return Promise.resolve(undefined);
    started ??= load().then((ai) => {
        const configuration = ai.setup(connectionString);
        configuration.setAutoCollectConsole(false);
        const defaultClient = ai.defaultClient;
        if (defaultClient === undefined)
            throw new Error('applicationinsights: setup() created no default client');
        // Before start(): start() initialises the client and reads the credential into the exporter options.
        if (credential !== undefined) defaultClient.config.aadTokenCredential = credential;
        ai.start();
        client = defaultClient;
        return client;
    });
    return started;
}

/**
 * Starts telemetry from the app settings: the connection string, and the credential of the identity
 * `telemetryIdentity` picks (the same `DefaultAzureCredential` instance the storage, Cosmos DB and Event Hubs
 * clients use, so one token cache per identity).
 */
export function startAppTelemetry(
    config: Readonly<AppConfig>,
    load: () => Promise<ApplicationInsightsModule> = loadApplicationInsights,
): Promise<TelemetryClientLike | undefined> {
    const identity = telemetryIdentity({ ...config.appInsights, azureClientId: config.azureClientId });
    return startTelemetry(
        config.appInsights.connectionString,
        identity && getCredential(identity.clientId),
        load,
    );
}

/** Forgets the started client (tests only: the SDK itself cannot be stopped and started again). */
export function resetTelemetryForTests(): void {
    client = undefined;
    started = undefined;
}

/** Metrics that go to Application Insights once it is started, and are dropped before (or when it is off). */
export const appInsightsMetrics: Metrics = {
    track(name, value, properties) {
        client?.trackMetric({ name, value, ...(properties ? { properties } : {}) });
    },
};
