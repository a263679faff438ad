/**
 * The emission model on numbers derived by hand, step by step, from the rules in shared/domain/emissions
 * (IMO Fourth GHG Study 2020 method; ../shared/reference/maritime-rules.md §2).
 */
import { describe, expect, it } from '@jest/globals';

import {
    EmissionInputError,
    legEmissions,
    lowLoadFactor,
    operatingMode,
    type Particulars,
    sfocLoadFactor,
} from '../../../../shared/domain/emissions/index.js';

/** A 50,000 DWT bulk carrier, slow-speed diesel on HFO, built 2012. */
const bulker: Particulars = {
    shipType: 'bulk_carrier',
    dwt: 50_000,
    gt: 30_000,
    mainEngineKw: 8_000,
    designSpeedKn: 14,
    designDraughtM: 12,
    engineType: 'SSD',
    fuel: 'HFO',
    yearBuilt: 2012,
};

describe('legEmissions: 10 h at sea, 12 kn, draught 10 m, outside ECAs', () => {
    const r = legEmissions(bulker, { hours: 10, speedKn: 12, draughtM: 10 });

    it('main-engine load by the propeller law with draught correction', () => {
        // mode: 12 kn >= 5 kn -> sea
        expect(r.mode).toBe('sea');
        // (V/Vd)^3 = (12/14)^3 = 0.857143^3 = 0.629738
        expect(r.speedRatio ** 3).toBeCloseTo(0.629738, 6);
        // (T/Td)^0.66 = (10/12)^0.66 = exp(0.66 x ln 0.833333) = exp(-0.120332) = 0.886626
        expect(r.draughtFactor).toBeCloseTo(0.886626, 6);
        // delta_w = 1 (bulk carrier); eta_w = 0.867 (Table 44, bulk >= 10k DWT); eta_f = 0.917
        expect([r.deltaW, r.etaW, r.etaF]).toEqual([1, 0.867, 0.917]);
        // Load = 0.886626 x 0.629738 / (0.867 x 0.917 = 0.795039) = 0.558342 / 0.795039 = 0.702282
        expect(r.load).toBeCloseTo(0.702282, 6);
        // P_ME = 0.702282 x 8000 kW = 5618.26 kW
        expect(r.powerKw.main).toBeCloseTo(5618.26, 2);
    });

    it('SFOC by engine type, fuel and age with the load curve', () => {
        // Table 19, SSD, HFO, built >= 2001: 175 g/kWh
        expect(r.sfocBaseMain).toBe(175);
        // 0.455 x 0.702282^2 - 0.710 x 0.702282 + 1.280 = 0.224406 - 0.498620 + 1.280 = 1.005786
        expect(r.sfocLoadFactor).toBeCloseTo(1.005786, 6);
        // 175 x 1.005786 = 176.0126 g/kWh
        expect(r.sfoc.main).toBeCloseTo(176.0126, 3);
        // auxiliary engine, HFO, >= 2001: 195 g/kWh (load-independent)
        expect(r.sfoc.auxiliary).toBe(195);
    });

    it('auxiliary and boiler power by mode (Table 17, bulk 35k-60k DWT, at sea)', () => {
        expect(r.powerKw.auxiliary).toBe(260);
        expect(r.powerKw.boiler).toBe(0);
    });

    it('fuel by engine', () => {
        // main: 5618.26 kW x 10 h = 56,182.6 kWh x 176.0126 g/kWh = 9,888,845 g = 9.88885 t
        expect(r.fuelTonnes.main).toBeCloseTo(9.88885, 4);
        // auxiliary: 260 kW x 10 h = 2,600 kWh x 195 = 507,000 g = 0.507 t
        expect(r.fuelTonnes.auxiliary).toBeCloseTo(0.507, 9);
        expect(r.fuelTonnes.boiler).toBe(0);
        expect(r.fuelType).toEqual({ main: 'HFO', auxiliary: 'HFO', boiler: 'HFO' });
    });

    it('emissions', () => {
        const fuel = 9.88885 + 0.507; // 10.39585 t
        // CO2 = 10.39585 t x Cf(HFO) 3.114 = 32.3727 t
        expect(r.emissions.co2).toBeCloseTo(fuel * 3.114, 3);
        // SOx = 10.39585 x 2 x 0.97753 x 0.005 (0.50 % outside ECAs) = 0.101623 t
        expect(r.sulphur).toBe(0.005);
        expect(r.emissions.sox).toBeCloseTo(0.101623, 5);
        // NOx: built 2012 -> Tier II; SSD HFO 15.3 g/kWh x 56,182.6 = 859,594 g; AE 11.2 x 2,600 = 29,120 g
        expect(r.noxTier).toBe(2);
        expect(r.emissions.nox).toBeCloseTo(0.859594 + 0.02912, 4);
        // PM10 ME: 1.35 + 176.0126 x 7 x 0.02247 x (0.005 - 0.0246) = 1.35 - 0.542628 = 0.807372 g/kWh
        //   x 56,182.6 kWh = 45,360.5 g; AE: 1.35 + 195 x 0.15729 x (-0.0196) = 0.748838 x 2,600 = 1,946.98 g
        expect(r.emissions.pm).toBeCloseTo((45360.5 + 1946.98) / 1e6, 5);
        // CH4: 0.01 g/kWh x (56,182.6 + 2,600) = 587.83 g
        expect(r.emissions.ch4).toBeCloseTo(587.83e-6, 7);
        // N2O: SSD HFO 0.031 x 56,182.6 = 1,741.66 g; AE HFO 0.04 x 2,600 = 104 g
        expect(r.emissions.n2o).toBeCloseTo(1845.66e-6, 7);
        // no low-load adjustment at 70 % load
        expect(r.lowLoad).toEqual({ nox: 1, pm: 1, ch4: 1, n2o: 1 });
    });
});

