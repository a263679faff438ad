/**
 * AIS decode benchmark: this project's decoder against gpsd's `gpsdecode -j` and libais, on one file of
 * at least 1,000,000 sentences (see bench/lib/dataset.ts).
 *
 *   npm run bench:decode                       (= npm run build && node dist/bench/decode.js)
 *   node dist/bench/decode.js [--runs N] [--peer-runs N] [--lines N] [--install] [--no-peers]
 *                             [--input realistic|repeated|FILE]
 *
 * --input: `realistic` (default) a feed that repeats almost no line (simulated fleet traffic plus the real
 * samples with new positions, bench/lib/realisticAis.ts); `repeated` the real samples repeated as they are (every
 * number recurs thousands of times: flatters V8's number-string cache); or a file of your own. The header says
 * which, and what ours leaves undecoded in it, by reason.
 *
 * Ours runs in this process on one thread (best of --runs, default 3), timed from lines in memory to
 * events, so file reading is excluded (timed separately). Stages show where the time goes:
 *   decode            AisDecoder.push over every line + flush (framing, checksum, tag blocks,
 *                     reassembly, de-armouring, field decoding, event objects)
 *   payload only      de-armouring + field decoding (decodePayload) of payloads framed beforehand
 *   framing (derived) decode − payload only: line parsing, checksum, reassembly, event objects
 *   decode + JSON     decode plus JSON.stringify of each message (what `gpsdecode -j` also does)
 *   decode + records  decode plus fromAisMessage (the normalised records the pipeline stores)
 * End to end (what a user runs, the figure that matters): `node bin/maritime.js decode FILE > out.jsonl` (default
 * threads, and 1 and 2 threads) against `gpsdecode -j < FILE > out.json`, all as processes writing a file in the
 * temp folder, start-up included, taken --e2e-runs times (default 5) alternating, best and median wall time of
 * each, median CPU time (user + system of all threads, through /usr/bin/time when installed), ratios from the
 * same run; `npx maritime decode --threads 1` and `npx maritime decode FILE` (the issue's command word for word)
 * too, as the README writes it (npm's own start-up, ~0.4 s of CPU, is included there: it is what a user pays). On a shared machine the CPU
 * ratio is the steadier figure; the wall ratio is what a user sees.
 * gpsdecode is also timed as before (start-up included, output read from a pipe); libais inside python
 * (interpreter start and file reading excluded). Peers missing: installed with apt-get only with
 * --install, or as root with BENCH_INSTALL=1; otherwise reported as missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { AisDecoder } from '../shared/domain/ais/index.js';
import { decodePayload } from '../shared/domain/ais/messages.js';
import { dearmour, ZERO_TAIL } from '../shared/domain/ais/sixbit.js';
import { fromAisMessage } from '../shared/domain/formats/fromAisMessage.js';
import { benchArgs } from './lib/args.js';
import { buildDataset, repoRoot } from './lib/dataset.js';
import {
    findGpsdecode,
    findLibaisPython,
    installPeers,
    type PeerRun,
    runGpsdecode,
    runLibais,
    timeCommand,
} from './lib/peers.js';

const { values: args } = benchArgs({
    options: {
        runs: { type: 'string', default: '3' },
        'peer-runs': { type: 'string' },
        lines: { type: 'string', default: '1000000' },
        install: { type: 'boolean', default: false },
        'no-peers': { type: 'boolean', default: false },
        'e2e-runs': { type: 'string', default: '5' },
        input: { type: 'string', default: 'realistic' },
    },
});
const e2eRuns = Math.max(1, Number(args['e2e-runs']));
const runs = Math.max(1, Number(args.runs));
const peerRuns = Math.max(1, Number(args['peer-runs'] ?? args.runs));

interface Timing {
    seconds: number;
    messages: number;
    cpuSeconds: number;
}

/** Best wall time of `n` runs of `fn` (which returns its message count); CPU time of that run too. */
function best(n: number, fn: () => number): Timing {
    let bestT: Timing | undefined;
    for (let i = 0; i < n; i++) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const messages = fn();
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const c = process.cpuUsage(c0);
        const t = { seconds, messages, cpuSeconds: (c.user + c.system) / 1e6 };
        if (bestT === undefined || t.seconds < bestT.seconds) bestT = t;
    }
    return bestT!;
}

