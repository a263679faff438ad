import { listFindings } from '../shared/app/compliance/findingQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getFindingStore, getRuntime } from './runtime.js';

/** GET /api/compliance/findings?from=&to=&check=&severity=&status=&mmsi=&limit=&continuation= (newest first). */
export const getFindings = jsonRoute((request) =>
    listFindings((n) => request.query.get(n), getFindingStore(), getRuntime().clock.now()),
);

export const getFindingsDefinition: FunctionDefinition = {
    name: 'getFindings',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'compliance/findings', handler: getFindings },
};
