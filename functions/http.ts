/**
 * One place that maps errors to HTTP responses (ValidationError 400, NotFoundError 404, DependencyError 503,
 * MissingResourceError 503 naming the missing container or database, anything else 500 with a generic body), so
 * route handlers hold no try/catch of their own; and the one place that answers 405 to a method a route does not
 * declare and 400 to a query parameter it does not take (`registrationOptions`).
 */
import type {
    HttpFunctionOptions,
    HttpMethod,
    HttpRequest,
    HttpResponseInit,
    InvocationContext,
} from '@azure/functions';

import {
    DependencyError,
    ensureError,
    MissingResourceError,
    NotFoundError,
    ValidationError,
} from '../shared/errors.js';
import type { HttpHandler, RegisteredFunction } from './definitions.js';
import type { Runtime } from './runtime.js';

export type RouteHandler = (
    rt: Runtime,
    request: HttpRequest,
    context: InvocationContext,
) => Promise<unknown>;

export function toHttpResponse(error: unknown, context: InvocationContext): HttpResponseInit {
    const err = ensureError(error);
    if (err instanceof ValidationError)
        return { status: 400, jsonBody: { error: 'bad_request', message: err.message } };
    if (err instanceof MissingResourceError) {
        context.error(err.message);
        return { status: 503, jsonBody: { error: 'missing_resource', message: err.message } };
    }
    if (err instanceof NotFoundError)
        return { status: 404, jsonBody: { error: 'not_found', message: err.message } };
    if (err instanceof DependencyError) {
        context.warn(`dependency unavailable: ${err.message}`);
        return {
            status: 503,
            headers: { 'retry-after': '5' },
            jsonBody: { error: 'unavailable', message: 'A backing service is unavailable; retry later.' },
        };
    }
    context.error(`unhandled error: ${err.stack ?? err.message}`);
    return {
        status: 500,
        jsonBody: {
            error: 'internal',
            message: 'Internal error; see the logs for the invocation id.',
            invocationId: context.invocationId,
        },
    };
}

/** Wraps a route: the result becomes a 200 JSON body; errors go through `toHttpResponse`. */
export function jsonRoute(handler: RouteHandler): HttpHandler {
    return async (rt, request, context) => {
        try {
            return { status: 200, jsonBody: await handler(rt, request, context) };
        } catch (error) {
            return toHttpResponse(
                error instanceof ValidationError ? error : await rt.resourceCheck.explain(error),
                context,
            );
        }
    };
}

/** Every method a route is registered for; the ones it does not declare are answered 405. */
const ALL_METHODS: HttpMethod[] = [
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
    'OPTIONS',
    'TRACE',
    'CONNECT',
];

/** The methods a route answers: the declared ones, and HEAD wherever GET is (the host sends no body for HEAD). */
export function allowedMethods(def: { options: { methods?: HttpMethod[] } }): HttpMethod[] {
    const declared = def.options.methods ?? ['GET'];
    return declared.includes('GET') && !declared.includes('HEAD') ? [...declared, 'HEAD'] : [...declared];
}

/** The function key as a query parameter (Azure): allowed on every route. */
const FUNCTION_KEY_PARAMETER = 'code';

/**
 * The 400 for a query parameter the route does not take (`def.queryParameters`, from its OpenAPI parameters),
 * naming the ones it takes; undefined when every parameter is known, or the route takes any (a page).
 */
export function unknownQueryParameter(
    def: Extract<RegisteredFunction, { trigger: 'http' }>,
    request: Pick<HttpRequest, 'query'>,
): HttpResponseInit | undefined {
    const known = def.queryParameters;
    if (known === undefined) return undefined;
    const unknown = [...new Set(request.query.keys())].filter(
        (name) => name !== FUNCTION_KEY_PARAMETER && !known.includes(name),
    );
    if (unknown.length === 0) return undefined;
    const names = unknown.map((n) => `'${n}'`).join(', ');
    return {
        status: 400,
        jsonBody: {
            error: 'bad_request',
            message:
                `unknown query parameter${unknown.length > 1 ? 's' : ''} ${names} on /api/${def.options.route}: ` +
                (known.length === 0 ? 'it takes none' : `it takes ${known.join(', ')}`) +
                ` (and ${FUNCTION_KEY_PARAMETER}, the function key).`,
        },
    };
}

/**
 * The options an HTTP function is registered with, in Azure (functions/index.ts) and by the local host alike:
 * every method, with a handler that answers 405 (with `Allow` and the shared error body) to the methods the
 * route does not declare. Registered with its declared methods only, the Functions host would answer 404
 * ("no route") to a wrong method (azure-functions-host#10098). The OpenAPI document still lists the declared
 * methods (`def.options.methods`).
 */
export function registrationOptions(
    def: Extract<RegisteredFunction, { trigger: 'http' }>,
): HttpFunctionOptions & { route: string } {
    const allowed = allowedMethods(def);
    const handler = def.options.handler;
    return {
        ...def.options,
        methods: ALL_METHODS,
        handler: (request, context) => {
            if (allowed.includes(request.method as HttpMethod)) {
                const unknown = unknownQueryParameter(def, request);
                return unknown === undefined ? handler(request, context) : Promise.resolve(unknown);
            }
            return Promise.resolve({
                status: 405,
                headers: { allow: allowed.join(', ') },
                jsonBody: {
                    error: 'method_not_allowed',
                    message: `${request.method} is not allowed on /api/${def.options.route}; use ${allowed.join(' or ')}.`,
                },
            });
        },
    };
}
