/**
 * Use case: one Event Hub batch of ship sensor readings into bronze, quarantine and silver, the per-sensor
 * running statistics, and alerts (thresholds from the versioned rules file, statistical anomalies).
 *
 * Same contract as the AIS ingest: every reading ends as accepted, quarantined or duplicate
 * (`received = accepted + quarantined + duplicates`), data errors never throw, every write is idempotent.
 * Alerts are saved and published BEFORE the sensor state is written: if the batch fails in between, the retry
 * recomputes the same anomalies from the same state and writes the same alert ids again; once the state is
 * written, a redelivery skips the already applied readings (event time at or before the state's mark).
 */
import { type Alert, alertId } from '../domain/alerts/alert.js';
import {
    anomalyOptionsFor,
    evaluateThresholds,
    parseSensorEvents,
    type RuleSet,
    sensorDedupeKey,
    sensorKeyOf,
    type SensorReading,
    updateBatch,
    validateReading,
} from '../domain/sensors/index.js';
import type { ZoneIndex } from '../domain/zones/index.js';
import { DependencyError } from '../errors.js';
import { type BatchCounts, bronzeRow, EMPTY_BODY, isEmptyBody, type QuarantineEntry } from './batchRecords.js';
import { batchIdOf, batchIdString, bronzePath, hourStart, quarantinePath, silverPath } from './lakePaths.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    EventMetadata,
    LakeWriter,
    Logger,
    Metrics,
    ParquetColumn,
    ReceivedEvent,
    SensorState,
    SensorStateStore,
    StoredSensorState,
    StoredVesselState,
    VesselStateStore,
} from './ports.js';

export const SENSOR_SOURCE = 'sensors';
export const SENSOR_READINGS_TABLE = 'sensor_readings';

export interface SensorIngestSettings {
    futureToleranceMs: number;
    maxAgeMs: number;
    /** Half-life of the running statistics, in readings. */
    statsHalfLife: number;
    zThreshold: number;
    minCount: number;
}

export interface SensorIngestDeps {
    lake: LakeWriter;
    sensors: SensorStateStore;
    vessels: VesselStateStore;
    alerts: AlertStore;
    publisher: AlertPublisher;
    zones: ZoneIndex;
    rules: RuleSet;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    settings: SensorIngestSettings;
}

export interface SensorBatchSummary extends BatchCounts {
    batchId: string;
    partitionId: string;
    events: number;
    sensors: number;
    alerts: number;
    thresholdAlerts: number;
    anomalyAlerts: number;
    lagMs: number;
    durationMs: number;
}

