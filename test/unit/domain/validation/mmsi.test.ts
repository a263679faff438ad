import { describe, expect, it } from '@jest/globals';

import { classifyMmsi, isValidMmsiShape, type MmsiClass } from '../../../../shared/domain/validation/mmsi.js';

describe('classifyMmsi', () => {
    it.each<[number, MmsiClass, number | undefined]>([
        [211476060, 'ship', 211],
        [366123456, 'ship', 366],
        [775000001, 'ship', 775],
        [25634906, 'group', 256], // 025634906
        [36999999, 'group', 369], // 036999999
        [2573425, 'coast-station', 257], // 002573425
        [2320004, 'coast-station', 232], // 002320004 (AIS base station)
        [111232506, 'sar-aircraft', 232],
        [842517724, 'handheld', 425],
        [992351000, 'aton', 235],
        [993661234, 'aton', 366],
        [982351234, 'auxiliary', 235],
        [970241023, 'sart', undefined],
        [972345000, 'mob', undefined],
        [974123456, 'epirb', undefined],
        [979123456, 'amrd', undefined],
    ])('classifies %i as %s with MID %s', (mmsi, mmsiClass, mid) => {
        // Act
        const info = classifyMmsi(mmsi);

        // Assert
        expect(info).toEqual(
            mid === undefined ? { valid: true, mmsiClass } : { valid: true, mmsiClass, mid },
        );
    });

    it.each([
        [123456789, 'leading 1 without 111'],
        [111123456, 'SAR aircraft with MID 123'],
        [1234, '000001234: no format starts with 000'],
        [812345678, 'handheld with MID 123'],
        [990123456, 'AtoN with MID 012'],
        [971356034, '971 is not a device prefix'],
        [999999999, 'AtoN with MID 999'],
        [8123456, 'coast station with MID 812'],
    ])('classifies %i as unknown but valid (%s)', (mmsi) => {
        expect(classifyMmsi(mmsi)).toEqual({ valid: true, mmsiClass: 'unknown' });
    });

    it.each([0, -1, 1_000_000_000, 2114760601, 211476060.5, Number.NaN, Number.POSITIVE_INFINITY])(
        'rejects %s as invalid',
        (mmsi) => {
            expect(classifyMmsi(mmsi)).toEqual({ valid: false, mmsiClass: 'unknown' });
            expect(isValidMmsiShape(mmsi)).toBe(false);
        },
    );

    it.each([1, 999_999_999, 211476060])('accepts the shape of %i', (mmsi) => {
        expect(isValidMmsiShape(mmsi)).toBe(true);
    });
});
