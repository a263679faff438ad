/**
 * Record factories for tests: one place that knows the shape of an event, a sensor reading, an AIS JSON event and
 * a vessel state, so a test states only what it is about (`sensorEvent({ value: 92 })`) instead of repeating a
 * full literal. Defaults are valid and ordinary; every factory takes overrides.
 */
import type { EventMetadata, ReceivedEvent, VesselState } from '../../shared/app/ports.js';
import { NM_PER_DEG } from '../../shared/domain/collision/cpa.js';

/** A fixed processing time for tests (2026-11-24 12:00 UTC). */
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

export const MMSI = 244123456;

/** Event Hub metadata: partition 0, sequence 1, enqueued a second before {@link NOW}. */
export function eventMeta(overrides: Partial<EventMetadata> = {}): EventMetadata {
    return { partitionId: '0', sequenceNumber: 1, enqueuedTime: NOW - 1000, ...overrides };
}

/** A batch: one event per body, consecutive sequence numbers from `firstSequence`. */
export function eventBatch(
    bodies: readonly string[],
    options: { firstSequence?: number; partitionId?: string; enqueuedTime?: number } = {},
): ReceivedEvent[] {
    const { firstSequence = 100, partitionId = '0', enqueuedTime = NOW - 1000 } = options;
    return bodies.map((body, i) => ({
        body,
        meta: { partitionId, sequenceNumber: firstSequence + i, enqueuedTime },
    }));
}

/** A sensor event as producers send it (JSON contract, README "Sensor events"). */
export interface SensorEventFields {
    mmsi?: number;
    imo?: number;
    sensorId: string;
    quantity: string;
    value: number;
    unit: string;
    timestamp: string;
    position?: { lat: number; lon: number };
}

/** An engine temperature reading of sensor `me-1` on vessel {@link MMSI}, 5 s before {@link NOW}. */
export function sensorEvent(
    overrides: Partial<SensorEventFields> & { time?: number } = {},
): SensorEventFields {
    const { time = NOW - 5000, ...rest } = overrides;
    return {
        mmsi: MMSI,
        sensorId: 'me-1',
        quantity: 'engine_temperature',
        value: 80,
        unit: 'degC',
        timestamp: new Date(time).toISOString(),
        ...rest,
    };
}

/** Bodies of a series of readings of one sensor, one every `stepMs` ending at `end`. */
export function sensorSeries(
    values: readonly number[],
    end: number,
    overrides: Partial<SensorEventFields> = {},
    stepMs = 10_000,
): string[] {
    return values.map((value, i) =>
        JSON.stringify(sensorEvent({ ...overrides, value, time: end - (values.length - 1 - i) * stepMs })),
    );
}

/** An AIS position event in the JSON contract (README "AIS as JSON"). */
export function aisPositionEvent(
    overrides: { mmsi?: number; time?: number; lat?: number; lon?: number; sog?: number; cog?: number } = {},
): Record<string, unknown> {
    const { mmsi = MMSI, time = NOW - 5000, lat = 51.9, lon = 3.9, sog = 12, cog = 90 } = overrides;
    return { type: 'position', mmsi, timestamp: new Date(time).toISOString(), lat, lon, sog, cog };
}

/**
 * `n` AIS position events of distinct vessels (MMSI 366000000 + `first` + i, ~110 m apart) at `time`, as the local
 * stack's sources publish them (`stack.publish`: JSON body, MMSI as partition key).
 */
export function positionEvents(
    n: number,
    first: number,
    time: number,
): { body: string; partitionKey: string }[] {
    return Array.from({ length: n }, (_, i) => {
        const mmsi = 366000000 + first + i;
        return {
            body: JSON.stringify(
                aisPositionEvent({ mmsi, time, lat: 37 + i / 1000, lon: -122, sog: 10, cog: 90 }),
            ),
            partitionKey: String(mmsi),
        };
    });
}

/** A vessel state with a position (the latest fix) at `time`. */
export function vesselState(
    overrides: {
        mmsi?: number;
        time?: number;
        lat?: number;
        lon?: number;
        sog?: number;
        cog?: number;
        updatedAt?: number;
    } = {},
): VesselState {
    const { mmsi = MMSI, time = NOW - 5000, lat = 51.9, lon = 3.9, sog, cog, updatedAt = time } = overrides;
    const position: NonNullable<VesselState['position']> = { eventTime: time, lat, lon };
    if (sog !== undefined) position.sog = sog;
    if (cog !== undefined) position.cog = cog;
    return { mmsi, lastSeen: time, updatedAt, position };
}

/** A position `eastNm` east and `northNm` north of (lat0, lon0) (flat-earth offset, fine for a few NM). */
export function offsetPosition(
    eastNm: number,
    northNm: number,
    lat0 = 0,
    lon0 = 0,
): { lat: number; lon: number } {
    return {
        lat: lat0 + northNm / NM_PER_DEG,
        lon: lon0 + eastNm / (NM_PER_DEG * Math.cos((lat0 * Math.PI) / 180)),
    };
}
