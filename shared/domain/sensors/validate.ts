/**
 * Sensor reading validation: reject (quarantine, with a stable reason code) or accept with data-quality flags.
 * Checks, in order: vessel identifiers (MMSI shape and class, IMO check digit), event time, then the plausible
 * range of the quantity in its canonical unit. Pure; an accepted reading without problems costs only the result.
 */
import { isAllocatedMid } from '../reference/lookup.js';
import { isValidImo } from '../validation/imo.js';
import { classifyMmsi } from '../validation/mmsi.js';
import type { SensorFlagCode, SensorReasonCode } from './codes.js';
import type { SensorReading } from './reading.js';
import { quantitySpec } from './units.js';

export interface SensorValidationContext {
    /** Processing time, epoch ms. */
    now: number;
    /** How far in the future an event time may be (sensor clock skew). Default 5 minutes. */
    futureToleranceMs?: number;
    /** How old an event time may be; undefined (the default) accepts any age, as replays of archives need. */
    maxAgeMs?: number;
}

export const DEFAULT_SENSOR_FUTURE_TOLERANCE_MS = 5 * 60_000;

export type SensorValidationResult =
    | {
          ok: true;
          /** The reading to use: the input itself, or a shallow copy without the fields that were dropped. */
          reading: SensorReading;
          /** Data-quality flags (a fresh array, empty when there are none). */
          flags: SensorFlagCode[];
      }
    | { ok: false; reason: SensorReasonCode; detail: string };

type Rejection = Extract<SensorValidationResult, { ok: false }>;

const reject = (reason: SensorReasonCode, detail: string): Rejection => ({ ok: false, reason, detail });

/**
 * Validates one parsed reading.
 * @example
 * const r = validateReading(reading, { now: Date.now(), maxAgeMs: 7 * 86_400_000 });
 * if (!r.ok) quarantine(r.reason, r.detail); else accept(r.reading, r.flags);
 */
export function validateReading(
    reading: SensorReading,
    ctx: SensorValidationContext,
): SensorValidationResult {
    let out = reading;
    let flags: SensorFlagCode[] | undefined;

    const { mmsi, imo } = reading;
    if (mmsi !== undefined) {
        const info = classifyMmsi(mmsi);
        if (!info.valid) return reject('INVALID_MMSI', `mmsi ${String(mmsi)} is not 1..999999999`);
        if (info.mmsiClass === 'unknown') (flags ??= []).push('UNKNOWN_MMSI_CLASS');
        else if (info.mid !== undefined && !isAllocatedMid(info.mid)) (flags ??= []).push('UNALLOCATED_MID');
    }
    if (imo !== undefined && !isValidImo(imo)) {
        if (mmsi === undefined) {
            return reject(
                'SENSOR_INVALID_IMO',
                `imo ${String(imo)} fails its check digit and there is no mmsi`,
            );
        }
        out = { ...out };
        delete out.imo;
        (flags ??= []).push('INVALID_IMO');
    }
    if (mmsi === undefined && imo === undefined) {
        return reject('INVALID_MMSI', 'neither mmsi nor imo is given');
    }

    const t = reading.eventTime;
    if (!Number.isFinite(t)) return reject('INVALID_EVENT_TIME', `eventTime ${String(t)}`);
    const tolerance = ctx.futureToleranceMs ?? DEFAULT_SENSOR_FUTURE_TOLERANCE_MS;
    if (t > ctx.now + tolerance) {
        return reject('EVENT_TIME_IN_FUTURE', `eventTime ${t} is ${t - ctx.now} ms after now ${ctx.now}`);
    }
    if (ctx.maxAgeMs !== undefined && ctx.now - t > ctx.maxAgeMs) {
        return reject('EVENT_TIME_TOO_OLD', `eventTime ${t} is ${ctx.now - t} ms before now ${ctx.now}`);
    }

    const spec = quantitySpec(reading.quantity);
    if (spec === undefined) {
        // Only for readings built elsewhere: the parser already rejects unknown quantities.
        return reject('SENSOR_UNKNOWN_QUANTITY', `quantity ${JSON.stringify(reading.quantity)} is not known`);
    }
    const v = reading.value;
    // The negated comparisons also catch NaN.
    if (!(v >= spec.min && (spec.maxExclusive === true ? v < spec.max : v <= spec.max))) {
        const raw = reading.rawUnit === spec.unit ? '' : ` (sent as ${reading.rawValue} ${reading.rawUnit})`;
        return reject(
            'SENSOR_OUT_OF_RANGE',
            `${spec.id} ${v} ${spec.unit}${raw} not ${spec.min}..${spec.maxExclusive === true ? '<' : ''}${spec.max} ${spec.unit}`,
        );
    }

    const p = reading.position;
    if (p !== undefined && p.lat === 0 && p.lon === 0) {
        if (out === reading) out = { ...out };
        delete out.position;
        (flags ??= []).push('NULL_ISLAND_POSITION');
    }
    return { ok: true, reading: out, flags: flags ?? [] };
}
