import type { Severity } from './rules.js';
import type { SensorSeenKey } from './seen.js';
import type { SensorStats } from './stats.js';

/**
 * A threshold breach in progress (an episode): one per sensor and rule group (direction and zone: the warning and
 * critical tiers of one limit are one episode). Raised once when it starts, again when it reaches a more severe
 * tier, and cleared by the first applied reading back within the group's limits.
 */
export interface ThresholdBreach {
    /** Event time of the reading that started it (the alerts' ids derive from it). */
    since: number;
    /** The tier the latest breaching reading crossed. */
    rule: string;
    severity: Severity;
    /** The most severe tier raised in this episode. */
    peak: Severity;
    /** The latest breaching reading. */
    lastTime: number;
    value: number;
}

/** Per-sensor state: running statistics and the latest reading (Cosmos `sensorState`, partition key `/sensorKey`). */
export interface SensorState {
    sensorKey: string;
    vesselKey: string;
    mmsi?: number;
    imo?: number;
    sensorId: string;
    quantity: string;
    unit: string;
    stats: SensorStats;
    latest: { value: number; eventTime: number; position?: { lat: number; lon: number } };
    /** Open threshold breaches by group (`above`, `below`, `above@ECA`, ...); absent or empty: none. */
    breaches?: Record<string, ThresholdBreach>;
    updatedAt: number;
    /** Keys of the latest readings, for cross-batch de-duplication (seen.ts); absent on older documents. */
    seen?: SensorSeenKey[];
}

/** A sensor state as stored, with its optimistic-concurrency tag. */
export interface StoredSensorState extends SensorState {
    etag: string;
}
