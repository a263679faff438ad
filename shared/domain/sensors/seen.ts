/**
 * De-duplication of sensor readings across batches. A sensor has at most one reading per event time that counts
 * (stats.ts applies the first), so a reading is known by its sensor, event time and value. The sensor state,
 * read and written for every sensor of a batch anyway, keeps the keys of its latest {@link SENSOR_SEEN_KEYS}
 * readings (`seen`); a reading found there from another delivery is a copy (a re-sent or redelivered event) and
 * is counted as a duplicate instead of being stored again (silver, sensor_hourly). The same batch retried
 * after a crash between the silver and the state write is not its own duplicate (the {@link DeliveryRef}, as
 * for AIS: domain/enrichment/storedDuplicates.ts, also for the window that remains). A copy older than the sensor's last SENSOR_SEEN_KEYS
 * readings is not recognised and is stored again (it is still left out of the statistics: at or before their
 * high-water mark).
 */
import { mergeSeen, seenFromOtherDelivery } from '../enrichment/storedDuplicates.js';
import type { DeliveryRef } from '../vessel/state.js';
import type { SensorWrite } from './fold.js';
import { sensorKeyOf, type SensorReading } from './reading.js';
import type { StoredSensorState } from './state.js';

/** Readings remembered per sensor: at one reading a second, the last minute; at one a minute, an hour. */
export const SENSOR_SEEN_KEYS = 64;

/** `[eventTime, value, delivery]` of a reading the sensor's state has seen. */
export type SensorSeenKey = [t: number, v: number, e: DeliveryRef];

/** True when the sensor's state has seen this reading from another delivery. */
export function isSeenReading(
    reading: { eventTime: number; value: number },
    ref: DeliveryRef,
    stored: { seen?: SensorSeenKey[] } | undefined,
): boolean {
    const seen = stored?.seen;
    return seen !== undefined && seenFromOtherDelivery(seen, reading.eventTime, reading.value, ref);
}

/**
 * The readings that no earlier delivery stored: each one the sensor's stored state has seen from another delivery
 * ({@link isSeenReading}) is left out and reported to `onSeen` (the ledger counts it as a duplicate).
 */
export function unseenReadings<A extends { reading: SensorReading; ref: DeliveryRef }>(
    readings: readonly A[],
    stored: ReadonlyMap<string, StoredSensorState>,
    onSeen: () => void,
): A[] {
    return readings.filter((a) => {
        if (!isSeenReading(a.reading, a.ref, stored.get(sensorKeyOf(a.reading)))) return true;
        onSeen();
        return false;
    });
}

/**
 * The sensor's write with the keys of this batch's new readings added to the stored ones (the latest
 * SENSOR_SEEN_KEYS by event time). A batch that applied nothing to the statistics (late readings only) still
 * writes the keys; undefined when there is nothing to write.
 */
export function withSeenReadings(
    write: SensorWrite | undefined,
    prev: StoredSensorState | undefined,
    readings: readonly { reading: { eventTime: number; value: number }; ref: DeliveryRef }[],
    now: number,
): SensorWrite | undefined {
    const merged = mergeSeen<SensorSeenKey>(
        prev?.seen ?? [],
        readings.map(({ reading, ref }) => [reading.eventTime, reading.value, ref]),
    );
    if (merged === undefined) {
        if (write !== undefined && prev?.seen !== undefined) write.state.seen = prev.seen;
        return write;
    }
    const seen = merged.slice(-SENSOR_SEEN_KEYS);
    if (write !== undefined) {
        write.state.seen = seen;
        return write;
    }
    if (prev === undefined) return undefined;
    const { etag, ...state } = prev;
    return { state: { ...state, seen, updatedAt: now }, expectedEtag: etag };
}
