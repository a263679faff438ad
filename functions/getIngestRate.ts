import { measureIngestRate } from '../shared/app/queries.js';
import { ref } from './apiSchemas.js';
import type { FunctionDefinition } from './definitions.js';
import { jsonRoute } from './http.js';

/** GET /api/ingest/rate: events per second landed in bronze over the last minute, per source. */
export const getIngestRate = jsonRoute((rt) => {
    return measureIngestRate(rt.lake, rt.clock.now());
});

export const getIngestRateDefinition: FunctionDefinition = {
    name: 'getIngestRate',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'function', route: 'ingest/rate' },
    handler: getIngestRate,
    api: {
        summary:
            'Events per second now: events landed in bronze over the last minute, per source (ais, sensors)',
        description:
            'Counted from the bronze blob names (partition and sequence range of each batch); one listing of the current hour per source.',
        tags: ['operations'],
        response: { description: 'Ingest rate per source', schema: ref('IngestRate') },
        errors: [503],
    },
};
