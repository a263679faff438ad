import { listFindings } from '../shared/app/compliance/findingQueries.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';
import { getFindingStore, getRuntime } from './runtime.js';

/** GET /api/vessels/{mmsi}/findings?from=&to=&check=&severity=&status=&limit=&continuation= (newest first). */
export const getVesselFindings = jsonRoute((request) =>
    listFindings((n) => request.query.get(n), getFindingStore(), getRuntime().clock.now(), request.params.mmsi),
);

export const getVesselFindingsDefinition: FunctionDefinition = {
    name: 'getVesselFindings',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/findings', handler: getVesselFindings },
};
