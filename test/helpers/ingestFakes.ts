/**
 * The dependencies of the ingest use cases for tests: `aisIngestFakes()` for `ingestAisBatch`, `sensorIngestFakes()`
 * for `ingestSensorBatch`. Each call builds fresh in-memory fakes that keep what they were given (lake, vessel and
 * sensor state, alerts, published alerts, log lines, metrics), a clock fixed at {@link NOW}, the built-in zones and
 * sensor rules, and ordinary settings. A test states only what it is about:
 *
 *     const d = aisIngestFakes({ settings: { maxAgeMs: 1e13 } });      // archives years old
 *     const again = aisIngestFakes({ vessels: d.vessels, lake: d.lake }); // the next batch, same stores
 *     const real = aisIngestFakes({ lake: testLake.lake, vessels: cosmosStore }); // against the local services
 *
 * An override replaces the fake of that name (and its type in the result); `settings` are merged into the defaults.
 */
import rulesFile from '../../config/sensor-rules.json' with { type: 'json' };
import { InMemoryAlertStore } from '../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryLake } from '../../shared/adapters/memory/InMemoryLake.js';
import { InMemorySensorStateStore } from '../../shared/adapters/memory/InMemorySensorStateStore.js';
import { InMemoryVesselStore } from '../../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../../shared/adapters/memory/RecordingAlertPublisher.js';
import type { IngestDeps, IngestSettings } from '../../shared/app/ingestAisBatch.js';
import type { SensorIngestDeps, SensorIngestSettings } from '../../shared/app/ingestSensorBatch.js';
import type { Clock } from '../../shared/app/ports.js';
import { loadRules, type RuleSet } from '../../shared/domain/sensors/index.js';
import { createZoneIndex, type ZoneIndex } from '../../shared/domain/zones/index.js';
import { RecordingLogger, RecordingMetrics } from '../fakes/RecordingTelemetry.js';
import { NOW } from './factories.js';

const DAY_MS = 86_400_000;

/** AIS ingest settings of the tests: 5 min of clock skew, 30 days back, 50 kn jumps, H3 resolution 7. */
export const AIS_INGEST_SETTINGS: Readonly<IngestSettings> = {
    futureToleranceMs: 300_000,
    maxAgeMs: 30 * DAY_MS,
    implausibleSpeedKnots: 50,
    h3Resolution: 7,
};

/** Sensor ingest settings of the tests: as the AIS ones, and anomaly statistics (half-life 50, z 3, 30 readings). */
export const SENSOR_INGEST_SETTINGS: Readonly<SensorIngestSettings> = {
    futureToleranceMs: 300_000,
    maxAgeMs: 30 * DAY_MS,
    statsHalfLife: 50,
    zThreshold: 3,
    minCount: 30,
};

/** The fakes of the AIS ingest, typed as themselves so a test can read back what the use case did. */
export interface AisIngestFakes extends IngestDeps {
    lake: InMemoryLake;
    vessels: InMemoryVesselStore;
    alerts: InMemoryAlertStore;
    publisher: RecordingAlertPublisher;
    logger: RecordingLogger;
    metrics: RecordingMetrics;
}

/** The fakes of the sensor ingest. */
export interface SensorIngestFakes extends SensorIngestDeps {
    lake: InMemoryLake;
    sensors: InMemorySensorStateStore;
    vessels: InMemoryVesselStore;
    alerts: InMemoryAlertStore;
    publisher: RecordingAlertPublisher;
    logger: RecordingLogger;
    metrics: RecordingMetrics;
}

/** What a test may replace: any dependency, and some of the settings. */
export type IngestOverrides<D extends { settings: object }> = Partial<Omit<D, 'settings'>> & {
    settings?: Partial<D['settings']>;
};

/** The fakes with the overrides in their place (an override's type replaces the fake's). */
export type WithOverrides<F extends { settings: object }, O> = Omit<F, Exclude<keyof O, 'settings'>> &
    Omit<O, 'settings'>;

let zones: ZoneIndex | undefined;
let rules: RuleSet | undefined;

/** The built-in zones (built once per test file: they do not change). */
export const testZones = (): ZoneIndex => (zones ??= createZoneIndex());

/** The sensor rules of config/sensor-rules.json (loaded once per test file). */
export const testRules = (): RuleSet => (rules ??= loadRules(rulesFile));

/** The parts both use cases share: the clock (and a lake on it), alerts, publisher, logger, metrics, zones. */
function commonFakes(clock: Clock = { now: () => NOW }) {
    return {
        lake: new InMemoryLake(() => clock.now()),
        vessels: new InMemoryVesselStore(),
        zones: testZones(),
        alerts: new InMemoryAlertStore(),
        publisher: new RecordingAlertPublisher(),
        clock,
        logger: new RecordingLogger(),
        metrics: new RecordingMetrics(),
    };
}

/** Fresh dependencies of `ingestAisBatch`, with `overrides` in place. */
export function aisIngestFakes<O extends IngestOverrides<IngestDeps> = Record<never, never>>(
    overrides: O = {} as O,
): WithOverrides<AisIngestFakes, O> {
    const { settings, ...given } = overrides;
    return {
        ...commonFakes(given.clock),
        ...given,
        settings: { ...AIS_INGEST_SETTINGS, ...settings },
    };
}

/** Fresh dependencies of `ingestSensorBatch`, with `overrides` in place. */
export function sensorIngestFakes<O extends IngestOverrides<SensorIngestDeps> = Record<never, never>>(
    overrides: O = {} as O,
): WithOverrides<SensorIngestFakes, O> {
    const { settings, ...given } = overrides;
    return {
        ...commonFakes(given.clock),
        sensors: new InMemorySensorStateStore(),
        rules: testRules(),
        ...given,
        settings: { ...SENSOR_INGEST_SETTINGS, ...settings },
    };
}
