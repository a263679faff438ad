import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
    AisEncoder,
    type EncodableMessage,
    encodePayload,
    type PositionReportA,
    type PositionReportB,
    type StaticPartA,
    type StaticPartB,
    type StaticVoyageA,
    tagBlock,
} from '../../../../local/simulator/aisEncoder.js';
import { nmeaChecksum } from '../../../../local/sources/nmea.js';
import { AisDecoder } from '../../../../shared/domain/ais/decoder.js';
import type { AisMessage, DecodeEvent } from '../../../../shared/domain/ais/types.js';
import { expectWith } from '../../../helpers/expectWith.js';

const SAMPLE = new URL('../../../../../shared/testdata/ais/sample.aivdm', import.meta.url);

function decode(lines: string[]): { messages: AisMessage[]; events: DecodeEvent[] } {
    const decoder = new AisDecoder();
    const events = lines.flatMap((l) => decoder.push(l));
    const messages = events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));
    return { messages, events };
}

function decodeOne(lines: string[]): AisMessage {
    const { messages, events } = decode(lines);
    expect(events.filter((e) => e.kind !== 'message')).toEqual([]);
    expect(messages).toHaveLength(1);
    return messages[0]!;
}

/** Fields compared after a round trip; numbers within `tol`. */
function expectFields(decoded: AisMessage, expected: Record<string, unknown>, tol = 1e-9): void {
    for (const [key, want] of Object.entries(expected)) {
        const got = decoded[key];
        if (typeof want === 'number') {
            expectWith(typeof got, key).toBe('number');
            expectWith(
                Math.abs((got as number) - want),
                `${key}: ${String(got)} vs ${want}`,
            ).toBeLessThanOrEqual(tol);
        } else if (typeof want === 'boolean') {
            expectWith(Boolean(got), key).toBe(want);
        } else if (want === undefined) {
            expectWith(got, key).toBeUndefined();
        } else {
            expectWith(got, key).toEqual(want);
        }
    }
}

// ---- arbitraries on the AIS grid (so the round trip is exact up to float division) -------------------------
const SIXBIT_TEXT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -./';
const text = (max: number): fc.Arbitrary<string> =>
    fc.array(fc.constantFrom(...SIXBIT_TEXT), { maxLength: max }).map((a) => a.join('').replace(/ +$/, ''));
const mmsi = fc.integer({ min: 0, max: 2 ** 30 - 1 });
const repeat = fc.integer({ min: 0, max: 3 });
const grid = (min: number, max: number, div: number): fc.Arbitrary<number> =>
    fc.integer({ min, max }).map((v) => v / div);
const optional = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const position = {
    speed: optional(grid(0, 1022, 10)),
    accuracy: fc.boolean(),
    lon: optional(grid(-180 * 600000, 180 * 600000, 600000)),
    lat: optional(grid(-90 * 600000, 90 * 600000, 600000)),
    course: optional(grid(0, 3599, 10)),
    heading: optional(fc.integer({ min: 0, max: 359 })),
    second: optional(fc.integer({ min: 0, max: 59 })),
    raim: fc.boolean(),
};
const turnFromRaw = (raw: number): number => Math.sign(raw) * (raw / 4.733) ** 2;

const arbTypeA: fc.Arbitrary<PositionReportA> = fc.record({
    type: fc.constantFrom(1 as const, 2 as const, 3 as const),
    repeat,
    mmsi,
    status: fc.integer({ min: 0, max: 15 }),
    turn: optional(fc.integer({ min: -126, max: 126 }).map(turnFromRaw)),
    maneuver: fc.integer({ min: 0, max: 2 }),
    radio: fc.integer({ min: 0, max: 2 ** 19 - 1 }),
    ...position,
});
const arbType5: fc.Arbitrary<StaticVoyageA> = fc.record({
    type: fc.constant(5 as const),
    repeat,
    mmsi,
    ais_version: fc.integer({ min: 0, max: 3 }),
    imo: fc.integer({ min: 0, max: 2 ** 30 - 1 }),
    callsign: text(7),
    shipname: text(20),
    shiptype: fc.integer({ min: 0, max: 99 }),
    to_bow: fc.integer({ min: 0, max: 511 }),
    to_stern: fc.integer({ min: 0, max: 511 }),
    to_port: fc.integer({ min: 0, max: 63 }),
    to_starboard: fc.integer({ min: 0, max: 63 }),
    epfd: fc.integer({ min: 0, max: 15 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    draught: grid(0, 255, 10),
    destination: text(20),
    dte: fc.integer({ min: 0, max: 1 }),
});
const arbType18: fc.Arbitrary<PositionReportB> = fc.record({
    type: fc.constant(18 as const),
    repeat,
    mmsi,
    regional: fc.integer({ min: 0, max: 3 }),
    cs: fc.boolean(),
    display: fc.boolean(),
    dsc: fc.boolean(),
    band: fc.boolean(),
    msg22: fc.boolean(),
    assigned: fc.boolean(),
    radio: fc.integer({ min: 0, max: 2 ** 20 - 1 }),
    ...position,
});
const arbType24A: fc.Arbitrary<StaticPartA> = fc.record({
    type: fc.constant(24 as const),
    partno: fc.constant(0 as const),
    repeat,
    mmsi,
    shipname: text(20),
});
const arbType24B: fc.Arbitrary<StaticPartB> = fc.record({
    type: fc.constant(24 as const),
    partno: fc.constant(1 as const),
    repeat,
    mmsi: fc.integer({ min: 200000000, max: 799999999 }),
    shiptype: fc.integer({ min: 0, max: 99 }),
    vendorid: fc
        .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), { minLength: 3, maxLength: 3 })
        .map((a) => a.join('')),
    model: fc.integer({ min: 0, max: 15 }),
    serial: fc.integer({ min: 0, max: 2 ** 20 - 1 }),
    callsign: text(7),
    to_bow: fc.integer({ min: 0, max: 511 }),
    to_stern: fc.integer({ min: 0, max: 511 }),
    to_port: fc.integer({ min: 0, max: 63 }),
    to_starboard: fc.integer({ min: 0, max: 63 }),
});

