import { describe, expect, it } from '@jest/globals';

import { BatchDeduper, contentKeyOf, dedupeKey } from '../../../../shared/domain/enrichment/dedupe.js';
import type {
    OtherAisMessage,
    PositionReport,
    StaticReport,
    VesselRecord,
} from '../../../../shared/domain/records.js';

const T0 = Date.UTC(2025, 4, 1, 12, 0, 0);
const PAYLOAD = '13u?etPv2;0n:dDPwUM1U1Cb069D';

const positionFactory = (over: Partial<PositionReport> = {}): PositionReport => ({
    kind: 'position',
    format: 'nmea',
    mmsi: 211476060,
    msgType: 1,
    eventTime: T0,
    station: 'rx-1',
    lat: 54.3,
    lon: 10.1,
    sog: 12,
    cog: 90,
    second: 0,
    ...over,
});

const staticFactory = (over: Partial<StaticReport> = {}): StaticReport => ({
    kind: 'static',
    format: 'nmea',
    mmsi: 211476060,
    msgType: 5,
    eventTime: T0,
    name: 'NORDIC STAR',
    imo: 9134270,
    ...over,
});

const otherFactory = (fields: Record<string, unknown>): OtherAisMessage => ({
    kind: 'other',
    format: 'nmea',
    mmsi: 2573425,
    msgType: 4,
    eventTime: T0,
    fields,
});

describe('BatchDeduper', () => {
    it.each<[string, VesselRecord, string | undefined, VesselRecord, string | undefined, boolean]>([
        [
            'the same payload from another receiver 2 s later',
            positionFactory(),
            PAYLOAD,
            positionFactory({ station: 'rx-2', eventTime: T0 + 2000 }),
            PAYLOAD,
            true,
        ],
        [
            'the same payload 30 s later (window edge)',
            positionFactory(),
            PAYLOAD,
            positionFactory({ eventTime: T0 + 30_000 }),
            PAYLOAD,
            true,
        ],
        [
            'the same payload 60 s later (a new transmission)',
            positionFactory(),
            PAYLOAD,
            positionFactory({ eventTime: T0 + 60_000 }),
            PAYLOAD,
            false,
        ],
        [
            'the same payload 2 s earlier (out of order)',
            positionFactory(),
            PAYLOAD,
            positionFactory({ eventTime: T0 - 2000 }),
            PAYLOAD,
            true,
        ],
        ['another payload', positionFactory(), PAYLOAD, positionFactory(), `${PAYLOAD.slice(0, -1)}E`, false],
        [
            'the same decoded fields from another receiver',
            positionFactory(),
            undefined,
            positionFactory({ station: 'rx-2', eventTime: T0 + 1000 }),
            undefined,
            true,
        ],
        [
            'a CSV copy of the same row',
            positionFactory({ format: 'csv', msgType: undefined }),
            undefined,
            positionFactory({ format: 'csv', msgType: undefined }),
            undefined,
            true,
        ],
        ['different speed', positionFactory(), undefined, positionFactory({ sog: 12.1 }), undefined, false],
        [
            'a different UTC second',
            positionFactory(),
            undefined,
            positionFactory({ second: 1 }),
            undefined,
            false,
        ],
        [
            'another vessel',
            positionFactory(),
            undefined,
            positionFactory({ mmsi: 211476061 }),
            undefined,
            false,
        ],
        [
            'another message type, same fields',
            positionFactory(),
            undefined,
            positionFactory({ msgType: 3 }),
            undefined,
            false,
        ],
        [
            'the same static report',
            staticFactory(),
            undefined,
            staticFactory({ eventTime: T0 + 500 }),
            undefined,
            true,
        ],
        [
            'a static report with another destination',
            staticFactory(),
            undefined,
            staticFactory({ destination: 'KIEL' }),
            undefined,
            false,
        ],
        [
            'type 24 part A then part B',
            staticFactory({ msgType: 24, part: 'A' }),
            undefined,
            staticFactory({ msgType: 24, part: 'B' }),
            undefined,
            false,
        ],
        [
            'the same base station report',
            otherFactory({ second: 5 }),
            undefined,
            otherFactory({ second: 5 }),
            undefined,
            true,
        ],
        [
            'another base station report',
            otherFactory({ second: 5 }),
            undefined,
            otherFactory({ second: 6 }),
            undefined,
            false,
        ],
        [
            'the same payload without event times',
            positionFactory({ eventTime: undefined }),
            PAYLOAD,
            positionFactory({ eventTime: undefined }),
            PAYLOAD,
            true,
        ],
        [
            'the same payload, one without event time',
            positionFactory(),
            PAYLOAD,
            positionFactory({ eventTime: undefined }),
            PAYLOAD,
            true,
        ],
    ])('%s → duplicate %s', (_name, first, firstKey, second, secondKey, duplicate) => {
        // Arrange
        const deduper = new BatchDeduper();

        // Act
        const firstSeen = deduper.isDuplicate(first, firstKey);
        const secondSeen = deduper.isDuplicate(second, secondKey);

        // Assert
        expect(firstSeen).toBe(false);
        expect(secondSeen).toBe(duplicate);
        expect(deduper.size).toBe(
            duplicate || contentKeyOf(first, firstKey) === contentKeyOf(second, secondKey) ? 1 : 2,
        );
    });

    it('remembers every accepted copy of a repeated message', () => {
        // Arrange: a moored ship repeating the same report every 3 minutes, each heard twice.
        const deduper = new BatchDeduper();
        const times = [0, 180_000, 360_000];

        // Act
        const verdicts = times.flatMap((t) => [
            deduper.isDuplicate(positionFactory({ eventTime: T0 + t }), PAYLOAD),
            deduper.isDuplicate(positionFactory({ eventTime: T0 + t + 1500 }), PAYLOAD),
        ]);

        // Assert
        expect(verdicts).toEqual([false, true, false, true, false, true]);
        expect(deduper.isDuplicate(positionFactory({ eventTime: T0 + 180_100 }), PAYLOAD)).toBe(true);
        expect(deduper.size).toBe(1);
    });

    it('honours a custom window and clears', () => {
        const deduper = new BatchDeduper(1000);
        expect(deduper.isDuplicate(positionFactory(), PAYLOAD)).toBe(false);
        expect(deduper.isDuplicate(positionFactory({ eventTime: T0 + 1001 }), PAYLOAD)).toBe(false);
        deduper.clear();
        expect(deduper.size).toBe(0);
        expect(deduper.isDuplicate(positionFactory(), PAYLOAD)).toBe(false);
    });
});

