/**
 * The one alert model: sensor thresholds and anomalies, zone entry and exit, collision risk, critical compliance
 * findings, equipment at risk of failure (maintenance). Ids are
 * deterministic (derived from what raised the alert), so a redelivered batch or a timer firing twice writes the
 * same alert again instead of a new one.
 */
import { fnv1a } from '../hash.js';

export const ALERT_KINDS = [
    'sensor-threshold',
    'sensor-anomaly',
    'zone-entry',
    'zone-exit',
    'collision-risk',
    'compliance-finding',
    'maintenance-risk',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface Alert {
    /** Deterministic: `alertId(kind, parts)`. */
    id: string;
    kind: AlertKind;
    severity: AlertSeverity;
    /** The vessel the alert is about (the first of `vessels`); the partition key of the alert store. */
    mmsi: number;
    /** Every vessel involved (two for a collision risk), ascending. */
    vessels: number[];
    /** Event time the alert refers to, epoch ms. */
    time: number;
    position?: { lat: number; lon: number };
    /** Kind-specific details (rule, value, threshold, z-score, zone, CPA/TCPA, ...). */
    details: Record<string, unknown>;
    /** Version of the rules or configuration that raised it (e.g. the sensor rules file version). */
    ruleVersion: string;
    /** Processing time when it was raised, epoch ms. */
    raisedAt: number;
}

/** Characters Cosmos DB forbids in ids. */
const FORBIDDEN = /[/\\?#]/g;

/** `kind:part:part...`, with characters Cosmos forbids in ids replaced, capped at 255 characters. */
export function alertId(kind: AlertKind, parts: readonly (string | number)[]): string {
    const id = `${kind}:${parts.join(':')}`.replace(FORBIDDEN, '_');
    if (id.length <= 255) return id;
    // Long ids keep a readable head and a stable hash of the whole.
    return `${id.slice(0, 230)}~${fnv1a(id)}`;
}

/** One alert per id, in first-raised order (the last raised wins: fixes sharing an event time can repeat one). */
export function uniqueById(alerts: readonly Alert[]): Alert[] {
    return [...new Map(alerts.map((a) => [a.id, a])).values()];
}
