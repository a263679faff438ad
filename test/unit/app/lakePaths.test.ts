import { describe, expect, it } from '@jest/globals';

import { bronzePath, datePartition, quarantinePath, silverPath } from '../../../shared/app/lakePaths.js';
import { hourStart } from '../../../shared/domain/time.js';

const batch = { partitionId: '3', firstSequence: 120, lastSequence: 375 };
const t = Date.UTC(2026, 10, 24, 7, 59, 59, 999);

describe('lakePaths', () => {
    it('partitions by UTC date and hour', () => {
        expect(datePartition(t)).toBe('date=2026-11-24/hour=07');
    });

    it('names blobs from the partition and sequence range, so a redelivered batch overwrites itself', () => {
        expect(bronzePath('ais', t, batch)).toBe('ais/date=2026-11-24/hour=07/3-120-375.jsonl.gz');
        expect(quarantinePath('ais', t, batch)).toBe('ais/date=2026-11-24/hour=07/3-120-375.jsonl.gz');
        expect(silverPath('ais_positions', hourStart(t), batch)).toBe(
            'ais_positions/date=2026-11-24/hour=07/3-120-375.parquet',
        );
    });

    it('floors to the hour', () => {
        expect(hourStart(t)).toBe(Date.UTC(2026, 10, 24, 7));
    });
});
