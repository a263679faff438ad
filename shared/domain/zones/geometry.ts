/**
 * Point-in-polygon on [lon, lat] degrees, treating edges as straight lines in the lon/lat plane (plate carrée).
 * The ECA texts join their points by geodesics; with points a few tens of miles apart the difference is far
 * below the precision of the simplified closures (see shared/data/zones/SOURCES.md).
 *
 * Antimeridian: a ring that jumps by more than 180° between consecutive longitudes is unwrapped into one
 * continuous run (longitudes may then leave [-180, 180]), and a query longitude is also tried shifted by ±360°
 * when a part's bounding box extends past ±180. Polygons already split at ±180 (the RFC 7946 way) work as they
 * are. Points exactly on an edge may fall on either side (half-open crossing rule).
 */
import type { LinearRing, PolygonCoordinates, ZoneGeometry } from './types.js';

export interface BBox {
    minLon: number;
    minLat: number;
    maxLon: number;
    maxLat: number;
}

/** One polygon (outer ring + holes) with flat coordinate arrays and its bounding box. */
export interface PreparedPolygon {
    /** Each ring as [lon0, lat0, lon1, lat1, ...], unwrapped across the antimeridian, closing point dropped. */
    readonly rings: readonly Float64Array[];
    readonly bbox: BBox;
}

/** Normalises a longitude to [-180, 180). */
export function normaliseLon(lon: number): number {
    if (lon >= -180 && lon < 180) return lon;
    const r = (((lon + 180) % 360) + 360) % 360;
    return r - 180;
}

function prepareRing(ring: LinearRing, anchorLon: number | undefined): Float64Array {
    let n = ring.length;
    if (n >= 2) {
        const first = ring[0]!;
        const last = ring[n - 1]!;
        if (first[0] === last[0] && first[1] === last[1]) n -= 1;
    }
    if (n < 3) throw new RangeError(`a ring needs at least 3 distinct positions, got ${n}`);
    const out = new Float64Array(n * 2);
    let prev: number | undefined;
    for (let i = 0; i < n; i++) {
        const [lon, lat] = ring[i]!;
        if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -90 || lat > 90) {
            throw new RangeError(`invalid position [${lon}, ${lat}]`);
        }
        let x = lon;
        const ref = prev ?? anchorLon;
        if (ref !== undefined) {
            while (x - ref > 180) x -= 360;
            while (x - ref < -180) x += 360;
        }
        out[2 * i] = x;
        out[2 * i + 1] = lat;
        prev = x;
    }
    return out;
}

export function preparePolygon(coordinates: PolygonCoordinates): PreparedPolygon {
    const outer = coordinates[0];
    if (outer === undefined) throw new RangeError('a polygon needs an outer ring');
    const outerFlat = prepareRing(outer, undefined);
    // Holes are unwrapped next to the outer ring's first longitude so they stay in the same frame.
    const rings = [outerFlat, ...coordinates.slice(1).map((hole) => prepareRing(hole, outerFlat[0]))];
    const bbox: BBox = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
    for (let i = 0; i < outerFlat.length; i += 2) {
        const x = outerFlat[i]!;
        const y = outerFlat[i + 1]!;
        if (x < bbox.minLon) bbox.minLon = x;
        if (x > bbox.maxLon) bbox.maxLon = x;
        if (y < bbox.minLat) bbox.minLat = y;
        if (y > bbox.maxLat) bbox.maxLat = y;
    }
    return { rings, bbox };
}

export function prepareGeometry(geometry: ZoneGeometry): PreparedPolygon[] {
    if (geometry.type === 'Polygon') return [preparePolygon(geometry.coordinates)];
    if (geometry.type === 'MultiPolygon') return geometry.coordinates.map(preparePolygon);
    throw new RangeError(`unsupported geometry type ${(geometry as { type: string }).type}`);
}

/** Even-odd ray casting over all rings (outer + holes): inside the outer ring and outside every hole. */
function insideRings(rings: readonly Float64Array[], x: number, y: number): boolean {
    let inside = false;
    for (const ring of rings) {
        const n = ring.length;
        let xj = ring[n - 2]!;
        let yj = ring[n - 1]!;
        for (let i = 0; i < n; i += 2) {
            const xi = ring[i]!;
            const yi = ring[i + 1]!;
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
            xj = xi;
            yj = yi;
        }
    }
    return inside;
}

/** Whether (lat, lon) lies inside the prepared polygon, trying lon ± 360 where the polygon crosses ±180. */
export function polygonContains(polygon: PreparedPolygon, lat: number, lon: number): boolean {
    const { bbox } = polygon;
    if (lat < bbox.minLat || lat > bbox.maxLat) return false;
    const x = normaliseLon(lon);
    for (const candidate of [x, x + 360, x - 360]) {
        if (candidate < bbox.minLon || candidate > bbox.maxLon) continue;
        if (insideRings(polygon.rings, candidate, lat)) return true;
    }
    return false;
}

/** Convenience: point in a GeoJSON Polygon / MultiPolygon geometry (prepares it on every call). */
export function geometryContains(geometry: ZoneGeometry, lat: number, lon: number): boolean {
    return prepareGeometry(geometry).some((p) => polygonContains(p, lat, lon));
}
