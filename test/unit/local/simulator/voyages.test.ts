/**
 * The simulated fleet as gold sees it: its AIS, decoded by the real decoder, through the gold port-call rules
 * (`advancePortCalls`, the real port index). What `npm start --time-scale` promises a newcomer rests on this: within a
 * few simulated hours the fleet completes voyages (a port call, a passage, the next port call), and the port-call rule
 * sees the fleet's stays in port.
 */
import { describe, expect, it } from '@jest/globals';

import { isShortSea, SHORT_SEA_NM } from '../../../../local/simulator/fleet.js';
import { SimulatorSource } from '../../../../local/simulator/SimulatorSource.js';
import { AisDecoder } from '../../../../shared/domain/ais/decoder.js';
import { advancePortCalls, type PortCall, type Voyage } from '../../../../shared/domain/gold/portCalls.js';
import { createPortIndex } from '../../../../shared/domain/gold/ports.js';
import { FakeSimClock } from '../../../fakes/FakeSimClock.js';

const WALL = Date.UTC(2026, 11, 3, 16, 7, 0);
const HOUR = 3_600_000;

interface Fix {
    t: number;
    lat: number;
    lon: number;
    sog: number;
    nav: number;
}

/**
 * `hours` of simulated time of the seed-1 fleet at `scale`x (as the integration test and `npm start` run it), the
 * fleet's own arrivals in port counted tick by tick, and each vessel's decoded fixes.
 */
async function simulate(
    hours: number,
    vessels: number,
    rate: number,
    scale: number,
): Promise<{ fixes: Map<number, Fix[]>; arrivals: number; source: SimulatorSource }> {
    const clock = new FakeSimClock(WALL);
    const source = new SimulatorSource({
        seed: 1,
        vessels,
        rate,
        timeScale: scale,
        historyMs: 24 * HOUR,
        clock,
    });
    const fixes = new Map<number, Fix[]>();
    const decoder = new AisDecoder();
    await source.start((events) => {
        for (const e of events) {
            const out = [...e.body.split('\n').flatMap((l) => decoder.push(l, WALL)), ...decoder.flush()];
            for (const o of out) {
                if (o.kind !== 'message') continue;
                const m = o.message;
                if ((m.type !== 1 && m.type !== 3 && m.type !== 18) || o.tagBlock?.timestamp === undefined)
                    continue;
                const list = fixes.get(m.mmsi) ?? [];
                fixes.set(m.mmsi, list);
                list.push({
                    t: o.tagBlock.timestamp,
                    lat: m.lat as number,
                    lon: m.lon as number,
                    sog: (m.speed as number | undefined) ?? Number.NaN,
                    nav: (m as { status?: number }).status ?? -1,
                });
            }
        }
    });
    const moored = new Map(source.fleet.vessels.map((v) => [v.mmsi, v.mooredUntil > 0]));
    let arrivals = 0;
    const ticks = Math.round((hours * HOUR) / scale / clock.ms);
    for (let k = 0; k < ticks; k++) {
        clock.run(clock.ms);
        for (const v of source.fleet.vessels) {
            const now = v.mooredUntil > 0;
            if (now && !moored.get(v.mmsi)) arrivals++;
            moored.set(v.mmsi, now);
        }
    }
    await source.stop();
    return { fixes, arrivals, source };
}

/** Port calls (closed and open) and voyages of every vessel's fixes, by the gold rules. */
function goldOf(fixes: Map<number, Fix[]>): { calls: PortCall[]; voyages: Voyage[] } {
    const ports = createPortIndex();
    const calls: PortCall[] = [];
    const voyages: Voyage[] = [];
    for (const [mmsi, list] of fixes) {
        // a second receiver's copy (same time) and sentences decoded out of order: one fix per time, in order
        const byTime = [...new Map(list.map((f) => [f.t, f])).values()].sort((a, b) => a.t - b.t);
        const r = advancePortCalls(
            mmsi,
            {},
            {
                mmsi,
                t: byTime.map((f) => f.t),
                lat: byTime.map((f) => f.lat),
                lon: byTime.map((f) => f.lon),
                sog: byTime.map((f) => f.sog),
                navStatus: byTime.map((f) => f.nav),
                jump: byTime.map(() => 0),
            },
            ports,
        );
        calls.push(...r.closed, ...(r.open === undefined ? [] : [r.open]));
        voyages.push(...r.voyages);
    }
    return { calls, voyages };
}

describe('the simulated fleet through the gold port-call rules', () => {
    it('at 1,440x (the integration test): voyages of several vessels within 5 simulated hours, every stay in port seen', async () => {
        const { fixes, arrivals, source } = await simulate(5, 100, 400, 1440);
        const { calls, voyages } = goldOf(fixes);
        const start = source.time.simStart;
        // several vessels complete a voyage (depart one call, arrive at the next) in the first 5 simulated hours
        expect(new Set(voyages.map((v) => v.mmsi)).size).toBeGreaterThanOrEqual(8);
        for (const v of voyages) {
            expect(v.departure).toBeGreaterThanOrEqual(start);
            expect(v.arrival).toBeLessThanOrEqual(start + 5 * HOUR);
            expect(v.departure).toBeLessThan(v.arrival);
            expect(v.from_locode).not.toBe(v.to_locode);
        }
        // short-sea services: ports 15-60 NM apart by sea (the passage is at least the great circle between them)
        const shortSea = new Set(source.fleet.vessels.filter((v) => v.shortSea).map((v) => v.mmsi));
        const short = voyages.filter((v) => shortSea.has(v.mmsi));
        expect(short.length).toBeGreaterThan(0);
        for (const v of short) {
            expect(v.port_distance_nm).toBeLessThanOrEqual(SHORT_SEA_NM[1]);
            expect(v.distance_nm).toBeGreaterThanOrEqual(v.port_distance_nm * 0.95);
        }
        // the rule (stopped in port for 30 min) sees nearly every arrival: stays are 20 min to 3 h (short-sea 40 min
        // to 2 h) and the downsampled feed gives a moored vessel a fix every few minutes
        expect(arrivals).toBeGreaterThan(20);
        expect(calls.length).toBeGreaterThanOrEqual(arrivals * 0.8);
    }, 120_000);

    it('at 360x with 200 vessels (npm start): a voyage within 4 simulated hours (40 s of wall time)', async () => {
        const { fixes } = await simulate(4, 200, 200, 360);
        const { voyages } = goldOf(fixes);
        expect(new Set(voyages.map((v) => v.mmsi)).size).toBeGreaterThanOrEqual(5);
    }, 120_000);

    it('short-sea trade: ferries, tugs and feeders, by type and size; never Class B', () => {
        const a = { cls: 'A' as const, to_bow: 100, to_stern: 20 };
        expect(isShortSea({ ...a, shiptype: 60 })).toBe(true); // passenger
        expect(isShortSea({ ...a, shiptype: 52 })).toBe(true); // tug
        expect(isShortSea({ ...a, shiptype: 70 })).toBe(true); // a 120 m feeder
        expect(isShortSea({ ...a, shiptype: 70, to_bow: 250 })).toBe(false); // a 270 m container ship
        expect(isShortSea({ ...a, shiptype: 30 })).toBe(false); // fishing
        expect(isShortSea({ ...a, cls: 'B', shiptype: 37 })).toBe(false);
    });
});
