/**
 * A spatial index over zone features, built once: every polygon part is registered in the cells of a 1°
 * lon/lat grid its bounding box overlaps, so a lookup only ray-casts the few parts whose box can contain the
 * point. Lookups allocate only the result array.
 */
import { normaliseLon, polygonContains, type PreparedPolygon, prepareGeometry } from './geometry.js';
import type { Pollutant, ZoneFeature, ZoneProperties } from './types.js';

/** A time as epoch milliseconds, a Date, or an ISO 8601 string. */
export type TimeLike = number | Date | string;

interface IndexedPart {
    readonly polygon: PreparedPolygon;
    /** Index into ZoneIndex.zones. */
    readonly zone: number;
}

interface IndexedZone {
    readonly properties: ZoneProperties;
    /** Epoch ms from which SOx / NOx requirements apply (undefined when not designated for it). */
    readonly soxFrom: number | undefined;
    readonly noxFrom: number | undefined;
    readonly validFrom: number;
    readonly validUntil: number;
}

const CELL_DEG = 1;
const COLS = 360 / CELL_DEG;

function toMs(time: TimeLike): number {
    const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
    if (!Number.isFinite(ms)) throw new RangeError(`invalid time ${String(time)}`);
    return ms;
}

function dateMs(value: string | null | undefined, field: string): number | undefined {
    if (value == null) return undefined;
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) throw new RangeError(`invalid date in ${field}: ${value}`);
    return ms;
}

function cellKey(row: number, col: number): number {
    return row * COLS + (((col % COLS) + COLS) % COLS);
}

export interface ZonesAtOptions {
    /** Only zones designated for this pollutant (ECAs); user zones have none and are then left out. */
    pollutant?: Pollutant;
}

export class ZoneIndex {
    private readonly zones: IndexedZone[] = [];
    private readonly cells = new Map<number, IndexedPart[]>();

    constructor(features: Iterable<ZoneFeature>) {
        const seen = new Set<string>();
        for (const feature of features) {
            const p = feature.properties;
            if (typeof p.id !== 'string' || p.id.length === 0) throw new RangeError('every zone needs an id');
            if (seen.has(p.id)) throw new RangeError(`duplicate zone id ${p.id}`);
            seen.add(p.id);
            const zone = this.zones.length;
            this.zones.push({
                properties: p,
                soxFrom: dateMs(p.effective?.sox, `${p.id}.effective.sox`),
                noxFrom: dateMs(p.effective?.nox, `${p.id}.effective.nox`),
                validFrom: dateMs(p.validFrom, `${p.id}.validFrom`) ?? -Infinity,
                validUntil: dateMs(p.validUntil, `${p.id}.validUntil`) ?? Infinity,
            });
            for (const polygon of prepareGeometry(feature.geometry)) this.register({ polygon, zone });
        }
    }

    private register(part: IndexedPart): void {
        const { bbox } = part.polygon;
        const row0 = Math.floor((Math.max(bbox.minLat, -90) + 90) / CELL_DEG);
        const row1 = Math.floor((Math.min(bbox.maxLat, 89.999999) + 90) / CELL_DEG);
        // A box wider than the globe (should not happen) is clamped to one full turn.
        const col0 = Math.floor((bbox.minLon + 180) / CELL_DEG);
        const col1 = Math.min(Math.floor((bbox.maxLon + 180) / CELL_DEG), col0 + COLS - 1);
        for (let row = row0; row <= row1; row++) {
            for (let col = col0; col <= col1; col++) {
                const key = cellKey(row, col);
                const list = this.cells.get(key);
                if (list === undefined) this.cells.set(key, [part]);
                else if (list[list.length - 1] !== part) list.push(part);
            }
        }
    }

    /** Number of zones indexed. */
    get size(): number {
        return this.zones.length;
    }

    /** Properties of a zone by id, or undefined. */
    properties(id: string): ZoneProperties | undefined {
        return this.zones.find((z) => z.properties.id === id)?.properties;
    }

    /** Whether a zone applies at `time` (and for `pollutant`, when given). */
    private active(zone: IndexedZone, time: number | undefined, pollutant: Pollutant | undefined): boolean {
        if (pollutant !== undefined) {
            const from = pollutant === 'sox' ? zone.soxFrom : zone.noxFrom;
            if (from === undefined) return false;
            return time === undefined || from <= time;
        }
        if (time === undefined) return true;
        if (time < zone.validFrom || time >= zone.validUntil) return false;
        if (zone.soxFrom === undefined && zone.noxFrom === undefined) return true;
        return (zone.soxFrom ?? Infinity) <= time || (zone.noxFrom ?? Infinity) <= time;
    }

    /**
     * Ids of the zones containing (lat, lon), sorted ascending. With `atTime`, only zones in effect then: an ECA
     * from its earliest SOx/NOx date, a user zone inside its validity window. Without `atTime`, every zone.
     */
    zonesAt(lat: number, lon: number, atTime?: TimeLike, options: ZonesAtOptions = {}): string[] {
        if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90) return [];
        const time = atTime === undefined ? undefined : toMs(atTime);
        const x = normaliseLon(lon);
        const row = Math.floor((Math.min(lat, 89.999999) + 90) / CELL_DEG);
        const col = Math.floor((x + 180) / CELL_DEG);
        const parts = this.cells.get(cellKey(row, col));
        if (parts === undefined) return [];
        const out: string[] = [];
        for (const part of parts) {
            const zone = this.zones[part.zone]!;
            const id = zone.properties.id;
            if (out.includes(id)) continue;
            if (!this.active(zone, time, options.pollutant)) continue;
            if (polygonContains(part.polygon, lat, x)) out.push(id);
        }
        return out.sort();
    }
}

export interface ZoneTransitions {
    /** Zones in `next` but not in `prev`, sorted. */
    entered: string[];
    /** Zones in `prev` but not in `next`, sorted. */
    left: string[];
}

/** Zones entered and left between two consecutive positions' zone lists (order and duplicates ignored). */
export function zoneTransitions(prevZones: readonly string[], nextZones: readonly string[]): ZoneTransitions {
    const prev = new Set(prevZones);
    const next = new Set(nextZones);
    return {
        entered: [...next].filter((id) => !prev.has(id)).sort(),
        left: [...prev].filter((id) => !next.has(id)).sort(),
    };
}
