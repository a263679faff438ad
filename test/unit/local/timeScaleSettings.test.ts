import { describe, expect, it } from '@jest/globals';

import { nextOccurrence, parseNcrontab } from '../../../local/ncrontab.js';
import { timeScaleSettings } from '../../../local/run.js';

const NOW = Date.UTC(2026, 11, 3, 16, 4, 10);

describe('timeScaleSettings', () => {
    it('runs the gold timers and the silver compaction every minute, compaction half a minute after gold', () => {
        const s = timeScaleSettings(12 * 3_600_000, NOW);
        expect(s).toMatchObject({
            GOLD_SCHEDULE: '0 * * * * *',
            SENSOR_HOURLY_SCHEDULE: '0 * * * * *',
            COMPLIANCE_SCHEDULE: '0 * * * * *',
            COMPACTION_SCHEDULE: '30 * * * * *',
            GOLD_LATE_HORIZON_DAYS: '1',
        });
        const gold = nextOccurrence(parseNcrontab(s.GOLD_SCHEDULE!), NOW);
        const compaction = nextOccurrence(parseNcrontab(s.COMPACTION_SCHEDULE!), gold);
        expect(compaction - gold).toBe(30_000);
        expect(nextOccurrence(parseNcrontab(s.COMPACTION_SCHEDULE!), compaction) - compaction).toBe(60_000);
    });

    it('leaves a schedule the environment sets alone', () => {
        const s = timeScaleSettings(12 * 3_600_000, NOW, { COMPACTION_SCHEDULE: '0 20 * * * *' });
        expect(s).not.toHaveProperty('COMPACTION_SCHEDULE');
        expect(s.GOLD_SCHEDULE).toBe('0 * * * * *');
    });
});
