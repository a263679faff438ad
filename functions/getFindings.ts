import { listFindings } from '../shared/app/compliance/findingQueries.js';
import { COMPLIANCE_CHECKS, FINDING_SEVERITIES } from '../shared/domain/compliance/finding.js';
import {
    type ApiParameter,
    CONTINUATION_PARAMETER,
    type FunctionDefinition,
    LIMIT_PARAMETER,
    MMSI_PATH_PARAMETER,
    timeParameter,
} from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/compliance/findings?from=&to=&check=&severity=&status=&mmsi=&limit=&continuation= (newest first). */
export const getFindings = jsonRoute((rt, request) =>
    listFindings((n) => request.query.get(n), rt.findings, rt.clock.now()),
);

/** The filters and paging of both findings routes (fleet-wide and per vessel). */
export const FINDING_FILTER_PARAMETERS: readonly ApiParameter[] = [
    timeParameter('from', 'Findings whose period ends at or after this (default 30 days before to).'),
    timeParameter('to', 'Findings whose period starts at or before this (default now).'),
    {
        name: 'check',
        in: 'query',
        description: 'Only this check.',
        schema: { type: 'string', enum: [...COMPLIANCE_CHECKS] },
    },
    {
        name: 'severity',
        in: 'query',
        description: 'Only this severity.',
        schema: { type: 'string', enum: [...FINDING_SEVERITIES] },
    },
    {
        name: 'status',
        in: 'query',
        description: 'open or closed.',
        schema: { type: 'string', enum: ['open', 'closed'] },
    },
    LIMIT_PARAMETER,
    CONTINUATION_PARAMETER,
];

export const getFindingsDefinition: FunctionDefinition = {
    name: 'getFindings',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'compliance/findings' },
    handler: getFindings,
    api: {
        summary: 'Compliance findings, newest last evidence first',
        tags: ['compliance'],
        parameters: [
            { ...MMSI_PATH_PARAMETER, in: 'query', description: 'Only findings about this vessel.' },
            ...FINDING_FILTER_PARAMETERS,
        ],
        response: {
            description: 'A page of findings: { items: Finding[], continuation? }',
            schema: { type: 'object' },
        },
        errors: [400, 503],
    },
};
