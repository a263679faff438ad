/**
 * Constants of the bottom-up emission model, IMO Fourth GHG Study 2020 (and the US EPA port-inventory values the
 * study leaves open), as compiled in ../shared/reference/maritime-rules.md §2. Each table names its source;
 * "assumption" marks a value the sources do not give, chosen by us and listed in the README.
 */

/** 4th GHG Study ship classes (the classes of its Tables 17 and 44), snake case. */
export const GHG_SHIP_TYPES = [
    'bulk_carrier',
    'chemical_tanker',
    'container',
    'general_cargo',
    'liquefied_gas_tanker',
    'oil_tanker',
    'other_liquids_tanker',
    'ferry_pax',
    'cruise',
    'ferry_ropax',
    'refrigerated_bulk',
    'ro_ro',
    'vehicle',
    'yacht',
    'service_tug',
    'fishing',
    'offshore',
    'service_other',
    'misc_other',
] as const;
export type GhgShipType = (typeof GHG_SHIP_TYPES)[number];

/** Main-engine types of 4th GHG Study Table 19. */
export const ENGINE_TYPES = [
    'SSD',
    'MSD',
    'HSD',
    'LNG-Otto-MS',
    'LNG-Otto-SS',
    'LNG-Diesel',
    'LBSI',
    'GT',
    'ST',
] as const;
export type EngineType = (typeof ENGINE_TYPES)[number];

/** Operating modes of Table 17 (berth, anchor, manoeuvring, sea). */
export const MODES = ['berth', 'anchor', 'manoeuvring', 'sea'] as const;
export type Mode = (typeof MODES)[number];

/** Fuel columns of Table 19. */
export type SfocFuel = 'HFO' | 'MDO' | 'LNG' | 'MeOH';

// ------------------------------------------------------------------------------ Table 17: AE and boiler power

type ByMode = readonly [berth: number, anchor: number, manoeuvring: number, sea: number];
interface PowerBin {
    /** Exclusive upper bound of the size bin, in the class's size unit. */
    readonly upTo: number;
    readonly boiler: ByMode;
    readonly aux: ByMode;
}
export type SizeUnit = 'dwt' | 'gt' | 'teu' | 'cbm' | 'none';

const all = (kw: number): ByMode => [kw, kw, kw, kw];
const INF = Infinity;

/**
 * Auxiliary engine and boiler power (kW) by class, size bin and mode: 4th GHG Study Table 17
 * (gabrielfuenmar/emissions_mtcc_open ghg4_tables/table_17.csv, same as RISE-Maritime/ceto). The bin edges are the
 * table's (ceto's typo'd oil-tanker and gas-tanker edges are not copied). Vehicle carriers: the table's size
 * is "vehicles", split at 30k; we read the split as GT 30,000 (assumption; README).
 */
