import { queryVesselSensors } from '../shared/app/queries.js';
import { ref } from './apiSchemas.js';
import { type FunctionDefinition, MMSI_PATH_PARAMETER } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}/sensors: latest reading and running statistics of each sensor. */
export const getVesselSensors = jsonRoute((rt, request) =>
    queryVesselSensors(request.params.mmsi, rt.sensors, rt.vessels),
);

export const getVesselSensorsDefinition: FunctionDefinition = {
    name: 'getVesselSensors',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/sensors' },
    handler: getVesselSensors,
    api: {
        summary: "A vessel's sensors: latest reading and running statistics of each (canonical units)",
        tags: ['sensors'],
        parameters: [MMSI_PATH_PARAMETER],
        response: {
            description:
                'Sensors of the vessel (empty when none reported; 404 when the vessel was never seen)',
            schema: ref('VesselSensors'),
        },
        errors: [400, 404, 503],
    },
};
