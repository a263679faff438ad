/**
 * Folding one batch's accepted sensor readings into alerts and per-sensor state: where each reading was (its own
 * position, else the vessel's latest fix) and the zones there, threshold alerts per reading, then the running
 * statistics per sensor in event-time order with anomalies against the state before each value.
 */
import { type Alert, alertId } from '../alerts/alert.js';
import type { ZoneIndex } from '../zones/index.js';
import { anomalyOptionsFor } from './index.js';
import { sensorKeyOf, type SensorReading } from './reading.js';
import { evaluateThresholds, type RuleSet } from './rules.js';
import type { SensorState, StoredSensorState } from './state.js';
import { updateBatch } from './stats.js';

/** Where a reading was: its own position, else the vessel's latest known fix (with the time offset, s). */
export interface ReadingPosition {
    lat: number;
    lon: number;
    source: 'reading' | 'vessel-state';
    offsetS?: number;
}

/** An accepted reading with where it was and its Event Hub sequence number (the order of equal times). */
export interface LocatedReading {
    reading: SensorReading;
    meta: { sequenceNumber: number };
    position?: ReadingPosition;
    /** Ids of the zones containing the position at the reading's time. */
    zones: string[];
}

export interface SensorFoldSettings {
    /** Half-life of the running statistics, in readings. */
    statsHalfLife: number;
    zThreshold: number;
    minCount: number;
}

/** A sensor's new state and the etag it was computed from (null: the state must not exist yet). */
export interface SensorWrite {
    state: SensorState;
    expectedEtag: string | null;
}

/** The reading's own position, else the vessel's latest fix (when known). */
export function readingPosition(
    r: SensorReading,
    vesselPosition: { lat: number; lon: number; eventTime: number } | undefined,
): ReadingPosition | undefined {
    if (r.position) return { ...r.position, source: 'reading' };
    if (vesselPosition) return { lat: vesselPosition.lat, lon: vesselPosition.lon, source: 'vessel-state', offsetS: (r.eventTime - vesselPosition.eventTime) / 1000 };
    return undefined;
}

/** Zone tags the rules file can name: every zone id, plus `ECA` inside a sulphur ECA. */
export function zoneTags(zones: ZoneIndex, lat: number, lon: number, t: number): { zones: string[]; tags: string[] } {
    const all = zones.zonesAt(lat, lon, t);
    const sox = zones.zonesAt(lat, lon, t, { pollutant: 'sox' });
    return { zones: all, tags: sox.length > 0 ? [...all, 'ECA'] : all };
}

function alertVessel(r: SensorReading): { mmsi: number; vessels: number[] } {
    // The alert store is partitioned by MMSI; readings that name only an IMO go to partition 0 (details.imo says which).
    return r.mmsi !== undefined ? { mmsi: r.mmsi, vessels: [r.mmsi] } : { mmsi: 0, vessels: [] };
}

function alertPosition(a: LocatedReading): { position?: { lat: number; lon: number } } {
    return a.position ? { position: { lat: a.position.lat, lon: a.position.lon } } : {};
}

/** The threshold alerts of one located reading (`tags`: its zone tags). */
export function thresholdAlerts(a: LocatedReading, tags: readonly string[], rules: RuleSet, now: number): Alert[] {
    const r = a.reading;
    return evaluateThresholds(r, tags, rules).map((hit) => {
        const sensorKey = sensorKeyOf(r);
        return {
            id: alertId('sensor-threshold', [sensorKey, hit.ruleId, r.eventTime]),
            kind: 'sensor-threshold',
            severity: hit.severity,
            ...alertVessel(r),
            time: r.eventTime,
            ...alertPosition(a),
            details: { sensorKey, sensorId: r.sensorId, quantity: r.quantity, value: r.value, unit: r.unit, rule: hit.ruleId, direction: hit.direction, threshold: hit.threshold, zone: hit.zone, description: hit.description, imo: r.imo },
            ruleVersion: rules.version,
            raisedAt: now,
        };
    });
}

/** Readings by sensor key, each list in event-time order. */
export function groupBySensor<A extends LocatedReading>(accepted: readonly A[]): Map<string, A[]> {
    const bySensor = new Map<string, A[]>();
    for (const a of accepted) {
        const k = sensorKeyOf(a.reading);
        const list = bySensor.get(k);
        if (list) list.push(a);
        else bySensor.set(k, [a]);
    }
    for (const list of bySensor.values()) list.sort((x, y) => x.reading.eventTime - y.reading.eventTime);
    return bySensor;
}

/**
 * Applies one sensor's readings (event-time order) to its stored statistics; anomalies (against the state before
 * each value) go to `alerts` when given (the conflict re-apply passes none). Undefined when nothing applied (all
 * at or before the state's mark: a redelivery).
 */
export function foldSensor(
    key: string,
    list: readonly LocatedReading[],
    prev: StoredSensorState | undefined,
    settings: SensorFoldSettings,
    now: number,
    alerts: Alert[] | undefined,
): SensorWrite | undefined {
    const first = (list[0] as LocatedReading).reading;
    const alpha = 1 - Math.pow(2, -1 / settings.statsHalfLife);
    const detect = anomalyOptionsFor(first.quantity, { zThreshold: settings.zThreshold, minCount: settings.minCount });
    const result = updateBatch(
        prev?.stats,
        list.map((a) => ({ value: a.reading.value, eventTime: a.reading.eventTime, sequence: a.meta.sequenceNumber })),
        alpha,
        detect,
    );
    if (alerts) {
        for (const an of result.anomalies) {
            const a = list[an.index] as LocatedReading;
            alerts.push({
                id: alertId('sensor-anomaly', [key, an.eventTime]),
                kind: 'sensor-anomaly',
                severity: Math.abs(an.z) > 2 * settings.zThreshold ? 'critical' : 'warning',
                ...alertVessel(a.reading),
                time: an.eventTime,
                ...alertPosition(a),
                details: { sensorKey: key, sensorId: a.reading.sensorId, quantity: a.reading.quantity, value: an.value, unit: a.reading.unit, z: an.z, zThreshold: settings.zThreshold, imo: a.reading.imo },
                ruleVersion: `ewma-halflife-${settings.statsHalfLife}`,
                raisedAt: now,
            });
        }
    }
    if (result.applied === 0) return undefined;
    const last = list[list.length - 1] as LocatedReading;
    const latest =
        prev && prev.latest.eventTime >= last.reading.eventTime
            ? prev.latest
            : { value: last.reading.value, eventTime: last.reading.eventTime, ...alertPosition(last) };
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
    return { state, expectedEtag: prev ? prev.etag : null };
}
