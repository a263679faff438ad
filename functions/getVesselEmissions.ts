import { getVesselGold } from '../shared/app/gold/goldQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getGoldRuntime, getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/emissions?from=&to=: emissions_daily rows (fuel and emissions in tonnes). */
export const getVesselEmissions = jsonRoute((request) =>
    getVesselGold('emissions_daily', request.params.mmsi, (n) => request.query.get(n), getGoldRuntime().gold, getRuntime().clock.now()),
);

export const getVesselEmissionsDefinition: FunctionDefinition = {
    name: 'getVesselEmissions',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/emissions', handler: getVesselEmissions },
};
