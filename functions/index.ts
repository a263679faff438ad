/**
 * Azure entry point (package.json `main`): registers every function of the declaration table with the host.
 * Outside the host `@azure/functions` runs in test mode and registration is a no-op.
 */
import { app } from '@azure/functions';

import { FUNCTIONS } from './all.js';

app.setup({ enableHttpStream: false });

for (const def of FUNCTIONS) {
    if (def.trigger === 'eventHub') app.eventHub(def.name, def.options);
    else if (def.trigger === 'http') app.http(def.name, def.options);
    else app.timer(def.name, def.options);
}
