/**
 * Simulator realism: the fleet never sails across land (Natural Earth 1:50m land mask), and a restart continues
 * each vessel from where it was instead of jumping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { Fleet, type Vessel } from '../../../../local/simulator/fleet.js';
import { distanceNm } from '../../../../local/simulator/greatCircle.js';
import { LandMask, MAX_APPROACH_NM, naturalEarthLand } from '../../../../local/simulator/landMask.js';
import { loadSeaRoutes, pathNm, planSeaRoute, portKey } from '../../../../local/simulator/seaRoutes.js';
import { SimulatorSource } from '../../../../local/simulator/SimulatorSource.js';
import { portList } from '../../../../shared/domain/reference/lookup.js';
import { FakeSimClock } from '../../../fakes/FakeSimClock.js';
import { expectWith } from '../../../helpers/expectWith.js';

const START = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('land mask', () => {
    const land = naturalEarthLand();

    it('knows land from sea (Natural Earth 1:50m)', () => {
        for (const [lat, lon] of [
            [48.85, 2.35],
            [40.4, -3.7],
            [23, 10],
            [-25, 135],
            [39, -100],
        ] as const)
            expectWith(land.isLand(lat, lon), `${lat},${lon}`).toBe(true);
        for (const [lat, lon] of [
            [55, 3],
            [40, -40],
            [50.2, -1],
            [35, 18],
            [57, 19],
            [-40, 60],
        ] as const)
            expectWith(land.isLand(lat, lon), `${lat},${lon}`).toBe(false);
    });

    it('sees that a line across a continent is not at sea, and one across open water is', () => {
        const northSea = { lat: 52.5, lon: 3.5 };
        const ligurianSea = { lat: 43.9, lon: 8.9 };
        expect(land.isSegmentClear(northSea, ligurianSea)).toBe(false);
        expect(land.isSegmentClear({ lat: 45, lon: -5 }, { lat: 47, lon: -7 })).toBe(true); // Bay of Biscay
    });

    it('rasterises with holes (even-odd) from plain polygons', () => {
        const square = [
            [
                [0, 0],
                [10, 0],
                [10, 10],
                [0, 10],
                [0, 0],
            ],
            [
                [4, 4],
                [6, 4],
                [6, 6],
                [4, 6],
                [4, 4],
            ],
        ];
        const mask = LandMask.fromPolygons([square]);
        expect(mask.isLand(2, 2)).toBe(true);
        expect(mask.isLand(5, 5)).toBe(false); // the hole
        expect(mask.isLand(-1, 5)).toBe(false);
    });

    it('plans a route around land, every segment at sea', () => {
        // Bay of Biscay to the English Channel: around Brittany (Ushant), not across it.
        const from = { lat: 47, lon: -3.5 };
        const to = { lat: 50, lon: -2 };
        expect(land.isSegmentClear(from, to)).toBe(false);
        const path = planSeaRoute(land, from, to)!;
        expect(path).toBeDefined();
        for (let k = 1; k < path.length; k++)
            expectWith(land.isSegmentClear(path[k - 1]!, path[k]!), `segment ${k}`).toBe(true);
        expect(Math.min(...path.map((p) => p.lon))).toBeLessThan(-4.5); // rounded Brittany
        expect(pathNm(path)).toBeGreaterThan(1.2 * distanceNm(from, to));
    });
});

describe('the committed sea routes', () => {
    const land = naturalEarthLand();
    const routes = loadSeaRoutes();
    const ports = new Map(portList().map((p) => [portKey(p), p]));

    it('link most ports into one network', () => {
        const linked = new Set(routes.flatMap((r) => [r.a, r.b]));
        expect(routes.length).toBeGreaterThan(ports.size * 2);
        expect(linked.size).toBeGreaterThan(ports.size * 0.75);
        for (const key of linked) expectWith(ports.has(key), key).toBe(true);
    });

    it('stay at sea between the harbour approaches, and the approaches are short', () => {
        for (const r of routes) {
            for (let k = 1; k < r.path.length; k++)
                expectWith(
                    land.isSegmentClear(r.path[k - 1]!, r.path[k]!),
                    `${r.a} -> ${r.b} segment ${k}`,
                ).toBe(true);
            expectWith(distanceNm(ports.get(r.a)!, r.path[0]!), `${r.a} approach`).toBeLessThanOrEqual(
                MAX_APPROACH_NM,
            );
            expectWith(
                distanceNm(ports.get(r.b)!, r.path[r.path.length - 1]!),
                `${r.b} approach`,
            ).toBeLessThanOrEqual(MAX_APPROACH_NM);
        }
    });
});

/** On the first or last segment of its leg: the harbour approach, where 1:50m coastlines may say land. */
function onApproach(v: Vessel): boolean {
    if (v.mooredUntil > 0 || v.leg === undefined) return true;
    const at = v.leg.at;
    return v.doneNm <= at[1]! || v.doneNm >= at[at.length - 2]!;
}

