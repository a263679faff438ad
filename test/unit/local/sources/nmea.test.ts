import { describe, expect, it } from '@jest/globals';

import { AisEncoder } from '../../../../local/simulator/aisEncoder.js';
import {
    FragmentGrouper,
    LineSplitter,
    mmsiFromPayload,
    nmeaChecksum,
    parseAisSentence,
} from '../../../../local/sources/nmea.js';
import { UNKNOWN_PARTITION_KEY } from '../../../../local/sources/types.js';

describe('mmsiFromPayload', () => {
    it('reads bits 8..37', () => {
        expect(mmsiFromPayload('15RTgt0PAso;90TKcjM8h6g208CQ')).toBe(371798000);
        expect(mmsiFromPayload('55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8')).toBe(
            351759000,
        );
        expect(mmsiFromPayload('H42O55lti4hhhilD3nink000?050')).toBe(271041815);
        for (const mmsi of [0, 1, 2 ** 30 - 1, 244123456]) {
            const line = new AisEncoder().encode({ type: 18, mmsi })[0]!;
            expect(mmsiFromPayload(line.split(',')[5]!)).toBe(mmsi);
        }
    });
    it('is undefined for short or badly armoured payloads', () => {
        expect(mmsiFromPayload('15RTgt')).toBeUndefined();
        expect(mmsiFromPayload('15RT gt0PA')).toBeUndefined();
    });
});

describe('parseAisSentence', () => {
    it('reads fragment fields behind a tag block and before a suffix', () => {
        const info = parseAisSentence(
            '\\g:2-2-1604,s:rORBCOMM008,c:1418169601*34\\!AIVDM,2,2,6,A,00000000008,2*2A,r003669946',
        );
        expect(info).toEqual({
            count: 2,
            num: 2,
            seqId: '6',
            channel: 'A',
            payload: '00000000008',
            group: { sentence: 2, size: 2, id: '1604' },
        });
        expect(parseAisSentence('$GPGGA,123519,4807.038,N')).toBeUndefined();
        expect(nmeaChecksum('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0')).toBe('4A');
    });
});

describe('LineSplitter', () => {
    it('frames lines across chunk boundaries and line-ending styles', () => {
        const s = new LineSplitter();
        expect(s.push('!AIVDM,1,1,,A,15RT')).toEqual([]);
        expect(s.push('gt0PA,0*00\r')).toEqual(['!AIVDM,1,1,,A,15RTgt0PA,0*00']);
        expect(s.push('\nsecond\n\nthird')).toEqual(['second']);
        expect(s.pending).toBe(true);
        expect(s.flush()).toEqual(['third']);
        expect(s.flush()).toEqual([]);
    });
    it('bounds a runaway line', () => {
        const s = new LineSplitter(10);
        expect(s.push('x'.repeat(25))).toEqual(['x'.repeat(25)]);
        expect(s.pending).toBe(false);
    });
});

describe('FragmentGrouper', () => {
    const t5 = [
        '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
        '!AIVDM,2,2,1,A,88888888880,2*25',
    ];
    const t1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';

    it('keeps a message’s fragments in one event keyed by the MMSI of the first', () => {
        const g = new FragmentGrouper({ properties: { format: 'nmea' } });
        expect(g.push(t5[0]!)).toEqual([]);
        expect(g.push(t1)).toEqual([{ body: t1, partitionKey: '371798000', properties: { format: 'nmea' } }]);
        expect(g.push(t5[1]!)).toEqual([
            { body: t5.join('\n'), partitionKey: '351759000', properties: { format: 'nmea' } },
        ]);
        expect(g.pendingCount).toBe(0);
    });

    it('groups by tag-block g: (interleaved with other messages)', () => {
        const lines = [
            '\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63',
            '\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78',
            '\\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\\!AIVDM,2,2,6,A,00000000008,2*2A',
        ];
        const g = new FragmentGrouper();
        const events = lines.flatMap((l) => g.push(l));
        expect(events.map((e) => e.body)).toEqual([lines[1], `${lines[0]}\n${lines[2]}`]);
        expect(events[1]!.partitionKey).toBe(
            String(mmsiFromPayload('53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000')),
        );
    });

    it('passes on incomplete, orphan and non-AIS lines instead of dropping them', () => {
        const g = new FragmentGrouper();
        expect(g.push(t5[1]!)).toEqual([{ body: t5[1], partitionKey: UNKNOWN_PARTITION_KEY }]);
        expect(g.push('garbage')).toEqual([{ body: 'garbage', partitionKey: UNKNOWN_PARTITION_KEY }]);
        expect(g.push('# comment')).toEqual([]);
        g.push(t5[0]!);
        // a new first fragment with the same key supersedes the pending one
        expect(g.push(t5[0]!)).toEqual([{ body: t5[0], partitionKey: '351759000' }]);
        expect(g.flush()).toEqual([{ body: t5[0], partitionKey: '351759000' }]);
    });

    it('flushes messages waiting longer than a timeout', () => {
        let now = 0;
        const g = new FragmentGrouper({ now: () => now });
        g.push(t5[0]!);
        now = 4000;
        expect(g.flushOlderThan(5000)).toEqual([]);
        now = 5000;
        expect(g.flushOlderThan(5000)).toHaveLength(1);
    });

    it('bounds the number of pending messages', () => {
        const g = new FragmentGrouper({ maxPending: 2 });
        const enc = new AisEncoder();
        const firsts = [0, 1, 2].map((i) => enc.encode({ type: 5, mmsi: 100 + i })[0]!);
        expect(g.push(firsts[0]!)).toEqual([]);
        expect(g.push(firsts[1]!)).toEqual([]);
        expect(g.push(firsts[2]!)).toEqual([{ body: firsts[0], partitionKey: '100' }]);
    });
});
