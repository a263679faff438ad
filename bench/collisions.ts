/**
 * Collision-watch benchmark: one pass of findCollisionRisks over 20,000 moving vessels, against the one-minute
 * period of the watchCollisions timer, and a brute-force O(n²) check on 2,000 vessels that the grid finds the
 * same risks.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/collisions.js [--vessels N] [--brute N] [--runs N] [--seed N]
 *
 * Fleet (seeded, reproducible): 30 % in port approaches (normal spread σ = 8 NM around 16 busy ports, 0.5-12 kn), 50 % on
 * two-way shipping lanes between them (±1.5 NM across the lane, 10-22 kn, course along the lane ± 5°), 20 % in
 * open sea (8-20 kn, any course). Fixes are 0-3 minutes old, so dead reckoning is part of the pass.
 */
import { cpus } from 'node:os';

import { NM_PER_DEG } from '../shared/domain/collision/cpa.js';
import {
    evaluatePair,
    prepareFleet,
    type Risk,
    scanCollisionRisks,
    type VesselFix,
    type WatchOptions,
} from '../shared/domain/collision/watch.js';
import { bearing } from '../shared/domain/geo/geo.js';
import { Prng } from '../shared/domain/prng.js';
import { benchArgs } from './lib/args.js';

const { values: args } = benchArgs({
    options: {
        vessels: { type: 'string', default: '20000' },
        brute: { type: 'string', default: '2000' },
        runs: { type: 'string', default: '5' },
        seed: { type: 'string', default: '20260101' },
    },
});

const PORTS: readonly [string, number, number][] = [
    ['Rotterdam', 51.98, 3.95],
    ['Antwerp (Vlissingen)', 51.42, 3.55],
    ['Hamburg (Elbe 1)', 54.0, 8.1],
    ['Dover Strait', 51.0, 1.45],
    ['Gdansk', 54.45, 18.7],
    ['Gothenburg', 57.68, 11.7],
    ['Algeciras', 36.1, -5.4],
    ['Marseille', 43.28, 5.3],
    ['Piraeus', 37.9, 23.6],
    ['Port Said', 31.35, 32.35],
    ['New York', 40.45, -73.8],
    ['Houston (Galveston)', 29.3, -94.7],
    ['Los Angeles', 33.7, -118.2],
    ['Singapore Strait', 1.2, 103.8],
    ['Shanghai', 31.0, 122.2],
    ['Santos', -24.05, -46.3],
];
const LANES: readonly [number, number][] = [
    [0, 3],
    [1, 3],
    [2, 0],
    [0, 5],
    [5, 4],
    [3, 6],
    [6, 7],
    [7, 8],
    [8, 9],
    [6, 10],
    [10, 11],
    [12, 14],
    [13, 14],
    [13, 9],
    [15, 10],
];
const OPEN_SEA: readonly [number, number, number, number][] = [
    [30, 50, -60, -20],
    [-10, 20, 60, 90],
    [10, 40, 140, 180],
    [10, 40, -180, -150],
];

