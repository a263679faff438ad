/**
 * The built CLI for end-to-end tests (`node bin/maritime.js ...`): dist/ is rebuilt first when it is missing or
 * older than the sources (CI's `npm install` has already built it), and child processes of a pid are found
 * through /proc (Linux), to check that nothing outlives the stack.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/maritime.js');
export const TESTDATA = fileURLToPath(new URL('../../../shared/testdata/', import.meta.url));

function newestMtime(dir: string): number {
    let t = 0;
    if (!existsSync(dir)) return t;
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (e.isFile() && e.name.endsWith('.ts'))
            t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
    return t;
}

/** Builds dist/ when it is older than any source the CLI runs. */
export function ensureBuilt(): void {
    const built = join(ROOT, 'dist/cli/maritime.js');
    const sources = Math.max(
        ...['cli', 'shared', 'local', 'functions'].map((d) => newestMtime(join(ROOT, d))),
    );
    if (!existsSync(built) || statSync(built).mtimeMs < sources) {
        spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    }
    if (!existsSync(built)) throw new Error('dist/cli/maritime.js missing: run npm run build');
}

/** Pids whose parent is `pid` (from /proc/<pid>/stat). */
export function childrenOf(pid: number): number[] {
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        try {
            const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            if (ppid === pid) out.push(Number(name));
        } catch {
            // the process ended meanwhile
        }
    }
    return out;
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat, after the parenthesised command name). */
export function processGroupOf(pid: number): number {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** The command line of `pid` (NUL-separated), '' when it has ended. */
export function cmdlineOf(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
        return '';
    }
}

/** Every process below `pid` (children, their children, ...). */
export function descendantsOf(pid: number): number[] {
    const children = childrenOf(pid);
    return [...children, ...children.flatMap((c) => descendantsOf(c))];
}

export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (check()) return true;
        await new Promise((r) => setTimeout(r, stepMs));
    }
    return check();
}

/** Runs `node bin/maritime.js ARGS` from the repo root; resolves with its exit code and stdout + stderr as one text. */
export function runCli(args: readonly string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => resolve({ code, output }));
    });
}
