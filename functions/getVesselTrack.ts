import { queryVesselTrack } from '../shared/app/queries.js';
import { ref } from './apiSchemas.js';
import { type FunctionDefinition, MMSI_PATH_PARAMETER, timeParameter } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}/track?from=&to= (ISO 8601 or epoch ms; default the last 24 hours). */
export const getVesselTrack = jsonRoute((rt, request) => {
    return queryVesselTrack(request.params.mmsi, (n) => request.query.get(n), rt.vessels, rt.clock.now());
});

export const getVesselTrackDefinition: FunctionDefinition = {
    name: 'getVesselTrack',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/track' },
    handler: getVesselTrack,
    api: {
        summary: "A vessel's track: its fixes in a time window (default the last 24 hours, at most 31 days)",
        tags: ['vessels'],
        parameters: [
            MMSI_PATH_PARAMETER,
            timeParameter('from', 'Start of the window (default: 24 hours before `to`).'),
            timeParameter('to', 'End of the window (default: now).'),
        ],
        response: { description: 'The fixes in the window, ordered by time', schema: ref('Track') },
        errors: [400, 404, 503],
    },
};
