import { describe, expect, it } from '@jest/globals';

import { type Fix, isImplausibleJump, movement } from '../../../../shared/domain/validation/jumps.js';

const T0 = Date.UTC(2025, 4, 1, 12, 0, 0);
// One minute of latitude: 1.0007 nm on the IUGG mean sphere.
const ONE_NM_LAT = 1 / 60;
const fixFactory = (dtS: number, dLat: number): Fix => ({
    eventTime: T0 + dtS * 1000,
    lat: 54 + dLat,
    lon: 10,
});

describe('movement', () => {
    it.each<[string, Fix, number, number | undefined, boolean]>([
        ['1 nm in 120 s (30 kn)', fixFactory(120, ONE_NM_LAT), 120, 30.02, false],
        ['1 nm in 60 s (60 kn)', fixFactory(60, ONE_NM_LAT), 60, 60.04, true],
        ['1 nm in 72 s (50 kn): not above the threshold', fixFactory(72.1, ONE_NM_LAT), 72.1, 49.97, false],
        ['1 nm with the previous fix 60 s later', fixFactory(-60, ONE_NM_LAT), -60, 60.04, true],
        ['1 nm at the same time', fixFactory(0, ONE_NM_LAT), 0, undefined, true],
        [
            '0.05 nm in 1 s (GNSS noise, 180 kn): below the jump distance',
            fixFactory(1, ONE_NM_LAT / 20),
            1,
            180.12,
            false,
        ],
        ['no move at the same time', fixFactory(0, 0), 0, undefined, false],
        ['10 nm in an hour', fixFactory(3600, 10 * ONE_NM_LAT), 3600, 10.01, false],
    ])('%s', (_name, current, elapsedS, impliedSpeedKn, jump) => {
        // Act
        const m = movement(fixFactory(0, 0), current);

        // Assert
        expect(m.elapsedS).toBe(elapsedS);
        expect(m.jump).toBe(jump);
        if (impliedSpeedKn === undefined) expect(m.impliedSpeedKn).toBeUndefined();
        else expect(m.impliedSpeedKn).toBeCloseTo(impliedSpeedKn, 1);
        expect(m.distanceNm).toBeCloseTo(Math.abs(current.lat - 54) * 60 * 1.00067, 3);
    });

    it.each([
        [{ implausibleSpeedKnots: 70 }, false],
        [{ implausibleSpeedKnots: 30 }, true],
        [{ minJumpDistanceNm: 2 }, false],
    ])('honours the options %j for 1 nm in 60 s', (options, jump) => {
        expect(movement(fixFactory(0, 0), fixFactory(60, ONE_NM_LAT), options).jump).toBe(jump);
    });
});

describe('isImplausibleJump', () => {
    it.each([
        [10, 0, true],
        [10, -600, true],
        [10, 600, true],
        [10, 1200, false],
        [0.1, 0, false],
        [0.11, 0, true],
        [Number.NaN, 10, false],
    ])('%d nm in %d s → %s', (distanceNm, elapsedS, jump) => {
        expect(isImplausibleJump(distanceNm, elapsedS)).toBe(jump);
    });
});
