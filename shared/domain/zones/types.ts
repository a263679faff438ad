/**
 * GeoJSON shapes of the zone layers (RFC 7946 subset: Polygon and MultiPolygon features, [lon, lat] positions
 * in WGS84 degrees) and the properties every zone carries.
 */

/** A [longitude, latitude] pair in degrees (RFC 7946 order). */
export type Position = readonly [lon: number, lat: number];
/** A closed ring: first and last positions equal (an unclosed ring is closed implicitly). */
export type LinearRing = readonly Position[];
/** Outer ring first, then holes. */
export type PolygonCoordinates = readonly LinearRing[];

export type ZoneGeometry =
    | { readonly type: 'Polygon'; readonly coordinates: PolygonCoordinates }
    | { readonly type: 'MultiPolygon'; readonly coordinates: readonly PolygonCoordinates[] };

/** 'SECA' = SOx/PM ECA (reg. 14), 'NECA' = NOx ECA (reg. 13), 'USER' = a user-defined zone. */
export type ZoneType = 'SECA' | 'NECA' | 'SECA+NECA' | 'USER';

export type Pollutant = 'sox' | 'nox';

export interface ZoneProperties {
    /** Stable identifier reported by zonesAt, e.g. 'eca-baltic'. */
    readonly id: string;
    readonly name: string;
    readonly type: ZoneType;
    /**
     * ECAs: the date (YYYY-MM-DD, UTC) from which the SOx and the NOx requirements apply; null when the area is
     * not designated for that pollutant. A zone counts as active at a time when any given date is on or before it.
     */
    readonly effective?: { readonly sox: string | null; readonly nox: string | null };
    /** User zones: optional validity window, ISO 8601 instants; `validUntil` is exclusive. */
    readonly validFrom?: string;
    readonly validUntil?: string;
    /** User zones: free-form kind, e.g. 'port-approach', 'exclusion'. */
    readonly kind?: string;
    readonly source?: string;
    readonly licence?: string;
    /** How exact the geometry is, e.g. 'published coordinates' or 'simplified from the regulation text'. */
    readonly precision?: string;
    readonly [extra: string]: unknown;
}

export interface ZoneFeature {
    readonly type: 'Feature';
    readonly properties: ZoneProperties;
    readonly geometry: ZoneGeometry;
}

export interface ZoneFeatureCollection {
    readonly type: 'FeatureCollection';
    readonly features: readonly ZoneFeature[];
}
