import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { FEATURE_NAMES } from '../../../../shared/domain/maintenance/features.js';
import {
    checkModel,
    type MaintenanceModel,
    MODEL_FORMAT,
    probability,
    score,
} from '../../../../shared/domain/maintenance/model.js';
import { type TrainingRow, trainModel } from '../../../../shared/domain/maintenance/train.js';

const n = FEATURE_NAMES.length;
const zeros = (): number[] => new Array<number>(n).fill(0);

function model(over: Partial<MaintenanceModel> = {}): MaintenanceModel {
    const weights = zeros();
    weights[0] = 2; // level_1d
    weights[4] = 1; // slope_7d
    weights[9] = -0.5; // days_since_maintenance
    return {
        format: MODEL_FORMAT,
        horizonDays: 7,
        features: [...FEATURE_NAMES],
        mean: zeros(),
        scale: new Array<number>(n).fill(1),
        weights,
        intercept: -3,
        threshold: 0.3,
        training: {},
        ...over,
    };
}

describe('maintenance model scoring', () => {
    it('probability = sigmoid(intercept + sum w (x - mean) / scale)', () => {
        const x = zeros();
        expect(probability(model(), x)).toBeCloseTo(1 / (1 + Math.exp(3)), 15);
        x[0] = 1.5;
        x[4] = 2;
        const m = model({
            mean: zeros().map((_, j) => (j === 4 ? 1 : 0)),
            scale: zeros().map((_, j) => (j === 4 ? 2 : 1)),
        });
        // logit = -3 + 2 * 1.5 + 1 * (2 - 1) / 2 = 0.5
        expect(probability(m, x)).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 15);
    });

    it('score: health, alarm, and the features pushing towards failure, largest first', () => {
        const x = zeros();
        x[0] = 1; // +2
        x[4] = 3; // +3
        x[9] = 4; // -2: not a contribution towards failure
        const s = score(model(), x);
        expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-0)), 15); // -3 + 2 + 3 - 2 = 0
        expect(s.health).toBe(50);
        expect(s.alarm).toBe(true);
        expect(s.contributions).toEqual([
            { feature: 'slope_7d', value: 3, logOdds: 3 },
            { feature: 'level_1d', value: 1, logOdds: 2 },
        ]);
        expect(score(model(), x, 1).contributions).toHaveLength(1);
    });

    it('checkModel lists every problem', () => {
        expect(() => checkModel({ format: 'x', features: [], weights: [1] })).toThrow(
            /format.*features.*mean.*scale.*weights.*intercept.*threshold.*horizonDays/,
        );
    });

    it('the versioned artefact in config/ loads and is checked', () => {
        const m = checkModel(
            JSON.parse(
                readFileSync(new URL('../../../../config/maintenance-model.json', import.meta.url), 'utf8'),
            ),
        );
        expect(m.training.library).toBe('ml-logistic-regression 2.0.0');
        expect(m.horizonDays).toBe(7);
    });
});

describe('trainModel', () => {
    // one informative feature (level_1d): positives sit higher
    const rows: TrainingRow[] = [];
    for (let i = 0; i < 400; i++) {
        const label: 0 | 1 = i % 8 === 0 ? 1 : 0;
        const values = zeros();
        values[0] = (label === 1 ? 3 : 0) + ((i * 37) % 17) / 8 - 1;
        values[12] = 1;
        rows.push({ values, label });
    }

    it('learns the direction of an informative feature, deterministically', () => {
        const a = trainModel(rows, { horizonDays: 7, seed: 5, numSteps: 300 });
        const b = trainModel(rows, { horizonDays: 7, seed: 5, numSteps: 300 });
        expect(a).toEqual(b);
        expect(a.weights[0]).toBeGreaterThan(0);
        const high = zeros();
        high[0] = 3;
        expect(probability(a, high)).toBeGreaterThan(probability(a, zeros()));
        expect(a.training).toMatchObject({ positives: 50, negativesKept: 150, rows: 400 });
        expect(() => checkModel(a)).not.toThrow();
    });

    it('needs both classes', () => {
        expect(() =>
            trainModel(
                rows.filter((r) => r.label === 0),
                { horizonDays: 7, seed: 1 },
            ),
        ).toThrow(/both classes/);
    });
});
