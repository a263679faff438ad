import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import {
    flagForMid,
    isAllocatedMid,
    navStatusText,
    portList,
    shipTypeInfo,
} from '../../../../shared/domain/reference/lookup.js';
import { MID_ROWS } from '../../../../shared/domain/reference/mid.js';
import { NAV_STATUS_ROWS } from '../../../../shared/domain/reference/navStatus.js';
import { SHIP_TYPE_ROWS } from '../../../../shared/domain/reference/shipTypes.js';

// The team reference tables: in CI the repo is cloned with `shared/` beside it.
const teamTable = (name: string): URL =>
    new URL(`../../../../../shared/reference/tables/${name}`, import.meta.url);
// The product's own copies, with their provenance header.
const productTable = (name: string): URL => new URL(`../../../../shared/data/${name}`, import.meta.url);

/** Rows of a TSV file as arrays of cells, without `#` comment lines and without the header. */
function tsvRows(url: URL): string[][] {
    return readFileSync(url, 'utf8')
        .split('\n')
        .filter((line) => line.length > 0 && !line.startsWith('#'))
        .slice(1)
        .map((line) => line.split('\t'));
}

describe('bundled reference data', () => {
    it('MID table matches the team mid.tsv (mid, iso2, country)', () => {
        const expected = tsvRows(teamTable('mid.tsv')).map(([mid, iso2, country]) => [
            Number(mid),
            iso2,
            country,
        ]);
        expect(expected).toHaveLength(292);
        expect(MID_ROWS).toEqual(expected);
    });

    it('ship type table matches the team ship_types.tsv', () => {
        const expected = tsvRows(teamTable('ship_types.tsv')).map(([code, meaning, category]) => [
            Number(code),
            meaning,
            category,
        ]);
        expect(expected).toHaveLength(100);
        expect(SHIP_TYPE_ROWS).toEqual(expected);
    });

    it('navigational status table matches the team nav_status.tsv', () => {
        const expected = tsvRows(teamTable('nav_status.tsv')).map(([code, meaning]) => [
            Number(code),
            meaning,
        ]);
        expect(expected).toHaveLength(16);
        expect(NAV_STATUS_ROWS).toEqual(expected);
    });

    it.each(['mid.tsv', 'ship_types.tsv', 'nav_status.tsv'])('shared/data/%s holds the team rows', (name) => {
        expect(tsvRows(productTable(name))).toEqual(tsvRows(teamTable(name)));
        expect(readFileSync(productTable(name), 'utf8')).toMatch(/^# .*\n# Provenance: /);
    });

    it('shared/data/ports.tsv holds the team ports.tsv rows, each with a radius_nm, and portList() reads them all', () => {
        const team = tsvRows(teamTable('ports.tsv'));
        expect(team).toHaveLength(165);
        const ours = readFileSync(productTable('ports.tsv'), 'utf8');
        expect(ours).toMatch(/^# .*\n(# .*\n)*# Provenance: /);
        const header = ours.split('\n').find((line) => !line.startsWith('#'));
        expect(header).toBe('locode\tname\tiso2\tlat\tlon\tradius_nm\tsource');
        const rows = tsvRows(productTable('ports.tsv'));
        // Without radius_nm, the rows are the team's, in the same order.
        expect(rows.map(([l, n, c, la, lo, , s]) => [l, n, c, la, lo, s])).toEqual(team);
        expect(portList()).toEqual(
            rows.map(([locode, name, iso2, lat, lon, radius, source]) => ({
                locode,
                name,
                iso2,
                lat: Number(lat),
                lon: Number(lon),
                radiusNm: Number(radius),
                source,
            })),
        );
        expect(portList().filter((p) => !(p.radiusNm > 0 && p.radiusNm < 50))).toEqual([]);
    });

    it('the generated modules are up to date with shared/data (node shared/data/generate.mjs --check)', () => {
        const script = fileURLToPath(productTable('generate.mjs'));
        expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
    });
});

describe('flagForMid', () => {
    it.each([
        [211, 'DE', 'Germany'],
        [232, 'GB', 'United Kingdom'],
        [306, 'CW', 'Caribbean Netherlands / Curacao / Sint Maarten'],
        [366, 'US', 'United States'],
        [477, 'HK', 'Hong Kong'],
        [636, 'LR', 'Liberia'],
    ])('MID %i is %s (%s)', (mid, iso2, country) => {
        expect(flagForMid(mid)).toEqual({ iso2, country });
        expect(isAllocatedMid(mid)).toBe(true);
    });

    it.each([0, 200, 217, 299, 335, 776, 999, 1000, -1, 211.5])('MID %s is not allocated', (mid) => {
        expect(flagForMid(mid)).toBeUndefined();
        expect(isAllocatedMid(mid)).toBe(false);
    });
});

describe('shipTypeInfo', () => {
    it.each([
        [0, 'Not available (default)', 'not-available'],
        [30, 'Fishing', 'fishing'],
        [52, 'Tug', 'tug'],
        [70, 'Cargo, all ships of this type', 'cargo'],
        [80, 'Tanker, all ships of this type', 'tanker'],
        [99, 'Other type, no additional information', 'other'],
    ])('code %i is "%s" (%s)', (code, text, category) => {
        expect(shipTypeInfo(code)).toEqual({ code, text, category });
    });

    it.each([100, 200, 255])(
        'code %i (out of the table, seen in the wild) reads as 0, not available',
        (code) => {
            expect(shipTypeInfo(code)).toEqual({
                code: 0,
                text: 'Not available (default)',
                category: 'not-available',
            });
        },
    );

    it.each([-1, 256, 70.5])('code %s is unknown', (code) => {
        expect(shipTypeInfo(code)).toBeUndefined();
    });
});

describe('navStatusText', () => {
    it.each([
        [0, 'Under way using engine'],
        [1, 'At anchor'],
        [5, 'Moored'],
        [15, 'Undefined = default (also used by AIS-SART, MOB-AIS and EPIRB-AIS under test)'],
    ])('code %i is "%s"', (code, text) => {
        expect(navStatusText(code)).toBe(text);
    });

    it.each([16, -1, 1.5])('code %s is unknown', (code) => {
        expect(navStatusText(code)).toBeUndefined();
    });
});
