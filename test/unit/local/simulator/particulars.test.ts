import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { Fleet } from '../../../../local/simulator/fleet.js';
import { EXAMPLE_PARTICULARS_PATH, fleetParticularsCsv } from '../../../../local/simulator/particulars.js';
import {
    lookupParticulars,
    parseParticularsCsv,
    resolveParticulars,
} from '../../../../shared/domain/emissions/index.js';

describe('local/data/particulars.example.csv', () => {
    const text = readFileSync(EXAMPLE_PARTICULARS_PATH, 'utf8');
    const fleet = new Fleet({ seed: 1, vessels: 200 });

    it('is the file generated from the simulated fleet (node scripts/generate-particulars.mjs)', () => {
        expect(text).toBe(fleetParticularsCsv(fleet.vessels));
    });

    it('parses without errors and covers most Class A vessels by IMO; the rest stay estimated', () => {
        const { table, errors } = parseParticularsCsv(text);
        expect(errors).toEqual([]);
        const classA = fleet.vessels.filter((v) => v.cls === 'A');
        const found = classA.filter(
            (v) => lookupParticulars(table, { imo: v.imo, mmsi: v.mmsi }) !== undefined,
        );
        expect(found.length).toBe(classA.length - Math.floor(classA.length / 7));
        for (const v of found) {
            const p = resolveParticulars(lookupParticulars(table, { imo: v.imo }));
            expect(p.source).toBe('file');
            expect(p.estimatedFields.filter((f) => f !== 'teu' && f !== 'cbm')).toEqual([]);
        }
        const classB = fleet.vessels.find((v) => v.cls === 'B')!;
        expect(lookupParticulars(table, { mmsi: classB.mmsi })).toBeUndefined();
    });
});
