import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { evaluateThresholds, loadRules, RuleSetError } from '../../../../shared/domain/sensors/rules.js';
import type { QuantityId } from '../../../../shared/domain/sensors/units.js';
import { expectWith } from '../../../helpers/expectWith.js';

const file = JSON.parse(
    readFileSync(new URL('../../../../config/sensor-rules.json', import.meta.url), 'utf8'),
) as { version: string; rules: Record<string, unknown>[] };
const real = loadRules(file);

const reading = (quantity: QuantityId, value: number, mmsi?: number) => ({
    quantity,
    value,
    unit: 'x',
    ...(mmsi === undefined ? {} : { mmsi }),
});
const ids = (hits: readonly { ruleId: string }[]) => hits.map((h) => h.ruleId);

function problemsOf(json: unknown): readonly string[] {
    try {
        loadRules(json);
    } catch (e) {
        expect(e).toBeInstanceOf(RuleSetError);
        return (e as RuleSetError).problems;
    }
    throw new Error('expected a RuleSetError');
}

describe('config/sensor-rules.json', () => {
    it('loads, is versioned, and has the documented defaults', () => {
        expect(real.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
        expect(real.rules.length).toBe(file.rules.length);
        expect(ids(evaluateThresholds(reading('exhaust_temperature', 450), [], real))).toEqual([]);
        expect(evaluateThresholds(reading('exhaust_temperature', 460), [], real)).toEqual([
            {
                ruleId: 'exhaust-temp-warning',
                quantity: 'exhaust_temperature',
                severity: 'warning',
                direction: 'above',
                threshold: 450,
                value: 460,
                unit: 'x',
                vesselSpecific: false,
                description: expect.stringContaining('450') as unknown,
            },
        ]);
        // tiers: one hit per group, the most severe crossed
        expect(ids(evaluateThresholds(reading('exhaust_temperature', 520), [], real))).toEqual([
            'exhaust-temp-critical',
        ]);
        expect(ids(evaluateThresholds(reading('engine_temperature', 96), [], real))).toEqual([
            'engine-temp-warning',
        ]);
        expect(ids(evaluateThresholds(reading('wind_speed', 50), [], real))).toEqual(['wind-speed-storm']);
        expect(ids(evaluateThresholds(reading('air_pressure', 975), [], real))).toEqual(['air-pressure-low']);
        expect(evaluateThresholds(reading('humidity', 100), [], real)).toEqual([]);
    });

    it('zone rules apply only inside their zone; zone and global caps report separately', () => {
        expect(ids(evaluateThresholds(reading('fuel_sulphur', 0.3), [], real))).toEqual([]);
        expect(ids(evaluateThresholds(reading('fuel_sulphur', 0.3), ['ECA'], real))).toEqual([
            'fuel-sulphur-eca-cap',
        ]);
        expect(ids(evaluateThresholds(reading('fuel_sulphur', 0.6), ['TSS', 'ECA'], real)).sort()).toEqual([
            'fuel-sulphur-eca-cap',
            'fuel-sulphur-global-cap',
        ]);
        expect(evaluateThresholds(reading('fuel_sulphur', 0.3), ['ECA'], real)[0]).toMatchObject({
            zone: 'ECA',
        });
    });

    it('vessel-specific rules replace the generic rules of the same quantity and direction', () => {
        expect(ids(evaluateThresholds(reading('exhaust_temperature', 430, 366764000), [], real))).toEqual([
            'exhaust-temp-warning-366764000',
        ]);
        expect(ids(evaluateThresholds(reading('exhaust_temperature', 480, 366764000), [], real))).toEqual([
            'exhaust-temp-critical-366764000',
        ]);
        expect(evaluateThresholds(reading('exhaust_temperature', 480, 366764000), [], real)[0]).toMatchObject(
            {
                vesselSpecific: true,
            },
        );
        // other vessels keep the generic rules
        expect(ids(evaluateThresholds(reading('exhaust_temperature', 430, 211000000), [], real))).toEqual([]);
    });

    it('returns a shared frozen empty array when nothing fires', () => {
        const a = evaluateThresholds(reading('humidity', 50), [], real);
        expect(a).toBe(evaluateThresholds(reading('exhaust_temperature', 20), [], real));
        expect(Object.isFrozen(a)).toBe(true);
    });
});

describe('loadRules', () => {
    const base = { id: 'a', quantity: 'wind_speed', above: 30, severity: 'warning', description: 'd' };

    it('override keeps generic rules of other directions and zones', () => {
        const rs = loadRules({
            version: '2026-11-24.1',
            rules: [
                base,
                { ...base, id: 'low', below: 1, above: undefined, severity: 'info' },
                { ...base, id: 'zone', zone: 'Z', above: 20 },
                { ...base, id: 'mine', mmsi: 211000000, above: 40 },
            ],
        });
        expect(ids(evaluateThresholds(reading('wind_speed', 35, 211000000), ['Z'], rs))).toEqual(['zone']);
        expect(ids(evaluateThresholds(reading('wind_speed', 45, 211000000), ['Z'], rs))).toEqual([
            'mine',
            'zone',
        ]);
        expect(ids(evaluateThresholds(reading('wind_speed', 0.5, 211000000), [], rs))).toEqual(['low']);
        expect(ids(evaluateThresholds(reading('wind_speed', 35), ['Z'], rs))).toEqual(['a', 'zone']);
        expect(ids(evaluateThresholds(reading('wind_speed', 35), [], rs))).toEqual(['a']);
    });

    it('reports every problem at once', () => {
        const problems = problemsOf({
            version: '1',
            extra: true,
            rules: [
                { ...base, quantity: 'wind' },
                { ...base, id: 'b', above: undefined },
                { ...base, id: 'c', below: 3 },
                { ...base, id: 'd', severity: 'high', description: '' },
                { ...base, id: 'e', mmsi: 0, zone: '' },
                { ...base, id: 'f', above: '30' },
                { ...base, id: 'g', above: 300 },
                { ...base, id: 'h', unit: 'kn' },
                'rule',
                { ...base, id: 'i' },
                { ...base, id: 'i', severity: 'critical', above: 60 },
            ],
        });
        const expected = [
            'unknown top-level field "extra"',
            '"version" must be a string like "2026-11-24.1"',
            'rules[0] ("a"): "quantity" must be one of engine_temperature',
            'rules[1] ("b"): exactly one of "above" or "below" is required',
            'rules[2] ("c"): exactly one of "above" or "below" is required, not both',
            'rules[3] ("d"): "severity" must be "info", "warning" or "critical", got "high"',
            'rules[3] ("d"): "description" must be a non-empty string',
            'rules[4] ("e"): "mmsi" must be an integer 1..999999999, got 0',
            'rules[4] ("e"): "zone" must be a non-empty string',
            'rules[5] ("f"): "above" must be a finite number, got "30"',
            'rules[6] ("g"): above 300 knots is outside the plausible range 0..200 knots of wind_speed',
            'rules[7] ("h"): unknown field "unit"',
            'rules[8]: expected an object, got "rule"',
            'rules[10]: id "i" is already used by rules[9]',
        ];
        for (const e of expected)
            expectWith(
                problems.some((p) => p.includes(e)),
                e,
            ).toBe(true);
        expect(problems).toHaveLength(expected.length);
    });

    it('checks that tiers of one group are distinct and ordered', () => {
        expect(
            problemsOf({
                version: '2026-11-24.2',
                rules: [
                    base,
                    { ...base, id: 'b' },
                    { ...base, id: 'c', severity: 'critical', above: 20 },
                    { ...base, id: 'd', below: 5, above: undefined, severity: 'info' },
                    { ...base, id: 'e', below: 6, above: undefined, severity: 'critical' },
                ],
            }),
        ).toEqual([
            'rules "a" and "b": both warning for the same quantity, direction, zone and vessel',
            'rule "c" (critical, above 20) must be higher than rule "b" (warning, above 30)',
            'rule "e" (critical, below 6) must be lower than rule "d" (info, below 5)',
        ]);
    });

    it('rejects a non-object file and a missing rules array with a clear message', () => {
        expect(() => loadRules(null)).toThrow(/must be an object \{version, rules\}/);
        expect(() => loadRules({ version: '2026-11-24.1' })).toThrow(
            /invalid sensor rules \(1 problem\):\n- "rules" must be an array, got nothing/,
        );
    });
});
