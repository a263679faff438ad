import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import {
    SENSOR_FAULTS,
    type SensorFault,
    type SensorSimulatorOptions,
    SensorSimulatorSource,
    SPIKE_ABOVE,
    SPIKE_BELOW,
} from '../../../../local/simulator/SensorSimulatorSource.js';
import { SimulatorSource } from '../../../../local/simulator/SimulatorSource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import {
    evaluateThresholds,
    loadRules,
    parseSensorEvents,
    QUANTITY_IDS,
    type SensorParseOutcome,
    validateReading,
} from '../../../../shared/domain/sensors/index.js';
import { FakeSimClock as FakeClock } from '../../../fakes/FakeSimClock.js';
import { expectWith } from '../../../helpers/expectWith.js';

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
const rules = loadRules(
    JSON.parse(
        readFileSync(new URL('../../../../config/sensor-rules.json', import.meta.url), 'utf8'),
    ) as unknown,
);

async function simulate(
    seconds: number,
    options: SensorSimulatorOptions = {},
): Promise<{ events: SourceEvent[]; source: SensorSimulatorSource }> {
    const clock = new FakeClock(START);
    const source = new SensorSimulatorSource({ seed: 7, ...options, clock });
    const events: SourceEvent[] = [];
    await source.start((e) => {
        events.push(...e);
    });
    clock.run(seconds * 1000);
    await source.stop();
    return { events, source };
}

function parseOne(e: SourceEvent): SensorParseOutcome {
    const out = parseSensorEvents(e.body);
    expect(out).toHaveLength(1);
    return out[0]!;
}

