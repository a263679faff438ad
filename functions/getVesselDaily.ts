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

/** GET /api/vessels/{mmsi}/daily?from=&to=&limit=&continuation= (days YYYY-MM-DD; default the last 30 days). */
export const getVesselDaily = jsonRoute((rt, request) =>
    getVesselGold('vessel_daily', request.params.mmsi, (n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getVesselDailyDefinition: FunctionDefinition = {
    name: 'getVesselDaily',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/daily' },
    handler: getVesselDaily,
    api: {
        summary: "A vessel's daily activity (gold vessel_daily)",
        tags: ['gold'],
        parameters: [MMSI_PATH_PARAMETER, ...DAY_RANGE_PARAMETERS, LIMIT_PARAMETER, CONTINUATION_PARAMETER],
        response: { description: 'The rows in the range', schema: ref('GoldRows') },
        errors: [400, 503],
    },
};
