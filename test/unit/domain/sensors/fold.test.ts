/**
 * Threshold breaches as episodes (foldBreaches): one alert when a group starts breaching, one per escalation to a
 * more severe tier, one when it clears; readings at or before the state's mark change nothing.
 */
import { describe, expect, it } from '@jest/globals';

import rulesFile from '../../../../config/sensor-rules.json' with { type: 'json' };
import type { Alert } from '../../../../shared/domain/alerts/alert.js';
import { breachKey, foldBreaches, type LocatedReading } from '../../../../shared/domain/sensors/fold.js';
import { evaluateThresholds, loadRules } from '../../../../shared/domain/sensors/index.js';
import type { SensorReading } from '../../../../shared/domain/sensors/reading.js';
import type { QuantityId } from '../../../../shared/domain/sensors/units.js';

const RULES = loadRules(rulesFile);
const KEY = 'mmsi:244123456|fuel|fuel_sulphur';
const T0 = Date.UTC(2026, 10, 24, 10);

/** Located readings of one sensor, one a minute from T0, each with its hits in the given zone tags. */
function located(
    quantity: QuantityId,
    unit: string,
    samples: readonly [number, string[]][],
): LocatedReading[] {
    return samples.map(([value, tags], i) => {
        const reading = {
            mmsi: 244123456,
            vesselKey: 'mmsi:244123456',
            sensorId: 'fuel',
            quantity,
            unit,
            value,
            eventTime: T0 + i * 60_000,
        } as SensorReading;
        return {
            reading,
            meta: { sequenceNumber: i },
            zones: tags,
            hits: evaluateThresholds(reading, tags, RULES),
        };
    });
}

const summary = (alerts: readonly Alert[]) =>
    alerts.map(
        (a) =>
            `${String(a.details.episode)} ${a.severity} ${String(a.details.rule)} @${(a.time - T0) / 60_000}`,
    );

describe('foldBreaches', () => {
    it('keeps the ECA cap and the global cap as separate episodes of one sensor', () => {
        // 0.3 % in the ECA (over 0.1), 0.6 % in the ECA (over both), 0.6 % outside (global only), 0.05 % outside
        const list = located('fuel_sulphur', '%', [
            [0.3, ['ECA']],
            [0.6, ['ECA']],
            [0.6, []],
            [0.05, []],
        ]);
        const alerts: Alert[] = [];
        const open = foldBreaches(KEY, list, undefined, -Infinity, RULES.version, T0, alerts);

        expect(summary(alerts)).toEqual([
            'started warning fuel-sulphur-eca-cap @0',
            'started warning fuel-sulphur-global-cap @1',
            'cleared info fuel-sulphur-eca-cap @2',
            'cleared info fuel-sulphur-global-cap @3',
        ]);
        expect(open).toEqual({});
        expect(new Set(alerts.map((a) => a.id)).size).toBe(4);
        expect(alerts[0]?.id).toBe(`sensor-threshold:${KEY}:above@ECA:${T0}`);
        expect(alerts.every((a) => a.ruleVersion === RULES.version && a.kind === 'sensor-threshold')).toBe(
            true,
        );
    });

    it('raises an escalation once per tier: falling back to warning and rising again to critical raises nothing new', () => {
        const list = located('engine_temperature', 'degC', [
            [96, []],
            [106, []],
            [97, []],
            [107, []],
        ]);
        const alerts: Alert[] = [];
        const open = foldBreaches('k', list, undefined, -Infinity, 'v', T0, alerts);
        expect(summary(alerts)).toEqual([
            'started warning engine-temp-warning @0',
            'escalated critical engine-temp-critical @1',
        ]);
        expect(open).toEqual({
            above: {
                since: T0,
                rule: 'engine-temp-critical',
                severity: 'critical',
                peak: 'critical',
                lastTime: T0 + 180_000,
                value: 107,
            },
        });
    });

    it('starts at the tier crossed: an episode that opens critical raises one critical alert', () => {
        const alerts: Alert[] = [];
        foldBreaches(
            'k',
            located('engine_temperature', 'degC', [
                [110, []],
                [109, []],
            ]),
            undefined,
            -Infinity,
            'v',
            T0,
            alerts,
        );
        expect(summary(alerts)).toEqual(['started critical engine-temp-critical @0']);
    });

    it('continues an open breach from the state, and skips readings at or before the mark (a redelivery)', () => {
        const list = located('engine_temperature', 'degC', [
            [96, []],
            [97, []],
            [80, []],
        ]);
        const first: Alert[] = [];
        const open = foldBreaches('k', list.slice(0, 2), undefined, -Infinity, 'v', T0, first);
        const mark = T0 + 60_000;

        const again: Alert[] = [];
        expect(foldBreaches('k', list.slice(0, 2), open, mark, 'v', T0, again)).toEqual(open);
        expect(again).toEqual([]);

        const next: Alert[] = [];
        expect(foldBreaches('k', list, open, mark, 'v', T0, next)).toEqual({});
        expect(summary(next)).toEqual(['cleared info engine-temp-warning @2']);
        expect(next[0]?.details).toMatchObject({
            since: T0,
            lastBreach: { time: T0 + 60_000, value: 97 },
            durationS: 120,
        });
    });

    it('updates the breaches without alerts when none are collected (the conflict re-apply)', () => {
        const open = foldBreaches(
            'k',
            located('engine_temperature', 'degC', [[96, []]]),
            undefined,
            -Infinity,
            'v',
            T0,
            undefined,
        );
        expect(Object.keys(open)).toEqual(['above']);
    });

    it('names a group by direction and zone', () => {
        expect(breachKey({ direction: 'above' })).toBe('above');
        expect(breachKey({ direction: 'below', zone: 'ECA' })).toBe('below@ECA');
    });
});
