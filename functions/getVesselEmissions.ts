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

/** GET /api/vessels/{mmsi}/emissions?from=&to=: emissions_daily rows (fuel and emissions in tonnes). */
export const getVesselEmissions = jsonRoute((rt, request) =>
    getVesselGold(
        'emissions_daily',
        request.params.mmsi,
        (n) => request.query.get(n),
        rt.gold,
        rt.clock.now(),
    ),
);

export const getVesselEmissionsDefinition: FunctionDefinition = {
    name: 'getVesselEmissions',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/emissions' },
    handler: getVesselEmissions,
    api: {
        summary: "A vessel's daily fuel and emissions (gold emissions_daily)",
        tags: ['gold'],
        parameters: [MMSI_PATH_PARAMETER, ...DAY_RANGE_PARAMETERS, LIMIT_PARAMETER, CONTINUATION_PARAMETER],
        response: { description: 'The rows in the range', schema: ref('GoldRows') },
        errors: [400, 503],
    },
};
