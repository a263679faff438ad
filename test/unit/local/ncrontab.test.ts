import { describe, expect, it } from '@jest/globals';

import { nextOccurrence, parseNcrontab } from '../../../local/ncrontab.js';

const at = (iso: string): number => Date.parse(iso);

describe('ncrontab', () => {
    it.each([
        ['0 */5 * * * *', '2026-11-24T10:03:17Z', '2026-11-24T10:05:00Z'],
        ['0 0 * * * *', '2026-11-24T10:00:00Z', '2026-11-24T11:00:00Z'],
        ['30 15 2 * * *', '2026-11-24T10:00:00Z', '2026-11-25T02:15:30Z'],
        ['0 0 0 1 1 *', '2026-11-24T10:00:00Z', '2027-01-01T00:00:00Z'],
        ['0 0 9 * * 1-5', '2026-11-28T10:00:00Z', '2026-11-30T09:00:00Z'],
        ['*/10 * * * * *', '2026-11-24T10:00:01Z', '2026-11-24T10:00:10Z'],
    ])('%s after %s is %s', (expr, after, expected) => {
        expect(new Date(nextOccurrence(parseNcrontab(expr), at(after))).toISOString()).toBe(
            new Date(at(expected)).toISOString(),
        );
    });

    it.each(['* * * * *', '61 * * * * *', '0 0 25 * * *', 'a b c d e f'])('rejects %j', (expr) => {
        expect(() => parseNcrontab(expr)).toThrow(/NCRONTAB/);
    });
});
