import { describe, expect, it } from '@jest/globals';

import { Encounters } from '../../../../local/simulator/encounters.js';
import { SimulatorSource } from '../../../../local/simulator/SimulatorSource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import { AisDecoder } from '../../../../shared/domain/ais/decoder.js';
import { cpa, scanCollisionRisks } from '../../../../shared/domain/collision/index.js';
import { portList } from '../../../../shared/domain/reference/lookup.js';
import { FakeSimClock as FakeClock } from '../../../fakes/FakeSimClock.js';
import { expectWith } from '../../../helpers/expectWith.js';

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
const ports = portList();
const kin = (v: { lat: number; lon: number; speed: number; course: number }) => ({
    lat: v.lat,
    lon: v.lon,
    sog: v.speed,
    cog: v.course,
});

describe('Encounters', () => {
    it('creates converging pairs: CPA < 0.5 NM, 0 < TCPA <= 20 min at creation (real cpa())', () => {
        const enc = new Encounters({}, ports, 7, START);
        const kinds = new Set<string>();
        for (let i = 0; i < 300; i++) {
            const e = enc.create(START);
            kinds.add(e.kind);
            const r = cpa(kin(e.a), kin(e.b));
            expectWith(r.cpaNm, `${e.kind} #${e.id}`).toBeLessThan(0.5);
            expect(r.tcpaMin).toBeGreaterThan(0);
            expect(r.tcpaMin).toBeLessThanOrEqual(20);
            // converging from a few miles off, near the port
            expect(r.rangeNm).toBeGreaterThan(1);
            expect(e.a.mmsi).not.toBe(e.b.mmsi);
        }
        expect(kinds).toEqual(new Set(['head-on', 'crossing']));
    });

    it('sails the pair through the encounter, retires it later, and spaces new ones by `every`', () => {
        const enc = new Encounters({ every: 120, linger: 10 }, ports, 3, START);
        const [first] = enc.advance(0, START);
        expect(first).toBeDefined();
        let t = START;
        let minRange = Infinity;
        while (t < first!.meetAt + 5 * 60_000) {
            t += 1000;
            enc.advance(1000, t);
            if (enc.active.includes(first!))
                minRange = Math.min(minRange, cpa(kin(first!.a), kin(first!.b)).rangeNm);
        }
        expect(minRange).toBeLessThan(0.5);
        // one per 120 s so far, none retired yet
        expect(enc.stats.created).toBe(Math.floor((t - START) / 120_000) + 1);
        while (t < first!.retireAt) {
            t += 1000;
            enc.advance(1000, t);
        }
        expect(enc.active).not.toContain(first);
        expect(enc.stats.retired).toBeGreaterThan(0);
    });

    it('respects maxActive and rejects bad options', () => {
        const enc = new Encounters({ every: 10, maxActive: 3 }, ports, 1, START);
        enc.advance(0, START);
        for (let t = START + 1000; t <= START + 120_000; t += 1000) enc.advance(1000, t);
        expect(enc.active).toHaveLength(3);
        expect(() => new Encounters({ every: 0 }, ports, 1, START)).toThrow(RangeError);
    });
});

describe('SimulatorSource encounters', () => {
    async function simulate(
        seconds: number,
        options: ConstructorParameters<typeof SimulatorSource>[0] = {},
    ): Promise<{ events: SourceEvent[]; source: SimulatorSource }> {
        const clock = new FakeClock(START);
        const source = new SimulatorSource({ seed: 7, vessels: 50, rate: 100, ...options, clock });
        const events: SourceEvent[] = [];
        await source.start((e) => {
            events.push(...e);
        });
        clock.run(seconds * 1000);
        await source.stop();
        return { events, source };
    }

    it('is off by default: the fleet output is unchanged unless asked for', async () => {
        const plain = await simulate(10);
        const off = await simulate(10, { encounters: false });
        expect(plain.source.encounters).toBeUndefined();
        expect(off.events).toEqual(plain.events);
    });

    it('emits the pairs as AIS that the collision watch flags', async () => {
        const { events, source } = await simulate(300, { encounters: { every: 120 } });
        const enc = source.encounters!;
        expect(enc.stats.created).toBe(3);
        const pairMmsis = new Set(enc.active.flatMap((e) => [e.a.mmsi, e.b.mmsi]));
        const fleetMmsis = new Set(source.fleet.vessels.map((v) => v.mmsi));
        for (const m of pairMmsis) expect(fleetMmsis.has(m)).toBe(false);

        // decode the latest position report of each pair vessel and run the real watch at the end time
        type Fix = { mmsi: number; lat: number; lon: number; sog: number; cog: number; eventTime: number };
        const fixes = new Map<number, Fix>();
        const seen = new Set<number>();
        for (const e of events) {
            if (e.properties?.sim !== undefined || !pairMmsis.has(Number(e.partitionKey))) continue;
            const decoder = new AisDecoder();
            const out = [...e.body.split('\n').flatMap((l) => decoder.push(l, START)), ...decoder.flush()];
            for (const o of out) {
                if (o.kind !== 'message') continue;
                const m = o.message;
                seen.add(m.mmsi);
                if (m.type === 1 || m.type === 3) {
                    fixes.set(m.mmsi, {
                        mmsi: m.mmsi,
                        lat: Number(m.lat),
                        lon: Number(m.lon),
                        sog: Number(m.speed),
                        cog: Number(m.course),
                        eventTime: START + 300_000,
                    });
                }
            }
        }
        expect(seen).toEqual(pairMmsis);
        const result = scanCollisionRisks([...fixes.values()], { now: START + 300_000 });
        const flagged = new Set(result.risks.map((r) => r.pairId));
        const notYetMet = enc.active.filter((e) => e.meetAt > START + 300_000 + 60_000);
        expect(notYetMet.length).toBeGreaterThan(0);
        for (const e of notYetMet) {
            const [x, y] = e.a.mmsi < e.b.mmsi ? [e.a.mmsi, e.b.mmsi] : [e.b.mmsi, e.a.mmsi];
            expectWith(flagged.has(`${x}-${y}`), `pair ${e.id}`).toBe(true);
        }
    });
});
