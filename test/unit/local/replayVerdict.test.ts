/**
 * `maritime replay`'s verdict from its counts (local/run.ts): a replay from which nothing could be used (every event
 * quarantined, a file with no data) says so and exits 1, as `maritime decode` does; a replay of data that already
 * landed (all duplicates) and one with anything accepted exit 0.
 */
import { describe, expect, it } from '@jest/globals';

import { nothingUsable, replayExitCode, replayReport } from '../../../local/run.js';
import type { ReplayStats } from '../../../local/sources/ReplaySource.js';
import type { Totals } from '../../../local/stack.js';
import { type BatchCounts, emptyCounts } from '../../../shared/app/batchRecords.js';

function totals(ais: Partial<BatchCounts>, maintenance: Partial<BatchCounts> = {}): Totals {
    return {
        ...emptyCounts(),
        ...ais,
        sensors: emptyCounts(),
        maintenance: { ...emptyCounts(), ...maintenance },
        alerts: 0,
        batches: 1,
        events: ais.received ?? 0,
        lostEvents: 0,
        deadLetterDir: '/tmp/deadletter',
    };
}

function stats(over: Partial<ReplayStats> = {}): ReplayStats {
    return {
        files: 1,
        lines: 5,
        skipped: 0,
        events: 5,
        formats: {},
        skippedByReason: {},
        unsupported: [],
        empty: [],
        ...over,
    };
}

describe('replay verdict', () => {
    it('every event quarantined: NOTHING USABLE, exit 1, with the --max-age-days hint for old archives', () => {
        const t = totals({ received: 5, quarantined: 5, quarantinedByReason: { EVENT_TIME_TOO_OLD: 5 } });
        expect(nothingUsable(t)).toBe(
            'NOTHING USABLE: all 5 AIS event(s) were quarantined (reasons above), nothing reached silver or the state; for an archive, give --max-age-days N (EVENT_TIME_MAX_AGE_DAYS) to cover its dates',
        );
        expect(replayExitCode({ ...t, replay: stats() })).toBe(1);
        expect(replayReport(stats(), t)).toContain('NOTHING USABLE: all 5 AIS event(s)');
        const damaged = totals({ received: 2, quarantined: 2, quarantinedByReason: { NMEA_CHECKSUM: 2 } });
        expect(nothingUsable(damaged)).toMatch(/^NOTHING USABLE: all 2 AIS event\(s\) .*the state$/);
    });

    it('a maintenance log whose every line was quarantined is no more usable', () => {
        const t = totals({}, { received: 3, quarantined: 3 });
        expect(nothingUsable(t)).toMatch(
            /^NOTHING USABLE: all 3 maintenance log event\(s\) were quarantined/,
        );
        expect(replayExitCode(t)).toBe(1);
    });

    it('anything accepted, or all duplicates of data already landed (the same file again): usable, exit 0', () => {
        const some = totals({ received: 5, accepted: 1, quarantined: 4 });
        expect(nothingUsable(some)).toBeUndefined();
        expect(replayExitCode({ ...some, replay: stats() })).toBe(0);
        const again = totals({ received: 5, duplicates: 3, quarantined: 2 });
        expect(nothingUsable(again)).toBeUndefined();
        expect(replayExitCode({ ...again, replay: stats() })).toBe(0);
        // AIS all quarantined but the maintenance log landed: something was used
        expect(nothingUsable(totals({ received: 1, quarantined: 1 }, { received: 1, accepted: 1 }))).toBe(
            undefined,
        );
    });

    it('nothing received at all is not "all quarantined"; a file with no data or of no known format exits 1', () => {
        const none = totals({});
        expect(nothingUsable(none)).toBeUndefined();
        expect(replayExitCode({ ...none, replay: stats() })).toBe(0);
        const empty = stats({ empty: [{ file: 'a.nmea', detail: 'the file is empty' }] });
        expect(replayExitCode({ ...none, replay: empty })).toBe(1);
        expect(replayReport(empty, none)).toBe(
            'NO DATA IN FILE a.nmea: the file is empty; nothing of it was sent',
        );
        const foreign = stats({ unsupported: [{ file: 'b.csv', detail: 'expected ...' }] });
        expect(replayExitCode({ ...none, replay: foreign })).toBe(1);
    });

    it('skipped (dead-lettered) batches fail the replay as before, without NOTHING USABLE', () => {
        const t = totals({ received: 4, skipped: 4 });
        expect(nothingUsable(t)).toBeUndefined();
        expect(replayExitCode({ ...t, replay: stats() })).toBe(1);
    });
});
