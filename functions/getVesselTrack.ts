import { getVesselTrack as queryTrack } from '../shared/app/queries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/track?from=&to= (ISO 8601 or epoch ms; default the last 24 hours). */
export const getVesselTrack = jsonRoute((request) => {
    const rt = getRuntime();
    return queryTrack(request.params.mmsi, (n) => request.query.get(n), rt.vessels, rt.clock.now());
});

export const getVesselTrackDefinition: FunctionDefinition = {
    name: 'getVesselTrack',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/track', handler: getVesselTrack },
};
