/**
 * Azure entry point (package.json `main`): registers every function of the declaration table with the host.
 * Outside the host `@azure/functions` runs in test mode and registration is a no-op.
 */
import { app } from '@azure/functions';

import { startAppTelemetry } from '../shared/adapters/telemetry.js';
import { getConfig } from '../shared/config/loadConfig.js';
import { FUNCTIONS } from './all.js';
import { registrationOptions } from './http.js';

// Custom metrics: Application Insights starts once per worker, here at module load (before any invocation), with
// the managed identity's Entra credential (local auth is disabled on the resource; shared/adapters/telemetry.ts).
try {
    startAppTelemetry(getConfig()).catch((error: unknown) => {
        console.error(`Application Insights did not start; custom metrics are off: ${String(error)}`);
    });
} catch {
    // Invalid settings: every invocation reports them (ConfigError); telemetry stays off.
}

app.setup({ enableHttpStream: false });

for (const def of FUNCTIONS) {
    if (def.trigger === 'eventHub') app.eventHub(def.name, def.options);
    else if (def.trigger === 'http') app.http(def.name, registrationOptions(def));
    else app.timer(def.name, def.options);
}
