import { describe, expect, it } from '@jest/globals';

import {
    lookupParticulars,
    parseParticularsCsv,
    resolveParticulars,
} from '../../../../shared/domain/emissions/index.js';

const CSV = `# particulars
imo,mmsi,ship_type,dwt,gt,main_engine_kw,design_speed_kn,design_draught_m,engine_type,fuel,year_built,teu,cii_ship_type
9321483,636012345,container,110000,95000,57000,23.5,14.5,SSD,HFO,2009,9000,container_ship
,538001234,bulk_carrier,82000,44000,9800,14.1,14.4,SSD,HFO,2015,,
9000001,,oil_tanker,-5,,,,,XSD,diesel,,,
"9300001",,general_cargo,,,,,,,,,,
`;

describe('parseParticularsCsv', () => {
    const { table, errors } = parseParticularsCsv(CSV);

    it('keys rows by IMO and by MMSI', () => {
        expect(table.byImo.get(9321483)).toMatchObject({
            shipType: 'container',
            teu: 9000,
            ciiShipType: 'container_ship',
            mmsi: 636012345,
        });
        expect(table.byMmsi.get(538001234)).toMatchObject({
            dwt: 82000,
            mainEngineKw: 9800,
            yearBuilt: 2015,
        });
        expect(table.byImo.get(9300001)).toEqual({ imo: 9300001, shipType: 'general_cargo' });
    });

    it('reports bad cells by line and field and keeps the rest of the row', () => {
        expect(errors.map((e) => [e.line, e.field])).toEqual([
            [5, 'dwt'],
            [5, 'engine_type'],
            [5, 'fuel'],
        ]);
        expect(table.byImo.get(9000001)).toEqual({ imo: 9000001, shipType: 'oil_tanker' });
    });

    it('looks up by IMO first, then MMSI', () => {
        expect(lookupParticulars(table, { imo: 9321483, mmsi: 1 })?.dwt).toBe(110000);
        expect(lookupParticulars(table, { imo: 1234567, mmsi: 538001234 })?.dwt).toBe(82000);
        expect(lookupParticulars(table, { imo: null, mmsi: 2 })).toBeUndefined();
    });

    it('a file without imo or mmsi column is an error', () => {
        expect(parseParticularsCsv('name,dwt\nX,1\n').errors[0]?.field).toBe('imo');
    });
});

describe('resolveParticulars', () => {
    it('a complete file row is used as is', () => {
        const row = parseParticularsCsv(CSV).table.byImo.get(9321483);
        const p = resolveParticulars(row);
        expect(p).toMatchObject({ source: 'file', estimatedFields: [], mainEngineKw: 57000, teu: 9000 });
    });

    it('estimates from the AIS type and dimensions, step by step', () => {
        // AIS 70 (cargo), 180 m x 28 m, draught 10 m -> general cargo (< 250 m)
        const p = resolveParticulars(undefined, { shipTypeCode: 70, lengthM: 180, beamM: 28, draughtM: 10 });
        expect(p.source).toBe('estimated');
        expect(p.shipType).toBe('general_cargo');
        // displacement = Cb 0.72 x 180 x 28 x 10 x 1.025 = 37,195.2 t; DWT = 0.72 x 37,195.2 = 26,780.5 -> 26,781
        expect(p.dwt).toBe(26781);
        // V = 180 x 28 x 10 x 1.6 = 80,640 m3; GT = (0.2 + 0.02 log10 80,640 = 0.298131) x 80,640 = 24,041
        expect(p.gt).toBe(24041);
        // MCR = 37,195.2^(2/3) (= 1,114.3) x 14^3 (= 2,744) / 450 = 6,795 kW
        expect(p.mainEngineKw).toBe(6795);
        // 180 m -> slow-speed diesel on HFO; unknown build year -> 2010
        expect(p).toMatchObject({
            engineType: 'SSD',
            fuel: 'HFO',
            yearBuilt: 2010,
            designSpeedKn: 14,
            designDraughtM: 10,
        });
        expect(p.ciiShipType).toBe('general_cargo_ship');
        expect(p.estimatedFields).toContain('mainEngineKw');
    });

    it('fills only the blank cells of a file row', () => {
        const p = resolveParticulars(
            { imo: 9300001, shipType: 'general_cargo', dwt: 5000 },
            { lengthM: 90, beamM: 14, draughtM: 6 },
        );
        expect(p.source).toBe('file');
        expect(p.dwt).toBe(5000);
        expect(p.estimatedFields).not.toContain('dwt');
        expect(p.estimatedFields).toContain('gt');
        expect(p.engineType).toBe('MSD');
    });

    it('small craft: HSD on MDO; classes CII does not rate have no CII ship type', () => {
        const tug = resolveParticulars(undefined, { shipTypeCode: 52, lengthM: 30, beamM: 10, draughtM: 4 });
        expect(tug).toMatchObject({ shipType: 'service_tug', engineType: 'HSD', fuel: 'MDO' });
        expect(tug.ciiShipType).toBeUndefined();
    });
});
