import { queryFleetSummary } from '../shared/app/gold/goldQueries.js';
import { ref } from './apiSchemas.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/fleet/summary?date=YYYY-MM-DD (default today): vessels active, distance, fuel, CO2, by ship type and flag. */
export const getFleetSummary = jsonRoute((rt, request) =>
    queryFleetSummary((n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getFleetSummaryDefinition: FunctionDefinition = {
    name: 'getFleetSummary',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'fleet/summary' },
    handler: getFleetSummary,
    api: {
        summary: 'The fleet on one day: vessels active, distance, fuel, CO2, by ship type and flag',
        tags: ['gold'],
        parameters: [
            {
                name: 'date',
                in: 'query',
                description: 'Day (default: today). YYYY-MM-DD.',
                schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
                example: '2026-11-24',
            },
        ],
        response: {
            description: 'The fleet summary of the day (404 when it has not been built yet)',
            schema: ref('FleetSummary'),
        },
        errors: [400, 404, 503],
    },
};
