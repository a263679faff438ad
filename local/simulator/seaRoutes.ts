/**
 * Sea routes for the simulated fleet: for each pair of nearby ports, a path of waypoints that stays at sea on the
 * Natural Earth 1:50m land mask (`landMask.ts`), so vessels sail around capes and through straits instead of across
 * continents.
 *
 * Routes are planned once, offline (`npm run build && node scripts/generate-sea-routes.mjs`), and committed as
 * `local/data/sea-routes.json`: planning all of them takes about a minute, and the simulator starts in every test
 * and every `npm start`. Planning (`planSeaRoute`): A* over the mask's sea cells (8 neighbours, step lengths in
 * nautical miles), from the sea cell nearest each port, then the cell path is pulled tight into as few waypoints as
 * keep every segment at sea (`LandMask.isSegmentClear`). `test/unit/simulator/realism.test.ts` checks every
 * committed route against the mask again.
 */
import { readFileSync } from 'node:fs';

import type { PortEntry } from '../../shared/domain/reference/lookup.js';
import { findDataFile } from './dataFiles.js';
import { distanceNm, type LatLon } from './greatCircle.js';
import { cellCentre, cellOf, type LandMask, MASK_HEIGHT, MASK_WIDTH, PER_DEGREE } from './landMask.js';

/** A route between two ports: waypoints from `a`'s sea cell to `b`'s, both ends included (ports excluded). */
export interface SeaRoute {
    /** Port keys (UN/LOCODE + name). */
    a: string;
    b: string;
    /** Length from port `a` to port `b` (harbour approaches included), NM. */
    nm: number;
    path: LatLon[];
}

/** The key of a port in the route file. */
export const portKey = (p: Pick<PortEntry, 'locode' | 'name'>): string => p.locode + p.name;

/** Cells the search may expand before it gives up (a route around a continent is not a neighbour leg). */
const MAX_EXPANDED = 3_000_000;
/** Above this latitude the sea counts as ice. */
const MAX_ABS_LAT = 75;
/**
 * Weighted A*: the distance-to-go counts this much more than the distance sailed, so the search heads for the goal
 * and expands a small fraction of the cells (a route at most this factor longer than the shortest; the path is
 * pulled tight afterwards anyway).
 */
const GREED = 1.5;
/** North-south size of a mask cell, NM. */
const CELL_NM = 60 / PER_DEGREE;

/** Reused search state (the grid has 26 million cells): g-scores and parents, reset through the touched list. */
let scratch: { g: Float32Array; parent: Int32Array } | undefined;

/**
 * The shortest sea path from `from` to `to` (both sea points, e.g. `LandMask.nearestSea` of two ports), as
 * waypoints; undefined when there is none within `MAX_EXPANDED` cells or it is longer than `maxNm`.
 */
export function planSeaRoute(
    mask: LandMask,
    from: LatLon,
    to: LatLon,
    maxNm = Number.POSITIVE_INFINITY,
): LatLon[] | undefined {
    const start = cellOf(from.lat, from.lon);
    const goal = cellOf(to.lat, to.lon);
    if (mask.isLandCell(start) || mask.isLandCell(goal)) return undefined;
    scratch ??= {
        g: new Float32Array(MASK_WIDTH * MASK_HEIGHT).fill(Infinity),
        parent: new Int32Array(MASK_WIDTH * MASK_HEIGHT).fill(-1),
    };
    const { g, parent } = scratch;
    const touched: number[] = [];
    const goalCentre = cellCentre(goal);
    const heap = new MinHeap();
    g[start] = 0;
    touched.push(start);
    heap.push(start, GREED * distanceNm(cellCentre(start), goalCentre));
    let expanded = 0;
    let found = false;
    try {
        while (heap.size > 0) {
            // The heap's least key bounds every path still open (the distance to go is weighted): past `maxNm`
            // none is short enough.
            if (heap.minKey > GREED * maxNm) break;
            const current = heap.pop();
            if (current === goal) {
                found = true;
                break;
            }
            if (++expanded > MAX_EXPANDED) break;
            const row = Math.floor(current / MASK_WIDTH);
            const col = current % MASK_WIDTH;
            const lat = (row + 0.5) / PER_DEGREE - 90;
            const dx = CELL_NM * Math.cos((lat * Math.PI) / 180);
            const base = g[current]!;
            for (let dr = -1; dr <= 1; dr++) {
                const r = row + dr;
                if (r < 0 || r >= MASK_HEIGHT || Math.abs((r + 0.5) / PER_DEGREE - 90) > MAX_ABS_LAT)
                    continue;
                for (let dc = -1; dc <= 1; dc++) {
                    if (dr === 0 && dc === 0) continue;
                    const next = r * MASK_WIDTH + ((col + dc + MASK_WIDTH) % MASK_WIDTH);
                    if (mask.isLandCell(next)) continue;
                    // No corner cutting: a diagonal step needs both side cells at sea.
                    if (
                        dr !== 0 &&
                        dc !== 0 &&
                        (mask.isLandCell(r * MASK_WIDTH + col) ||
                            mask.isLandCell(row * MASK_WIDTH + ((col + dc + MASK_WIDTH) % MASK_WIDTH)))
                    )
                        continue;
                    const cost = base + Math.hypot(dr * CELL_NM, dc * dx);
                    if (cost >= g[next]!) continue;
                    if (g[next] === Infinity) touched.push(next);
                    g[next] = cost;
                    parent[next] = current;
                    heap.push(next, cost + GREED * distanceNm(cellCentre(next), goalCentre));
                }
            }
        }
        if (!found) return undefined;
        const cells: LatLon[] = [];
        for (let c = goal; c !== -1; c = parent[c]!) cells.push(cellCentre(c));
        cells.reverse();
        return pullTight(mask, cells);
    } finally {
        for (const c of touched) {
            g[c] = Infinity;
            parent[c] = -1;
        }
    }
}

