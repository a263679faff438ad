/**
 * Runs the built CLI (`node bin/maritime.js ...`) for the calculator tests, rebuilding dist/ first when it is
 * missing or older than the sources (CI's `npm install` has already built it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');

function newestMtime(dir: string): number {
    let t = 0;
    if (!existsSync(dir)) return t;
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (e.isFile() && e.name.endsWith('.ts'))
            t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
    return t;
}

/** Builds dist/ when stale; returns whether dist/cli/maritime.js exists afterwards. */
export function ensureBuiltCli(): boolean {
    const built = join(ROOT, 'dist/cli/maritime.js');
    const sources = Math.max(...['cli', 'shared', 'local', 'functions'].map((d) => newestMtime(join(ROOT, d))));
    if (!existsSync(built) || statSync(built).mtimeMs < sources) {
        spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    }
    return existsSync(built);
}

export function runCli(args: string[], input = '') {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8' });
    const lines = r.stdout.split('\n').filter((l) => l.length > 0);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}
