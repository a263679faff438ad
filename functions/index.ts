/**
 * Azure entry point (package.json `main`): the one place the app's settings are read from the environment. It
 * starts telemetry at module load, builds the runtime from the settings (`createRuntime`, on the first invocation,
 * so a settings problem is reported by every invocation as one `ConfigError` listing all problems) and registers
 * every function of the table bound to it. Outside the host `@azure/functions` runs in test mode and registration
 * is a no-op.
 */
import { app } from '@azure/functions';

import { startAppTelemetry } from '../shared/adapters/telemetry.js';
import { type AppConfig, loadConfig } from '../shared/config/loadConfig.js';
import { bindFunctions } from './definitions.js';
import { FUNCTIONS } from './functionTable.js';
import { registrationOptions } from './http.js';
import { createRuntime, type Runtime } from './runtime.js';

let config: Readonly<AppConfig> | undefined;
try {
    config = loadConfig(process.env);
} catch {
    // Invalid settings: every invocation reports them (ConfigError, from azureRuntime); telemetry stays off.
}

// Custom metrics: Application Insights starts once per worker, here at module load (before any invocation), with
// the managed identity's Entra credential (local auth is disabled on the resource; shared/adapters/telemetry.ts).
if (config !== undefined) {
    startAppTelemetry(config).catch((error: unknown) => {
        console.error(`Application Insights did not start; custom metrics are off: ${String(error)}`);
    });
}

let runtime: Runtime | undefined;

function azureRuntime(): Runtime {
    runtime ??= createRuntime(config ?? loadConfig(process.env));
    return runtime;
}

app.setup({ enableHttpStream: false });

// The Functions host's graceful shutdown (scale-in, deployment, restart): the Node worker runs the appTerminate hooks,
// then exits. The Node programming model gives no cancellation per invocation, so this hook is the one notice: the gold
// and sensor-hourly builds and the compactions in progress stop between their steps and files (a running DuckDB query
// is interrupted), leave their windows as after a crash with the run ledger lease handed back, and the hook waits up to
// 4 s for them to say so before the worker exits. A forced termination runs no hook: the lease then ends by itself.
app.hook.appTerminate(async () => {
    await runtime?.stopRuns('the Functions host is shutting down', 4_000);
});

for (const fn of bindFunctions(FUNCTIONS, azureRuntime)) {
    if (fn.trigger === 'eventHub') app.eventHub(fn.name, fn.options);
    else if (fn.trigger === 'http') app.http(fn.name, registrationOptions(fn));
    else if (fn.trigger === 'storageQueue') app.storageQueue(fn.name, fn.options);
    else app.timer(fn.name, fn.options);
}
