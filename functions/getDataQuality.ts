import { queryDataQuality } from '../shared/app/gold/goldQueries.js';
import { ref } from './apiSchemas.js';
import { CONTINUATION_PARAMETER, type FunctionDefinition, LIMIT_PARAMETER } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/dq?date=YYYY-MM-DD&layer=&source=&limit=&continuation= (default today): gold dq_daily rows. */
export const getDataQuality = jsonRoute((rt, request) =>
    queryDataQuality((n) => request.query.get(n), rt.gold, rt.clock.now()),
);

export const getDataQualityDefinition: FunctionDefinition = {
    name: 'getDataQuality',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'dq' },
    handler: getDataQuality,
    api: {
        summary:
            'Data quality of one day per layer and source: received, accepted, quarantined by reason, duplicates, late arrivals, freshness (gold dq_daily)',
        tags: ['gold'],
        parameters: [
            {
                name: 'date',
                in: 'query',
                description: 'Day (default: today). YYYY-MM-DD.',
                schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
                example: '2026-11-24',
            },
            {
                name: 'layer',
                in: 'query',
                description: 'Only this layer.',
                schema: { type: 'string', enum: ['bronze', 'quarantine', 'silver'] },
            },
            {
                name: 'source',
                in: 'query',
                description:
                    'Only this source: an ingest source (ais, sensors) or a silver table (ais_positions, ais_static, sensor_readings).',
                schema: { type: 'string' },
                example: 'ais',
            },
            LIMIT_PARAMETER,
            CONTINUATION_PARAMETER,
        ],
        response: { description: 'The rows of the day', schema: ref('DataQuality') },
        errors: [400, 503],
    },
};
