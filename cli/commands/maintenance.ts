/**
 * `maritime train-maintenance` and `maritime eval-maintenance`: the predictive-maintenance model, trained and
 * evaluated on simulated vessels whose truth is known (local/simulator/degradation.ts). Both are seeded and
 * deterministic: the same options give the same model and the same figures.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { EXPERIMENT_DEFAULTS } from '../../local/simulator/experimentDefaults.js';
import type {
    ExperimentOptions,
    ExperimentResult,
    MethodResult,
} from '../../local/simulator/maintenanceExperiment.js';
import type { Command } from '../command.js';
import { positiveInt } from './localStack.js';

export const MODEL_PATH = 'config/maintenance-model.json';

const COMMON = `  --seed N            simulation and sampling seed (default ${EXPERIMENT_DEFAULTS.seed})
  --vessels N         simulated vessels (default ${EXPERIMENT_DEFAULTS.vessels}); the first 70 % train, the rest are held out
  --days N            simulated days per vessel (default ${EXPERIMENT_DEFAULTS.days})
  --horizon-days N    predict a failure within N days after the scored day (default ${EXPERIMENT_DEFAULTS.horizonDays})
  --quiet             no progress on stderr`;

const OPTIONS = {
    seed: { type: 'string' },
    vessels: { type: 'string' },
    days: { type: 'string' },
    'horizon-days': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
} as const;

function experimentOptions(values: Record<string, string | boolean | undefined>): ExperimentOptions {
    const opts: ExperimentOptions = {};
    const seed = positiveInt('seed', values.seed as string | undefined, 0);
    const vessels = positiveInt('vessels', values.vessels as string | undefined, 2);
    const days = positiveInt('days', values.days as string | undefined, 30);
    const horizon = positiveInt('horizon-days', values['horizon-days'] as string | undefined);
    if (seed !== undefined) opts.seed = seed;
    if (vessels !== undefined) opts.vessels = vessels;
    if (days !== undefined) opts.days = days;
    if (horizon !== undefined) opts.horizonDays = horizon;
    if (values.quiet !== true) {
        opts.onProgress = (done, total) => {
            if (process.stderr.isTTY)
                process.stderr.write(`\rsimulating and computing features: vessel ${done}/${total}`);
            if (done === total)
                process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}simulated ${total} vessels\n`);
        };
    }
    return opts;
}

/** The simulator and the trainer are loaded only when a maintenance command runs (the CLI starts fast). */
async function experiment(opts: ExperimentOptions): Promise<ExperimentResult> {
    const { buildVesselData, runExperiment } = await import('../../local/simulator/maintenanceExperiment.js');
    const data = buildVesselData(opts);
    if (opts.onProgress) process.stderr.write('training (ml-logistic-regression) ...\n');
    return runExperiment(data, opts);
}

const TRAIN_USAGE = `Usage: maritime train-maintenance [options] [--out FILE]

Simulates a fleet with degradation paths and its maintenance log (seeded), computes the features per
equipment and day, trains the failure model on the training vessels and writes the artefact (default
${MODEL_PATH}, versioned in the repository and loaded by the app at start).

${COMMON}
  --out FILE          where to write the model (default ${MODEL_PATH})
`;

export const trainMaintenanceCommand: Command = {
    name: 'train-maintenance',
    summary: 'train the predictive-maintenance model on simulated vessels (seeded, reproducible)',
    usage: TRAIN_USAGE,
    async run(argv) {
        const { values } = parseArgs({
            args: argv,
            options: { ...OPTIONS, out: { type: 'string' } },
            strict: true,
        });
        if (values.help) {
            process.stdout.write(TRAIN_USAGE);
            return 0;
        }
        const r = await experiment(experimentOptions(values));
        const out = values.out ?? MODEL_PATH;
        await writeFile(out, JSON.stringify(r.model, null, 2) + '\n');
        process.stdout.write(
            `wrote ${out}: ${r.model.features.length} features, ${String(r.model.training.rows)} training rows ` +
                `(${String(r.model.training.positives)} positive), threshold ${r.model.threshold.toFixed(4)}\n`,
        );
        return 0;
    },
};

const EVAL_USAGE = `Usage: maritime eval-maintenance [options]

Trains on the training vessels and evaluates on the held-out vessels the model and a threshold-only baseline
(fixed alarm setpoints per equipment, one multiplier tuned on the same training vessels): precision, recall,
F1, ROC-AUC, mean lead time before failure, false alarms per vessel-month and the confusion matrix. The last
line is exactly: F1 model <x> baseline <y>

${COMMON}
`;

export const evalMaintenanceCommand: Command = {
    name: 'eval-maintenance',
    summary: 'evaluate the maintenance model against a threshold baseline on held-out simulated vessels',
    usage: EVAL_USAGE,
    async run(argv) {
        const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
        if (values.help) {
            process.stdout.write(EVAL_USAGE);
            return 0;
        }
        const opts = experimentOptions(values);
        const r = await experiment(opts);
        process.stdout.write(formatReport(r, opts));
        return 0;
    },
};

/** The evaluation as a Markdown table, the confusion matrices, and the closing `F1 model x baseline y` line. */
export function formatReport(r: ExperimentResult, opts: ExperimentOptions): string {
    const [m, b] = r.methods;
    const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
    const row = (label: string, get: (x: MethodResult) => string): string =>
        `| ${label} | ${get(m)} | ${get(b)} |`;
    const horizon = opts.horizonDays ?? EXPERIMENT_DEFAULTS.horizonDays;
    const lines = [
        `Held-out evaluation: ${r.trainVessels} training vessels (${r.trainRows} equipment-days), ${r.testVessels} held-out vessels ` +
            `(${r.testRows} equipment-days, ${r.testPositives} with a failure within ${horizon} days); seed ${opts.seed ?? EXPERIMENT_DEFAULTS.seed}, ` +
            `${opts.days ?? EXPERIMENT_DEFAULTS.days} simulated days.`,
        '',
        '| metric (held-out vessels) | model | threshold baseline |',
        '|---|---|---|',
        row('alarm threshold (tuned on training vessels)', (x) =>
            x === m ? `p >= ${f(x.threshold, 4)}` : `${f(x.threshold, 3)} x setpoint`,
        ),
        row('precision', (x) => f(x.precision)),
        row('recall', (x) => f(x.recall)),
        row('F1', (x) => f(x.f1)),
        row('ROC-AUC', (x) => f(x.auc)),
        row('failures detected in the horizon before them', (x) => `${x.detected} / ${x.failures}`),
        row('mean lead time before failure (days, detected failures)', (x) => f(x.meanLeadDays, 2)),
        row('false alarms per vessel-month', (x) => f(x.falseAlarmsPerVesselMonth, 2)),
        row(
            'confusion TP / FP / FN / TN',
            (x) => `${x.confusion.tp} / ${x.confusion.fp} / ${x.confusion.fn} / ${x.confusion.tn}`,
        ),
        '',
        m.f1 > b.f1 && m.meanLeadDays > b.meanLeadDays
            ? 'The model beats the threshold baseline on F1 and on lead time on the held-out vessels.'
            : `The model does NOT beat the threshold baseline on ${m.f1 <= b.f1 ? 'F1' : 'lead time'} on the held-out vessels.`,
        `F1 model ${f(m.f1)} baseline ${f(b.f1)}`,
    ];
    return lines.join('\n') + '\n';
}
