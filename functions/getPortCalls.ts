import { queryPortCalls } from '../shared/app/gold/goldQueries.js';
import { ref } from './apiSchemas.js';
import {
    CONTINUATION_PARAMETER,
    DAY_RANGE_PARAMETERS,
    type FunctionDefinition,
    LIMIT_PARAMETER,
} from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/ports/{locode}/calls?from=&to=: calls at a port that ended in the range (by departure day). */
export const getPortCalls = jsonRoute((rt, request) =>
    queryPortCalls(request.params.locode, (n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getPortCallsDefinition: FunctionDefinition = {
    name: 'getPortCalls',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'ports/{locode}/calls' },
    handler: getPortCalls,
    api: {
        summary: 'Calls at a port that ended in the range (gold port_calls)',
        tags: ['gold'],
        parameters: [
            {
                name: 'locode',
                in: 'path',
                description: 'UN/LOCODE of the port (5 letters).',
                schema: { type: 'string' },
                example: 'NLRTM',
            },
            ...DAY_RANGE_PARAMETERS,
            LIMIT_PARAMETER,
            CONTINUATION_PARAMETER,
        ],
        response: { description: 'The calls in the range', schema: ref('GoldRows') },
        errors: [400, 503],
    },
};
