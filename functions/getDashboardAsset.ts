import type { HttpRequest } from '@azure/functions';

import type { FunctionDefinition } from './definitions.js';
import { webAssetResponse } from './webAssets.js';

/** GET /api/dashboard/{file}: the dashboard's bundled scripts, styles and coastlines (built by `npm run build`). */
export function getDashboardAsset(request: HttpRequest): Promise<ReturnType<typeof webAssetResponse>> {
    return Promise.resolve(webAssetResponse(request.params.file ?? ''));
}

export const getDashboardAssetDefinition: FunctionDefinition = {
    name: 'getDashboardAsset',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'anonymous', route: 'dashboard/{file}' },
    // Serves no data: the runtime is not needed.
    handler: (_rt, request) => getDashboardAsset(request),
    api: {
        summary: 'Static files of the dashboard and the API reference (scripts, styles, coastlines)',
        tags: ['dashboard'],
        parameters: [
            {
                name: 'file',
                in: 'path',
                description: 'File name, e.g. dashboard.js',
                schema: { type: 'string' },
                example: 'dashboard.js',
            },
        ],
        response: {
            description: 'The file (JavaScript, CSS or JSON)',
            contentType: 'text/plain',
            schema: { type: 'string' },
        },
        errors: [404, 503],
    },
};
