/**
 * Composition root shared by the function files: builds the adapters once per worker (lazily, from the
 * checked settings) and the per-invocation dependencies of the use cases.
 */
import type { InvocationContext } from '@azure/functions';

import { BlobLake } from '../shared/adapters/BlobLake.js';
import { createLakeContainers, getBlobServiceClient, getVesselsContainer } from '../shared/adapters/clients.js';
import { CosmosVesselStore } from '../shared/adapters/CosmosVesselStore.js';
import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { appInsightsMetrics, startTelemetry } from '../shared/adapters/telemetry.js';
import type { IngestDeps } from '../shared/app/ingestAisBatch.js';
import type { Clock, LakeReader, LakeWriter, Metrics, VesselStateStore } from '../shared/app/ports.js';
import { getConfig } from '../shared/config/loadConfig.js';

export interface Runtime {
    lake: LakeWriter & LakeReader;
    vessels: VesselStateStore;
    clock: Clock;
    metrics: Metrics;
}

const systemClock: Clock = { now: () => Date.now() };

let runtime: Runtime | undefined;

/** The adapters, created on first use. Tests and the local host may install their own with `setRuntime`. */
export function getRuntime(): Runtime {
    if (!runtime) {
        const config = getConfig();
        void startTelemetry(config.appInsights.connectionString);
        runtime = {
            lake: new BlobLake(createLakeContainers(getBlobServiceClient(config))),
            vessels: new CosmosVesselStore(getVesselsContainer(config), { trackTtlDays: config.trackTtlDays }),
            clock: systemClock,
            metrics: appInsightsMetrics,
        };
    }
    return runtime;
}

export function setRuntime(r: Runtime | undefined): void {
    runtime = r;
}

export function ingestDeps(context: InvocationContext): IngestDeps {
    const rt = getRuntime();
    const c = getConfig().ingest;
    return {
        lake: rt.lake,
        vessels: rt.vessels,
        clock: rt.clock,
        metrics: rt.metrics,
        logger: invocationLogger(context),
        settings: {
            futureToleranceMs: c.eventTimeFutureToleranceSeconds * 1000,
            maxAgeMs: c.eventTimeMaxAgeDays * 86_400_000,
            implausibleSpeedKnots: c.implausibleSpeedKnots,
            h3Resolution: c.h3Resolution,
        },
    };
}
