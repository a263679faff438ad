/**
 * Folding one batch's accepted sensor readings into alerts and per-sensor state: where each reading was (its own
 * position, else the vessel's latest fix) and the zones there, then per sensor in event-time order the running
 * statistics with anomalies against the state before each value, and threshold breaches as episodes (an alert
 * when a breach starts, one per escalation, one when it clears; the open breaches live in the sensor state).
 */
import { type Alert, alertId } from '../alerts/alert.js';
import type { DeliveryRef } from '../vessel/state.js';
import type { ZoneIndex } from '../zones/index.js';
import { anomalyOptionsFor } from './index.js';
import { sensorKeyOf, type SensorReading } from './reading.js';
import { evaluateThresholds, type RuleSet, type Severity, type ThresholdHit } from './rules.js';
import { withSeenReadings } from './seen.js';
import type { SensorState, StoredSensorState, ThresholdBreach } from './state.js';
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
    /** The threshold rules it crosses there (`evaluateThresholds`); none when absent. */
    hits?: readonly ThresholdHit[];
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
    if (vesselPosition)
        return {
            lat: vesselPosition.lat,
            lon: vesselPosition.lon,
            source: 'vessel-state',
            offsetS: (r.eventTime - vesselPosition.eventTime) / 1000,
        };
    return undefined;
}

/** The vessels whose latest fix places the readings that carry no position of their own (each MMSI once). */
export function vesselsToPlace(accepted: readonly LocatedReading[]): number[] {
    const mmsis = new Set<number>();
    for (const { reading } of accepted)
        if (!reading.position && reading.mmsi !== undefined) mmsis.add(reading.mmsi);
    return [...mmsis];
}

/**
 * Places each reading (its own position, else its vessel's latest fix in `vessels`, see {@link readingPosition}),
 * with the zones there and the threshold rules it crosses there (a rule may name a zone tag: {@link zoneTags}).
 */
export function placeReadings(
    accepted: readonly LocatedReading[],
    vessels: ReadonlyMap<number, { position?: { lat: number; lon: number; eventTime: number } }>,
    zones: ZoneIndex,
    rules: RuleSet,
): void {
    for (const a of accepted) {
        const r = a.reading;
        a.position = readingPosition(r, r.mmsi === undefined ? undefined : vessels.get(r.mmsi)?.position);
        let tags: string[] = [];
        if (a.position)
            ({ zones: a.zones, tags } = zoneTags(zones, a.position.lat, a.position.lon, r.eventTime));
        a.hits = evaluateThresholds(r, tags, rules);
    }
}

