import { queryFleetCii } from '../shared/app/compliance/ciiYear.js';
import { ref } from './apiSchemas.js';
import { CONTINUATION_PARAMETER, type FunctionDefinition, LIMIT_PARAMETER } from './definitions.js';
import { CII_YEAR_PARAMETER } from './getVesselCii.js';
import { jsonRoute } from './http.js';

/** GET /api/fleet/cii?year&limit&continuation: the fleet's CII ratings (as of the last checkCompliance run) and distribution. */
export const getFleetCii = jsonRoute((rt, request) =>
    queryFleetCii((n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getFleetCiiDefinition: FunctionDefinition = {
    name: 'getFleetCii',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'fleet/cii' },
    handler: getFleetCii,
    api: {
        summary:
            "The fleet's CII ratings for a year (paged) and the distribution of ratings, as of the last checkCompliance run",
        tags: ['compliance'],
        parameters: [CII_YEAR_PARAMETER, LIMIT_PARAMETER, CONTINUATION_PARAMETER],
        response: {
            description: 'A page of vessel ratings with the fleet distribution',
            schema: ref('FleetCii'),
        },
        errors: [400, 404, 503],
    },
};
