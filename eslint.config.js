// ESLint flat config: type-checked rules, import sorting, and the dependency rule of the architecture
// (shared/domain and shared/app never import Azure SDKs, adapters or functions; shared/domain never imports shared/app).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

/** Imports forbidden in shared/domain and shared/app. */
const corePatterns = [
    { group: ['@azure/*', 'applicationinsights'], message: 'domain and app code stay SDK-free' },
    { group: ['**/adapters/**', '**/functions/**'], message: 'dependencies point inwards' },
    { group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https'], message: 'no I/O in the core' },
];

export default tseslint.config(
    {
        ignores: [
            'dist/**',
            'node_modules/**',
            '.local/**',
            'coverage/**',
            'bin/**',
            'tools/**',
            '.deploy/**',
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { 'simple-import-sort': simpleImportSort },
        rules: {
            eqeqeq: ['error', 'always', { null: 'ignore' }],
            'simple-import-sort/imports': 'error',
            'simple-import-sort/exports': 'error',
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/return-await': ['error', 'in-try-catch'],
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
            ],
        },
    },
    {
        files: ['shared/domain/**/*.ts', 'shared/app/**/*.ts'],
        rules: {
            'no-console': 'error',
            'no-restricted-imports': ['error', { patterns: corePatterns }],
        },
    },
    {
        files: ['shared/domain/**/*.ts'],
        rules: {
            // The domain is the innermost ring: it may not import the use cases and ports of shared/app either.
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        ...corePatterns,
                        {
                            group: ['**/app/**', '**/app'],
                            message:
                                'the domain does not depend on shared/app (move the type into the domain)',
                        },
                    ],
                },
            ],
            'no-restricted-globals': [
                'error',
                { name: 'process', message: 'read settings in adapters/config' },
            ],
        },
    },
    {
        files: ['test/**/*.ts', 'bench/**/*.ts', 'local/**/*.ts', 'cli/**/*.ts'],
        rules: {
            '@typescript-eslint/no-unsafe-assignment': 'off',
            '@typescript-eslint/no-unsafe-member-access': 'off',
            '@typescript-eslint/no-non-null-assertion': 'off',
        },
    },
    { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
    prettier,
);
