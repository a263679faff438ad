import { listVessels } from '../shared/app/queries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getRuntime } from './runtime.js';

/** GET /api/vessels?bbox=minLon,minLat,maxLon,maxLat&updatedSince=&category=&limit=&continuation= */
export const getVessels = jsonRoute((request) => listVessels((n) => request.query.get(n), getRuntime().vessels));

export const getVesselsDefinition: FunctionDefinition = {
    name: 'getVessels',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels', handler: getVessels },
};
