/**
 * `npm run soak`: a long run of `maritime start` (the simulator at `--rate`, default 500 AIS events/s) on a fresh
 * data folder, on the built dist/, judged against issue 10's target: the stack's RSS under `--target-mb` (500) and
 * flat (no upward trend) after the warm-up, at the asked rate.
 *
 * Every `--every` seconds (10), when the stack prints its `memory:` line, it samples the stack's RSS (from /proc,
 * Linux only: the process that runs the stack, which on Linux is the child `maritime start` started again with its
 * malloc settings, cli/mallocReexec.ts), the resident part of its glibc main malloc arena (`[heap]`: native memory
 * outside the V8 heaps), Azurite's and the Cosmos-protocol server's (its children: the emulated services, separate
 * processes, reported apart; the verdict also prints the stack's and the Cosmos server's together), the ingest
 * backlog, the AIS events/s since the last sample, the load, and the stack's `memory:` line (each thread's V8 heap
 * and, per thread, what its isolate holds outside it: external memory and array buffers; the documents the local
 * Cosmos-protocol server holds, the snapshot size; and `running`: the timer and queue functions at work when the
 * stack read its RSS, so each sample is known to fall during a job or between jobs). After `--minutes` (30) it stops
 * the stack with SIGINT (sent to the pid it spawned, as a supervisor would) and prints the reconciliation and a verdict:
 *
 * - RSS at the first and last sample, the largest sample, and the peak (VmHWM) of the warm-up and after it (the soak
 *   resets the stack's VmHWM when the warm-up ends, /proc/PID/clear_refs);
 * - after the warm-up (`--warmup` minutes, default 10, or a third of a shorter run: the 12 simulated hours of
 *   history at 360x, the 21 days of sensor backfill and their first gold builds), judged as bench/lib/soakVerdict.ts
 *   says: under the target = every sample and the peak since the warm-up under `--target-mb` (the jobs' working sets
 *   count in full there); flat = the least-squares slope per hour of the samples taken between jobs, with its 95 %
 *   interval, the upper end under `--flat-mb-per-hour` (50; growing: its lower end above it; otherwise "not
 *   established", run longer). Printed beside: the slope over every sample (jobs included), the jobs' samples per
 *   job, and the growth of the Cosmos data the stack holds in memory by design;
 * - AIS events/s achieved vs asked, and how long the simulators were held because the stack's backlog was full
 *   (on a shared machine that is the wait for a core as much as the pipeline).
 *
 * Exit 1 when a memory target is not met, the stop did not reconcile or the stack died; the rate is reported, not
 * judged (2 shared CPUs often cannot give 500/s). Not in CI (time).
 *
 *   node dist/bench/soak.js [--minutes 30] [--rate 500] [--every 10] [--warmup M] [--target-mb 500]
 *                           [--flat-mb-per-hour 50] [--keep DIR] [--builds] [--stop-in-build]
 *
 * `--builds` runs the stack with `--function-logs` and prints each gold day built (the silver files it read, per
 * table, and its seconds) and each silver compaction fire, with the minute; a summary of the files per build at the end.
 *
 * `--stop-in-build` measures a stop in the middle of a build: after `--minutes` it waits (up to 10 minutes) until a
 * gold build, sensor-hourly build or compaction has a DuckDB session open (its `gold-*` or `compact-*` folder in the
 * stack's own TMPDIR, a temporary folder of its own) and sends SIGINT then; it says which was open, and prints the stack's
 * "stopped (not failed)" lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchArgs } from './lib/args.js';
import { descendantPids, mainArenaMb, onChildLines, stackPid } from './lib/child.js';
import { jobsOfMemoryLine, slopePerHour, soakMemoryVerdict, type Trend } from './lib/soakVerdict.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');

const { values } = benchArgs({
    options: {
        minutes: { type: 'string', default: '30' },
        rate: { type: 'string', default: '500' },
        every: { type: 'string', default: '10' },
        warmup: { type: 'string' },
        'target-mb': { type: 'string', default: '500' },
        'flat-mb-per-hour': { type: 'string', default: '50' },
        keep: { type: 'string' },
        builds: { type: 'boolean', default: false },
        'stop-in-build': { type: 'boolean', default: false },
    },
});

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
    try {
        const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : 0;
    } catch {
        return 0;
    }
}

/** Whether `pid` is the local Cosmos-protocol server's process (local/cosmosServer.ts: its script reads that setting). */
function isCosmosServer(pid: number): boolean {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('MARITIME_COSMOS_SERVER');
    } catch {
        return false;
    }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (x: number) => `${x.toFixed(0)} MB`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x).toLocaleString('en-US')}`;

interface Sample {
    minute: number;
    rss: number;
    /** The timer and queue functions at work when the stack read its RSS for the `memory:` line of this sample. */
    jobs: string[];
    /** Azurite's RSS and the Cosmos-protocol server process's, MB (children of the stack, not in `rss`). */
    azurite: number;
    cosmos: number;
    arena: number;
    received: number;
    heldS: number;
    docs: number;
    snapshotMb: number;
    load: number;
}

async function main(): Promise<number> {
    const dataDir = values.keep ?? mkdtempSync(join(tmpdir(), 'maritime-soak-'));
    const minutes = Number(values.minutes);
    const durationMs = minutes * 60_000;
    const warmup = values.warmup !== undefined ? Number(values.warmup) : Math.min(10, minutes / 3);
    const targetMb = Number(values['target-mb']);
    const flatMbPerHour = Number(values['flat-mb-per-hour']);
    // The stack's temporary folders (DuckDB sessions: gold-*, compact-*) in a folder of its own, to see a build run
    // (not in the data folder: `--reset` empties it).
    const stackTmp = values['stop-in-build'] ? mkdtempSync(join(tmpdir(), 'maritime-soak-tmp-')) : '';
    const child: ChildProcess = spawn(
        process.execPath,
        [
            BIN,
            'start',
            '--data-dir',
            dataDir,
            '--reset',
            '--port',
            '0',
            '--rate',
            values.rate,
            '--memory-every',
            values.every,
            ...(values.builds ? ['--function-logs'] : []),
        ],
        {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
            ...(values['stop-in-build'] ? { env: { ...process.env, TMPDIR: stackTmp } } : {}),
        },
    );
    let progress = '';
    const backlogs: number[] = [];
    const samples: Sample[] = [];
    const num = (re: RegExp, line: string): number => Number((re.exec(line)?.[1] ?? 'NaN').replace(/,/g, ''));
    const stopLines: string[] = [];
    const t0 = Date.now();
    const builds: { minute: number; files: number; seconds: number }[] = [];
    const at = (): string => ((Date.now() - t0) / 60_000).toFixed(1);
    onChildLines(child, (l) => {
        if (/stopped \(not failed\)|stopped by the host's stop|timer run\(s\)|stack stopped in/.test(l)) {
            process.stdout.write(`  stack @ ${at()} min: ${l}\n`);
            return;
        }
        if (values.builds && l.includes('gold day built {')) {
            try {
                const f = JSON.parse(l.slice(l.indexOf('{'))) as {
                    day: string;
                    silverFiles: number;
                    silverFilesByTable?: Record<string, number>;
                    totalSeconds: number;
                };
                builds.push({ minute: Number(at()), files: f.silverFiles, seconds: f.totalSeconds });
                process.stdout.write(
                    `  build @ ${at()} min: ${f.day} silver files ${f.silverFiles} ${JSON.stringify(f.silverFilesByTable ?? {})} in ${f.totalSeconds} s\n`,
                );
            } catch {
                // not a whole JSON line: skipped
            }
            return;
        }
        if (values.builds && l.includes('silver compaction {')) {
            const outcomes = /"outcomes":\[([^\]]*)\]/.exec(l)?.[1]?.split(',') ?? [];
            const due = /"due":(\d+)/.exec(l)?.[1] ?? '?';
            const field = (name: string): string | undefined =>
                new RegExp(`"${name}":"?([^",}]*)`).exec(l)?.[1];
            // what the fire merged (open hours incrementally, closed hours whole) and how long it took
            const figures =
                field('seconds') === undefined
                    ? ''
                    : ` (open ${field('open')}; closed ${field('closed')}; cleaned ${field('cleaned')}) in ${field('seconds')} s, slowest ${field('slowest')}`;
            process.stdout.write(
                `  compaction @ ${at()} min: ${outcomes.length} table-hours of ${due} due${figures}\n`,
            );
            return;
        }
        // the other function log lines (`--function-logs`, information and warnings) are not the soak's
        if (values.builds && /^\[\w+\] (information|warning)/.test(l)) return;
        if (/ events\/s \| received /.test(l)) progress = l;
        else if (l.startsWith('memory: ')) sample(l);
        else if (/received [\d,]+ = accepted|local stack up|reconciled|not drained|skipped|error/i.test(l)) {
            process.stdout.write(`  stack: ${l}\n`);
            if (/received [\d,]+ = accepted|not drained/i.test(l)) stopLines.push(l);
        }
    });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    process.stdout.write(`soak: maritime start --rate ${values.rate} for ${minutes} min, data ${dataDir}\n`);
    process.stdout.write(
        'minute | stack RSS MB | main arena MB | azurite RSS MB | cosmos RSS MB | backlog | AIS events/s since last | load | running | progress\n',
    );
    let stack = child.pid!;
    // VmHWM: until the warm-up ends, then reset (/proc/PID/clear_refs 5) and read again: the peak after the warm-up
    let peakMb = 0;
    let warmupPeakMb: number | undefined;
    let peakReset: boolean | undefined;
    let cosmosPeakMb = 0;
    /**
     * One sample per `memory:` line of the stack (every `--every` seconds), read from /proc as the line arrives: the
     * line says which jobs were running when the stack read its RSS, so each sample is known to fall during a job or
     * between jobs (the verdict's trend is fitted on the latter, bench/lib/soakVerdict.ts).
     */
    function sample(memoryLine: string): void {
        if (child.exitCode !== null || Date.now() - t0 >= durationMs) return;
        stack = stackPid(child.pid!);
        const rss = procStatusMb(stack, 'VmRSS');
        peakMb = Math.max(peakMb, procStatusMb(stack, 'VmHWM'));
        // The services, apart: the Cosmos-protocol server's process (its script names its setting), and Azurite.
        let azurite = 0;
        let cosmos = 0;
        for (const pid of descendantPids(stack)) {
            if (isCosmosServer(pid)) {
                cosmos += procStatusMb(pid, 'VmRSS');
                cosmosPeakMb = Math.max(cosmosPeakMb, procStatusMb(pid, 'VmHWM'));
            } else azurite += procStatusMb(pid, 'VmRSS');
        }
        const backlog = num(/backlog ([\d,]+)/, progress);
        const received = num(/received ([\d,]+)/, progress);
        const minute = (Date.now() - t0) / 60_000;
        const previous = samples.at(-1);
        const rate =
            previous && Number.isFinite(received)
                ? (received - previous.received) / ((minute - previous.minute) * 60)
                : NaN;
        if (Number.isFinite(backlog)) backlogs.push(backlog);
        const load = loadavg()[0]!;
        const arena = mainArenaMb(stack);
        const jobs = jobsOfMemoryLine(memoryLine);
        samples.push({
            minute,
            rss,
            jobs,
            arena,
            azurite,
            cosmos,
            received,
            heldS: num(/simulators held ([\d,]+) s/, progress) || 0,
            docs: num(/([\d,]+) docs/, memoryLine),
            snapshotMb: num(/snapshot (\d+) MB/, memoryLine),
            load,
        });
        process.stdout.write(
            `${minute.toFixed(1)} | ${rss.toFixed(0)} | ${arena.toFixed(0)} | ${azurite.toFixed(0)} | ${cosmos.toFixed(0)} | ${backlog} | ${Number.isFinite(rate) ? rate.toFixed(0) : '-'} | ${load.toFixed(1)} | ${jobs.join(', ') || '-'} | ${progress.trim()}\n` +
                `       ${memoryLine}\n`,
        );
    }
    while (Date.now() - t0 < durationMs) {
        await Promise.race([sleep(Math.min(1000, durationMs - (Date.now() - t0))), exit]);
        if (child.exitCode !== null) {
            process.stdout.write(`the stack exited early (code ${child.exitCode})\n`);
            return 1;
        }
        if (peakReset === undefined && Date.now() - t0 >= warmup * 60_000) {
            stack = stackPid(child.pid!);
            warmupPeakMb = Math.max(peakMb, procStatusMb(stack, 'VmHWM'));
            try {
                writeFileSync(`/proc/${stack}/clear_refs`, '5');
                peakMb = procStatusMb(stack, 'VmHWM');
                peakReset = true;
            } catch (error) {
                peakReset = false;
                process.stdout.write(
                    `  could not reset the stack's VmHWM at the end of the warm-up (${(error as Error).message}): its peak after the warm-up is not known\n`,
                );
            }
        }
    }
    if (child.exitCode === null) peakMb = Math.max(peakMb, procStatusMb(stack, 'VmHWM'));
    const parentMb = stack !== child.pid ? procStatusMb(child.pid!, 'VmRSS') : 0;
    let inBuild = '';
    if (values['stop-in-build']) {
        const waitFrom = Date.now();
        const open = (): string[] => {
            try {
                return readdirSync(stackTmp).filter((n) => /^(gold|compact)-/.test(n));
            } catch {
                return [];
            }
        };
        while (open().length === 0 && Date.now() - waitFrom < 600_000 && child.exitCode === null)
            await sleep(200);
        inBuild = open().join(', ');
        process.stdout.write(
            `waited ${((Date.now() - waitFrom) / 1000).toFixed(1)} s for a DuckDB session; open at SIGINT: ${inBuild || 'none'}\n`,
        );
    }
    const stopAt = Date.now();
    child.kill('SIGINT');
    const code = await exit;
    const stopS = (Date.now() - stopAt) / 1000;
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
    if (stackTmp !== '') rmSync(stackTmp, { recursive: true, force: true });

    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last) return 1;
    const largest = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
    const verdict = soakMemoryVerdict(samples, {
        warmupMinutes: warmup,
        targetMb,
        flatMbPerHour,
        ...(peakReset === true ? { peakMb } : {}),
    });
    const late = samples.filter((p) => p.minute >= warmup);
    const lateBetween = late.filter((p) => p.jobs.length === 0);
    const arenaTrend = slopePerHour(lateBetween, (p) => p.arena);
    const docs = slopePerHour(late, (p) => p.docs);
    const snapshot = slopePerHour(late, (p) => p.snapshotMb);
    const seconds = (last.minute - first.minute) * 60;
    const achieved = (last.received - first.received) / seconds;
    const asked = Number(values.rate);
    const loads = samples.map((p) => p.load);
    const heldS = last.heldS - first.heldS;

    const { under, flat, between, all, jobs } = verdict;
    const trendText = (t: Trend): string =>
        Number.isFinite(t.slope) ? `${signed(t.slope)} ± ${t.plusMinus.toFixed(0)} MB/hour` : '-';
    const reconciled = code === 0;
    const w = (s: string) => process.stdout.write(`${s}\n`);
    w('');
    w(
        `== soak verdict: maritime start --rate ${asked}, ${minutes} min, ${cpus().length} CPUs, load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} ==`,
    );
    w(
        `stack RSS      first ${mb(first.rss)} (minute ${first.minute.toFixed(1)}), last ${mb(last.rss)}, largest ${mb(largest.rss)} (minute ${largest.minute.toFixed(1)}), ` +
            (peakReset === true
                ? `peak ${mb(warmupPeakMb!)} in the warm-up, ${mb(peakMb)} after it (VmHWM)`
                : `peak ${mb(peakMb)} (VmHWM, the whole run)`) +
            (parentMb > 0
                ? `; the waiting parent ${mb(parentMb)}, the services apart (below)`
                : '; the services apart (below)'),
    );
    const largestOf = (f: (p: Sample) => number): number => Math.max(...samples.map(f));
    w(
        `services       Azurite largest ${mb(largestOf((p) => p.azurite))}; Cosmos-protocol server largest ${mb(largestOf((p) => p.cosmos))}, peak ${mb(cosmosPeakMb)} (VmHWM); ` +
            `stack + Cosmos-protocol server largest ${mb(largestOf((p) => p.rss + p.cosmos))}`,
    );
    w(
        late.length >= 3
            ? `after warm-up  minutes ${late[0]!.minute.toFixed(1)}-${last.minute.toFixed(1)} (${late.length} samples): largest ${mb(verdict.largest)}` +
                  `${verdict.peak === undefined ? '' : `, peak ${mb(verdict.peak)}`}; slope between jobs ${trendText(between)} (${between.samples} samples, least squares, 95 %)`
            : `after warm-up  fewer than 3 samples after minute ${Number(warmup.toFixed(1))}: run longer for a trend`,
    );
    if (late.length >= 3)
        w(
            `               of which, between jobs, glibc's main malloc arena ([heap]): ${lateBetween.length > 0 ? `${mb(lateBetween[0]!.arena)} to ${mb(lateBetween.at(-1)!.arena)}` : '-'}, slope ${signed(arenaTrend.slope)} ± ${arenaTrend.plusMinus.toFixed(0)} MB/hour`,
        );
    if (late.length >= 3) {
        w(
            `               over every sample, jobs included: ${trendText(all)}; the ${jobs.samples} samples during a job: ${trendText(jobs)}`,
        );
        w(
            `               samples during each job (largest): ${verdict.byJob.map((j) => `${j.name} ${j.samples} (${mb(j.largest)})`).join(', ') || 'none'}`,
        );
    }
    if (late.length >= 3)
        w(
            `               Cosmos data held in memory by design: ${signed(docs.slope)} documents/hour, snapshot ${signed(snapshot.slope)} MB/hour`,
        );
    const buildLine = (label: string, list: typeof builds): void => {
        const files = list.map((b) => b.files).sort((x, y) => x - y);
        const secs = list.map((b) => b.seconds).sort((x, y) => x - y);
        w(
            `${label}${list.length}: silver files per build median ${files[files.length >> 1]}, largest ${files.at(-1)}; seconds median ${secs[secs.length >> 1]}, largest ${secs.at(-1)}`,
        );
    };
    if (builds.length > 0) buildLine('gold builds    ', builds);
    // the builds that started after the warm-up (the simulated history, the sensor backfill, the first catch-up)
    const lateBuilds = builds.filter((b) => b.minute - b.seconds / 60 >= warmup);
    if (lateBuilds.length > 0) buildLine(`  started after minute ${Number(warmup.toFixed(1))}: `, lateBuilds);
    w(
        `rate           asked ${asked} AIS events/s, achieved ${achieved.toFixed(0)} (${((achieved / asked) * 100).toFixed(0)} %); simulators held ${heldS.toFixed(0)} of ${seconds.toFixed(0)} s (backlog full); backlog max ${backlogs.length ? Math.max(...backlogs) : '-'}`,
    );
    w(
        `stop           ${stopS.toFixed(1)} s after SIGINT, exit ${code}${stopLines.length ? '' : ' (no reconciliation printed)'}` +
            (values['stop-in-build'] ? `; DuckDB session open at SIGINT: ${inBuild || 'none'}` : ''),
    );
    w(
        `RSS under ${targetMb} MB after warm-up: ${under === undefined ? 'NOT MEASURED' : under ? 'yes' : 'NO'} (largest sample ${mb(verdict.largest)}, peak ${verdict.peak === undefined ? 'not known' : mb(verdict.peak)})`,
    );
    w(
        `RSS flat after warm-up:       ${flat === true ? 'yes' : flat === false ? 'NO, growing' : 'not established (run longer)'} (between jobs ${trendText(between)}, ${between.samples} samples; flat = upper end under +${flatMbPerHour})`,
    );
    w(
        `asked rate reached:           ${achieved >= asked * 0.95 ? 'yes' : `NO (${achieved.toFixed(0)} of ${asked}/s: the figures hold for the rate achieved)`}`,
    );
    const met = under === true && flat === true && reconciled;
    w(
        `VERDICT: memory target ${met ? 'MET' : flat === undefined && under === true && reconciled ? 'NOT ESTABLISHED' : 'NOT MET'}` +
            `${achieved >= asked * 0.95 ? '' : ` at ${achieved.toFixed(0)} AIS events/s (asked ${asked})`}` +
            `${reconciled ? '' : '; the stop did not reconcile or drain (exit ' + String(code) + ')'}`,
    );
    return met ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