export const AUX_POWER: Readonly<Record<GhgShipType, { unit: SizeUnit; bins: readonly PowerBin[] }>> = {
    bulk_carrier: {
        unit: 'dwt',
        bins: [
            { upTo: 35_000, boiler: [70, 70, 60, 0], aux: [110, 180, 500, 190] },
            { upTo: 60_000, boiler: [130, 130, 120, 0], aux: [150, 250, 680, 260] },
            { upTo: INF, boiler: [260, 260, 240, 0], aux: [240, 400, 1100, 410] },
        ],
    },
    chemical_tanker: {
        unit: 'dwt',
        bins: [
            { upTo: 5_000, boiler: [670, 160, 130, 0], aux: [110, 170, 190, 200] },
            { upTo: 10_000, boiler: [670, 160, 130, 0], aux: [330, 490, 560, 580] },
            { upTo: 20_000, boiler: [1000, 240, 200, 0], aux: [330, 490, 560, 580] },
            { upTo: 40_000, boiler: [1350, 320, 200, 0], aux: [790, 550, 900, 660] },
            { upTo: INF, boiler: [1350, 320, 270, 0], aux: [790, 550, 900, 660] },
        ],
    },
    container: {
        unit: 'teu',
        bins: [
            { upTo: 1_000, boiler: [250, 250, 240, 0], aux: [370, 450, 790, 410] },
            { upTo: 2_000, boiler: [340, 340, 310, 0], aux: [820, 910, 1750, 900] },
            { upTo: 3_000, boiler: [460, 450, 430, 0], aux: [610, 910, 1900, 920] },
            { upTo: 5_000, boiler: [480, 480, 430, 0], aux: [1100, 1350, 2500, 1400] },
            { upTo: 8_000, boiler: [590, 580, 550, 0], aux: [1100, 1400, 2800, 1450] },
            { upTo: 12_000, boiler: [620, 620, 540, 0], aux: [1150, 1600, 2900, 1800] },
            { upTo: 14_500, boiler: [630, 630, 630, 0], aux: [1300, 1800, 3250, 2050] },
            { upTo: 20_000, boiler: [630, 630, 630, 0], aux: [1400, 1950, 3600, 2300] },
            { upTo: INF, boiler: [700, 700, 700, 0], aux: [1400, 1950, 3600, 2300] },
        ],
    },
    general_cargo: {
        unit: 'dwt',
        bins: [
            { upTo: 5_000, boiler: [0, 0, 0, 0], aux: [90, 50, 180, 60] },
            { upTo: 10_000, boiler: [110, 110, 100, 0], aux: [240, 130, 490, 180] },
            { upTo: INF, boiler: [150, 150, 130, 0], aux: [720, 370, 1450, 520] },
        ],
    },
    liquefied_gas_tanker: {
        unit: 'cbm',
        bins: [
            { upTo: 50_000, boiler: [1000, 200, 200, 100], aux: [240, 240, 360, 240] },
            { upTo: 100_000, boiler: [1000, 200, 200, 100], aux: [1700, 1700, 2600, 1700] },
            { upTo: 200_000, boiler: [1500, 300, 300, 150], aux: [2500, 2000, 2300, 2650] },
            { upTo: INF, boiler: [3000, 600, 600, 300], aux: [6750, 7200, 7200, 6750] },
        ],
    },
    oil_tanker: {
        unit: 'dwt',
        bins: [
            { upTo: 5_000, boiler: [500, 100, 100, 0], aux: [250, 250, 375, 250] },
            { upTo: 10_000, boiler: [750, 150, 150, 0], aux: [375, 375, 560, 375] },
            { upTo: 20_000, boiler: [1250, 250, 250, 0], aux: [690, 500, 580, 490] },
            { upTo: 60_000, boiler: [2700, 270, 270, 270], aux: [720, 520, 600, 510] },
            { upTo: 80_000, boiler: [3250, 360, 360, 280], aux: [620, 490, 770, 560] },
            { upTo: 120_000, boiler: [4000, 400, 400, 280], aux: [800, 640, 910, 690] },
            { upTo: 200_000, boiler: [6500, 500, 500, 300], aux: [2500, 770, 1300, 860] },
            { upTo: INF, boiler: [7000, 600, 600, 300], aux: [2500, 770, 1300, 860] },
        ],
    },
    other_liquids_tanker: {
        unit: 'none',
        bins: [{ upTo: INF, boiler: [1000, 200, 200, 100], aux: [500, 500, 750, 500] }],
    },
    ferry_pax: {
        unit: 'gt',
        bins: [
            { upTo: 2_000, boiler: all(0), aux: all(190) },
            { upTo: INF, boiler: all(0), aux: all(520) },
        ],
    },
    cruise: {
        unit: 'gt',
        bins: [
            { upTo: 10_000, boiler: [1100, 950, 980, 0], aux: [450, 450, 580, 450] },
            { upTo: 60_000, boiler: [1100, 950, 980, 0], aux: [3500, 3500, 5500, 3500] },
            { upTo: INF, boiler: [1100, 950, 980, 0], aux: [11500, 11500, 14900, 11500] },
        ],
    },
    ferry_ropax: {
        unit: 'gt',
        bins: [
            { upTo: 2_000, boiler: [260, 250, 170, 0], aux: all(105) },
            { upTo: 5_000, boiler: [260, 250, 170, 0], aux: all(330) },
            { upTo: 10_000, boiler: [260, 250, 170, 0], aux: all(670) },
            { upTo: 20_000, boiler: [390, 380, 260, 0], aux: all(1100) },
            { upTo: INF, boiler: [390, 380, 260, 0], aux: all(1950) },
        ],
    },
    refrigerated_bulk: {
        unit: 'dwt',
        bins: [
            { upTo: 2_000, boiler: [270, 270, 270, 0], aux: [520, 570, 560, 570] },
            { upTo: 6_000, boiler: [270, 270, 270, 0], aux: [1100, 1200, 1150, 1200] },
            { upTo: 10_000, boiler: [270, 270, 270, 0], aux: [1500, 1650, 1600, 1650] },
            { upTo: INF, boiler: [270, 270, 270, 0], aux: [2850, 3100, 3000, 3100] },
        ],
    },
    ro_ro: {
        unit: 'gt',
        bins: [
            { upTo: 5_000, boiler: [260, 250, 170, 0], aux: [750, 430, 1300, 430] },
            { upTo: 10_000, boiler: [260, 250, 170, 0], aux: [1100, 680, 2100, 680] },
            { upTo: INF, boiler: [390, 380, 260, 0], aux: [1200, 950, 2700, 950] },
        ],
    },
    vehicle: {
        unit: 'gt',
        bins: [
            { upTo: 30_000, boiler: [310, 300, 250, 0], aux: [800, 500, 1100, 500] },
            { upTo: INF, boiler: [310, 300, 250, 0], aux: [850, 550, 1400, 510] },
        ],
    },
    yacht: { unit: 'none', bins: [{ upTo: INF, boiler: all(0), aux: all(130) }] },
    service_tug: { unit: 'none', bins: [{ upTo: INF, boiler: all(0), aux: [100, 80, 210, 80] }] },
    fishing: { unit: 'none', bins: [{ upTo: INF, boiler: all(0), aux: all(200) }] },
    offshore: { unit: 'none', bins: [{ upTo: INF, boiler: all(0), aux: all(320) }] },
    service_other: { unit: 'none', bins: [{ upTo: INF, boiler: all(0), aux: all(220) }] },
    misc_other: { unit: 'none', bins: [{ upTo: INF, boiler: [110, 110, 90, 0], aux: [150, 150, 430, 410] }] },
};

