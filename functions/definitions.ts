/**
 * What a function definition is: its name, trigger, options, handler and (HTTP) API description, with the
 * parameters and policies definitions share. The table of every definition is `functions/functionTable.ts`; it
 * feeds the Azure registration (`functions/index.ts`), the local trigger host behind `npm start` (`local/host.ts`)
 * and the OpenAPI document (`functions/openapi.ts`, from each HTTP function's `api`), so the three never drift.
 *
 * A handler takes the runtime (`functions/runtime.ts`) first; `bindFunctions` binds the table to one runtime,
 * giving what a host registers.
 */
import type {
    EventHubFunctionOptions,
    HttpFunctionOptions,
    HttpRequest,
    HttpResponseInit,
    InvocationContext,
    RetryOptions,
    StorageQueueFunctionOptions,
    Timer,
    TimerFunctionOptions,
} from '@azure/functions';

import type { Runtime } from './runtime.js';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

export interface ApiParameter {
    name: string;
    in: 'path' | 'query';
    description: string;
    /** Path parameters are always required. */
    required?: boolean;
    schema: JsonSchema;
    example?: unknown;
}

/** What the OpenAPI document says about an HTTP function; every HTTP function must have one. */
export interface ApiDoc {
    summary: string;
    description?: string;
    tags: readonly string[];
    /** Path (one per `{name}` in the route) and query parameters. */
    parameters?: readonly ApiParameter[];
    /** The 200 response: a JSON Schema (usually a `$ref` to `#/components/schemas/...`), or another media type. */
    response: { description: string; schema?: JsonSchema; contentType?: string };
    /** Error statuses the route can return besides 500, each with the shared `Error` body. */
    errors?: readonly (400 | 404 | 503)[];
    /**
     * Query parameters it does not list are ignored instead of answered 400: for a probe's route (`/api/health`), as
     * load balancers and availability tests may add their own (`?probe=1`, a cache buster).
     */
    ignoresUnknownQuery?: true;
}

export type EventHubHandler = (
    rt: Runtime,
    messages: unknown,
    context: InvocationContext,
) => Promise<unknown>;
export type HttpHandler = (
    rt: Runtime,
    request: HttpRequest,
    context: InvocationContext,
) => Promise<HttpResponseInit>;
export type TimerHandler = (rt: Runtime, timer: Timer, context: InvocationContext) => Promise<unknown>;
export type StorageQueueHandler = (
    rt: Runtime,
    message: unknown,
    context: InvocationContext,
) => Promise<unknown>;

type EventHubOptions = EventHubFunctionOptions & { dataType?: 'string' | 'binary' };
type HttpOptions = HttpFunctionOptions & { route: string };

export type FunctionDefinition =
    | {
          name: string;
          trigger: 'eventHub';
          options: Omit<EventHubOptions, 'handler'>;
          handler: EventHubHandler;
      }
    | {
          name: string;
          trigger: 'http';
          options: Omit<HttpOptions, 'handler'>;
          handler: HttpHandler;
          api: ApiDoc;
      }
    | {
          name: string;
          trigger: 'timer';
          options: Omit<TimerFunctionOptions, 'handler'>;
          handler: TimerHandler;
      }
    | {
          name: string;
          trigger: 'storageQueue';
          options: Omit<StorageQueueFunctionOptions, 'handler'>;
          handler: StorageQueueHandler;
      };

export type HttpFunctionDefinition = Extract<FunctionDefinition, { trigger: 'http' }>;

/** A definition bound to a runtime: the options (with the handler) a host registers. */
export type RegisteredFunction =
    | { name: string; trigger: 'eventHub'; options: EventHubOptions }
    | {
          name: string;
          trigger: 'http';
          options: HttpOptions;
          /** The query parameters the route takes (`knownQueryParameters`); undefined: any (a page, an asset). */
          queryParameters?: readonly string[];
      }
    | { name: string; trigger: 'timer'; options: TimerFunctionOptions }
    | { name: string; trigger: 'storageQueue'; options: StorageQueueFunctionOptions };

/**
 * The query parameters a JSON route takes, as its api block declares them (the OpenAPI document's): any other is
 * answered 400 (`registrationOptions`), so a misspelt one (`continuationToken` for `continuation`) is not silently
 * ignored. Undefined for the routes that serve a page or a file (the dashboard, the docs, their assets): a browser
 * address may carry anything; nor for a probe's route (`ignoresUnknownQuery`: `/api/health`). `code` (the function
 * key in the query, in Azure) is always allowed.
 */
