/**
 * `emissions_daily` from constructed fixes with known answers: clipping to the day, modes, ECA hours, fuel by
 * type, and the sensor override. Leg values come from legEmissions, hand-checked in model.test.ts.
 */
import { describe, expect, it } from '@jest/globals';

import {
    emissionsDaily,
    type EmissionsFix,
    type FuelFlowReading,
    legEmissions,
    type ResolvedParticulars,
} from '../../../../shared/domain/emissions/index.js';

const bulker: ResolvedParticulars = {
    shipType: 'bulk_carrier',
    dwt: 50_000,
    gt: 30_000,
    mainEngineKw: 8_000,
    designSpeedKn: 14,
    designDraughtM: 12,
    engineType: 'SSD',
    fuel: 'HFO',
    yearBuilt: 2012,
    source: 'file',
    estimatedFields: [],
};

const at = (iso: string) => Date.parse(iso);
const fix = (iso: string, sogKn: number | null, extra: Partial<EmissionsFix> = {}): EmissionsFix => ({
    t: at(iso),
    sogKn,
    inSeca: false,
    ...extra,
});

// The day 2025-03-10: at sea outside ECAs until noon, enters an ECA, slows down, moors at 16:00.
const fixes: EmissionsFix[] = [
    fix('2025-03-09T23:00:00Z', 12), // the last fix before the day: covers 00:00-02:00
    fix('2025-03-10T02:00:00Z', 12),
    fix('2025-03-10T12:00:00Z', 12, { inSeca: true }),
    fix('2025-03-10T14:00:00Z', 4, { inSeca: true }),
    fix('2025-03-10T16:00:00Z', 0, { inSeca: true, navStatus: 5 }),
    fix('2025-03-11T01:00:00Z', 0, { inSeca: true, navStatus: 5 }), // the first fix after the day
];

describe('emissionsDaily', () => {
    const row = emissionsDaily({
        mmsi: 636012345,
        imo: 9321483,
        date: '2025-03-10',
        fixes,
        particulars: bulker,
    });

    it('clips intervals to the day and classifies modes', () => {
        // 00-02 (2 h, 12 kn), 02-12 (10 h, 12 kn), 12-14 (2 h, mean 8 kn), 14-16 (2 h, mean 2 kn: anchor),
        // 16-24 (8 h, 0 kn, moored)
        expect(row.intervals).toBe(5);
        expect(row.hoursModelled).toBeCloseTo(24, 12);
        expect(row.hoursByMode).toEqual({ berth: 8, anchor: 2, manoeuvring: 0, sea: 14 });
        expect(row.hoursInSeca).toBe(12);
        expect(row).toMatchObject({ source: 'model', particulars: 'file', date: '2025-03-10', imo: 9321483 });
    });

    it('sums the legs', () => {
        const legs = [
            legEmissions(bulker, { hours: 12, speedKn: 12 }),
            legEmissions(bulker, { hours: 2, speedKn: 8, inSeca: true }),
            legEmissions(bulker, { hours: 2, speedKn: 2, inSeca: true }),
            legEmissions(bulker, { hours: 8, speedKn: 0, inSeca: true, navStatus: 5 }),
        ];
        const sum = (f: (l: (typeof legs)[number]) => number) => legs.reduce((s, l) => s + f(l), 0);
        expect(row.fuelMainT).toBeCloseTo(
            sum((l) => l.fuelTonnes.main),
            9,
        );
        expect(row.fuelAuxiliaryT).toBeCloseTo(
            sum((l) => l.fuelTonnes.auxiliary),
            9,
        );
        expect(row.co2T).toBeCloseTo(
            sum((l) => l.emissions.co2),
            9,
        );
        expect(row.noxT).toBeCloseTo(
            sum((l) => l.emissions.nox),
            9,
        );
        // berth, 8 h in the ECA on MGO: AE 150 kW x 8 h x 185 g/kWh = 0.222 t; boiler 130 x 8 x 320 = 0.3328 t
        expect(legs[3]!.fuelTonnes.auxiliary + legs[3]!.fuelTonnes.boiler).toBeCloseTo(0.5548, 9);
        // HFO outside the ECA, MGO inside
        expect(row.fuelByType.HFO).toBeCloseTo(legs[0]!.fuelTonnes.main + legs[0]!.fuelTonnes.auxiliary, 9);
        expect(row.fuelByType.MGO).toBeCloseTo(row.fuelInSecaT, 9);
        expect(row.fuelByType.HFO + row.fuelByType.MGO).toBeCloseTo(row.fuelTotalT, 9);
    });

    it("without the fixes around the day, only the hours between the day's fixes are modelled", () => {
        const r = emissionsDaily({
            mmsi: 1,
            date: '2025-03-10',
            fixes: fixes.slice(1, 5),
            particulars: bulker,
        });
        expect(r.hoursModelled).toBe(14);
    });

    it('asOf limits a partial day', () => {
        const r = emissionsDaily({
            mmsi: 1,
            date: '2025-03-10',
            fixes,
            particulars: bulker,
            options: { asOf: at('2025-03-10T06:00:00Z') },
        });
        expect(r.hoursModelled).toBe(6);
    });

    it('a coverage gap with positions uses the implied speed', () => {
        // 6 h between two fixes 60 nm apart along a meridian (1 nm = 1 arc minute): 10 kn, not the reported 2 kn
        const gap = [
            fix('2025-03-10T00:00:00Z', 2, { lat: 50, lon: -20 }),
            fix('2025-03-10T06:00:00Z', 2, { lat: 51, lon: -20 }),
        ];
        const r = emissionsDaily({ mmsi: 1, date: '2025-03-10', fixes: gap, particulars: bulker });
        expect(r.hoursByMode.sea).toBe(6);
        const leg = legEmissions(bulker, { hours: 6, speedKn: 60.04 / 6 });
        expect(r.fuelMainT).toBeCloseTo(leg.fuelTonnes.main, 2);
    });

    it('is deterministic and ignores fixes out of order or without speed', () => {
        const again = emissionsDaily({
            mmsi: 636012345,
            imo: 9321483,
            date: '2025-03-10',
            fixes,
            particulars: bulker,
        });
        expect(again).toEqual(row);
        // a fix without speed: both intervals around it take the other end's speed
        const withNull = [...fixes.slice(0, 2), fix('2025-03-10T03:00:00Z', null), ...fixes.slice(2)];
        expect(
            emissionsDaily({ mmsi: 1, date: '2025-03-10', fixes: withNull, particulars: bulker })
                .hoursModelled,
        ).toBe(24);
        // a fix delivered out of order is put in place: still 24 h, never counted twice
        const outOfOrder = [...fixes.slice(0, 3), fix('2025-03-10T11:00:00Z', 12), ...fixes.slice(3)];
        expect(
            emissionsDaily({ mmsi: 1, date: '2025-03-10', fixes: outOfOrder, particulars: bulker })
                .hoursModelled,
        ).toBe(24);
    });
});