// -------------------------------------------------------------------------------------- Table 19: SFOC

/** [built <= 1983, 1984-2000, >= 2001]; undefined where the table has no entry. */
type ByAge = readonly [number | undefined, number | undefined, number | undefined];
const same = (v: number): ByAge => [v, v, v];

/**
 * Baseline SFOC, g/kWh, 4th GHG Study Table 19 (gabrielfuenmar/emissions_mtcc_open table_19_1/19_2.csv, identical
 * to RISE-Maritime/ceto "Baseline SFC (Table 19)"). Where the table has no entry for an age band (an LNG engine
 * built before such engines existed), the next later band is used.
 */
export const SFOC_MAIN: Readonly<Record<EngineType, Partial<Record<SfocFuel, ByAge>>>> = {
    SSD: { HFO: [205, 185, 175], MDO: [190, 175, 165], MeOH: [undefined, undefined, 350] },
    MSD: { HFO: [215, 195, 185], MDO: [200, 185, 175], MeOH: [undefined, undefined, 370] },
    HSD: { HFO: [225, 205, 195], MDO: [210, 190, 185] },
    'LNG-Otto-MS': { LNG: [undefined, 173, 156] },
    'LNG-Otto-SS': { LNG: [undefined, undefined, 148] },
    'LNG-Diesel': { LNG: [undefined, undefined, 135] },
    LBSI: { LNG: [undefined, 156, 156] },
    GT: { HFO: same(305), MDO: same(300), LNG: [undefined, undefined, 203] },
    ST: { HFO: same(340), MDO: same(320), LNG: same(285) },
};
export const SFOC_AUX: Readonly<Partial<Record<SfocFuel, ByAge>>> = {
    HFO: [225, 205, 195],
    MDO: [210, 190, 185],
    LNG: [undefined, 173, 156],
};
export const SFOC_BOILER: Readonly<Partial<Record<SfocFuel, ByAge>>> = {
    HFO: same(340),
    MDO: same(320),
    LNG: same(285),
};

