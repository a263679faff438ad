/**
 * `npm run soak`: a long run of `maritime start` (the simulator at `--rate`, default 500 events/s) on a fresh data
 * folder, on the built dist/. Every `--every` seconds (60) it prints the stack's RSS and its Azurite child's (from
 * /proc, Linux only), the ingest backlog and counts (from the stack's progress line); after `--minutes` (30) it
 * stops the stack with SIGINT and prints its reconciliation, RSS min/max and backlog max. Exit 1 when the stop
 * did not reconcile or the stack died. Not in CI (time). The machine's load is printed: on a shared machine the
 * backlog measures the wait for a core as much as the pipeline.
 *
 *   node dist/bench/soak.js [--minutes 30] [--rate 500] [--every 60] [--keep DIR]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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
function childPids(pid: number): number[] {
    try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
            .split('\n')
            .map((s) => Number(s.trim()))
            .filter((n) => n > 0);
    } catch {
        return [];
    }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
    const dataDir = values.keep ?? mkdtempSync(join(tmpdir(), 'maritime-soak-'));
    const durationMs = Number(values.minutes) * 60_000;
    const everyMs = Number(values.every) * 1000;
    const child: ChildProcess = spawn(
        process.execPath,
        [BIN, 'start', '--data-dir', dataDir, '--reset', '--port', '0', '--rate', values.rate],
        {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
        },
    );
    let text = '';
    let progress = '';
    const onData = (d: Buffer) => {
        text += d.toString();
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const l of lines) {
            if (/ events\/s \| received /.test(l)) progress = l;
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
    process.stdout.write(
        `soak: maritime start --rate ${values.rate} for ${values.minutes} min, data ${dataDir}\n`,
    );
    process.stdout.write('minute | stack RSS MB | azurite RSS MB | backlog | load | progress\n');
    while (Date.now() - t0 < durationMs) {
        await Promise.race([sleep(Math.min(everyMs, durationMs - (Date.now() - t0))), exit]);
        if (child.exitCode !== null) {
            process.stdout.write(`the stack exited early (code ${child.exitCode})\n`);
            return 1;
        }
        const stack = rssMb(child.pid!);
        const azurite = childPids(child.pid!).reduce((s, p) => s + rssMb(p), 0);
        const backlog = Number((/backlog ([\d,]+)/.exec(progress)?.[1] ?? 'NaN').replace(/,/g, ''));
        rss.push(stack);
        if (Number.isFinite(backlog)) backlogs.push(backlog);
        const minute = ((Date.now() - t0) / 60_000).toFixed(1);
        process.stdout.write(
            `${minute} | ${stack.toFixed(0)} | ${azurite.toFixed(0)} | ${backlog} | ${loadavg()[0]!.toFixed(1)} | ${progress.trim()}\n`,
        );
    }
    const stopAt = Date.now();
    child.kill('SIGINT');
    const code = await exit;
    process.stdout.write(`stopped in ${((Date.now() - stopAt) / 1000).toFixed(1)} s, exit ${code}\n`);
    process.stdout.write(
        `stack RSS MB: min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)}, last ${rss.at(-1)?.toFixed(0)}; backlog max ${Math.max(...backlogs)}\n`,
    );
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
