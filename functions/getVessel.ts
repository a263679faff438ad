import { queryVessel } from '../shared/app/queries.js';
import { ref } from './apiSchemas.js';
import { type FunctionDefinition, MMSI_PATH_PARAMETER } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}: latest state and static data. */
export const getVessel = jsonRoute((rt, request) => queryVessel(request.params.mmsi, rt.vessels));

export const getVesselDefinition: FunctionDefinition = {
    name: 'getVessel',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}' },
    handler: getVessel,
    api: {
        summary: 'One vessel: latest position, static and voyage data, flag',
        tags: ['vessels'],
        parameters: [MMSI_PATH_PARAMETER],
        response: { description: 'The vessel', schema: ref('Vessel') },
        errors: [400, 404, 503],
    },
};
