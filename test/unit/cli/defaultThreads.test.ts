import { describe, expect, it } from '@jest/globals';

import { defaultThreads } from '../../../cli/decode/nmeaParallel.js';

describe('maritime decode default threads', () => {
    it('is 1 unless more than two CPUs are idle (a worker never paid on 2 CPUs, quiet or busy)', () => {
        expect(defaultThreads(2, 0)).toBe(1);
        expect(defaultThreads(2, 0.4)).toBe(1);
        expect(defaultThreads(2, 25)).toBe(1);
        expect(defaultThreads(4, 1.6)).toBe(1);
        expect(defaultThreads(4, 1.4)).toBe(3);
        expect(defaultThreads(8, 0)).toBe(8);
        expect(defaultThreads(8, 3)).toBe(5);
        expect(defaultThreads(1, 0)).toBe(1);
    });
});
