import { getHealth as checkHealth } from '../shared/app/queries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getRuntime } from './runtime.js';

/** GET /api/health: per-layer freshness and counts. */
export const getHealth = jsonRoute(() => {
    const rt = getRuntime();
    return checkHealth(rt.lake, rt.vessels, rt.clock.now());
});

export const getHealthDefinition: FunctionDefinition = {
    name: 'getHealth',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'health', handler: getHealth },
};
