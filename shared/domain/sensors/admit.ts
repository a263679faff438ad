/**
 * Admission of one parsed sensor reading (parse.ts): refused with the parse's reason, a copy of a reading already
 * seen in the batch, refused by validation (validate.ts), or accepted with its data-quality flags.
 */
import type { Refusal } from '../validation/admit.js';
import type { SensorFlagCode } from './codes.js';
import type { SensorParseOutcome } from './parse.js';
import { sensorDedupeKey, type SensorReading } from './reading.js';
import { type SensorValidationContext, validateReading } from './validate.js';

/**
 * Settles one parse outcome. `seen` holds the de-duplication keys (sensorDedupeKey) of the batch's readings so
 * far: a reading found there is a `duplicate` (it is not validated again). Appends `make(reading, flags)` to
 * `accepted` and returns undefined, or returns why the reading is refused.
 */
export function admitReading<A>(
    outcome: SensorParseOutcome,
    ctx: SensorValidationContext,
    seen: Set<string>,
    accepted: A[],
    make: (reading: SensorReading, flags: SensorFlagCode[]) => A,
): Refusal | undefined {
    if (!outcome.ok) return { reason: outcome.reason, detail: outcome.detail };
    const key = sensorDedupeKey(outcome.reading);
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
    const v = validateReading(outcome.reading, ctx);
    if (!v.ok) return { reason: v.reason, detail: v.detail };
    accepted.push(make(v.reading, v.flags));
    return undefined;
}