function decodeAll(lines: string[], onMessage?: (m: Record<string, unknown>) => void): number {
    const d = new AisDecoder();
    let messages = 0;
    for (let i = 0; i < lines.length; i++) {
        const evs = d.push(lines[i]!);
        for (let k = 0; k < evs.length; k++) {
            const ev = evs[k]!;
            if (ev.kind === 'message') {
                messages++;
                if (onMessage !== undefined) onMessage(ev.message);
            }
        }
    }
    for (const ev of d.flush()) if (ev.kind === 'message') messages++;
    return messages;
}

/**
 * What ours does not decode, by reason (the unsupported message types and the rejected lines), from one
 * untimed pass: the detail's text up to its first digit-free clause, so `type 24: type 24 part number 2 or 3
 * is reserved` stays one entry.
 */
function notDecoded(lines: string[]): Map<string, number> {
    const d = new AisDecoder();
    const by = new Map<string, number>();
    const add = (evs: ReturnType<AisDecoder['push']>): void => {
        for (const ev of evs) {
            if (ev.kind === 'message') continue;
            const key =
                ev.kind === 'unsupported'
                    ? `unsupported type ${ev.type} (${ev.detail})`
                    : `${ev.reason} (${ev.detail.replace(/\d+/g, 'N')})`;
            by.set(key, (by.get(key) ?? 0) + 1);
        }
    };
    for (let i = 0; i < lines.length; i++) add(d.push(lines[i]!));
    add(d.flush());
    return by;
}