/**
 * The fewest waypoints of `cells` such that every segment between consecutive ones stays at sea: from each
 * waypoint, the furthest cell still in clear sight (galloping, then bisecting) becomes the next one.
 */
function pullTight(mask: LandMask, cells: readonly LatLon[]): LatLon[] {
    const out: LatLon[] = [cells[0]!];
    let i = 0;
    while (i < cells.length - 1) {
        let good = i + 1;
        let step = 1;
        let bad = -1;
        while (good + step < cells.length) {
            if (mask.isSegmentClear(cells[i]!, cells[good + step]!)) {
                good += step;
                step *= 2;
            } else {
                bad = good + step;
                break;
            }
        }
        if (bad === -1 && good < cells.length - 1) bad = cells.length;
        while (bad - good > 1) {
            const mid = (good + bad) >> 1;
            if (mid < cells.length && mask.isSegmentClear(cells[i]!, cells[mid]!)) good = mid;
            else bad = mid;
        }
        out.push(cells[good]!);
        i = good;
    }
    return out;
}

/** Length of a polyline, NM. */
export function pathNm(points: readonly LatLon[]): number {
    let nm = 0;
    for (let k = 1; k < points.length; k++) nm += distanceNm(points[k - 1]!, points[k]!);
    return nm;
}

/** The committed routes (`local/data/sea-routes.json`). */
export function loadSeaRoutes(path = findDataFile('sea-routes.json')): SeaRoute[] {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as {
        routes: { a: string; b: string; nm: number; path: [number, number][] }[];
    };
    return raw.routes.map((r) => ({
        a: r.a,
        b: r.b,
        nm: r.nm,
        path: r.path.map(([lat, lon]) => ({ lat, lon })),
    }));
}

/** A binary min-heap of cell indexes by priority. */
class MinHeap {
    readonly #items: number[] = [];
    readonly #keys: number[] = [];

    get size(): number {
        return this.#items.length;
    }

    get minKey(): number {
        return this.#keys[0] ?? Infinity;
    }

    push(item: number, key: number): void {
        const items = this.#items;
        const keys = this.#keys;
        let i = items.length;
        items.push(item);
        keys.push(key);
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (keys[p]! <= key) break;
            items[i] = items[p]!;
            keys[i] = keys[p]!;
            i = p;
        }
        items[i] = item;
        keys[i] = key;
    }

    pop(): number {
        const items = this.#items;
        const keys = this.#keys;
        const top = items[0]!;
        const lastItem = items.pop()!;
        const lastKey = keys.pop()!;
        const n = items.length;
        if (n > 0) {
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                if (l >= n) break;
                const r = l + 1;
                const c = r < n && keys[r]! < keys[l]! ? r : l;
                if (keys[c]! >= lastKey) break;
                items[i] = items[c]!;
                keys[i] = keys[c]!;
                i = c;
            }
            items[i] = lastItem;
            keys[i] = lastKey;
        }
        return top;
    }
}
