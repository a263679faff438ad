import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { AisDecoder } from '../../../../shared/domain/ais/index.js';
import type { AisMessage, TagBlock } from '../../../../shared/domain/ais/types.js';
import { fromAisMessage } from '../../../../shared/domain/formats/fromAisMessage.js';

const DATA = new URL('../../../../../shared/testdata/ais/', import.meta.url);

interface Decoded {
    message: AisMessage;
    tagBlock?: TagBlock;
}

/** All messages of a real sample file, decoded by the project's decoder. */
function decodeFile(name: string): Decoded[] {
    const d = new AisDecoder();
    const out: Decoded[] = [];
    const lines = readFileSync(new URL(name, DATA), 'utf8').split('\n');
    for (const ev of [...lines.flatMap((l) => d.push(l)), ...d.flush()]) {
        if (ev.kind === 'message')
            out.push(
                ev.tagBlock !== undefined
                    ? { message: ev.message, tagBlock: ev.tagBlock }
                    : { message: ev.message },
            );
    }
    return out;
}

const sample = decodeFile('sample.aivdm');
const find = (pred: (m: AisMessage) => boolean, from = sample): AisMessage => {
    const hit = from.find((d) => pred(d.message));
    if (hit === undefined) throw new Error('no such message in the sample');
    return hit.message;
};
const NMEA = { format: 'nmea' } as const;

