/**
 * GET /api/vessels/{mmsi}/sensors/history: a vessel's sensor readings over a time range from silver
 * `sensor_readings` (canonical units, the ingest's flags), one series per sensor and quantity, for the vessel page's
 * charts. At most `MAX_HISTORY_HOURS` per request; a series longer than `points` is thinned evenly, keeping every
 * flagged reading (the anomalies the chart marks). A vessel never seen (no readings, no sensor state, no AIS) is a
 * 404, as on `/sensors` and `/track`.
 */
import { ValidationError } from '../errors.js';
import { type Params, parseInteger, parseMmsi, parseTime } from './params.js';
import type { SensorStateStore, VesselStateStore } from './ports.js';
import { assertVesselKnown } from './queries.js';

export const MAX_HISTORY_HOURS = 48;
const DEFAULT_HOURS = 6;
const DEFAULT_POINTS = 500;
const MAX_POINTS = 5000;

/** One silver reading of the vessel. */
export interface SensorHistoryReading {
    sensorId: string;
    quantity: string;
    unit: string;
    t: number;
    value: number;
    flags: string[];
}

/** The readings of one vessel in [from, to) (any order). */
export interface SensorHistorySource {
    readings(mmsi: number, from: number, to: number): Promise<SensorHistoryReading[]>;
}

export interface SensorSeries {
    sensorId: string;
    quantity: string;
    unit: string;
    /** Readings in the range (before thinning). */
    count: number;
    points: { t: number; value: number; flags?: string[] }[];
}

export interface SensorHistory {
    mmsi: number;
    from: number;
    to: number;
    series: SensorSeries[];
}

export interface SensorHistoryDeps {
    history: SensorHistorySource;
    /** To tell a vessel with no readings in the range (200, empty) from one never seen (404). */
    sensors: Pick<SensorStateStore, 'forVessel'>;
    vessels: Pick<VesselStateStore, 'getStates'>;
}

export async function querySensorHistory(
    mmsiParam: string | undefined,
    params: Params,
    deps: SensorHistoryDeps,
    now: number,
): Promise<SensorHistory> {
    const mmsi = parseMmsi(mmsiParam);
    const to = parseTime('to', params('to')) ?? now;
    const from = parseTime('from', params('from')) ?? to - DEFAULT_HOURS * 3_600_000;
    if (from >= to) throw new ValidationError(`'from' must be before 'to'.`);
    if (to - from > MAX_HISTORY_HOURS * 3_600_000) {
        throw new ValidationError(
            `The range may span at most ${MAX_HISTORY_HOURS} hours; ask for several ranges.`,
        );
    }
    const points = parseInteger('points', params('points'), 2, MAX_POINTS) ?? DEFAULT_POINTS;
    const sensorId = params('sensorId') || undefined;
    const quantity = params('quantity') || undefined;

    const bySeries = new Map<string, SensorHistoryReading[]>();
    const readings = await deps.history.readings(mmsi, from, to);
    if (readings.length === 0 && (await deps.sensors.forVessel(`mmsi:${mmsi}`)).length === 0)
        await assertVesselKnown(mmsi, deps.vessels);
    for (const r of readings) {
        if (r.t < from || r.t >= to) continue;
        if (
            (sensorId !== undefined && r.sensorId !== sensorId) ||
            (quantity !== undefined && r.quantity !== quantity)
        )
            continue;
        const key = `${r.sensorId}\u0000${r.quantity}`;
        const list = bySeries.get(key);
        if (list === undefined) bySeries.set(key, [r]);
        else list.push(r);
    }
    const series = [...bySeries.values()]
        .map((list): SensorSeries => {
            list.sort((a, b) => a.t - b.t);
            const first = list[0]!;
            return {
                sensorId: first.sensorId,
                quantity: first.quantity,
                unit: first.unit,
                count: list.length,
                points: thin(list, points),
            };
        })
        .sort((a, b) =>
            a.quantity < b.quantity ? -1 : a.quantity > b.quantity ? 1 : a.sensorId < b.sensorId ? -1 : 1,
        );
    return { mmsi, from, to, series };
}

/** Every k-th reading so about `max` remain, plus every flagged one; ascending. */
export function thin(list: readonly SensorHistoryReading[], max: number): SensorSeries['points'] {
    const step = Math.max(1, Math.ceil(list.length / max));
    const out: SensorSeries['points'] = [];
    list.forEach((r, i) => {
        if (i % step === 0 || i === list.length - 1 || r.flags.length > 0) {
            out.push(
                r.flags.length > 0 ? { t: r.t, value: r.value, flags: r.flags } : { t: r.t, value: r.value },
            );
        }
    });
    return out;
}
