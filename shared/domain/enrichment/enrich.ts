/**
 * Enrichment of a validated record into the extra fields of its silver row: identity from the MMSI (class,
 * flag state), reference texts, the static data known for the vessel, the H3 cell and the movement since the
 * previous fix. Pure: the caller supplies the vessel's state and the previous fix.
 */
import { DEFAULT_H3_RESOLUTION, h3Cell } from '../geo/geo.js';
import type { VesselRecord } from '../records.js';
import { flagForMid, navStatusText, type ShipCategory, shipTypeInfo } from '../reference/lookup.js';
import type { FlagCode } from '../validation/codes.js';
import { type Fix, type JumpOptions, movement } from '../validation/jumps.js';
import { classifyMmsi, type MmsiClass } from '../validation/mmsi.js';
import type { VesselState, VesselStatic } from '../vessel/state.js';
import { fieldSinceOf, type StaticField } from './mergeState.js';

export interface EnrichOptions extends JumpOptions {
    /** H3 resolution of `cell`. Default {@link DEFAULT_H3_RESOLUTION} (7). */
    h3Resolution?: number;
}

/** The fields enrichment adds to a silver row. Every key is always present (undefined when unknown). */
export interface Enrichment {
    mmsiClass: MmsiClass;
    mid: number | undefined;
    /** ISO 3166-1 alpha-2 flag state from the MID. */
    flag: string | undefined;
    flagCountry: string | undefined;
    /** Ship type: the record's own (static records), else the vessel's known one. */
    shipType: number | undefined;
    shipTypeText: string | undefined;
    shipCategory: ShipCategory | undefined;
    /** Text of the record's navigational status (position records). */
    navStatusText: string | undefined;
    /** Static and voyage data: the record's own fields (static records), else the vessel's known ones. */
    name: string | undefined;
    imo: number | undefined;
    callSign: string | undefined;
    toBow: number | undefined;
    toStern: number | undefined;
    toPort: number | undefined;
    toStarboard: number | undefined;
    length: number | undefined;
    width: number | undefined;
    draught: number | undefined;
    destination: string | undefined;
    eta: string | undefined;
    /** H3 cell of the position (position records). */
    cell: string | undefined;
    /** Movement since the previous fix (position records, when there is one). */
    distanceNm: number | undefined;
    elapsedS: number | undefined;
    impliedSpeedKn: number | undefined;
    /** The flags passed in (none by default), plus IMPLAUSIBLE_JUMP when the move from the previous fix is one. */
    flags: FlagCode[];
}

/**
 * Enriches one validated record.
 *
 * @param state the vessel's state before this record: the stored state with this batch's earlier records
 *   applied (`state = applyToState(state, record, enrichment, now) ?? state`), so a type 5 earlier in the batch
 *   already names the ship for the positions that follow it.
 * @param previousFix the vessel's previous position fix in this batch, in processing order; when undefined the
 *   stored position (`state.position`) is used. Movement is measured from it even when it is later than this
 *   record (elapsedS is then negative).
 * @param flags the flags from validation, carried into the result.
 */
export function enrich(
    record: VesselRecord,
    state: VesselState | undefined,
    previousFix: Fix | undefined,
    options: EnrichOptions = {},
    flags: readonly FlagCode[] = [],
): Enrichment {
    const { mmsiClass, mid } = classifyMmsi(record.mmsi);
    const flagState = mid === undefined ? undefined : flagForMid(mid);
    const known = state?.static;
    // Known static values count only from when they were held (see VesselStatic.fieldSince): a replayed or
    // redelivered record is enriched as the first time, not with what later records taught the state.
    const t = record.eventTime ?? Number.POSITIVE_INFINITY;
    const own = record.kind === 'static' ? record : undefined;
    const shipType = own?.shipType ?? at(known, 'shipType', t);
    const typeInfo = shipType === undefined ? undefined : shipTypeInfo(shipType);

    let navText: string | undefined;
    let cell: string | undefined;
    let distanceNm: number | undefined;
    let elapsedS: number | undefined;
    let impliedSpeedKn: number | undefined;
    const outFlags = [...flags];
    if (record.kind === 'position' && record.lat !== undefined && record.lon !== undefined) {
        if (record.navStatus !== undefined) navText = navStatusText(record.navStatus);
        cell = h3Cell(record.lat, record.lon, options.h3Resolution ?? DEFAULT_H3_RESOLUTION);
        const from = previousFix ?? state?.position;
        if (from !== undefined && record.eventTime !== undefined) {
            const move = movement(from, record as typeof record & Fix, options);
            distanceNm = move.distanceNm;
            elapsedS = move.elapsedS;
            impliedSpeedKn = move.impliedSpeedKn;
            if (move.jump) outFlags.push('IMPLAUSIBLE_JUMP');
        }
    }

    return {
        mmsiClass,
        mid,
        flag: flagState?.iso2,
        flagCountry: flagState?.country,
        shipType,
        shipTypeText: typeInfo?.text,
        shipCategory: typeInfo?.category,
        navStatusText: navText,
        name: own?.name ?? at(known, 'name', t),
        imo: own?.imo ?? at(known, 'imo', t),
        callSign: own?.callSign ?? at(known, 'callSign', t),
        toBow: own?.toBow ?? at(known, 'toBow', t),
        toStern: own?.toStern ?? at(known, 'toStern', t),
        toPort: own?.toPort ?? at(known, 'toPort', t),
        toStarboard: own?.toStarboard ?? at(known, 'toStarboard', t),
        length: own?.length ?? at(known, 'length', t),
        width: own?.width ?? at(known, 'width', t),
        draught: own?.draught ?? at(known, 'draught', t),
        destination: own?.destination ?? at(known, 'destination', t),
        eta: own?.eta ?? at(known, 'eta', t),
        cell,
        distanceNm,
        elapsedS,
        impliedSpeedKn,
        flags: outFlags,
    };
}

/** The known value of a static field at event time `t`, when it was already held then. */
function at<F extends StaticField>(
    known: VesselState['static'],
    field: F,
    t: number,
): VesselStatic[F] | undefined {
    if (known === undefined) return undefined;
    const v = known[field];
    return v === undefined || fieldSinceOf(known, field) > t ? undefined : v;
}

/** The fix of a position record, for use as the next record's `previousFix`; undefined without time or position. */
export function fixOf(record: VesselRecord): Fix | undefined {
    if (record.kind !== 'position') return undefined;
    const { eventTime, lat, lon } = record;
    if (eventTime === undefined || lat === undefined || lon === undefined) return undefined;
    return { eventTime, lat, lon };
}
