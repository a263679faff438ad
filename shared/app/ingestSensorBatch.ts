/**
 * Use case: one Event Hub batch of ship sensor readings into bronze, quarantine and silver, the per-sensor
 * running statistics, and alerts (threshold breaches per episode from the versioned rules file, statistical
 * anomalies), through the ingest skeleton (ingestBatch.ts: bronze first, quarantine and silver by hour, alerts
 * before state, state conflicts retried, metrics `sensors.*`).
 *
 * Every reading ends as accepted, quarantined or duplicate: a copy within the batch, or of a reading an earlier
 * delivery stored (the sensor state keeps the keys of its latest readings: domain/sensors/seen.ts). Alerts are saved
 * before the sensor state: a retry recomputes the same anomalies and breach episodes from the same state and writes
 * the same alert ids; once the state is written, a redelivery skips the already applied readings (event time at or
 * before the state's mark).
 */
import { type Alert, uniqueById } from '../domain/alerts/alert.js';
import { deliveryRef } from '../domain/enrichment/storedDuplicates.js';
import { isEmptyBody } from '../domain/formats/emptyBody.js';
import { admitReading } from '../domain/sensors/admit.js';
import {
    foldSensors,
    groupBySensor,
    type LocatedReading,
    placeReadings,
    type SensorFoldSettings,
    type SensorWrite,
    vesselsToPlace,
} from '../domain/sensors/fold.js';
import { parseSensorEvents, type RuleSet, sensorKeyOf } from '../domain/sensors/index.js';
import { unseenReadings } from '../domain/sensors/seen.js';
import type { DeliveryRef } from '../domain/vessel/state.js';
import type { ZoneIndex } from '../domain/zones/index.js';
import {
    conflictedWrites,
    ingestBatch,
    type IngestCoreDeps,
    type IngestFeed,
    type IngestStory,
    type IngestSummary,
    newSummary,
    skippedSummary,
} from './ingestBatch.js';
import type {
    AlertPublisher,
    AlertStore,
    EventMetadata,
    ReceivedEvent,
    SensorStateStore,
    StoredSensorState,
    StoredVesselState,
    VesselStateStore,
} from './ports.js';
import { sensorReadingRow } from './silverRows.js';
import { SENSOR_COLUMNS, SENSOR_READINGS_TABLE } from './silverTables.js';

export const SENSOR_SOURCE = 'sensors';

export interface SensorIngestSettings extends SensorFoldSettings {
    futureToleranceMs: number;
    maxAgeMs: number;
}

export interface SensorIngestDeps extends IngestCoreDeps {
    alerts: AlertStore;
    publisher: AlertPublisher;
    sensors: SensorStateStore;
    vessels: VesselStateStore;
    zones: ZoneIndex;
    rules: RuleSet;
    settings: SensorIngestSettings;
}

export interface SensorBatchSummary extends IngestSummary {
    sensors: number;
    alerts: number;
    thresholdAlerts: number;
    anomalyAlerts: number;
}

interface Accepted extends LocatedReading {
    flags: readonly string[];
    meta: EventMetadata;
    /** The delivery it came in (cross-batch de-duplication, domain/sensors/seen.ts). */
    ref: DeliveryRef;
}

const SENSOR_FEED: IngestFeed<SensorBatchSummary> = {
    source: SENSOR_SOURCE,
    emptySummary: (events) =>
        newSummary(events, { sensors: 0, alerts: 0, thresholdAlerts: 0, anomalyAlerts: 0 }),
    countItems: (events) =>
        events.reduce((n, e) => n + (isEmptyBody(e.body) ? 1 : parseSensorEvents(e.body).length), 0),
};

function sensorStory(deps: SensorIngestDeps): IngestStory<SensorBatchSummary, Accepted> {
    const { settings } = deps;
    const foldSettings = { ...settings, ruleVersion: deps.rules.version };
    return {
        ...SENSOR_FEED,
        admit(events, ledger, summary, now) {
            const ctx = { now, futureToleranceMs: settings.futureToleranceMs, maxAgeMs: settings.maxAgeMs };
            const accepted: Accepted[] = [];
            const seen = new Set<string>();
            for (const { body, meta } of ledger.withBodies(events, 'json')) {
                let ref: DeliveryRef | undefined;
                const make = (reading: Accepted['reading'], flags: readonly string[]): Accepted => {
                    ref ??= deliveryRef(summary.batchId, meta);
                    return { reading, flags, meta, ref, zones: [] };
                };
                for (const outcome of parseSensorEvents(body)) {
                    const refusal = admitReading(outcome, ctx, seen, accepted, make);
                    ledger.settle({ raw: outcome.raw, format: 'json' }, meta, refusal);
                }
            }
            return accepted;
        },
        async plan(admitted, summary, now, ledger) {
            // The sensors' states, read once: for the readings an earlier delivery stored (duplicates), then the fold.
            const keys = [...new Set(admitted.map((a) => sensorKeyOf(a.reading)))];
            const stored =
                keys.length > 0 ? await deps.sensors.get(keys) : new Map<string, StoredSensorState>();
            const accepted = unseenReadings(admitted, stored, () => ledger.storedDuplicate());
            // Where each reading was (else its vessel's latest fix), the zones there and the thresholds that apply there.
            const mmsis = vesselsToPlace(accepted);
            const vessels =
                mmsis.length > 0 ? await deps.vessels.getStates(mmsis) : new Map<number, StoredVesselState>();
            placeReadings(accepted, vessels, deps.zones, deps.rules);
            // Per sensor, in event-time order: the running statistics with anomalies against the state before each
            // value, and the threshold breach episodes (alerts when one starts, escalates or clears).
            const bySensor = groupBySensor(accepted);
            summary.sensors = bySensor.size;
            const raised: Alert[] = [];
            const writes = foldSensors(bySensor, [...bySensor.keys()], stored, foldSettings, now, raised);
            summary.thresholdAlerts = raised.filter((a) => a.kind === 'sensor-threshold').length;
            summary.anomalyAlerts = raised.length - summary.thresholdAlerts;
            const alerts = uniqueById(raised);
            summary.alerts = alerts.length;
            const rows = accepted.map((a) => sensorReadingRow(a, now));
            return {
                silver: [{ table: SENSOR_READINGS_TABLE, columns: SENSOR_COLUMNS, rows }],
                alerts,
                state: {
                    what: 'sensor',
                    writes,
                    write: async (pending: readonly SensorWrite[]) =>
                        conflictedWrites(
                            pending,
                            await deps.sensors.write(pending),
                            (w) => w.state.sensorKey,
                            (r) => r.sensorKey,
                        ),
                    async recompute(conflicted: readonly SensorWrite[]) {
                        const again = conflicted.map((w) => w.state.sensorKey);
                        const read = await deps.sensors.get(again);
                        return foldSensors(bySensor, again, read, foldSettings, now, undefined);
                    },
                },
            };
        },
        metrics: (s) => ({ alerts: s.alerts }),
    };
}

/** The summary of a batch that did not land (dead-lettered): each of its readings counted as skipped. */
export function skippedSensorSummary(events: readonly ReceivedEvent[]): SensorBatchSummary {
    return skippedSummary(SENSOR_FEED, events);
}

export async function ingestSensorBatch(
    events: readonly ReceivedEvent[],
    deps: SensorIngestDeps,
): Promise<SensorBatchSummary> {
    return ingestBatch(events, sensorStory(deps), deps);
}
