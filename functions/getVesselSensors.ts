import { getVesselSensors as querySensors } from '../shared/app/queries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/sensors: latest reading and running statistics of each sensor. */
export const getVesselSensors = jsonRoute((request) => querySensors(request.params.mmsi, getRuntime().sensors));

export const getVesselSensorsDefinition: FunctionDefinition = {
    name: 'getVesselSensors',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/sensors', handler: getVesselSensors },
};