/** Pilot fuel (MDO) of gas engines, g/kWh, Table 19 notes. */
export const PILOT_MDO_G_PER_KWH: Readonly<Partial<Record<EngineType, number>>> = {
    'LNG-Otto-SS': 0.8,
    'LNG-Diesel': 6,
};

/** Table 19's age band of a build year. */
export function ageBand(yearBuilt: number): 0 | 1 | 2 {
    return yearBuilt <= 1983 ? 0 : yearBuilt <= 2000 ? 1 : 2;
}

export function pickByAge(row: ByAge | undefined, yearBuilt: number): number | undefined {
    if (row === undefined) return undefined;
    for (let i = ageBand(yearBuilt); i < 3; i++) {
        const v = row[i];
        if (v !== undefined) return v;
    }
    return undefined;
}

/** Reciprocating engines whose SFOC follows the load curve; GT, ST, AE and boilers are load-independent. */
export const LOAD_DEPENDENT_SFOC: ReadonlySet<EngineType> = new Set([
    'SSD',
    'MSD',
    'HSD',
    'LNG-Otto-MS',
    'LNG-Otto-SS',
    'LNG-Diesel',
    'LBSI',
]);

/** SFOC load curve factor 0.455 L^2 - 0.710 L + 1.280 (4th GHG Study; ceto, USEPA ShipEF calcLoadBSFC.r). */
export function sfocLoadFactor(load: number): number {
    return 0.455 * load * load - 0.71 * load + 1.28;
}

// -------------------------------------------------------------------- Table 44 and the propeller law constants

/** Fouling efficiency eta_f (4th GHG Study Eq. 8; ceto). */
export const ETA_FOULING = 0.917;

/**
 * Weather efficiency eta_w, 4th GHG Study Table 44 (emissions_mtcc_open table_44.csv): 0.909 for the small bins
 * and the ferry/tug/fishing/offshore/service/misc classes, 0.867 otherwise.
 */
export function etaWeather(type: GhgShipType, size: { dwt: number; gt: number; teu: number }): number {
    switch (type) {
        case 'bulk_carrier':
        case 'general_cargo':
        case 'oil_tanker':
        case 'chemical_tanker':
            // bulk bin 1 is < 10k DWT; general cargo and oil tanker bins 1-2 and chemical bins 1-2 end at 10k too
            return size.dwt < 10_000 ? 0.909 : 0.867;
        case 'container':
            return size.teu < 1_000 ? 0.909 : 0.867;
        case 'cruise':
            return size.gt < 2_000 ? 0.909 : 0.867;
        case 'ro_ro':
            return size.gt < 5_000 ? 0.909 : 0.867;
        case 'ferry_pax':
        case 'ferry_ropax':
        case 'service_tug':
        case 'fishing':
        case 'offshore':
        case 'service_other':
        case 'misc_other':
            return 0.909;
        case 'liquefied_gas_tanker':
        case 'other_liquids_tanker':
        case 'refrigerated_bulk':
        case 'vehicle':
        case 'yacht':
            return 0.867;
    }
}

