import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { encodePayload } from '../../../../local/simulator/aisEncoder.js';
import {
    Fleet,
    imoCheckDigit,
    isValidImo,
    reportIntervalSeconds,
} from '../../../../local/simulator/fleet.js';
import { corrupt, SimulatorSource } from '../../../../local/simulator/SimulatorSource.js';
import { mmsiFromPayload, parseAisSentence } from '../../../../local/sources/nmea.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import { AisDecoder } from '../../../../shared/domain/ais/decoder.js';
import { portList } from '../../../../shared/domain/reference/lookup.js';
import { FakeSimClock as FakeClock } from '../../../fakes/FakeSimClock.js';
import { expectWith } from '../../../helpers/expectWith.js';

const START = Date.UTC(2025, 5, 1, 12, 0, 0);

async function simulate(
    seconds: number,
    options: ConstructorParameters<typeof SimulatorSource>[0] = {},
): Promise<{ events: SourceEvent[]; source: SimulatorSource }> {
    const clock = new FakeClock(START);
    const source = new SimulatorSource({ seed: 7, ...options, clock });
    const events: SourceEvent[] = [];
    await source.start((e) => {
        events.push(...e);
    });
    clock.run(seconds * 1000);
    await source.stop();
    return { events, source };
}

describe('SimulatorSource', () => {
    it('is deterministic for a seed and a clock', async () => {
        const a = await simulate(5, { vessels: 50, rate: 100 });
        const b = await simulate(5, { vessels: 50, rate: 100 });
        const c = await simulate(5, { vessels: 50, rate: 100, seed: 8 });
        expect(a.events.length).toBeGreaterThan(0);
        expect(b.events).toEqual(a.events);
        expect(c.events).not.toEqual(a.events);
    });

    it.each([
        [200, 200],
        [1000, 50],
        [20, 500],
    ])('honours rate %i events/s with %i vessels over a simulated minute', async (rate, vessels) => {
        const { events } = await simulate(60, { rate, vessels });
        expect(events.length / 60).toBeGreaterThan(rate * 0.85);
        expect(events.length / 60).toBeLessThan(rate * 1.15);
    });

    it('emits about duplicateRate duplicates and corruptRate corrupt messages', async () => {
        const { events, source } = await simulate(60, { rate: 500, duplicateRate: 0.05, corruptRate: 0.03 });
        const n = events.length;
        const dup = events.filter((e) => e.properties?.sim === 'duplicate').length;
        const bad = events.filter((e) => e.properties?.sim?.startsWith('corrupt')).length;
        expect(dup / n).toBeGreaterThan(0.035);
        expect(dup / n).toBeLessThan(0.065);
        expect(bad / n).toBeGreaterThan(0.018);
        expect(bad / n).toBeLessThan(0.042);
        expect(source.stats.events).toBe(n);
    });

    it('every body decodes with the real decoder except the deliberately corrupted ones', async () => {
        const { events } = await simulate(30, { rate: 300, corruptRate: 0.05 });
        const statics = new Set<number>();
        let corrupted = 0;
        for (const event of events) {
            const decoder = new AisDecoder();
            const out = [
                ...event.body.split('\n').flatMap((l) => decoder.push(l, START)),
                ...decoder.flush(),
            ];
            const messages = out.flatMap((o) => (o.kind === 'message' ? [o.message] : []));
            if (event.properties?.sim?.startsWith('corrupt')) {
                corrupted++;
                expectWith(messages, event.body).toHaveLength(0);
                expect(out.some((o) => o.kind === 'error')).toBe(true);
                continue;
            }
            expectWith(
                out.filter((o) => o.kind !== 'message'),
                event.body,
            ).toEqual([]);
            expect(messages).toHaveLength(1);
            const m = messages[0]!;
            expect(String(m.mmsi)).toBe(event.partitionKey);
            if (m.type === 5 || m.type === 24) statics.add(m.mmsi);
            if (m.type === 1 || m.type === 3 || m.type === 18) {
                expect(typeof m.lat).toBe('number');
                expect(typeof m.lon).toBe('number');
            }
            const tag = out[0]!.tagBlock;
            expect(tag?.station).toMatch(/^local-sim(-2)?$/);
            expect(tag?.timestamp).toBeGreaterThanOrEqual(START);
            expect(tag?.timestamp).toBeLessThanOrEqual(START + 31_000);
        }
        expect(corrupted).toBeGreaterThan(0);
        expect(statics.size).toBeGreaterThan(100); // static data of most of the fleet within the first half minute
    });

    it('keeps one message per event and the MMSI as partition key', async () => {
        const { events } = await simulate(10);
        const multi = events.filter((e) => e.body.includes('\n'));
        expect(multi.length).toBeGreaterThan(0);
        for (const e of events) {
            const firstPayload = parseAisSentence(e.body.split('\n')[0]!)!.payload;
            expect(String(mmsiFromPayload(firstPayload))).toBe(e.partitionKey);
            expect(e.properties?.format).toBe('nmea');
        }
    });

    it('vessels move along their legs at their reported speed', async () => {
        const clock = new FakeClock(START);
        const source = new SimulatorSource({ seed: 3, vessels: 20, clock });
        const before = source.fleet.vessels.map((v) => ({
            lat: v.lat,
            lon: v.lon,
            moored: v.mooredUntil > 0,
            speed: v.speed,
        }));
        await source.start(() => undefined);
        clock.run(600_000); // ten minutes
        await source.stop();
        source.fleet.vessels.forEach((v, i) => {
            const b = before[i]!;
            if (b.moored || v.mooredUntil > 0) return;
            const movedNm = Math.hypot(
                (v.lat - b.lat) * 60,
                (v.lon - b.lon) * 60 * Math.cos((v.lat * Math.PI) / 180),
            );
            expect(movedNm).toBeGreaterThan((b.speed / 6) * 0.8);
            expect(movedNm).toBeLessThan((b.speed / 6) * 1.25);
        });
    });
});

