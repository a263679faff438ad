import type { SensorSeenKey } from './seen.js';
import type { SensorStats } from './stats.js';

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
    updatedAt: number;
    /** Keys of the latest readings, for cross-batch de-duplication (seen.ts); absent on older documents. */
    seen?: SensorSeenKey[];
}

/** A sensor state as stored, with its optimistic-concurrency tag. */
export interface StoredSensorState extends SensorState {
    etag: string;
}
