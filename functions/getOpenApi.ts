import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import type { FunctionDefinition } from './definitions.js';
import { buildOpenApiDocument } from './openapi.js';

/** GET /api/openapi.json: the OpenAPI 3.1 document, generated from the function table. */
export async function getOpenApi(request: HttpRequest): Promise<HttpResponseInit> {
    // Imported when called: the table imports this file, so a static import would be a cycle at load time.
    const { FUNCTIONS } = await import('./functionTable.js');
    const origin = new URL(request.url).origin;
    return {
        status: 200,
        jsonBody: buildOpenApiDocument(FUNCTIONS, origin),
        headers: { 'access-control-allow-origin': '*' },
    };
}

export const getOpenApiDefinition: FunctionDefinition = {
    name: 'getOpenApi',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'anonymous', route: 'openapi.json' },
    // Serves no data: the runtime is not needed.
    handler: (_rt, request) => getOpenApi(request),
    api: {
        summary: 'This OpenAPI 3.1 document',
        tags: ['reference'],
        response: { description: 'OpenAPI 3.1 document', schema: { type: 'object' } },
    },
};
