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
import {
    foldSensor,
    groupBySensor,
    type LocatedReading,
    readingPosition,
    type SensorFoldSettings,
    type SensorWrite,
    zoneTags,
} from '../domain/sensors/fold.js';
import {
    evaluateThresholds,
    parseSensorEvents,
    type RuleSet,
    sensorDedupeKey,
    sensorKeyOf,
    validateReading,
} from '../domain/sensors/index.js';
import { isSeenReading, withSeenReadings } from '../domain/sensors/seen.js';
import type { DeliveryRef } from '../domain/vessel/state.js';
import type { ZoneIndex } from '../domain/zones/index.js';
import {
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
    return {
        ...SENSOR_FEED,
        admit(events, ledger, summary, now) {
            const accepted: Accepted[] = [];
            for (const event of events) {
                if (isEmptyBody(event.body)) {
                    ledger.rejectEmptyBody(event, 'json');
                    continue;
                }
                let ref: DeliveryRef | undefined;
                for (const outcome of parseSensorEvents(event.body)) {
                    const item = { raw: outcome.raw, format: 'json' } as const;
                    if (!outcome.ok) {
                        ledger.reject(item, event.meta, outcome.reason, outcome.detail);
                        continue;
                    }
                    if (!ledger.firstSight(sensorDedupeKey(outcome.reading))) continue;
                    const v = validateReading(outcome.reading, {
                        now,
                        futureToleranceMs: settings.futureToleranceMs,
                        maxAgeMs: settings.maxAgeMs,
                    });
                    if (!v.ok) {
                        ledger.reject(item, event.meta, v.reason, v.detail);
                        continue;
                    }
                    ledger.accept();
                    ref ??= deliveryRef(summary.batchId, event.meta);
                    accepted.push({ reading: v.reading, flags: v.flags, meta: event.meta, ref, zones: [] });
                }
            }
            return accepted;
        },
        async plan(admitted, summary, now, ledger) {
            // Readings an earlier delivery stored are duplicates (the sensor states are read here once, for the fold too).
            const firstRead =
                admitted.length > 0
                    ? await deps.sensors.get([...new Set(admitted.map((a) => sensorKeyOf(a.reading)))])
                    : new Map<string, StoredSensorState>();
            const accepted = admitted.filter((a) => {
                if (!isSeenReading(a.reading, a.ref, firstRead.get(sensorKeyOf(a.reading)))) return true;
                ledger.storedDuplicate();
                return false;
            });
            const foldSettings = { ...settings, ruleVersion: deps.rules.version };
            // Where each reading was, the zones there and the thresholds that apply there.
            const mmsis = [
                ...new Set(
                    accepted.flatMap((a) =>
                        a.reading.position || a.reading.mmsi === undefined ? [] : [a.reading.mmsi],
                    ),
                ),
            ];
            const vesselStates =
                mmsis.length > 0 ? await deps.vessels.getStates(mmsis) : new Map<number, StoredVesselState>();
            const alerts: Alert[] = [];
            for (const a of accepted) {
                const r = a.reading;
                a.position = readingPosition(
                    r,
                    r.mmsi === undefined ? undefined : vesselStates.get(r.mmsi)?.position,
                );
                let tags: string[] = [];
                if (a.position)
                    ({ zones: a.zones, tags } = zoneTags(
                        deps.zones,
                        a.position.lat,
                        a.position.lon,
                        r.eventTime,
                    ));
                a.hits = evaluateThresholds(r, tags, deps.rules);
            }
            // Per sensor, in event-time order: the running statistics with anomalies against the state before each
            // value, and the threshold breach episodes (alerts when one starts, escalates or clears).
            const bySensor = groupBySensor(accepted);
            summary.sensors = bySensor.size;
            const fold = async (
                keys: readonly string[],
                collect: Alert[] | undefined,
                read?: Map<string, StoredSensorState>,
            ): Promise<SensorWrite[]> => {
                const stored = read ?? (await deps.sensors.get(keys));
                return keys.flatMap((key) => {
                    const list = bySensor.get(key) as Accepted[];
                    const prev = stored.get(key);
                    return (
                        withSeenReadings(
                            foldSensor(key, list, prev, foldSettings, now, collect),
                            prev,
                            list,
                            now,
                        ) ?? []
                    );
                });
            };
            const writes = bySensor.size > 0 ? await fold([...bySensor.keys()], alerts, firstRead) : [];
            summary.thresholdAlerts = alerts.filter((a) => a.kind === 'sensor-threshold').length;
            summary.anomalyAlerts = alerts.length - summary.thresholdAlerts;
            const unique = uniqueById(alerts);
            summary.alerts = unique.length;
            return {
                silver: [
                    {
                        table: SENSOR_READINGS_TABLE,
                        columns: SENSOR_COLUMNS,
                        rows: accepted.map((a) =>
                            sensorReadingRow(a.reading, a.position, a.zones, a.flags, a.meta, now),
                        ),
                    },
                ],
                alerts: unique,
                state: {
                    what: 'sensor',
                    writes,
                    async write(pending: readonly SensorWrite[]) {
                        const conflicted = new Set(
                            (await deps.sensors.write(pending))
                                .filter((r) => r.status === 'conflict')
                                .map((r) => r.sensorKey),
                        );
                        return pending.filter((w) => conflicted.has(w.state.sensorKey));
                    },
                    recompute: (conflicted: readonly SensorWrite[]) =>
                        fold(
                            conflicted.map((w) => w.state.sensorKey),
                            undefined,
                        ),
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
