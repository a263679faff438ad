/**
 * One place that maps errors to HTTP responses (ValidationError 400, NotFoundError 404, DependencyError 503,
 * anything else 500 with a generic body), so route handlers hold no try/catch of their own.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { DependencyError, ensureError, NotFoundError, ValidationError } from '../shared/errors.js';

export type RouteHandler = (request: HttpRequest, context: InvocationContext) => Promise<unknown>;

export function toHttpResponse(error: unknown, context: InvocationContext): HttpResponseInit {
    const err = ensureError(error);
    if (err instanceof ValidationError) return { status: 400, jsonBody: { error: 'bad_request', message: err.message } };
    if (err instanceof NotFoundError) return { status: 404, jsonBody: { error: 'not_found', message: err.message } };
    if (err instanceof DependencyError) {
        context.warn(`dependency unavailable: ${err.message}`);
        return { status: 503, headers: { 'retry-after': '5' }, jsonBody: { error: 'unavailable', message: 'A backing service is unavailable; retry later.' } };
    }
    context.error(`unhandled error: ${err.stack ?? err.message}`);
    return { status: 500, jsonBody: { error: 'internal', message: 'Internal error; see the logs for the invocation id.', invocationId: context.invocationId } };
}

/** Wraps a route: the result becomes a 200 JSON body; errors go through `toHttpResponse`. */
export function jsonRoute(handler: RouteHandler): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
    return async (request, context) => {
        try {
            return { status: 200, jsonBody: await handler(request, context) };
        } catch (error) {
            return toHttpResponse(error, context);
        }
    };
}
