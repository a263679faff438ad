import { describe, expect, it } from '@jest/globals';

import { parseCsvRow, parseCsvRows, splitCsvLine } from '../../../../shared/domain/formats/csv.js';

const HEADER =
    'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
const FULL =
    '351759000,2023-01-01T00:00:01,40.68454,-74.07213,12.3,224.0,215,EVER DIADEM,IMO9134270,3FOF8,70,0,294.0,32.0,12.2,70,A';

describe('splitCsvLine', () => {
    it('splits plain and quoted fields', () => {
        expect(splitCsvLine('a,b,,c')).toEqual(['a', 'b', '', 'c']);
        expect(splitCsvLine('1,"SEA ROSE, II",x')).toEqual(['1', 'SEA ROSE, II', 'x']);
        expect(splitCsvLine('"say ""hi""",""')).toEqual(['say "hi"', '']);
        expect(splitCsvLine('a,"b"')).toEqual(['a', 'b']);
        expect(splitCsvLine('a,"unterminated')).toBeUndefined();
    });
});

describe('parseCsvRow', () => {
    it('gives a position and a static record for a full row', () => {
        const o = parseCsvRow(FULL, 2);
        expect(o).toEqual({
            ok: true,
            line: 2,
            raw: FULL,
            records: [
                {
                    kind: 'position',
                    mmsi: 351759000,
                    eventTime: Date.UTC(2023, 0, 1, 0, 0, 1),
                    format: 'csv',
                    lat: 40.68454,
                    lon: -74.07213,
                    sog: 12.3,
                    cog: 224,
                    heading: 215,
                    navStatus: 0,
                    aisClass: 'A',
                },
                {
                    kind: 'static',
                    mmsi: 351759000,
                    eventTime: Date.UTC(2023, 0, 1, 0, 0, 1),
                    format: 'csv',
                    name: 'EVER DIADEM',
                    imo: 9134270,
                    callSign: '3FOF8',
                    shipType: 70,
                    length: 294,
                    width: 32,
                    draught: 12.2,
                    aisClass: 'A',
                },
            ],
        });
    });

    it('empty fields are absent; no static fields → position only; sentinels absent', () => {
        const o = parseCsvRow('367000001,2023-06-30T23:59:59,29.9,-89.9,102.3,360.0,511,,,,,,,,,,B');
        expect(o).toEqual({
            ok: true,
            raw: '367000001,2023-06-30T23:59:59,29.9,-89.9,102.3,360.0,511,,,,,,,,,,B',
            records: [
                {
                    kind: 'position',
                    mmsi: 367000001,
                    eventTime: Date.UTC(2023, 5, 30, 23, 59, 59),
                    format: 'csv',
                    lat: 29.9,
                    lon: -89.9,
                    aisClass: 'B',
                },
            ],
        });
    });

    it('IMO with and without prefix; IMO0000000 is absent; quoted name with comma; CRLF', () => {
        const a = parseCsvRow('1,2023-01-01T00:00:00,0,0,0,0,0,"SEA ROSE, II",9134270,,,,,,,,\r');
        expect(a?.ok && a.records[1]).toMatchObject({ kind: 'static', name: 'SEA ROSE, II', imo: 9134270 });
        const b = parseCsvRow('1,2023-01-01T00:00:00,0,0,0,0,0,X,IMO0000000,,,,,,,,');
        expect(b?.ok && b.records[1]).toEqual({
            kind: 'static',
            mmsi: 1,
            eventTime: Date.UTC(2023, 0, 1),
            format: 'csv',
            name: 'X',
        });
    });

    it('keeps out-of-range coordinates for validation (INVALID_COORDINATES, as from NMEA); 91 / 181 mean not available', () => {
        const o = parseCsvRow(FULL.replace('40.68454', '-101.5').replace('-74.07213', '200.2'));
        expect(o).toMatchObject({ ok: true, records: [{ kind: 'position', lat: -101.5, lon: 200.2 }, {}] });
        const na = parseCsvRow(FULL.replace('40.68454', '91').replace('-74.07213', '181'));
        expect(na?.ok && na.records[0]).not.toHaveProperty('lat');
        expect(na?.ok && na.records[0]).not.toHaveProperty('lon');
    });

    it('skips the header and blank lines', () => {
        expect(parseCsvRow(HEADER)).toBeUndefined();
        expect(parseCsvRow('  ')).toBeUndefined();
        const all = parseCsvRows(`${HEADER}\n${FULL}\n\nbad\n`);
        expect(all.map((o) => (o.ok ? o.records.length : o.reason))).toEqual([2, 'CSV_MALFORMED']);
        expect(all[1]).toMatchObject({ line: 4, raw: 'bad' });
    });

    it.each([
        ['1,2,3', 'expected 17 columns'],
        [FULL + ',extra', 'got 18'],
        ['1,2023-01-01T00:00:00,"0,0,0,0,0,,,,,,,,,,', 'unterminated quoted field'],
        [FULL.replace('40.68454', 'north'), 'column LAT: expected a number, got "north"'],
        [FULL.replace('12.3,', '0x10,'), 'column SOG: expected a number'],
        [FULL.replace(',70,0,', ',cargo,0,'), 'column VesselType: expected a number'],
        [FULL.replace(',70,0,', ',70,1.5,'), 'column Status: expected an integer'],
        [FULL.replace('IMO9134270', 'IMOX'), 'column IMO'],
        [FULL.replace('351759000', ''), 'column MMSI'],
        [FULL.replace('2023-01-01T00:00:01', '2023-02-30T00:00:01'), 'column BaseDateTime'],
        [FULL.replace('2023-01-01T00:00:01', ''), 'column BaseDateTime'],
    ])('rejects %s', (line, detail) => {
        const o = parseCsvRow(line);
        expect(o).toMatchObject({ ok: false, reason: 'CSV_MALFORMED', raw: line });
        if (o !== undefined && !o.ok) expect(o.detail).toContain(detail);
    });
});
