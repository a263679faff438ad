/**
 * The dashboard's types of the API answers (web/src/api.ts) against the OpenAPI schemas the routes are held to
 * (functions/apiSchemas.ts): the same top-level fields, optional where the schema does not require them. A field the
 * route returns but the dashboard's type lacks (`checkAgeMs` of /api/health was one) fails here.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { API_SCHEMAS } from '../../../functions/apiSchemas.js';

const API_TS = readFileSync(new URL('../../../web/src/api.ts', import.meta.url), 'utf8');

/** The top-level fields of `export interface NAME { ... }` in web/src/api.ts: name -> optional. */
function interfaceFields(name: string): Record<string, boolean> {
    const start = API_TS.indexOf(`export interface ${name} {`);
    if (start < 0) throw new Error(`web/src/api.ts has no interface ${name}`);
    const body = API_TS.slice(start, API_TS.indexOf('\n}', start));
    const fields: Record<string, boolean> = {};
    for (const m of body.matchAll(/^ {4}(\w+)(\??):/gm)) fields[m[1]!] = m[2] === '?';
    return fields;
}

/** The schema's top-level properties: name -> optional (not in `required`). */
function schemaFields(name: string): Record<string, boolean> {
    const schema = API_SCHEMAS[name] as { properties: Record<string, unknown>; required?: string[] };
    return Object.fromEntries(
        Object.keys(schema.properties).map((k) => [k, !(schema.required ?? []).includes(k)]),
    );
}

describe("the dashboard's API types", () => {
    it.each([['Health'], ['IngestRate']])('%s has the fields of its schema', (name) => {
        const web = interfaceFields(name);
        const schema = schemaFields(name);
        // Every field the dashboard reads is served; every required field served is in its type, not optional.
        for (const field of Object.keys(web))
            expect({ field, served: field in schema }).toEqual({ field, served: true });
        for (const [field, optional] of Object.entries(schema))
            if (!optional) expect({ field, web: web[field] }).toEqual({ field, web: false });
    });
});
