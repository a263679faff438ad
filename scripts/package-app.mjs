#!/usr/bin/env node
// Builds the deployment package folder `.deploy/` (what `azd up` / `azd deploy` zip and send to Flex Consumption):
// the compiled app, host.json, the data files read at run time, and node_modules with the PRODUCTION dependencies
// only. Without it azd zipped the project with every devDependency (about 160 MB zipped: DuckDB's dev copy,
// TypeScript, Azurite, jest, Playwright...).
//
// azd runs `npm run package` (if the script exists) after `npm install` and `npm run build`, with
// NODE_ENV=production, then zips the folder azure.yaml names in `dist` (Azure/azure-dev
// cli/azd/pkg/project/framework_service_npm.go: Package -> RunScript "package", publishSource = path + OutputPath).
//
// Usage: node scripts/package-app.mjs [--out DIR] [--zip FILE]   (npm run package = build first, then this)
//
// The package is built for Linux x64 (Flex Consumption): `--os=linux --cpu=x64` make npm pick DuckDB's linux-x64
// binding even when packaging on macOS or Windows.
import { execFileSync } from 'node:child_process';
import {
    cpSync,
    existsSync,
    lstatSync,
    mkdirSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What the Functions host needs at run time, relative to the project root (dist/ without tests, benches, CLI). */
export const PACKAGE_CONTENT = [
    'host.json',
    'dist/functions',
    'dist/shared',
    'dist/config',
    'dist/web',
    // Read at run time: vessel particulars (VESSEL_PARTICULARS_PATH).
    'local/data',
];

function log(message) {
    process.stderr.write(`package: ${message}\n`);
}

/** Bytes under `path` (regular files; symbolic links not followed). */
export function sizeOf(path) {
    const s = lstatSync(path);
    if (!s.isDirectory()) return s.isFile() ? s.size : 0;
    let total = 0;
    for (const name of readdirSync(path, { recursive: true })) {
        const st = lstatSync(join(path, name));
        if (st.isFile()) total += st.size;
    }
    return total;
}

/** package.json of the package: what the host and npm need, no scripts (no `prepare` build), no devDependencies. */
export function deploymentManifest(pkg) {
    const { name, version, description, type, main, engines, dependencies, overrides } = pkg;
    return {
        name,
        version,
        description,
        private: true,
        type,
        main,
        engines,
        dependencies,
        ...(overrides ? { overrides } : {}),
    };
}

export function buildPackage({ out = join(ROOT, '.deploy'), zip } = {}) {
    for (const required of ['dist/functions/index.js', 'dist/web']) {
        if (!existsSync(join(ROOT, required)))
            throw new Error(`${required} is missing: run \`npm run build\` first (npm run package does)`);
    }
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const entry of PACKAGE_CONTENT) {
        const from = join(ROOT, entry);
        if (!existsSync(from)) throw new Error(`${entry} is missing`);
        cpSync(from, join(out, entry), { recursive: true });
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    writeFileSync(join(out, 'package.json'), `${JSON.stringify(deploymentManifest(pkg), null, 2)}\n`);
    // The project's lockfile pins every production dependency; npm drops the dev entries from this copy.
    cpSync(join(ROOT, 'package-lock.json'), join(out, 'package-lock.json'));
    log(`installing production dependencies into ${relative(ROOT, out) || out}/node_modules (linux-x64) ...`);
    execFileSync(
        'npm',
        [
            'install',
            '--omit=dev',
            '--ignore-scripts',
            '--no-audit',
            '--no-fund',
            '--prefer-offline',
            '--os=linux',
            '--cpu=x64',
        ],
        { cwd: out, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
    );
    const bytes = sizeOf(out);
    log(`${relative(ROOT, out) || out}: ${(bytes / 1048576).toFixed(1)} MB unzipped`);
    if (zip !== undefined) {
        rmSync(zip, { force: true });
        execFileSync('zip', ['-qr9', resolve(zip), '.'], { cwd: out });
        log(`${zip}: ${(statSync(zip).size / 1048576).toFixed(1)} MB zipped`);
    }
    return { out, bytes };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const { values } = parseArgs({ options: { out: { type: 'string' }, zip: { type: 'string' } } });
    try {
        buildPackage({
            ...(values.out ? { out: resolve(values.out) } : {}),
            ...(values.zip ? { zip: values.zip } : {}),
        });
    } catch (error) {
        log(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
    }
}
