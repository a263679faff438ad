/**
 * The maintenance model's experiment on simulated data with known truth: simulate a fleet, compute feature rows
 * and labels, train on some vessels, score the held-out vessels, and compare with the threshold-only baseline.
 * Used by `maritime train-maintenance` and `maritime eval-maintenance` (npm run eval:maintenance).
 */
import { type LabelledRow, labelledRows, vesselHistories } from '../../shared/domain/maintenance/dataset.js';
import {
    bestF1Threshold,
    type Confusion,
    confusion,
    falseAlarmsPerVesselMonth,
    leadTimes,
    precisionRecallF1,
    rocAuc,
    type ScoredDay,
} from '../../shared/domain/maintenance/evaluate.js';
import { setpointScore } from '../../shared/domain/maintenance/features.js';
import { DAY_MS } from '../../shared/domain/maintenance/hourly.js';
import { type MaintenanceModel, probability } from '../../shared/domain/maintenance/model.js';
import { trainModel } from '../../shared/domain/maintenance/train.js';
import { type DegradationOptions, simulateVessel } from './degradation.js';
import { EXPERIMENT_DEFAULTS } from './experimentDefaults.js';

export interface ExperimentOptions extends DegradationOptions {
    /** Vessels used for training: the first `trainVessels` (default 70 % of the fleet); the rest are held out. */
    trainVessels?: number;
    horizonDays?: number;
    onProgress?: (done: number, total: number) => void;
}

export interface VesselData {
    mmsi: number;
    rows: (LabelledRow & { baseline: number })[];
    failures: { key: string; time: number }[];
    days: number;
}

/** Simulates every vessel and computes its labelled rows (with the baseline's score per row). */
export function buildVesselData(opts: ExperimentOptions): VesselData[] {
    const n = opts.vessels ?? EXPERIMENT_DEFAULTS.vessels;
    const days = opts.days ?? EXPERIMENT_DEFAULTS.days;
    const horizon = opts.horizonDays ?? EXPERIMENT_DEFAULTS.horizonDays;
    const sim: DegradationOptions = {
        ...opts,
        vessels: n,
        days,
        seed: opts.seed ?? EXPERIMENT_DEFAULTS.seed,
    };
    const out: VesselData[] = [];
    for (let i = 0; i < n; i++) {
        const v = simulateVessel(i, sim);
        const start = v.hourly.reduce((m, h) => Math.min(m, h.hour), Infinity);
        const dayList: number[] = [];
        for (let d = 0; d < days; d++) dayList.push(start + d * DAY_MS);
        const histories = vesselHistories(v.mmsi, v.hourly, v.events, start);
        const rows = labelledRows(histories, dayList, horizon).map((r) => {
            const h = histories.find((x) => x.equipment.equipmentId === r.equipmentId)!;
            return { ...r, baseline: setpointScore(h, r.day) };
        });
        // failures inside the scored period whose horizon lies fully inside it
        const failures = v.events
            .filter(
                (e) => e.kind === 'failure' && e.time >= start + 8 * DAY_MS && e.time < start + days * DAY_MS,
            )
            .map((e) => ({ key: `${e.mmsi}|${e.equipmentId}`, time: e.time }));
        out.push({ mmsi: v.mmsi, rows, failures, days });
        opts.onProgress?.(i + 1, n);
    }
    return out;
}

export interface MethodResult {
    name: string;
    threshold: number;
    confusion: Confusion;
    precision: number;
    recall: number;
    f1: number;
    auc: number;
    failures: number;
    detected: number;
    meanLeadDays: number;
    falseAlarmEpisodes: number;
    falseAlarmsPerVesselMonth: number;
}

export interface ExperimentResult {
    model: MaintenanceModel;
    trainVessels: number;
    testVessels: number;
    trainRows: number;
    testRows: number;
    testPositives: number;
    methods: [MethodResult, MethodResult];
}

/** Trains on the first vessels, evaluates the model and the threshold-only baseline on the held-out ones. */
export function runExperiment(data: readonly VesselData[], opts: ExperimentOptions): ExperimentResult {
    const horizon = opts.horizonDays ?? EXPERIMENT_DEFAULTS.horizonDays;
    const nTrain = opts.trainVessels ?? Math.round(data.length * 0.7);
    const train = data.slice(0, nTrain);
    const test = data.slice(nTrain);
    if (train.length === 0 || test.length === 0)
        throw new Error('need at least one training and one held-out vessel');
    const trainRows = train.flatMap((v) => v.rows);
    const testRows = test.flatMap((v) => v.rows);
    const model = trainModel(trainRows, {
        horizonDays: horizon,
        seed: opts.seed ?? EXPERIMENT_DEFAULTS.seed,
        provenance: {
            data: 'local/simulator/degradation.ts',
            simulationSeed: opts.seed ?? EXPERIMENT_DEFAULTS.seed,
            vessels: train.map((v) => v.mmsi),
            days: opts.days ?? EXPERIMENT_DEFAULTS.days,
        },
    });
    // the baseline's one free parameter (a multiplier of the setpoints) is tuned on the same training vessels
    const baseTune = bestF1Threshold(
        trainRows.map((r) => r.label),
        trainRows.map((r) => r.baseline),
    );
    const vesselDays = test.reduce((s, v) => s + v.days, 0);
    const failures = test.flatMap((v) => v.failures);
    const labels = testRows.map((r) => r.label);
    const evaluate = (name: string, scores: number[], threshold: number): MethodResult => {
        const alarms = scores.map((s) => s >= threshold);
        const c = confusion(labels, alarms);
        const days: ScoredDay[] = testRows.map((r, i) => ({
            key: `${r.mmsi}|${r.equipmentId}`,
            mmsi: r.mmsi,
            day: r.day,
            label: r.label,
            alarm: alarms[i]!,
        }));
        const lead = leadTimes(days, failures, horizon);
        const fa = falseAlarmsPerVesselMonth(days, vesselDays);
        return {
            name,
            threshold,
            confusion: c,
            ...precisionRecallF1(c),
            auc: rocAuc(labels, scores),
            failures: lead.failures,
            detected: lead.detected,
            meanLeadDays: lead.meanLeadDays,
            falseAlarmEpisodes: fa.episodes,
            falseAlarmsPerVesselMonth: fa.perVesselMonth,
        };
    };
    return {
        model,
        trainVessels: train.length,
        testVessels: test.length,
        trainRows: trainRows.length,
        testRows: testRows.length,
        testPositives: labels.filter((l) => l === 1).length,
        methods: [
            evaluate(
                'model',
                testRows.map((r) => probability(model, r.values)),
                model.threshold,
            ),
            evaluate(
                'baseline',
                testRows.map((r) => r.baseline),
                baseTune.threshold,
            ),
        ],
    };
}
