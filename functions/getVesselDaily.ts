import { getVesselGold } from '../shared/app/gold/goldQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getGoldRuntime, getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/daily?from=&to=&limit=&continuation= (days YYYY-MM-DD; default the last 30 days). */
export const getVesselDaily = jsonRoute((request) =>
    getVesselGold('vessel_daily', request.params.mmsi, (n) => request.query.get(n), getGoldRuntime().gold, getRuntime().clock.now()),
);

export const getVesselDailyDefinition: FunctionDefinition = {
    name: 'getVesselDaily',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/daily', handler: getVesselDaily },
};
