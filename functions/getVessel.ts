import { getVessel as getVesselState } from '../shared/app/queries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}: latest state and static data. */
export const getVessel = jsonRoute((request) => getVesselState(request.params.mmsi, getRuntime().vessels));

export const getVesselDefinition: FunctionDefinition = {
    name: 'getVessel',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}', handler: getVessel },
};
