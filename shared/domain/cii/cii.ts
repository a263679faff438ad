/**
 * IMO Carbon Intensity Indicator (CII), pure functions. Rules and sources (../shared/reference/maritime-rules.md §1):
 *
 *   attained CII = M / W_s, M = sum_j FC_j x Cf_j [g CO2], W_s = C x D_t      G1 = MEPC.352(78) §2.5, §4
 *   CII_ref      = a x Capacity^(-c)                                          G2 = MEPC.353(78) Table 1
 *   required CII = (1 - Z/100) x CII_ref                                      G3 = MEPC.338(76) as amended by MEPC.400(83)
 *   boundaries   = required CII x exp(d_i), i = 1..4                          G4 = MEPC.354(78) Table 1
 *   rating       A if attained < superior, B if < lower, C if < upper, D if < inferior, else E
 *
 * Interpretation where the guidelines leave room (README "CII calculator"):
 * - Capacity caps (bulk carrier 279,000 DWT, LNG carrier 65,000 DWT, vehicle carrier 57,700 GT) apply to the
 *   reference line only; transport work uses the ship's actual DWT/GT (G1 §2.3 speaks of the ship's
 *   deadweight / gross tonnage; the caps are in G2 Table 1). `capTransportWork: true` applies the cap to the
 *   transport work as well, as Etive-Mor/Open-IMO-CII-Calculator does.
 * - A value exactly on a boundary takes the worse rating (strict `<`, as in G4's figure and Etive-Mor).
 */
import { co2Grams, type FuelTonnes } from '../fuel/fuels.js';

export const CII_SHIP_TYPES = [
    'bulk_carrier',
    'gas_carrier',
    'tanker',
    'container_ship',
    'general_cargo_ship',
    'refrigerated_cargo_carrier',
    'combination_carrier',
    'lng_carrier',
    'ro_ro_cargo_ship_vehicle_carrier',
    'ro_ro_cargo_ship',
    'ro_ro_passenger_ship',
    'cruise_passenger_ship',
] as const;

export type CiiShipType = (typeof CII_SHIP_TYPES)[number];

export function isCiiShipType(v: unknown): v is CiiShipType {
    return typeof v === 'string' && (CII_SHIP_TYPES as readonly string[]).includes(v);
}

export interface CiiShip {
    shipType: CiiShipType;
    /** Deadweight, t (ship types rated per DWT). */
    dwt?: number;
    /** Gross tonnage (ro-ro cargo, vehicle carriers, ro-ro passenger and cruise ships). */
    gt?: number;
    /** Ro-ro passenger ship that is a high-speed craft (SOLAS ch. X): G2's separate reference line. */
    hsc?: boolean;
}

export type CapacityUnit = 'DWT' | 'GT';

/** G1 §2.3: DWT (AER) for the cargo ships, GT (cgDIST) for ro-ro cargo, vehicle carriers, ro-pax and cruise. */
export const CAPACITY_UNIT: Readonly<Record<CiiShipType, CapacityUnit>> = {
    bulk_carrier: 'DWT',
    gas_carrier: 'DWT',
    tanker: 'DWT',
    container_ship: 'DWT',
    general_cargo_ship: 'DWT',
    refrigerated_cargo_carrier: 'DWT',
    combination_carrier: 'DWT',
    lng_carrier: 'DWT',
    ro_ro_cargo_ship_vehicle_carrier: 'GT',
    ro_ro_cargo_ship: 'GT',
    ro_ro_passenger_ship: 'GT',
    cruise_passenger_ship: 'GT',
};

/** One row of G2 Table 1 with the G4 Table 1 boundary vector of the same size band. */
export interface CiiBand {
    /** Human description of the size band, e.g. 'DWT >= 279,000'. */
    band: string;
    /** G2: capacity used in CII_ref (the actual capacity unless capped/fixed). */
    referenceCapacity: number;
    a: number;
    c: number;
    /** G4 exp(d1..d4). */
    exp: readonly [superior: number, lower: number, upper: number, inferior: number];
}

/** Thrown for an input the CII rules cannot rate; `field` names the input at fault. */
export class CiiInputError extends Error {
    override readonly name = 'CiiInputError';
    constructor(
        readonly field: string,
        message: string,
    ) {
        super(message);
    }
}

