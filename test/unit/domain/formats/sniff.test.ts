import { describe, expect, it } from '@jest/globals';

import { lineFormat, sniffFormat, sniffLine } from '../../../../shared/domain/formats/sniff.js';

describe('sniffFormat', () => {
    it.each([
        ['!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30', 'nmea'],
        ['$GPGGA,1,2', 'nmea'],
        ['\\s:rORBCOMM104,c:1418172113*55\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78', 'nmea'],
        ['# comment\n\n  !AIVDM,1,1,,A,x,0*00', 'nmea'],
        ['{"type":"position"}', 'json'],
        ['\n  [ {"type":"static"} ]', 'json'],
        ['\uFEFF{"a":1}', 'json'],
        [
            'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass',
            'csv',
        ],
        ['mmsi,basedatetime,lat,lon', 'csv'],
        ['367000001,2023-01-01T00:00:01,29.9,-89.9,0.1,360,511,,,,,,,,,,A', 'csv'],
        // a bare JSON literal is JSON (the ingest quarantines a `null` body as EMPTY_BODY), not NMEA_MALFORMED
        ['null', 'json'],
        ['  null \r\nnull', 'json'],
        ['true', 'json'],
        ['nullx', 'nmea'],
        ['1,2,3', 'nmea'],
        ['', 'nmea'],
        ['hello world', 'nmea'],
    ] as const)('%j → %s', (body, expected) => {
        expect(sniffFormat(body)).toBe(expected);
    });

    it('sniffLine says undefined for blank and comment lines', () => {
        expect(sniffLine('   ')).toBeUndefined();
        expect(sniffLine('# gpsd comment')).toBeUndefined();
        expect(sniffLine('\r')).toBeUndefined();
    });

    it('lineFormat calls a line of no known format unknown (sniffLine reads it as nmea)', () => {
        expect(lineFormat('hello world')).toBe('unknown');
        expect(lineFormat('1,2,3')).toBe('unknown');
        expect(sniffLine('hello world')).toBe('nmea');
        expect(lineFormat('# comment')).toBeUndefined();
    });
});
