/**
 * A Node module loader hook for the Jest global setup, which Jest runs outside its module system (a plain
 * `import()` in the parent process). It compiles `.ts` files with SWC (the same compiler as the tests) and
 * resolves a relative `./x.js` import to `./x.ts` when only the TypeScript source exists. Registered by
 * `globalSetup.mjs` only; the tests themselves go through Jest's transform.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { transform } from '@swc/core';

export async function resolve(specifier, context, nextResolve) {
    try {
        return await nextResolve(specifier, context);
    } catch (error) {
        const fromTs = context.parentURL?.endsWith('.ts');
        if (fromTs && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
            return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
        }
        throw error;
    }
}

export async function load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
    const source = await readFile(fileURLToPath(url), 'utf8');
    const { code } = await transform(source, {
        filename: url,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
        sourceMaps: 'inline',
    });
    return { format: 'module', source: code, shortCircuit: true };
}
