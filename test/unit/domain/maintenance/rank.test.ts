import { describe, expect, it } from '@jest/globals';

import { simulateVessel } from '../../../../local/simulator/degradation.js';
import { vesselHistories } from '../../../../shared/domain/maintenance/dataset.js';
import { FEATURE_NAMES } from '../../../../shared/domain/maintenance/features.js';
import { DAY_MS } from '../../../../shared/domain/maintenance/hourly.js';
import { type MaintenanceModel, MODEL_FORMAT } from '../../../../shared/domain/maintenance/model.js';
import { rankEquipment } from '../../../../shared/domain/maintenance/rank.js';

const n = FEATURE_NAMES.length;
// risk grows with level_3d only
const model: MaintenanceModel = {
    format: MODEL_FORMAT,
    horizonDays: 7,
    features: [...FEATURE_NAMES],
    mean: new Array<number>(n).fill(0),
    scale: new Array<number>(n).fill(1),
    weights: FEATURE_NAMES.map((f) => (f === 'level_3d' ? 1 : 0)),
    intercept: -2,
    threshold: 0.5,
    training: {},
};

describe('rankEquipment', () => {
    it('scores the day for every scorable equipment and ranks by falling probability', () => {
        const histories = [0, 1].flatMap((i) => {
            const v = simulateVessel(i, { seed: 9, days: 30, readingsPerHour: 2 });
            return vesselHistories(v.mmsi, v.hourly, v.events, Date.UTC(2026, 0, 1));
        });
        const day = Date.UTC(2026, 0, 1) + 25 * DAY_MS;
        const ranked = rankEquipment(histories, day, model);
        expect(ranked.length).toBeGreaterThan(0);
        expect(ranked.length).toBeLessThanOrEqual(histories.length);
        for (let i = 1; i < ranked.length; i++)
            expect(ranked[i]!.probability).toBeLessThanOrEqual(ranked[i - 1]!.probability);
        for (const r of ranked) {
            expect(r.health).toBe(Math.round(100 * (1 - r.probability)));
            expect(r.alarm).toBe(r.probability >= 0.5);
            expect(r.contributions.every((c) => c.feature === 'level_3d' && c.logOdds > 0)).toBe(true);
        }
        expect(rankEquipment(histories, day, model, 0).every((r) => r.alarm)).toBe(true);
    });
});
