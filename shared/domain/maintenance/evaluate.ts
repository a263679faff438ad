/**
 * Evaluation metrics of a failure predictor on equipment-days: confusion matrix, precision, recall, F1,
 * ROC-AUC, lead time before failure and false alarms per vessel-month. Pure.
 */
import { DAY_MS } from './hourly.js';

export interface Confusion {
    tp: number;
    fp: number;
    fn: number;
    tn: number;
}

export function confusion(labels: readonly number[], alarms: readonly boolean[]): Confusion {
    const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (let i = 0; i < labels.length; i++) {
        if (alarms[i]) {
            if (labels[i] === 1) c.tp++;
            else c.fp++;
        } else if (labels[i] === 1) c.fn++;
        else c.tn++;
    }
    return c;
}

export function precisionRecallF1(c: Confusion): { precision: number; recall: number; f1: number } {
    const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
    const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1 };
}

/** Area under the ROC curve (Mann-Whitney U; tied scores count one half). NaN without both classes. */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
    const idx = labels.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
    let rankSumPos = 0;
    let pos = 0;
    let i = 0;
    while (i < idx.length) {
        let j = i;
        while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
        const rank = (i + j) / 2 + 1; // mean rank of the tie group (1-based)
        for (let k = i; k <= j; k++) {
            if (labels[idx[k]!] === 1) {
                rankSumPos += rank;
                pos++;
            }
        }
        i = j + 1;
    }
    const neg = labels.length - pos;
    if (pos === 0 || neg === 0) return NaN;
    return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The score threshold (alarm when score >= threshold) with the best F1 on these rows. */
export function bestF1Threshold(
    labels: readonly number[],
    scores: readonly number[],
): { threshold: number; f1: number } {
    const idx = labels.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
    const positives = labels.reduce((s, l) => s + (l === 1 ? 1 : 0), 0);
    let tp = 0;
    let fp = 0;
    let best = { threshold: 0.5, f1: 0 };
    for (let k = 0; k < idx.length; k++) {
        if (labels[idx[k]!] === 1) tp++;
        else fp++;
        // only cut between distinct scores
        if (k + 1 < idx.length && scores[idx[k + 1]!] === scores[idx[k]!]) continue;
        const f1 = (2 * tp) / (tp + fp + positives);
        if (f1 > best.f1) best = { threshold: scores[idx[k]!]!, f1 };
    }
    return best;
}

export interface ScoredDay {
    /** Equipment key (vessel + equipment id). */
    key: string;
    mmsi: number;
    /** Start of the UTC day, epoch ms. */
    day: number;
    label: 0 | 1;
    alarm: boolean;
}

export interface LeadTimeResult {
    failures: number;
    /** Failures with at least one alarm day in the horizon before them. */
    detected: number;
    /** Mean of (failure time - end of the first alarm day in the horizon), days, over detected failures. */
    meanLeadDays: number;
}

/**
 * Lead time before failure: for each failure, the first alarm day among the `horizonDays` before it; the lead
 * is from the end of that day to the failure.
 */
export function leadTimes(
    days: readonly ScoredDay[],
    failures: readonly { key: string; time: number }[],
    horizonDays: number,
): LeadTimeResult {
    const alarmsByKey = new Map<string, number[]>();
    for (const d of days) {
        if (!d.alarm) continue;
        let list = alarmsByKey.get(d.key);
        if (list === undefined) alarmsByKey.set(d.key, (list = []));
        list.push(d.day);
    }
    for (const list of alarmsByKey.values()) list.sort((a, b) => a - b);
    let detected = 0;
    let leadSum = 0;
    for (const f of failures) {
        const from = f.time - horizonDays * DAY_MS - DAY_MS;
        const first = alarmsByKey.get(f.key)?.find((d) => d + DAY_MS <= f.time && d >= from);
        if (first === undefined) continue;
        detected++;
        leadSum += (f.time - (first + DAY_MS)) / DAY_MS;
    }
    return { failures: failures.length, detected, meanLeadDays: detected > 0 ? leadSum / detected : 0 };
}

/**
 * False alarms: runs of consecutive alarm days of one equipment in which no day is followed by a failure within
 * the horizon (label 0 throughout). Counted per vessel-month (30.44 days) of observed vessel-days.
 */
export function falseAlarmsPerVesselMonth(
    days: readonly ScoredDay[],
    vesselDays: number,
): { episodes: number; perVesselMonth: number } {
    const byKey = new Map<string, ScoredDay[]>();
    for (const d of days) {
        if (!d.alarm) continue;
        let list = byKey.get(d.key);
        if (list === undefined) byKey.set(d.key, (list = []));
        list.push(d);
    }
    let episodes = 0;
    for (const list of byKey.values()) {
        list.sort((a, b) => a.day - b.day);
        let runHasPositive = false;
        for (let i = 0; i < list.length; i++) {
            const d = list[i]!;
            const startsRun = i === 0 || d.day - list[i - 1]!.day > DAY_MS;
            if (startsRun && i > 0 && !runHasPositive) episodes++;
            if (startsRun) runHasPositive = false;
            if (d.label === 1) runHasPositive = true;
        }
        if (list.length > 0 && !runHasPositive) episodes++;
    }
    return { episodes, perVesselMonth: vesselDays > 0 ? episodes / (vesselDays / 30.44) : 0 };
}
