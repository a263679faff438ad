/**
 * Zones: ECAs compiled in from shared/data/zones/eca.geojson, user-defined zones parsed from GeoJSON, a
 * ZoneIndex answering "which zones contain this position (at this time)", and zone transitions between
 * consecutive positions.
 */
import { ECA_ZONES } from './data/ecaZones.js';
import type { ZoneFeature, ZoneFeatureCollection, ZoneType } from './types.js';
import { ZoneIndex } from './zoneIndex.js';

export { ECA_ZONES } from './data/ecaZones.js';
export { geometryContains, normaliseLon, polygonContains, prepareGeometry } from './geometry.js';
export type * from './types.js';
export {
    type TimeLike,
    ZoneIndex,
    type ZonesAtOptions,
    type ZoneTransitions,
    zoneTransitions,
} from './zoneIndex.js';

const ZONE_TYPES: readonly ZoneType[] = ['SECA', 'NECA', 'SECA+NECA', 'USER'];

/** Raised by parseZoneCollection for a document that is not a usable zone FeatureCollection. */
export class ZoneDataError extends Error {
    override readonly name = 'ZoneDataError';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);

function checkPosition(p: unknown, where: string): void {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
        throw new ZoneDataError(`${where}: a position must be [lon, lat]`);
    }
}

function checkPolygon(rings: unknown, where: string): void {
    if (!Array.isArray(rings) || rings.length === 0)
        throw new ZoneDataError(`${where}: a polygon needs rings`);
    for (const ring of rings) {
        if (!Array.isArray(ring) || ring.length < 4)
            throw new ZoneDataError(`${where}: a ring needs 4+ positions`);
        for (const p of ring) checkPosition(p, where);
    }
}

/**
 * Validates a GeoJSON FeatureCollection of zones (Polygon / MultiPolygon features whose properties have a
 * string `id`, a `name` and a `type`) and returns its features. User zones default to type 'USER'.
 */
export function parseZoneCollection(json: unknown): ZoneFeature[] {
    if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
        throw new ZoneDataError('expected a GeoJSON FeatureCollection');
    }
    return json.features.map((f: unknown, i): ZoneFeature => {
        const where = `features[${i}]`;
        if (!isObject(f) || f.type !== 'Feature' || !isObject(f.properties) || !isObject(f.geometry)) {
            throw new ZoneDataError(`${where}: expected a Feature with properties and geometry`);
        }
        const { id, name } = f.properties;
        const type = f.properties.type ?? 'USER';
        if (typeof id !== 'string' || id.length === 0)
            throw new ZoneDataError(`${where}: properties.id missing`);
        if (typeof name !== 'string') throw new ZoneDataError(`${where}: properties.name missing`);
        if (!ZONE_TYPES.includes(type as ZoneType))
            throw new ZoneDataError(`${where}: unknown type ${JSON.stringify(type)}`);
        const g = f.geometry;
        if (g.type === 'Polygon') checkPolygon(g.coordinates, where);
        else if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
            for (const poly of g.coordinates) checkPolygon(poly, where);
        } else throw new ZoneDataError(`${where}: geometry must be a Polygon or MultiPolygon`);
        return f as unknown as ZoneFeature;
    });
}

/** A ZoneIndex over the compiled-in ECAs plus any extra (e.g. user) zones. Build once and reuse. */
export function createZoneIndex(
    extra: Iterable<ZoneFeature> = [],
    base: ZoneFeatureCollection = ECA_ZONES,
): ZoneIndex {
    return new ZoneIndex([...base.features, ...extra]);
}
