import { describe, expect, it } from '@jest/globals';

import { memoryLimitBytes } from '../../../shared/adapters/DuckDbSilverCompactor.js';

describe('memoryLimitBytes', () => {
    it("reads DuckDB's memory limits (1000s, and 1024s with i)", () => {
        expect(memoryLimitBytes('128MB')).toBe(128e6);
        expect(memoryLimitBytes('512MiB')).toBe(512 * 2 ** 20);
        expect(memoryLimitBytes('1GB')).toBe(1e9);
        expect(memoryLimitBytes('1.5 GB')).toBe(1.5e9);
        expect(memoryLimitBytes('64kb')).toBe(64e3);
        expect(memoryLimitBytes('4096')).toBe(4096);
    });

    it('rejects what is not a memory limit', () => {
        expect(() => memoryLimitBytes('lots')).toThrow(/not a DuckDB memory limit/);
    });
});
