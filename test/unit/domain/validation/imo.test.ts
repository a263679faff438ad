import { describe, expect, it } from '@jest/globals';

import { isValidImo } from '../../../../shared/domain/validation/imo.js';

describe('isValidImo', () => {
    it.each([
        [9134270, 'weighted sum 120, check digit 0'],
        [9383663, 'weighted sum 163, check digit 3'],
        [1234567, 'weighted sum 77, check digit 7'],
        [9074729, 'weighted sum 139, check digit 9'],
    ])('accepts %i (%s)', (imo) => {
        expect(isValidImo(imo)).toBe(true);
    });

    it.each([
        [9134271, 'wrong check digit'],
        [9383660, 'wrong check digit'],
        [1234568, 'wrong check digit'],
        [7654321, 'wrong check digit'],
        [123456, 'six digits'],
        [12345670, 'eight digits'],
        [0, 'not available'],
        [-9134270, 'negative'],
        [9134270.5, 'not an integer'],
        [Number.NaN, 'not a number'],
    ])('rejects %s (%s)', (imo) => {
        expect(isValidImo(imo)).toBe(false);
    });
});
