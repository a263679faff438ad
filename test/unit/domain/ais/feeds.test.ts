/**
 * The decoder on files in the shapes real feeds arrive in (test/helpers/feedShapes.ts): NMEA 4 tag-block
 * groups, USCG receiver suffixes, $PGHP headers and other NMEA sentences.
 */
import { describe, expect, it } from '@jest/globals';

import { nmeaChecksum } from '../../../../local/sources/nmea.js';
import { AisDecoder, decodeLines, pghpTime, suffixTime } from '../../../../shared/domain/ais/index.js';
import {
    DMA_TIME,
    dmaFeed,
    SAT_TIME,
    satelliteFeed,
    SHIP_A,
    SHIP_B,
    SHIP_D,
    USCG_TIME,
    uscgFeed,
} from '../../../helpers/feedShapes.js';

function accounted(s: ReturnType<typeof decodeLines>['stats']): boolean {
    return s.lines === s.skipped + s.tagBlockLines + s.sentences + s.checksumFailures + s.lineErrors;
}

describe('real feed shapes in the decoder', () => {
    it('NMEA 4: groups fragments by the g: id alone; the first fragment’s tag block (s:, c:) applies', () => {
        const { events, stats } = decodeLines(satelliteFeed());
        expect(events.map((e) => e.kind)).toEqual(['message', 'message', 'message', 'message', 'message']);
        const statics = events.filter((e) => e.kind === 'message' && e.message.type === 5);
        expect(statics.map((e) => (e.kind === 'message' ? e.message.mmsi : 0))).toEqual([SHIP_A, SHIP_B]);
        expect(statics.map((e) => (e.kind === 'message' ? e.message.shipname : ''))).toEqual([
            'NORDIC STAR',
            'BALTIC WIND',
        ]);
        expect(statics[0]).toMatchObject({
            receiverTime: SAT_TIME,
            receiverTimeSource: 'tagblock',
            tagBlock: { station: '41925' },
        });
        expect(statics[1]).toMatchObject({ receiverTime: SAT_TIME + 1000, receiverTimeSource: 'tagblock' });
        expect(stats).toMatchObject({
            lines: 7,
            sentences: 7,
            messages: 5,
            malformed: 0,
            fragmentsPending: 0,
        });
        expect(accounted(stats)).toBe(true);
    });

    it('USCG suffix: the trailing Unix time is the receiver time', () => {
        const { events, stats } = decodeLines(uscgFeed());
        expect(events).toHaveLength(4);
        expect(events.map((e) => e.receiverTime)).toEqual([
            USCG_TIME,
            USCG_TIME + 10_000,
            USCG_TIME + 20_000,
            USCG_TIME + 30_000,
        ]);
        expect(events.every((e) => e.receiverTimeSource === 'suffix')).toBe(true);
        const bad = events[2]!;
        expect(bad.kind === 'message' && [bad.message.lat, bad.message.lon]).toEqual([-101.5, 200.2]);
        expect(stats).toMatchObject({ sentences: 4, messages: 4, skipped: 0 });
    });

    it('$PGHP headers give the next sentence its time; $GPRMC is skipped with a reason, never NMEA_MALFORMED', () => {
        const { events, stats } = decodeLines(dmaFeed());
        expect(events.map((e) => e.kind)).toEqual(['message', 'message', 'message']);
        expect(events.map((e) => [e.receiverTime, e.receiverTimeSource])).toEqual([
            [DMA_TIME, 'pghp'],
            [DMA_TIME + 1000, 'pghp'],
            [DMA_TIME + 60_000, 'pghp'],
        ]);
        expect(events[1]!.kind === 'message' && events[1]!.message).toMatchObject({
            type: 5,
            mmsi: SHIP_D,
            shipname: 'DANA',
        });
        expect(stats).toMatchObject({
            lines: 9,
            sentences: 4,
            messages: 3,
            malformed: 0,
            checksumFailures: 0,
            skipped: 5,
        });
        expect(stats.skippedByReason).toEqual({
            BLANK_OR_COMMENT: 0,
            NON_AIS_SENTENCE: 1,
            PROPRIETARY_SENTENCE: 0,
            PGHP_HEADER: 4,
        });
        expect(accounted(stats)).toBe(true);
    });

    it('receiver time precedence: tag block c: over a $PGHP header over a suffix; a header applies to one sentence only', () => {
        const [pghp] = dmaFeed();
        const [uscg] = uscgFeed();
        const d = new AisDecoder();
        // header + suffix line: the header wins
        expect(d.push(pghp!)).toEqual([]);
        expect(d.push(uscg!)[0]).toMatchObject({ receiverTime: DMA_TIME, receiverTimeSource: 'pghp' });
        // the header was used: the next line falls back to its suffix
        expect(d.push(uscg!)[0]).toMatchObject({ receiverTime: USCG_TIME, receiverTimeSource: 'suffix' });
        // tag block c: + header + suffix: the tag block wins
        const tagged = satelliteFeed()[4]!;
        const tb = tagged.slice(0, tagged.lastIndexOf('\\') + 1);
        d.push(pghp!);
        expect(d.push(tb + uscg!)[0]).toMatchObject({
            receiverTime: SAT_TIME + 10_000,
            receiverTimeSource: 'tagblock',
        });
        // no receiver time: none claimed
        const plain = uscg!.slice(0, uscg!.indexOf('*') + 3);
        expect(d.push(plain)[0]).toMatchObject({ receiverTime: undefined, receiverTimeSource: undefined });
    });

    it('proprietary sentences and other talkers are skipped by reason; a damaged !AIVDM is still an error', () => {
        const d = new AisDecoder();
        expect(d.push('$PSRT,TXT,1,1,hello*00')).toEqual([]);
        expect(d.push('$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47')).toEqual([]);
        expect(d.push('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*00')[0]).toMatchObject({
            reason: 'NMEA_CHECKSUM',
        });
        expect(d.stats.skippedByReason).toMatchObject({ PROPRIETARY_SENTENCE: 1, NON_AIS_SENTENCE: 1 });
        expect(d.stats.malformed + d.stats.checksumFailures).toBe(1);
    });

    it('NMEA 4 group shapes IEC 61162-1 allows: out of order, tag block on its own line, s: on every fragment, lower-case checksum, c: in ms, n:/r:', () => {
        const tag = (body: string, lower = false): string =>
            `\\${body}*${lower ? nmeaChecksum(body).toLowerCase() : nmeaChecksum(body)}\\`;
        const nmea = (body: string): string => `!${body}*${nmeaChecksum(body)}`;
        const first = nmea('AIVDM,2,1,,,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0');
        const second = nmea('AIVDM,2,2,,,1@0000000000000,2');
        const t = Math.floor(SAT_TIME / 1000);
        const shapes: Record<string, { lines: string[]; time: number }> = {
            'second fragment first': {
                lines: [tag('g:2-2-77') + second, tag(`g:1-2-77,s:sat1,c:${t}`) + first],
                time: SAT_TIME,
            },
            'tag blocks on their own lines': {
                lines: [tag(`g:1-2-78,s:sat1,c:${t}`), first, tag('g:2-2-78'), second],
                time: SAT_TIME,
            },
            's: on every fragment': {
                lines: [tag(`g:1-2-79,s:sat1,c:${t}`) + first, tag('g:2-2-79,s:sat1') + second],
                time: SAT_TIME,
            },
            'lower-case tag checksum': {
                lines: [tag(`g:1-2-80,s:sat1,c:${t}`, true) + first, tag('g:2-2-80', true) + second],
                time: SAT_TIME,
            },
            'c: in milliseconds': {
                lines: [tag(`g:1-2-81,s:sat1,c:${t}123`) + first, tag('g:2-2-81') + second],
                time: SAT_TIME + 123,
            },
            'n: line counts and r: relative time': {
                lines: [tag(`g:1-2-82,s:sat1,c:${t},n:12,r:4`) + first, tag('g:2-2-82,n:13') + second],
                time: SAT_TIME,
            },
        };
        for (const [name, shape] of Object.entries(shapes)) {
            const { events, stats } = decodeLines(shape.lines);
            expect({ name, kinds: events.map((e) => e.kind) }).toEqual({ name, kinds: ['message'] });
            const ev = events[0]!;
            expect({
                name,
                type: ev.kind === 'message' ? ev.message.type : 0,
                time: ev.receiverTime,
                source: ev.receiverTimeSource,
            }).toEqual({
                name,
                type: 5,
                time: shape.time,
                source: 'tagblock',
            });
            expect({ name, station: ev.tagBlock?.station }).toEqual({ name, station: 'sat1' });
            expect({
                name,
                malformed: stats.malformed,
                pending: stats.fragmentsPending,
                accounted: accounted(stats),
            }).toEqual({ name, malformed: 0, pending: 0, accounted: true });
        }
    });

    it('parses the time fields themselves', () => {
        const l = '!AIVDM,1,1,,A,x,0*00,s1,d-1,T1.0,x1,r1,1325394060.25';
        expect(suffixTime(l, l.indexOf('*') + 3, l.length)).toBe(1325394060_250);
        expect(suffixTime('x*00,r003669945', 4, 15)).toBeUndefined(); // not a time: station id
        const h = '$PGHP,1,2008,6,10,23,59,59,935,219,219,2190047,1,12*00';
        expect(pghpTime(h, 5, h.indexOf('*'))).toBe(DMA_TIME);
        const bad = '$PGHP,1,2008,2,30,23,59,59,935,219*00';
        expect(pghpTime(bad, 5, bad.indexOf('*'))).toBeUndefined();
    });
});