function makeFleet(n: number, seed: number, now: number): VesselFix[] {
    const rnd = Prng.fn(seed);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const between = (lo: number, hi: number) => lo + (hi - lo) * rnd();
    const fleet: VesselFix[] = [];
    const offset = (lat: number, lon: number, east: number, north: number) => ({
        lat: lat + north / NM_PER_DEG,
        lon: lon + east / (NM_PER_DEG * Math.cos((lat * Math.PI) / 180)),
    });
    for (let i = 0; i < n; i++) {
        const u = rnd();
        let lat: number, lon: number, sog: number, cog: number;
        if (u < 0.3) {
            const [, plat, plon] = PORTS[Math.floor(rnd() * PORTS.length)]!;
            ({ lat, lon } = offset(plat, plon, gauss() * 8, gauss() * 8));
            sog = between(0.5, 12);
            cog = between(0, 360);
        } else if (u < 0.8) {
            const [from, to] = LANES[Math.floor(rnd() * LANES.length)]!;
            const [, lat1, lon1] = PORTS[from]!;
            const [, lat2, lon2] = PORTS[to]!;
            const t = rnd();
            const course = bearing(lat1, lon1, lat2, lon2);
            const reverse = rnd() < 0.5;
            // Two-way traffic keeps to starboard: each direction ~1 NM to its own side of the lane axis.
            const side = (reverse ? -1 : 1) * (1 + gauss() * 0.5);
            const across = ((course + 90) * Math.PI) / 180;
            ({ lat, lon } = offset(
                lat1 + (lat2 - lat1) * t,
                lon1 + (lon2 - lon1) * t,
                side * Math.sin(across),
                side * Math.cos(across),
            ));
            sog = between(10, 22);
            cog = ((reverse ? course + 180 : course) + gauss() * 5 + 360) % 360;
        } else {
            const [la0, la1, lo0, lo1] = OPEN_SEA[Math.floor(rnd() * OPEN_SEA.length)]!;
            lat = between(la0, la1);
            lon = between(lo0, lo1);
            sog = between(8, 20);
            cog = between(0, 360);
        }
        fleet.push({
            mmsi: 200_000_000 + i,
            lat,
            lon,
            sog,
            cog,
            eventTime: now - Math.floor(rnd() * 180_000),
        });
    }
    return fleet;
}

function bruteForce(vessels: VesselFix[], options: WatchOptions): { risks: Risk[]; pairs: number } {
    const fleet = prepareFleet(vessels, options);
    const risks: Risk[] = [];
    let pairs = 0;
    for (let i = 0; i < fleet.length; i++) {
        for (let j = i + 1; j < fleet.length; j++) {
            pairs++;
            const r = evaluatePair(fleet[i]!, fleet[j]!, options);
            if (r) risks.push(r);
        }
    }
    return { risks: risks.sort((a, b) => a.mmsiA - b.mmsiA || a.mmsiB - b.mmsiB), pairs };
}

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const options: WatchOptions = { now, cpaNm: 0.5, tcpaMaxMin: 20, staleAfterMs: 10 * 60_000 };
const n = Number(args.vessels);
const runs = Number(args.runs);
const seed = Number(args.seed);
const fleet = makeFleet(n, seed, now);

let best = Infinity;
let result = scanCollisionRisks(fleet, options);
for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    result = scanCollisionRisks(fleet, options);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.min(best, ms);
}
const s = result.stats;
const allPairs = (s.eligible * (s.eligible - 1)) / 2;
console.log(
    `collision watch: ${n} vessels (seed ${seed}), node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}`,
);
console.log(
    `  one pass, best of ${runs}: ${best.toFixed(1)} ms = ${((best / 60_000) * 100).toFixed(3)} % of the 60 s timer period`,
);
console.log(`  eligible ${s.eligible}, grid cell ${s.cellNm.toFixed(1)} NM`);
console.log(
    `  candidate pairs ${s.candidatePairs} (${((s.candidatePairs / allPairs) * 100).toFixed(3)} % of ${allPairs} possible), CPA/TCPA evaluated ${s.pairsEvaluated}, risks ${s.risks}`,
);

const bn = Number(args.brute);
const small = makeFleet(bn, seed + 1, now);
const t0 = process.hrtime.bigint();
const grid = scanCollisionRisks(small, options);
const gridMs = Number(process.hrtime.bigint() - t0) / 1e6;
const t1 = process.hrtime.bigint();
const brute = bruteForce(small, options);
const bruteMs = Number(process.hrtime.bigint() - t1) / 1e6;
const same = JSON.stringify(grid.risks) === JSON.stringify(brute.risks);
console.log(`brute force check on ${bn} vessels (seed ${seed + 1}):`);
console.log(
    `  grid: ${grid.risks.length} risks, ${grid.stats.pairsEvaluated} pairs evaluated, ${gridMs.toFixed(1)} ms`,
);
console.log(`  brute force: ${brute.risks.length} risks, ${brute.pairs} pairs, ${bruteMs.toFixed(1)} ms`);
console.log(`  identical risks: ${same ? 'yes' : 'NO'}`);
if (!same || grid.risks.length === 0) process.exitCode = 1;