describe('the simulated fleet never crosses land', () => {
    // Route segments are checked every 1 NM, so a segment may clip the corner of a coastal mask cell between two
    // samples: a position counts as on land when it is more than one cell (3 NM) from the nearest sea cell.
    it('no position is more than a mask cell inside land over a simulated week of 200 vessels (harbour approaches aside)', () => {
        const land = naturalEarthLand();
        const fleet = new Fleet({ seed: 1, vessels: 200 }, START);
        const onLand: string[] = [];
        const visited = new Set<string>();
        let positions = 0;
        // 7 days in 5-minute steps: every leg is sailed from end to end many times over.
        for (let step = 1, t = START; step <= 7 * 288; step++) {
            t += 300_000;
            fleet.advance(300_000, t);
            for (const v of fleet.vessels) {
                positions++;
                visited.add(v.origin.name);
                if (
                    !onApproach(v) &&
                    land.isLand(v.lat, v.lon) &&
                    distanceNm(v, land.nearestSea(v) ?? { lat: 90, lon: 0 }) > 3
                )
                    onLand.push(
                        `${v.mmsi} ${v.origin.name}->${v.dest.name} at ${v.lat.toFixed(3)},${v.lon.toFixed(3)}`,
                    );
            }
        }
        expect(positions).toBe(200 * 7 * 288);
        expect(onLand.slice(0, 10)).toEqual([]);
        expect(visited.size).toBeGreaterThan(60); // the fleet spreads over the network, not a handful of ports
    });
});

describe('a restart continues the tracks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // Stopped at 17:55 and restarted at 18:01, in the next 6-hour slot of the layout (where the fleet used to be
    // laid out afresh from the seed: the 71 NM jump seen at a restart).
    const RUN_FROM = Date.UTC(2025, 5, 1, 17, 35);
    const RESTART = Date.UTC(2025, 5, 1, 18, 1);

    it('each vessel resumes from its saved position, moved on only by the time the simulator was stopped', async () => {
        const statePath = join(dir, 'simulator.json');
        const clock = new FakeSimClock(RUN_FROM);
        const first = new SimulatorSource({ seed: 5, vessels: 60, rate: 20, clock, statePath });
        await first.start(() => undefined);
        clock.run(20 * 60_000);
        await first.stop(); // saves
        const before = new Map(first.fleet.vessels.map((v) => [v.mmsi, { lat: v.lat, lon: v.lon }]));

        const gapMs = RESTART - clock.t;
        const second = new SimulatorSource({
            seed: 5,
            vessels: 60,
            rate: 20,
            clock: new FakeSimClock(RESTART),
            statePath,
        });
        expect(second.restoredVessels).toBe(60);
        let worst = 0;
        for (const v of second.fleet.vessels) {
            const b = before.get(v.mmsi)!;
            const jumpNm = distanceNm(b, v);
            const maxNm = (v.cruiseSpeed * 1.1 * gapMs) / 3_600_000 + 0.01;
            expectWith(jumpNm, `vessel ${v.mmsi}`).toBeLessThanOrEqual(maxNm);
            worst = Math.max(worst, jumpNm);
        }
        expect(worst).toBeGreaterThan(0); // they did sail on during the gap
    });

    it('without a saved state the same restart jumps (what the state file prevents)', async () => {
        const clock = new FakeSimClock(RUN_FROM);
        const first = new SimulatorSource({ seed: 5, vessels: 60, rate: 20, clock });
        await first.start(() => undefined);
        clock.run(20 * 60_000);
        await first.stop();
        const second = new SimulatorSource({
            seed: 5,
            vessels: 60,
            rate: 20,
            clock: new FakeSimClock(RESTART),
        });
        const jumps = second.fleet.vessels.map((v) =>
            distanceNm(
                first.fleet.vessels.find((u) => u.mmsi === v.mmsi)!,
                v,
            ),
        );
        expect(Math.max(...jumps)).toBeGreaterThan(50);
    });
});
