import { listAlerts } from '../shared/app/queries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getRuntime } from './runtime.js';

/** GET /api/alerts?since=&kind=&severity=&mmsi=&limit=&continuation= (newest first). */
export const getAlerts = jsonRoute((request) => listAlerts((n) => request.query.get(n), getRuntime().alerts));

export const getAlertsDefinition: FunctionDefinition = {
    name: 'getAlerts',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'alerts', handler: getAlerts },
};
