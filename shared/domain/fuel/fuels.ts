/**
 * Fuels by the names of the Cf table of the 2022 EEDI guidelines, MEPC.364(79) (same values as MEPC.308(73)):
 * carbon factor Cf (t CO2 per t fuel) and lower calorific value. Source: ../shared/reference/maritime-rules.md
 * §1.5 (Etive-Mor/Open-IMO-CII-Calculator ShipMassOfCo2EmissionsCalculatorService.cs; USEPA ShipEF
 * CO2ConversionFactor.rda).
 */

export const FUELS = [
    'HFO',
    'LFO',
    'MDO',
    'MGO',
    'LNG',
    'LPG_propane',
    'LPG_butane',
    'ethane',
    'methanol',
    'ethanol',
] as const;

export type Fuel = (typeof FUELS)[number];

export interface FuelProperties {
    /** Cf, t CO2 / t fuel (MEPC.364(79)). */
    cf: number;
    /** Carbon content, mass fraction. */
    carbonContent: number;
    /** Lower calorific value, kJ/kg. */
    lcvKjPerKg: number;
    /** The fuel's ISO 8217 / common description. */
    description: string;
}

export const FUEL_PROPERTIES: Readonly<Record<Fuel, FuelProperties>> = {
    HFO: {
        cf: 3.114,
        carbonContent: 0.8493,
        lcvKjPerKg: 40_200,
        description: 'Heavy fuel oil, ISO 8217 RME-RMK',
    },
    LFO: {
        cf: 3.151,
        carbonContent: 0.8594,
        lcvKjPerKg: 41_200,
        description: 'Light fuel oil, ISO 8217 RMA-RMD',
    },
    MDO: {
        cf: 3.206,
        carbonContent: 0.8744,
        lcvKjPerKg: 42_700,
        description: 'Diesel / gas oil, ISO 8217 DMX-DMB',
    },
    MGO: {
        cf: 3.206,
        carbonContent: 0.8744,
        lcvKjPerKg: 42_700,
        description: 'Diesel / gas oil, ISO 8217 DMX-DMB',
    },
    LNG: { cf: 2.75, carbonContent: 0.75, lcvKjPerKg: 48_000, description: 'Liquefied natural gas' },
    LPG_propane: { cf: 3.0, carbonContent: 0.8182, lcvKjPerKg: 46_300, description: 'LPG, propane' },
    LPG_butane: { cf: 3.03, carbonContent: 0.8264, lcvKjPerKg: 45_700, description: 'LPG, butane' },
    ethane: { cf: 2.927, carbonContent: 0.7989, lcvKjPerKg: 46_400, description: 'Ethane' },
    methanol: { cf: 1.375, carbonContent: 0.375, lcvKjPerKg: 19_900, description: 'Methanol' },
    ethanol: { cf: 1.913, carbonContent: 0.5217, lcvKjPerKg: 26_800, description: 'Ethanol' },
};

export function isFuel(v: unknown): v is Fuel {
    return typeof v === 'string' && (FUELS as readonly string[]).includes(v);
}

/** Fuel mass per fuel, tonnes. */
export type FuelTonnes = Partial<Record<Fuel, number>>;

/**
 * M = sum_j FC_j x Cf_j in grams (G1 = MEPC.352(78) §2.5). Fuel in tonnes is turned into grams first
 * (x 1e6), the order public calculators use, so results agree with them to the last digit.
 */
export function co2Grams(fuel: FuelTonnes): number {
    let m = 0;
    for (const f of FUELS) {
        const t = fuel[f];
        if (t !== undefined) m += t * 1e6 * FUEL_PROPERTIES[f].cf;
    }
    return m;
}
