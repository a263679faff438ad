/**
 * `maritime cii` and `maritime emissions` end to end (the built CLI). The CII lines must print the public
 * calculators' worked examples to the last digit: Etive-Mor/Open-IMO-CII-Calculator (MIT),
 * EtiveMor.OpenImoCiiCalculator.Core.Tests/CalculatorTests.cs (commit 0221262a) and
 * python-impl/demo-console-app/demo-results/b3fa068c-...-single-fuel-gas-carrier-demo.json (commit 7492d1c2).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';

import type { LegResult, ResolvedParticulars } from '../../shared/domain/emissions/index.js';
import { ensureBuiltCli, runCli } from '../helpers/cli.js';
import { expectWith } from '../helpers/expectWith.js';

interface EmissionsLine {
    particulars: ResolvedParticulars;
    legs: LegResult[];
    total: { fuelTonnes: { total: number }; fuelByType: Record<string, number> };
    field?: string;
    line?: number;
}

beforeAll(() => {
    expectWith(ensureBuiltCli(), 'dist/cli/maritime.js missing: run npm run build').toBe(true);
}, 120_000);

describe('maritime cii', () => {
    it('prints the issue example and the Etive-Mor worked examples digit for digit, one line per line', () => {
        const input = [
            '{"shipType":"bulk_carrier","dwt":25000,"fuelTonnes":{"MDO":10000},"distanceNm":150000,"year":2025}',
            '{"shipType":"ro_ro_passenger_ship","gt":25000,"fuelTonnes":{"MGO":19000},"distanceNm":150000,"year":2024}',
            '{"shipType":"gas_carrier","dwt":60000,"fuelTonnes":{"LNG":10000},"distanceNm":150000,"year":2023,"id":"gas"}',
        ].join('\n');
        const r = runCli(['cii'], input);
        expect(r.code).toBe(0);
        expect(r.lines).toHaveLength(3);
        // Bulk carrier 2025 (CalculatorTests.cs: required 7.938874264978558, attained 8.549333333333333, D)
        expect(r.lines[0]).toMatch(
            /^\{"attained":8\.549333333333333,"required":7\.938874264978558,"ratio":1\.0768949158255026,"rating":"D","boundaries":\{"superior":[\d.]+,"lower":[\d.]+,"upper":[\d.]+,"inferior":[\d.]+\}/,
        );
        // Ro-pax 2024 (required 17.84129718303059, attained 16.243733333333335, ratio 0.9104569677132699, B)
        expect(r.lines[1]).toContain(
            '"attained":16.243733333333335,"required":17.84129718303059,"ratio":0.9104569677132699,"rating":"B"',
        );
        // Gas carrier 2023 (demo JSON: required 6.810584546795071, boundaries 5.78899686477581, 6.470055319455317,
        // 7.219219619602776, 8.51323068349384; attained 3.0555555555555554, rating 1 = A)
        expect(r.lines[2]).toContain(
            '{"id":"gas","attained":3.0555555555555554,"required":6.810584546795071,"ratio":0.4486480616400894,"rating":"A","boundaries":{"superior":5.78899686477581,"lower":6.470055319455317,"upper":7.219219619602776,"inferior":8.51323068349384}',
        );
    });

    it('a bad line prints an error naming the field and the run goes on', () => {
        const input = [
            '{"shipType":"bulk_carrier","fuelTonnes":{"MDO":1},"distanceNm":1,"year":2025}',
            'not json',
            '',
            '{"shipType":"bulk","dwt":1,"fuelTonnes":{"MDO":1},"distanceNm":1,"year":2025}',
            '{"shipType":"tanker","dwt":1000,"fuelTonnes":{"diesel":1},"distanceNm":1,"year":2025}',
            '{"shipType":"tanker","dwt":1000,"fuelTonnes":{"MGO":1},"distanceNm":1,"year":2035}',
            '{"shipType":"tanker","dwt":1000,"fuelTonnes":{"MGO":1},"distanceNm":1,"year":2025}',
        ].join('\n');
        const r = runCli(['cii'], input);
        expect(r.code).toBe(0);
        const out = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(out.map((o) => o.field ?? o.rating)).toEqual([
            'dwt',
            '(line)',
            'shipType',
            'fuelTonnes.diesel',
            'year',
            expect.stringMatching(/^[A-E]$/),
        ]);
        expect(out[0]).toEqual({ error: 'dwt is required for bulk_carrier', field: 'dwt', line: 1 });
        expect(out[2]!.line).toBe(4);
    });
});

describe('maritime emissions', () => {
    it('prints fuel by engine, emissions and the intermediate values of each leg', () => {
        const input = JSON.stringify({
            particulars: {
                shipType: 'bulk_carrier',
                dwt: 50000,
                gt: 30000,
                mainEngineKw: 8000,
                designSpeedKn: 14,
                designDraughtM: 12,
                engineType: 'SSD',
                fuel: 'HFO',
                yearBuilt: 2012,
            },
            legs: [
                { hours: 10, speedKn: 12, draughtM: 10 },
                { hours: 2, speedKn: 4, eca: true, neca: true },
            ],
        });
        const r = runCli(['emissions'], input + '\n{"legs":[]}\n');
        expect(r.code).toBe(0);
        const [ok, bad] = r.lines.map((l) => JSON.parse(l) as EmissionsLine);
        // the numbers derived by hand in test/unit/domain/emissions/model.test.ts
        expect(ok!.legs[0]!.load).toBeCloseTo(0.702282, 6);
        expect(ok!.legs[0]!.sfoc.main).toBeCloseTo(176.0126, 3);
        expect(ok!.legs[0]!.fuelTonnes.main).toBeCloseTo(9.88885, 4);
        expect(ok!.legs[1]!.lowLoad.nox).toBeCloseTo(2.98886, 4);
        expect(ok!.legs[1]!.fuelType.main).toBe('MGO');
        expect(ok!.total.fuelTonnes.total).toBeCloseTo(9.88885 + 0.507 + 0.097551 + 0.2516 + 0.0768, 4);
        expect(Object.keys(ok!.total.fuelByType)).toEqual(['HFO', 'MGO']);
        expect(ok!.particulars.source).toBe('file');
        expect(bad).toMatchObject({ field: 'legs', line: 2 });
    });

    it('estimates missing particulars from AIS facts', () => {
        const r = runCli(
            ['emissions'],
            '{"ais":{"shipTypeCode":70,"lengthM":180,"beamM":28,"draughtM":10},"legs":[{"hours":1,"speedKn":13}]}',
        );
        const out = JSON.parse(r.lines[0]!) as EmissionsLine;
        expect(out.particulars).toMatchObject({
            source: 'estimated',
            shipType: 'general_cargo',
            dwt: 26781,
            mainEngineKw: 6795,
        });
    });
});