/** The actual capacity (DWT or GT) of the ship, checked. */
export function actualCapacity(ship: CiiShip): number {
    const unit = CAPACITY_UNIT[ship.shipType];
    const field = unit === 'DWT' ? 'dwt' : 'gt';
    const v = unit === 'DWT' ? ship.dwt : ship.gt;
    if (v === undefined) throw new CiiInputError(field, `${field} is required for ${ship.shipType}`);
    if (!Number.isFinite(v) || v <= 0) throw new CiiInputError(field, `${field} must be a positive number`);
    return v;
}

/** G2 Table 1 (a, c, capacity rule) and G4 Table 1 (exp(d)) for the ship's type and size band. */
export function ciiBand(ship: CiiShip): CiiBand {
    const cap = actualCapacity(ship);
    switch (ship.shipType) {
        case 'bulk_carrier':
            return cap >= 279_000
                ? {
                      band: 'DWT >= 279,000',
                      referenceCapacity: 279_000,
                      a: 4745,
                      c: 0.622,
                      exp: [0.86, 0.94, 1.06, 1.18],
                  }
                : {
                      band: 'DWT < 279,000',
                      referenceCapacity: cap,
                      a: 4745,
                      c: 0.622,
                      exp: [0.86, 0.94, 1.06, 1.18],
                  };
        case 'gas_carrier':
            return cap >= 65_000
                ? {
                      band: 'DWT >= 65,000',
                      referenceCapacity: cap,
                      a: 14405e7,
                      c: 2.071,
                      exp: [0.81, 0.91, 1.12, 1.44],
                  }
                : {
                      band: 'DWT < 65,000',
                      referenceCapacity: cap,
                      a: 8104,
                      c: 0.639,
                      exp: [0.85, 0.95, 1.06, 1.25],
                  };
        case 'tanker':
            return { band: 'all', referenceCapacity: cap, a: 5247, c: 0.61, exp: [0.82, 0.93, 1.08, 1.28] };
        case 'container_ship':
            return { band: 'all', referenceCapacity: cap, a: 1984, c: 0.489, exp: [0.83, 0.94, 1.07, 1.19] };
        case 'general_cargo_ship':
            return cap >= 20_000
                ? {
                      band: 'DWT >= 20,000',
                      referenceCapacity: cap,
                      a: 31948,
                      c: 0.792,
                      exp: [0.83, 0.94, 1.06, 1.19],
                  }
                : {
                      band: 'DWT < 20,000',
                      referenceCapacity: cap,
                      a: 588,
                      c: 0.3885,
                      exp: [0.83, 0.94, 1.06, 1.19],
                  };
        case 'refrigerated_cargo_carrier':
            return { band: 'all', referenceCapacity: cap, a: 4600, c: 0.557, exp: [0.78, 0.91, 1.07, 1.2] };
        case 'combination_carrier':
            return { band: 'all', referenceCapacity: cap, a: 5119, c: 0.622, exp: [0.87, 0.96, 1.06, 1.14] };
        case 'lng_carrier': {
            // G4 splits the boundaries at 100,000 DWT; G2 has three reference-line bands.
            const small = [0.78, 0.92, 1.1, 1.37] as const;
            if (cap >= 100_000)
                return {
                    band: 'DWT >= 100,000',
                    referenceCapacity: cap,
                    a: 9.827,
                    c: 0,
                    exp: [0.89, 0.98, 1.06, 1.13],
                };
            if (cap >= 65_000)
                return {
                    band: '65,000 <= DWT < 100,000',
                    referenceCapacity: cap,
                    a: 14479e10,
                    c: 2.673,
                    exp: small,
                };
            return { band: 'DWT < 65,000', referenceCapacity: 65_000, a: 14779e10, c: 2.673, exp: small };
        }
        case 'ro_ro_cargo_ship_vehicle_carrier': {
            const exp = [0.86, 0.94, 1.06, 1.16] as const;
            if (cap >= 57_700)
                return { band: 'GT >= 57,700', referenceCapacity: 57_700, a: 3627, c: 0.59, exp };
            if (cap >= 30_000)
                return { band: '30,000 <= GT < 57,700', referenceCapacity: cap, a: 3627, c: 0.59, exp };
            return { band: 'GT < 30,000', referenceCapacity: cap, a: 330, c: 0.329, exp };
        }
        case 'ro_ro_cargo_ship':
            return { band: 'all', referenceCapacity: cap, a: 1967, c: 0.485, exp: [0.76, 0.89, 1.08, 1.27] };
        case 'ro_ro_passenger_ship':
            // G4 has no separate HSC row: the ro-pax vector serves both.
            return ship.hsc === true
                ? {
                      band: 'HSC (SOLAS ch. X)',
                      referenceCapacity: cap,
                      a: 4196,
                      c: 0.46,
                      exp: [0.76, 0.92, 1.14, 1.3],
                  }
                : {
                      band: 'conventional',
                      referenceCapacity: cap,
                      a: 2023,
                      c: 0.46,
                      exp: [0.76, 0.92, 1.14, 1.3],
                  };
        case 'cruise_passenger_ship':
            return { band: 'all', referenceCapacity: cap, a: 930, c: 0.383, exp: [0.87, 0.95, 1.06, 1.16] };
    }
}

