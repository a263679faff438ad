import { getVesselGold } from '../shared/app/gold/goldQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getGoldRuntime, getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/port-calls?from=&to=: calls that ended in the range (by departure day), and the call open now. */
export const getVesselPortCalls = jsonRoute((request) =>
    getVesselGold('port_calls', request.params.mmsi, (n) => request.query.get(n), getGoldRuntime().gold, getRuntime().clock.now()),
);

export const getVesselPortCallsDefinition: FunctionDefinition = {
    name: 'getVesselPortCalls',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/port-calls', handler: getVesselPortCalls },
};
