import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { expectWith } from '../helpers/expectWith.js';
import {
    bicep,
    BICEP_DIR,
    bicepPath,
    CLI_TIMEOUT_MS,
    type CliResult,
    diagnostics,
    isCi,
    MISSING_CLI_MESSAGE,
    REPO_ROOT,
    skipWithoutCli,
} from './bicepCli.js';

function bicepFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return bicepFiles(full);
        return entry.name.endsWith('.bicep') ? [full] : [];
    });
}

const files = bicepFiles(BICEP_DIR)
    .map((f) => path.relative(BICEP_DIR, f))
    .sort();
const pattern = `${path.relative(REPO_ROOT, BICEP_DIR)}/**/*.bicep`;

describe('Bicep CLI', () => {
    (isCi ? it : it.skip)('is installed in CI (scripts/install-bicep.sh runs before the tests)', () => {
        expectWith(bicepPath, MISSING_CLI_MESSAGE).toBeDefined();
    });
});

(skipWithoutCli ? describe.skip : describe)('bicep build and lint', () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'bicep-build-'));
    let build: CliResult;
    let lint: CliResult;

    beforeAll(async () => {
        // One CLI process per command for all files (each start costs 1-2 s).
        [build, lint] = await Promise.all([
            bicep(['build', '--pattern', pattern, '--outdir', outDir]),
            bicep(['lint', '--pattern', pattern]),
        ]);
    }, CLI_TIMEOUT_MS);

    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    it('finds main.bicep and its modules', () => {
        expect(files).toContain('main.bicep');
        expect(files.filter((f) => f.startsWith('modules/')).length).toBeGreaterThan(5);
    });

    it('builds every file without errors or warnings', () => {
        expectWith(diagnostics(build.output), build.output).toEqual([]);
        expectWith(build.code, build.output).toBe(0);
    });

    it.each(files)('compiles %s to ARM JSON', (file) => {
        const json = path.join(outDir, file.replace(/\.bicep$/, '.json'));
        expectWith(existsSync(json), `${json} missing:\n${build.output}`).toBe(true);
        expect(() => JSON.parse(readFileSync(json, 'utf8')) as unknown).not.toThrow();
    });

    it('lints every file with warnings treated as errors', () => {
        expectWith(diagnostics(lint.output), lint.output).toEqual([]);
        expectWith(lint.code, lint.output).toBe(0);
    });

    it('uses no registry modules (they cannot be restored offline)', () => {
        for (const file of files) {
            expectWith(readFileSync(path.join(BICEP_DIR, file), 'utf8'), file).not.toMatch(/['"]br[:/]/);
        }
    });

    it('gives every analyzer rule that is turned down a reason', () => {
        const config = readFileSync(path.join(BICEP_DIR, 'bicepconfig.json'), 'utf8').split('\n');
        config.forEach((line, i) => {
            if (/"level":\s*"(off|none|info)"/.test(line)) {
                expectWith(
                    config[i - 1] ?? '',
                    `bicepconfig.json line ${i + 1} needs a // reason above it`,
                ).toMatch(/\/\//);
            }
        });
    });
});
