/**
 * API consistency, table-driven over EVERY HTTP function of the function table (functions/functionTable.ts), so a new
 * route is covered the day it is added: requests go over real HTTP to the local trigger host (registered as in
 * Azure, functions/http.ts `registrationOptions`), with the production Cosmos and Blob adapters on the local
 * services. For every route: a method it does not declare is 405 with `allow`; a garbage continuation token is
 * 400 where the route pages; an integer parameter in another notation than decimal digits (`1e2`, `0x10`) is 400;
 * a vessel never seen is 404 where the route says it can be; every answer's status is one the OpenAPI document
 * lists for that operation, and every error body has the documented `Error` shape.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';

import { API_SCHEMAS } from '../../functions/apiSchemas.js';
import {
    type ApiParameter,
    bindFunctions,
    type HttpFunctionDefinition,
} from '../../functions/definitions.js';
import { FUNCTIONS } from '../../functions/functionTable.js';
import { buildOpenApiDocument, openApiPath } from '../../functions/openapi.js';
import { createRuntime, type Runtime } from '../../functions/runtime.js';
import { LocalHost } from '../../local/host.js';
import { DuckDbGoldEngine } from '../../shared/adapters/DuckDbGoldEngine.js';
import { InMemoryDeadLetterStore } from '../../shared/adapters/memory/InMemoryDeadLetterStore.js';
import { RecordingAlertPublisher } from '../../shared/adapters/memory/RecordingAlertPublisher.js';
import { ingestAisBatch } from '../../shared/app/ingestAisBatch.js';
import type { ReceivedEvent } from '../../shared/app/ports.js';
import {
    createTestDatabase,
    createTestLake,
    localConfig,
    type TestDatabase,
    type TestLake,
} from '../helpers/localServices.js';

const NOW = Date.now();
const HTTP = FUNCTIONS.filter((f): f is HttpFunctionDefinition => f.trigger === 'http');
const DOC = buildOpenApiDocument(FUNCTIONS) as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const validateError = new Ajv2020({ strict: false }).compile(API_SCHEMAS.Error as object);
/** Two vessels are seen (so the vessel list pages with limit=1); this one never is. */
const SEEN = [366123456, 366123457];
const NEVER_SEEN = '999999998';

let lake: TestLake;
let db: TestDatabase;
let host: LocalHost;
let base: string;

let rt: Runtime;

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('api'), createTestDatabase('api')]);
    // The production Cosmos adapters over the test database (built by the runtime from the config), the test lake.
    rt = createRuntime(localConfig({ COSMOS_DATABASE: db.databaseId }), {
        adapters: {
            lake: lake.lake,
            publisher: new RecordingAlertPublisher(),
            deadLetters: new InMemoryDeadLetterStore(),
            goldEngine: new DuckDbGoldEngine(lake.lake),
            clock: { now: () => NOW },
            metrics: { track: () => undefined },
        },
    });
    const t = new Date(NOW - 60_000).toISOString();
    const events: ReceivedEvent[] = SEEN.map((mmsi, i) => ({
        body: JSON.stringify({
            type: 'position',
            mmsi,
            timestamp: t,
            lat: 37.8 + i / 100,
            lon: -122.4,
            sog: 10,
            cog: 90,
        }),
        meta: { partitionId: '0', sequenceNumber: i, enqueuedTime: NOW - 1000 },
    }));
    const summary = await ingestAisBatch(
        events,
        rt.ingestDeps({
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
        }),
    );
    expect(summary.accepted).toBe(2);
    host = new LocalHost(bindFunctions(HTTP, rt), { port: 0 });
    base = `http://127.0.0.1:${await host.start()}`;
});

