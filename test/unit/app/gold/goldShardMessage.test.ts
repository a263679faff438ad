import { describe, expect, it } from '@jest/globals';

import { parseGoldShardMessage } from '../../../../shared/app/gold/goldShards.js';
import { ValidationError } from '../../../../shared/errors.js';

const MESSAGE = {
    day: '2026-09-01',
    index: 2,
    count: 3,
    runStartedAt: 1_788_000_000_000,
    windowNow: 1_788_000_100_000,
    runId: 'e7f17ef8-2a3d-5145-99be-81bd235b11fb',
};

describe('parseGoldShardMessage', () => {
    it('takes the object the Functions worker gives for a JSON message, or its text', () => {
        expect(parseGoldShardMessage(MESSAGE)).toEqual(MESSAGE);
        expect(parseGoldShardMessage(JSON.stringify(MESSAGE))).toEqual(MESSAGE);
    });

    it('accepts a message without a run id (sent before messages carried one)', () => {
        const { runId: _runId, ...older } = MESSAGE;
        expect(parseGoldShardMessage(older)).toEqual(older);
    });

    it.each([
        ['not JSON', 'build 2026-09-01 please', /not JSON/],
        ['a day that does not exist', { ...MESSAGE, day: '2026-02-31' }, /day must be YYYY-MM-DD/],
        ['a shard index beyond the count', { ...MESSAGE, index: 3 }, /index must be an integer in 0\.\.2/],
        ['a count of 0', { ...MESSAGE, count: 0, index: 0 }, /count must be an integer in 1\.\.64/],
        ['a fractional run start', { ...MESSAGE, runStartedAt: 1.5 }, /runStartedAt/],
        ['a missing build time', { ...MESSAGE, windowNow: undefined }, /windowNow/],
        ['an empty run id', { ...MESSAGE, runId: '' }, /runId must be a string/],
        ['null', null, /day must be/],
    ])(
        'refuses %s with a ValidationError naming the field (the trigger then retries it into the poison queue)',
        (_what, value, message) => {
            expect(() => parseGoldShardMessage(value)).toThrow(ValidationError);
            expect(() => parseGoldShardMessage(value)).toThrow(message);
        },
    );
});
