/**
 * Stable codes written to quarantine (reasons) and to silver rows (flags). Never rename a code: downstream
 * queries and dashboards filter on them. Add new ones at the end.
 */

/** Why a record is rejected (sent to quarantine). */
export const REASON_CODES = {
    INVALID_MMSI: 'The MMSI is not an integer in 1..999999999 (nine digits with leading zeros).',
    INVALID_EVENT_TIME: 'The event time is present but not a finite number of epoch milliseconds.',
    EVENT_TIME_IN_FUTURE: 'The event time is later than now + futureToleranceMs (default 5 minutes).',
    EVENT_TIME_TOO_OLD: 'The event time is earlier than now - maxAgeMs (only when maxAgeMs is set).',
    POSITION_UNAVAILABLE:
        'A position record without latitude or longitude (AIS "not available", 91 / 181, or absent in the source).',
    INVALID_COORDINATES:
        'Latitude outside -90..90, longitude outside -180..180, not a number, or exactly (0, 0) ("null island": a GNSS or receiver fault).',
    INVALID_SPEED:
        'Speed over ground negative, not a number, or above 102.2 kn (the largest value AIS can carry).',
    INVALID_COURSE: 'Course over ground outside 0..<360 degrees or not a number.',
    INVALID_HEADING: 'True heading outside 0..<360 degrees or not a number.',
    INVALID_DIMENSIONS: 'A static record with a negative or non-numeric dimension, length, width or draught.',
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Data-quality flags: the record is kept, the flag travels with it into silver. */
export const FLAG_CODES = {
    INVALID_IMO:
        'The IMO number failed its check digit (or is not 7 digits). The field is dropped, the record kept: real feeds carry many wrong IMOs and the rest of the static data is still good. IMO 0 ("not available") is dropped without a flag.',
    IMPLAUSIBLE_SPEED:
        'Speed over ground above plausibleSpeedKnots (default 80 kn) for anything but a SAR aircraft; valid for AIS but unlikely for a ship.',
    IMPLAUSIBLE_JUMP:
        'The position implies a speed above implausibleSpeedKnots (default 50 kn) from the previous fix of the same vessel (GNSS fault, spoofing or a shared MMSI).',
    INVALID_NAV_STATUS: 'The navigational status is not an integer 0..15. The field is dropped.',
    INVALID_SHIP_TYPE: 'The ship type is not an integer 0..255. The field is dropped.',
    UNKNOWN_MMSI_CLASS:
        'The MMSI has a valid shape but matches no ITU-R M.585 format (for example 000001234 or 123456789).',
    UNALLOCATED_MID:
        'The MMSI class carries a MID, but the MID is not allocated by the ITU (not in mid.tsv).',
    NO_EVENT_TIME:
        'The record has no event time (NMEA without a tag block): no age check was possible, and state merging falls back to the processing time. The ingest should stamp the Event Hub enqueued time instead.',
} as const satisfies Record<string, string>;

export type FlagCode = keyof typeof FLAG_CODES;
