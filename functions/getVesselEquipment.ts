import { queryVesselEquipment } from '../shared/app/maintenance/equipmentQueries.js';
import { ref } from './apiSchemas.js';
import { type ApiParameter, type FunctionDefinition, MMSI_PATH_PARAMETER } from './definitions.js';
import { jsonRoute } from './http.js';

/** `day` of the maintenance routes. */
export const SCORED_DAY_PARAMETER: ApiParameter = {
    name: 'day',
    in: 'query',
    description: 'Scored day (default: the latest scored day of the last 7). YYYY-MM-DD.',
    schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    example: '2026-11-24',
};

/** GET /api/vessels/{mmsi}/equipment?day=: health, failure probability and top features per equipment. */
export const getVesselEquipment = jsonRoute((rt, request) =>
    queryVesselEquipment(request.params.mmsi, (n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getVesselEquipmentDefinition: FunctionDefinition = {
    name: 'getVesselEquipment',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/equipment' },
    handler: getVesselEquipment,
    api: {
        summary:
            "A vessel's equipment health: health 0-100, probability of a failure within N days, top contributing features",
        description: 'From gold equipment_health (the scoreMaintenance timer). Riskiest first.',
        tags: ['maintenance'],
        parameters: [MMSI_PATH_PARAMETER, SCORED_DAY_PARAMETER],
        response: {
            description: 'The equipment of the vessel on the scored day',
            schema: ref('VesselEquipment'),
        },
        errors: [400, 503],
    },
};