describe('fromAisMessage on real sentences (gpsd sample.aivdm)', () => {
    it('type 1: Class A position', () => {
        const recs = fromAisMessage(
            find((m) => m.type === 1 && m.mmsi === 371798000),
            NMEA,
        );
        expect(recs).toHaveLength(1);
        expect(recs[0]).toMatchObject({
            kind: 'position',
            mmsi: 371798000,
            msgType: 1,
            format: 'nmea',
            navStatus: 0,
            sog: 12.3,
            cog: 224,
            heading: 215,
            accuracy: true,
            aisClass: 'A',
            second: 33,
        });
        const r = recs[0] as { lat: number; lon: number; rot?: number };
        expect(r.lat).toBeCloseTo(48.3816333, 6);
        expect(r.lon).toBeCloseTo(-123.3953833, 6);
        // gpsd "fastleft": no magnitude, so no rot.
        expect(r.rot).toBeUndefined();
    });

    it('type 1: "not available" heading is absent, numeric turn becomes rot', () => {
        const [r] = fromAisMessage(
            find((m) => m.mmsi === 440348000),
            NMEA,
        );
        expect(r).toMatchObject({ kind: 'position', sog: 0, cog: 93.4 });
        expect(r).not.toHaveProperty('heading');
        const [moored] = fromAisMessage(
            find((m) => m.type === 3 && m.mmsi === 563808000),
            NMEA,
        );
        expect(moored).toMatchObject({ navStatus: 5, rot: 0, heading: 352 });
    });

    it('type 5: static and voyage data with ETA and derived length/width', () => {
        const recs = fromAisMessage(
            find((m) => m.type === 5 && m.mmsi === 351759000),
            NMEA,
        );
        expect(recs).toEqual([
            {
                kind: 'static',
                mmsi: 351759000,
                msgType: 5,
                format: 'nmea',
                aisClass: 'A',
                imo: 9134270,
                callSign: '3FOF8',
                name: 'EVER DIADEM',
                shipType: 70,
                toBow: 225,
                toStern: 70,
                toPort: 1,
                toStarboard: 31,
                length: 295,
                width: 32,
                draught: 12.2,
                destination: 'NEW YORK',
                eta: '05-15T14:00Z',
            },
        ]);
    });

    it('type 5 with "not available" IMO and ETA leaves them out', () => {
        const [r] = fromAisMessage(
            find((m) => m.type === 5 && m.mmsi === 271010059),
            NMEA,
        );
        expect(r).toMatchObject({ kind: 'static', name: 'HEALTH CONTROL 13', shipType: 55, draught: 2 });
        expect(r).not.toHaveProperty('imo');
        expect(r).not.toHaveProperty('eta');
        expect(r).not.toHaveProperty('destination');
    });

    it('type 18: Class B position', () => {
        const [r, ...rest] = fromAisMessage(
            find((m) => m.type === 18 && m.mmsi === 338087471),
            NMEA,
        );
        expect(rest).toEqual([]);
        expect(r).toMatchObject({
            kind: 'position',
            msgType: 18,
            aisClass: 'B',
            sog: 0.1,
            cog: 79.6,
            accuracy: false,
            second: 49,
        });
        expect(r).not.toHaveProperty('heading');
        expect(r).not.toHaveProperty('navStatus');
    });

    it('type 19: a position and a static record', () => {
        const recs = fromAisMessage(
            find((m) => m.type === 19),
            NMEA,
        );
        expect(recs.map((r) => r.kind)).toEqual(['position', 'static']);
        expect(recs[0]).toMatchObject({ mmsi: 367059850, aisClass: 'B', sog: 8.7, cog: 335.9, second: 46 });
        expect(recs[1]).toMatchObject({
            mmsi: 367059850,
            aisClass: 'B',
            name: 'CAPT.J.RIMES',
            shipType: 70,
            length: 26,
            width: 8,
        });
    });

    it('type 24: part A gives the name, part B type, call sign and dimensions', () => {
        const [a] = fromAisMessage(
            find((m) => m.type === 24 && m.mmsi === 271041815 && m.partno === 0),
            NMEA,
        );
        const [b] = fromAisMessage(
            find((m) => m.type === 24 && m.mmsi === 271041815 && m.partno === 1),
            NMEA,
        );
        expect(a).toEqual({
            kind: 'static',
            mmsi: 271041815,
            msgType: 24,
            format: 'nmea',
            aisClass: 'B',
            part: 'A',
            name: 'PROGUY',
        });
        expect(b).toEqual({
            kind: 'static',
            mmsi: 271041815,
            msgType: 24,
            format: 'nmea',
            aisClass: 'B',
            part: 'B',
            shipType: 60,
            callSign: 'TC6163',
            toBow: 0,
            toStern: 15,
            toPort: 0,
            toStarboard: 5,
            length: 15,
            width: 5,
        });
    });

    it('type 27: long-range position', () => {
        const [r] = fromAisMessage(
            find((m) => m.type === 27 && m.mmsi === 236091959),
            NMEA,
        );
        expect(r).toMatchObject({
            kind: 'position',
            msgType: 27,
            aisClass: 'A',
            navStatus: 3,
            sog: 0,
            cog: 0,
            lat: 87.065,
        });
        expect((r as { lon: number }).lon).toBeCloseTo(-154.2017, 4);
        const fromLog = decodeFile('ais-18-27.log').filter((d) => d.message.type === 27);
        expect(fromLog.length).toBeGreaterThan(0);
        for (const d of fromLog)
            expect(fromAisMessage(d.message, NMEA)[0]).toMatchObject({ kind: 'position', msgType: 27 });
    });

    it('type 9: SAR aircraft position (whole knots)', () => {
        const [r] = fromAisMessage(
            find((m) => m.type === 9 && m.mmsi === 111232511),
            NMEA,
        );
        expect(r).toMatchObject({ kind: 'position', msgType: 9, sog: 42, cog: 154.5 });
        expect(r).not.toHaveProperty('aisClass');
    });

    it('types 4 and 21 (base station, aid to navigation) become other, fields kept', () => {
        for (const type of [4, 21]) {
            const msg = find((m) => m.type === type);
            expect(fromAisMessage(msg, NMEA)).toEqual([
                { kind: 'other', mmsi: msg.mmsi, msgType: type, format: 'nmea', fields: msg },
            ]);
        }
    });

    it('event time and station come from the tag block (libais tagblock.nmea)', () => {
        const d = decodeFile('tagblock.nmea').find((x) => x.message.type === 1)!;
        const [r] = fromAisMessage(d.message, {
            format: 'nmea',
            ...(d.tagBlock ? { tagBlock: d.tagBlock } : {}),
            station: 'fallback',
        });
        expect(r).toMatchObject({ eventTime: Date.UTC(2014, 11, 10, 0, 41, 53), station: 'rORBCOMM104' });
        const [r2] = fromAisMessage(d.message, { format: 'nmea', station: 'fallback' });
        expect(r2).toMatchObject({ station: 'fallback' });
        expect(r2).not.toHaveProperty('eventTime');
    });

    it('leaves out sentinels a decoder passed on', () => {
        const msg: AisMessage = {
            type: 1,
            repeat: 0,
            mmsi: 1,
            lat: 91,
            lon: 181,
            speed: 102.3,
            course: 360,
            heading: 511,
            second: 61,
            turn: 'nan',
        };
        expect(fromAisMessage(msg, NMEA)).toEqual([
            { kind: 'position', mmsi: 1, msgType: 1, format: 'nmea', aisClass: 'A' },
        ]);
        const st: AisMessage = {
            type: 5,
            repeat: 0,
            mmsi: 2,
            imo: 0,
            shiptype: 0,
            draught: 0,
            to_bow: 0,
            to_stern: 0,
            to_port: 0,
            to_starboard: 0,
            callsign: '@@@@@@@',
            shipname: 'A B@@@@ ',
            destination: '',
        };
        expect(fromAisMessage(st, NMEA)).toEqual([
            { kind: 'static', mmsi: 2, msgType: 5, format: 'nmea', aisClass: 'A', name: 'A B' },
        ]);
    });
});
