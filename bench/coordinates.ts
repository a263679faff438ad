/**
 * The exact coordinate writer of `maritime decode` (cli/decode/coordinateText.ts) against V8's own text:
 *
 *   npm run bench:coordinates                  (= npm run build && node dist/bench/coordinates.js)
 *   node dist/bench/coordinates.js [--from N] [--to N] [--step N]
 *
 * 1. Checks `writeDegrees600k(raw)` against `'' + raw / 600000` for every raw value from --from to --to (default:
 *    the whole 28-bit signed field, -134,217,728..134,217,727: every longitude, latitude and out-of-range
 *    value an AIS position report can carry), byte for byte; prints each difference (exit 1 when any). Minutes:
 *    use --step N for a sample.
 * 2. Times both on a million random in-range positions (no value repeats in V8's number-string cache).
 */

import { MAX_RAW, writeDegrees600k } from '../cli/decode/coordinateText.js';
import { Prng } from '../shared/domain/prng.js';
import { benchArgs } from './lib/args.js';

const { values: args } = benchArgs({
    options: {
        from: { type: 'string', default: String(-MAX_RAW) },
        to: { type: 'string', default: String(MAX_RAW - 1) },
        step: { type: 'string', default: '1' },
    },
});
const from = Number(args.from);
const to = Number(args.to);
const step = Math.max(1, Number(args.step));

const buf = new Uint8Array(64);
let checked = 0;
let differences = 0;
const t0 = process.hrtime.bigint();
for (let raw = from; raw <= to; raw += step) {
    const end = writeDegrees600k(buf, 0, raw);
    const want = '' + raw / 600000;
    checked++;
    let same = end === want.length;
    for (let i = 0; same && i < end; i++) same = buf[i] === want.charCodeAt(i);
    if (!same) {
        differences++;
        if (differences <= 20)
            process.stdout.write(
                `raw ${raw}: wrote ${Buffer.from(buf.subarray(0, end)).toString('latin1')}, V8 ${want}\n`,
            );
    }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
    `checked ${checked.toLocaleString('en-US')} raw values ${from}..${to} (step ${step}) in ${seconds.toFixed(1)} s: ` +
        `${differences} differences from '' + raw / 600000\n`,
);

// Speed on random positions, both ways, writing into one buffer.
const p = new Prng(1);
const raws = Float64Array.from({ length: 1_000_000 }, (_, i) =>
    i % 2 === 0 ? Math.round(p.range(-180, 180) * 600000) : Math.round(p.range(-90, 90) * 600000),
);
const out = new Uint8Array(32 << 20);
const time = (name: string, fn: () => number): void => {
    let best = Infinity;
    let bytes = 0;
    for (let run = 0; run < 5; run++) {
        const s = process.hrtime.bigint();
        bytes = fn();
        best = Math.min(best, Number(process.hrtime.bigint() - s) / 1e9);
    }
    process.stdout.write(
        `${name.padEnd(40)} ${(best * 1e3).toFixed(1).padStart(7)} ms per million (${bytes} bytes)\n`,
    );
};
time('writeDegrees600k', () => {
    let at = 0;
    for (let i = 0; i < raws.length; i++) at = writeDegrees600k(out, at, raws[i]!);
    return at;
});
time("'' + raw / 600000, copied out", () => {
    let at = 0;
    for (let i = 0; i < raws.length; i++) {
        const s = '' + raws[i]! / 600000;
        for (let k = 0; k < s.length; k++) out[at++] = s.charCodeAt(k);
    }
    return at;
});
process.exitCode = differences === 0 ? 0 : 1;
