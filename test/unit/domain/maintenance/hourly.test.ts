import { describe, expect, it } from '@jest/globals';

import { hourlyStats, quantileSorted, statsOf } from '../../../../shared/domain/maintenance/hourly.js';

describe('hourly statistics (the gold sensor_hourly shape)', () => {
    it('count, mean, min, max, sample stddev, p95 by linear interpolation', () => {
        const s = statsOf([4, 1, 3, 2])!;
        expect(s).toMatchObject({ count: 4, mean: 2.5, min: 1, max: 4, stddev: Math.sqrt(5 / 3) });
        expect(s.p95).toBeCloseTo(3.85, 12); // 3 + 0.85 x (4 - 3)
        expect(statsOf([7])).toEqual({ count: 1, mean: 7, min: 7, max: 7, stddev: 0, p95: 7 });
        expect(statsOf([])).toBeUndefined();
        expect(quantileSorted([10, 20], 0.5)).toBe(15);
    });

    it('groups readings by vessel, sensor, quantity and UTC hour, counting anomalies', () => {
        const h = Date.UTC(2026, 0, 1, 10);
        const rows = hourlyStats([
            { mmsi: 2, sensorId: 'A', quantity: 'vibration_rms', value: 1, eventTime: h + 60_000 },
            { mmsi: 1, sensorId: 'A', quantity: 'vibration_rms', value: 3, eventTime: h + 3_600_000 },
            {
                mmsi: 2,
                sensorId: 'A',
                quantity: 'vibration_rms',
                value: 3,
                eventTime: h + 3_599_999,
                anomaly: true,
            },
            { mmsi: 2, sensorId: 'A', quantity: 'vibration_rms', value: NaN, eventTime: h },
        ]);
        expect(rows.map((r) => [r.mmsi, r.hour - h, r.count, r.mean, r.anomalies])).toEqual([
            [1, 3_600_000, 1, 3, 0],
            [2, 0, 2, 2, 1],
        ]);
    });
});
