/**
 * Folding records into the per-vessel state document. Event time, not arrival time, decides: late or replayed
 * data never moves a ship backwards, and applying the same records in any order gives the same state.
 *
 * - Position: replaced as a whole by a fix with a later event time. Equal event times are settled by comparing
 *   the content (a fixed total order), so the winner does not depend on arrival order.
 * - Static: merged field by field, each field keeping the value with the latest event time (type 24 part A
 *   carries only the name, part B only type, call sign and dimensions: neither erases the other). The time of
 *   each field is kept in `static.fieldTimes`; without per-field times a merge cannot be order-independent.
 *   A stored document without `fieldTimes` is read as "every field has time static.eventTime".
 * - lastSeen: the latest event time of anything applied. updatedAt: `now` whenever the state changes.
 * - A record without an event time is applied with `now` as its time (see flag NO_EVENT_TIME); the ingest
 *   should stamp the Event Hub enqueued time instead.
 */
import type { PositionReport, StaticReport, VesselRecord } from '../records.js';
import { shipTypeInfo } from '../reference/lookup.js';
import type { VesselPosition, VesselState, VesselStatic } from '../vessel/state.js';

/** The static fields merged from static records. */
export const STATIC_FIELDS = [
    'imo',
    'callSign',
    'name',
    'shipType',
    'toBow',
    'toStern',
    'toPort',
    'toStarboard',
    'length',
    'width',
    'draught',
    'destination',
    'eta',
] as const;

export type StaticField = (typeof STATIC_FIELDS)[number];

/** VesselStatic as merged here: with the event time of each field. */
export interface MergedVesselStatic extends VesselStatic {
    /** Event time (epoch ms) of each field's current value. */
    fieldTimes?: Partial<Record<StaticField, number>>;
    /** Earliest event time of each field's current value (see VesselStatic.fieldSince). */
    fieldSince?: Partial<Record<StaticField, number>>;
}

/** Since when `s` holds its current value of `field` (older documents: the field's time). */
export function fieldSinceOf(s: MergedVesselStatic, field: StaticField): number {
    return s.fieldSince?.[field] ?? s.fieldTimes?.[field] ?? s.eventTime;
}

/** What applyToState needs from the record's enrichment (an `Enrichment` fits). */
export interface StateEnrichment {
    mmsiClass?: string;
    flag?: string;
    flagCountry?: string;
    navStatusText?: string;
    cell?: string;
}

/**
 * Applies one validated record to a vessel's state.
 * @returns the new state, or undefined when the record changes nothing (older than what is stored, or a
 *   duplicate): then nothing needs writing.
 * @example
 * let state = stored;
 * for (const r of records) state = applyToState(state, r, enrichment(r), now) ?? state;
 */
export function applyToState(
    prev: VesselState | undefined,
    record: VesselRecord,
    enrichment: StateEnrichment,
    now: number,
): VesselState | undefined {
    const t = record.eventTime ?? now;
    let changed = prev === undefined;

    let position = prev?.position;
    if (record.kind === 'position' && record.lat !== undefined && record.lon !== undefined) {
        const candidate = positionOf(record, record.lat, record.lon, enrichment, t);
        if (
            position === undefined ||
            t > position.eventTime ||
            (t === position.eventTime && comparePositions(candidate, position) > 0)
        ) {
            position = candidate;
            changed = true;
        }
    }

    let stat: MergedVesselStatic | undefined = prev?.static;
    if (record.kind === 'static') {
        const merged = mergeStatic(stat, record, t);
        if (merged !== stat) {
            stat = merged;
            changed = true;
        }
    }

    const lastSeen = prev === undefined ? t : Math.max(prev.lastSeen, t);
    if (lastSeen !== prev?.lastSeen) changed = true;

    // aisClass belongs to the transponder, so it is constant per MMSI in practice: the latest record that
    // carries it wins, and an older one only fills a gap.
    let aisClass = prev?.aisClass;
    const recordClass = record.kind === 'other' ? undefined : record.aisClass;
    if (
        recordClass !== undefined &&
        recordClass !== aisClass &&
        (aisClass === undefined || t >= (prev?.lastSeen ?? t))
    ) {
        aisClass = recordClass;
        changed = true;
    }

    // Identity comes from the MMSI: the same for every record of the vessel.
    const mmsiClass = enrichment.mmsiClass ?? prev?.mmsiClass;
    const flag = enrichment.flag ?? prev?.flag;
    const flagCountry = enrichment.flagCountry ?? prev?.flagCountry;
    if (mmsiClass !== prev?.mmsiClass || flag !== prev?.flag || flagCountry !== prev?.flagCountry)
        changed = true;

    if (!changed) return undefined;
    const next: VesselState = { mmsi: record.mmsi, lastSeen, updatedAt: now };
    if (flag !== undefined) next.flag = flag;
    if (flagCountry !== undefined) next.flagCountry = flagCountry;
    if (mmsiClass !== undefined) next.mmsiClass = mmsiClass;
    if (aisClass !== undefined) next.aisClass = aisClass;
    if (position !== undefined) next.position = position;
    // Zones belong to the position and are maintained by the ingest (replaced when the position is): carried as is.
    if (prev?.zones !== undefined) next.zones = prev.zones;
    if (stat !== undefined) next.static = stat;
    return next;
}

