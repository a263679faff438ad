import { describe, expect, it } from '@jest/globals';

import { equipmentSpec } from '../../../../shared/domain/maintenance/equipment.js';
import type { MaintenanceEvent } from '../../../../shared/domain/maintenance/events.js';
import {
    equipmentDayFeatures,
    type EquipmentHistory,
    failureWithin,
    FEATURE_NAMES,
    type FeatureName,
    leastSquares,
    setpointScore,
} from '../../../../shared/domain/maintenance/features.js';
import { DAY_MS, HOUR_MS, type HourlySensorStat } from '../../../../shared/domain/maintenance/hourly.js';

const START = Date.UTC(2026, 0, 1);
const MMSI = 219100000;
const TC = equipmentSpec('ME1-TC')!;

function stat(
    sensorId: string,
    quantity: string,
    hour: number,
    mean: number,
    extra: Partial<HourlySensorStat> = {},
): HourlySensorStat {
    return {
        mmsi: MMSI,
        sensorId,
        quantity,
        hour,
        count: 6,
        mean,
        min: mean,
        max: mean,
        stddev: 0.5,
        p95: mean,
        anomalies: 0,
        ...extra,
    };
}

/** 21 days: a flat baseline (100 +-1 alternating, so sigma = 1) for 14 days, then a ramp of 2 sigma per day. */
function rampHistory(events: MaintenanceEvent[] = []): EquipmentHistory {
    const indicator: HourlySensorStat[] = [];
    const load: HourlySensorStat[] = [];
    for (let k = 0; k < 21 * 24; k++) {
        const hour = START + k * HOUR_MS;
        const ramp = k >= 14 * 24 ? (2 * (k - 14 * 24)) / 24 : k % 2 === 0 ? 1 : -1;
        // the column gold and the simulator fill differently: the features must not read it
        const anomalies = hour === START + 20 * DAY_MS + 5 * HOUR_MS || hour === START + 15 * DAY_MS ? 1 : 0;
        indicator.push(stat(TC.sensorId, TC.quantity, hour, 100 + ramp, { anomalies }));
        load.push(stat('SHAFT1-PWR', 'shaft_power', hour, 10_000));
    }
    return { mmsi: MMSI, equipment: TC, indicator, load, events, historyStart: START };
}

const named = (values: number[]): Record<FeatureName, number> =>
    Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, values[i]!])) as Record<FeatureName, number>;

