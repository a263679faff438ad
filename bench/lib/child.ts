/** Runs a Node child process without blocking this one (the benchmarks' Cosmos-protocol server runs in this process). */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function runNode(
    argv: string[],
    env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
}

/** Pids whose parent is `pid` (`ps --ppid`; empty when there are none or ps fails). */
export function childPids(pid: number): number[] {
    try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
            .split('\n')
            .map((s) => Number(s.trim()))
            .filter((n) => n > 0);
    } catch {
        return [];
    }
}

/** Every pid below `pid` (children, their children, ...). */
export function descendantPids(pid: number): number[] {
    const children = childPids(pid);
    return [...children, ...children.flatMap((c) => descendantPids(c))];
}

/** The process running the stack: the spawned pid's child when it started itself again, else the spawned pid. */
export function stackPid(spawned: number): number {
    for (const pid of childPids(spawned)) {
        try {
            if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('maritime.js')) return pid;
        } catch {
            // ended meanwhile
        }
    }
    return spawned;
}
