/** Runs a Node child process without blocking this one (the benchmarks' Cosmos-protocol server runs in this process). */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
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

/**
 * Resident MB of glibc's main malloc arena (the `[heap]` mapping in /proc/PID/smaps): native memory of the stack
 * (TLS buffers, DuckDB, zlib, V8's own malloc), apart from the V8 heaps and other threads' arenas (anonymous
 * mappings). Where the growth was found (README "Fault harness and soak").
 */
export function mainArenaMb(pid: number): number {
    try {
        const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
        const at = smaps.indexOf('[heap]\n');
        if (at < 0) return 0;
        const m = /Rss:\s+(\d+) kB/.exec(smaps.slice(at));
        return m ? Number(m[1]) / 1024 : 0;
    } catch {
        return 0;
    }
}

/** USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every Linux this runs on). */
export const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, every thread) a process has used, 0 when it is gone. */
export function cpuSeconds(pid: number): number {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // fields after the command name (which may hold spaces) start at state: utime is the 12th of them
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
        return 0;
    }
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

/**
 * Calls `onLine` with every complete line the child writes to its stdout and stderr (the streams it pipes), in the
 * order they arrive; a partial line waits for its end.
 */
export function onChildLines(child: ChildProcess, onLine: (line: string) => void): void {
    let text = '';
    const onData = (d: Buffer): void => {
        text += d.toString();
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const l of lines) onLine(l);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
}

/**
 * The API base URL (`http://127.0.0.1:PORT/api`) a `maritime start --port 0` child prints with its health route;
 * rejects when it exits first or prints none within 60 s (with what it printed). Afterwards its piped output is
 * drained unread.
 */
export function stackApiBase(child: ChildProcess): Promise<string> {
    let output = '';
    return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`the stack did not print its URL within 60 s:\n${output}`)),
            60_000,
        );
        const onData = (chunk: Buffer): void => {
            output += chunk.toString();
            const m = /(http:\/\/127\.0\.0\.1:\d+\/api)\/health/.exec(output);
            if (m) {
                clearTimeout(timer);
                for (const stream of [child.stdout, child.stderr]) {
                    stream?.off('data', onData);
                    stream?.resume();
                }
                resolve(m[1] as string);
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code) => reject(new Error(`the stack exited (${code}):\n${output}`)));
    });
}
