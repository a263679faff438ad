import type { HttpRequest } from '@azure/functions';

import type { FunctionDefinition } from './definitions.js';
import { basePath, webAssetResponse } from './webAssets.js';

/** GET /api/dashboard: the operations dashboard (map, alerts, KPIs, vessel pages); it reads the data endpoints. */
export function getDashboard(request: HttpRequest): Promise<ReturnType<typeof webAssetResponse>> {
    const base = basePath(request.url, 'dashboard');
    return Promise.resolve(
        webAssetResponse('index.html', (html) =>
            html.replace('<base href="/api/">', `<base href="${base}/">`),
        ),
    );
}

export const getDashboardDefinition: FunctionDefinition = {
    name: 'getDashboard',
    trigger: 'http',
    options: { methods: ['GET'], authLevel: 'anonymous', route: 'dashboard' },
    // Serves no data: the runtime is not needed.
    handler: (_rt, request) => getDashboard(request),
    api: {
        summary: 'The operations dashboard (HTML)',
        description:
            'Live map, alert feed, fleet KPIs and vessel pages. Anonymous; the page reads the data endpoints with the function key the user enters (Azure) or none (local host).',
        tags: ['dashboard'],
        response: { description: 'HTML page', contentType: 'text/html', schema: { type: 'string' } },
    },
};
