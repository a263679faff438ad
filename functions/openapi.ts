/**
 * The OpenAPI 3.1 document, generated from the function table (`functions/functionTable.ts`): each HTTP function's
 * route, methods, auth level and `api` block. One source, so the document cannot drift from what is served; a
 * route whose path parameters are not all declared makes the build of the document throw (and the test fail).
 */
import { API_SCHEMAS, ref } from './apiSchemas.js';
import {
    type ApiParameter,
    type FunctionDefinition,
    type HttpFunctionDefinition,
    knownQueryParameters,
} from './definitions.js';

export const API_VERSION = '0.1.0';
/** The Functions host's route prefix (host.json `extensions.http.routePrefix`, default `api`). */
export const ROUTE_PREFIX = '/api';

const ERROR_TEXT: Record<number, string> = {
    400: 'A parameter is missing or malformed; the message names it.',
    401: 'No or a wrong function key (Azure only: send `x-functions-key` or `?code=`).',
    404: 'Not found.',
    405: 'The route does not serve this method; `allow` lists the ones it does.',
    500: 'Unexpected error; the body carries the invocation id to look up in the logs.',
    503: 'A backing service (storage, Cosmos DB) is unavailable; retry after the `retry-after` seconds.',
};

/** `vessels/{mmsi}` -> `/api/vessels/{mmsi}`; route constraints (`{mmsi:int}`) are dropped. */
export function openApiPath(route: string): string {
    return `${ROUTE_PREFIX}/${route.replace(/\{(\w+)(?::[^}]*)?\}/g, '{$1}')}`;
}

function pathParameterNames(route: string): string[] {
    return [...route.matchAll(/\{\*?(\w+)(?::[^}]*)?\}/g)].map((m) => m[1] as string);
}

function parameter(p: ApiParameter): Record<string, unknown> {
    return {
        name: p.name,
        in: p.in,
        description: p.description,
        required: p.in === 'path' ? true : (p.required ?? false),
        schema: p.schema,
        ...(p.example !== undefined ? { example: p.example } : {}),
    };
}

function errorResponse(status: number): Record<string, unknown> {
    return {
        description: ERROR_TEXT[status] ?? 'Error.',
        ...(status === 503
            ? { headers: { 'retry-after': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
            : {}),
        ...(status === 405
            ? {
                  headers: {
                      allow: { description: 'The methods the route serves', schema: { type: 'string' } },
                  },
              }
            : {}),
        ...(status === 401 ? {} : { content: { 'application/json': { schema: ref('Error') } } }),
    };
}

function operation(def: HttpFunctionDefinition): Record<string, unknown> {
    const { api, options } = def;
    const declared = new Set((api.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
    const inRoute = pathParameterNames(options.route);
    const missing = inRoute.filter((n) => !declared.has(n));
    const extra = [...declared].filter((n) => !inRoute.includes(n));
    if (missing.length > 0 || extra.length > 0) {
        throw new Error(
            `function '${def.name}' (route '${options.route}'): path parameters in the route and in its api block differ (undeclared: ${missing.join(', ') || '-'}; not in the route: ${extra.join(', ') || '-'})`,
        );
    }
    const secured = (options.authLevel ?? 'function') !== 'anonymous';
    const responses: Record<string, unknown> = {
        '200': {
            description: api.response.description,
            ...(api.response.schema || api.response.contentType
                ? {
                      content: {
                          [api.response.contentType ?? 'application/json']: api.response.schema
                              ? { schema: api.response.schema }
                              : {},
                      },
                  }
                : {}),
        },
    };
    // a JSON route answers 400 to a query parameter it does not declare (functions/http.ts)
    const unknownQuery = knownQueryParameters(api) === undefined ? [] : [400];
    for (const status of [
        ...new Set([...(api.errors ?? []), ...unknownQuery, ...(secured ? [401] : []), 405, 500]),
    ].sort())
        responses[String(status)] = errorResponse(status);
    return {
        operationId: def.name,
        summary: api.summary,
        ...(api.description ? { description: api.description } : {}),
        tags: [...api.tags],
        ...(api.parameters && api.parameters.length > 0 ? { parameters: api.parameters.map(parameter) } : {}),
        responses,
        security: secured ? [{ functionKey: [] }, { functionKeyQuery: [] }] : [],
    };
}

/** The OpenAPI 3.1 document of every HTTP function in `functions`. */
export function buildOpenApiDocument(
    functions: readonly FunctionDefinition[],
    serverUrl?: string,
): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const tags = new Set<string>();
    for (const def of functions) {
        if (def.trigger !== 'http') continue;
        const path = openApiPath(def.options.route);
        const item = (paths[path] ??= {});
        for (const method of def.options.methods ?? ['GET']) {
            const key = method.toLowerCase();
            if (item[key]) throw new Error(`two functions declare ${method} ${path}`);
            item[key] = operation(def);
        }
        for (const t of def.api.tags) tags.add(t);
    }
    return {
        openapi: '3.1.0',
        info: {
            title: 'Maritime pipeline API',
            version: API_VERSION,
            description:
                'Vessel state, tracks, sensors and alerts from the maritime data pipeline (AIS and ship sensors on Azure Functions). ' +
                'Data endpoints need a function key in Azure (`x-functions-key` header or `code` query parameter; ' +
                '`az functionapp keys list -g <group> -n <app>`); the local host behind `npm start` does not check keys. ' +
                'Times are epoch milliseconds (UTC) in responses; parameters accept ISO 8601 or epoch milliseconds. ' +
                'A query parameter an operation does not list (besides `code`) is answered 400 naming the ones it takes, ' +
                'except on /api/health, which ignores those a probe adds.',
            license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        },
        ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
        tags: [...tags].map((name) => ({ name })),
        paths,
        components: {
            schemas: API_SCHEMAS,
            securitySchemes: {
                functionKey: {
                    type: 'apiKey',
                    in: 'header',
                    name: 'x-functions-key',
                    description: 'Function or host key (Azure only)',
                },
                functionKeyQuery: {
                    type: 'apiKey',
                    in: 'query',
                    name: 'code',
                    description: 'The same key as a query parameter',
                },
            },
        },
    };
}
