import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { CosmosGoldStore } from '../../../shared/adapters/CosmosGoldStore.js';
import { DuckDbGoldEngine } from '../../../shared/adapters/DuckDbGoldEngine.js';
import { buildGoldDay, type GoldBuildDeps } from '../../../shared/app/gold/buildGoldDay.js';
import { dayStart, dayWindow } from '../../../shared/app/gold/window.js';
import { createPortIndex } from '../../../shared/domain/gold/ports.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import {
    createTestDatabase,
    createTestLake,
    type TestDatabase,
    type TestLake,
} from '../../helpers/localServices.js';
import { steadyTrack, writeSilverPositions } from './silverFactory.js';

// Builds on Azurite and the Cosmos-protocol server take seconds each on a shared machine.
jest.setTimeout(240_000);

const DAY = '2026-06-01';
const T0 = dayStart(DAY);
const H = 3_600_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let lake: TestLake;
let db: TestDatabase;
let deps: GoldBuildDeps;

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('gold'), createTestDatabase('gold')]);
    deps = {
        lake: lake.lake,
        engine: new DuckDbGoldEngine(lake.lake),
        gold: new CosmosGoldStore(db.client.database(db.databaseId).container('gold')),
        zones: createZoneIndex(),
        ports: createPortIndex(),
        logger: quiet,
    };
});

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

describe('vessel_daily', () => {
    it('computes distance, activity hours, gaps and ECA exposure of constructed tracks', async () => {
        // Arrange: vessel 1 steams north at 10 kn all day in the Atlantic (fixes every 10 min, one of them flagged as
        // a jump and one heard twice); vessel 2 lies moored in the North Sea ECA from 00:00 to 12:00 (fixes every
        // 30 min), then goes silent.
        const steamer = steadyTrack(1001, T0, T0 + 24 * H, 10, { lat: 30, lon: -40 }, 10);
        steamer[50] = { ...steamer[50]!, lat: steamer[50]!.lat + 5, flags: 'IMPLAUSIBLE_JUMP' };
        const moored = steadyTrack(1002, T0, T0 + 12 * H + 1, 30, { lat: 57.7, lon: 11.9 }, 0, 5);
        await writeSilverPositions(lake.lake, [...steamer, steamer[10]!, ...moored]);
        // Act
        const summary = await buildGoldDay(deps, dayWindow(DAY, T0 + 30 * H), { index: 0, count: 1 });

        // Assert
        expect(summary.rows.vessel_daily).toBe(2);
        const page = await deps.gold.query({ table: 'vessel_daily', fromDay: DAY, toDay: DAY, limit: 10 });
        const [a, b] = [...page.items].sort((x, y) => x.mmsi - y.mmsi);
        expect(a).toMatchObject({
            mmsi: 1001,
            date: DAY,
            partial: false,
            fixes: 144,
            hours_underway: 24,
            hours_unknown: 0,
        });
        // The jump is skipped, so the legs add up to the whole northward run: 23 h 50 min at 10 kn = 143/36 degrees of
        // latitude, on a sphere of radius 3440.065 NM (1 minute of arc = 1.00067 NM).
        expect(a!.distance_nm as number).toBeCloseTo((3440.065 * (143 / 36) * Math.PI) / 180, 6);
        expect(a!.max_gap_hours as number).toBeCloseTo(1 / 6, 6);
        expect(a).toMatchObject({ hours_without_fix: 0, eca_hours: 0, eca_zones: null, name: 'VESSEL 1001' });
        expect(b).toMatchObject({
            mmsi: 1002,
            fixes: 25,
            hours_moored: 12.5,
            hours_underway: 0,
            hours_without_fix: 11,
        });
        expect(b!.hours_unknown as number).toBeCloseTo(11.5, 9);
        expect(b!.max_gap_hours as number).toBeCloseTo(12, 9);
        expect(b!.eca_hours as number).toBeCloseTo(12.5, 9);
        expect(String(b!.eca_zones)).toMatch(/north-sea|baltic|NECA|SECA|eca/i);

        // emissions_daily: the emission model (tested on hand-derived numbers in test/unit/emissions) per vessel,
        // particulars estimated from AIS (no particulars file), the moored vessel's hours inside the SECA counted.
        const emissions = (
            await deps.gold.query({ table: 'emissions_daily', fromDay: DAY, toDay: DAY, limit: 10 })
        ).items;
        const [ea, eb] = [...emissions].sort((x, y) => x.mmsi - y.mmsi);
        expect(ea).toMatchObject({ mmsi: 1001, source: 'model', particulars: 'estimated', partial: false });
        expect(ea!.fuel_main_t as number).toBeGreaterThan(0);
        expect(ea!.co2_t as number).toBeGreaterThan(3 * (ea!.fuel_total_t as number));
        expect(eb).toMatchObject({ mmsi: 1002, fuel_main_t: 0 });
        expect(eb!.hours_in_seca as number).toBeGreaterThan(11);
        expect(eb!.fuel_auxiliary_t as number).toBeGreaterThan(0);
    });
});