export const SENSOR_COLUMNS: readonly ParquetColumn[] = [
    { name: 'vessel_key', type: 'STRING' },
    { name: 'mmsi', type: 'INT32' },
    { name: 'imo', type: 'INT32' },
    { name: 'sensor_id', type: 'STRING' },
    { name: 'quantity', type: 'STRING' },
    { name: 'value', type: 'DOUBLE' },
    { name: 'unit', type: 'STRING' },
    { name: 'raw_value', type: 'DOUBLE' },
    { name: 'raw_unit', type: 'STRING' },
    { name: 'event_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'lat', type: 'DOUBLE' },
    { name: 'lon', type: 'DOUBLE' },
    { name: 'position_source', type: 'STRING' },
    { name: 'position_offset_s', type: 'DOUBLE' },
    { name: 'zones', type: 'STRING' },
    { name: 'flags', type: 'STRING' },
    { name: 'eh_partition', type: 'STRING' },
    { name: 'eh_sequence', type: 'INT64' },
    { name: 'eh_enqueued_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'ingest_time', type: 'TIMESTAMP_MILLIS' },
];

interface Accepted {
    reading: SensorReading;
    flags: readonly string[];
    meta: EventMetadata;
    position?: { lat: number; lon: number; source: 'reading' | 'vessel-state'; offsetS?: number };
    zones: string[];
}

const MAX_CONFLICT_ROUNDS = 5;

/** Zone tags the rules file can name: every zone id, plus `ECA` inside a sulphur ECA. */
function zoneTags(zones: ZoneIndex, lat: number, lon: number, t: number): { zones: string[]; tags: string[] } {
    const all = zones.zonesAt(lat, lon, t);
    const sox = zones.zonesAt(lat, lon, t, { pollutant: 'sox' });
    return { zones: all, tags: sox.length > 0 ? [...all, 'ECA'] : all };
}

function alertVessel(r: SensorReading): { mmsi: number; vessels: number[] } {
    // The alert store is partitioned by MMSI; readings that name only an IMO go to partition 0 (details.imo says which).
    return r.mmsi !== undefined ? { mmsi: r.mmsi, vessels: [r.mmsi] } : { mmsi: 0, vessels: [] };
}

/** The summary of a batch that did not land (dead-lettered): each of its readings counted as skipped. */
export function skippedSensorSummary(events: readonly ReceivedEvent[]): SensorBatchSummary {
    const batch = batchIdOf(events);
    let items = 0;
    for (const e of events) items += isEmptyBody(e.body) ? 1 : parseSensorEvents(e.body).length;
    return {
        batchId: batchIdString(batch),
        partitionId: batch.partitionId,
        events: events.length,
        received: items,
        accepted: 0,
        quarantined: 0,
        duplicates: 0,
        skipped: items,
        quarantinedByReason: {},
        sensors: 0,
        alerts: 0,
        thresholdAlerts: 0,
        anomalyAlerts: 0,
        lagMs: 0,
        durationMs: 0,
    };
}

export async function ingestSensorBatch(events: readonly ReceivedEvent[], deps: SensorIngestDeps): Promise<SensorBatchSummary> {
    const now = deps.clock.now();
    const batch = batchIdOf(events);
    const summary: SensorBatchSummary = {
        batchId: batchIdString(batch),
        partitionId: batch.partitionId,
        events: events.length,
        received: 0,
        accepted: 0,
        quarantined: 0,
        duplicates: 0,
        skipped: 0,
        quarantinedByReason: {},
        sensors: 0,
        alerts: 0,
        thresholdAlerts: 0,
        anomalyAlerts: 0,
        lagMs: 0,
        durationMs: 0,
    };
    if (events.length === 0) return summary;
    const arrival = Math.min(...events.map((e) => e.meta.enqueuedTime));
    summary.lagMs = Math.max(0, now - arrival);

    // 1. Parse, validate, de-duplicate.
    const quarantine: QuarantineEntry[] = [];
    const accepted: Accepted[] = [];
    const seen = new Set<string>();
    for (const event of events) {
        if (isEmptyBody(event.body)) {
            // An empty body, or the JSON literal null, is one item: quarantined, never silently dropped.
            summary.received++;
            const detail = event.body.trim() === 'null' ? 'the event body is the JSON literal null' : 'the event body is empty';
            quarantine.push({ reason: EMPTY_BODY, detail, raw: event.body, format: 'json', source: SENSOR_SOURCE, eventHub: event.meta, quarantinedAt: now });
            summary.quarantinedByReason[EMPTY_BODY] = (summary.quarantinedByReason[EMPTY_BODY] ?? 0) + 1;
            continue;
        }
        for (const outcome of parseSensorEvents(event.body)) {
            summary.received++;
            const reject = (reason: string, detail: string): void => {
                quarantine.push({ reason, detail, raw: outcome.raw, format: 'json', source: SENSOR_SOURCE, eventHub: event.meta, quarantinedAt: now });
                summary.quarantinedByReason[reason] = (summary.quarantinedByReason[reason] ?? 0) + 1;
            };
            if (!outcome.ok) {
                reject(outcome.reason, outcome.detail);
                continue;
            }
            const key = sensorDedupeKey(outcome.reading);
            if (seen.has(key)) {
                summary.duplicates++;
                continue;
            }
            seen.add(key);
            const v = validateReading(outcome.reading, { now, futureToleranceMs: deps.settings.futureToleranceMs, maxAgeMs: deps.settings.maxAgeMs });
            if (!v.ok) {
                reject(v.reason, v.detail);
                continue;
            }
            summary.accepted++;
            accepted.push({ reading: v.reading, flags: v.flags, meta: event.meta, zones: [] });
        }
    }
    summary.quarantined = quarantine.length;

    // 2. Position at the reading time (the reading's own, else the vessel's latest known fix, with the offset)
    //    and the zones it is in; thresholds per reading.
    const mmsis = [...new Set(accepted.flatMap((a) => (a.reading.position || a.reading.mmsi === undefined ? [] : [a.reading.mmsi])))];
    const vesselStates = mmsis.length > 0 ? await deps.vessels.getStates(mmsis) : new Map<number, StoredVesselState>();
    const alerts = new Map<string, Alert>();
    const addAlert = (a: Alert): void => {
        alerts.set(a.id, a);
    };
    for (const a of accepted) {
        const r = a.reading;
        if (r.position) a.position = { ...r.position, source: 'reading' };
        else if (r.mmsi !== undefined) {
            const p = vesselStates.get(r.mmsi)?.position;
            if (p) a.position = { lat: p.lat, lon: p.lon, source: 'vessel-state', offsetS: (r.eventTime - p.eventTime) / 1000 };
        }
        let tags: string[] = [];
        if (a.position) ({ zones: a.zones, tags } = zoneTags(deps.zones, a.position.lat, a.position.lon, r.eventTime));
        for (const hit of evaluateThresholds(r, tags, deps.rules)) {
            const sensorKey = sensorKeyOf(r);
            addAlert({
                id: alertId('sensor-threshold', [sensorKey, hit.ruleId, r.eventTime]),
                kind: 'sensor-threshold',
                severity: hit.severity,
                ...alertVessel(r),
                time: r.eventTime,
                ...(a.position ? { position: { lat: a.position.lat, lon: a.position.lon } } : {}),
                details: { sensorKey, sensorId: r.sensorId, quantity: r.quantity, value: r.value, unit: r.unit, rule: hit.ruleId, direction: hit.direction, threshold: hit.threshold, zone: hit.zone, description: hit.description, imo: r.imo },
                ruleVersion: deps.rules.version,
                raisedAt: now,
            });
            summary.thresholdAlerts++;
        }
    }

    // 3. Running statistics per sensor, in event-time order; anomalies against the state before each value.
    const bySensor = new Map<string, Accepted[]>();
    for (const a of accepted) {
        const k = sensorKeyOf(a.reading);
        const list = bySensor.get(k);
        if (list) list.push(a);
        else bySensor.set(k, [a]);
    }
    for (const list of bySensor.values()) list.sort((x, y) => x.reading.eventTime - y.reading.eventTime);
    summary.sensors = bySensor.size;
    const alpha = 1 - Math.pow(2, -1 / deps.settings.statsHalfLife);

    const computeStates = (
        keys: readonly string[],
        stored: Map<string, StoredSensorState>,
        collectAlerts: boolean,
    ): { state: SensorState; expectedEtag: string | null }[] => {
        const writes: { state: SensorState; expectedEtag: string | null }[] = [];
        for (const key of keys) {
            const list = bySensor.get(key) as Accepted[];
            const first = (list[0] as Accepted).reading;
            const prev = stored.get(key);
            const detect = anomalyOptionsFor(first.quantity, { zThreshold: deps.settings.zThreshold, minCount: deps.settings.minCount });
            const result = updateBatch(
                prev?.stats,
                list.map((a) => ({ value: a.reading.value, eventTime: a.reading.eventTime, sequence: a.meta.sequenceNumber })),
                alpha,
                detect,
            );
            if (collectAlerts) {
                for (const an of result.anomalies) {
                    const a = list[an.index] as Accepted;
                    addAlert({
                        id: alertId('sensor-anomaly', [key, an.eventTime]),
                        kind: 'sensor-anomaly',
                        severity: Math.abs(an.z) > 2 * deps.settings.zThreshold ? 'critical' : 'warning',
                        ...alertVessel(a.reading),
                        time: an.eventTime,
                        ...(a.position ? { position: { lat: a.position.lat, lon: a.position.lon } } : {}),
                        details: { sensorKey: key, sensorId: a.reading.sensorId, quantity: a.reading.quantity, value: an.value, unit: a.reading.unit, z: an.z, zThreshold: deps.settings.zThreshold, imo: a.reading.imo },
                        ruleVersion: `ewma-halflife-${deps.settings.statsHalfLife}`,
                        raisedAt: now,
                    });
                    summary.anomalyAlerts++;
                }
            }
            if (result.applied === 0) continue;
            const last = list[list.length - 1] as Accepted;
            const latest =
                prev && prev.latest.eventTime >= last.reading.eventTime
                    ? prev.latest
                    : { value: last.reading.value, eventTime: last.reading.eventTime, ...(last.position ? { position: { lat: last.position.lat, lon: last.position.lon } } : {}) };
            const state: SensorState = {
                sensorKey: key,
                vesselKey: first.vesselKey,
                sensorId: first.sensorId,
                quantity: first.quantity,
                unit: first.unit,
                stats: result.state,
                latest,
                updatedAt: now,
            };
            if (first.mmsi !== undefined) state.mmsi = first.mmsi;
            if (first.imo !== undefined) state.imo = first.imo;
            writes.push({ state, expectedEtag: prev ? prev.etag : null });
        }
        return writes;
    };
    const keys = [...bySensor.keys()];
    const stored = keys.length > 0 ? await deps.sensors.get(keys) : new Map<string, StoredSensorState>();
    let writes = computeStates(keys, stored, true);

    // 4. Lake: bronze first, then quarantine and silver (by event hour).
    await deps.lake.writeJsonLinesGz('bronze', bronzePath(SENSOR_SOURCE, arrival, batch), events.map(bronzeRow));
    const lakeWrites: Promise<void>[] = [];
    if (quarantine.length > 0) lakeWrites.push(deps.lake.writeJsonLinesGz('quarantine', quarantinePath(SENSOR_SOURCE, arrival, batch), quarantine));
    const byHour = new Map<number, Record<string, unknown>[]>();
    for (const a of accepted) {
        const r = a.reading;
        const row: Record<string, unknown> = {
            vessel_key: r.vesselKey,
            mmsi: r.mmsi,
            imo: r.imo,
            sensor_id: r.sensorId,
            quantity: r.quantity,
            value: r.value,
            unit: r.unit,
            raw_value: r.rawValue,
            raw_unit: r.rawUnit,
            event_time: r.eventTime,
            lat: a.position?.lat,
            lon: a.position?.lon,
            position_source: a.position?.source,
            position_offset_s: a.position?.offsetS,
            zones: a.zones.length > 0 ? a.zones.join(',') : undefined,
            flags: a.flags.length > 0 ? a.flags.join(',') : undefined,
            eh_partition: a.meta.partitionId,
            eh_sequence: a.meta.sequenceNumber,
            eh_enqueued_time: a.meta.enqueuedTime,
            ingest_time: now,
        };
        const h = hourStart(r.eventTime);
        const list = byHour.get(h);
        if (list) list.push(row);
        else byHour.set(h, [row]);
    }
    for (const [h, rows] of byHour) {
        lakeWrites.push(deps.lake.writeParquet('silver', silverPath(SENSOR_READINGS_TABLE, h, batch), { columns: SENSOR_COLUMNS, rows }));
    }
    await Promise.all(lakeWrites);

    // 5. Alerts before state (see the header), then the sensor states (re-read on concurrent change).
    const alertList = [...alerts.values()];
    summary.alerts = alertList.length;
    if (alertList.length > 0) {
        await deps.alerts.save(alertList);
        await deps.publisher.publish(alertList);
    }
    for (let round = 0; writes.length > 0; round++) {
        if (round === MAX_CONFLICT_ROUNDS) throw new DependencyError(`sensor state kept changing concurrently for ${writes.length} sensor(s)`);
        const results = await deps.sensors.write(writes);
        const conflicted = results.filter((r) => r.status === 'conflict').map((r) => r.sensorKey);
        if (conflicted.length === 0) break;
        writes = computeStates(conflicted, await deps.sensors.get(conflicted), false);
    }

    summary.durationMs = deps.clock.now() - now;
    deps.logger.info('sensor batch processed', { ...summary });
    const props = { partitionId: summary.partitionId };
    deps.metrics.track('sensors.received', summary.received, props);
    deps.metrics.track('sensors.accepted', summary.accepted, props);
    deps.metrics.track('sensors.quarantined', summary.quarantined, props);
    deps.metrics.track('sensors.duplicates', summary.duplicates, props);
    deps.metrics.track('sensors.skipped', summary.skipped, props);
    deps.metrics.track('sensors.alerts', summary.alerts, props);
    deps.metrics.track('sensors.lagMs', summary.lagMs, props);
    return summary;
}
