/**
 * `maritime start --time-scale N`: the time mapping (simulated time starts in the past, runs N times faster until it
 * catches up with the wall clock, never after it) and the simulators under it (AIS, sensors, restart continuity).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { distanceNm } from '../../../../local/simulator/greatCircle.js';
import { SensorSimulatorSource } from '../../../../local/simulator/SensorSimulatorSource.js';
import { SimTime } from '../../../../local/simulator/simTime.js';
import { SimulatorSource } from '../../../../local/simulator/SimulatorSource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import { FakeSimClock } from '../../../fakes/FakeSimClock.js';

const WALL = Date.UTC(2026, 11, 3, 12, 0, 0);
const HOUR = 3_600_000;

/** Tag-block time (`c:`, seconds) of every sentence of an AIS event, in ms (the payload may hold `c:` too). */
function tagTimes(e: SourceEvent): number[] {
    return [...String(e.body).matchAll(/,c:(\d+)\*/g)].map((m) => Number(m[1]) * 1000);
}

describe('SimTime', () => {
    it('is the wall clock without a history', () => {
        const t = SimTime.wall(WALL);
        for (const w of [WALL, WALL + 1, WALL + 86_400_000]) expect(t.at(w)).toBe(w);
        expect(t.rateAt(WALL + 5)).toBe(1);
        expect(t.catchingUp(WALL)).toBe(false);
        expect(t.caughtUpAt).toBe(WALL);
    });

    it('starts the history back, runs N times faster, catches up, then keeps the wall clock', () => {
        const t = new SimTime({ scale: 360, wallStart: WALL, simStart: WALL - 12 * HOUR });
        // 12 h at 360x: 12 h / 359 of wall time, about 2 minutes
        expect(t.caughtUpAt).toBe(WALL + (12 * HOUR) / 359);
        expect(t.at(WALL)).toBe(WALL - 12 * HOUR);
        expect(t.at(WALL + 10_000)).toBe(WALL - 12 * HOUR + 3_600_000); // 10 s of wall = 1 simulated hour
        expect(t.rateAt(WALL + 10_000)).toBe(360);
        expect(t.lagMs(WALL + 10_000)).toBe(12 * HOUR - 3_600_000 + 10_000);
        expect(t.catchingUp(WALL + 10_000)).toBe(true);
        expect(t.at(t.caughtUpAt)).toBe(t.caughtUpAt);
        expect(t.at(WALL + 10 * 60_000)).toBe(WALL + 10 * 60_000);
        expect(t.rateAt(WALL + 10 * 60_000)).toBe(1);
        expect(t.lagMs(WALL + 10 * 60_000)).toBe(0);
        expect(t.catchingUp(WALL + 10 * 60_000)).toBe(false);
    });

    it('never runs ahead of the wall clock and never goes back', () => {
        const t = new SimTime({ scale: 1000, wallStart: WALL, simStart: WALL - 3 * HOUR });
        let last = -Infinity;
        for (let w = WALL; w < WALL + 60_000; w += 37) {
            const s = t.at(w);
            expect(s).toBeLessThanOrEqual(w);
            expect(s).toBeGreaterThanOrEqual(last);
            last = s;
        }
    });

    it('refuses what cannot catch up or would lie about the future', () => {
        expect(() => new SimTime({ scale: 0.5, wallStart: WALL })).toThrow(
            /time scale must be a number >= 1/,
        );
        expect(() => new SimTime({ scale: 10, wallStart: WALL, simStart: WALL + 1 })).toThrow(
            /may not start after the wall clock/,
        );
        expect(() => new SimTime({ scale: 1, wallStart: WALL, simStart: WALL - HOUR })).toThrow(
            /needs a time scale above 1/,
        );
    });

    it('gives the other simulators a clock in simulated time over the wall timers', () => {
        const wall = new FakeSimClock(WALL);
        const t = new SimTime({ scale: 60, wallStart: WALL, simStart: WALL - HOUR });
        const clock = t.clock(wall);
        expect(clock.now()).toBe(WALL - HOUR);
        let fired = 0;
        clock.setInterval(() => fired++, 1000);
        wall.run(10_000);
        expect(fired).toBe(10);
        expect(clock.now()).toBe(WALL - HOUR + 600_000);
    });
});

async function run(source: SimulatorSource, clock: FakeSimClock, ms: number): Promise<SourceEvent[]> {
    const events: SourceEvent[] = [];
    await source.start((e) => void events.push(...e));
    clock.run(ms);
    await source.stop();
    return events;
}

