/**
 * ciiYear: year to date, projection and month-end history from daily figures, checked against computeCii on the
 * summed inputs (the same numbers a user would paste into `npx maritime cii`).
 */
import { describe, expect, it } from '@jest/globals';

import { type CiiDay, ciiYear, computeCii } from '../../../../shared/domain/cii/index.js';

const SHIP = { shipType: 'bulk_carrier' as const, dwt: 25_000 };
const DAY = 86_400_000;

/** `n` days from 1 January with the same fuel and distance each day. */
function steady(year: number, n: number, mdoPerDay: number, nmPerDay: number): CiiDay[] {
    return Array.from({ length: n }, (_, i) => ({
        date: new Date(Date.UTC(year, 0, 1) + i * DAY).toISOString().slice(0, 10),
        fuelTonnes: { MDO: mdoPerDay },
        distanceNm: nmPerDay,
    }));
}

describe('ciiYear', () => {
    it('a complete year equals computeCii on the year sums (the Etive-Mor example: rating D in 2025)', () => {
        const days = steady(2025, 365, 10_000 / 365, 150_000 / 365);
        const r = ciiYear(SHIP, days, { year: 2025, asOf: Date.UTC(2026, 0, 1) });
        const direct = computeCii({ ...SHIP, fuelTonnes: { MDO: 10_000 }, distanceNm: 150_000, year: 2025 });
        expect(r.complete).toBe(true);
        expect(r.yearToDate.inputs.daysWithData).toBe(365);
        expect(r.yearToDate.inputs.distanceNm).toBeCloseTo(150_000, 6);
        expect(r.yearToDate.result!.rating).toBe('D');
        expect(r.yearToDate.result!.attained).toBeCloseTo(direct.attained, 9);
        expect(r.yearToDate.result!.required).toBe(direct.required);
        expect(r.recent).toBeNull();
        expect(r.projected!.result.attained).toBeCloseTo(direct.attained, 9);
        // Month ends January..November (December's is the year end itself).
        expect(r.history.map((h) => h.date)).toEqual(
            [
                '01-31',
                '02-28',
                '03-31',
                '04-30',
                '05-31',
                '06-30',
                '07-31',
                '08-31',
                '09-30',
                '10-31',
                '11-30',
            ].map((d) => `2025-${d}`),
        );
        expect(new Set(r.history.map((h) => h.rating))).toEqual(new Set(['D']));
    });

    it('year to date at 1 July, projected at the recent 30 days rate to the year end', () => {
        // 181 days (1 Jan - 30 Jun 2026): 20 t/day for 150 days, then 40 t/day for the last 31 days; 400 nm a day.
        const days = steady(2026, 181, 20, 400).map((d, i) =>
            i >= 150 ? { ...d, fuelTonnes: { MDO: 40 } } : d,
        );
        const asOf = Date.UTC(2026, 6, 1);
        const r = ciiYear(SHIP, days, { year: 2026, asOf });
        expect(r.complete).toBe(false);
        expect(r.yearToDate.inputs).toMatchObject({
            from: '2026-01-01',
            to: '2026-06-30',
            days: 181,
            daysWithData: 181,
            distanceNm: 72_400,
        });
        expect(r.yearToDate.inputs.fuelTonnes.MDO).toBeCloseTo(150 * 20 + 31 * 40, 9);
        // The recent window: 30 days to 30 June, all at 40 t and 400 nm a day.
        expect(r.recent!.inputs).toMatchObject({
            from: '2026-06-01',
            to: '2026-06-30',
            days: 30,
            daysWithData: 30,
            distanceNm: 12_000,
        });
        expect(r.recent!.inputs.fuelTonnes.MDO).toBeCloseTo(1200, 9);
        const remaining = 365 - 181;
        const rate = r.recent!.inputs;
        const fuel = 150 * 20 + 31 * 40 + (rate.fuelTonnes.MDO! * remaining) / 30;
        const nm = 72_400 + (rate.distanceNm * remaining) / 30;
        expect(r.projected!.rate).toBe('recent');
        expect(r.projected!.fuelTonnes.MDO).toBeCloseTo(fuel, 6);
        expect(r.projected!.distanceNm).toBeCloseTo(nm, 6);
        expect(r.projected!.result.attained).toBeCloseTo(
            computeCii({ ...SHIP, fuelTonnes: { MDO: fuel }, distanceNm: nm, year: 2026 }).attained,
            9,
        );
        expect(r.projected!.result.attained).toBeGreaterThan(r.yearToDate.result!.attained); // burning more lately
        expect(r.history.map((h) => h.date)).toEqual([
            '2026-01-31',
            '2026-02-28',
            '2026-03-31',
            '2026-04-30',
            '2026-05-31',
        ]);
    });

    it('a partial day counts as the part that passed; no distance yet means no rating', () => {
        const r = ciiYear(SHIP, [{ date: '2026-01-01', fuelTonnes: { HFO: 5 }, distanceNm: 0 }], {
            year: 2026,
            asOf: Date.UTC(2026, 0, 1, 12),
        });
        expect(r.yearToDate.inputs.days).toBe(0.5);
        expect(r.yearToDate.result).toBeNull();
        expect(r.projected).toBeNull();
        expect(r.history).toEqual([]);
    });

    it('days outside the year are left out (a year change)', () => {
        const days: CiiDay[] = [
            { date: '2025-12-31', fuelTonnes: { HFO: 1000 }, distanceNm: 10 },
            { date: '2026-01-01', fuelTonnes: { HFO: 30 }, distanceNm: 300 },
        ];
        const r = ciiYear(SHIP, days, { year: 2026, asOf: Date.UTC(2026, 0, 2) });
        expect(r.yearToDate.inputs).toMatchObject({
            daysWithData: 1,
            distanceNm: 300,
            fuelTonnes: { HFO: 30 },
        });
        const last = ciiYear(SHIP, days, { year: 2025, asOf: Date.UTC(2026, 0, 2) });
        expect(last.complete).toBe(true);
        expect(last.yearToDate.inputs).toMatchObject({ daysWithData: 1, distanceNm: 10 });
    });
});