/**
 * Reduction factor Z (%) relative to the 2019 reference line: 2019-2026 from G3 = MEPC.338(76); 2027-2030 from
 * MEPC.400(83) (13.625, 16.25, 18.875, 21.5; Lloyd's Register summary cited in the reference, §1.3).
 */
export const REDUCTION_FACTOR_Z: Readonly<Record<number, number>> = {
    2019: 0,
    2020: 1,
    2021: 2,
    2022: 3,
    2023: 5,
    2024: 7,
    2025: 9,
    2026: 11,
    2027: 13.625,
    2028: 16.25,
    2029: 18.875,
    2030: 21.5,
};

export function reductionFactor(year: number): number {
    const z = REDUCTION_FACTOR_Z[year];
    if (z === undefined)
        throw new CiiInputError('year', 'year must be 2019..2030 (Z is set for those years only)');
    return z;
}

/** CII_ref = a x Capacity^(-c) (G2). */
export function referenceCii(ship: CiiShip): number {
    const b = ciiBand(ship);
    return b.a * Math.pow(b.referenceCapacity, -b.c);
}

/** Required CII = (1 - Z/100) x CII_ref (G3). */
export function requiredCii(ship: CiiShip, year: number): number {
    return referenceCii(ship) * (1 - reductionFactor(year) / 100);
}

export interface RatingBoundaries {
    superior: number;
    lower: number;
    upper: number;
    inferior: number;
}

export type CiiRating = 'A' | 'B' | 'C' | 'D' | 'E';

/** Boundaries = exp(d_i) x required CII (G4 Table 1). */
export function ratingBoundaries(ship: CiiShip, required: number): RatingBoundaries {
    const [d1, d2, d3, d4] = ciiBand(ship).exp;
    return { superior: d1 * required, lower: d2 * required, upper: d3 * required, inferior: d4 * required };
}

/** A < superior <= B < lower <= C < upper <= D < inferior <= E (a tie takes the worse rating). */
export function ratingFor(attained: number, b: RatingBoundaries): CiiRating {
    if (attained < b.superior) return 'A';
    if (attained < b.lower) return 'B';
    if (attained < b.upper) return 'C';
    if (attained < b.inferior) return 'D';
    return 'E';
}

export interface CiiInput extends CiiShip {
    /** Fuel consumed in the period, tonnes per fuel (names of the Cf table). */
    fuelTonnes: FuelTonnes;
    /** Distance travelled, nautical miles (IMO DCS). */
    distanceNm: number;
    /** Rating year (2019..2030). */
    year: number;
    /** Apply the G2 capacity cap to the transport work too (Etive-Mor's reading); default false. */
    capTransportWork?: boolean;
}

export interface CiiResult {
    /** g CO2 / (capacity x nm). */
    attained: number;
    required: number;
    /** attained / required. */
    ratio: number;
    rating: CiiRating;
    boundaries: RatingBoundaries;
    /** M, tonnes CO2. */
    co2Tonnes: number;
    capacityUnit: CapacityUnit;
    /** Capacity used in the transport work. */
    capacity: number;
    /** Capacity used in the reference line (G2). */
    referenceCapacity: number;
    /** W_s = capacity x distance. */
    transportWork: number;
    referenceCii: number;
    /** Z, %. */
    reductionFactor: number;
    band: string;
}

