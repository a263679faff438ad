import { describe, expect, it } from '@jest/globals';

import type { VesselState } from '../../../../shared/app/ports.js';
import { enrich, fixOf } from '../../../../shared/domain/enrichment/enrich.js';
import { applyToState } from '../../../../shared/domain/enrichment/mergeState.js';
import { h3Cell } from '../../../../shared/domain/geo/geo.js';
import type {
    OtherAisMessage,
    PositionReport,
    StaticReport,
    VesselRecord,
} from '../../../../shared/domain/records.js';
import { validateRecord } from '../../../../shared/domain/validation/rules.js';

const T0 = Date.UTC(2025, 4, 1, 12, 0, 0);
const NOW = T0 + 3_600_000;
const MMSI = 211476060;

const positionFactory = (over: Partial<PositionReport> = {}): PositionReport => ({
    kind: 'position',
    format: 'nmea',
    mmsi: MMSI,
    msgType: 1,
    eventTime: T0 + 60_000,
    lat: 54.3,
    lon: 10.1,
    sog: 12,
    cog: 0,
    heading: 1,
    navStatus: 0,
    aisClass: 'A',
    ...over,
});

const type5Factory = (over: Partial<StaticReport> = {}): StaticReport => ({
    kind: 'static',
    format: 'nmea',
    mmsi: MMSI,
    msgType: 5,
    eventTime: T0,
    imo: 9134270,
    callSign: 'DABC',
    name: 'NORDIC STAR',
    shipType: 70,
    toBow: 150,
    toStern: 30,
    toPort: 12,
    toStarboard: 13,
    length: 180,
    width: 25,
    draught: 9.2,
    destination: 'HAMBURG',
    eta: '05-02T06:00Z',
    aisClass: 'A',
    ...over,
});

/** Runs a batch through validate, enrich and applyToState as the ingest does, returning the silver rows. */
function runBatch(records: VesselRecord[], stored?: VesselState) {
    let state = stored;
    let previousFix: ReturnType<typeof fixOf>;
    const rows = [];
    for (const input of records) {
        const v = validateRecord(input, { now: NOW });
        if (!v.ok) throw new Error(v.reason);
        const e = enrich(v.record, state, previousFix, {}, v.flags);
        rows.push(e);
        state = applyToState(state, v.record, e, NOW) ?? state;
        previousFix = fixOf(v.record) ?? previousFix;
    }
    return { rows, state };
}

