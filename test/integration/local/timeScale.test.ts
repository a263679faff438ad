/**
 * `maritime start --time-scale`, end to end on the embedded stack (in memory): the traffic simulator starts a day of
 * simulated time back and runs it 1,440 times faster (its wall clock is a fake one driven by the test, so the test
 * waits on events, never on the wall clock) -> Event Hub 'ais-raw' -> ingestAis -> silver -> the app's buildGold
 * timer handler -> port calls, voyages and emissions served by the HTTP endpoints.
 *
 * Independent of the time of day the test runs at: simulated time starts at the start of a 6-hour slot (where the
 * simulator lays its fleet out), so the fleet sails the same 22.8 hours whenever it runs; only where midnight falls
 * in them moves, and the port-call state carried from one gold day to the next makes that invisible.
 */
import { afterAll, describe, expect, it } from '@jest/globals';

import { buildGold } from '../../../functions/buildGold.js';
import { timeScaleSettings } from '../../../local/run.js';
import { SimulatorSource } from '../../../local/simulator/SimulatorSource.js';
import { type Stack, startStack } from '../../../local/stack.js';
import { FakeSimClock } from '../../fakes/FakeSimClock.js';
import { fireTimer, TIMERS_OFF } from '../../helpers/timers.js';

const HOUR = 3_600_000;
/** The simulator lays its fleet out at the start of the 6-hour slot of the simulated start. */
const SLOT = 6 * HOUR;
const SCALE = 1440;

let stack: Stack | undefined;
afterAll(async () => {
    await stack?.stop({ drainTimeoutMs: 0 });
});

interface Page<T> {
    items: T[];
}

async function get<T>(url: string): Promise<T> {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

describe('npm start --time-scale: the simulated fleet reaches gold', () => {
    it('a day of simulated traffic at 1,440x gives port calls, voyages and emissions over HTTP, with no event time in the future', async () => {
        const testStart = Date.now();
        // 24 to 30 hours back: the start of the slot a day ago
        const historyMs = testStart - Math.floor((testStart - 24 * HOUR) / SLOT) * SLOT;
        const settings = {
            ...timeScaleSettings(historyMs, testStart),
            // the test fires buildGold itself, once everything is ingested
            ...TIMERS_OFF,
        };
        stack = await startStack({ inMemory: true, httpPort: 0, partitions: 2, batchWindowMs: 50, settings });
        const s = stack;

        // 100 vessels, 400 events per (fake) wall second: a position report every ~6 simulated minutes at 1,440x
        const clock = new FakeSimClock(testStart);
        const source = new SimulatorSource({
            seed: 1,
            vessels: 100,
            rate: 400,
            timeScale: SCALE,
            historyMs,
            clock,
            encounters: false,
        });
        expect(source.time.simStart).toBe(testStart - historyMs);
        let published = 0;
        await source.start((events) => {
            published += events.length;
            s.publish(events);
        });
        // 57 fake seconds = 22.8 simulated hours; pause while the local hub holds a backlog (bounded memory)
        for (let second = 0; second < 57; second++) {
            clock.run(1000);
            while (s.host.backlog > 4000) await new Promise((r) => setTimeout(r, 20));
        }
        await source.stop();
        const simEnd = source.time.at(clock.now());
        expect(simEnd).toBe(testStart - historyMs + 57_000 * SCALE);
        expect(simEnd).toBeLessThan(Date.now());
        await s.host.idle();

        // everything reconciles and nothing was refused for a time in the future (or too old)
        const t = s.totals;
        expect(t.events).toBe(published);
        expect(t.received).toBe(t.accepted + t.quarantined + t.duplicates + t.skipped);
        expect(t.skipped).toBe(0);
        expect(t.accepted).toBeGreaterThan(published * 0.9);
        expect(t.quarantinedByReason.EVENT_TIME_IN_FUTURE ?? 0).toBe(0);
        expect(t.quarantinedByReason.EVENT_TIME_TOO_OLD ?? 0).toBe(0);

        // the app's own timer handler builds the days the history spans (yesterday and today)
        const built = await fireTimer(buildGold, s.runtime, 'buildGold');
        const days = [day(testStart - historyMs), day(testStart)];
        expect(
            built.windows
                .filter((w) => w.outcome === 'built')
                .map((w) => w.day)
                .sort(),
        ).toEqual([...new Set(days)].sort());

        // which vessels have rows (the store), then each row as the HTTP endpoint serves it
        const range = `from=${days[0]}&to=${days[days.length - 1]}`;
        const api = s.baseUrl;
        const vesselsWith = async (table: string): Promise<number[]> => {
            const found = await s.runtime.gold.query({
                table,
                fromDay: days[0],
                toDay: days[days.length - 1],
                limit: 1000,
            });
            return [...new Set(found.items.map((d) => d.mmsi))];
        };

        const emitting = await vesselsWith('emissions_daily');
        expect(emitting.length).toBeGreaterThan(50);
        const emissions = await get<Page<{ co2_t: number; fuel_total_t: number }>>(
            `${api}/vessels/${emitting[0]}/emissions?${range}`,
        );
        expect(emissions.items.length).toBeGreaterThan(0);
        expect(emissions.items.some((r) => r.co2_t > 0 && r.fuel_total_t > 0)).toBe(true);

        // the fleet's short-sea services (ferries, tugs, feeders between ports 15-60 NM apart) call every few hours
        const calling = await vesselsWith('port_calls');
        expect(calling.length).toBeGreaterThan(20);
        const calls = await get<Page<{ locode: string; arrival: string | number; status: string }>>(
            `${api}/vessels/${calling[0]}/port-calls?${range}`,
        );
        expect(calls.items.length).toBeGreaterThan(0);
        for (const c of calls.items) {
            expect(c.locode).toMatch(/^[A-Z]{2}[A-Z2-9]{3}$/);
            const arrival = new Date(c.arrival).getTime();
            // in simulated time: within the history, not after its end (never in the future)
            expect(arrival).toBeGreaterThanOrEqual(testStart - historyMs);
            expect(arrival).toBeLessThanOrEqual(simEnd);
        }

        const sailing = await vesselsWith('voyages');
        expect(sailing.length).toBeGreaterThanOrEqual(10);
        const voyages = await get<
            Page<{
                from_locode: string;
                to_locode: string;
                departure: string | number;
                arrival: string | number;
                duration_hours: number;
                distance_nm: number;
            }>
        >(`${api}/vessels/${sailing[0]}/voyages?${range}`);
        expect(voyages.items.length).toBeGreaterThan(0);
        const v = voyages.items[0]!;
        expect(new Date(v.departure).getTime()).toBeLessThan(new Date(v.arrival).getTime());
        expect(v.distance_nm).toBeGreaterThan(0);
        // the voyage took longer in simulated time than the whole test took on the wall clock: time ran faster
        expect(v.duration_hours * HOUR).toBeGreaterThan(Date.now() - testStart);

        // the fleet summary and data quality of the day the history ended in
        const summary = await get<{ vessels: number; co2_t: number }>(
            `${api}/fleet/summary?date=${day(simEnd)}`,
        );
        expect(summary.vessels).toBeGreaterThan(50);
        expect(summary.co2_t).toBeGreaterThan(0);
        const dq = await get<Page<{ layer: string; received: number | null }>>(
            `${api}/dq?date=${day(simEnd)}`,
        );
        expect(dq.items.some((r) => r.layer === 'silver')).toBe(true);
    }, 900_000);
});