/** Speed-power correction delta_w: 0.75 container ships > 14,500 TEU, 0.7 cruise, 1 others (ceto docstring). */
export function deltaW(type: GhgShipType, teu: number): number {
    if (type === 'container' && teu > 14_500) return 0.75;
    if (type === 'cruise') return 0.7;
    return 1;
}

/** Draught exponent of the 4th GHG Study Eq. 8 (ceto uses 2/3). */
export const DRAUGHT_EXPONENT = 0.66;

// ----------------------------------------------------------------------------------------- emission factors

/** SOx per g fuel = 2 x 0.97753 x S (4th GHG Study Eq. 15; Kystverket/maru sox.py). */
export const SOX_PER_SULPHUR = 2 * 0.97753;
/** LNG: SO2 = SFC x 2e-4, i.e. 2e-4 g per g fuel (USEPA ShipEF calcEF_SO2.r). */
export const SOX_LNG_G_PER_G = 2e-4;

/** Fuel sulphur (mass fraction) by MARPOL Annex VI reg. 14: 0.10 % inside a SOx ECA, 0.50 % outside (2020-). */
export const SULPHUR_ECA = 0.001;
export const SULPHUR_GLOBAL = 0.005;

/**
 * PM10, g/kWh (4th GHG Study Eqs. 16-17; maru pm.py; USEPA calcEF_PM.r): residual 1.35 + SFC x 7 x 0.02247 x
 * (S - 0.0246); distillate 0.23 + SFC x 7 x 0.02247 x (S - 0.0024). Fixed: LNG 0.03, GT 0.01/0.06 and ST (and
 * boilers, assumption) 0.16/0.93 for distillate/residual.
 */
export function pm10GPerKwh(
    kind: 'recip' | 'GT' | 'ST' | 'boiler',
    fuel: SfocFuel,
    sfoc: number,
    sulphur: number,
): number {
    if (fuel === 'LNG') return 0.03;
    const residual = fuel === 'HFO';
    if (kind === 'GT') return residual ? 0.06 : 0.01;
    if (kind === 'ST' || kind === 'boiler') return residual ? 0.93 : 0.16;
    // methanol: the distillate curve with its sulphur (0): assumption
    const v = residual
        ? 1.35 + sfoc * 7 * 0.02247 * (sulphur - 0.0246)
        : 0.23 + sfoc * 7 * 0.02247 * (sulphur - 0.0024);
    return Math.max(0, v);
}

export type NoxTier = 0 | 1 | 2 | 3;

/** NOx tier by build year (USEPA ShipEF calcTier.r): < 2000 Tier 0, 2000-2010 I, 2011-2015 II, 2016- III. */
export function noxTierByYear(yearBuilt: number): NoxTier {
    return yearBuilt < 2000 ? 0 : yearBuilt <= 2010 ? 1 : yearBuilt <= 2015 ? 2 : 3;
}

/** NOx g/kWh [Tier 0, I, II, III] (USEPA ShipEF MainNOxEF, AuxNOxEF, BoilerNOxEF). */
const NOX_ME: Readonly<Record<'SSD' | 'MSD' | 'HSD', { HFO: readonly number[]; MDO: readonly number[] }>> = {
    SSD: { MDO: [17.0, 16.0, 14.4, 3.4], HFO: [18.1, 17.0, 15.3, 3.6] },
    MSD: { MDO: [13.2, 12.2, 10.5, 2.6], HFO: [14.0, 13.0, 11.2, 2.8] },
    // HSD main engines: the EPA auxiliary HSD row, for both fuels (assumption)
    HSD: { MDO: [11.6, 10.4, 8.2, 2.1], HFO: [11.6, 10.4, 8.2, 2.1] },
};
/** Auxiliary engines: the EPA AE MSD row on HFO, used for all liquid fuels (assumption). */
const NOX_AE = [14.7, 13.0, 11.2, 2.8] as const;