describe('enrich', () => {
    it('joins a type 5 into the positions that follow it', () => {
        // Arrange: a type 5 then two positions 0.2 nm apart, 60 s apart (12 kn).
        const records = [
            type5Factory(),
            positionFactory(),
            positionFactory({ eventTime: T0 + 120_000, lat: 54.3 + 0.2 / 60, navStatus: 7 }),
        ];

        // Act
        const { rows } = runBatch(records);

        // Assert
        expect(rows[1]).toEqual({
            mmsiClass: 'ship',
            mid: 211,
            flag: 'DE',
            flagCountry: 'Germany',
            shipType: 70,
            shipTypeText: 'Cargo, all ships of this type',
            shipCategory: 'cargo',
            navStatusText: 'Under way using engine',
            name: 'NORDIC STAR',
            imo: 9134270,
            callSign: 'DABC',
            toBow: 150,
            toStern: 30,
            toPort: 12,
            toStarboard: 13,
            length: 180,
            width: 25,
            draught: 9.2,
            destination: 'HAMBURG',
            eta: '05-02T06:00Z',
            cell: h3Cell(54.3, 10.1, 7),
            distanceNm: undefined,
            elapsedS: undefined,
            impliedSpeedKn: undefined,
            flags: [],
        });
        expect(rows[2]).toMatchObject({
            name: 'NORDIC STAR',
            navStatusText: 'Engaged in fishing',
            elapsedS: 60,
            flags: [],
        });
        expect(rows[2]!.distanceNm).toBeCloseTo(0.2, 3);
        expect(rows[2]!.impliedSpeedKn).toBeCloseTo(12, 1);
    });

    it('enriches a type 5 row with its own fields, and the type text', () => {
        const { rows } = runBatch([type5Factory({ shipType: 80 })]);
        expect(rows[0]).toMatchObject({
            name: 'NORDIC STAR',
            shipType: 80,
            shipTypeText: 'Tanker, all ships of this type',
            shipCategory: 'tanker',
            cell: undefined,
            navStatusText: undefined,
            distanceNm: undefined,
        });
    });

    it('prefers the record own static fields and fills the rest from the known state (type 24 part B)', () => {
        // Arrange: the state knows the name from part A; part B brings type, call sign and dimensions.
        const { state } = runBatch([type5Factory({ msgType: 24, part: 'A', name: 'SEA BIRD' })]);
        const partB: StaticReport = {
            kind: 'static',
            format: 'nmea',
            mmsi: MMSI,
            msgType: 24,
            part: 'B',
            eventTime: T0 + 10_000,
            shipType: 37,
            callSign: 'DK1234',
            toBow: 8,
            toStern: 4,
        };

        // Act
        const e = enrich(partB, state, undefined);

        // Assert
        expect(e).toMatchObject({
            name: 'SEA BIRD',
            callSign: 'DK1234',
            shipType: 37,
            shipTypeText: 'Pleasure craft',
            shipCategory: 'pleasure',
            toBow: 8,
            toStern: 4,
            toPort: 12,
        });
    });

    it('measures from the stored position when the batch has no earlier fix, and flags a jump', () => {
        // Arrange: stored at 54.3 N at T0; the new fix is 10 nm north 60 s later (600 kn).
        const { state } = runBatch([positionFactory({ eventTime: T0 })]);
        const jumped = positionFactory({ eventTime: T0 + 60_000, lat: 54.3 + 10 / 60 });

        // Act
        const e = enrich(jumped, state, undefined, {}, ['IMPLAUSIBLE_SPEED']);

        // Assert
        expect(e.elapsedS).toBe(60);
        expect(e.distanceNm).toBeCloseTo(10, 1);
        expect(e.impliedSpeedKn).toBeCloseTo(600, -1);
        expect(e.flags).toEqual(['IMPLAUSIBLE_SPEED', 'IMPLAUSIBLE_JUMP']);
    });

    it('prefers the previous fix of the batch over the stored position', () => {
        const { state } = runBatch([positionFactory({ eventTime: T0, lat: 50 })]);
        const e = enrich(positionFactory({ eventTime: T0 + 60_000 }), state, {
            eventTime: T0 + 30_000,
            lat: 54.3,
            lon: 10.1,
        });
        expect(e).toMatchObject({ distanceNm: 0, elapsedS: 30, impliedSpeedKn: 0, flags: [] });
    });

    it('measures back to a later previous fix with a negative elapsed time', () => {
        const e = enrich(positionFactory({ eventTime: T0 }), undefined, {
            eventTime: T0 + 120_000,
            lat: 54.3 + 0.2 / 60,
            lon: 10.1,
        });
        expect(e.elapsedS).toBe(-120);
        expect(e.impliedSpeedKn).toBeCloseTo(6, 1);
        expect(e.flags).toEqual([]);
    });

    it.each<[string, VesselRecord, Record<string, unknown>]>([
        [
            'a base station report',
            {
                kind: 'other',
                format: 'nmea',
                mmsi: 2573425,
                msgType: 4,
                fields: {},
            } satisfies OtherAisMessage,
            { mmsiClass: 'coast-station', mid: 257, flag: 'NO', flagCountry: 'Norway', cell: undefined },
        ],
        [
            'a SART',
            positionFactory({ mmsi: 970241023 }),
            { mmsiClass: 'sart', mid: undefined, flag: undefined, cell: h3Cell(54.3, 10.1, 7) },
        ],
        [
            'a ship type outside the table',
            type5Factory({ shipType: 150 }),
            { shipType: 150, shipTypeText: 'Not available (default)', shipCategory: 'not-available' },
        ],
        [
            'an unallocated MID',
            positionFactory({ mmsi: 299123456 }),
            { mmsiClass: 'ship', mid: 299, flag: undefined },
        ],
    ])('enriches %s', (_name, record, expected) => {
        expect(enrich(record, undefined, undefined)).toMatchObject(expected);
    });

    it('uses the configured H3 resolution', () => {
        expect(enrich(positionFactory(), undefined, undefined, { h3Resolution: 9 }).cell).toBe(
            h3Cell(54.3, 10.1, 9),
        );
    });
});

describe('fixOf', () => {
    it.each<[string, VesselRecord, ReturnType<typeof fixOf>]>([
        ['a position', positionFactory(), { eventTime: T0 + 60_000, lat: 54.3, lon: 10.1 }],
        ['a position without time', positionFactory({ eventTime: undefined }), undefined],
        ['a static report', type5Factory(), undefined],
    ])('of %s', (_name, record, expected) => {
        expect(fixOf(record)).toEqual(expected);
    });
});
