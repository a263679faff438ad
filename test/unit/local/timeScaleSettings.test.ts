import { describe, expect, it } from '@jest/globals';

import { timeScaleSettings } from '../../../local/run.js';

const HOUR = 3_600_000;

describe('timeScaleSettings', () => {
    it('compacts back to the start of the first day the gold timers build, not 48 hours', () => {
        const now = Date.parse('2026-12-04T04:12:00Z');
        const settings = timeScaleSettings(12 * HOUR, now);
        // history from 2026-12-03 16:12: yesterday and today are built, so 28 h 12 min back to 2026-12-03 00:00
        expect(settings.GOLD_LATE_HORIZON_DAYS).toBe('1');
        expect(settings.COMPACTION_LOOKBACK_HOURS).toBe('29');
        // a history within today: back to today's midnight
        expect(timeScaleSettings(2 * HOUR, now).COMPACTION_LOOKBACK_HOURS).toBe('5');
    });

    it('leaves a setting given in the environment alone', () => {
        const settings = timeScaleSettings(12 * HOUR, Date.parse('2026-12-04T04:12:00Z'), {
            COMPACTION_LOOKBACK_HOURS: '48',
        });
        expect(settings.COMPACTION_LOOKBACK_HOURS).toBeUndefined();
    });
});
