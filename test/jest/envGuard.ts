/**
 * Every test file runs with this after the framework is set up (jest.config.js `setupFilesAfterEnv`): it takes a
 * copy of `process.env` before the file's tests and fails the file when they leave it changed. Settings belong in
 * the record a test passes to `loadConfig`/`createRuntime`/`startStack`, never in the worker's environment, where
 * they would leak into the next file the worker runs.
 */
import { afterAll } from '@jest/globals';

const before: Readonly<Record<string, string | undefined>> = { ...process.env };

/**
 * Written by a library when its module loads, not by a test: @azure/monitor-opentelemetry (under applicationinsights,
 * imported by shared/adapters/telemetry.ts) sets its version at import, so the first file of a worker that imports
 * the telemetry adapter would fail for it.
 */
const SET_BY_LIBRARIES = new Set(['AZURE_MONITOR_DISTRO_VERSION']);

afterAll(() => {
    const names = new Set([...Object.keys(before), ...Object.keys(process.env)]);
    const changed = [...names]
        .filter((name) => !SET_BY_LIBRARIES.has(name) && before[name] !== process.env[name])
        .sort();
    if (changed.length > 0) {
        throw new Error(
            `this test file left process.env changed: ${changed.join(', ')} (restore it, or pass the settings to loadConfig/createRuntime instead)`,
        );
    }
});
