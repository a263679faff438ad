import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { runVessel, type SimReading } from '../../../../local/simulator/degradation.js';
import { DegradationSource } from '../../../../local/simulator/DegradationSource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import type { MaintenanceEvent } from '../../../../shared/domain/maintenance/events.js';
import { DAY_MS, HOUR_MS } from '../../../../shared/domain/maintenance/hourly.js';
import { FakeSimClock as FakeClock } from '../../../fakes/FakeSimClock.js';

const MMSIS = [219_000_001, 219_000_002];
const SEED = 5;
const RPH = 2;
/** 2026-12-03 10:20 UTC */
const NOW = Date.UTC(2026, 11, 3, 10, 20);
const TODAY = Date.UTC(2026, 11, 3);

interface SentReading {
    mmsi: number;
    sensorId: string;
    quantity: string;
    value: number;
    unit: string;
    time: number;
}

function collector() {
    const sent: SourceEvent[] = [];
    return { sent, emit: (events: SourceEvent[]) => void sent.push(...events) };
}

function readingsOf(events: readonly SourceEvent[]): SentReading[] {
    return events
        .filter((e) => e.hub === 'sensor-readings')
        .flatMap((e) =>
            e.body.split('\n').map((line) => {
                const o = JSON.parse(line) as Omit<SentReading, 'time'> & { timestamp: string };
                expect(String(o.mmsi)).toBe(e.partitionKey);
                return {
                    mmsi: o.mmsi,
                    sensorId: o.sensorId,
                    quantity: o.quantity,
                    value: o.value,
                    unit: o.unit,
                    time: Date.parse(o.timestamp),
                };
            }),
        );
}

function logOf(
    events: readonly SourceEvent[],
): { mmsi: number; equipmentId: string; time: string; kind: string }[] {
    return events
        .filter((e) => e.hub === 'maintenance-events')
        .map((e) => JSON.parse(e.body) as { mmsi: number; equipmentId: string; time: string; kind: string });
}

/** The offline simulation of the same vessels (what the model was trained on), over [start, end). */
function offline(
    start: number,
    end: number,
): { readings: (SimReading & { mmsi: number })[]; events: MaintenanceEvent[] } {
    const readings: (SimReading & { mmsi: number })[] = [];
    const events: MaintenanceEvent[] = [];
    MMSIS.forEach((mmsi, i) => {
        const out = { mmsi, events: [] as MaintenanceEvent[], truth: [] };
        runVessel(
            i,
            { seed: SEED, start, days: Math.ceil((end - start) / DAY_MS), readingsPerHour: RPH },
            out,
            (r) => readings.push({ ...r, mmsi }),
        );
        events.push(...out.events);
    });
    return { readings, events };
}

const key = (r: { mmsi: number; sensorId: string; time: number }): string =>
    `${r.mmsi}|${r.sensorId}|${r.time}`;

