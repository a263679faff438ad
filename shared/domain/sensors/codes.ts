/**
 * Stable codes for sensor readings, written to quarantine (reasons) and to silver rows (flags). Never rename a
 * code: downstream queries filter on them. Add new ones at the end. Codes shared with AIS
 * (`INVALID_MMSI`, `INVALID_EVENT_TIME`, `EVENT_TIME_IN_FUTURE`, `EVENT_TIME_TOO_OLD`, and the flags) keep the
 * AIS meaning, so one query covers both sources.
 */

/** Why a sensor reading is rejected (sent to quarantine). */
export const SENSOR_REASON_CODES = {
    SENSOR_JSON_MALFORMED: 'The event (the body, an array, or one JSON line) is not valid JSON.',
    SENSOR_SCHEMA:
        'The event does not match schemas/sensor-reading.schema.json (the detail names the field), or its timestamp names a date that does not exist.',
    SENSOR_UNKNOWN_QUANTITY: 'The quantity id is not one the pipeline knows (see the quantity table).',
    SENSOR_UNKNOWN_UNIT: 'The unit symbol is not in any conversion table (symbols are case-sensitive).',
    SENSOR_UNIT_MISMATCH:
        "The unit is known but measures another dimension than the quantity (for example kPa for a temperature, or mg/m3 for a ppm concentration, which is not converted without the gas's reference conditions).",
    SENSOR_OUT_OF_RANGE:
        "The value, in the quantity's canonical unit, is outside the plausible range of the quantity (a broken sensor or a unit mistake).",
    INVALID_MMSI: 'The MMSI is not an integer in 1..999999999 (nine digits with leading zeros).',
    SENSOR_INVALID_IMO:
        'The reading names its vessel by IMO number only, and that number fails its check digit (or is not 7 digits).',
    INVALID_EVENT_TIME: 'The event time is not a finite number of epoch milliseconds.',
    EVENT_TIME_IN_FUTURE: 'The event time is later than now + futureToleranceMs (default 5 minutes).',
    EVENT_TIME_TOO_OLD: 'The event time is earlier than now - maxAgeMs (only when maxAgeMs is set).',
} as const satisfies Record<string, string>;

export type SensorReasonCode = keyof typeof SENSOR_REASON_CODES;

/** Data-quality flags: the reading is kept, the flag travels with it into silver. */
export const SENSOR_FLAG_CODES = {
    INVALID_IMO:
        'The IMO number failed its check digit; the reading also has an MMSI, so the IMO is dropped and the reading kept.',
    UNKNOWN_MMSI_CLASS:
        'The MMSI has a valid shape but matches no ITU-R M.585 format (for example 000001234 or 123456789).',
    UNALLOCATED_MID:
        'The MMSI class carries a MID, but the MID is not allocated by the ITU (not in mid.tsv).',
    NULL_ISLAND_POSITION:
        'The optional position was exactly (0, 0) ("null island": a GNSS fault); the position is dropped, the reading kept.',
} as const satisfies Record<string, string>;

export type SensorFlagCode = keyof typeof SENSOR_FLAG_CODES;
