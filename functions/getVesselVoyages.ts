import { getVesselGold } from '../shared/app/gold/goldQueries.js';
import { ref } from './apiSchemas.js';
import {
    CONTINUATION_PARAMETER,
    DAY_RANGE_PARAMETERS,
    type FunctionDefinition,
    LIMIT_PARAMETER,
    MMSI_PATH_PARAMETER,
} from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}/voyages?from=&to=: voyages that ended in the range (by arrival day). */
export const getVesselVoyages = jsonRoute((rt, request) =>
    getVesselGold('voyages', request.params.mmsi, (n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getVesselVoyagesDefinition: FunctionDefinition = {
    name: 'getVesselVoyages',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/voyages' },
    handler: getVesselVoyages,
    api: {
        summary: "A vessel's voyages between port calls (gold voyages)",
        tags: ['gold'],
        parameters: [MMSI_PATH_PARAMETER, ...DAY_RANGE_PARAMETERS, LIMIT_PARAMETER, CONTINUATION_PARAMETER],
        response: { description: 'The rows in the range', schema: ref('GoldRows') },
        errors: [400, 503],
    },
};
