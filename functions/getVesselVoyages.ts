import { getVesselGold } from '../shared/app/gold/goldQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getGoldRuntime, getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/voyages?from=&to=: voyages that ended in the range (by arrival day). */
export const getVesselVoyages = jsonRoute((request) =>
    getVesselGold('voyages', request.params.mmsi, (n) => request.query.get(n), getGoldRuntime().gold, getRuntime().clock.now()),
);

export const getVesselVoyagesDefinition: FunctionDefinition = {
    name: 'getVesselVoyages',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/voyages', handler: getVesselVoyages },
};
