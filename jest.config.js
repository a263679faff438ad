// Jest configuration (ESM, as the code is: run with NODE_OPTIONS=--experimental-vm-modules, see package.json).
// TypeScript is compiled by SWC (@swc/jest); relative imports keep their `.js` suffix in the sources and are
// mapped back to the `.ts` files here.
//
// Three projects:
// - `unit`: pure and in-process tests (domain, app use cases with fakes, handlers, adapters without services, infra
//   posture); nothing is started, so `npm run test:unit` needs nothing running.
// - `integration`: tests against Azurite and the Cosmos-protocol server, which `test/jest/globalSetup.mjs`
//   starts once per run (only when a test of this project is selected) and stops in `globalTeardown.mjs`.
// - `system`: the built CLI as a user runs it (`test/cli/`: child processes, `maritime start` with its own Azurite)
//   and the dashboard in a real browser (`test/browser/`).

/** @type {import('jest').Config['transform']} */
const transform = {
    '^.+\\.ts$': [
        '@swc/jest',
        {
            // keepImportAttributes: SWC drops `with { type: 'json' }` otherwise, and Jest warns (a hard error in its
            // next major) that the JSON import has no attribute.
            jsc: {
                parser: { syntax: 'typescript' },
                target: 'es2022',
                experimental: { keepImportAttributes: true },
            },
            module: { type: 'es6' },
            sourceMaps: 'inline',
        },
    ],
};

/** @type {import('jest').Config} */
const common = {
    // Jest's Node environment with a plain global object: global lookups (`Math`...) at full speed instead of through
    // the vm sandbox's interceptors, which made the CPU-bound test files several times slower (see the file).
    testEnvironment: '<rootDir>/test/jest/environment.mjs',
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform,
    // Tests import `expect`, `describe`, `jest` etc. from '@jest/globals' explicitly.
    injectGlobals: false,
    // The deployment package folder (npm run package) holds a copy of package.json and the compiled app.
    modulePathIgnorePatterns: ['<rootDir>/.deploy/'],
};

/** Fails a test file that leaves process.env changed (test/jest/envGuard.ts): every project. */
const envGuard = { setupFilesAfterEnv: ['<rootDir>/test/jest/envGuard.ts'] };

/** @type {import('jest').Config} */
export default {
    projects: [
        {
            ...common,
            ...envGuard,
            displayName: 'unit',
            testMatch: ['<rootDir>/test/**/*.test.ts'],
            testPathIgnorePatterns: [
                '/node_modules/',
                '<rootDir>/test/integration/',
                '<rootDir>/test/cli/',
                '<rootDir>/test/browser/',
            ],
        },
        {
            ...common,
            ...envGuard,
            displayName: 'system',
            testMatch: ['<rootDir>/test/cli/**/*.test.ts', '<rootDir>/test/browser/**/*.test.ts'],
        },
        {
            ...common,
            ...envGuard,
            displayName: 'integration',
            testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
            globalSetup: '<rootDir>/test/jest/globalSetup.mjs',
            globalTeardown: '<rootDir>/test/jest/globalTeardown.mjs',
        },
    ],
    testTimeout: 30_000,
    // Shared 2-core machines: one worker per core (Jest's default would be cores - 1 = 1).
    maxWorkers: 2,
};
