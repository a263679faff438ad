import { queryFleetMaintenance } from '../shared/app/maintenance/equipmentQueries.js';
import { ref } from './apiSchemas.js';
import { type FunctionDefinition, LIMIT_PARAMETER } from './definitions.js';
import { SCORED_DAY_PARAMETER } from './getVesselEquipment.js';
import { jsonRoute } from './http.js';

/** GET /api/fleet/maintenance?day=&limit=&atRiskOnly=: the fleet's equipment ranked by failure risk. */
export const getFleetMaintenance = jsonRoute((rt, request) =>
    queryFleetMaintenance((n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getFleetMaintenanceDefinition: FunctionDefinition = {
    name: 'getFleetMaintenance',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'fleet/maintenance' },
    handler: getFleetMaintenance,
    api: {
        summary: "The fleet's equipment ranked by failure risk",
        description:
            'From gold equipment_health (the scoreMaintenance timer): every equipment scored on the day, riskiest first.',
        tags: ['maintenance'],
        parameters: [
            SCORED_DAY_PARAMETER,
            LIMIT_PARAMETER,
            {
                name: 'atRiskOnly',
                in: 'query',
                description: 'true: only equipment at or above the alert probability.',
                schema: { type: 'boolean', default: false },
            },
        ],
        response: {
            description: 'The equipment of the fleet on the scored day, riskiest first',
            schema: ref('FleetMaintenance'),
        },
        errors: [400, 503],
    },
};
