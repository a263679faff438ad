import { describe, expect, it } from '@jest/globals';

import {
    advancePortCalls,
    type Port,
    type PortCallState,
    PortIndex,
} from '../../../../shared/domain/gold/portCalls.js';
import { type DayTrack, haversineNm } from '../../../../shared/domain/gold/track.js';
import { Prng } from '../../../../shared/domain/prng.js';
import { portList } from '../../../../shared/domain/reference/lookup.js';

// Two ports 1 degree of latitude apart on the same meridian (60.04 NM on the haversine sphere).
const A: Port = { locode: 'AAAAA', name: 'Port A', lat: 10, lon: 20, radiusNm: 3 };
const B: Port = { locode: 'BBBBB', name: 'Port B', lat: 11, lon: 20, radiusNm: 3 };
const ports = new PortIndex([A, B]);
const T0 = Date.parse('2026-06-01T00:00:00Z');
const MIN = 60_000;
const H = 3_600_000;

interface Step {
    /** Minutes after T0. */
    at: number;
    /** NM north of port A. */
    nm: number;
    sog: number;
    nav?: number;
}

/** A track of fixes `nm` north of port A (1 NM = 1/60.04 degree on the model sphere). */
function track(steps: readonly Step[]): DayTrack {
    const degPerNm = 180 / (Math.PI * 3440.065);
    return {
        mmsi: 1,
        t: steps.map((s) => T0 + s.at * MIN),
        lat: steps.map((s) => A.lat + s.nm * degPerNm),
        lon: steps.map(() => A.lon),
        sog: steps.map((s) => s.sog),
        navStatus: steps.map((s) => s.nav ?? 0),
        jump: steps.map(() => 0),
    };
}

/** Every 10 minutes from `from` to `to` minutes (inclusive), at `nm`. */
function stay(from: number, to: number, nm: number, sog: number, nav = 0): Step[] {
    const out: Step[] = [];
    for (let at = from; at <= to; at += 10) out.push({ at, nm, sog, nav });
    return out;
}

/** Sailing from `fromNm` to `toNm` between the two times, a fix every 10 minutes. */
function sail(from: number, to: number, fromNm: number, toNm: number): Step[] {
    const out: Step[] = [];
    const sog = (Math.abs(toNm - fromNm) / (to - from)) * 60;
    for (let at = from; at <= to; at += 10)
        out.push({ at, nm: fromNm + ((toNm - fromNm) * (at - from)) / (to - from), sog });
    return out;
}

describe('advancePortCalls', () => {
    it('arrive, anchor, berth, leave: one call with the anchor wait, departure at the last fix inside the port', () => {
        // Arrange: from 30 NM out, sail to the anchorage 8 NM out (inside the approach area, outside the port),
        // wait at anchor 2 h, berth at 0.5 NM, moored 5 h, then leave to 30 NM.
        const steps = [
            ...sail(0, 110, 30, 8),
            ...stay(120, 240, 8, 0, 1),
            ...sail(250, 290, 7, 0.5),
            ...stay(300, 600, 0.5, 0, 5),
            ...sail(610, 800, 1, 30),
        ];
        // Act
        const r = advancePortCalls(1, {}, track(steps), ports);
        // Assert
        expect(r.closed).toHaveLength(1);
        const call = r.closed[0]!;
        expect(call).toMatchObject({ locode: 'AAAAA', status: 'closed', arrival: T0 + 300 * MIN });
        // Each fix holds until the next: anchored fixes at 120..240 hold 13 intervals of 10 min (to 250).
        expect(call.anchor_hours_before).toBeCloseTo(13 / 6, 9);
        // Last fix inside 3 NM: 1 NM at 610, then 190 min for 29 NM = about 9.16 NM per hour.
        const lastInside = steps.filter((s) => s.at >= 610 && s.nm <= 3).at(-1)!.at;
        expect(call.departure).toBe(T0 + lastInside * MIN);
        expect(call.hours_in_port).toBeCloseTo((lastInside - 300) / 60, 9);
        expect(r.open).toBeUndefined();
        expect(r.voyages).toEqual([]);
        expect(r.state.departed?.locode).toBe('AAAAA');
    });

    it('a stop shorter than 30 minutes in the port is no call; a vessel passing through at speed never arrives', () => {
        const steps = [...sail(0, 60, 10, 0.5), ...stay(70, 90, 0.5, 0.2), ...sail(100, 200, 0.5, 20)];
        const r = advancePortCalls(1, {}, track(steps), ports);
        expect(r.closed).toEqual([]);
        expect(r.open).toBeUndefined();
    });

    it('a call spanning midnight is carried over: open at the end of day 1, closed on day 2, counted once', () => {
        const day1 = [...sail(0, 60, 10, 0.5), ...stay(70, 1430, 0.5, 0, 5)];
        const day2 = [...stay(1440, 1800, 0.5, 0, 5), ...sail(1810, 1900, 1, 12)];
        const first = advancePortCalls(1, {}, track(day1), ports);
        expect(first.closed).toEqual([]);
        expect(first.open).toMatchObject({
            locode: 'AAAAA',
            status: 'open',
            arrival: T0 + 70 * MIN,
            departure: null,
        });
        // The state goes through JSON between runs (the ledger / lake keeps it).
        const carried = JSON.parse(JSON.stringify(first.state)) as PortCallState;
        const second = advancePortCalls(1, carried, track(day2), ports);
        expect(second.closed).toHaveLength(1);
        expect(second.closed[0]).toMatchObject({ arrival: T0 + 70 * MIN, status: 'closed' });
        // Last fix inside 3 NM: 2.22 NM at 1820 (1 NM at 1810, 11 NM in 90 min).
        expect(second.closed[0]!.departure).toBe(T0 + 1820 * MIN);
        expect(second.closed[0]!.hours_in_port).toBeCloseTo((1820 - 70) / 60, 9);
        // Re-running day 2 from the same carried state gives the same answer (a rebuild).
        expect(advancePortCalls(1, carried, track(day2), ports)).toEqual(second);
    });

    it('a coverage gap in port does not end the call: it departs at its last fix inside, the gap is reported', () => {
        // Moored from 70 min, silent from 300 to 900 min, reappears 25 NM out.
        const steps = [...sail(0, 60, 10, 0.5), ...stay(70, 300, 0.5, 0, 5), ...sail(900, 960, 25, 35)];
        const r = advancePortCalls(1, {}, track(steps), ports);
        expect(r.closed).toHaveLength(1);
        expect(r.closed[0]).toMatchObject({ arrival: T0 + 70 * MIN, departure: T0 + 300 * MIN });
        expect(r.closed[0]!.max_gap_hours).toBe(10);
    });

    it('a voyage from A to B: duration, distance sailed, port distance, detour and mean speed', () => {
        const degNm = 60.04; // 1 degree on the model sphere, NM
        const steps = [
            ...stay(0, 60, 0.5, 0, 5),
            ...sail(70, 430, 0.5, degNm - 0.5), // 59.54 NM in 6 h, straight north
            ...stay(440, 520, degNm - 0.5, 0, 5),
        ];
        const r = advancePortCalls(1, {}, track(steps), ports);
        expect(r.closed.map((c) => c.locode)).toEqual(['AAAAA']);
        expect(r.open).toMatchObject({ locode: 'BBBBB', arrival: T0 + 440 * MIN });
        expect(r.voyages).toHaveLength(1);
        const v = r.voyages[0]!;
        expect(v).toMatchObject({ from_locode: 'AAAAA', to_locode: 'BBBBB', arrival: T0 + 440 * MIN });
        const lastInsideA = T0 + 70 * MIN; // 0.5 NM at 70; the next fix (80) is 2.43 NM out, still inside 3 NM
        expect(v.departure).toBeGreaterThanOrEqual(lastInsideA);
        expect(v.port_distance_nm).toBeCloseTo((Math.PI / 180) * 3440.065, 6);
        expect(v.distance_nm).toBeGreaterThan(v.port_distance_nm - 1.5);
        expect(v.distance_nm).toBeLessThan(v.port_distance_nm);
        expect(v.detour_ratio).toBeCloseTo(v.distance_nm / v.port_distance_nm, 12);
        expect(v.mean_speed_kn).toBeCloseTo(v.distance_nm / v.duration_hours, 12);
        expect(v.duration_hours).toBeCloseTo((T0 + 440 * MIN - v.departure) / H, 12);
    });
});

