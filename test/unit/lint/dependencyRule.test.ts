/**
 * The dependency rule of the architecture, as eslint.config.mjs configures it (`npm run lint`): shared/domain imports
 * neither shared/app nor adapters, functions or Azure SDKs; shared/app imports no adapters or SDKs. Each rule is
 * taken from the configuration ESLint computes for a file in that folder, then run on an import that breaks it.
 */
import { describe, expect, it } from '@jest/globals';
import { ESLint, Linter } from 'eslint';

import { ROOT } from '../../helpers/builtCli.js';

const eslint = new ESLint({ cwd: ROOT });

/** The messages of the configured `no-restricted-imports` for `file` on `code` (no type information needed). */
async function restrictedImports(file: string, code: string): Promise<string[]> {
    const config = (await eslint.calculateConfigForFile(file)) as Linter.Config;
    const rule = config.rules?.['no-restricted-imports'];
    expect(rule).toBeDefined();
    const messages = new Linter().verify(code, {
        languageOptions: { sourceType: 'module' },
        rules: { 'no-restricted-imports': rule },
    });
    return messages.map((m) => m.message);
}

describe('the dependency rule (eslint.config.mjs)', () => {
    it('shared/domain may not import shared/app (the use cases and ports)', async () => {
        const messages = await restrictedImports(
            'shared/domain/sensors/any.ts',
            "import { x } from '../../app/ports.js';\nimport { y } from '../app/ingestBatch.js';",
        );
        expect(messages).toHaveLength(2);
        expect(messages[0]).toContain('the domain does not depend on shared/app');
    });

    it('shared/domain and shared/app may not import adapters, functions or an Azure SDK', async () => {
        for (const file of ['shared/domain/geo/any.ts', 'shared/app/any.ts']) {
            const messages = await restrictedImports(
                file,
                [
                    "import { a } from '../adapters/BlobLake.js';",
                    "import { b } from '../../functions/runtime.js';",
                    "import { c } from '@azure/cosmos';",
                    "import { d } from 'node:fs';",
                ].join('\n'),
            );
            expect(messages).toHaveLength(4);
        }
    });

    it('lets the domain import the domain and shared/app import the domain', async () => {
        expect(
            await restrictedImports('shared/domain/sensors/any.ts', "import { x } from '../geo/index.js';"),
        ).toEqual([]);
        expect(
            await restrictedImports('shared/app/any.ts', "import { x } from '../domain/geo/index.js';"),
        ).toEqual([]);
    });
});
