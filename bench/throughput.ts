/**
 * `npm run bench:throughput`: what `maritime start` costs per event, end to end, at an asked rate. It runs the
 * built CLI (`maritime start --rate R` on a fresh data folder, the simulators with their sensor readings and the
 * degradation backfill as `npm start` runs them), samples every `--every` seconds the CPU time of the process that
 * runs the stack (every thread: ingest, the Cosmos-protocol server's thread, the HTTP worker, libuv's pool, GC) and
 * of Azurite (its child process) from /proc, and the stack's progress line (AIS events received, sensor readings,
 * backlog, how long the simulators were held because the backlog was full). After `--minutes` it sends SIGINT, as a
 * supervisor or a terminal would, and times the stop.
 *
 * It prints, after the warm-up (`--warmup` minutes, default 1: the start-up, the first minute of the 21-day sensor
 * backfill):
 * - CPU seconds per 1,000 events (AIS events + sensor readings), the stack and Azurite apart: on a shared machine
 *   this is the figure to compare (the achieved rate depends on what else runs);
 * - the CPU share of the 2 cores it took, events/s achieved vs asked, the backlog (max and last);
 * - the stop: seconds from SIGINT to exit, the backlog at SIGINT, the exit code.
 *
 * Linux only (/proc). Not in CI (minutes, and the figures need a quiet machine to mean a rate).
 *
 *   node dist/bench/throughput.js [--minutes 4] [--rate 500] [--every 15] [--warmup 1] [--node-args=--cpu-prof]
 *                                 [--keep DIR] [-- extra maritime start options]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchArgs } from './lib/args.js';
import { cpuSeconds, descendantPids, onChildLines, stackPid, TICKS_PER_SECOND } from './lib/child.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');

const { values, positionals } = benchArgs({
    allowPositionals: true,
    options: {
        minutes: { type: 'string', default: '4' },
        rate: { type: 'string', default: '500' },
        every: { type: 'string', default: '15' },
        warmup: { type: 'string', default: '1' },
        'node-args': { type: 'string', default: '' },
        keep: { type: 'string' },
    },
});

/** CPU seconds of a process's main thread (the stack's event loop: ingest, timers, simulators). */
function mainThreadCpuSeconds(pid: number): number {
    try {
        const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
        return 0;
    }
}

interface Sample {
    at: number;
    stackCpu: number;
    mainCpu: number;
    azuriteCpu: number;
    ais: number;
    sensors: number;
    backlog: number;
    heldS: number;
    load: number;
}