describe('fleet', () => {
    const MID_TABLE = new URL('../../../../../shared/reference/tables/mid.tsv', import.meta.url);

    it('uses allocated MIDs, valid IMO numbers and plausible dimensions', () => {
        const mids = new Set(
            readFileSync(MID_TABLE, 'utf8')
                .split('\n')
                .slice(1)
                .map((l) => Number(l.split('\t')[0])),
        );
        const fleet = new Fleet({ vessels: 500, seed: 11 });
        expect(new Set(fleet.vessels.map((v) => v.mmsi)).size).toBe(500);
        const classB = fleet.vessels.filter((v) => v.cls === 'B').length;
        expect(classB).toBeGreaterThan(75);
        expect(classB).toBeLessThan(175);
        for (const v of fleet.vessels) {
            expectWith(mids.has(Math.floor(v.mmsi / 1e6)), String(v.mmsi)).toBe(true);
            if (v.cls === 'A') expectWith(isValidImo(v.imo), String(v.imo)).toBe(true);
            expect(v.to_bow + v.to_stern).toBeGreaterThan(5);
            expect(v.to_port + v.to_starboard).toBeGreaterThan(1);
            expect(v.shipname.length).toBeLessThanOrEqual(20);
        }
    });

    it('IMO check digit (IMO 9134270 is EVER DIADEM in the gpsd sample)', () => {
        expect(imoCheckDigit(913427)).toBe(0);
        expect(isValidImo(9134270)).toBe(true);
        expect(isValidImo(9134271)).toBe(false);
        expect(isValidImo(9074729)).toBe(true);
    });

    it('reporting intervals follow ITU-R M.1371', () => {
        expect(reportIntervalSeconds({ cls: 'A', speed: 0, mooredUntil: 1 })).toBe(180);
        expect(reportIntervalSeconds({ cls: 'A', speed: 12, mooredUntil: 0 })).toBe(10);
        expect(reportIntervalSeconds({ cls: 'A', speed: 18, mooredUntil: 0 })).toBe(6);
        expect(reportIntervalSeconds({ cls: 'A', speed: 25, mooredUntil: 0 })).toBe(2);
        expect(reportIntervalSeconds({ cls: 'B', speed: 1, mooredUntil: 0 })).toBe(180);
        expect(reportIntervalSeconds({ cls: 'B', speed: 6, mooredUntil: 0 })).toBe(30);
    });

    it('sails between the ports of the one port list', () => {
        const locodes = new Set(portList().map((p) => p.locode));
        const fleet = new Fleet({ vessels: 50, seed: 3 });
        expect(fleet.ports).toBe(portList());
        for (const v of fleet.vessels) expectWith(locodes.has(v.dest.locode), v.dest.locode).toBe(true);
    });
});

describe('corrupt()', () => {
    const lines = ['\\s:x*00\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'];
    it('breaks the checksum', () => {
        const [bad] = corrupt(lines, 'corrupt-checksum', 0.3);
        expect(bad).not.toBe(lines[0]);
        expect(bad!.slice(0, -2)).toBe(lines[0]!.slice(0, -2));
    });
    it('truncates the payload but keeps the MMSI readable', () => {
        const [bad] = corrupt(lines, 'corrupt-truncated', 0.3);
        const payload = bad!.split(',')[5]!;
        expect(payload.length).toBeLessThan(12);
        expect(mmsiFromPayload(payload)).toBe(371798000);
        expect(encodePayload({ type: 1, mmsi: 371798000 }).payload.length).toBe(28);
    });
});
