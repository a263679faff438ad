import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import type { VesselState } from '../../../../shared/app/ports.js';
import { enrich } from '../../../../shared/domain/enrichment/enrich.js';
import { applyToState, type MergedVesselStatic } from '../../../../shared/domain/enrichment/mergeState.js';
import { h3Cell } from '../../../../shared/domain/geo/geo.js';
import type {
    OtherAisMessage,
    PositionReport,
    StaticReport,
    VesselRecord,
} from '../../../../shared/domain/records.js';

const T0 = Date.UTC(2025, 4, 1, 12, 0, 0);
const NOW = T0 + 86_400_000;
const MMSI = 211476060;

const positionFactory = (over: Partial<PositionReport> = {}): PositionReport => ({
    kind: 'position',
    format: 'nmea',
    mmsi: MMSI,
    msgType: 1,
    eventTime: T0,
    lat: 54.3,
    lon: 10.1,
    sog: 12,
    navStatus: 0,
    ...over,
});

const staticFactory = (over: Partial<StaticReport> = {}): StaticReport => ({
    kind: 'static',
    format: 'nmea',
    mmsi: MMSI,
    msgType: 5,
    eventTime: T0,
    ...over,
});

const otherFactory = (eventTime: number): OtherAisMessage => ({
    kind: 'other',
    format: 'nmea',
    mmsi: MMSI,
    msgType: 8,
    eventTime,
    fields: {},
});

const apply = (prev: VesselState | undefined, record: VesselRecord, now = NOW) =>
    applyToState(prev, record, enrich(record, prev, undefined), now);

/** Folds records the way the ingest does: an unchanged state stays as it was. */
const fold = (records: readonly VesselRecord[], start?: VesselState): VesselState | undefined =>
    records.reduce<VesselState | undefined>((state, r) => apply(state, r) ?? state, start);

/** Deep-freezes a state so a test fails if applyToState mutates its input. */
function frozen<T>(value: T): T {
    if (value !== null && typeof value === 'object') {
        for (const v of Object.values(value)) frozen(v);
        Object.freeze(value);
    }
    return value;
}