describe('dedupeKey', () => {
    it('is the same for copies from different receivers in the same time bucket', () => {
        const a = dedupeKey(positionFactory({ station: 'rx-1', eventTime: T0 + 1000 }), PAYLOAD);
        const b = dedupeKey(positionFactory({ station: 'rx-2', eventTime: T0 + 3000 }), PAYLOAD);
        expect(a).toBe(b);
        expect(a).toBe(`211476060|1|${PAYLOAD}|${Math.floor((T0 + 1000) / 60_000)}`);
    });

    it.each<[string, VesselRecord, string | undefined]>([
        ['another bucket', positionFactory({ eventTime: T0 + 60_000 }), PAYLOAD],
        ['another payload', positionFactory(), 'x'],
        ['no event time', positionFactory({ eventTime: undefined }), PAYLOAD],
    ])('differs for %s', (_name, record, contentKey) => {
        expect(dedupeKey(record, contentKey)).not.toBe(dedupeKey(positionFactory(), PAYLOAD));
    });

    it('keys decoded content when there is no payload', () => {
        expect(dedupeKey(positionFactory())).toBe(
            dedupeKey(positionFactory({ station: 'rx-9', format: 'json' })),
        );
        expect(dedupeKey(positionFactory())).not.toBe(dedupeKey(positionFactory({ cog: 91 })));
    });
});

describe('BatchDeduper at scale', () => {
    it('never mistakes distinct messages for duplicates (hash collisions are checked field by field)', () => {
        // Arrange: 150,000 distinct position reports; with a 32-bit hash some share a bucket.
        const records = Array.from({ length: 150_000 }, (_, i) =>
            positionFactory({
                mmsi: 211000000 + (i % 1000),
                lat: 50 + Math.floor(i / 1000) * 1e-4,
                sog: i % 7,
            }),
        );
        const deduper = new BatchDeduper();

        // Act
        const first = records.filter((r) => deduper.isDuplicate(r)).length;
        const again = records.filter((r) => deduper.isDuplicate({ ...r, station: 'rx-2' })).length;

        // Assert
        expect(first).toBe(0);
        expect(again).toBe(records.length);
        expect(deduper.size).toBe(records.length);
    });
});