function positionOf(
    r: PositionReport,
    lat: number,
    lon: number,
    e: StateEnrichment,
    t: number,
): VesselPosition {
    const p: VesselPosition = { eventTime: t, lat, lon };
    if (r.sog !== undefined) p.sog = r.sog;
    if (r.cog !== undefined) p.cog = r.cog;
    if (r.heading !== undefined) p.heading = r.heading;
    if (r.rot !== undefined) p.rot = r.rot;
    if (r.navStatus !== undefined) p.navStatus = r.navStatus;
    if (e.navStatusText !== undefined) p.navStatusText = e.navStatusText;
    if (r.accuracy !== undefined) p.accuracy = r.accuracy;
    if (e.cell !== undefined) p.cell = e.cell;
    if (r.msgType !== undefined) p.msgType = r.msgType;
    return p;
}

const POSITION_ORDER = [
    'lat',
    'lon',
    'sog',
    'cog',
    'heading',
    'rot',
    'navStatus',
    'accuracy',
    'msgType',
    'cell',
] as const;

/** A fixed total order on position content, used only to settle equal event times. */
export function comparePositions(a: VesselPosition, b: VesselPosition): number {
    for (const key of POSITION_ORDER) {
        const c = compareValues(a[key], b[key]);
        if (c !== 0) return c;
    }
    return 0;
}

/** undefined < false < true < numbers < strings; numbers and strings in their natural order. */
function compareValues(a: unknown, b: unknown): number {
    if (a === b) return 0;
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    return (a as number | string) < (b as number | string) ? -1 : 1;
}

function rank(v: unknown): number {
    switch (typeof v) {
        case 'undefined':
            return 0;
        case 'boolean':
            return v ? 2 : 1;
        case 'number':
            return 3;
        default:
            return 4;
    }
}

/** Per-field last-writer-wins merge; returns `prev` itself when nothing changes. */
function mergeStatic(
    prev: MergedVesselStatic | undefined,
    r: StaticReport,
    t: number,
): MergedVesselStatic | undefined {
    let out: MergedVesselStatic | undefined;
    let times: Partial<Record<StaticField, number>> = {};
    let since: Partial<Record<StaticField, number>> = {};
    for (const field of STATIC_FIELDS) {
        const value = r[field];
        if (value === undefined || value === '') continue;
        const current = prev?.[field];
        const currentTime =
            current === undefined ? -Infinity : (prev?.fieldTimes?.[field] ?? prev?.eventTime ?? -Infinity);
        const currentSince =
            current === undefined || prev === undefined ? Infinity : fieldSinceOf(prev, field);
        const same = value === current;
        // Older reports change nothing, not even fieldSince (so replaying records is idempotent): fieldSince is
        // exact when records come in event-time order, as batches and replays are applied.
        if (t < currentTime || (t === currentTime && compareValues(value, current) <= 0)) continue;
        if (out === undefined) {
            // static.eventTime: the latest static report that carried data (a winning one, or a later one
            // that won some field: a report newer than static.eventTime always wins every field it carries).
            times = timesOf(prev);
            since = sinceOf(prev);
            out = {
                ...prev,
                eventTime: Math.max(prev?.eventTime ?? t, t),
                fieldTimes: times,
                fieldSince: since,
            };
        }
        (out as Record<StaticField, unknown>)[field] = value;
        times[field] = t;
        since[field] = same ? Math.min(currentSince, t) : t;
    }
    if (out === undefined) return prev;
    const info = out.shipType === undefined ? undefined : shipTypeInfo(out.shipType);
    if (info === undefined) {
        delete out.shipTypeText;
        delete out.shipCategory;
    } else {
        out.shipTypeText = info.text;
        out.shipCategory = info.category;
    }
    return out;
}

/** The stored per-field since-times, completed with the field times for fields stored without one. */
function sinceOf(prev: MergedVesselStatic | undefined): Partial<Record<StaticField, number>> {
    const since: Partial<Record<StaticField, number>> = {};
    if (prev === undefined) return since;
    for (const field of STATIC_FIELDS)
        if (prev[field] !== undefined) since[field] = fieldSinceOf(prev, field);
    return since;
}

/** The stored per-field times, completed with static.eventTime for fields stored without one. */
function timesOf(prev: MergedVesselStatic | undefined): Partial<Record<StaticField, number>> {
    const times: Partial<Record<StaticField, number>> = {};
    if (prev === undefined) return times;
    for (const field of STATIC_FIELDS) {
        if (prev[field] !== undefined) times[field] = prev.fieldTimes?.[field] ?? prev.eventTime;
    }
    return times;
}
