/**
 * The deployment package holds production dependencies only (`azd up` used to zip every devDependency, about
 * 160 MB zipped), and everything the app loads at run time is in it: every package the Azure entry reaches is a
 * production dependency, and every file it reaches is compiled into the folders the package copies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { deploymentManifest, PACKAGE_CONTENT } from '../../scripts/package-app.mjs';

interface PackageJson {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const BUILTINS = new Set(builtinModules);

/** Specifiers a TypeScript file loads at run time (static and dynamic imports, re-exports; not `import type`). */
function runtimeImports(source: string): string[] {
    const out: string[] = [];
    const statement = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
    for (const m of source.matchAll(statement)) if (m[2] === undefined) out.push(m[3]!);
    for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
    return out;
}

/** Every source file and every package the Azure entry (functions/index.ts) reaches at run time. */
function runtimeClosure(entry: string): { files: Set<string>; packages: Set<string> } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const stack = [entry];
    while (stack.length > 0) {
        const file = stack.pop()!;
        if (files.has(file)) continue;
        files.add(file);
        if (!file.endsWith('.ts')) continue;
        for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
            if (spec.startsWith('.')) {
                const target = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
                expect(existsSync(target) ? target : `${target} (missing)`).toBe(target);
                stack.push(target);
            } else if (!spec.startsWith('node:') && !BUILTINS.has(spec)) {
                packages.add(
                    spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
                );
            }
        }
    }
    return { files, packages };
}

describe('deployment package', () => {
    it('azd packages the pruned folder that `npm run package` builds', () => {
        const azureYaml = readFileSync('azure.yaml', 'utf8');
        // azd runs `npm run package` after install and build, then zips the service's `dist` folder.
        expect(azureYaml).toMatch(/^\s+dist:\s*\.deploy\s*$/m);
        expect(pkg.scripts.package).toBe('npm run build && node scripts/package-app.mjs');
        for (const ignore of ['.gitignore', '.funcignore'])
            expect(readFileSync(ignore, 'utf8')).toMatch(/^\.deploy\/$/m);
    });

    it("the package's package.json has no devDependencies and no scripts (so no install or build step pulls them in)", () => {
        const manifest = deploymentManifest(pkg);
        expect(manifest.devDependencies).toBeUndefined();
        expect(manifest.scripts).toBeUndefined();
        expect(manifest.dependencies).toEqual(pkg.dependencies);
        expect(manifest.main).toBe('dist/functions/index.js');
    });

    it('every package the app loads at run time is a production dependency (DuckDB for the gold timers included)', () => {
        const { packages } = runtimeClosure('functions/index.ts');
        expect(packages).toContain('@duckdb/node-api');
        expect(packages).toContain('applicationinsights');
        const notProduction = [...packages].filter((p) => pkg.dependencies[p] === undefined);
        expect(notProduction).toEqual([]);
    });

    it('every file the app loads at run time is inside what the package copies', () => {
        const { files } = runtimeClosure('functions/index.ts');
        const copied = PACKAGE_CONTENT.map((p) => p.replace(/^dist\//, ''));
        const outside = [...files]
            .map((f) => relative('.', f))
            .filter((f) => !copied.some((dir) => f === dir || f.startsWith(`${dir}/`)));
        expect(outside).toEqual([]);
    });
});
