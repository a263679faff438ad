/**
 * `npm run bench:startup`: how long `maritime start` takes to come up with saved state (target < 5 s), end to end
 * as the user runs it. First a run of the simulator fills a data folder (lake in Azurite, vessel state snapshot),
 * then `node bin/maritime.js start` is timed on a fresh copy of that folder, several times: to the "local stack up"
 * line, and to the first answer of GET /api/vessels with the restored vessels. The stack's own phase times
 * (services, state restored, bronze re-driven) are printed too, and the CPU seconds the stack and its Azurite child
 * had used by then (from /proc, Linux only): on a loaded shared machine the wall time mostly measures the wait for a
 * core, the CPU time does not. Never fails on speed (shared machines are noisy).
 *
 *   node dist/bench/startup.js [--fill-seconds 60] [--vessels 1000] [--runs 3] [--keep DIR]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchArgs } from './lib/args.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');

const { values } = benchArgs({
    options: {
        'fill-seconds': { type: 'string', default: '60' },
        vessels: { type: 'string', default: '1000' },
        runs: { type: 'string', default: '3' },
        keep: { type: 'string' },
    },
});

function load(): string {
    return loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
}

/** Starts `maritime start` on `dataDir`; resolves when `pattern` appears in its stderr. */
function start(
    dataDir: string,
    extra: string[] = [],
): {
    child: ChildProcess;
    output: () => string;
    waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
} {
    const child = spawn(
        process.execPath,
        [BIN, 'start', '--data-dir', dataDir, '--port', '0', '--vessels', values.vessels, ...extra],
        {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
        },
    );
    let text = '';
    const waiters: (() => void)[] = [];
    const onData = (d: Buffer): void => {
        text += d.toString();
        for (const w of waiters.splice(0)) w();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    return {
        child,
        output: () => text,
        waitFor: (pattern, timeoutMs) =>
            new Promise((resolve, reject) => {
                const deadline = setTimeout(
                    () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`)),
                    timeoutMs,
                );
                const check = (): void => {
                    const m = pattern.exec(text);
                    if (m) {
                        clearTimeout(deadline);
                        resolve(m);
                    } else if (child.exitCode !== null) {
                        clearTimeout(deadline);
                        reject(new Error(`exited (${child.exitCode}) before ${pattern}; output:\n${text}`));
                    } else waiters.push(check);
                };
                check();
            }),
    };
}

/** CPU seconds (user + system) used so far by `pid` and its child processes (Azurite), from /proc; NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
    if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return Number.NaN;
    const own = (p: number): number => {
        try {
            // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 per second).
            const rest = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
            return (Number(rest[11]) + Number(rest[12])) / 100;
        } catch {
            return 0;
        }
    };
    let children: number[] = [];
    try {
        children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .map(Number);
    } catch {
        children = [];
    }
    return own(pid) + children.reduce((n, c) => n + own(c), 0);
}

async function stop(child: ChildProcess): Promise<number | null> {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    return exited;
}

async function main(): Promise<void> {
    const work = mkdtempSync(join(tmpdir(), 'maritime-bench-startup-'));
    const filled = join(work, 'filled');
    try {
        console.log(
            `bench:startup, machine load ${load()} (1/5/15 min) on ${(await import('node:os')).cpus().length} cores; figures are indicative on a shared machine`,
        );
        // 1. Fill: the simulator for a while, then a clean stop (which saves the snapshot).
        const fill = start(filled);
        await fill.waitFor(/local stack up/, 120_000);
        await new Promise((r) => setTimeout(r, Number(values['fill-seconds']) * 1000));
        await stop(fill.child);
        const snapshotFile = join(filled, 'cosmos-snapshot.json');
        if (!existsSync(snapshotFile)) throw new Error(`no snapshot was saved; output:\n${fill.output()}`);
        const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as {
            containers: Record<string, unknown[]>;
        };
        const counts = Object.entries(snapshot.containers).map(([c, docs]) => `${c}=${docs.length}`);
        const documents = Object.values(snapshot.containers).reduce((n, d) => n + d.length, 0);
        console.log(
            `filled in ${values['fill-seconds']} s of simulated traffic: ${documents} documents in the snapshot (${counts.join(' ')})`,
        );

        // 2. Restart on a fresh copy each time (a restart re-saves the snapshot), timed end to end.
        const rows: { up: number; firstAnswer: number; cpuUp: number; cpuAnswer: number; phases: string }[] =
            [];
        for (let run = 1; run <= Number(values.runs); run++) {
            const dir = join(work, `run-${run}`);
            cpSync(filled, dir, { recursive: true });
            const t0 = performance.now();
            const s = start(dir, ['--rate', '1', '--no-sensors']);
            const up = await s.waitFor(/local stack up in [\d.]+ s \(([^)]*)\)/, 120_000);
            const tUp = performance.now() - t0;
            const cpuUp = cpuSeconds(s.child.pid);
            const port = (await s.waitFor(/http:\/\/127\.0\.0\.1:(\d+)\/api\/dashboard/, 10_000))[1];
            let tAnswer = Number.NaN;
            let cpuAnswer = Number.NaN;
            for (;;) {
                const res = await fetch(`http://127.0.0.1:${port}/api/vessels?limit=1`).catch(
                    () => undefined,
                );
                const body = res?.ok ? ((await res.json()) as { items: unknown[] }) : undefined;
                if (body && body.items.length > 0) {
                    tAnswer = performance.now() - t0;
                    cpuAnswer = cpuSeconds(s.child.pid);
                    break;
                }
                if (performance.now() - t0 > 120_000) break;
                await new Promise((r) => setTimeout(r, 50));
            }
            await stop(s.child);
            rows.push({ up: tUp, firstAnswer: tAnswer, cpuUp, cpuAnswer, phases: up[1] as string });
            console.log(
                `run ${run}: 'local stack up' after ${(tUp / 1000).toFixed(2)} s (CPU ${cpuUp.toFixed(2)} s), first /api/vessels answer with restored vessels after ${(tAnswer / 1000).toFixed(2)} s (CPU ${cpuAnswer.toFixed(2)} s) (${up[1]}); load ${load()}`,
            );
            rmSync(dir, { recursive: true, force: true });
        }
        const best = Math.min(...rows.map((r) => r.firstAnswer));
        const median = rows.map((r) => r.firstAnswer).sort((a, b) => a - b)[
            Math.floor(rows.length / 2)
        ] as number;
        const cpuMedian = rows.map((r) => r.cpuAnswer).sort((a, b) => a - b)[
            Math.floor(rows.length / 2)
        ] as number;
        console.log(
            `maritime start with ${documents} saved documents: best ${(best / 1000).toFixed(2)} s, median ${(median / 1000).toFixed(2)} s wall to the first answer (target < 5 s: ${median < 5000 ? 'met' : 'NOT met'} at load ${load()}); median CPU to the first answer ${cpuMedian.toFixed(2)} s`,
        );
    } finally {
        if (values.keep) cpSync(filled, values.keep, { recursive: true });
        rmSync(work, { recursive: true, force: true });
    }
}

await main();
