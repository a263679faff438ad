/**
 * `npm run soak`: a long run of `maritime start` (the simulator at `--rate`, default 500 events/s) on a fresh data
 * folder, on the built dist/. Every `--every` seconds (60) it prints the stack's RSS and its Azurite child's (from
 * /proc, Linux only), the ingest backlog, the AIS events/s since the last sample and the stack's `memory:` line (each
 * thread's heap, the documents the local Cosmos-protocol server holds, the snapshot size); after `--minutes` (30)
 * it stops the stack with SIGINT and prints its reconciliation, RSS min/max, backlog max, and after the start-up
 * the trend per hour of the RSS, the Cosmos documents and the snapshot (least squares). Exit 1 when the stop
 * did not reconcile or the stack died. Not in CI (time). The machine's load is printed: on a shared machine the
 * backlog measures the wait for a core as much as the pipeline.
 *
 *   node dist/bench/soak.js [--minutes 30] [--rate 500] [--every 60] [--keep DIR]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { childPids } from './lib/child.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');

const { values } = parseArgs({
    options: {
        minutes: { type: 'string', default: '30' },
        rate: { type: 'string', default: '500' },
        every: { type: 'string', default: '60' },
        keep: { type: 'string' },
    },
});

function rssMb(pid: number): number {
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : 0;
    } catch {
        return 0;
    }
}
/** Least-squares slope of `y` over the samples' minutes, per hour. */
function slopePerHour<T extends { minute: number }>(points: readonly T[], y: (p: T) => number): number {
    const n = points.length;
    const mx = points.reduce((s, p) => s + p.minute, 0) / n;
    const my = points.reduce((s, p) => s + y(p), 0) / n;
    const sxy = points.reduce((s, p) => s + (p.minute - mx) * (y(p) - my), 0);
    const sxx = points.reduce((s, p) => s + (p.minute - mx) ** 2, 0);
    return sxx > 0 ? (sxy / sxx) * 60 : NaN;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
    const dataDir = values.keep ?? mkdtempSync(join(tmpdir(), 'maritime-soak-'));
    const durationMs = Number(values.minutes) * 60_000;
    const everyMs = Number(values.every) * 1000;
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
        ],
        {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
        },
    );
    let text = '';
    let progress = '';
    let memory = '';
    const onData = (d: Buffer) => {
        text += d.toString();
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const l of lines) {
            if (/ events\/s \| received /.test(l)) progress = l;
            else if (l.startsWith('memory: ')) memory = l;
            else if (
                /received [\d,]+ = accepted|local stack up|reconciled|not drained|skipped|error/i.test(l)
            )
                process.stdout.write(`  stack: ${l}\n`);
        }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const t0 = Date.now();
    const rss: number[] = [];
    const backlogs: number[] = [];
    /** Per sample: minutes since start, stack RSS, received AIS events, Cosmos documents, snapshot MB. */
    const samples: { minute: number; rss: number; received: number; docs: number; snapshotMb: number }[] = [];
    const num = (re: RegExp, line: string): number => Number((re.exec(line)?.[1] ?? 'NaN').replace(/,/g, ''));
    process.stdout.write(
        `soak: maritime start --rate ${values.rate} for ${values.minutes} min, data ${dataDir}\n`,
    );
    process.stdout.write(
        'minute | stack RSS MB | azurite RSS MB | backlog | AIS events/s since last | load | progress\n',
    );
    while (Date.now() - t0 < durationMs) {
        await Promise.race([sleep(Math.min(everyMs, durationMs - (Date.now() - t0))), exit]);
        if (child.exitCode !== null) {
            process.stdout.write(`the stack exited early (code ${child.exitCode})\n`);
            return 1;
        }
        const stack = rssMb(child.pid!);
        const azurite = childPids(child.pid!).reduce((s, p) => s + rssMb(p), 0);
        const backlog = num(/backlog ([\d,]+)/, progress);
        const received = num(/received ([\d,]+)/, progress);
        const minute = (Date.now() - t0) / 60_000;
        const previous = samples.at(-1);
        const rate =
            previous && Number.isFinite(received)
                ? (received - previous.received) / ((minute - previous.minute) * 60)
                : NaN;
        rss.push(stack);
        if (Number.isFinite(backlog)) backlogs.push(backlog);
        samples.push({
            minute,
            rss: stack,
            received,
            docs: num(/([\d,]+) docs/, memory),
            snapshotMb: num(/snapshot (\d+) MB/, memory),
        });
        process.stdout.write(
            `${minute.toFixed(1)} | ${stack.toFixed(0)} | ${azurite.toFixed(0)} | ${backlog} | ${Number.isFinite(rate) ? rate.toFixed(0) : '-'} | ${loadavg()[0]!.toFixed(1)} | ${progress.trim()}\n` +
                (memory ? `       ${memory}\n` : ''),
        );
    }
    const stopAt = Date.now();
    child.kill('SIGINT');
    const code = await exit;
    process.stdout.write(`stopped in ${((Date.now() - stopAt) / 1000).toFixed(1)} s, exit ${code}\n`);
    process.stdout.write(
        `stack RSS MB: min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)}, last ${rss.at(-1)?.toFixed(0)}; backlog max ${Math.max(...backlogs)}\n`,
    );
    // After the start-up (the maintenance history backfill and its builds): the trend per hour, least squares.
    const late = samples.filter((p) => p.minute >= Math.min(10, Number(values.minutes) / 3));
    const first = samples[0];
    const last = samples.at(-1);
    if (late.length >= 3 && first && last) {
        process.stdout.write(
            `after minute ${late[0]!.minute.toFixed(0)}: stack RSS ${slopePerHour(late, (p) => p.rss).toFixed(0)} MB/hour, Cosmos documents ${slopePerHour(late, (p) => p.docs).toFixed(0)}/hour, ` +
                `snapshot ${slopePerHour(late, (p) => p.snapshotMb).toFixed(1)} MB/hour (least squares); ` +
                `AIS events/s over the run ${((last.received - first.received) / ((last.minute - first.minute) * 60)).toFixed(0)}\n`,
        );
    }
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
    return code === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