describe('SimulatorSource under a time scale', () => {
    it('stamps messages in simulated time: from the history start, N times faster, never in the future', async () => {
        const clock = new FakeSimClock(WALL);
        const source = new SimulatorSource({
            seed: 3,
            vessels: 40,
            rate: 100,
            timeScale: 360,
            historyMs: 2 * HOUR,
            clock,
        });
        const events = await run(source, clock, 10_000);
        const times = events.flatMap(tagTimes);
        expect(times.length).toBeGreaterThan(500);
        // 10 s of wall time at 360x = 1 simulated hour, starting 2 h back
        expect(Math.min(...times)).toBeGreaterThanOrEqual(WALL - 2 * HOUR - 1000);
        expect(Math.min(...times)).toBeLessThan(WALL - 2 * HOUR + 60_000);
        expect(Math.max(...times)).toBeGreaterThan(WALL - HOUR - 60_000);
        expect(Math.max(...times)).toBeLessThanOrEqual(WALL - HOUR);
        for (const t of times) expect(t).toBeLessThanOrEqual(clock.now());
    });

    it('keeps the event rate per wall second, while catching up and after', async () => {
        const clock = new FakeSimClock(WALL);
        const source = new SimulatorSource({
            seed: 3,
            vessels: 100,
            rate: 200,
            timeScale: 600,
            historyMs: HOUR,
            clock,
        });
        const counts: number[] = [];
        await source.start((e) => void (counts[counts.length - 1]! += e.length));
        for (let i = 0; i < 3; i++) {
            counts.push(0);
            clock.run(5_000); // caught up after 3600/599 = 6.0 s
        }
        await source.stop();
        expect(source.time.catchingUp(WALL + 5_000)).toBe(true);
        expect(source.time.catchingUp(clock.now())).toBe(false);
        // the first and the last 5 s: about 200 events/s each (the middle one straddles the switch)
        for (const n of [counts[0]!, counts[2]!]) {
            expect(n / 5).toBeGreaterThan(200 * 0.8);
            expect(n / 5).toBeLessThan(200 * 1.2);
        }
    });

    it('moves vessels in simulated time, so reported speed and track agree', async () => {
        const clock = new FakeSimClock(WALL);
        const source = new SimulatorSource({
            seed: 4,
            vessels: 30,
            rate: 60,
            timeScale: 120,
            historyMs: 2 * HOUR,
            clock,
        });
        await source.start(() => undefined);
        const v = source.fleet.vessels.find((x) => x.mooredUntil === 0 && x.speed > 5)!;
        const before = { lat: v.lat, lon: v.lon, speed: v.speed };
        clock.run(3_000); // 3 s of wall = 6 simulated minutes
        await source.stop();
        const sailedNm = distanceNm(before, v);
        const expectedNm = (before.speed * 6) / 60;
        expect(sailedNm).toBeGreaterThan(expectedNm * 0.6);
        expect(sailedNm).toBeLessThan(expectedNm * 1.4);
    });

    it('stages no close-quarters encounter while catching up (the collision watch would find them stale)', async () => {
        const clock = new FakeSimClock(WALL);
        const source = new SimulatorSource({
            seed: 3,
            vessels: 20,
            rate: 50,
            timeScale: 360,
            historyMs: HOUR,
            clock,
            encounters: true,
        });
        await source.start(() => undefined);
        clock.run(9_000); // still catching up (3600/359 = 10.03 s)
        expect(source.encounters!.stats.created).toBe(0);
        clock.run(3_000); // caught up
        await source.stop();
        expect(source.encounters!.stats.created).toBeGreaterThan(0);
    });

    describe('restart continuity', () => {
        const dir = mkdtempSync(join(tmpdir(), 'sim-timescale-'));
        afterAll(() => rmSync(dir, { recursive: true, force: true }));

        it('a restart starts its history where the last run stopped: no stretch of simulated time is sent twice', async () => {
            const statePath = join(dir, 'simulator.json');
            const clock = new FakeSimClock(WALL);
            const first = new SimulatorSource({
                seed: 5,
                vessels: 30,
                rate: 50,
                timeScale: 360,
                historyMs: 12 * HOUR,
                clock,
                statePath,
            });
            const firstEvents = await run(first, clock, 20_000); // 2 simulated hours, then stopped (saved)
            const lastSent = Math.max(...firstEvents.flatMap(tagTimes));
            const stoppedAt = clock.now();

            // restarted 5 minutes later with the same 12 h history: it must not go back 12 h
            const clock2 = new FakeSimClock(stoppedAt + 5 * 60_000);
            const second = new SimulatorSource({
                seed: 5,
                vessels: 30,
                rate: 50,
                timeScale: 360,
                historyMs: 12 * HOUR,
                clock: clock2,
                statePath,
            });
            expect(second.restoredVessels).toBe(30);
            expect(second.time.simStart).toBeGreaterThanOrEqual(lastSent);
            const secondEvents = await run(second, clock2, 10_000);
            const times = secondEvents.flatMap(tagTimes);
            expect(times.length).toBeGreaterThan(0);
            expect(Math.min(...times)).toBeGreaterThanOrEqual(lastSent);
            // each vessel continues from where it was (no re-layout from the seed)
            const before = new Map(first.fleet.vessels.map((v) => [v.mmsi, v]));
            for (const v of second.fleet.vessels) expect(before.has(v.mmsi)).toBe(true);
            expect(new Set(secondEvents.map((e) => e.partitionKey)).size).toBe(30);
        });
    });
});

describe('SensorSimulatorSource under a time scale', () => {
    it('stamps readings in simulated time with the rate per wall second unchanged', async () => {
        const clock = new FakeSimClock(WALL);
        const ais = new SimulatorSource({
            seed: 2,
            vessels: 30,
            rate: 50,
            timeScale: 360,
            historyMs: 6 * HOUR,
            clock,
        });
        const sensors = new SensorSimulatorSource({
            fleet: ais.fleet,
            vessels: 10,
            rate: 40,
            clock,
            time: ais.time,
        });
        const readings: { timestamp: string }[] = [];
        await ais.start(() => undefined);
        await sensors.start((events) => {
            for (const e of events) readings.push(JSON.parse(String(e.body)) as { timestamp: string });
        });
        clock.run(10_000);
        await sensors.stop();
        await ais.stop();
        const times = readings.map((r) => Date.parse(r.timestamp));
        expect(readings.length / 10).toBeGreaterThan(40 * 0.8);
        expect(readings.length / 10).toBeLessThan(40 * 1.2);
        expect(Math.min(...times)).toBeGreaterThanOrEqual(WALL - 6 * HOUR);
        expect(Math.max(...times)).toBeLessThanOrEqual(WALL - 5 * HOUR);
        expect(Math.max(...times)).toBeGreaterThan(WALL - 5 * HOUR - 60_000);
    });
});
