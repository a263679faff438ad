/**
 * From one vessel's hourly sensor statistics and maintenance log to feature rows per equipment and day (and
 * their labels, when the log's future is known: training and evaluation). Pure.
 */
import { EQUIPMENT, LOAD_SENSOR } from './equipment.js';
import type { MaintenanceEvent } from './events.js';
import {
    equipmentDayFeatures,
    type EquipmentHistory,
    failureWithin,
    type FeatureOptions,
    type FeatureRow,
} from './features.js';
import type { HourlySensorStat } from './hourly.js';

export interface LabelledRow extends FeatureRow {
    label: 0 | 1;
}

/** The equipment histories of one vessel (equipment without indicator readings are left out). */
export function vesselHistories(
    mmsi: number,
    hourly: readonly HourlySensorStat[],
    events: readonly MaintenanceEvent[],
    historyStart?: number,
): EquipmentHistory[] {
    const bySensor = new Map<string, HourlySensorStat[]>();
    for (const h of hourly) {
        if (h.mmsi !== mmsi) continue;
        const key = `${h.sensorId}|${h.quantity}`;
        let list = bySensor.get(key);
        if (list === undefined) bySensor.set(key, (list = []));
        list.push(h);
    }
    for (const list of bySensor.values()) list.sort((a, b) => a.hour - b.hour);
    const load = bySensor.get(`${LOAD_SENSOR.sensorId}|${LOAD_SENSOR.quantity}`) ?? [];
    const out: EquipmentHistory[] = [];
    for (const equipment of EQUIPMENT) {
        const indicator = bySensor.get(`${equipment.sensorId}|${equipment.quantity}`);
        if (indicator === undefined || indicator.length === 0) continue;
        const own = events.filter((e) => e.mmsi === mmsi && e.equipmentId === equipment.equipmentId);
        const h: EquipmentHistory = { mmsi, equipment, indicator, load, events: own };
        if (historyStart !== undefined) h.historyStart = historyStart;
        out.push(h);
    }
    return out;
}

/** Feature rows with labels (failure within `horizonDays` after the day) for every scorable day. */
export function labelledRows(
    histories: readonly EquipmentHistory[],
    days: readonly number[],
    horizonDays: number,
    opts?: FeatureOptions,
): LabelledRow[] {
    const rows: LabelledRow[] = [];
    for (const h of histories) {
        for (const r of equipmentDayFeatures(h, days, opts)) {
            rows.push({ ...r, label: failureWithin(h.events, r.day, horizonDays) });
        }
    }
    return rows;
}
