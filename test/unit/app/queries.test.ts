import { describe, expect, it } from '@jest/globals';

import {
    parseBbox,
    parseContinuation,
    parseLimit,
    parseMmsi,
    parseTime,
} from '../../../shared/app/params.js';
import { ValidationError } from '../../../shared/errors.js';

describe('query parameters', () => {
    it.each(['', 'abc', '1234567890', '-1', '12.5'])(
        'rejects mmsi %j with a message naming the parameter',
        (v) => {
            expect(() => parseMmsi(v)).toThrow(ValidationError);
            expect(() => parseMmsi(v)).toThrow(/'mmsi'/);
        },
    );

    it('accepts a 9-digit mmsi', () => {
        expect(parseMmsi('366123456')).toBe(366123456);
    });

    it.each([
        ['-10,50,5,60', [-10, 50, 5, 60]],
        [' -10 , 50 , 5 , 60 ', [-10, 50, 5, 60]],
    ])('parses bbox %j', (v, expected) => {
        expect(parseBbox(v)).toEqual(expected);
    });

    it.each(['1,2,3', '10,50,5,60', '-200,0,0,1', 'a,b,c,d', '0,10,1,5'])('rejects bbox %j', (v) => {
        expect(() => parseBbox(v)).toThrow(/'bbox'/);
    });

    it('parses ISO and epoch times and rejects others', () => {
        expect(parseTime('from', '2026-11-24T00:00:00Z')).toBe(Date.UTC(2026, 10, 24));
        expect(parseTime('from', '1700000000000')).toBe(1_700_000_000_000);
        expect(parseTime('from', undefined)).toBeUndefined();
        expect(() => parseTime('from', 'yesterday')).toThrow(/'from'/);
    });

    it('bounds the page size', () => {
        expect(parseLimit(null)).toBe(100);
        expect(parseLimit('1000')).toBe(1000);
        expect(() => parseLimit('0')).toThrow(/'limit'/);
        expect(() => parseLimit('1001')).toThrow(/'limit'/);
    });

    it.each(['1e2', '0x10', '+5', '1.0', '0b11', ' 5', '5 ', '0o7', 'Infinity', '99999999999999999999'])(
        'takes integers in decimal digits only: limit %j is 400',
        (v) => {
            expect(() => parseLimit(v)).toThrow(/'limit' must be a decimal integer/);
        },
    );

    it.each(['1e1,0,2,1', '0x1,0,2,1', 'Infinity,0,1,1'])(
        'takes bbox numbers in decimal notation only: %j',
        (v) => {
            expect(() => parseBbox(v)).toThrow(/'bbox'/);
        },
    );

    it.each(['1e12', '0x10', '+1700000000000', 'Tue, 24 Nov 2026 10:00:00 GMT'])(
        'takes times as ISO 8601 or decimal epoch ms only: %j',
        (v) => {
            expect(() => parseTime('since', v)).toThrow(/'since'/);
        },
    );

    it('refuses a continuation token that cannot be one (spaces, control characters, oversized)', () => {
        expect(parseContinuation('eyJhIjoxfQ')).toBe('eyJhIjoxfQ');
        expect(parseContinuation('')).toBeUndefined();
        for (const v of ['a b', 'a\nb', 'x'.repeat(9000)])
            expect(() => parseContinuation(v)).toThrow(/'continuation'/);
    });
});
