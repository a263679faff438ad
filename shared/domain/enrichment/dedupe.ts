/**
 * De-duplication of AIS messages: the same transmission heard by several receivers, or an event delivered
 * twice, must be counted once (received = accepted + quarantined + duplicates).
 *
 * The content key is the message itself: the raw armoured payload of an NMEA message when the caller has it
 * (`contentKey`: concatenate the payloads of a multi-sentence message), else the decoded fields. Receivers
 * stamp their own time, so the time is not part of the content: two copies whose event times differ by up to
 * `windowMs` are the same transmission. AIS position reports carry the UTC second, so the same payload can
 * only recur a minute later; static reports repeat every 6 minutes. Hence a window well under a minute.
 */
import type { PositionReport, StaticReport, VesselRecord } from '../records.js';
import { STATIC_FIELDS } from './mergeState.js';

/** Default window for copies of one transmission heard by different receivers (clock skew, latency). */
export const DEFAULT_DEDUPE_WINDOW_MS = 30_000;

/**
 * The content key of a record: `mmsi|msgType|content`. Two records with equal content keys and close event
 * times are the same message.
 */
export function contentKeyOf(record: VesselRecord, contentKey?: string): string {
    const head = `${record.mmsi}|${record.msgType ?? ''}|`;
    if (contentKey !== undefined) return head + contentKey;
    switch (record.kind) {
        case 'position': {
            const r = record;
            return `${head}p|${r.lat}|${r.lon}|${r.sog}|${r.cog}|${r.heading}|${r.rot}|${r.navStatus}|${r.accuracy}|${r.second}|${r.aisClass}`;
        }
        case 'static': {
            const r = record;
            return `${head}s|${r.part}|${r.imo}|${r.callSign}|${r.name}|${r.shipType}|${r.toBow}|${r.toStern}|${r.toPort}|${r.toStarboard}|${r.length}|${r.width}|${r.draught}|${r.destination}|${r.eta}|${r.aisClass}`;
        }
        default:
            return `${head}o|${JSON.stringify(record.fields)}`;
    }
}

/**
 * A stable de-duplication key with the event time bucketed (`bucketMs`, default 60 s), e.g. for a silver
 * column or an idempotent id. Copies that straddle a bucket edge get different keys; {@link BatchDeduper}
 * does not have that edge (it compares times), so use it to decide what is a duplicate.
 */
export function dedupeKey(record: VesselRecord, contentKey?: string, bucketMs = 60_000): string {
    const content = contentKeyOf(record, contentKey);
    return record.eventTime === undefined ? content : `${content}|${Math.floor(record.eventTime / bucketMs)}`;
}

/** Fields compared for position and static content (with mmsi, msgType and kind). */
const POSITION_FIELDS = [
    'lat',
    'lon',
    'sog',
    'cog',
    'heading',
    'rot',
    'navStatus',
    'accuracy',
    'second',
    'aisClass',
] as const;
/** The merged static fields, plus the type 24 part and the transceiver class, which tell copies apart. */
const STATIC_CONTENT_FIELDS = ['part', ...STATIC_FIELDS, 'aisClass'] as const;

type Decoded = PositionReport | StaticReport;

/** One distinct decoded message: its content (the first record seen) and the times of its accepted copies. */
interface Entry {
    record: Decoded;
    times: number[];
    /** The next entry with the same hash. */
    next: Entry | undefined;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, v: unknown): number {
    if (typeof v === 'number') {
        f64[0] = v;
        h = Math.imul(h ^ (u32[0] as number), 0x85ebca6b);
        return Math.imul(h ^ (u32[1] as number), 0xc2b2ae35);
    }
    if (typeof v === 'string') {
        for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
        return Math.imul(h ^ v.length, 0x85ebca6b);
    }
    // undefined, booleans
    return Math.imul(h ^ (v === undefined ? 0x2545f491 : v ? 0x1b873593 : 0x3c6ef372), 0xc2b2ae35);
}

function hashOf(r: Decoded): number {
    let h = mix(mix(0x811c9dc5, r.mmsi), r.msgType);
    if (r.kind === 'position') for (const f of POSITION_FIELDS) h = mix(h, r[f]);
    else for (const f of STATIC_CONTENT_FIELDS) h = mix(mix(h, 0x5bd1e995), r[f]);
    return h;
}

function sameContent(a: Decoded, b: Decoded): boolean {
    if (a.kind !== b.kind || a.mmsi !== b.mmsi || a.msgType !== b.msgType) return false;
    if (a.kind === 'position') {
        for (const f of POSITION_FIELDS) if (a[f] !== (b as PositionReport)[f]) return false;
    } else {
        for (const f of STATIC_CONTENT_FIELDS) if (a[f] !== (b as StaticReport)[f]) return false;
    }
    return true;
}

/**
 * Tells first-seen from duplicate records within one batch. One entry per distinct message; a message
 * repeated beyond the window (a moored ship sending identical reports) counts as new.
 *
 * Decoded position and static records are compared field by field behind a numeric hash (no key string is
 * built); records with a `contentKey`, and `other` messages, are keyed by {@link contentKeyOf}.
 * Records without an event time match any copy with the same content (no time to tell them apart).
 */
export class BatchDeduper {
    /** Content key to the event times of the accepted copies (NaN for "no event time"). */
    private readonly byKey = new Map<string, number[]>();
    private readonly byHash = new Map<number, Entry>();
    private hashed = 0;
    private readonly windowMs: number;

    constructor(windowMs: number = DEFAULT_DEDUPE_WINDOW_MS) {
        this.windowMs = windowMs;
    }

    /** True when the record duplicates one seen before in this batch; otherwise remembers it and returns false. */
    isDuplicate(record: VesselRecord, contentKey?: string): boolean {
        const t = record.eventTime ?? Number.NaN;
        if (contentKey !== undefined || record.kind === 'other') {
            const key = contentKeyOf(record, contentKey);
            const times = this.byKey.get(key);
            if (times === undefined) {
                this.byKey.set(key, [t]);
                return false;
            }
            return this.seenWithin(times, t);
        }
        const h = hashOf(record);
        const head = this.byHash.get(h);
        for (let e = head; e !== undefined; e = e.next) {
            if (sameContent(e.record, record)) return this.seenWithin(e.times, t);
        }
        this.byHash.set(h, { record, times: [t], next: head });
        this.hashed++;
        return false;
    }

    /** Number of distinct messages seen. */
    get size(): number {
        return this.byKey.size + this.hashed;
    }

    clear(): void {
        this.byKey.clear();
        this.byHash.clear();
        this.hashed = 0;
    }

    /** True when a copy was accepted within the window of t; otherwise records t as a new copy. */
    private seenWithin(times: number[], t: number): boolean {
        for (const seenAt of times) {
            if (Number.isNaN(seenAt) || Number.isNaN(t) || Math.abs(seenAt - t) <= this.windowMs) return true;
        }
        times.push(t);
        return false;
    }
}

/**
 * The content key of an NMEA message: the payload fields (the 6th comma field of each sentence, tag block
 * stripped), so the same message heard by several receivers or redelivered has the same key.
 */
export function nmeaContentKey(raw: readonly string[]): string {
    let key = '';
    for (const line of raw) {
        const start = line.lastIndexOf('\\') + 1;
        let field = 0;
        let from = -1;
        for (let i = start; i < line.length; i++) {
            if (line.charCodeAt(i) === 44 /* , */) {
                field++;
                if (field === 5) from = i + 1;
                else if (field === 6) {
                    key += (key ? '|' : '') + line.slice(from, i);
                    break;
                }
            }
        }
    }
    return key;
}