function checkFuel(fuelTonnes: FuelTonnes): void {
    for (const [fuel, t] of Object.entries(fuelTonnes)) {
        if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
            throw new CiiInputError(`fuelTonnes.${fuel}`, `fuelTonnes.${fuel} must be a number >= 0`);
    }
}

/** Attained, required, ratio, rating and boundaries for one ship and period (a calendar year or year to date). */
export function computeCii(input: CiiInput): CiiResult {
    checkFuel(input.fuelTonnes);
    if (!Number.isFinite(input.distanceNm) || input.distanceNm <= 0)
        throw new CiiInputError('distanceNm', 'distanceNm must be a positive number');
    const band = ciiBand(input);
    const z = reductionFactor(input.year);
    const capacity = input.capTransportWork === true ? band.referenceCapacity : actualCapacity(input);
    const m = co2Grams(input.fuelTonnes);
    const transportWork = capacity * input.distanceNm;
    const attained = m / transportWork;
    const ref = band.a * Math.pow(band.referenceCapacity, -band.c);
    const required = ref * (1 - z / 100);
    const boundaries = ratingBoundaries(input, required);
    return {
        attained,
        required,
        ratio: attained / required,
        rating: ratingFor(attained, boundaries),
        boundaries,
        co2Tonnes: m / 1e6,
        capacityUnit: CAPACITY_UNIT[input.shipType],
        capacity,
        referenceCapacity: band.referenceCapacity,
        transportWork,
        referenceCii: ref,
        reductionFactor: z,
        band: band.band,
    };
}

export interface CiiPeriod {
    fuelTonnes: FuelTonnes;
    distanceNm: number;
    /** Days the figures cover. */
    days: number;
}

export interface CiiProjection {
    /** Year to date, rated against the year's required CII. */
    yearToDate: CiiResult;
    /** Year to date plus the rest of the year at the recent rate (or the year-to-date rate). */
    projected: CiiResult;
    daysElapsed: number;
    daysInYear: number;
    projectedFuelTonnes: FuelTonnes;
    projectedDistanceNm: number;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Year to date and projected to year end: the remaining days are filled at the daily rate of `recent` (for
 * example the last 30 days) or, without it, at the year-to-date rate. At the year-to-date rate the attained CII
 * does not change (fuel and distance scale alike); a recent window makes the projection follow a change of
 * operation during the year.
 */
export function projectCii(
    ship: CiiShip & { capTransportWork?: boolean },
    year: number,
    yearToDate: CiiPeriod,
    recent?: CiiPeriod,
): CiiProjection {
    const daysInYear = isLeap(year) ? 366 : 365;
    if (!(yearToDate.days > 0 && yearToDate.days <= daysInYear))
        throw new CiiInputError('days', `days must be in 1..${daysInYear}`);
    const rate = recent ?? yearToDate;
    if (!(rate.days > 0)) throw new CiiInputError('recent.days', 'recent.days must be positive');
    const remaining = daysInYear - yearToDate.days;
    const f = remaining / rate.days;
    const projectedFuelTonnes: FuelTonnes = { ...yearToDate.fuelTonnes };
    for (const [fuel, t] of Object.entries(rate.fuelTonnes) as [keyof FuelTonnes, number][]) {
        projectedFuelTonnes[fuel] = (projectedFuelTonnes[fuel] ?? 0) + t * f;
    }
    const projectedDistanceNm = yearToDate.distanceNm + rate.distanceNm * f;
    const base = { ...ship, year };
    return {
        yearToDate: computeCii({
            ...base,
            fuelTonnes: yearToDate.fuelTonnes,
            distanceNm: yearToDate.distanceNm,
        }),
        projected: computeCii({ ...base, fuelTonnes: projectedFuelTonnes, distanceNm: projectedDistanceNm }),
        daysElapsed: yearToDate.days,
        daysInYear,
        projectedFuelTonnes,
        projectedDistanceNm,
    };
}
