import type { HttpRequest } from '@azure/functions';

import type { FunctionDefinition } from './definitions.js';
import { basePath, webAssetResponse } from './webAssets.js';

/** GET /api/docs: the API reference (Swagger UI, bundled from npm) rendering /api/openapi.json. */
export function getApiDocs(request: HttpRequest): Promise<ReturnType<typeof webAssetResponse>> {
    const base = basePath(request.url, 'docs');
    return Promise.resolve(
        webAssetResponse('docs.html', (html) =>
            html.replace('<base href="/api/">', `<base href="${base}/">`),
        ),
    );
}

export const getApiDocsDefinition: FunctionDefinition = {
    name: 'getApiDocs',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'anonymous', route: 'docs' },
    // Serves no data: the runtime is not needed.
    handler: (_rt, request) => getApiDocs(request),
    api: {
        summary: 'API reference (HTML, Swagger UI)',
        tags: ['reference'],
        response: { description: 'HTML page', contentType: 'text/html', schema: { type: 'string' } },
    },
};
