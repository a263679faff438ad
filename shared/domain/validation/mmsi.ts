/**
 * MMSI shape and class per ITU-R M.585-9 (Assignment and use of identities in the maritime mobile service).
 * The MMSI is carried as a number, so leading zeros are implicit: 2579999 is `002579999`, a coast station.
 */

/**
 * What kind of station an MMSI identifies, from its leading digits (M = MID digit, first M in 2..7):
 *
 * | class           | format      | MID at digits |
 * |-----------------|-------------|---------------|
 * | `ship`          | `MIDxxxxxx` | 1-3           |
 * | `group`         | `0MIDxxxxx` | 2-4           |
 * | `coast-station` | `00MIDxxxx` | 3-5 (AIS base stations and repeaters too) |
 * | `sar-aircraft`  | `111MIDxxx` | 4-6           |
 * | `handheld`      | `8MIDxxxxx` | 2-4 (handheld VHF with DSC and GNSS; older editions: diver's radio) |
 * | `aton`          | `99MIDxxxx` | 3-5           |
 * | `auxiliary`     | `98MIDxxxx` | 3-5 (craft associated with a parent ship) |
 * | `sart`          | `970xxyyyy` | none (xx manufacturer, yyyy serial) |
 * | `mob`           | `972xxyyyy` | none          |
 * | `epirb`         | `974xxyyyy` | none (EPIRB-AIS) |
 * | `amrd`          | `979xxyyyy` | none (autonomous maritime radio device, group B) |
 * | `unknown`       | anything else in 1..999999999 | none |
 */
export type MmsiClass =
    | 'ship'
    | 'group'
    | 'coast-station'
    | 'sar-aircraft'
    | 'handheld'
    | 'aton'
    | 'auxiliary'
    | 'sart'
    | 'mob'
    | 'epirb'
    | 'amrd'
    | 'unknown';

export interface MmsiInfo {
    /** True when the MMSI is an integer in 1..999999999 (nine digits with leading zeros). */
    valid: boolean;
    /** `unknown` also for an invalid MMSI. */
    mmsiClass: MmsiClass;
    /** The Maritime Identification Digits (201..799) for the classes that carry one; allocated or not. */
    mid?: number;
}

const INVALID: MmsiInfo = Object.freeze({ valid: false, mmsiClass: 'unknown' });
const UNKNOWN: MmsiInfo = Object.freeze({ valid: true, mmsiClass: 'unknown' });
const SART: MmsiInfo = Object.freeze({ valid: true, mmsiClass: 'sart' });
const MOB: MmsiInfo = Object.freeze({ valid: true, mmsiClass: 'mob' });
const EPIRB: MmsiInfo = Object.freeze({ valid: true, mmsiClass: 'epirb' });
const AMRD: MmsiInfo = Object.freeze({ valid: true, mmsiClass: 'amrd' });

/** True when the MMSI is an integer in 1..999999999. */
export function isValidMmsiShape(mmsi: number): boolean {
    return Number.isInteger(mmsi) && mmsi >= 1 && mmsi <= 999_999_999;
}

/** A MID is three digits whose first is 2..7 (M.585: the MID ranges are 2xx to 7xx). */
function withMid(mmsiClass: MmsiClass, mid: number): MmsiInfo {
    return mid >= 200 && mid <= 799 ? { valid: true, mmsiClass, mid } : UNKNOWN;
}

/**
 * Shape and class of an MMSI. Arithmetic only (no string building): this runs for every record.
 * @example classifyMmsi(2579999) // { valid: true, mmsiClass: 'coast-station', mid: 257 }
 */
export function classifyMmsi(mmsi: number): MmsiInfo {
    if (!isValidMmsiShape(mmsi)) return INVALID;
    const d1 = Math.floor(mmsi / 100_000_000);
    if (d1 >= 2 && d1 <= 7) return { valid: true, mmsiClass: 'ship', mid: Math.floor(mmsi / 1_000_000) };
    if (d1 === 0) {
        if (mmsi >= 10_000_000) return withMid('group', Math.floor(mmsi / 100_000));
        if (mmsi >= 1_000_000) return withMid('coast-station', Math.floor(mmsi / 10_000));
        return UNKNOWN;
    }
    if (d1 === 1) {
        return Math.floor(mmsi / 1_000_000) === 111
            ? withMid('sar-aircraft', Math.floor(mmsi / 1000) % 1000)
            : UNKNOWN;
    }
    if (d1 === 8) return withMid('handheld', Math.floor(mmsi / 100_000) % 1000);
    // d1 === 9
    const d12 = Math.floor(mmsi / 10_000_000);
    if (d12 === 99) return withMid('aton', Math.floor(mmsi / 10_000) % 1000);
    if (d12 === 98) return withMid('auxiliary', Math.floor(mmsi / 10_000) % 1000);
    switch (Math.floor(mmsi / 1_000_000)) {
        case 970:
            return SART;
        case 972:
            return MOB;
        case 974:
            return EPIRB;
        case 979:
            return AMRD;
        default:
            return UNKNOWN;
    }
}
