/**
 * Maintenance scoring benchmark: what the maintenance timer does for one day of a 1,000-equipment fleet.
 * 1. load the versioned model artefact (read + JSON parse + check), as the app does at start;
 * 2. features + score for 1,000 equipment-days from hourly statistics (334 simulated vessels x 3 equipment,
 *    30 days of hourly history each, the last day scored);
 * 3. scoring alone (probability, health and top contributions) of 1,000 feature vectors.
 * Prints figures; never fails on speed (the target is 1,000 equipment-days in under a second).
 *
 *   npm run bench:maintenance [-- --equipment 1000 --repeat 5]
 */
import { readFileSync } from 'node:fs';

import { simulateVessel } from '../local/simulator/degradation.js';
import { vesselHistories } from '../shared/domain/maintenance/dataset.js';
import { equipmentDayFeatures, type FeatureRow } from '../shared/domain/maintenance/features.js';
import { DAY_MS } from '../shared/domain/maintenance/hourly.js';
import { checkModel, score } from '../shared/domain/maintenance/model.js';
import { benchArgs } from './lib/args.js';

const { values: args } = benchArgs({
    options: { equipment: { type: 'string', default: '1000' }, repeat: { type: 'string', default: '5' } },
});
const EQUIPMENT = Number(args.equipment);
const REPEAT = Number(args.repeat);
const DAYS = 30;

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

let t0 = process.hrtime.bigint();
const model = checkModel(
    JSON.parse(readFileSync(new URL('../../config/maintenance-model.json', import.meta.url), 'utf8')),
);
const loadMs = ms(t0);

t0 = process.hrtime.bigint();
const vessels = Math.ceil(EQUIPMENT / 3);
const histories = [];
for (let i = 0; i < vessels; i++) {
    const v = simulateVessel(i, { seed: 11, days: DAYS, readingsPerHour: 4 });
    const start = v.hourly.reduce((m, h) => Math.min(m, h.hour), Infinity);
    histories.push(
        ...vesselHistories(v.mmsi, v.hourly, v.events, start).map((h) => ({
            h,
            day: start + (DAYS - 1) * DAY_MS,
        })),
    );
}
histories.length = Math.min(histories.length, EQUIPMENT);
const genMs = ms(t0);

const featureRuns: number[] = [];
const scoreRuns: number[] = [];
let rows: FeatureRow[] = [];
let alarms = 0;
for (let k = 0; k < REPEAT; k++) {
    t0 = process.hrtime.bigint();
    rows = [];
    for (const { h, day } of histories) rows.push(...equipmentDayFeatures(h, [day]));
    featureRuns.push(ms(t0));
    t0 = process.hrtime.bigint();
    alarms = 0;
    for (const r of rows) if (score(model, r.values).alarm) alarms++;
    scoreRuns.push(ms(t0));
}
const best = (xs: number[]): number => Math.min(...xs);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
    `maintenance scoring benchmark (node ${process.version}; shared machine: figures vary with its load)`,
);
console.log(`  model load (read + parse + check):                 ${loadMs.toFixed(2)} ms`);
console.log(
    `  simulated history: ${histories.length} equipment x ${DAYS} days hourly (${genMs.toFixed(0)} ms, not timed below)`,
);
console.log(
    `  features for ${rows.length} equipment-days:              best ${best(featureRuns).toFixed(1)} ms, median ${median(featureRuns).toFixed(1)} ms`,
);
console.log(
    `  scoring ${rows.length} equipment-days:                   best ${best(scoreRuns).toFixed(2)} ms, median ${median(scoreRuns).toFixed(2)} ms (${alarms} alarms)`,
);
const total = loadMs + median(featureRuns) + median(scoreRuns);
console.log(
    `  load + features + scoring, 1,000 equipment-days:   ${total.toFixed(1)} ms (target < 1000 ms: ${(1000 / total).toFixed(1)}x headroom)`,
);
