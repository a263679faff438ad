import { listFindings } from '../shared/app/compliance/findingQueries.js';
import { type FunctionDefinition, MMSI_PATH_PARAMETER } from './definitions.js';
import { FINDING_FILTER_PARAMETERS } from './getFindings.js';
import { jsonRoute } from './http.js';

/** GET /api/vessels/{mmsi}/findings?from=&to=&check=&severity=&status=&limit=&continuation= (newest first). */
export const getVesselFindings = jsonRoute((rt, request) =>
    listFindings((n) => request.query.get(n), rt.findings, rt.clock.now(), request.params.mmsi),
);

export const getVesselFindingsDefinition: FunctionDefinition = {
    name: 'getVesselFindings',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'vessels/{mmsi}/findings' },
    handler: getVesselFindings,
    api: {
        summary: 'Compliance findings, newest last evidence first',
        tags: ['compliance'],
        parameters: [MMSI_PATH_PARAMETER, ...FINDING_FILTER_PARAMETERS],
        response: {
            description: 'A page of findings: { items: Finding[], continuation? }',
            schema: { type: 'object' },
        },
        errors: [400, 503],
    },
};