/** Bench-side framing (untimed) for the payload-only stage: joined payloads and fill bits of the last part. */
function framePayloads(lines: string[]): { payload: string; fill: number }[] {
    const out: { payload: string; fill: number }[] = [];
    const parts = new Map<string, string[]>();
    for (const line of lines) {
        const i = line.indexOf('!');
        if (i < 0) continue;
        const f = line.slice(i).split(',');
        if (f.length < 7) continue;
        const total = Number(f[1]);
        const num = Number(f[2]);
        const key = f[3]! + f[4]!;
        const fill = Number(f[6]!.charAt(0)) || 0;
        if (total === 1) out.push({ payload: f[5]!, fill });
        else if (num === 1) parts.set(key, [f[5]!]);
        else {
            const p = parts.get(key);
            if (p === undefined) continue;
            p.push(f[5]!);
            if (num === total) {
                out.push({ payload: p.join(''), fill });
                parts.delete(key);
            }
        }
    }
    return out;
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtS = (s: number): string => `${s.toFixed(3)} s`;

async function main(): Promise<void> {
    const ds = buildDataset(Number(args.lines), args.input);
    process.stdout.write(
        `AIS decode benchmark: ${ds.path}\n` +
            `  input: ${ds.description}\n` +
            `  ${fmtInt(ds.lines)} lines, ${(ds.bytes / 1e6).toFixed(1)} MB; ` +
            `node ${process.version}, ours best of ${runs}, peers best of ${peerRuns}; ` +
            `${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start\n\n`,
    );

    const tRead = process.hrtime.bigint();
    const lines = readFileSync(ds.path, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const readSeconds = Number(process.hrtime.bigint() - tRead) / 1e9;

    // One untimed pass so every stage starts with optimised code; it also says what ours leaves undecoded.
    const skippedByUs = notDecoded(lines);
    process.stdout.write(
        `  not decoded by ours: ${[...skippedByUs].map(([k, n]) => `${fmtInt(n)} ${k}`).join('; ') || 'none'}\n\n`,
    );

    const rows: {
        name: string;
        t: { seconds: number; messages?: number; cpuSeconds?: number };
        note?: string;
    }[] = [];
    const decode = best(runs, () => decodeAll(lines));
    rows.push({ name: 'ours: decode (AisDecoder.push)', t: decode });

    const payloads = framePayloads(lines);
    let sym = new Uint8Array(4096);
    const payloadOnly = best(runs, () => {
        let n = 0;
        for (let i = 0; i < payloads.length; i++) {
            const p = payloads[i]!;
            if (p.payload.length + ZERO_TAIL > sym.length)
                sym = new Uint8Array(2 * (p.payload.length + ZERO_TAIL));
            const end = dearmour(p.payload, 0, p.payload.length, sym, 0);
            if (end < 0) continue;
            sym.fill(0, end, end + ZERO_TAIL);
            if (typeof decodePayload(sym, end * 6 - p.fill) !== 'number') n++;
        }
        return n;
    });
    rows.push({
        name: 'ours: payload only (dearmour+decodePayload)',
        t: payloadOnly,
        note: `${fmtInt(payloads.length)} payloads`,
    });
    rows.push({
        name: 'ours: framing etc. (derived: decode - payload)',
        t: { seconds: Math.max(0, decode.seconds - payloadOnly.seconds) },
    });
    let sink = 0;
    const withJson = best(runs, () => decodeAll(lines, (m) => (sink += JSON.stringify(m).length)));
    rows.push({ name: 'ours: decode + JSON.stringify', t: withJson });
    const withRecords = best(runs, () =>
        decodeAll(lines, (m) => (sink += fromAisMessage(m as never, { format: 'nmea' }).length)),
    );
    rows.push({ name: 'ours: decode + fromAisMessage', t: withRecords });
    rows.push({ name: 'ours: read file + split lines (not in the above)', t: { seconds: readSeconds } });

    let gpsd: PeerRun | undefined;
    let libais: ReturnType<typeof runLibais> | undefined;
    const notes: string[] = [];
    if (!args['no-peers']) {
        let g = findGpsdecode();
        let py = findLibaisPython();
        const mayInstall = args.install || (process.getuid?.() === 0 && process.env.BENCH_INSTALL === '1');
        if ((g === undefined || py === undefined) && mayInstall) {
            notes.push(`peer install: ${installPeers()}`);
            g = findGpsdecode();
            py = findLibaisPython();
        }
        if (g === undefined) {
            notes.push(
                'gpsdecode: MISSING (Debian package gpsd-clients; rerun with --install, or as root with BENCH_INSTALL=1)',
            );
        } else {
            for (let i = 0; i < peerRuns; i++) {
                const r = await runGpsdecode(ds.path);
                if (gpsd === undefined || r.seconds < gpsd.seconds) gpsd = r;
            }
            rows.push({ name: `gpsdecode -j (${g.version})`, t: gpsd! });
        }
        if (py === undefined) {
            notes.push(
                'libais: MISSING (Debian package python3-ais, for /usr/bin/python3; rerun with --install, or as root with BENCH_INSTALL=1)',
            );
        } else {
            libais = runLibais(py.python, ds.path, peerRuns);
            rows.push({ name: `libais nmea_queue (${py.python} ${py.version})`, t: libais.queue });
            rows.push({
                name: 'libais ais.decode only (payloads pre-framed)',
                t: libais.core,
                note: `${fmtInt(libais.core.payloads)} payloads`,
            });
        }
    }

    // End to end: the command a user runs, against gpsdecode -j, alternating so all see the same load. The
    // default thread count depends on the input's size, the CPUs and the load average (see defaultThreads in
    // cli/decode/nmeaParallel.ts), so 1 and 2 threads are timed too.
    const tmp = mkdtempSync(join(tmpdir(), 'bench-decode-'));
    const bin = join(repoRoot(), 'bin', 'maritime.js');
    const haveGpsd = !args['no-peers'] && findGpsdecode() !== undefined;
    interface E2e {
        name: string;
        cmd: string;
        args: string[];
        stdin?: string;
        wall: number[];
        cpu: number[];
        lines: number;
    }
    const variants: E2e[] = [
        {
            name: 'maritime decode FILE > out (default threads)',
            cmd: process.execPath,
            args: [bin, 'decode', ds.path],
            wall: [],
            cpu: [],
            lines: 0,
        },
        {
            name: 'maritime decode --threads 1 FILE > out',
            cmd: process.execPath,
            args: [bin, 'decode', '--threads', '1', ds.path],
            wall: [],
            cpu: [],
            lines: 0,
        },
        {
            // the command as the README writes it: npm's own start-up included (node_modules/.bin, scripts/link-bin.mjs)
            name: 'npx maritime decode --threads 1 FILE > out',
            cmd: 'npx',
            args: ['--no-install', 'maritime', 'decode', '--threads', '1', ds.path],
            wall: [],
            cpu: [],
            lines: 0,
        },
        {
            // the issue's command word for word (the default thread count, see defaultThreads)
            name: 'npx maritime decode FILE > out (default threads)',
            cmd: 'npx',
            args: ['--no-install', 'maritime', 'decode', ds.path],
            wall: [],
            cpu: [],
            lines: 0,
        },
        {
            name: 'maritime decode --threads 2 FILE > out',
            cmd: process.execPath,
            args: [bin, 'decode', '--threads', '2', ds.path],
            wall: [],
            cpu: [],
            lines: 0,
        },
    ];
    // The fixed cost of each way to start the command: the same two commands on a file of the input's first line
    // (alternating with the rest). npx minus node is npm's own start-up, which no change to the decoder removes.
    const oneLine = join(tmp, 'one-line.nmea');
    const firstLine = readFileSync(ds.path).subarray(0, 4096).toString('latin1').split('\n')[0] ?? '';
    writeFileSync(oneLine, `${firstLine}\n`);
    const startup: E2e[] = [
        {
            name: 'maritime decode LINE > out (a 1-line file: start-up)',
            cmd: process.execPath,
            args: [bin, 'decode', oneLine],
            wall: [],
            cpu: [],
            lines: 0,
        },
        {
            name: 'npx maritime decode LINE > out (a 1-line file: start-up)',
            cmd: 'npx',
            args: ['--no-install', 'maritime', 'decode', oneLine],
            wall: [],
            cpu: [],
            lines: 0,
        },
    ];
    if (haveGpsd)
        variants.push({
            name: 'gpsdecode -j < FILE > out',
            cmd: 'gpsdecode',
            args: ['-j'],
            stdin: ds.path,
            wall: [],
            cpu: [],
            lines: 0,
        });
    for (let i = 0; i < e2eRuns; i++) {
        for (const v of [...variants, ...startup]) {
            const r = await timeCommand(v.cmd, v.args, {
                outPath: join(tmp, 'out'),
                ...(v.stdin === undefined ? {} : { stdinPath: v.stdin }),
            });
            if (r.code !== 0) throw new Error(`${v.name} exited with ${r.code}`);
            v.wall.push(r.seconds);
            if (r.cpuSeconds !== undefined) v.cpu.push(r.cpuSeconds);
            v.lines = r.lines;
        }
    }
    rmSync(tmp, { recursive: true, force: true });
    const bestOf = (xs: number[]): number => Math.min(...xs);
    const medianOf = (xs: number[]): number => {
        const s = [...xs].sort((a, b) => a - b);
        const m = s.length >> 1;
        return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
    };
    for (const v of variants) {
        const cpu = v.cpu.length > 0 ? medianOf(v.cpu) : undefined;
        rows.push({
            name: `END TO END ${v.name}, best of ${e2eRuns}`,
            t: { seconds: bestOf(v.wall), messages: v.lines },
        });
        rows.push({
            name: `END TO END ${v.name}, median`,
            t:
                cpu === undefined
                    ? { seconds: medianOf(v.wall) }
                    : { seconds: medianOf(v.wall), cpuSeconds: cpu },
            note:
                cpu === undefined ? undefined : `median CPU ${cpu.toFixed(2)} s (user + system, all threads)`,
        });
    }

    const w = Math.max(...rows.map((r) => r.name.length));
    process.stdout.write(
        `${'stage / decoder'.padEnd(w)}  ${'time'.padStart(9)}  ${'sentences/s'.padStart(12)}  ${'messages'.padStart(10)}  cpu/wall\n`,
    );
    for (const r of rows) {
        const rate = ds.lines / r.t.seconds;
        const cpu = r.t.cpuSeconds !== undefined ? (r.t.cpuSeconds / r.t.seconds).toFixed(2) : '';
        const msgs = r.t.messages !== undefined ? fmtInt(r.t.messages) : '';
        process.stdout.write(
            `${r.name.padEnd(w)}  ${fmtS(r.t.seconds).padStart(9)}  ${fmtInt(rate).padStart(12)}  ${msgs.padStart(10)}  ${cpu}${r.note ? `  ${r.note}` : ''}\n`,
        );
    }
    process.stdout.write('\n');
    const ratio = (a: number, b: number): string => `${(b / a).toFixed(2)}x`;
    if (gpsd !== undefined) {
        process.stdout.write(
            `ours/gpsdecode: ${ratio(decode.seconds, gpsd.seconds)} (decode only), ${ratio(withJson.seconds, gpsd.seconds)} (decode + JSON, like -j)\n`,
        );
    }
    const gpsdE2e = variants.find((v) => v.cmd === 'gpsdecode');
    if (gpsdE2e !== undefined) {
        for (const v of variants) {
            if (v === gpsdE2e) continue;
            const cpu =
                v.cpu.length > 0 && gpsdE2e.cpu.length > 0
                    ? `, ${ratio(medianOf(v.cpu), medianOf(gpsdE2e.cpu))} (CPU, median vs median)`
                    : '';
            process.stdout.write(
                `END TO END ${v.name} vs gpsdecode -j, same run: ${ratio(bestOf(v.wall), bestOf(gpsdE2e.wall))} (wall, best vs best), ` +
                    `${ratio(medianOf(v.wall), medianOf(gpsdE2e.wall))} (wall, median vs median)${cpu}; ` +
                    `wall ${v.wall.map((x) => x.toFixed(2)).join(' ')} s\n`,
            );
        }
        process.stdout.write(
            `gpsdecode -j wall ${gpsdE2e.wall.map((x) => x.toFixed(2)).join(' ')} s; load average ${loadavg()[0]!.toFixed(2)} at the end\n`,
        );
        // The issue's target in one place: the command with default threads and with one, as `node bin/maritime.js`
        // and as `npx`.
        process.stdout.write('\nTARGET: at least 3x gpsdecode -j end to end (median vs median, this run):\n');
        for (const v of variants) {
            if (v.cmd === 'gpsdecode' || v.name.includes('--threads 2')) continue;
            const wall = medianOf(gpsdE2e.wall) / medianOf(v.wall);
            const cpu =
                v.cpu.length > 0 && gpsdE2e.cpu.length > 0
                    ? medianOf(gpsdE2e.cpu) / medianOf(v.cpu)
                    : undefined;
            const label = `${v.cmd === 'npx' ? 'npx maritime' : 'node bin/maritime.js'} decode${v.name.includes('--threads 1') ? ' --threads 1' : ''}`;
            process.stdout.write(
                `  ${label.padEnd(40)} wall ${wall.toFixed(2)}x ${wall >= 3 ? 'met' : 'NOT met'}` +
                    (cpu === undefined ? '' : `, CPU ${cpu.toFixed(2)}x ${cpu >= 3 ? 'met' : 'NOT met'}`) +
                    '\n',
            );
        }
    }
    const [nodeStart, npxStart] = startup as [E2e, E2e];
    if (nodeStart.cpu.length > 0 && npxStart.cpu.length > 0) {
        const npmCpu = medianOf(npxStart.cpu) - medianOf(nodeStart.cpu);
        process.stdout.write(
            `\nSTART-UP (a 1-line file, median): node bin/maritime.js decode ${medianOf(nodeStart.cpu).toFixed(2)} s CPU ` +
                `(${medianOf(nodeStart.wall).toFixed(2)} s wall), npx maritime decode ${medianOf(npxStart.cpu).toFixed(2)} s CPU ` +
                `(${medianOf(npxStart.wall).toFixed(2)} s wall): npx adds ${npmCpu.toFixed(2)} s of CPU, ` +
                `${(medianOf(npxStart.wall) - medianOf(nodeStart.wall)).toFixed(2)} s of wall (npm's own start-up)\n`,
        );
        if (gpsdE2e !== undefined && gpsdE2e.cpu.length > 0) {
            const budget = medianOf(gpsdE2e.cpu) / 3;
            const ours = variants.find(
                (v) => v.cmd === process.execPath && v.name.includes('default threads'),
            );
            process.stdout.write(
                `  3x gpsdecode -j in CPU (${medianOf(gpsdE2e.cpu).toFixed(2)} s) is ${budget.toFixed(2)} s: under npx that leaves ` +
                    `${(budget - npmCpu).toFixed(2)} s for node bin/maritime.js decode FILE` +
                    (ours !== undefined && ours.cpu.length > 0
                        ? ` (this run: ${medianOf(ours.cpu).toFixed(2)} s)`
                        : '') +
                    '\n',
            );
        }
    }
    if (libais !== undefined) {
        process.stdout.write(
            `ours/libais:    ${ratio(decode.seconds, libais.queue.seconds)} (decode vs nmea_queue), ` +
                `${ratio(payloadOnly.seconds, libais.core.seconds)} (payload only vs ais.decode)\n`,
        );
    }
    if (rows.some((r) => r.t.cpuSeconds !== undefined && r.t.cpuSeconds / r.t.seconds < 0.9)) {
        notes.push(
            'cpu/wall < 0.9 for a stage of ours: the machine was busy with other work; figures are noisy',
        );
    }
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(
        'Messages differ by decoder: gpsd merges type 24 A+B and keeps unknown binary payloads; libais rejects some short or unknown binary messages.\n',
    );
    if (sink < 0) process.stdout.write(String(sink));
}

await main();
