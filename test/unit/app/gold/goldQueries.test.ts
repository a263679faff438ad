import { describe, expect, it } from '@jest/globals';

import { parseDayRange } from '../../../../shared/app/gold/goldQueries.js';
import { ValidationError } from '../../../../shared/errors.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const params = (q: Record<string, string>) => (name: string) => q[name];

describe('parseDayRange', () => {
    it('defaults to the last 30 days up to today', () => {
        expect(parseDayRange(params({}), NOW)).toEqual({ from: '2026-05-12', to: '2026-06-10' });
    });

    it.each([
        [{ from: '2026-13-01' }, "'from' must be a date YYYY-MM-DD; got '2026-13-01'."],
        [{ to: 'yesterday' }, "'to' must be a date YYYY-MM-DD; got 'yesterday'."],
        [{ from: '2026-06-10', to: '2026-06-01' }, "'from' must not be after 'to'."],
        [
            { from: '2026-01-01', to: '2026-06-01' },
            'The date range may span at most 92 days; ask for several ranges.',
        ],
    ])('refuses %o with a 400 naming the parameter', (query, message) => {
        expect(() => parseDayRange(params(query), NOW)).toThrow(new ValidationError(message));
    });
});
