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

/** GET /api/vessels/{mmsi}/port-calls?from=&to=: calls that ended in the range (by departure day), and the call open now. */
export const getVesselPortCalls = jsonRoute((rt, request) =>
    getVesselGold('port_calls', request.params.mmsi, (n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getVesselPortCallsDefinition: FunctionDefinition = {
    name: 'getVesselPortCalls',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/port-calls' },
    handler: getVesselPortCalls,
    api: {
        summary: "A vessel's port calls (gold port_calls)",
        tags: ['gold'],
        parameters: [MMSI_PATH_PARAMETER, ...DAY_RANGE_PARAMETERS, LIMIT_PARAMETER, CONTINUATION_PARAMETER],
        response: { description: 'The rows in the range', schema: ref('GoldRows') },
        errors: [400, 503],
    },
};