describe('equipmentDayFeatures', () => {
    it('a ramp of 2 sigma per day after a flat baseline: known levels, slopes and counts', () => {
        const [row] = equipmentDayFeatures(rampHistory(), [START + 20 * DAY_MS]);
        const f = named(row!.values);
        // residual r = 2 k / 24 for the k-th hour since the ramp began (baseline a = 100, b = 0, sigma = 1)
        expect(f.slope_1d).toBeCloseTo(2, 9);
        expect(f.slope_3d).toBeCloseTo(2, 9);
        expect(f.slope_7d).toBeCloseTo(2, 9);
        expect(f.level_1d).toBeCloseTo((2 * 155.5) / 24, 9); // hours 144..167 of the ramp
        expect(f.level_3d).toBeCloseTo((2 * 131.5) / 24, 9); // hours 96..167
        expect(f.var_ratio_1d).toBeCloseTo(0, 12);
        expect(f.var_ratio_7d).toBeCloseTo(0, 12);
        // anomaly hours: |r| > 3, so every hour of the last day (r >= 12) and ramp hours 37..167 of the 7 days
        expect(f.anomaly_hours_1d).toBe(24);
        expect(f.anomaly_hours_7d).toBe(131);
        expect(f.days_since_maintenance).toBe(21);
        expect(f.load_1d).toBe(1);
        expect(f.running_share_1d).toBe(1);
        expect([f.kind_bearing, f.kind_turbocharger, f.kind_fuel_filter]).toEqual([0, 1, 0]);
        expect(row).toMatchObject({
            mmsi: MMSI,
            equipmentId: 'ME1-TC',
            kind: 'turbocharger',
            baselineHours: 336,
            runningHours: 24,
        });
    });

    it('reads only the hourly count, mean and standard deviation: the anomaly column (filled differently by gold and the simulator) changes nothing', () => {
        const h = rampHistory();
        const days = [16, 18, 20].map((d) => START + d * DAY_MS);
        const other: EquipmentHistory = {
            ...h,
            indicator: h.indicator.map((s, i) => ({ ...s, anomalies: i % 3, p95: s.mean + 7 })),
        };
        expect(equipmentDayFeatures(other, days)).toEqual(equipmentDayFeatures(h, days));
    });

    it('a flat day inside the baseline has level 0 and slope 0', () => {
        const [row] = equipmentDayFeatures(rampHistory(), [START + 10 * DAY_MS]);
        const f = named(row!.values);
        expect(f.level_3d).toBeCloseTo(0, 9);
        expect(Math.abs(f.slope_7d)).toBeLessThan(0.01); // alternating +-1: no trend
    });

    it('compares with the baseline at the same load: exhaust 50 + 100 x load, then +5 degC at equal load', () => {
        const indicator: HourlySensorStat[] = [];
        const load: HourlySensorStat[] = [];
        for (let k = 0; k < 16 * 24; k++) {
            const hour = START + k * HOUR_MS;
            const l = k % 2 === 0 ? 0.5 : 1;
            const fouling = k >= 15 * 24 ? 5 : 0;
            indicator.push(stat(TC.sensorId, TC.quantity, hour, 50 + 100 * l + fouling, { stddev: 1 }));
            load.push(stat('SHAFT1-PWR', 'shaft_power', hour, 10_000 * l));
        }
        const h: EquipmentHistory = { mmsi: MMSI, equipment: TC, indicator, load, events: [] };
        const [row] = equipmentDayFeatures(h, [START + 15 * DAY_MS]);
        const f = named(row!.values);
        // the fit is exact, so sigma is floored at the quantity's resolution (0.1 degC): 5 / 0.1 = 50
        expect(f.level_1d).toBeCloseTo(50, 6);
        expect(f.load_1d).toBeCloseTo(0.75, 12);
    });

    it('a service starts a new baseline; a failure stops scoring until the repair and its new baseline', () => {
        const events: MaintenanceEvent[] = [
            { mmsi: MMSI, equipmentId: 'ME1-TC', time: START + 16 * DAY_MS + 12 * HOUR_MS, kind: 'service' },
            { mmsi: MMSI, equipmentId: 'ME1-TC', time: START + 18 * DAY_MS + 6 * HOUR_MS, kind: 'failure' },
            { mmsi: MMSI, equipmentId: 'ME1-TC', time: START + 19 * DAY_MS + 1 * HOUR_MS, kind: 'repair' },
        ];
        const h = rampHistory(events);
        const days = [15, 16, 17, 18, 19, 20].map((d) => START + d * DAY_MS);
        const rows = equipmentDayFeatures(h, days);
        // day 16: 12 h since the service (< 24 baseline hours); day 18: failed; day 19: 23 h since the repair
        expect(rows.map((r) => (r.day - START) / DAY_MS)).toEqual([15, 17, 20]);
        const day17 = named(rows[1]!.values);
        expect(day17.days_since_maintenance).toBeCloseTo(1.5, 12);
        expect(rows[1]!.baselineHours).toBe(36);
        expect(named(rows[2]!.values).days_since_maintenance).toBeCloseTo(47 / 24, 12);
        expect(failureWithin(events, START + 15 * DAY_MS, 7)).toBe(1);
        expect(failureWithin(events, START + 10 * DAY_MS, 7)).toBe(0); // failure 8.25 days after the end of day 10
        expect(failureWithin(events, START + 18 * DAY_MS, 7)).toBe(0); // the failure is inside the day
    });

    it('idle hours are not condition evidence', () => {
        const h = rampHistory();
        const idle = {
            ...h,
            load: h.load.map((s) => (s.hour >= START + 20 * DAY_MS ? { ...s, mean: 100 } : s)),
        };
        const [row] = equipmentDayFeatures(idle, [START + 20 * DAY_MS]);
        const f = named(row!.values);
        expect(f.running_share_1d).toBe(0);
        expect(f.load_1d).toBeCloseTo(0.01, 12);
        expect(f.level_1d).toBeCloseTo((2 * 131.5) / 24, 9); // the last 24 running hours are those of day 19
    });

    it('the threshold baseline scores the highest hourly mean against the setpoint', () => {
        const h = rampHistory();
        expect(setpointScore(h, START + 20 * DAY_MS)).toBeCloseTo((100 + (2 * 167) / 24) / 450, 12);
        expect(setpointScore(h, START + 30 * DAY_MS)).toBe(0);
    });
});

describe('leastSquares', () => {
    it('recovers a line, and gives slope 0 without spread in x', () => {
        expect(leastSquares([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ a: 1, b: 2 });
        expect(leastSquares([2, 2, 2], [1, 2, 3])).toEqual({ a: 2, b: 0 });
    });
});
