import { describe, expect, it } from '@jest/globals';

import { goldDayLogFields, type GoldDaySummary } from '../../../../shared/app/gold/buildGoldDay.js';
import { fleetRow, fleetSums, fleetTotals } from '../../../../shared/app/gold/fleetSummary.js';

const daily = [
    { mmsi: 1, distance_nm: 10_000.371431, ship_category: 'cargo', flag: 'NO' },
    { mmsi: 2, distance_nm: 570, ship_category: 'tanker', flag: 'DK' },
];
const emissions = new Map([
    [1, { fuel_total_t: 12.5, co2_t: 40.0625 }],
    [2, { fuel_total_t: 0.25, co2_t: 0.8 }],
]);

function summary(): GoldDaySummary {
    return {
        day: '2026-12-03',
        shard: { index: 1, count: 4 },
        partial: true,
        inputWatermark: Date.UTC(2026, 11, 3, 12),
        silverFiles: 812,
        rows: { vessel_daily: 2 },
        seconds: { list: 0.5, load: 1.25, 'sql.vessel_daily': 2.0004 },
        carryOut: 'abc',
        fleet: fleetSums(daily, emissions),
        dq: { silver: {} },
        inputFolders: [
            'silver/ais_positions/date=2026-12-03/hour=11/',
            'silver/ais_positions/date=2026-12-03/hour=12/',
        ],
    };
}

describe("the 'gold day built' log line", () => {
    it('prints the fleet totals in nautical miles and tonnes, as fleet_daily stores them', () => {
        const s = summary();
        // The summary sums in integer millionths (exact whichever way the fleet is sharded) ...
        expect(s.fleet.total.distance_nm).toBe(10_570_371_431);
        const fields = goldDayLogFields(s);
        // ... the line says what a reader expects.
        expect(fields.fleet).toEqual({
            vessels: 2,
            distance_nm: 10_570.371431,
            fuel_t: 12.75,
            co2_t: 40.8625,
        });
        const row = fleetRow(s.day, true, s.fleet);
        expect(fields.fleet).toEqual({
            vessels: row.vessels,
            distance_nm: row.distance_nm,
            fuel_t: row.fuel_t,
            co2_t: row.co2_t,
        });
        expect(fleetTotals(s.fleet)).toEqual(fields.fleet);
    });

    it('says what the build read and how long it took, without the list of folders', () => {
        const fields = goldDayLogFields(summary());
        expect(fields).toMatchObject({
            day: '2026-12-03',
            shard: '1/4',
            partial: true,
            silverFiles: 812,
            silverFolders: 2,
            inputWatermark: '2026-12-03T12:00:00.000Z',
            totalSeconds: 3.75,
            seconds: { list: 0.5, load: 1.25, 'sql.vessel_daily': 2 },
        });
        expect(JSON.stringify(fields)).not.toContain('hour=11');
        expect(fields).not.toHaveProperty('dq');
    });
});
