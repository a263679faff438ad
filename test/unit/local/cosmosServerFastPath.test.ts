/**
 * The query fast path's stripUndefined (local/cosmosServerFastPath.ts, run on the Cosmos-protocol server's thread):
 * the package's result (undefined dropped from arrays and objects), and a value with nothing to drop is the same
 * object, not a copy (stored documents are serialised from the objects the server holds). The answers through the
 * real SDK are compared with the package as published in test/integration/local/cosmosServer.test.ts.
 */
import { describe, expect, it } from '@jest/globals';

import { FAST_PATH_SOURCE } from '../../../local/cosmosServerFastPath.js';

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const source = new Function(`${FAST_PATH_SOURCE}\nreturn stripUndefined;`) as () => (v: unknown) => unknown;
const stripUndefined = source();

describe('Cosmos-protocol server fast path: stripUndefined', () => {
    it('returns a document with nothing to drop as it is, nested arrays and objects included', () => {
        const doc = {
            id: 'track-1',
            mmsi: 1,
            points: [
                { t: 1, lat: 2, lon: 3 },
                { t: 2, lat: 2, lon: 3, e: 7 },
            ],
        };
        const page = [doc, { id: 'state', n: null, s: '', z: 0 }];
        expect(stripUndefined(page)).toBe(page);
        expect(stripUndefined(doc)).toBe(doc);
        expect(stripUndefined(null)).toBeNull();
        expect(stripUndefined(5)).toBe(5);
    });

    it('drops undefined from arrays and objects at any depth, copying only what changes, keys in order', () => {
        const kept = { a: [1, 2] };
        const input = [1, undefined, { x: 1, y: undefined, z: [undefined, 3], w: kept }, undefined];
        const out = stripUndefined(input) as unknown[];
        expect(out).toEqual([1, { x: 1, z: [3], w: { a: [1, 2] } }]);
        expect(Object.keys(out[1] as object)).toEqual(['x', 'z', 'w']);
        expect((out[1] as { w: unknown }).w).toBe(kept);
        expect(input).toHaveLength(4); // the input is not changed
        expect(input[2]).toHaveProperty('y');
        expect(stripUndefined({ a: 1, b: { c: undefined } })).toEqual({ a: 1, b: {} });
    });
});
