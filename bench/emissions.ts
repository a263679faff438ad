/**
 * Emission model and calculator benchmark.
 *
 *   npm run bench:emissions [-- --vessels N --fixes N --lines N]
 *
 * 1. In process: `emissionsDaily` over `vessels` vessel-days of `fixes` fixes each (the gold builder's inner call),
 *    fix intervals per second, against the gold target of 10,000,000 positions a day on one core in 60 s.
 * 2. End to end, as a user runs them: `node bin/maritime.js cii` on `lines` JSON lines and `maritime emissions`
 *    on lines/10 calculator lines of 24 legs, wall time including process start, lines per second.
 * Figures on a shared 2-core machine vary by tens of percent between runs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { emissionsDaily, type EmissionsFix, resolveParticulars } from '../shared/domain/emissions/index.js';
import { benchArgs } from './lib/args.js';
import { repoRoot } from './lib/dataset.js';

const { values: args } = benchArgs({
    options: {
        vessels: { type: 'string', default: '4000' },
        fixes: { type: 'string', default: '500' },
        lines: { type: 'string', default: '100000' },
    },
});
const vessels = Number(args.vessels);
const fixesPerVessel = Number(args.fixes);
const lines = Number(args.lines);

// ---- 1. emissionsDaily in process
const start = Date.parse('2025-03-10T00:00:00Z');
const step = 86_400_000 / fixesPerVessel;
const kinds = [
    { shipTypeCode: 70, lengthM: 300, beamM: 45, draughtM: 13 },
    { shipTypeCode: 80, lengthM: 230, beamM: 40, draughtM: 14 },
    { shipTypeCode: 60, lengthM: 180, beamM: 28, draughtM: 6.5 },
    { shipTypeCode: 52, lengthM: 30, beamM: 10, draughtM: 4 },
];
const particulars = kinds.map((k) => resolveParticulars(undefined, k));
const tracks: EmissionsFix[][] = kinds.map((_, k) => {
    const out: EmissionsFix[] = [];
    for (let i = 0; i < fixesPerVessel; i++) {
        out.push({
            t: start + i * step,
            sogKn: i < fixesPerVessel / 10 ? 0.2 : 8 + ((i * 7 + k) % 9),
            lat: 54 + i * 0.002,
            lon: 7 + k,
            draughtM: 10,
            navStatus: i < fixesPerVessel / 10 ? 5 : 0,
            inSeca: i % 4 !== 0,
            inNeca: i % 8 === 0,
        });
    }
    return out;
});
let co2 = 0;
const t0 = performance.now();
for (let v = 0; v < vessels; v++) {
    const k = v % kinds.length;
    co2 += emissionsDaily({
        mmsi: v,
        date: '2025-03-10',
        fixes: tracks[k]!,
        particulars: particulars[k]!,
    }).co2T;
}
const inProcessMs = performance.now() - t0;
const intervals = vessels * (fixesPerVessel - 1);
const perSecond = intervals / (inProcessMs / 1000);
console.log(
    `emissionsDaily: ${vessels} vessel-days x ${fixesPerVessel} fixes = ${intervals} intervals in ${inProcessMs.toFixed(0)} ms`,
);
console.log(
    `  ${(perSecond / 1e6).toFixed(2)} M intervals/s; 10,000,000 positions would take ${(1e7 / perSecond).toFixed(1)} s of the 60 s gold budget (${((1e7 / perSecond / 60) * 100).toFixed(0)} %) [co2 ${co2.toFixed(0)} t]`,
);

// ---- 2. the calculators end to end
const bin = join(repoRoot(), 'bin/maritime.js');
function timeCommand(name: string, input: string, n: number): void {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, name], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = performance.now() - t;
    const out = r.stdout.split('\n').filter((l) => l.length > 0).length;
    if (r.status !== 0 || out !== n)
        throw new Error(`maritime ${name}: exit ${r.status}, ${out} of ${n} lines: ${r.stderr}`);
    console.log(
        `maritime ${name}: ${n} lines in ${ms.toFixed(0)} ms end to end (process start included): ${Math.round(n / (ms / 1000))} lines/s`,
    );
}
const types = ['bulk_carrier', 'tanker', 'container_ship', 'general_cargo_ship'];
const ciiLines: string[] = [];
for (let i = 0; i < lines; i++) {
    ciiLines.push(
        JSON.stringify({
            shipType: types[i % 4],
            dwt: 5000 + (i % 200) * 1000,
            fuelTonnes: { HFO: 1000 + (i % 97) * 50, MGO: 200 },
            distanceNm: 40000 + (i % 89) * 500,
            year: 2023 + (i % 8),
        }),
    );
}
timeCommand('cii', ciiLines.join('\n') + '\n', lines);
const legs = Array.from({ length: 24 }, (_, h) => ({
    hours: 1,
    speedKn: h < 3 ? 0.5 : 6 + (h % 8),
    eca: h % 3 === 0,
}));
const emLines: string[] = [];
const n = Math.max(1, Math.round(lines / 10));
for (let i = 0; i < n; i++) {
    emLines.push(JSON.stringify({ ais: kinds[i % kinds.length], legs }));
}
timeCommand('emissions', emLines.join('\n') + '\n', n);