const num = (re: RegExp, line: string): number => Number((re.exec(line)?.[1] ?? 'NaN').replace(/,/g, ''));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
    const dataDir = values.keep ?? mkdtempSync(join(tmpdir(), 'maritime-throughput-'));
    const durationMs = Number(values.minutes) * 60_000;
    const everyMs = Number(values.every) * 1000;
    const warmupMs = Number(values.warmup) * 60_000;
    const rate = Number(values.rate);
    const nodeArgs = values['node-args'].split(' ').filter(Boolean);
    const child: ChildProcess = spawn(
        process.execPath,
        [
            ...nodeArgs,
            BIN,
            'start',
            '--data-dir',
            dataDir,
            '--reset',
            '--port',
            '0',
            '--rate',
            String(rate),
            ...positionals,
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let progress = '';
    const tail: string[] = [];
    onChildLines(child, (l) => {
        if (/ events\/s \| received /.test(l)) progress = l;
        else if (/local stack up|received [\d,]+ = accepted|NOT DRAINED|still running|error/i.test(l))
            tail.push(l);
    });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const w = (s: string) => process.stdout.write(`${s}\n`);
    w(
        `throughput: maritime start --rate ${rate} ${positionals.join(' ')} for ${values.minutes} min, ${cpus().length} CPUs, data ${dataDir}`,
    );
    w(
        '  s | stack CPU s | main thread | azurite CPU s | AIS received | sensor readings | backlog | held s | load',
    );
    const t0 = Date.now();
    const samples: Sample[] = [];
    let stack = child.pid!;
    let azurite: number[] = [];
    while (Date.now() - t0 < durationMs) {
        await Promise.race([sleep(Math.min(everyMs, durationMs - (Date.now() - t0))), exit]);
        if (child.exitCode !== null) {
            w(`the stack exited early (code ${child.exitCode}):\n${tail.join('\n')}`);
            return 1;
        }
        stack = stackPid(child.pid!);
        azurite = descendantPids(stack);
        const s: Sample = {
            at: Date.now() - t0,
            stackCpu: cpuSeconds(stack),
            mainCpu: mainThreadCpuSeconds(stack),
            azuriteCpu: azurite.reduce((sum, p) => sum + cpuSeconds(p), 0),
            ais: num(/received ([\d,]+)/, progress),
            sensors:
                num(/sensor readings ([\d,]+) ok/, progress) + num(/ok, ([\d,]+) quarantined/, progress) || 0,
            backlog: num(/backlog ([\d,]+)/, progress),
            heldS: num(/simulators held ([\d,]+) s/, progress) || 0,
            load: loadavg()[0]!,
        };
        samples.push(s);
        w(
            `${(s.at / 1000).toFixed(0).padStart(3)} | ${s.stackCpu.toFixed(1)} | ${s.mainCpu.toFixed(1)} | ${s.azuriteCpu.toFixed(1)} | ${s.ais} | ${s.sensors} | ${s.backlog} | ${s.heldS} | ${s.load.toFixed(1)}`,
        );
    }
    const backlogAtStop = samples.at(-1)?.backlog ?? NaN;
    const stopAt = Date.now();
    child.kill('SIGINT');
    const code = await exit;
    const stopS = (Date.now() - stopAt) / 1000;
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });

    const first = samples.find((s) => s.at >= warmupMs);
    const last = samples.at(-1);
    if (!first || !last || first === last) {
        w('too few samples after the warm-up: run longer');
        return 1;
    }
    const seconds = (last.at - first.at) / 1000;
    const ais = last.ais - first.ais;
    const sensors = last.sensors - first.sensors;
    const events = ais + sensors;
    const stackCpu = last.stackCpu - first.stackCpu;
    const azuriteCpu = last.azuriteCpu - first.azuriteCpu;
    const mainCpu = last.mainCpu - first.mainCpu;
    const per1000 = (cpu: number) => ((cpu / events) * 1000).toFixed(3);
    const loads = samples.map((s) => s.load);
    const window = samples.filter((s) => s.at >= first.at);
    w('');
    w(
        `== throughput: maritime start --rate ${rate}, seconds ${(first.at / 1000).toFixed(0)}-${(last.at / 1000).toFixed(0)}, load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} ==`,
    );
    w(
        `events         AIS ${(ais / seconds).toFixed(0)}/s (asked ${rate}), sensor readings ${(sensors / seconds).toFixed(0)}/s; simulators held ${(last.heldS - first.heldS).toFixed(0)} of ${seconds.toFixed(0)} s; backlog max ${Math.max(...window.map((s) => s.backlog))}, last ${last.backlog}`,
    );
    w(
        `CPU            stack ${stackCpu.toFixed(1)} s (its main thread ${mainCpu.toFixed(1)} s: ${((mainCpu / seconds) * 100).toFixed(0)} % of a core) + Azurite ${azuriteCpu.toFixed(1)} s = ${((stackCpu + azuriteCpu) / seconds).toFixed(2)} of ${cpus().length} cores`,
    );
    w(
        `CPU s per 1,000 events: total ${per1000(stackCpu + azuriteCpu)} (stack ${per1000(stackCpu)}, of it main thread ${per1000(mainCpu)}, Azurite ${per1000(azuriteCpu)}; ${events.toLocaleString('en-US')} events)`,
    );
    w(`stop           ${stopS.toFixed(1)} s after SIGINT with a backlog of ${backlogAtStop}, exit ${code}`);
    for (const l of tail.filter((l) => !/local stack up/.test(l))) w(`  stack: ${l}`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
