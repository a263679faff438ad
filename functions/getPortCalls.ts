import { getPortCalls as queryPortCalls } from '../shared/app/gold/goldQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getGoldRuntime, getRuntime } from './runtime.js';

/** GET /api/ports/{locode}/calls?from=&to=: calls at a port that ended in the range (by departure day). */
export const getPortCalls = jsonRoute((request) =>
    queryPortCalls(request.params.locode, (n) => request.query.get(n), getGoldRuntime().gold, getRuntime().clock.now()),
);

export const getPortCallsDefinition: FunctionDefinition = {
    name: 'getPortCalls',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'ports/{locode}/calls', handler: getPortCalls },
};
