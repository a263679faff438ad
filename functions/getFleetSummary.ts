import { getFleetSummary as queryFleetSummary } from '../shared/app/gold/goldQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getGoldRuntime, getRuntime } from './runtime.js';

/** GET /api/fleet/summary?date=YYYY-MM-DD (default today): vessels active, distance, fuel, CO2, by ship type and flag. */
export const getFleetSummary = jsonRoute((request) =>
    queryFleetSummary((n) => request.query.get(n), getGoldRuntime().gold, getRuntime().clock.now()),
);

export const getFleetSummaryDefinition: FunctionDefinition = {
    name: 'getFleetSummary',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'fleet/summary', handler: getFleetSummary },
};