describe('SensorSimulatorSource', () => {
    it('is deterministic for a seed and a clock', async () => {
        const a = await simulate(20);
        const b = await simulate(20);
        const c = await simulate(20, { seed: 8 });
        expect(a.events.length).toBeGreaterThan(0);
        expect(b.events).toEqual(a.events);
        expect(c.events).not.toEqual(a.events);
    });

    it('honours the rate and instruments the first 50 vessels', async () => {
        const { events, source } = await simulate(60);
        expect(events.length).toBe(20 * 60);
        expect(source.vessels).toHaveLength(50);
        const { events: fast } = await simulate(10, { rate: 200, vessels: 5 });
        expect(fast.length).toBe(2000);
    });

    it('emits readings that parse and validate, partitioned by MMSI, with and without position', async () => {
        const { events, source } = await simulate(600);
        const mmsis = new Set(source.vessels.map((v) => v.mmsi));
        const quantities = new Set<string>();
        let withPosition = 0;
        // 12,000 readings: each check that fails is listed with its reading and the list asserted empty once, since
        // a Jest `expect()` per check per reading (~100,000 of them) cost more than the simulation itself.
        const problems: string[] = [];
        const problem = (e: SourceEvent, what: string): number => problems.push(`${what}: ${e.body}`);
        for (const e of events) {
            const outcomes = parseSensorEvents(e.body);
            if (outcomes.length !== 1) {
                problem(e, `${outcomes.length} parse outcomes, expected 1`);
                continue;
            }
            const o = outcomes[0]!;
            if (e.properties?.sim === 'unknown-unit') {
                if (o.ok) problem(e, 'unknown unit accepted');
                else if (o.reason !== 'SENSOR_UNKNOWN_UNIT')
                    problem(e, `reason ${o.reason}, expected SENSOR_UNKNOWN_UNIT`);
                continue;
            }
            if (!o.ok) {
                problem(e, `rejected ${o.reason}: ${o.detail}`);
                continue;
            }
            const r = o.reading;
            if (e.partitionKey !== String(r.mmsi)) problem(e, `partition key ${e.partitionKey}`);
            if (!mmsis.has(r.mmsi!)) problem(e, `MMSI ${r.mmsi} not in the fleet`);
            if (e.properties?.format !== 'json') problem(e, `format ${e.properties?.format}`);
            if (!(r.eventTime >= START && r.eventTime <= START + 600_000))
                problem(e, `event time ${r.eventTime}`);
            quantities.add(r.quantity);
            if (r.position) withPosition++;
            if (e.properties?.sim === undefined) {
                // healthy readings: in range, valid identifiers, no warning or critical threshold crossed
                const v = validateReading(r, { now: START + 600_000 });
                if (!v.ok) problem(e, `invalid ${v.detail}`);
                else if (v.flags.length > 0) problem(e, `flags ${JSON.stringify(v.flags)}`);
                const hits = evaluateThresholds(r, [], rules).filter((h) => h.severity !== 'info');
                if (hits.length > 0) problem(e, `thresholds crossed ${JSON.stringify(hits)}`);
            }
        }
        expect(problems).toEqual([]);
        // every quantity except fuel volume flow is simulated
        expect([...quantities].sort()).toEqual(QUANTITY_IDS.filter((q) => q !== 'fuel_volume_flow').sort());
        expect(withPosition / events.length).toBeGreaterThan(0.4);
        expect(withPosition / events.length).toBeLessThan(0.6);
    });

    it('injects faults at about the configured rate, of every kind', async () => {
        for (const faultRate of [0.02, 0.1]) {
            const { events, source } = await simulate(900, { faultRate });
            const onsets = new Map<string, SensorFault>();
            for (const e of events) {
                const kind = e.properties?.sim as SensorFault | undefined;
                if (kind === undefined) continue;
                expect(SENSOR_FAULTS).toContain(kind);
                const id = e.properties?.simFault;
                expect(id).toBeDefined();
                onsets.set(id!, kind);
            }
            // faultRate is per reading of a healthy series: readings that continue a drift or stuck value
            // (all but the first of their fault) cannot start another fault
            const continuing =
                events.filter((e) => e.properties?.simFault !== undefined).length - onsets.size;
            const perReading = onsets.size / (events.length - continuing);
            expect(perReading).toBeGreaterThan(faultRate * 0.85);
            expect(perReading).toBeLessThan(faultRate * 1.15);
            expect(source.stats.faultReadings).toBe(continuing + onsets.size);
            const byKind = new Map<SensorFault, number>();
            for (const k of onsets.values()) byKind.set(k, (byKind.get(k) ?? 0) + 1);
            for (const k of SENSOR_FAULTS) {
                expectWith(byKind.get(k) ?? 0, k).toBeGreaterThan(0);
                expect(source.stats.faults[k]).toBe(byKind.get(k) ?? 0);
            }
        }
    });

    it('makes each fault kind look like what it is', async () => {
        const { events } = await simulate(1800, { faultRate: 0.1 });
        const byFault = new Map<string, { kind: string; outcomes: SensorParseOutcome[] }>();
        for (const e of events) {
            const id = e.properties?.simFault;
            if (id === undefined) continue;
            const f = byFault.get(id) ?? { kind: e.properties!.sim!, outcomes: [] };
            f.outcomes.push(parseOne(e));
            byFault.set(id, f);
        }
        let stuckChecked = 0;
        let mixupsChecked = 0;
        let spikesOverThreshold = 0;
        for (const { kind, outcomes } of byFault.values()) {
            const ok = outcomes.flatMap((o) => (o.ok ? [o.reading] : []));
            switch (kind) {
                case 'spike':
                    expect(outcomes).toHaveLength(1);
                    if (
                        ok.some(
                            (r) =>
                                r.value > (SPIKE_ABOVE[r.quantity] ?? Infinity) ||
                                r.value < (SPIKE_BELOW[r.quantity] ?? -Infinity),
                        )
                    )
                        spikesOverThreshold++;
                    break;
                case 'stuck':
                    expect(ok.length).toBe(outcomes.length);
                    if (ok.length > 1) {
                        expect(new Set(ok.map((r) => `${r.rawValue} ${r.rawUnit}`)).size).toBe(1);
                        stuckChecked++;
                    }
                    break;
                case 'drift':
                    expect(ok.length).toBe(outcomes.length);
                    break;
                case 'unit-mixup': {
                    expect(outcomes).toHaveLength(1);
                    const r = ok[0]!;
                    expect([
                        'engine_temperature',
                        'exhaust_temperature',
                        'air_temperature',
                        'sea_temperature',
                    ]).toContain(r.quantity);
                    expect(['degC', '°C']).toContain(r.rawUnit);
                    // K or degF labelled degC: far above any plausible reading of that quantity
                    expect(r.value).toBeGreaterThan(30);
                    mixupsChecked++;
                    break;
                }
                case 'unit-converted': {
                    expect(outcomes).toHaveLength(1);
                    const r = ok[0]!;
                    const v = validateReading(r, { now: START + 1_800_000 });
                    expectWith(v.ok, outcomes[0]!.raw).toBe(true);
                    break;
                }
                case 'unknown-unit':
                    expect(outcomes.every((o) => !o.ok && o.reason === 'SENSOR_UNKNOWN_UNIT')).toBe(true);
                    break;
                default:
                    throw new Error(`unexpected fault kind ${kind}`);
            }
        }
        expect(stuckChecked).toBeGreaterThan(0);
        expect(mixupsChecked).toBeGreaterThan(0);
        expect(spikesOverThreshold).toBeGreaterThan(0);
    });

    it('knows the top thresholds of the rules file', () => {
        for (const [quantity, threshold] of Object.entries(SPIKE_ABOVE)) {
            const top = Math.max(
                ...rules.rules
                    .filter((r) => r.quantity === quantity && r.mmsi === undefined && r.zone === undefined)
                    .flatMap((r) => (r.above === undefined ? [] : [r.above])),
            );
            expectWith(threshold, quantity).toBe(top);
        }
        for (const [quantity, threshold] of Object.entries(SPIKE_BELOW)) {
            expect(rules.rules.some((r) => r.quantity === quantity && r.below === threshold)).toBe(true);
        }
    });

    it("shares the AIS simulator's fleet: same MMSIs and positions, AIS output undisturbed", () => {
        const clock = new FakeClock(START);
        const ais = new SimulatorSource({ seed: 7, vessels: 80, rate: 100, clock });
        const sensors = new SensorSimulatorSource({ fleet: ais.fleet, seed: 7, clock });
        expect(sensors.fleet).toBe(ais.fleet);
        expect(sensors.vessels.every((v) => v.cls === 'A')).toBe(true);
        const fleetMmsis = new Set(ais.fleet.vessels.map((v) => v.mmsi));
        const aisEvents: SourceEvent[] = [];
        for (let i = 0; i < 100; i++) {
            clock.t += 250;
            aisEvents.push(...ais.tick());
            for (const e of sensors.tick()) {
                const o = parseOne(e);
                if (!o.ok) continue;
                expect(fleetMmsis.has(o.reading.mmsi!)).toBe(true);
                const p = o.reading.position;
                if (p) {
                    const v = ais.fleet.vessels.find((x) => x.mmsi === o.reading.mmsi)!;
                    expect(p.lat).toBeCloseTo(v.lat, 4);
                    expect(p.lon).toBeCloseTo(v.lon, 4);
                }
            }
        }
        // the AIS simulator alone, same seed and clock: identical output
        const clock2 = new FakeClock(START);
        const alone = new SimulatorSource({ seed: 7, vessels: 80, rate: 100, clock: clock2 });
        const aloneEvents: SourceEvent[] = [];
        for (let i = 0; i < 100; i++) {
            clock2.t += 250;
            aloneEvents.push(...alone.tick());
        }
        expect(aisEvents).toEqual(aloneEvents);
    });

    it('leaves out the series another source sends (the degradation simulator), and only those', async () => {
        const all = await simulate(600, { vessels: 3, rate: 50 });
        const first = all.source.vessels[0]!.mmsi;
        const elsewhere = new Set(['ME1-BRG-VIB', 'ME1-EXH-T1', 'FO-FLT-DP', 'SHAFT1-PWR']);
        const some = await simulate(600, {
            vessels: 3,
            rate: 50,
            sentElsewhere: (mmsi, sensorId) => mmsi === first && elsewhere.has(sensorId),
        });
        expect(some.source.sensors).toBe(all.source.sensors - 4);
        const series = (events: SourceEvent[]) =>
            new Set(
                events.map((e) => {
                    const o = JSON.parse(e.body) as { mmsi: number; sensorId: string };
                    return `${o.mmsi}|${o.sensorId}`;
                }),
            );
        const before = series(all.events);
        const after = series(some.events);
        expect([...before].filter((k) => !after.has(k)).sort()).toEqual(
            [...elsewhere].map((id) => `${first}|${id}`).sort(),
        );
        expect([...after].every((k) => before.has(k))).toBe(true);
    });

    it('rejects bad options', () => {
        expect(() => new SensorSimulatorSource({ rate: 0 })).toThrow(RangeError);
        expect(() => new SensorSimulatorSource({ faultRate: 2 })).toThrow(RangeError);
    });
});
