import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from '@jest/globals';
import { compileErrors, validate } from '@readme/openapi-parser';

import type { FunctionDefinition, HttpFunctionDefinition } from '../../../functions/definitions.js';
import { FUNCTIONS } from '../../../functions/functionTable.js';
import { getOpenApi } from '../../../functions/getOpenApi.js';
import { buildOpenApiDocument, openApiPath } from '../../../functions/openapi.js';

type Doc = {
    paths: Record<
        string,
        Record<
            string,
            {
                security: unknown[];
                parameters?: { name: string; in: string }[];
                responses: Record<string, unknown>;
            }
        >
    >;
};

const HTTP = FUNCTIONS.filter((f): f is HttpFunctionDefinition => f.trigger === 'http');

describe('OpenAPI document', () => {
    const doc = buildOpenApiDocument(FUNCTIONS, 'http://localhost:7071') as unknown as Doc;

    it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
        // validate() dereferences in place: give it a copy.
        const result = await validate(structuredClone(doc) as never);
        if (!result.valid) throw new Error(compileErrors(result));
        expect(result.valid).toBe(true);
    });

    it('lists every HTTP function of the function table, with its methods, and nothing else', () => {
        expect(HTTP.length).toBeGreaterThanOrEqual(10);
        const expected = HTTP.flatMap((f) =>
            (f.options.methods ?? ['GET']).map((m) => `${m.toLowerCase()} ${openApiPath(f.options.route)}`),
        ).sort();
        const documented = Object.entries(doc.paths)
            .flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
            .sort();
        expect(documented).toEqual(expected);
    });

    it('marks function-key routes as secured and anonymous ones (health, reference, dashboard) as open', () => {
        const documented = HTTP.map((f) => {
            const op = doc.paths[openApiPath(f.options.route)]?.get;
            return { name: f.name, open: op?.security.length === 0, has401: '401' in (op?.responses ?? {}) };
        });
        const declared = HTTP.map((f) => ({
            name: f.name,
            open: f.options.authLevel === 'anonymous',
            has401: f.options.authLevel !== 'anonymous',
        }));
        expect(documented).toEqual(declared);
        const anonymous = HTTP.filter((f) => f.options.authLevel === 'anonymous')
            .map((f) => f.name)
            .sort();
        expect(anonymous).toEqual([
            'getApiDocs',
            'getDashboard',
            'getDashboardAsset',
            'getHealth',
            'getOpenApi',
        ]);
        const data = [
            'getVessels',
            'getVessel',
            'getVesselTrack',
            'getVesselSensors',
            'getAlerts',
            'getIngestRate',
        ];
        for (const name of data)
            expect(HTTP.find((f) => f.name === name)?.options.authLevel).toBe('function');
    });

    it('declares every path parameter of every route', () => {
        const missing = HTTP.flatMap((f) => {
            const names = [...f.options.route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
            const params = doc.paths[openApiPath(f.options.route)]?.get?.parameters ?? [];
            return names
                .filter((n) => !params.some((p) => p.in === 'path' && p.name === n))
                .map((n) => `${f.name}: {${n}}`);
        });
        expect(missing).toEqual([]);
    });

    it('refuses a route whose path parameters are not declared, naming the function', () => {
        const broken: FunctionDefinition = {
            name: 'getThing',
            trigger: 'http',
            options: { methods: ['GET'], route: 'things/{id}' },
            handler: () => Promise.resolve({}),
            api: { summary: 'a thing', tags: ['things'], response: { description: 'the thing' } },
        };
        expect(() => buildOpenApiDocument([broken])).toThrow(/getThing.*undeclared: id/);
    });

    it("is served at /api/openapi.json with the caller's origin as the server", async () => {
        const res = await getOpenApi(
            new HttpRequest({ method: 'GET', url: 'http://example.test:8080/api/openapi.json' }),
        );
        expect(res.status).toBe(200);
        const body = res.jsonBody as {
            openapi: string;
            servers: { url: string }[];
            paths: Record<string, unknown>;
        };
        expect(body.openapi).toBe('3.1.0');
        expect(body.servers).toEqual([{ url: 'http://example.test:8080' }]);
        expect(Object.keys(body.paths)).toContain('/api/vessels/{mmsi}/track');
    });
});