/** What the decoder should give back for an encoded message. */
function expected(m: EncodableMessage): Record<string, unknown> {
    const e: Record<string, unknown> = { ...m };
    if ('shipname' in m) e.shipname = m.shipname ?? '';
    if (m.type === 24 && m.partno === 1) delete e.vendorid; // decoded as the 7-character legacy vendor id
    if (m.type === 5) delete e.dte;
    return e;
}

describe('AisEncoder round trip through the real decoder', () => {
    const encoder = new AisEncoder();
    const cases: [string, fc.Arbitrary<EncodableMessage>][] = [
        ['types 1/2/3', arbTypeA],
        ['type 5', arbType5],
        ['type 18', arbType18],
        ['type 24 part A', arbType24A],
        ['type 24 part B', arbType24B],
    ];
    it.each(cases)('%s: decode(encode(x)) == x', (_name, arb) => {
        fc.assert(
            fc.property(arb, (message) => {
                const lines = encoder.encode(message);
                const decoded = decodeOne(lines);
                expectFields(decoded, expected(message), 1e-6);
                if (message.type === 24 && message.partno === 1) {
                    expect(String(decoded.vendorid).slice(0, 3)).toBe(message.vendorid);
                }
            }),
            { numRuns: 300 },
        );
    });

    it('turn: raw ±127 travel as turn_indicator, other values as degrees per minute', () => {
        const base = { type: 1 as const, mmsi: 244000000 };
        expect(decodeOne(encoder.encode({ ...base, turn_indicator: 'fastleft' })).turn_indicator).toBe(
            'fastleft',
        );
        expect(decodeOne(encoder.encode({ ...base, turn: 'fastright' })).turn_indicator).toBe('fastright');
        expect(decodeOne(encoder.encode(base)).turn).toBeUndefined();
        expect(decodeOne(encoder.encode({ ...base, turn: 720 })).turn).toBeCloseTo(turnFromRaw(126), 9);
    });

    it('leaves out what was not given (sentinels)', () => {
        const decoded = decodeOne(encoder.encode({ type: 3, mmsi: 211000000 }));
        for (const f of ['lat', 'lon', 'speed', 'course', 'heading', 'second', 'turn'])
            expectWith(decoded[f], f).toBeUndefined();
        expect(decoded.status).toBe(15);
    });
});