describe('PortIndex.nearest', () => {
    /** Every port, nearest first among those whose approach area holds the point (what the grid search must find). */
    function bruteForce(
        index: PortIndex,
        all: readonly Port[],
        lat: number,
        lon: number,
    ): { port: Port; distanceNm: number } | undefined {
        let best: { port: Port; distanceNm: number } | undefined;
        for (const p of all) {
            const d = haversineNm(lat, lon, p.lat, p.lon);
            if (d <= index.approachNm(p) && (best === undefined || d < best.distanceNm))
                best = { port: p, distanceNm: d };
        }
        return best;
    }

    it('finds what a search over every port finds, for points near the real ports, cell edges, the antimeridian and the poles', () => {
        const all = portList();
        // Ports where cells wrap or shrink: across the antimeridian, near a pole, and two in one cell.
        const edge: Port[] = [
            { locode: 'XXEAS', name: 'East', lat: -17.5, lon: 179.95, radiusNm: 5 },
            { locode: 'XXWES', name: 'West', lat: -17.2, lon: -179.3, radiusNm: 5 },
            { locode: 'XXPOL', name: 'Polar', lat: 84.2, lon: 10, radiusNm: 8 },
            { locode: 'XXNE1', name: 'Near 1', lat: 52.1, lon: 4.1, radiusNm: 3 },
            { locode: 'XXNE2', name: 'Near 2', lat: 52.15, lon: 4.05, radiusNm: 3 },
        ];
        const ports = [...all, ...edge];
        const index = new PortIndex(ports);
        const rng = new Prng(11);
        let found = 0;
        for (let i = 0; i < 20_000; i++) {
            const p = ports[Math.floor(rng.next() * ports.length)]!;
            // Within about 40 NM of a port (up to the search's reach), sometimes anywhere on Earth.
            const far = rng.next() < 0.1;
            const lat = far
                ? rng.next() * 180 - 90
                : Math.max(-90, Math.min(90, p.lat + (rng.next() - 0.5) * 1.4));
            const lon = far ? rng.next() * 360 - 180 : ((p.lon + (rng.next() - 0.5) * 1.4 + 540) % 360) - 180;
            const expected = bruteForce(index, ports, lat, lon);
            // The same point asked twice (the second answer comes from the cached cell).
            expect(index.nearest(lat, lon)).toEqual(expected);
            expect(index.nearest(lat, lon)).toEqual(expected);
            if (expected !== undefined) found++;
        }
        // Most points were near a port: the comparison is not all "undefined".
        expect(found).toBeGreaterThan(1_000);
    });
});