/** Zone tags the rules file can name: every zone id, plus `ECA` inside a sulphur ECA. */
export function zoneTags(
    zones: ZoneIndex,
    lat: number,
    lon: number,
    t: number,
): { zones: string[]; tags: string[] } {
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

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/** The breach group of a hit: its direction and zone (the tiers of one limit share it), e.g. `above`, `above@ECA`. */
export function breachKey(hit: Pick<ThresholdHit, 'direction' | 'zone'>): string {
    return hit.zone === undefined ? hit.direction : `${hit.direction}@${hit.zone}`;
}

/**
 * Threshold alerts per episode, not per reading: walks one sensor's readings (event-time order) that are newer
 * than `mark` (the state's last event time; older ones were applied before: a redelivery changes nothing), each
 * with its threshold hits, against the open breaches of the state. A group that starts breaching raises one alert
 * (id: sensor, group, episode start); a more severe tier than any raised in the episode raises an escalation; the
 * first reading back within the group's limits raises an `info` alert that clears it. Returns the breaches still
 * open; alerts go to `alerts` when given (the conflict re-apply passes none).
 */
export function foldBreaches(
    key: string,
    list: readonly LocatedReading[],
    open: Readonly<Record<string, ThresholdBreach>> | undefined,
    mark: number,
    ruleVersion: string,
    now: number,
    alerts: Alert[] | undefined,
): Record<string, ThresholdBreach> {
    const breaches: Record<string, ThresholdBreach> = { ...open };
    let last = mark;
    for (const a of list) {
        const r = a.reading;
        if (!(r.eventTime > last)) continue;
        last = r.eventTime;
        const hits = a.hits ?? [];
        const base = {
            kind: 'sensor-threshold' as const,
            ...alertVessel(r),
            time: r.eventTime,
            ...alertPosition(a),
            ruleVersion,
            raisedAt: now,
        };
        const reading = {
            sensorKey: key,
            sensorId: r.sensorId,
            quantity: r.quantity,
            value: r.value,
            unit: r.unit,
            imo: r.imo,
        };
        const seen = new Set<string>();
        for (const hit of hits) {
            const group = breachKey(hit);
            seen.add(group);
            const details = {
                ...reading,
                rule: hit.ruleId,
                direction: hit.direction,
                threshold: hit.threshold,
                zone: hit.zone,
                description: hit.description,
            };
            const current = breaches[group];
            if (current === undefined) {
                breaches[group] = {
                    since: r.eventTime,
                    rule: hit.ruleId,
                    severity: hit.severity,
                    peak: hit.severity,
                    lastTime: r.eventTime,
                    value: r.value,
                };
                alerts?.push({
                    ...base,
                    id: alertId('sensor-threshold', [key, group, r.eventTime]),
                    severity: hit.severity,
                    details: { ...details, episode: 'started', since: r.eventTime },
                });
                continue;
            }
            if (RANK[hit.severity] > RANK[current.peak]) {
                alerts?.push({
                    ...base,
                    id: alertId('sensor-threshold', [key, group, current.since, hit.severity]),
                    severity: hit.severity,
                    details: { ...details, episode: 'escalated', since: current.since, from: current.peak },
                });
            }
            breaches[group] = {
                since: current.since,
                rule: hit.ruleId,
                severity: hit.severity,
                peak: RANK[hit.severity] > RANK[current.peak] ? hit.severity : current.peak,
                lastTime: r.eventTime,
                value: r.value,
            };
        }
        for (const [group, b] of Object.entries(breaches)) {
            if (seen.has(group)) continue;
            delete breaches[group];
            alerts?.push({
                ...base,
                id: alertId('sensor-threshold', [key, group, b.since, 'cleared']),
                severity: 'info',
                details: {
                    ...reading,
                    rule: b.rule,
                    episode: 'cleared',
                    since: b.since,
                    peak: b.peak,
                    lastBreach: { time: b.lastTime, value: b.value },
                    durationS: (r.eventTime - b.since) / 1000,
                },
            });
        }
    }
    return breaches;
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
 * The writes of these sensors (keys of `bySensor`): each sensor's readings folded into its stored state
 * ({@link foldSensor}), with the keys of the readings it has seen (seen.ts). Alerts go to `alerts` when given.
 */
export function foldSensors(
    bySensor: ReadonlyMap<string, readonly (LocatedReading & { ref: DeliveryRef })[]>,
    keys: readonly string[],
    stored: ReadonlyMap<string, StoredSensorState>,
    settings: SensorFoldSettings & { ruleVersion: string },
    now: number,
    alerts: Alert[] | undefined,
): SensorWrite[] {
    return keys.flatMap((key) => {
        const list = bySensor.get(key) as readonly (LocatedReading & { ref: DeliveryRef })[];
        const prev = stored.get(key);
        return withSeenReadings(foldSensor(key, list, prev, settings, now, alerts), prev, list, now) ?? [];
    });
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
    /** With the rules file version the hits come from (on every threshold alert). */
    settings: SensorFoldSettings & { ruleVersion: string },
    now: number,
    alerts: Alert[] | undefined,
): SensorWrite | undefined {
    const first = (list[0] as LocatedReading).reading;
    const alpha = 1 - Math.pow(2, -1 / settings.statsHalfLife);
    const detect = anomalyOptionsFor(first.quantity, {
        zThreshold: settings.zThreshold,
        minCount: settings.minCount,
    });
    const result = updateBatch(
        prev?.stats,
        list.map((a) => ({
            value: a.reading.value,
            eventTime: a.reading.eventTime,
            sequence: a.meta.sequenceNumber,
        })),
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
                details: {
                    sensorKey: key,
                    sensorId: a.reading.sensorId,
                    quantity: a.reading.quantity,
                    value: an.value,
                    unit: a.reading.unit,
                    z: an.z,
                    zThreshold: settings.zThreshold,
                    imo: a.reading.imo,
                },
                ruleVersion: `ewma-halflife-${settings.statsHalfLife}`,
                raisedAt: now,
            });
        }
    }
    if (result.applied === 0) return undefined;
    const breaches = foldBreaches(
        key,
        list,
        prev?.breaches,
        prev?.stats.lastEventTime ?? -Infinity,
        settings.ruleVersion,
        now,
        alerts,
    );
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
        ...(Object.keys(breaches).length > 0 ? { breaches } : {}),
        updatedAt: now,
    };
    if (first.mmsi !== undefined) state.mmsi = first.mmsi;
    if (first.imo !== undefined) state.imo = first.imo;
    return { state, expectedEtag: prev ? prev.etag : null };
}
