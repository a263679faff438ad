/**
 * The normalised sensor reading every sensor event becomes, and the keys derived from it.
 */
import type { QuantityId } from './units.js';

export interface SensorReading {
    /** `mmsi:<n>` when the event names an MMSI, else `imo:<n>`. The MMSI wins: the vessel state is keyed by it. */
    vesselKey: string;
    mmsi?: number;
    imo?: number;
    /** Producer's sensor id: letters, digits and `. _ : -`, 1..64 characters (safe in Cosmos ids and blob names). */
    sensorId: string;
    quantity: QuantityId;
    /** In the canonical unit of the quantity. */
    value: number;
    /** The canonical unit of the quantity (`QUANTITIES[quantity].unit`). */
    unit: string;
    /** The value and unit as sent. */
    rawValue: number;
    rawUnit: string;
    /** Event time, epoch ms (UTC). */
    eventTime: number;
    position?: { lat: number; lon: number };
}

/** `vesselKey|sensorId|quantity`: the key of one time series (running statistics, sensor state). */
export function sensorKeyOf(r: Pick<SensorReading, 'vesselKey' | 'sensorId' | 'quantity'>): string {
    return `${r.vesselKey}|${r.sensorId}|${r.quantity}`;
}

/**
 * The de-duplication key of a reading: `vesselKey|sensorId|quantity|eventTime|value` (canonical value). A
 * redelivered or re-sent reading has the same key; a corrected value at the same time does not.
 */
export function sensorDedupeKey(
    r: Pick<SensorReading, 'vesselKey' | 'sensorId' | 'quantity' | 'eventTime' | 'value'>,
): string {
    return `${r.vesselKey}|${r.sensorId}|${r.quantity}|${r.eventTime}|${r.value}`;
}

/** `mmsi:<n>` or `imo:<n>`. */
export function vesselKeyOf(mmsi: number | undefined, imo: number | undefined): string {
    return mmsi !== undefined ? `mmsi:${mmsi}` : `imo:${String(imo)}`;
}