describe('DegradationSource (the degradation simulator in npm start)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'degradation-source-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('backfills the history up to now: the offline simulation (readings and log) of the same vessels, nothing in the future', async () => {
        const clock = new FakeClock(NOW);
        const { sent, emit } = collector();
        const progress: number[] = [];
        const source = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED,
            backfillDays: 3,
            readingsPerHour: RPH,
            clock,
            onProgress: (p) => progress.push(p.hoursDone),
        });
        await source.start(emit);
        const summary = await source.backfilled;
        await source.stop();

        const start = TODAY - 3 * DAY_MS;
        expect(summary).toMatchObject({
            from: start,
            to: NOW,
            simulationStart: start,
            continued: false,
            days: ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'],
        });
        expect(summary.hours).toBe(3 * 24 + 11);
        expect(progress.at(-1)).toBe(summary.hours);

        const got = readingsOf(sent);
        const want = offline(start, NOW + DAY_MS).readings.filter((r) => r.eventTime <= NOW);
        expect(got.length).toBe(want.length);
        expect(summary.readings).toBe(want.length);
        const byKey = new Map(got.map((r) => [key(r), r]));
        expect(byKey.size).toBe(got.length);
        for (const w of want) {
            const g = byKey.get(key({ mmsi: w.mmsi, sensorId: w.sensorId, time: w.eventTime }));
            expect(g).toBeDefined();
            expect(g!.quantity).toBe(w.quantity);
            expect(g!.value).toBeCloseTo(w.value, 1); // sent one decimal finer than the sensor resolution
        }
        expect(new Set(got.map((r) => r.unit))).toEqual(new Set(['mm/s', 'degC', 'hPa', 'kW']));
        // per event, in time order (the sensor ingest folds running statistics in event-time order)
        for (const e of sent.filter((x) => x.hub === 'sensor-readings')) {
            const times = readingsOf([e]).map((r) => r.time);
            expect(times).toEqual([...times].sort((a, b) => a - b));
        }

        const log = logOf(sent);
        const wantLog = offline(start, NOW + DAY_MS).events.filter((e) => e.time <= NOW);
        expect(log.map((e) => `${e.mmsi}|${e.equipmentId}|${Date.parse(e.time)}|${e.kind}`).sort()).toEqual(
            wantLog.map((e) => `${e.mmsi}|${e.equipmentId}|${e.time}|${e.kind}`).sort(),
        );
    });

    it('then sends, tick by tick, what came due since: together exactly one uninterrupted simulation, none twice', async () => {
        const clock = new FakeClock(NOW);
        const { sent, emit } = collector();
        const source = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED,
            backfillDays: 1,
            readingsPerHour: RPH,
            clock,
        });
        expect(source.name).toBe(
            'degradation simulator (2 vessels x 3 equipment, 1 day of history, then live)',
        );
        await source.start(emit);
        await source.backfilled;
        expect(clock.fn).toBeDefined(); // the live timer starts after the backfill
        const afterBackfill = readingsOf(sent).length;
        for (let i = 1; i <= 40; i++) {
            clock.t = NOW + i * 20 * 60_000; // 20 minutes per tick, 13 h 20 min in all
            const before = clock.t - 20 * 60_000;
            const sentNow = readingsOf(await source.tick());
            expect(sentNow.every((r) => r.time > before && r.time <= clock.t)).toBe(true);
        }
        await source.stop();
        const got = readingsOf(sent);
        expect(got.length).toBeGreaterThan(afterBackfill);
        expect(new Set(got.map(key)).size).toBe(got.length);
        const start = TODAY - DAY_MS;
        const want = offline(start, clock.t + DAY_MS).readings.filter((r) => r.eventTime <= clock.t);
        expect(got.map(key).sort()).toEqual(
            want.map((w) => key({ mmsi: w.mmsi, sensorId: w.sensorId, time: w.eventTime })).sort(),
        );
    });

    it('continues the saved simulation after a restart: only what lies after the last sent time, no gap, no repeat', async () => {
        const stateFile = join(dir, 'continuity.json');
        const first = new FakeClock(NOW);
        const a = collector();
        const s1 = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED,
            backfillDays: 2,
            readingsPerHour: RPH,
            clock: first,
            stateFile,
        });
        await s1.start(a.emit);
        await s1.backfilled;
        first.t = NOW + 3 * HOUR_MS;
        await s1.tick();
        await s1.stop();
        s1.saveState();
        expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({
            start: TODAY - 2 * DAY_MS,
            through: NOW + 3 * HOUR_MS,
        });

        // down for 30 hours (over midnight: the new day's window would start later, but the saved simulation goes on)
        const second = new FakeClock(NOW + 33 * HOUR_MS);
        const b = collector();
        const s2 = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED,
            backfillDays: 2,
            readingsPerHour: RPH,
            clock: second,
            stateFile,
        });
        await s2.start(b.emit);
        const summary = await s2.backfilled;
        await s2.stop();
        expect(summary).toMatchObject({
            continued: true,
            from: NOW + 3 * HOUR_MS,
            to: NOW + 33 * HOUR_MS,
            simulationStart: TODAY - 2 * DAY_MS,
        });
        const got = [...readingsOf(a.sent), ...readingsOf(b.sent)];
        expect(new Set(got.map(key)).size).toBe(got.length);
        const want = offline(TODAY - 2 * DAY_MS, second.t + DAY_MS).readings.filter(
            (r) => r.eventTime <= second.t,
        );
        expect(got.map(key).sort()).toEqual(
            want.map((w) => key({ mmsi: w.mmsi, sensorId: w.sensorId, time: w.eventTime })).sort(),
        );
        expect(readingsOf(b.sent).every((r) => r.time > NOW + 3 * HOUR_MS)).toBe(true);
        const log = [...logOf(a.sent), ...logOf(b.sent)];
        const wantLog = offline(TODAY - 2 * DAY_MS, second.t + DAY_MS).events.filter(
            (e) => e.time <= second.t,
        );
        expect(log).toHaveLength(wantLog.length);
    });

    it('starts a new simulation when the options changed, and still sends nothing at or before the saved time', async () => {
        const stateFile = join(dir, 'changed.json');
        const clock = new FakeClock(NOW);
        const s1 = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED,
            backfillDays: 1,
            readingsPerHour: RPH,
            clock,
            stateFile,
        });
        await s1.start(collector().emit);
        await s1.backfilled;
        await s1.stop();
        clock.t = NOW + 2 * HOUR_MS;
        const b = collector();
        const s2 = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED + 1,
            backfillDays: 1,
            readingsPerHour: RPH,
            clock,
            stateFile,
        });
        await s2.start(b.emit);
        const summary = await s2.backfilled;
        await s2.stop();
        expect(summary).toMatchObject({
            continued: false,
            from: NOW,
            to: NOW + 2 * HOUR_MS,
            simulationStart: TODAY - DAY_MS,
        });
        const got = readingsOf(b.sent);
        expect(got.length).toBeGreaterThan(0);
        expect(got.every((r) => r.time > NOW && r.time <= NOW + 2 * HOUR_MS)).toBe(true);
    });

    it('with no backfill days, sends only live data', async () => {
        const clock = new FakeClock(NOW);
        const { sent, emit } = collector();
        const source = new DegradationSource({
            mmsis: MMSIS,
            seed: SEED,
            backfillDays: 0,
            readingsPerHour: RPH,
            clock,
        });
        await source.start(emit);
        expect(await source.backfilled).toMatchObject({ from: NOW, to: NOW, readings: 0, days: [] });
        clock.t = NOW + HOUR_MS;
        await source.tick();
        await source.stop();
        const got = readingsOf(sent);
        expect(got.length).toBe(MMSIS.length * 4 * RPH);
        expect(got.every((r) => r.time > NOW && r.time <= NOW + HOUR_MS)).toBe(true);
    });

    it('refuses a fractional or negative backfill', () => {
        expect(() => new DegradationSource({ mmsis: MMSIS, backfillDays: 1.5 })).toThrow(/backfillDays/);
        expect(() => new DegradationSource({ mmsis: MMSIS, backfillDays: -1 })).toThrow(/backfillDays/);
    });
});
