/**
 * The maintenance model as it is served: a logistic regression over standardised features, stored as plain
 * JSON (`config/maintenance-model.json`, versioned in the repo, produced by `npx maritime train-maintenance`).
 * Scoring is a dot product, so 1,000 equipment-days take well under a millisecond, and each feature's share of
 * the log-odds (weight x standardised value) is exact: those are the "top contributing features".
 */
import { FEATURE_NAMES, type FeatureName } from './features.js';

export const MODEL_FORMAT = 'maritime-maintenance-logreg/1';

export interface MaintenanceModel {
    format: typeof MODEL_FORMAT;
    /** The probability is of a failure within this many days after the scored day. */
    horizonDays: number;
    features: FeatureName[];
    /** Standardisation: z = (x - mean) / scale. */
    mean: number[];
    scale: number[];
    weights: number[];
    intercept: number;
    /** Probability at or above which a day is an alarm (chosen on the training vessels for the best F1). */
    threshold: number;
    /** How it was trained (reproducible from these). */
    training: Record<string, unknown>;
}

export interface Contribution {
    feature: FeatureName;
    /** The feature's raw value. */
    value: number;
    /** Its share of the log-odds (positive = towards failure). */
    logOdds: number;
}

export interface Score {
    /** Probability of a failure within `horizonDays`. */
    probability: number;
    /** 100 x (1 - probability), rounded: 100 = no sign of a failure ahead. */
    health: number;
    alarm: boolean;
    /** The features pushing most towards failure, largest first (at most `top`, only positive shares). */
    contributions: Contribution[];
}

/** Checks a parsed artefact; throws with every problem listed. */
export function checkModel(m: unknown): MaintenanceModel {
    const problems: string[] = [];
    const o = (typeof m === 'object' && m !== null ? m : {}) as Partial<MaintenanceModel>;
    if (o.format !== MODEL_FORMAT) problems.push(`format must be ${MODEL_FORMAT}, got ${String(o.format)}`);
    const n = FEATURE_NAMES.length;
    if (!Array.isArray(o.features) || o.features.join() !== FEATURE_NAMES.join()) {
        problems.push(`features must be exactly ${FEATURE_NAMES.join(',')}`);
    }
    for (const k of ['mean', 'scale', 'weights'] as const) {
        const v = o[k];
        if (!Array.isArray(v) || v.length !== n || !v.every(Number.isFinite))
            problems.push(`${k} must be ${n} finite numbers`);
    }
    if (!Number.isFinite(o.intercept)) problems.push('intercept must be a finite number');
    if (!(typeof o.threshold === 'number' && o.threshold > 0 && o.threshold < 1))
        problems.push('threshold must be in (0, 1)');
    if (!(typeof o.horizonDays === 'number' && o.horizonDays > 0)) problems.push('horizonDays must be > 0');
    if (problems.length > 0) throw new Error(`maintenance model is invalid: ${problems.join('; ')}`);
    return o as MaintenanceModel;
}

/** Probability of failure within the horizon for one feature vector (aligned with FEATURE_NAMES). */
export function probability(model: MaintenanceModel, x: readonly number[]): number {
    let logit = model.intercept;
    for (let j = 0; j < x.length; j++) {
        const s = model.scale[j]!;
        logit += (model.weights[j]! * (x[j]! - model.mean[j]!)) / (s > 0 ? s : 1);
    }
    return 1 / (1 + Math.exp(-logit));
}

/** Probability, health, alarm and the top contributing features. */
export function score(
    model: MaintenanceModel,
    x: readonly number[],
    top = 3,
    threshold = model.threshold,
): Score {
    const p = probability(model, x);
    const parts: Contribution[] = [];
    for (let j = 0; j < x.length; j++) {
        const s = model.scale[j]!;
        const c = (model.weights[j]! * (x[j]! - model.mean[j]!)) / (s > 0 ? s : 1);
        if (c > 0) parts.push({ feature: model.features[j]!, value: x[j]!, logOdds: c });
    }
    parts.sort((a, b) => b.logOdds - a.logOdds);
    return {
        probability: p,
        health: Math.round(100 * (1 - p)),
        alarm: p >= threshold,
        contributions: parts.slice(0, top),
    };
}