afterAll(async () => {
    await host?.stop();
    rt?.dispose();
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

/** The route with every path parameter replaced by its example (`mmsi` by a vessel that was seen). */
function sampleUrl(def: HttpFunctionDefinition, overrides: Record<string, string> = {}, query = ''): string {
    const path = def.options.route.replace(/\{\*?(\w+)(?::[^}]*)?\}/g, (_, name: string) => {
        if (overrides[name] !== undefined) return overrides[name];
        if (name === 'mmsi') return String(SEEN[0]);
        const declared = def.api.parameters?.find((p) => p.in === 'path' && p.name === name);
        return encodeURIComponent(typeof declared?.example === 'string' ? declared.example : 'x');
    });
    return `${base}/api/${path}${query}`;
}

interface Answer {
    status: number;
    allow: string | null;
    body: unknown;
}

async function call(url: string, method = 'GET'): Promise<Answer> {
    const res = await fetch(url, { method });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
    return { status: res.status, allow: res.headers.get('allow'), body };
}

/** The answer has a status the OpenAPI document lists for the route, and an error body of the `Error` shape. */
function expectDocumented(def: HttpFunctionDefinition, answer: Answer, method = 'get'): void {
    const operation =
        DOC.paths[openApiPath(def.options.route)]?.[method.toLowerCase()] ??
        DOC.paths[openApiPath(def.options.route)]?.get;
    expect({
        route: def.name,
        status: answer.status,
        documented: Object.keys(operation?.responses ?? {}).includes(String(answer.status)),
    }).toEqual({
        route: def.name,
        status: answer.status,
        documented: true,
    });
    if (answer.status >= 400) {
        const valid = validateError(answer.body);
        expect({ route: def.name, body: answer.body, errors: validateError.errors ?? null }).toEqual({
            route: def.name,
            body: answer.body,
            errors: valid ? null : validateError.errors,
        });
        expect(valid).toBe(true);
    }
}

function queryParameters(def: HttpFunctionDefinition): readonly ApiParameter[] {
    return (def.api.parameters ?? []).filter((p) => p.in === 'query');
}

describe('every HTTP route of the function table', () => {
    it('declares unique routes (so registering every method and answering 405 in the handler is safe)', () => {
        const routes = HTTP.map((f) => openApiPath(f.options.route));
        expect(new Set(routes).size).toBe(routes.length);
        expect(HTTP.length).toBeGreaterThanOrEqual(19);
    });

    it.each(HTTP.map((f) => [f.name, f] as const))(
        '%s: a method it does not declare is 405 with allow, in the error shape',
        async (_, def) => {
            const declared: string[] = def.options.methods ?? ['GET'];
            for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => !declared.includes(m))) {
                const answer = await call(sampleUrl(def), method);
                expect({ method, status: answer.status, allow: answer.allow }).toEqual({
                    method,
                    status: 405,
                    allow: expect.stringContaining(declared[0] as string),
                });
                expect(answer.body).toMatchObject({ error: 'method_not_allowed' });
                expectDocumented(def, answer, declared[0]);
            }
        },
    );

    it.each(HTTP.map((f) => [f.name, f] as const))(
        '%s: the declared method answers with a documented status',
        async (_, def) => {
            expectDocumented(def, await call(sampleUrl(def)));
        },
    );

    it.each(HTTP.map((f) => [f.name, f] as const))(
        '%s: a query parameter it does not declare is 400 naming the declared ones (a page and the probe route take any); the key is allowed',
        async (_, def) => {
            const declared = queryParameters(def).map((p) => p.name);
            const page = (def.api.response.contentType ?? 'application/json') !== 'application/json';
            const answer = await call(sampleUrl(def, {}, '?continuationToken=x&code=key'));
            if (page) {
                expect({ route: def.name, status: answer.status }).toEqual({ route: def.name, status: 200 });
            } else if (def.api.ignoresUnknownQuery === true) {
                // A probe's route (health): what a probe adds is ignored; the answer is the route's usual one.
                expect({ route: def.name, status: answer.status }).not.toEqual({
                    route: def.name,
                    status: 400,
                });
                expect(JSON.stringify(answer.body)).not.toContain('unknown query parameter');
            } else {
                expect({ route: def.name, status: answer.status }).toEqual({ route: def.name, status: 400 });
                expect((answer.body as { message: string }).message).toBe(
                    `unknown query parameter 'continuationToken' on /api/${def.options.route}: ` +
                        (declared.length === 0 ? 'it takes none' : `it takes ${declared.join(', ')}`) +
                        ' (and code, the function key).',
                );
            }
            expectDocumented(def, answer);
            // every declared parameter is known (a bad value may be 400, but never as unknown), and so is the key
            const known = await call(
                sampleUrl(def, {}, `?${[...declared, 'code'].map((n) => `${n}=x`).join('&')}`),
            );
            expect((known.body as { message?: string }).message ?? '').not.toContain(
                'unknown query parameter',
            );
        },
    );

    const paged = HTTP.filter((f) => queryParameters(f).some((p) => p.name === 'continuation'));
    it('pages on at least the vessels, alerts, findings and gold routes', () => {
        expect(paged.map((f) => f.name)).toEqual(
            expect.arrayContaining([
                'getVessels',
                'getAlerts',
                'getFindings',
                'getVesselFindings',
                'getVesselDaily',
                'getPortCalls',
            ]),
        );
    });

    // Garbage of every kind: not base64url, base64url of not-JSON, JSON of the wrong shape, a well-formed token
    // of another query (the hash differs), and an oversized one.
    const garbage = [
        'garbage!!',
        'not a token',
        'Zm9vYmFy',
        Buffer.from('[1,"x"]').toString('base64url'),
        Buffer.from('[1,"0000000","{}"]').toString('base64url'),
        'A'.repeat(9000),
    ];
    it.each(paged.map((f) => [f.name, f] as const))(
        '%s: a garbage continuation token is 400 naming the token',
        async (_, def) => {
            for (const token of garbage) {
                const answer = await call(sampleUrl(def, {}, `?continuation=${encodeURIComponent(token)}`));
                expect({ token: token.slice(0, 20), status: answer.status }).toEqual({
                    token: token.slice(0, 20),
                    status: 400,
                });
                expect((answer.body as { message: string }).message).toMatch(/continuation/);
                expectDocumented(def, answer);
            }
        },
    );

    const withIntegers = HTTP.filter((f) => queryParameters(f).some((p) => p.schema.type === 'integer'));
    it.each(withIntegers.map((f) => [f.name, f] as const))(
        '%s: integers are decimal digits only (1e2, 0x10, +5, 1.0 are 400)',
        async (_, def) => {
            for (const p of queryParameters(def).filter((q) => q.schema.type === 'integer')) {
                for (const value of ['1e2', '0x10', '+5', '1.0', '0b11', ' 5']) {
                    const answer = await call(sampleUrl(def, {}, `?${p.name}=${encodeURIComponent(value)}`));
                    expect({ parameter: p.name, value, status: answer.status }).toEqual({
                        parameter: p.name,
                        value,
                        status: 400,
                    });
                    expect((answer.body as { message: string }).message).toContain(`'${p.name}'`);
                    expectDocumented(def, answer);
                }
                const ok = await call(
                    sampleUrl(
                        def,
                        {},
                        `?${p.name}=${typeof p.schema.minimum === 'number' ? p.schema.minimum : 1}`,
                    ),
                );
                expect({ parameter: p.name, status: ok.status }).not.toEqual({
                    parameter: p.name,
                    status: 400,
                });
            }
        },
    );

    const perVessel404 = HTTP.filter(
        (f) => /\{mmsi\}/.test(f.options.route) && (f.api.errors ?? []).includes(404),
    );
    it('says 404 for a vessel never seen on the vessel, track and sensors routes', () => {
        expect(perVessel404.map((f) => f.name)).toEqual(
            expect.arrayContaining(['getVessel', 'getVesselTrack', 'getVesselSensors']),
        );
    });

    it.each(perVessel404.map((f) => [f.name, f] as const))(
        '%s: a vessel never seen is 404 not_found; a seen one is not',
        async (_, def) => {
            const unknown = await call(sampleUrl(def, { mmsi: NEVER_SEEN }));
            expect(unknown.status).toBe(404);
            expect(unknown.body).toMatchObject({
                error: 'not_found',
                message: expect.stringContaining(NEVER_SEEN),
            });
            expectDocumented(def, unknown);
            expect((await call(sampleUrl(def))).status).toBe(200);
        },
    );
});

describe('continuation tokens the API hands out', () => {
    it('page through the vessels (the token of one page gives the next, the same token with other filters is 400)', async () => {
        const seen: number[] = [];
        let url = `${base}/api/vessels?limit=1`;
        for (let i = 0; i < 10; i++) {
            const page = (await call(url)).body as { items: { mmsi: number }[]; continuation?: string };
            seen.push(...page.items.map((v) => v.mmsi));
            if (page.continuation === undefined) break;
            expect(page.continuation).toMatch(/^[A-Za-z0-9_-]+$/);
            const other = await call(
                `${base}/api/vessels?limit=1&category=cargo&continuation=${page.continuation}`,
            );
            expect(other.status).toBe(400);
            url = `${base}/api/vessels?limit=1&continuation=${page.continuation}`;
        }
        expect(seen.sort()).toEqual(SEEN);
    });
});
