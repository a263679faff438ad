import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { ref } from './apiSchemas.js';
import type { FunctionDefinition } from './definitions.js';
import { toHttpResponse } from './http.js';
import type { Runtime } from './runtime.js';

/**
 * GET /api/health: per-layer freshness from the watermarks the ingest functions write, and whether storage and
 * Cosmos DB answer, from the runtime's last probe (refreshed in the background every 5 s while called, never older
 * than 30 s, each check bounded to 1 s: shared/app/health.ts). 200 when the dependencies answered (`status` ok,
 * stale or empty), 503 when one did not. Anonymous, so load balancers and availability probes can call it without a
 * key; it reveals no data. It takes no query parameter and ignores any a probe adds (`?probe=1`), instead of a 400.
 */
export async function getHealth(
    rt: Runtime,
    _request: HttpRequest,
    context: InvocationContext,
): Promise<HttpResponseInit> {
    try {
        const health = await rt.health.report();
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
            'Anonymous, for load balancers and availability probes; reveals no data. Takes no query parameter and ignores any a probe adds (not a 400). Answered from the last probe of the dependencies and watermarks (refreshed in the background every 5 s while the route is called; never older than 30 s: `checkedAt`, `checkAgeMs`). 503 (with the same body) when a dependency did not answer within 1 s in that probe.',
        tags: ['operations'],
        response: { description: 'Health report (status ok, stale or empty)', schema: ref('Health') },
        errors: [503],
        ignoresUnknownQuery: true,
    },
};