export function knownQueryParameters(api: ApiDoc): readonly string[] | undefined {
    const json = api.response.contentType === undefined || api.response.contentType === 'application/json';
    if (!json || api.ignoresUnknownQuery === true) return undefined;
    return (api.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

/**
 * Binds every handler of the table to the runtime. `runtime` may be a function, called at each invocation (the Azure
 * entry builds its runtime on the first one, so a settings problem is reported by the invocation that needs them).
 */
export function bindFunctions(
    table: readonly FunctionDefinition[],
    runtime: Runtime | (() => Runtime),
): RegisteredFunction[] {
    const rt = typeof runtime === 'function' ? runtime : () => runtime;
    return table.map((def): RegisteredFunction => {
        switch (def.trigger) {
            case 'eventHub':
                return {
                    name: def.name,
                    trigger: def.trigger,
                    options: {
                        ...def.options,
                        handler: (messages, context) => def.handler(rt(), messages, context),
                    },
                };
            case 'http': {
                const queryParameters = knownQueryParameters(def.api);
                return {
                    name: def.name,
                    trigger: def.trigger,
                    ...(queryParameters === undefined ? {} : { queryParameters }),
                    options: {
                        ...def.options,
                        handler: (request, context) => def.handler(rt(), request, context),
                    },
                };
            }
            case 'timer':
                return {
                    name: def.name,
                    trigger: def.trigger,
                    options: {
                        ...def.options,
                        // Counted while it runs, so a stop can wait for it (Runtime.stopRuns).
                        handler: (timer, context) => {
                            const r = rt();
                            return r.track(def.handler(r, timer, context));
                        },
                    },
                };
            case 'storageQueue':
                return {
                    name: def.name,
                    trigger: def.trigger,
                    options: {
                        ...def.options,
                        // Counted while it runs, so a stop can wait for it (Runtime.stopRuns).
                        handler: (message, context) => {
                            const r = rt();
                            return r.track(def.handler(r, message, context));
                        },
                    },
                };
        }
    });
}

/** The `mmsi` path parameter, shared by the vessel routes. */
export const MMSI_PATH_PARAMETER: ApiParameter = {
    name: 'mmsi',
    in: 'path',
    description: 'Maritime Mobile Service Identity, 1 to 9 digits.',
    schema: { type: 'string', pattern: '^\\d{1,9}$' },
    example: '366764000',
};

/**
 * Bounded exponential retry for Event Hub triggers. The trigger checkpoints whether or not the function
 * succeeds, so without a policy a transient failure (storage or Cosmos unavailable) would skip the batch, and
 * with an unbounded one a poison batch would stall its partition for ever. Data errors never throw (they are
 * quarantined), so only infrastructure failures reach this policy. 5 retries: 2 s, 4 s, 8 s, 16 s, 32 s.
 */
export const EVENT_HUB_RETRY: RetryOptions = {
    strategy: 'exponentialBackoff',
    maxRetryCount: 5,
    minimumInterval: 2_000,
    maximumInterval: 60_000,
};

/** `limit` of the paged routes. */
export const LIMIT_PARAMETER: ApiParameter = {
    name: 'limit',
    in: 'query',
    description: 'Items per page, 1-1000 (default 100).',
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
};

/** `from` and `to` of the gold routes over a range of days (the query's defaults: the last 30 days to today). */
export const DAY_RANGE_PARAMETERS: readonly ApiParameter[] = [
    {
        name: 'from',
        in: 'query',
        description: 'First day (default: 30 days before `to`). YYYY-MM-DD.',
        schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        example: '2026-11-24',
    },
    {
        name: 'to',
        in: 'query',
        description: 'Last day (default: today). YYYY-MM-DD.',
        schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        example: '2026-11-24',
    },
];

/** `continuation` of the paged routes. */
export const CONTINUATION_PARAMETER: ApiParameter = {
    name: 'continuation',
    in: 'query',
    description: 'The `continuation` of the previous page, as returned.',
    schema: { type: 'string' },
};

/** A time query parameter: ISO 8601 or epoch milliseconds. */
export function timeParameter(name: string, description: string): ApiParameter {
    return {
        name,
        in: 'query',
        description: `${description} ISO 8601 or epoch milliseconds.`,
        schema: { type: 'string' },
        example: '2026-11-24T10:00:00Z',
    };
}
