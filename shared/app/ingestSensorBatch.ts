/**
 * Use case: one Event Hub batch of ship sensor readings into bronze, quarantine and silver, the per-sensor
 * running statistics, and alerts (thresholds from the versioned rules file, statistical anomalies), through the
 * ingest skeleton (ingestBatch.ts: bronze first, quarantine and silver by hour, alerts before state, state
 * conflicts retried, metrics `sensors.*`).
 *
 * Every reading ends as accepted, quarantined or duplicate. Alerts are saved before the sensor state: a retry
 * recomputes the same anomalies from the same state and writes the same alert ids; once the state is written, a
 * redelivery skips the already applied readings (event time at or before the state's mark).
 */
import { type Alert, uniqueById } from '../domain/alerts/alert.js';
import { isEmptyBody } from '../domain/formats/emptyBody.js';
import {
    foldSensor,
    groupBySensor,
    type LocatedReading,
    readingPosition,
    type SensorFoldSettings,
    type SensorWrite,
    thresholdAlerts,
    zoneTags,
} from '../domain/sensors/fold.js';
import { parseSensorEvents, type RuleSet, sensorDedupeKey, validateReading } from '../domain/sensors/index.js';
import type { ZoneIndex } from '../domain/zones/index.js';
import { ingestBatch, type IngestCoreDeps, type IngestFeed, type IngestStory, type IngestSummary, newSummary, skippedSummary } from './ingestBatch.js';
import type { AlertPublisher, AlertStore, EventMetadata, ReceivedEvent, SensorStateStore, StoredVesselState, VesselStateStore } from './ports.js';
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
}

const SENSOR_FEED: IngestFeed<SensorBatchSummary> = {
    source: SENSOR_SOURCE,
    emptySummary: (events) => newSummary(events, { sensors: 0, alerts: 0, thresholdAlerts: 0, anomalyAlerts: 0 }),
    countItems: (events) => events.reduce((n, e) => n + (isEmptyBody(e.body) ? 1 : parseSensorEvents(e.body).length), 0),
};

function sensorStory(deps: SensorIngestDeps): IngestStory<SensorBatchSummary, Accepted> {
    const { settings } = deps;
    return {
        ...SENSOR_FEED,
        admit(events, ledger, _summary, now) {
            const accepted: Accepted[] = [];
            for (const event of events) {
                if (isEmptyBody(event.body)) {
                    ledger.rejectEmptyBody(event, 'json');
                    continue;
                }
                for (const outcome of parseSensorEvents(event.body)) {
                    const item = { raw: outcome.raw, format: 'json' } as const;
                    if (!outcome.ok) {
                        ledger.reject(item, event.meta, outcome.reason, outcome.detail);
                        continue;
                    }
                    if (!ledger.firstSight(sensorDedupeKey(outcome.reading))) continue;
                    const v = validateReading(outcome.reading, { now, futureToleranceMs: settings.futureToleranceMs, maxAgeMs: settings.maxAgeMs });
                    if (!v.ok) {
                        ledger.reject(item, event.meta, v.reason, v.detail);
                        continue;
                    }
                    ledger.accept();
                    accepted.push({ reading: v.reading, flags: v.flags, meta: event.meta, zones: [] });
                }
            }
            return accepted;
        },
        async plan(accepted, summary, now) {
            // Where each reading was, the zones there and the thresholds that apply there.
            const mmsis = [...new Set(accepted.flatMap((a) => (a.reading.position || a.reading.mmsi === undefined ? [] : [a.reading.mmsi])))];
            const vesselStates = mmsis.length > 0 ? await deps.vessels.getStates(mmsis) : new Map<number, StoredVesselState>();
            const alerts: Alert[] = [];
            for (const a of accepted) {
                const r = a.reading;
                a.position = readingPosition(r, r.mmsi === undefined ? undefined : vesselStates.get(r.mmsi)?.position);
                let tags: string[] = [];
                if (a.position) ({ zones: a.zones, tags } = zoneTags(deps.zones, a.position.lat, a.position.lon, r.eventTime));
                alerts.push(...thresholdAlerts(a, tags, deps.rules, now));
            }
            summary.thresholdAlerts = alerts.length;
            // Running statistics per sensor, in event-time order; anomalies against the state before each value.
            const bySensor = groupBySensor(accepted);
            summary.sensors = bySensor.size;
            const fold = async (keys: readonly string[], collect: Alert[] | undefined): Promise<SensorWrite[]> => {
                const stored = await deps.sensors.get(keys);
                return keys.flatMap((key) => foldSensor(key, bySensor.get(key) as Accepted[], stored.get(key), settings, now, collect) ?? []);
            };
            const writes = bySensor.size > 0 ? await fold([...bySensor.keys()], alerts) : [];
            summary.anomalyAlerts = alerts.length - summary.thresholdAlerts;
            const unique = uniqueById(alerts);
            summary.alerts = unique.length;
            return {
                silver: [
                    {
                        table: SENSOR_READINGS_TABLE,
                        columns: SENSOR_COLUMNS,
                        rows: accepted.map((a) => sensorReadingRow(a.reading, a.position, a.zones, a.flags, a.meta, now)),
                    },
                ],
                alerts: unique,
                state: {
                    what: 'sensor',
                    writes,
                    async write(pending: readonly SensorWrite[]) {
                        const conflicted = new Set((await deps.sensors.write(pending)).filter((r) => r.status === 'conflict').map((r) => r.sensorKey));
                        return pending.filter((w) => conflicted.has(w.state.sensorKey));
                    },
                    recompute: (conflicted: readonly SensorWrite[]) => fold(conflicted.map((w) => w.state.sensorKey), undefined),
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

export async function ingestSensorBatch(events: readonly ReceivedEvent[], deps: SensorIngestDeps): Promise<SensorBatchSummary> {
    return ingestBatch(events, sensorStory(deps), deps);
}