describe('legEmissions: 2 h manoeuvring at 4 kn inside a SOx and NOx ECA', () => {
    const r = legEmissions(bulker, { hours: 2, speedKn: 4, inSeca: true, inNeca: true });

    it('switches to MGO and uses the MDO column of Table 19', () => {
        expect(r.mode).toBe('manoeuvring'); // 3 <= 4 < 5 kn
        expect(r.fuelType).toEqual({ main: 'MGO', auxiliary: 'MGO', boiler: 'MGO' });
        // Load = (4/14)^3 / 0.795039 = 0.0233236 / 0.795039 = 0.0293364
        expect(r.load).toBeCloseTo(0.0293364, 7);
        // SSD MDO >= 2001: 165 g/kWh x (0.455 x 0.000860625 - 0.71 x 0.0293364 + 1.28 = 1.259563) = 207.828
        expect(r.sfocBaseMain).toBe(165);
        expect(r.sfocLoadFactor).toBeCloseTo(1.259563, 6);
        expect(r.sfoc.main).toBeCloseTo(207.828, 3);
        // Table 17 bulk 35k-60k manoeuvring: AE 680 kW, boiler 120 kW; SFOC MDO 185 and 320 g/kWh
        expect([r.powerKw.auxiliary, r.powerKw.boiler]).toEqual([680, 120]);
        expect([r.sfoc.auxiliary, r.sfoc.boiler]).toEqual([185, 320]);
    });

    it('fuel by engine', () => {
        // main: 0.0293364 x 8000 = 234.691 kW x 2 h = 469.383 kWh x 207.828 g/kWh = 97,551 g
        expect(r.fuelTonnes.main).toBeCloseTo(0.097551, 5);
        // AE 1,360 kWh x 185 = 251,600 g; boiler 240 kWh x 320 = 76,800 g
        expect(r.fuelTonnes.auxiliary).toBeCloseTo(0.2516, 9);
        expect(r.fuelTonnes.boiler).toBeCloseTo(0.0768, 9);
    });

    it('low-load factors below 20 % load', () => {
        // L^-1.5 = 1 / (0.0293364 x sqrt(0.0293364) = 0.0293364 x 0.171279) = 199.016; 0.2^-1.5 = 11.18034
        // NOx: (0.1255 x 199.016 + 10.4496) / (0.1255 x 11.18034 + 10.4496) = 35.4261 / 11.85273 = 2.98886
        expect(r.lowLoad.nox).toBeCloseTo(2.98886, 4);
        // PM: (0.0059 x 199.016 + 0.2551) / (0.0059 x 11.18034 + 0.2551) = 1.429194 / 0.321064 = 4.45151
        expect(r.lowLoad.pm).toBeCloseTo(4.4515, 3);
        // CH4 on the HC curve: (0.0667 x 199.016 + 0.3859) / (0.0667 x 11.18034 + 0.3859) = 13.66037 / 1.131629 = 12.0714
        expect(r.lowLoad.ch4).toBeCloseTo(12.0714, 3);
        expect(r.lowLoad.n2o).toBe(r.lowLoad.nox);
    });

    it('emissions: 0.10 % sulphur, Tier II (built 2012, before the ECA Tier III year 2016)', () => {
        const fuel = 0.097551 + 0.2516 + 0.0768; // 0.425951 t MGO
        expect(r.sulphur).toBe(0.001);
        expect(r.emissions.co2).toBeCloseTo(fuel * 3.206, 4);
        // SOx = 0.425951 x 2 x 0.97753 x 0.001 = 0.000832761 t
        expect(r.emissions.sox).toBeCloseTo(0.000832761, 8);
        expect(r.noxTier).toBe(2);
        // NOx ME: 14.4 g/kWh (SSD MDO Tier II) x 469.383 kWh x 2.98886 = 20,202 g; AE 11.2 x 1,360 = 15,232 g;
        // boiler 2.0 x 240 = 480 g
        expect(r.emissions.nox).toBeCloseTo((20202 + 15232 + 480) / 1e6, 5);
    });

    it('a ship built 2016 or later gets Tier III inside the NOx ECA only', () => {
        const newer = { ...bulker, yearBuilt: 2018 };
        expect(legEmissions(newer, { hours: 1, speedKn: 12, inNeca: true }).noxTier).toBe(3);
        expect(legEmissions(newer, { hours: 1, speedKn: 12 }).noxTier).toBe(2);
        expect(
            legEmissions(newer, { hours: 1, speedKn: 12, inNeca: true, necaTierIIIFromYear: 2021 }).noxTier,
        ).toBe(2);
    });
});