describe('NMEA framing', () => {
    it('splits type 5 (424 bits) into two sentences of at most 60 characters, fill bits on the last only', () => {
        const lines = new AisEncoder().encode({ type: 5, mmsi: 244000000, shipname: 'TEST' });
        expect(lines).toHaveLength(2);
        const fields = lines.map((l) => l.split(','));
        expect(fields[0]!.slice(0, 5)).toEqual(['!AIVDM', '2', '1', '0', 'A']);
        expect(fields[1]!.slice(0, 5)).toEqual(['!AIVDM', '2', '2', '0', 'A']);
        expect(fields[0]![5]).toHaveLength(60);
        expect(fields[1]![5]).toHaveLength(11); // 424 bits = 70 full characters + 4 bits
        expect(fields[0]![6]).toMatch(/^0\*/);
        expect(fields[1]![6]).toMatch(/^2\*/);
        for (const line of lines) {
            const star = line.indexOf('*');
            expect(line.slice(star + 1)).toBe(nmeaChecksum(line.slice(1, star)));
        }
    });

    it('cycles sequence ids 0..9 for multi-sentence messages only', () => {
        const encoder = new AisEncoder();
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) {
            expect(encoder.encode({ type: 1, mmsi: 1 })[0]!.split(',')[3]).toBe('');
            ids.push(encoder.encode({ type: 5, mmsi: 1 }, { channel: 'B' })[1]!.split(',')[3]!);
        }
        expect(ids.join('')).toBe('012345678901');
    });

    it('puts an NMEA 4 tag block (station, epoch seconds) on the first sentence', () => {
        const time = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
        const lines = new AisEncoder().encode(
            { type: 5, mmsi: 366000001 },
            { tagBlock: { station: 'local-sim', time } },
        );
        expect(lines[0]).toMatch(/^\\g:1-2-1,s:local-sim,c:1735787045\*[0-9A-F]{2}\\!AIVDM,2,1,/);
        expect(lines[1]).toMatch(/^\\g:2-2-1,s:local-sim,c:1735787045\*[0-9A-F]{2}\\!AIVDM,2,2,/);
        expect(new AisEncoder().encode({ type: 1, mmsi: 1 }, { tagBlock: { station: 's' } })[0]).toMatch(
            /^\\s:s\*[0-9A-F]{2}\\!AIVDM,1,1,,A,/,
        );
        const { events } = decode(lines);
        expect(events).toHaveLength(1);
        const event = events[0]!;
        expect(event.kind).toBe('message');
        expect(event.tagBlock?.station).toBe('local-sim');
        expect(event.tagBlock?.timestamp).toBe(1735787045000);
        expect(tagBlock({ station: 'x' })).toBe(`\\s:x*${nmeaChecksum('s:x')}\\`);
    });
});

describe('fixed vectors from real sentences (gpsd sample.aivdm)', () => {
    const lines = readFileSync(SAMPLE, 'utf8')
        .split(/\r?\n/)
        .filter((l) => l.startsWith('!'));
    const payloadOf = (l: string): { payload: string; fill: number } => {
        const f = l.split(',');
        return { payload: f[5]!, fill: Number(f[6]!.slice(0, 1)) };
    };

    /** Decodes the real sentence(s), re-encodes the decoded fields, and compares the payload bits. */
    function reencode(
        sentences: string[],
        pad: '@' | ' ' = '@',
    ): { real: string; fill: number; ours: { payload: string; fillBits: number } } {
        const message = decodeOne(sentences);
        const real = sentences.map((s) => payloadOf(s).payload).join('');
        const fill = payloadOf(sentences[sentences.length - 1]!).fill;
        return { real, fill, ours: encodePayload(message as unknown as EncodableMessage, pad) };
    }

    it.each([
        ['type 1', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'],
        ['type 1 (no heading, no turn)', '!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42'],
        ['type 2', '!AIVDM,1,1,,B,25Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*60'],
        ['type 3', '!AIVDM,1,1,,A,38Id705000rRVJhE7cl9n;160000,0*40'],
        ['type 18', '!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C'],
    ])('%s', (_name, line) => {
        expect(lines).toContain(line);
        const { real, fill, ours } = reencode([line]);
        expect(ours.payload).toBe(real);
        expect(ours.fillBits).toBe(fill);
        const message = decodeOne([line]) as unknown as EncodableMessage;
        expect(new AisEncoder().encode(message, { channel: line.split(',')[4]! })).toEqual([line]);
    });

    it('type 5 (two sentences; this transponder pads text with spaces)', () => {
        const i = lines.indexOf(
            '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
        );
        expect(i).toBeGreaterThanOrEqual(0);
        const real = [lines[i]!, lines[i + 1]!];
        const { real: payload, fill, ours } = reencode(real, ' ');
        expect(ours.payload).toBe(payload);
        expect(ours.fillBits).toBe(fill);
        // the sentences themselves, checksums included, given the same sequence id (1) and channel
        const enc = new AisEncoder();
        enc.encode({ type: 5, mmsi: 1 }); // sequence id 0
        const message = decodeOne(real) as unknown as EncodableMessage;
        expect(enc.encode(message, { channel: 'A', pad: ' ' })).toEqual(real);
    });

    it('type 24 part B', () => {
        const partB = lines.filter((l) => {
            const p = payloadOf(l).payload;
            return p.startsWith('H') && decodeOne([l]).partno === 1;
        });
        expect(partB.length).toBeGreaterThan(0);
        for (const line of partB) {
            const { real, fill, ours } = reencode([line]);
            expectWith(ours.payload, line).toBe(real);
            expect(ours.fillBits).toBe(fill);
        }
    });

    it('type 24 part A: the real ones are 160 bits (spare left off); ours are the 168 of M.1371-5', () => {
        const partA = lines.filter(
            (l) => payloadOf(l).payload.startsWith('H') && decodeOne([l]).partno === 0,
        );
        expect(partA.length).toBeGreaterThan(0);
        for (const line of partA) {
            const { real, fill, ours } = reencode([line]);
            expect(real.length * 6 - fill).toBe(160);
            expect(ours.payload.length * 6 - ours.fillBits).toBe(168);
            expect(ours.payload.slice(0, real.length)).toBe(real); // the 8 spare bits are zero
        }
    });
});