export function noxGPerKwh(engine: EngineType | 'AE' | 'boiler', fuel: SfocFuel, tier: NoxTier): number {
    const residual = fuel === 'HFO';
    if (engine === 'boiler') return residual ? 2.1 : 2.0;
    if (fuel === 'LNG') return 1.3; // EPA: LNG engines 1.3 g/kWh, always Tier 0 rows
    if (engine === 'AE') return NOX_AE[tier];
    if (engine === 'GT') return residual ? 6.1 : 5.7;
    if (engine === 'ST') return residual ? 2.1 : 2.0;
    const row = NOX_ME[engine === 'SSD' || engine === 'MSD' ? engine : 'HSD'];
    // methanol engines: the engine's distillate row (assumption)
    return (residual ? row.HFO : row.MDO)[tier]!;
}

/** CH4 g/kWh, 4th GHG Study Tables 55/56 (emissions_mtcc_open table_55_56.csv). */
export function ch4GPerKwh(engine: EngineType | 'AE' | 'boiler', fuel: SfocFuel): number {
    if (engine === 'boiler') return fuel === 'LNG' ? 0.04 : 0.002;
    if (fuel === 'MeOH') return 0.001;
    if (fuel !== 'LNG') return 0.01;
    switch (engine) {
        case 'LNG-Otto-SS':
            return 2.5;
        case 'LNG-Otto-MS':
        case 'AE':
            return 5.5;
        case 'LNG-Diesel':
            return 0.2;
        case 'LBSI':
            return 4.1;
        case 'ST':
            return 0.04; // steam turbine on LNG: the boiler value (assumption)
        default:
            return 0.2; // gas turbine on LNG: the diesel-cycle gas engine value (assumption)
    }
}

/** N2O g/kWh, 4th GHG Study Tables 59/60 (emissions_mtcc_open table_59_60.csv). */
export function n2oGPerKwh(engine: EngineType | 'AE' | 'boiler', fuel: SfocFuel): number {
    if (fuel === 'LNG') return 0.02; // LNG engines 0.02-0.03: the lower value (assumption)
    if (fuel === 'MeOH') return 0.003;
    const residual = fuel === 'HFO';
    if (engine === 'AE') return residual ? 0.04 : 0.036;
    if (engine === 'MSD') return residual ? 0.034 : 0.03;
    if (engine === 'HSD') return residual ? 0.03 : 0.034;
    // SSD; GT, ST and boilers take the SSD values (assumption)
    return residual ? 0.031 : 0.03;
}

// ------------------------------------------------------------------------------------- low-load adjustment

/** EPA low-load coefficients (C3 RIA Eq. 3-26; USEPA ShipEF LLAFCoeff.rda): EF ~ a L^-x + b. */
export const LLAF_COEFFICIENTS = {
    NOx: { a: 0.1255, x: 1.5, b: 10.4496 },
    HC: { a: 0.0667, x: 1.5, b: 0.3859 },
    PM: { a: 0.0059, x: 1.5, b: 0.2551 },
} as const;

/** Load below which the adjustment applies, and the floor of the load it is evaluated at (EPA: 2 %). */
export const LOW_LOAD_THRESHOLD = 0.2;
export const LOW_LOAD_FLOOR = 0.02;

/**
 * LLAF(L) = (a L^-x + b) / (a 0.2^-x + b) for 0 < L < 0.20 (L floored at 0.02), else 1 (USEPA calcLLAF.r; the
 * 3rd IMO GHG Study multipliers: 4.63 NOx, 7.29 PM, 21.18 HC at 2 % load).
 */
export function lowLoadFactor(pollutant: keyof typeof LLAF_COEFFICIENTS, load: number): number {
    if (!(load > 0) || load >= LOW_LOAD_THRESHOLD) return 1;
    const { a, x, b } = LLAF_COEFFICIENTS[pollutant];
    const l = Math.max(load, LOW_LOAD_FLOOR);
    return (a * Math.pow(l, -x) + b) / (a * Math.pow(LOW_LOAD_THRESHOLD, -x) + b);
}
