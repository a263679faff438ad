import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { checkHealth } from '../shared/app/queries.js';
import { ref } from './apiSchemas.js';
import type { FunctionDefinition } from './definitions.js';
import { toHttpResponse } from './http.js';
import type { Runtime } from './runtime.js';

/**
 * GET /api/health: per-layer freshness from the watermarks the ingest functions write, and the storage and
 * Cosmos DB checks (each bounded to 1 s). 200 when the dependencies answer (`status` ok, stale or empty), 503
 * when one does not. Anonymous, so load balancers and availability probes can call it without a key; it reads
 * only a few tiny blobs and one Cosmos point read, and reveals no data.
 */
export async function getHealth(
    rt: Runtime,
    _request: HttpRequest,
    context: InvocationContext,
): Promise<HttpResponseInit> {
    try {
        const health = await checkHealth({ lake: rt.lake, vessels: rt.vessels, now: () => Date.now() });
        return {
            status: health.status === 'unavailable' ? 503 : 200,
            headers: { 'cache-control': 'no-store' },
            jsonBody: health,
        };
    } catch (error) {
        return toHttpResponse(error, context);
    }
}

export const getHealthDefinition: FunctionDefinition = {
    name: 'getHealth',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'anonymous', route: 'health' },
    handler: getHealth,
    api: {
        summary:
            'Pipeline health: per-layer freshness from the ingest watermarks, storage and Cosmos DB checks',
        description:
            'Anonymous, for load balancers and availability probes; reveals no data. 503 (with the same body) when a dependency does not answer within 1 s.',
        tags: ['operations'],
        response: { description: 'Health report (status ok, stale or empty)', schema: ref('Health') },
        errors: [503],
    },
};
