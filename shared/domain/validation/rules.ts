/**
 * Record validation: reject (quarantine, with a stable reason code) or accept with data-quality flags.
 * Pure and allocation-light: an accepted record without problems costs only the result object.
 */
import type { PositionReport, StaticReport, VesselRecord } from '../records.js';
import { isAllocatedMid } from '../reference/lookup.js';
import type { FlagCode, ReasonCode } from './codes.js';
import { isValidImo } from './imo.js';
import { classifyMmsi, type MmsiClass } from './mmsi.js';

export { FLAG_CODES, type FlagCode, REASON_CODES, type ReasonCode } from './codes.js';

/** The largest speed over ground AIS can carry (102.2 means "102.2 kn or more"; 102.3 is "not available"). */
export const AIS_MAX_SOG_KNOTS = 102.2;

export interface ValidationContext {
    /** Processing time, epoch ms. */
    now: number;
    /** How far in the future an event time may be (receiver clock skew). Default 5 minutes. */
    futureToleranceMs?: number;
    /** How old an event time may be; undefined (the default) accepts any age, as replays of archives need. */
    maxAgeMs?: number;
    /** Above this SOG (knots) a record is flagged IMPLAUSIBLE_SPEED unless it is a SAR aircraft. Default 80. */
    plausibleSpeedKnots?: number;
}

export const DEFAULT_FUTURE_TOLERANCE_MS = 5 * 60_000;
export const DEFAULT_PLAUSIBLE_SPEED_KNOTS = 80;

export type ValidationResult<R extends VesselRecord = VesselRecord> =
    | {
          ok: true;
          /** The record to use: the input itself, or a shallow copy without the fields that were dropped. */
          record: R;
          /** Data-quality flags (a fresh array, empty when there are none). */
          flags: FlagCode[];
      }
    | { ok: false; reason: ReasonCode; detail: string };

type Rejection = { ok: false; reason: ReasonCode; detail: string };

const reject = (reason: ReasonCode, detail: string): Rejection => ({ ok: false, reason, detail });

/** Collects flags and dropped fields without allocating until the first one. */
class Findings {
    flags: FlagCode[] | undefined;
    record: VesselRecord;
    private copied = false;

    constructor(record: VesselRecord) {
        this.record = record;
    }

    flag(code: FlagCode): void {
        (this.flags ??= []).push(code);
    }

    /** Drops an optional field (on a shallow copy: the caller's record is never mutated). */
    drop(field: 'navStatus' | 'imo' | 'shipType', code: FlagCode | undefined): void {
        if (!this.copied) {
            this.record = { ...this.record };
            this.copied = true;
        }
        delete (this.record as Partial<Record<typeof field, unknown>>)[field];
        if (code !== undefined) this.flag(code);
    }
}

/**
 * Validates one normalised record. Checks, in order: MMSI shape (and flags its class), event time, then the
 * kind-specific fields. `other` records (base station reports, binary messages, ...) need only a valid-shaped
 * MMSI and a sane event time.
 * @example
 * const result = validateRecord(record, { now: Date.now() });
 * if (!result.ok) quarantine(result.reason, result.detail); else use(result.record, result.flags);
 */
export function validateRecord<R extends VesselRecord>(
    record: R,
    ctx: ValidationContext,
): ValidationResult<R> {
    const mmsi = classifyMmsi(record.mmsi);
    if (!mmsi.valid) return reject('INVALID_MMSI', `mmsi ${String(record.mmsi)} is not 1..999999999`);

    const findings = new Findings(record);
    if (mmsi.mmsiClass === 'unknown') findings.flag('UNKNOWN_MMSI_CLASS');
    else if (mmsi.mid !== undefined && !isAllocatedMid(mmsi.mid)) findings.flag('UNALLOCATED_MID');

    const t = record.eventTime;
    if (t === undefined) {
        findings.flag('NO_EVENT_TIME');
    } else {
        if (!Number.isFinite(t)) return reject('INVALID_EVENT_TIME', `eventTime ${String(t)}`);
        const tolerance = ctx.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS;
        if (t > ctx.now + tolerance) {
            return reject('EVENT_TIME_IN_FUTURE', `eventTime ${t} is ${t - ctx.now} ms after now ${ctx.now}`);
        }
        if (ctx.maxAgeMs !== undefined && ctx.now - t > ctx.maxAgeMs) {
            return reject('EVENT_TIME_TOO_OLD', `eventTime ${t} is ${ctx.now - t} ms before now ${ctx.now}`);
        }
    }

    // `other` records need nothing more: the decoder already checked the message layout.
    const rejection =
        record.kind === 'position'
            ? checkPosition(record, findings, ctx, mmsi.mmsiClass)
            : record.kind === 'static'
              ? checkStatic(record, findings)
              : undefined;
    if (rejection !== undefined) return rejection;
    return { ok: true, record: findings.record as R, flags: findings.flags ?? [] };
}

function checkPosition(
    r: PositionReport,
    findings: Findings,
    ctx: ValidationContext,
    mmsiClass: MmsiClass,
): Rejection | undefined {
    const { lat, lon, sog, cog, heading, navStatus } = r;
    if (lat === undefined || lon === undefined) {
        const missing =
            lat === undefined && lon === undefined ? 'lat and lon' : lat === undefined ? 'lat' : 'lon';
        return reject('POSITION_UNAVAILABLE', `${missing} not available`);
    }
    // The negated comparisons also catch NaN.
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
        return reject('INVALID_COORDINATES', `lat ${lat} lon ${lon} out of range`);
    }
    if (lat === 0 && lon === 0) return reject('INVALID_COORDINATES', 'lat 0 lon 0 ("null island")');
    if (sog !== undefined) {
        if (!(sog >= 0 && sog <= AIS_MAX_SOG_KNOTS))
            return reject('INVALID_SPEED', `sog ${sog} not 0..102.2`);
        if (
            sog > (ctx.plausibleSpeedKnots ?? DEFAULT_PLAUSIBLE_SPEED_KNOTS) &&
            mmsiClass !== 'sar-aircraft'
        ) {
            findings.flag('IMPLAUSIBLE_SPEED');
        }
    }
    if (cog !== undefined && !(cog >= 0 && cog < 360))
        return reject('INVALID_COURSE', `cog ${cog} not 0..<360`);
    if (heading !== undefined && !(heading >= 0 && heading < 360)) {
        return reject('INVALID_HEADING', `heading ${heading} not 0..<360`);
    }
    if (navStatus !== undefined && !(Number.isInteger(navStatus) && navStatus >= 0 && navStatus <= 15)) {
        findings.drop('navStatus', 'INVALID_NAV_STATUS');
    }
    return undefined;
}

const DIMENSION_FIELDS = ['toBow', 'toStern', 'toPort', 'toStarboard', 'length', 'width', 'draught'] as const;

function checkStatic(r: StaticReport, findings: Findings): Rejection | undefined {
    for (const field of DIMENSION_FIELDS) {
        const v = r[field];
        if (v !== undefined && !(v >= 0 && v < Infinity)) {
            return reject('INVALID_DIMENSIONS', `${field} ${v} is negative or not a number`);
        }
    }
    const { imo, shipType } = r;
    if (imo !== undefined) {
        if (imo === 0) findings.drop('imo', undefined);
        else if (!isValidImo(imo)) findings.drop('imo', 'INVALID_IMO');
    }
    if (shipType !== undefined && !(Number.isInteger(shipType) && shipType >= 0 && shipType <= 255)) {
        findings.drop('shipType', 'INVALID_SHIP_TYPE');
    }
    return undefined;
}