describe('model rules', () => {
    it('the main engine is off at berth and at anchor', () => {
        const r = legEmissions(bulker, { hours: 5, speedKn: 0.3, navStatus: 5 });
        expect(r.mode).toBe('berth');
        expect(r.load).toBe(0);
        expect(r.fuelTonnes.main).toBe(0);
        // AE berth 150 kW x 5 h x 195 g/kWh = 146,250 g; boiler 130 kW x 5 h x 340 g/kWh = 221,000 g
        expect(r.fuelTonnes.auxiliary).toBeCloseTo(0.14625, 9);
        expect(r.fuelTonnes.boiler).toBeCloseTo(0.221, 9);
    });

    it('load is capped at 100 % MCR', () => {
        expect(legEmissions(bulker, { hours: 1, speedKn: 16 }).load).toBe(1);
    });

    it('operating modes by speed and status', () => {
        expect([0.5, 1.5, 4, 6].map((s) => operatingMode(s))).toEqual([
            'berth',
            'anchor',
            'manoeuvring',
            'sea',
        ]);
        expect(operatingMode(2, 5)).toBe('berth');
        expect(operatingMode(0.2, 1)).toBe('anchor');
    });

    it('SFOC curve minimum near 78 % load and LLAF reproduces the 3rd GHG Study 2 % multipliers', () => {
        expect(sfocLoadFactor(0.78)).toBeLessThan(sfocLoadFactor(0.7));
        expect(sfocLoadFactor(0.78)).toBeLessThan(sfocLoadFactor(0.86));
        expect(lowLoadFactor('NOx', 0.02)).toBeCloseTo(4.625, 3);
        expect(lowLoadFactor('PM', 0.02)).toBeCloseTo(7.292, 3);
        expect(lowLoadFactor('HC', 0.02)).toBeCloseTo(21.18, 2);
        expect(lowLoadFactor('NOx', 0.005)).toBe(lowLoadFactor('NOx', 0.02)); // floored at 2 %
        expect(lowLoadFactor('NOx', 0.2)).toBe(1);
    });

    it('LNG dual-fuel slow-speed engine burns pilot MDO', () => {
        const lng: Particulars = { ...bulker, engineType: 'LNG-Diesel', fuel: 'LNG', yearBuilt: 2020 };
        const r = legEmissions(lng, { hours: 1, speedKn: 12, draughtM: 12 });
        // pilot 6 g/kWh x energy
        expect(r.pilotMdoTonnes).toBeCloseTo((r.energyKwh.main * 6) / 1e6, 12);
        expect(r.sfocBaseMain).toBe(135);
        expect(r.sfoc.auxiliary).toBe(156);
    });

    it('names the input at fault', () => {
        const field = (f: () => unknown) => {
            try {
                f();
                return undefined;
            } catch (e) {
                return e instanceof EmissionInputError ? e.field : String(e);
            }
        };
        expect(field(() => legEmissions(bulker, { hours: -1, speedKn: 3 }))).toBe('hours');
        expect(field(() => legEmissions(bulker, { hours: 1, speedKn: NaN }))).toBe('speedKn');
        expect(field(() => legEmissions({ ...bulker, mainEngineKw: 0 }, { hours: 1, speedKn: 3 }))).toBe(
            'particulars.mainEngineKw',
        );
        expect(
            field(() =>
                legEmissions({ ...bulker, engineType: 'HSD', fuel: 'methanol' }, { hours: 1, speedKn: 9 }),
            ),
        ).toBe('particulars.engineType');
    });
});
