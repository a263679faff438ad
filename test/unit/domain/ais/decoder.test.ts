import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { AisDecoder, type DecodeEvent, parseTagBlock } from '../../../../shared/domain/ais/index.js';
import { expectWith } from '../../../helpers/expectWith.js';
import { fixtureLines } from './fixtures.js';

/** Builds `!AIVDM,...*hh` with a correct checksum. */
function nmea(body: string, start = '!'): string {
    let sum = 0;
    for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
    return `${start}${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

function tag(body: string): string {
    let sum = 0;
    for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
    return `\\${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}\\`;
}

const TYPE1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
const TYPE5_A = nmea('AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0');
const TYPE5_B = nmea('AIVDM,2,2,3,B,1@0000000000000,2');
const TYPE5_A_2 = nmea('AIVDM,2,1,4,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0');
const TYPE5_B_2 = nmea('AIVDM,2,2,4,B,1@0000000000000,2');

function kinds(events: DecodeEvent[]): string[] {
    return events.map((e) => (e.kind === 'error' ? `error:${e.reason}` : e.kind));
}

/** The accounting rule documented in decoder.ts. */
function expectAccounted(d: AisDecoder, events: DecodeEvent[]): void {
    const s = d.stats;
    expect(s.lines).toBe(s.skipped + s.tagBlockLines + s.sentences + s.checksumFailures + s.lineErrors);
    const rawLines = events.reduce((n, e) => n + e.raw.length, 0);
    expect(rawLines + s.fragmentsPending).toBe(s.lines - s.skipped - s.tagBlockLines);
    expect(events.filter((e) => e.kind === 'message')).toHaveLength(s.messages);
    expect(events.filter((e) => e.kind === 'unsupported')).toHaveLength(s.unsupported);
    expect(events.filter((e) => e.kind === 'error')).toHaveLength(s.checksumFailures + s.malformed);
}

describe('NMEA framing and checksum', () => {
    it('decodes a sentence with CRLF, any talker, $ start, VDO, and a USCG suffix', () => {
        const d = new AisDecoder();
        const body = 'AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0';
        for (const line of [
            TYPE1 + '\r\n',
            nmea(body.replace('AI', 'BS')),
            nmea(body.replace('AI', 'AB')),
            nmea(body, '$'),
            nmea(body.replace('VDM', 'VDO')),
            TYPE1 + ',d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001',
        ]) {
            const [e] = d.push(line, 1000);
            expectWith(e?.kind, line).toBe('message');
            if (e?.kind === 'message') expect(e.message.mmsi).toBe(371798000);
        }
        const [vdo] = d.push(nmea(body.replace('AIVDM', 'ANVDO')));
        expect(vdo).toMatchObject({ kind: 'message', talker: 'AN', formatter: 'VDO', channel: 'A' });
    });

    it('rejects bad and missing checksums and never decodes them', () => {
        const d = new AisDecoder();
        expect(kinds(d.push(TYPE1.replace('*4A', '*4B')))).toEqual(['error:NMEA_CHECKSUM']);
        expect(kinds(d.push(TYPE1.replace('*4A', '')))).toEqual(['error:NMEA_CHECKSUM']);
        expect(kinds(d.push(TYPE1.replace('*4A', '*4')))).toEqual(['error:NMEA_CHECKSUM']);
        expect(kinds(d.push(TYPE1.replace('15RT', '15RU')))).toEqual(['error:NMEA_CHECKSUM']);
        expect(d.stats).toMatchObject({ checksumFailures: 4, messages: 0, sentences: 0 });
    });

    it('skips blank lines and comments without events', () => {
        const d = new AisDecoder();
        for (const l of ['', '\r\n', '   ', '# comment', '#']) expect(d.push(l)).toEqual([]);
        expect(d.stats).toMatchObject({ lines: 5, skipped: 5 });
    });

    it('reports malformed lines, bad fields and long lines', () => {
        const d = new AisDecoder({ maxLineLength: 200 });
        expect(kinds(d.push('hello world'))).toEqual(['error:NMEA_MALFORMED']);
        // Another NMEA sentence is not an error: skipped with a reason (see 'skips sentences that are not AIS').
        expect(kinds(d.push(nmea('GPGGA,1,2,3,4,5,6')))).toEqual([]);
        expect(kinds(d.push(nmea('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ')))).toEqual([
            'error:NMEA_MALFORMED',
        ]);
        for (const body of [
            'AIVDM,0,1,,A,15RT,0', // count 0
            'AIVDM,10,1,,A,15RT,0', // count > 9
            'AIVDM,2,3,1,A,15RT,0', // number > count
            'AIVDM,2,0,1,A,15RT,0', // number 0
            'AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,6', // fill > 5
            'AIVDM,1,1,x,A,15RTgt0PAso;90TKcjM8h6g208CQ,0', // sequence id
            'AIVDM,1,1,,AB,15RTgt0PAso;90TKcjM8h6g208CQ,0', // channel
        ]) {
            expectWith(kinds(d.push(nmea(body))), body).toEqual(['error:NMEA_BAD_FIELD']);
        }
        expect(kinds(d.push(TYPE1 + 'x'.repeat(200)))).toEqual(['error:LINE_TOO_LONG']);
    });

    it('reports bad payload characters and short payloads', () => {
        const d = new AisDecoder();
        expect(kinds(d.push(nmea('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208C~,0')))).toEqual([
            'error:PAYLOAD_BAD_CHAR',
        ]);
        expect(kinds(d.push(nmea('AIVDM,1,1,,A,15RTgt0PAso;90TK,0')))).toEqual(['error:PAYLOAD_TOO_SHORT']);
        expect(kinds(d.push(nmea('AIVDM,1,1,,A,,0')))).toEqual(['error:PAYLOAD_TOO_SHORT']);
        // gpsd tolerates type 5 with 420 bits (70 characters, fill 0) instead of 424; fewer is too short
        const payload = '55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E531@000000000000';
        expect(payload).toHaveLength(70);
        const [five] = d.push(nmea(`AIVDM,1,1,,A,${payload},0`));
        expect(five).toMatchObject({ kind: 'message', message: { type: 5, shipname: 'MT.MITCHELL' } });
        expect(five?.kind === 'message' && five.message).not.toHaveProperty('dte');
        expect(kinds(d.push(nmea(`AIVDM,1,1,,A,${payload},2`)))).toEqual(['error:PAYLOAD_TOO_SHORT']);
    });

    it('reports unknown message types as unsupported with the MMSI', () => {
        const d = new AisDecoder();
        const [e] = d.push(nmea('AIVDM,1,1,,A,05RTgt0PAso;90TKcjM8h6g208CQ,0'));
        expect(e).toMatchObject({ kind: 'unsupported', type: 0, mmsi: 371798000 });
        const [f] = d.push(nmea('AIVDM,1,1,,A,l5RTgt0PAso;90TKcjM8h6g208CQ,0'));
        expect(f).toMatchObject({ kind: 'unsupported', type: 52 });
        expect(d.stats.unsupported).toBe(2);
    });
});

describe('NMEA 4 tag blocks', () => {
    it('parses c: (seconds or milliseconds by digit count), s:, g: and keeps other keys', () => {
        const a = tag('c:1418169601,s:rORBCOMM008,g:1-2-1604,T:2014-12-10 00.00.01');
        expect(parseTagBlock(a, 1, a.length - 1)).toEqual({
            timestamp: 1418169601000,
            station: 'rORBCOMM008',
            group: { sentence: 1, groupsize: 2, id: 1604 },
            T: '2014-12-10 00.00.01',
        });
        const b = tag('c:1418169601123,d:dest,n:12,r:5,t:hello');
        expect(parseTagBlock(b, 1, b.length - 1)).toEqual({
            timestamp: 1418169601123,
            d: 'dest',
            n: '12',
            r: '5',
            t: 'hello',
        });
    });

    it('rejects a bad tag block checksum, a missing checksum and a bad c:', () => {
        const d = new AisDecoder();
        expect(kinds(d.push('\\c:1418169601,s:x*00\\' + TYPE1))).toEqual(['error:TAGBLOCK_INVALID']);
        expect(kinds(d.push('\\c:1418169601,s:x\\' + TYPE1))).toEqual(['error:TAGBLOCK_INVALID']);
        expect(kinds(d.push(tag('c:14181x') + TYPE1))).toEqual(['error:TAGBLOCK_INVALID']);
        expect(kinds(d.push('\\c:1418169601' + TYPE1))).toEqual(['error:TAGBLOCK_INVALID']);
    });

    it('attaches the tag block to the event, also from a tag block alone on the line before', () => {
        const d = new AisDecoder();
        const [e] = d.push(tag('s:station1,c:1700000000') + TYPE1);
        expect(e).toMatchObject({
            kind: 'message',
            tagBlock: { station: 'station1', timestamp: 1700000000000 },
        });
        expect(d.push(tag('s:station2,c:1700000001000'))).toEqual([]);
        const [f] = d.push(TYPE1);
        expect(f).toMatchObject({
            kind: 'message',
            tagBlock: { station: 'station2', timestamp: 1700000001000 },
        });
        const [g] = d.push(TYPE1);
        expect(g?.tagBlock).toBeUndefined();
        expect(d.stats.tagBlockLines).toBe(1);
    });

    it('reassembles by g: group, even when sequence ids collide across stations', () => {
        const d = new AisDecoder();
        const out = [
            ...d.push(tag('g:1-2-77,s:a') + TYPE5_A),
            ...d.push(tag('g:1-2-78,s:b') + TYPE5_A),
            ...d.push(tag('g:2-2-78,s:b') + TYPE5_B),
            ...d.push(tag('g:2-2-77,s:a') + TYPE5_B),
        ];
        expect(kinds(out)).toEqual(['message', 'message']);
        expect(out.map((e) => e.tagBlock?.station)).toEqual(['b', 'a']);
    });
});

describe('multi-sentence reassembly', () => {
    it('reassembles in order, interleaved and out of order', () => {
        const d = new AisDecoder();
        expect(kinds([...d.push(TYPE5_A), ...d.push(TYPE5_B)])).toEqual(['message']);
        const mixed = [
            ...d.push(TYPE5_A),
            ...d.push(TYPE5_A_2),
            ...d.push(TYPE1),
            ...d.push(TYPE5_B_2),
            ...d.push(TYPE5_B),
        ];
        expect(kinds(mixed)).toEqual(['message', 'message', 'message']);
        const reversed = [...d.push(TYPE5_B), ...d.push(TYPE5_A)];
        expect(kinds(reversed)).toEqual(['message']);
        const e = reversed[0]!;
        expect(e.raw).toEqual([TYPE5_B, TYPE5_A]);
        if (e.kind === 'message')
            expect(e.message).toMatchObject({ type: 5, mmsi: 369190000, shipname: 'MT.MITCHELL' });
        expect(d.stats.fragmentsPending).toBe(0);
    });

    it('keys by channel: the same sequence id on A and B are different messages', () => {
        const d = new AisDecoder();
        const other = TYPE5_B.replace(',B,', ',A,');
        const fixed = nmea(other.slice(1, other.indexOf('*')));
        expect(kinds([...d.push(TYPE5_A), ...d.push(fixed)])).toEqual([]);
        expect(d.stats.fragmentsPending).toBe(2);
        expect(kinds(d.flush())).toEqual(['error:FRAGMENT_INCOMPLETE', 'error:FRAGMENT_INCOMPLETE']);
        expect(d.stats.fragmentsPending).toBe(0);
    });

    it('a repeated fragment number starts a new message and reports the old one', () => {
        const d = new AisDecoder();
        expect(d.push(TYPE5_A)).toEqual([]);
        const out = d.push(TYPE5_A);
        expect(kinds(out)).toEqual(['error:FRAGMENT_INCOMPLETE']);
        expect(out[0]!.raw).toEqual([TYPE5_A]);
        expect(kinds(d.push(TYPE5_B))).toEqual(['message']);
    });

    it('evicts the oldest pending message beyond maxPendingMessages', () => {
        const d = new AisDecoder({ maxPendingMessages: 2 });
        const first = (seq: number, ch: string) =>
            nmea(`AIVDM,2,1,${seq},${ch},55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0`);
        expect(d.push(first(1, 'A'))).toEqual([]);
        expect(d.push(first(2, 'A'))).toEqual([]);
        const out = d.push(first(3, 'A'));
        expect(kinds(out)).toEqual(['error:FRAGMENT_INCOMPLETE']);
        expect(out[0]!.raw).toEqual([first(1, 'A')]);
        expect(d.stats.fragmentsPending).toBe(2);
    });

    it('times pending messages out by receivedAt', () => {
        const d = new AisDecoder({ fragmentTimeoutMs: 1000 });
        expect(d.push(TYPE5_A, 0)).toEqual([]);
        expect(kinds(d.push(TYPE1, 500))).toEqual(['message']);
        expect(kinds(d.push(TYPE1, 1500))).toEqual(['error:FRAGMENT_INCOMPLETE', 'message']);
        expect(kinds(d.push(TYPE5_B, 1600))).toEqual([]); // a lone last fragment now waits
        expect(d.stats.fragmentsPending).toBe(1);
    });

    it('reports a bad character in any fragment once the message is complete', () => {
        const d = new AisDecoder();
        const bad = nmea('AIVDM,2,2,3,B,1@00000000000~0,2');
        expect(kinds([...d.push(TYPE5_A), ...d.push(bad)])).toEqual(['error:PAYLOAD_BAD_CHAR']);
    });
});

describe('sentinels', () => {
    it('leaves out not-available values and keeps real ones', () => {
        const d = new AisDecoder();
        // type 1, 440348000: turn -128, heading 511 → absent; speed 0 and course 93.4 kept
        const [a] = d.push('!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42');
        if (a?.kind !== 'message') throw new Error('expected a message');
        expect(a.message).not.toHaveProperty('turn');
        expect(a.message).not.toHaveProperty('turn_indicator');
        expect(a.message).not.toHaveProperty('heading');
        expect(a.message).toMatchObject({ speed: 0, course: 93.4 });
        // type 4 with lat 91 / lon 181 and 0000-00-00T24:60:60
        const [b] = d.push('!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28');
        if (b?.kind !== 'message') throw new Error('expected a message');
        for (const k of ['lat', 'lon', 'timestamp', 'year', 'month', 'day', 'hour', 'minute', 'second']) {
            expectWith(b.message, k).not.toHaveProperty(k);
        }
        // rate of turn ±127 → turn_indicator
        const [c] = d.push(TYPE1);
        if (c?.kind !== 'message') throw new Error('expected a message');
        expect(c.message).toMatchObject({ turn_indicator: 'fastleft' });
        expect(c.message).not.toHaveProperty('turn');
    });

    it('decodes type 8 DAC 1 FI 31 met/hydro data with not-available fields left out', () => {
        const d = new AisDecoder();
        d.push('!AIVDM,2,1,9,B,8>j`;MP0GhRHI1S`CrTW2?u2Ot1owwnews0F003wwwwwww0001wwwwwwwwh0,0*02');
        const [e] = d.push('!AIVDM,2,2,9,B,00,4*18');
        if (e?.kind !== 'message') throw new Error('expected a message');
        expect(e.message).toMatchObject({
            type: 8,
            dac: 1,
            fid: 31,
            lat: 54.411183333333334,
            accuracy: false,
            timestamp: '20T18:28Z',
            wspeed: 17,
            wdir: 132,
            airtemp: 1.4,
            dewpoint: -0.1,
            pressure: 1013,
            visgreater: true,
            waterlevel: 5.38,
            cspeed: 0,
            waveheight: 0,
            watertemp: -0.1,
        });
        for (const k of [
            'wgust',
            'wgustdir',
            'humidity',
            'visibility',
            'cspeed2',
            'cdir2',
            'seastate',
            'salinity',
            'ice',
        ]) {
            expectWith(e.message, k).not.toHaveProperty(k);
        }
        expect(e.message).not.toHaveProperty('data');
    });
});

describe('robustness (fast-check)', () => {
    const real = fixtureLines('sample.aivdm').filter((l) => l.startsWith('!'));
    const realLine = fc.constantFrom(...real);
    const mutated = fc.oneof(
        realLine,
        fc.tuple(realLine, fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
        fc.tuple(realLine, fc.integer({ min: 0, max: 9 })).map(([l, f]) => {
            const star = l.indexOf('*');
            const body = l.slice(1, star);
            return nmea(body.slice(0, body.lastIndexOf(',') + 1) + String(f));
        }),
        fc.tuple(realLine, fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([l, n, ch]) => {
            const i = n % l.length;
            const body = (l.slice(0, i) + ch + l.slice(i + 1)).slice(1);
            const star = body.indexOf('*');
            return star < 0 ? '!' + body : nmea(body.slice(0, star));
        }),
        fc
            .tuple(
                fc.integer({ min: -1, max: 12 }),
                fc.integer({ min: -1, max: 12 }),
                fc.integer({ min: 0, max: 9 }),
                fc.constantFrom('A', 'B', ''),
            )
            .map(([count, num, seq, ch]) =>
                nmea(`AIVDM,${count},${num},${seq},${ch},55P5TL01VIaAL@7WKO@mB,0`),
            ),
        fc.string({ maxLength: 120 }),
        fc.string({ maxLength: 60 }).map((s) => '\\' + s + '\\' + real[0]!),
        fc.constant('!AIVDM,1,1,,A,' + '1'.repeat(100_000) + ',0*00'),
        fc.constant(real[0]!.repeat(2000)),
    );

    it('never throws, never hangs, and accounts for every line', () => {
        fc.assert(
            fc.property(
                fc.array(mutated, { maxLength: 60 }),
                fc.integer({ min: 1, max: 8 }),
                (lines, maxPending) => {
                    const d = new AisDecoder({ maxPendingMessages: maxPending, maxLineLength: 200_000 });
                    const events: DecodeEvent[] = [];
                    let t = 0;
                    for (const l of lines) events.push(...d.push(l, (t += 100)));
                    expect(d.stats.fragmentsPending).toBeLessThanOrEqual(9 * maxPending);
                    expectAccounted(d, events);
                    events.push(...d.flush());
                    expect(d.stats.fragmentsPending).toBe(0);
                    expectAccounted(d, events);
                },
            ),
            { numRuns: 300 },
        );
    });

    it('keeps pending state bounded under a flood of unmatched fragments', () => {
        const d = new AisDecoder({ maxPendingMessages: 16 });
        const events: DecodeEvent[] = [];
        for (let i = 0; i < 20_000; i++) {
            const line = nmea(
                `AIVDM,9,${1 + (i % 8)},${i % 10},${i % 2 ? 'A' : 'B'},55P5TL01VIaAL@7WKO@mB,0`,
            );
            events.push(...d.push(`\\${tagBody(i)}\\${line}`));
        }
        expect(d.stats.fragmentsPending).toBeLessThanOrEqual(16 * 9);
        expectAccounted(d, events);
    });
});

function tagBody(i: number): string {
    const body = `s:st${i % 97},c:${1_700_000_000 + i}`;
    let sum = 0;
    for (let k = 0; k < body.length; k++) sum ^= body.charCodeAt(k);
    return `${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}