describe('applyToState', () => {
    it('creates the state of a new vessel from a position', () => {
        expect(apply(undefined, positionFactory({ aisClass: 'A' }))).toEqual({
            mmsi: MMSI,
            flag: 'DE',
            flagCountry: 'Germany',
            mmsiClass: 'ship',
            aisClass: 'A',
            position: {
                eventTime: T0,
                lat: 54.3,
                lon: 10.1,
                sog: 12,
                navStatus: 0,
                navStatusText: 'Under way using engine',
                cell: h3Cell(54.3, 10.1, 7),
                msgType: 1,
            },
            lastSeen: T0,
            updatedAt: NOW,
        });
    });

    it('moves the position forward for a newer fix', () => {
        const prev = frozen(apply(undefined, positionFactory())!);
        const next = apply(prev, positionFactory({ eventTime: T0 + 10_000, lat: 54.31, sog: undefined }));
        expect(next?.position).toMatchObject({ eventTime: T0 + 10_000, lat: 54.31 });
        expect(next?.position?.sog).toBeUndefined();
        expect(next?.lastSeen).toBe(T0 + 10_000);
    });

    it.each([
        ['an older fix', positionFactory({ eventTime: T0 - 1, lat: 10 })],
        ['a replay of the same fix', positionFactory()],
        ['an older type 5', staticFactory({ eventTime: T0 - 1, name: 'OLD NAME' })],
        ['an older other message', otherFactory(T0 - 1)],
    ])('leaves the state unchanged (undefined) for %s', (_name, record) => {
        // Arrange
        const prev = frozen(fold([staticFactory({ name: 'NEW NAME' }), positionFactory()])!);

        // Act, Assert
        expect(apply(prev, record)).toBeUndefined();
    });

    it('never moves a ship backwards: a late fix updates lastSeen only if it is the latest event', () => {
        const late = fold([
            positionFactory({ eventTime: T0 + 60_000, lat: 55 }),
            positionFactory({ lat: 54 }),
        ]);
        expect(late?.position).toMatchObject({ eventTime: T0 + 60_000, lat: 55 });
        expect(late?.lastSeen).toBe(T0 + 60_000);
    });

    it('settles equal event times by content, whatever the order', () => {
        const a = positionFactory({ lat: 54.3 });
        const b = positionFactory({ lat: 54.4 });
        expect(fold([a, b])?.position?.lat).toBe(54.4);
        expect(fold([b, a])?.position?.lat).toBe(54.4);
    });

    it('merges type 24 parts A and B without erasing, in either order and with B older', () => {
        // Arrange
        const partA = staticFactory({ msgType: 24, part: 'A', eventTime: T0 + 5000, name: 'SEA BIRD' });
        const partB = staticFactory({
            msgType: 24,
            part: 'B',
            eventTime: T0,
            shipType: 37,
            callSign: 'DK1234',
            toBow: 8,
            toStern: 4,
            toPort: 1,
            toStarboard: 2,
        });
        const expected: MergedVesselStatic = {
            eventTime: T0 + 5000,
            name: 'SEA BIRD',
            shipType: 37,
            shipTypeText: 'Pleasure craft',
            shipCategory: 'pleasure',
            callSign: 'DK1234',
            toBow: 8,
            toStern: 4,
            toPort: 1,
            toStarboard: 2,
            fieldTimes: {
                name: T0 + 5000,
                shipType: T0,
                callSign: T0,
                toBow: T0,
                toStern: T0,
                toPort: T0,
                toStarboard: T0,
            },
        };

        // Act, Assert (fieldSince: each field's value first held at its own time here)
        expect(fold([partA, partB])?.static).toEqual({ ...expected, fieldSince: expected.fieldTimes });
        expect(fold([partB, partA])?.static).toEqual({ ...expected, fieldSince: expected.fieldTimes });
    });

    it('keeps the newer value of each field: a late type 5 fills gaps but overwrites nothing newer', () => {
        // Arrange: part A renamed the ship at T0+10s; a type 5 from T0 arrives afterwards.
        const state = fold([
            staticFactory({ msgType: 24, part: 'A', eventTime: T0 + 10_000, name: 'NEW NAME' }),
        ]);
        const lateType5 = staticFactory({
            eventTime: T0,
            name: 'OLD NAME',
            imo: 9134270,
            destination: 'KIEL',
        });

        // Act
        const next = apply(frozen(state), lateType5);

        // Assert
        expect(next?.static).toMatchObject({
            eventTime: T0 + 10_000,
            name: 'NEW NAME',
            imo: 9134270,
            destination: 'KIEL',
        });
        expect(next?.lastSeen).toBe(T0 + 10_000);
    });

    it('does not erase a field with an empty string', () => {
        const state = fold([
            staticFactory({ name: 'NORDIC STAR' }),
            staticFactory({ eventTime: T0 + 1, name: '' }),
        ]);
        expect(state?.static?.name).toBe('NORDIC STAR');
    });

    it('reads a stored static without fieldTimes as "every field at static.eventTime"', () => {
        // Arrange: a document written before fieldTimes existed.
        const stored: VesselState = frozen({
            mmsi: MMSI,
            static: { eventTime: T0, name: 'STORED', shipType: 70 },
            lastSeen: T0,
            updatedAt: T0,
        });

        // Act
        const older = apply(stored, staticFactory({ eventTime: T0 - 1, name: 'OLDER', callSign: 'ABCD' }));
        const newer = apply(stored, staticFactory({ eventTime: T0 + 1, name: 'NEWER' }));

        // Assert
        expect(older?.static).toMatchObject({ name: 'STORED', callSign: 'ABCD', shipType: 70 });
        expect(older?.static).toMatchObject({ fieldTimes: { name: T0, shipType: T0, callSign: T0 - 1 } });
        expect(newer?.static).toMatchObject({ eventTime: T0 + 1, name: 'NEWER', shipType: 70 });
    });

    it('updates lastSeen from any record kind, taking the maximum', () => {
        const state = fold([positionFactory(), otherFactory(T0 + 30_000)]);
        expect(state?.lastSeen).toBe(T0 + 30_000);
        expect(state?.position?.eventTime).toBe(T0);
    });

    it('applies a record without an event time at the processing time', () => {
        const next = applyToState(undefined, positionFactory({ eventTime: undefined }), {}, NOW);
        expect(next).toMatchObject({ lastSeen: NOW, updatedAt: NOW, position: { eventTime: NOW } });
    });

    it('sets updatedAt to now only when the state changes', () => {
        const first = apply(undefined, positionFactory(), T0 + 1000);
        const second = apply(first, positionFactory({ eventTime: T0 + 1 }), T0 + 2000);
        expect(first?.updatedAt).toBe(T0 + 1000);
        expect(second?.updatedAt).toBe(T0 + 2000);
    });
});

