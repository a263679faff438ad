/**
 * Runs the built CLI (`node bin/maritime.js ...`) with input on stdin, for the calculator and decode tests; dist/
 * is rebuilt first when stale (test/helpers/builtCli.ts, the one build-if-stale check).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { BIN, ensureBuilt, ROOT } from './builtCli.js';

export { ROOT };

/** Builds dist/ when stale; returns whether dist/cli/maritime.js exists afterwards. */
export function ensureBuiltCli(): boolean {
    try {
        ensureBuilt();
    } catch {
        // reported by the caller's assertion
    }
    return existsSync(join(ROOT, 'dist/cli/maritime.js'));
}

export function runCli(args: string[], input = '') {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8' });
    const lines = r.stdout.split('\n').filter((l) => l.length > 0);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}
