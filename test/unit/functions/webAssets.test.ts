import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from '@jest/globals';

import { getApiDocs } from '../../../functions/getApiDocs.js';
import { getDashboard } from '../../../functions/getDashboard.js';
import { getDashboardAsset } from '../../../functions/getDashboardAsset.js';
import { readWebAsset } from '../../../functions/webAssets.js';

// These read the bundle `npm run build` writes to dist/web (the test script builds first).
const get = (url: string, params: Record<string, string> = {}): HttpRequest =>
    new HttpRequest({ method: 'GET', url, params });

describe('dashboard and API reference files', () => {
    it('serves the dashboard page with <base href> set to the route prefix it was reached under', async () => {
        const res = await getDashboard(get('http://localhost:7071/api/dashboard'));
        expect(res.status).toBe(200);
        expect(res.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8' });
        expect(res.body).toContain('<base href="/api/">');
        const prefixed = await getDashboard(get('https://app.example/custom/dashboard/'));
        expect(prefixed.body).toContain('<base href="/custom/">');
    });

    it('serves the bundles (Leaflet, Chart.js, Swagger UI, Natural Earth land) built from npm, not a CDN', async () => {
        for (const [file, type] of [
            ['dashboard.js', 'text/javascript'],
            ['dashboard.css', 'text/css'],
            ['swagger-ui-bundle.js', 'text/javascript'],
            ['land-50m.json', 'application/json'],
        ] as const) {
            const res = await getDashboardAsset(get(`http://localhost/api/dashboard/${file}`, { file }));
            expect(res.status).toBe(200);
            expect(String((res.headers as Record<string, string>)['content-type'])).toContain(type);
        }
        const html = `${readWebAsset('index.html')}${readWebAsset('docs.html')}`;
        expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
        expect(JSON.parse(readWebAsset('land-50m.json') ?? '{}')).toMatchObject({ type: 'Topology' });
    });

    it('answers 404 for unknown files and refuses paths outside the bundle', async () => {
        for (const file of ['nope.js', '../package.json', '..%2Fpackage.json', '.env', 'index']) {
            const res = await getDashboardAsset(get(`http://localhost/api/dashboard/x`, { file }));
            expect(res.status).toBe(404);
        }
    });

    it('serves the API reference page pointing at openapi.json', async () => {
        const res = await getApiDocs(get('http://localhost:7071/api/docs'));
        expect(res.status).toBe(200);
        expect(res.body).toContain('dashboard/swagger-ui-bundle.js');
        expect(readWebAsset('docs-init.js')).toContain('openapi.json');
    });
});