describe('applyToState ordering properties', () => {
    // Few distinct times and values, so ties and overwrites are frequent.
    const time = fc.integer({ min: 0, max: 6 }).map((s) => T0 + s * 1000);
    const aisClass = fc.constantFrom<'A' | undefined>('A', undefined);
    const position = fc
        .record({
            eventTime: time,
            lat: fc.constantFrom(54, 54.1, 54.2),
            lon: fc.constantFrom(10, 10.1),
            sog: fc.option(fc.constantFrom(0, 5.5, 12), { nil: undefined }),
            navStatus: fc.option(fc.constantFrom(0, 1, 5), { nil: undefined }),
            aisClass,
        })
        .map((p) => positionFactory(p));
    const partA = fc
        .record({ eventTime: time, name: fc.constantFrom('ALPHA', 'BRAVO', ''), aisClass })
        .map((p) => staticFactory({ msgType: 24, part: 'A', ...p }));
    const partB = fc
        .record({
            eventTime: time,
            shipType: fc.constantFrom(30, 37, 70),
            callSign: fc.constantFrom('AB12', 'CD34'),
            toBow: fc.constantFrom(5, 10),
            aisClass,
        })
        .map((p) => staticFactory({ msgType: 24, part: 'B', ...p }));
    const type5 = fc
        .record({
            eventTime: time,
            name: fc.constantFrom('ALPHA', 'CHARLIE'),
            imo: fc.option(fc.constantFrom(9134270, 9383663), { nil: undefined }),
            shipType: fc.constantFrom(70, 80),
            destination: fc.option(fc.constantFrom('KIEL', 'HAMBURG'), { nil: undefined }),
            draught: fc.option(fc.constantFrom(5, 9.2), { nil: undefined }),
        })
        .map((p) => staticFactory(p));
    const other = time.map((t) => otherFactory(t));
    const record = fc.oneof(position, partA, partB, type5, other);
    const recordsAndPermutation = fc
        .array(record, { minLength: 1, maxLength: 12 })
        .chain((rs) =>
            fc.tuple(
                fc.constant(rs),
                fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }),
            ),
        );

    it('gives the same final state for any order of the same records', () => {
        fc.assert(
            fc.property(recordsAndPermutation, ([records, shuffled]) => {
                expect(withoutSince(fold(shuffled))).toEqual(withoutSince(fold(records)));
            }),
            { numRuns: 500 },
        );
    });

    it('is idempotent: replaying the records changes nothing', () => {
        fc.assert(
            fc.property(recordsAndPermutation, ([records, shuffled]) => {
                const state = fold(records);
                expect(shuffled.every((r) => apply(state, r) === undefined)).toBe(true);
            }),
            { numRuns: 300 },
        );
    });

    it('keeps the latest position and the latest event time', () => {
        fc.assert(
            fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), (records) => {
                const state = fold(records);
                const times = records.map((r) => r.eventTime!);
                const fixTimes = records.filter((r) => r.kind === 'position').map((r) => r.eventTime!);
                expect(state?.lastSeen).toBe(Math.max(...times));
                expect(state?.position?.eventTime).toBe(
                    fixTimes.length > 0 ? Math.max(...fixTimes) : undefined,
                );
            }),
            { numRuns: 300 },
        );
    });

    it('splits like a batch: folding two halves through a stored state equals folding all at once', () => {
        fc.assert(
            fc.property(recordsAndPermutation, fc.nat(), ([records, shuffled], cut) => {
                const k = cut % (shuffled.length + 1);
                const stored = structuredClone(fold(shuffled.slice(0, k)));
                expect(withoutSince(fold(shuffled.slice(k), stored))).toEqual(withoutSince(fold(records)));
            }),
            { numRuns: 300 },
        );
    });
});

/**
 * fieldSince (when a field's current value was first held) is exact for records in event-time order only: the
 * order-independence properties compare states without it.
 */
function withoutSince(state: VesselState | undefined): VesselState | undefined {
    if (state?.static?.fieldSince === undefined) return state;
    const { fieldSince: _since, ...rest } = state.static;
    return { ...state, static: rest };
}
