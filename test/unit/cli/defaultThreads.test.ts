import { describe, expect, it } from '@jest/globals';

import { defaultThreads, PARALLEL_MIN_BYTES } from '../../../cli/decode/nmeaParallel.js';

describe('maritime decode default threads', () => {
    it('is 1 for a file under PARALLEL_MIN_BYTES, whatever the CPUs', () => {
        expect(defaultThreads(0, 8, 0)).toBe(1);
        expect(defaultThreads(PARALLEL_MIN_BYTES - 1, 8, 0)).toBe(1);
    });

    it('else the idle CPUs when more than two are idle, else 1 (a second thread did not pay on 2 CPUs)', () => {
        for (const size of [PARALLEL_MIN_BYTES, undefined]) {
            expect(defaultThreads(size, 2, 0)).toBe(1);
            expect(defaultThreads(size, 2, 25)).toBe(1);
            expect(defaultThreads(size, 4, 1.6)).toBe(1);
            expect(defaultThreads(size, 4, 1.4)).toBe(3);
            expect(defaultThreads(size, 8, 0)).toBe(8);
            expect(defaultThreads(size, 8, 3)).toBe(5);
            expect(defaultThreads(size, 1, 0)).toBe(1);
        }
    });
});
