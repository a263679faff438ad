/**
 * Locates the Bicep CLI restored by `scripts/install-bicep.sh` and compiles templates with it.
 * Outside CI a missing CLI skips the infra tests (with a message); with CI=true it fails them.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { ArmTemplate } from './arm.js';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BICEP_DIR = path.join(REPO_ROOT, 'infra', 'bicep');
export const MAIN_BICEP = path.join(BICEP_DIR, 'main.bicep');

/** Per-test timeout for anything that starts the CLI (it is a native .NET app: ~1-3 s per call). */
export const CLI_TIMEOUT_MS = 60_000;

export const isCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

function isExecutable(file: string): boolean {
    try {
        accessSync(file, constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** `BICEP_PATH` if set, else `tools/bicep/bicep` (install-bicep.sh), else undefined. */
export function findBicep(): string | undefined {
    const candidates = [process.env.BICEP_PATH, path.join(REPO_ROOT, 'tools', 'bicep', 'bicep')];
    return candidates.find((c): c is string => c !== undefined && c !== '' && isExecutable(c));
}

export const bicepPath = findBicep();

/** True when the CLI-backed suites should be skipped (no CLI, not in CI). */
export const skipWithoutCli = bicepPath === undefined && !isCi;

export const MISSING_CLI_MESSAGE =
    'Bicep CLI not found (tools/bicep/bicep or BICEP_PATH): run `bash scripts/install-bicep.sh`.';

if (skipWithoutCli) {
    console.warn(
        `[test/infra] skipping Bicep checks: ${MISSING_CLI_MESSAGE} (with CI=true this fails instead)`,
    );
}

export interface CliResult {
    code: number;
    output: string;
}

/** Runs the CLI; never throws for a non-zero exit (the output carries the diagnostics). */
export async function bicep(args: string[]): Promise<CliResult> {
    if (bicepPath === undefined) throw new Error(MISSING_CLI_MESSAGE);
    try {
        const { stdout, stderr } = await run(bicepPath, args, {
            cwd: REPO_ROOT,
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', BICEP_TRACING_ENABLED: 'false' },
        });
        return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
        const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
        return {
            code: typeof e.code === 'number' ? e.code : 1,
            output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`,
        };
    }
}

/** Diagnostics lines (`file(line,col) : Warning|Error CODE: message`) in CLI output. */
export function diagnostics(output: string): string[] {
    return output.split(/\r?\n/).filter((line) => /\) : (Warning|Error) /.test(line));
}

/** Compiles a .bicep file into a temp dir and returns the parsed ARM JSON. */
export async function compile(file: string): Promise<{ template: ArmTemplate; diagnostics: string[] }> {
    const outDir = mkdtempSync(path.join(tmpdir(), 'bicep-build-'));
    try {
        const outFile = path.join(outDir, `${path.basename(file, '.bicep')}.json`);
        const result = await bicep(['build', file, '--outfile', outFile]);
        if (result.code !== 0) throw new Error(`bicep build ${file} failed:\n${result.output}`);
        const template = JSON.parse(readFileSync(outFile, 'utf8')) as ArmTemplate;
        return { template, diagnostics: diagnostics(result.output) };
    } finally {
        rmSync(outDir, { recursive: true, force: true });
    }
}
