import { queryVesselCii } from '../shared/app/compliance/ciiYear.js';
import { ref } from './apiSchemas.js';
import { type ApiParameter, type FunctionDefinition, MMSI_PATH_PARAMETER } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}/cii?year=YYYY: the vessel's CII year to date and projected, computed from its gold rows. */
export const getVesselCii = jsonRoute((rt, request) =>
    queryVesselCii(request.params.mmsi, (n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const CII_YEAR_PARAMETER: ApiParameter = {
    name: 'year',
    in: 'query',
    description: 'Calendar year, 2019-2030 (default: this year).',
    schema: { type: 'integer', minimum: 2019, maximum: 2030 },
    example: 2026,
};

export const getVesselCiiDefinition: FunctionDefinition = {
    name: 'getVesselCii',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/cii' },
    handler: getVesselCii,
    api: {
        summary:
            "A vessel's IMO CII for a calendar year: attained, required, rating, year to date and projected, with the inputs used",
        tags: ['compliance'],
        parameters: [MMSI_PATH_PARAMETER, CII_YEAR_PARAMETER],
        response: { description: 'The rating and everything it was computed from', schema: ref('VesselCii') },
        errors: [400, 503],
    },
};