describe('emissionsDaily with fuel-flow readings', () => {
    const readings = (holeFromH = -1, holeToH = -1): FuelFlowReading[] => {
        const out: FuelFlowReading[] = [];
        for (let m = 0; m <= 24 * 60; m += 10) {
            const h = m / 60;
            if (h > holeFromH && h < holeToH) continue;
            out.push({ t: at('2025-03-10T00:00:00Z') + m * 60_000, kgPerHour: 1000, sensorId: 'ME' });
        }
        return out;
    };

    it('readings covering the day win, split like the model', () => {
        const model = emissionsDaily({ mmsi: 1, date: '2025-03-10', fixes, particulars: bulker });
        const r = emissionsDaily({
            mmsi: 1,
            date: '2025-03-10',
            fixes,
            particulars: bulker,
            fuelFlow: readings(),
        });
        // 1,000 kg/h for 24 h = 24 t
        expect(r.source).toBe('sensor');
        expect(r.sensorCoverage).toBeCloseTo(1, 12);
        expect(r.fuelTotalT).toBeCloseTo(24, 9);
        expect(r.modelFuelTotalT).toBeCloseTo(model.fuelTotalT, 12);
        const k = 24 / model.fuelTotalT;
        expect(r.fuelMainT).toBeCloseTo(model.fuelMainT * k, 9);
        expect(r.co2T).toBeCloseTo(model.co2T * k, 9);
        expect(r.fuelByType.MGO).toBeCloseTo(model.fuelByType.MGO * k, 9);
    });

    it('readings with a 3 h hole (87.5 % of the day) leave the model in charge', () => {
        const r = emissionsDaily({
            mmsi: 1,
            date: '2025-03-10',
            fixes,
            particulars: bulker,
            fuelFlow: readings(10, 13),
        });
        // the hole: readings at 10:00 and 13:00 are 180 min apart > 30 min: 21 h covered
        expect(r.sensorCoverage).toBeCloseTo(21 / 24, 12);
        expect(r.source).toBe('model');
    });
});
