/**
 * `npx maritime ...` runs the CLI from node_modules/.bin (linked by `prepare`: scripts/link-bin.mjs), not through
 * npm's self-install path: a `bin` entry in the project's own package.json makes npx install the project into its
 * cache on every call (~1.5 s of CPU per command, a minute the first time), which a user of `npx maritime decode`
 * pays on every file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from '@jest/globals';

describe('the maritime command', () => {
    it('is not a bin entry of package.json (npx would reinstall the project on every call)', () => {
        const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
            bin?: unknown;
            scripts: Record<string, string>;
        };
        expect(pkg.bin).toBeUndefined();
        expect(pkg.scripts.prepare).toContain('node scripts/link-bin.mjs');
    });

    it('is linked into node_modules/.bin by npm install and runs the CLI', () => {
        expect(resolve('node_modules/.bin', readlinkSync('node_modules/.bin/maritime'))).toBe(
            resolve('bin/maritime.js'),
        );
        const help = execFileSync('node_modules/.bin/maritime', ['--help'], { encoding: 'utf8' });
        expect(help).toMatch(/decode/);
    });
});
