/**
 * Custom metrics through Application Insights (the `applicationinsights` 3.x SDK, a shim over Azure Monitor
 * OpenTelemetry). Set up once per worker, and only when `APPLICATIONINSIGHTS_CONNECTION_STRING` is set: locally
 * and in tests the metrics go nowhere (or to an injected sink).
 */
import type { Metrics } from '../app/ports.js';

export const noMetrics: Metrics = { track: () => undefined };

interface TelemetryClientLike {
    trackMetric(m: { name: string; value: number; properties?: Record<string, string> }): void;
}

let client: TelemetryClientLike | undefined;
let started: Promise<TelemetryClientLike | undefined> | undefined;

/**
 * Starts Application Insights when a connection string is configured. Safe to call more than once.
 * Host-level telemetry (requests, traces from `context.log`) is sent by the Functions host itself; this adds
 * the pipeline's custom metrics.
 */
export function startTelemetry(connectionString: string | undefined): Promise<TelemetryClientLike | undefined> {
    if (!connectionString) return Promise.resolve(undefined);
    started ??= import('applicationinsights').then((mod) => {
        // A CommonJS package imported from ESM: its exports are the default export.
        const ai = mod.default;
        ai.setup(connectionString).setAutoCollectConsole(false).start();
        client = ai.defaultClient;
        return client;
    });
    return started;
}

/** Metrics that go to Application Insights once it is started, and are dropped before (or when it is off). */
export const appInsightsMetrics: Metrics = {
    track(name, value, properties) {
        client?.trackMetric({ name, value, ...(properties ? { properties } : {}) });
    },
};
