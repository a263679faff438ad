/**
 * Training of the maintenance model: logistic regression fitted by `ml-logistic-regression` (mljs), over
 * standardised features with an intercept column.
 *
 * Why this library and model: ml-logistic-regression is maintained by the mljs organisation (2.0.0, Dec 2024,
 * ~290k downloads a month), deterministic (full-batch gradient descent from zero weights: the same rows give
 * the same weights, no seed needed), and a logistic regression gives calibrated-looking probabilities and
 * exact per-feature contributions for the API. The tree ensembles on npm were measured and rejected:
 * ml-random-forest (on ml-cart) took 123 s to fit 2,000 rows x 20 features x 50 trees here (its split search
 * is quadratic in the rows), far too slow for the ~30,000 training rows, and its predictProbability drops the
 * first tree's vote (reduce without an initial value). ONNX (onnxruntime-node) would need a training
 * toolchain outside the repo.
 *
 * Class balance: failures are rare (a few % of equipment-days), so all positive days are kept and negatives
 * are sampled (seeded) to `negativesPerPositive` per positive; the intercept is then corrected by
 * ln(kept share of negatives), the standard prior correction for case-control sampling, so probabilities
 * refer to the real base rate again.
 */
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';

import { Prng } from '../prng.js';
import { bestF1Threshold } from './evaluate.js';
import { FEATURE_NAMES } from './features.js';
import { type MaintenanceModel, MODEL_FORMAT, probability } from './model.js';

export interface TrainingRow {
    values: readonly number[];
    label: 0 | 1;
}

export interface TrainOptions {
    horizonDays: number;
    /** Seed of the negative sampling. */
    seed: number;
    /** Negatives kept per positive (default 3). */
    negativesPerPositive?: number;
    /** Gradient descent steps (default 800) and step size on the summed gradient (default 1 / rows). */
    numSteps?: number;
    learningRate?: number;
    /** Recorded in the artefact (data set description). */
    provenance?: Record<string, unknown>;
}

export function trainModel(rows: readonly TrainingRow[], opts: TrainOptions): MaintenanceModel {
    const nf = FEATURE_NAMES.length;
    const positives = rows.filter((r) => r.label === 1);
    const negatives = rows.filter((r) => r.label === 0);
    if (positives.length === 0 || negatives.length === 0) {
        throw new Error(
            `training needs both classes: ${positives.length} positive, ${negatives.length} negative rows`,
        );
    }
    const want = Math.min(negatives.length, Math.round(positives.length * (opts.negativesPerPositive ?? 3)));
    const keptNegatives = sample(negatives, want, opts.seed);
    const keep = keptNegatives.length / negatives.length;
    const train = [...positives, ...keptNegatives];

    const mean = new Array<number>(nf).fill(0);
    const scale = new Array<number>(nf).fill(0);
    for (const r of train) for (let j = 0; j < nf; j++) mean[j]! += r.values[j]!;
    for (let j = 0; j < nf; j++) mean[j]! /= train.length;
    for (const r of train) for (let j = 0; j < nf; j++) scale[j]! += (r.values[j]! - mean[j]!) ** 2;
    for (let j = 0; j < nf; j++) {
        const s = Math.sqrt(scale[j]! / train.length);
        scale[j] = s > 1e-12 ? s : 1;
    }
    const X = new Matrix(train.length, nf + 1);
    for (let i = 0; i < train.length; i++) {
        const r = train[i]!;
        X.set(i, 0, 1);
        for (let j = 0; j < nf; j++) X.set(i, j + 1, (r.values[j]! - mean[j]!) / scale[j]!);
    }
    const y = Matrix.columnVector(train.map((r) => r.label));
    const numSteps = opts.numSteps ?? 800;
    const learningRate = opts.learningRate ?? 1 / train.length;
    const lr = new LogisticRegression({ numSteps, learningRate });
    lr.train(X, y);
    // one-vs-all: classifiers[0] scores P(label != 0) = P(failure)
    const w = lr.classifiers[0]!.weights.to1DArray();

    const model: MaintenanceModel = {
        format: MODEL_FORMAT,
        horizonDays: opts.horizonDays,
        features: [...FEATURE_NAMES],
        mean,
        scale,
        weights: w.slice(1),
        intercept: w[0]! + Math.log(keep),
        threshold: 0.5,
        training: {
            library: 'ml-logistic-regression 2.0.0',
            numSteps,
            learningRate,
            seed: opts.seed,
            rows: rows.length,
            positives: positives.length,
            negativesKept: keptNegatives.length,
            ...opts.provenance,
        },
    };
    const p = rows.map((r) => probability(model, r.values));
    model.threshold = bestF1Threshold(
        rows.map((r) => r.label),
        p,
    ).threshold;
    return model;
}

/** `k` items drawn without replacement (seeded partial Fisher-Yates), in their original order. */
function sample<T>(items: readonly T[], k: number, seed: number): T[] {
    const idx = items.map((_, i) => i);
    const prng = new Prng(seed);
    for (let i = 0; i < k; i++) {
        const j = i + Math.floor(prng.next() * (idx.length - i));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx
        .slice(0, k)
        .sort((a, b) => a - b)
        .map((i) => items[i]!);
}
