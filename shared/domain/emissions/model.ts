/**
 * Bottom-up fuel and emissions for one stretch of operation (a fix interval or a calculator leg), the IMO Fourth
 * GHG Study 2020 method as compiled in ../shared/reference/maritime-rules.md §2:
 *
 * 1. mode: berth / anchor / manoeuvring / sea (given, or from speed and navigational status: `operatingMode`);
 * 2. main engine: Load = delta_w (T/T_design)^0.66 (V/V_design)^3 / (eta_w eta_f), capped at 1 (Eq. 8, p. 64);
 *    off at berth and at anchor; P_ME = Load x MCR;
 * 3. auxiliary engine and boiler power by class, size and mode (Table 17);
 * 4. energy = P x hours; fuel = energy x SFOC, SFOC from Table 19 by engine type, fuel and build year, for the
 *    reciprocating main engine x (0.455 L^2 - 0.710 L + 1.280); gas engines add their MDO pilot fuel;
 * 5. CO2 = fuel x Cf; SOx = fuel x 2 x 0.97753 x S with S = 0.10 % inside a SOx ECA, 0.50 % outside; NOx, PM10,
 *    CH4, N2O = energy x EF (g/kWh);
 * 6. below 20 % main-engine load, the main engine's NOx, PM, CH4 and N2O factors are multiplied by the EPA /
 *    3rd IMO GHG Study low-load adjustment factors (CH4 on the HC curve, N2O on the NOx curve). Fuel, CO2 and SOx
 *    already follow the SFOC load curve, so they get no low-load factor (that would count twice).
 *
 * Inside a SOx ECA a ship on residual fuel (HFO, LFO) burns MGO in all engines (the method's compliance
 * assumption: no scrubbers modelled), which changes its SFOC column, Cf and PM. NOx Tier III applies only inside
 * a NOx ECA, to ships built in or after the ECA's Tier III year (2016 unless given); elsewhere Tier II at most.
 */
import { FUEL_PROPERTIES } from '../fuel/fuels.js';
import type { ModelFuel, Particulars } from './particulars.js';
import {
    AUX_POWER,
    ch4GPerKwh,
    deltaW,
    DRAUGHT_EXPONENT,
    type EngineType,
    ETA_FOULING,
    etaWeather,
    LOAD_DEPENDENT_SFOC,
    lowLoadFactor,
    type Mode,
    n2oGPerKwh,
    noxGPerKwh,
    type NoxTier,
    noxTierByYear,
    pickByAge,
    PILOT_MDO_G_PER_KWH,
    pm10GPerKwh,
    SFOC_AUX,
    SFOC_BOILER,
    SFOC_MAIN,
    type SfocFuel,
    sfocLoadFactor,
    SOX_LNG_G_PER_G,
    SOX_PER_SULPHUR,
    SULPHUR_ECA,
    SULPHUR_GLOBAL,
} from './tables.js';

export interface Leg {
    /** Duration, hours. */
    hours: number;
    /** Speed over ground (or through water), knots. */
    speedKn: number;
    /** Actual draught, m (the design draught when missing). */
    draughtM?: number | null;
    /** Operating mode; derived from the speed (and `navStatus`) when missing. */
    mode?: Mode;
    /** AIS navigational status, used only when `mode` is missing. */
    navStatus?: number | null;
    /** Inside a SOx ECA (0.10 % sulphur). */
    inSeca?: boolean;
    /** Inside a NOx ECA. */
    inNeca?: boolean;
    /** Tier III applies in this NOx ECA to ships built in or after this year (default 2016). */
    necaTierIIIFromYear?: number;
}

export type Engine = 'main' | 'auxiliary' | 'boiler';
export type Pollutant = 'co2' | 'sox' | 'nox' | 'pm' | 'ch4' | 'n2o';
export const POLLUTANTS: readonly Pollutant[] = ['co2', 'sox', 'nox', 'pm', 'ch4', 'n2o'];

export type ByEngine<T> = Record<Engine, T>;
export type Emissions = Record<Pollutant, number>;

export interface LegResult {
    hours: number;
    mode: Mode;
    speedKn: number;
    /** V / V_design and (T / T_design)^0.66. */
    speedRatio: number;
    draughtFactor: number;
    /** delta_w, eta_w, eta_f of Eq. 8. */
    deltaW: number;
    etaW: number;
    etaF: number;
    /** Main-engine load factor, 0..1 (0 at berth and anchor). */
    load: number;
    /** Power, kW. */
    powerKw: ByEngine<number>;
    /** Energy, kWh. */
    energyKwh: ByEngine<number>;
    /** Fuel burned by each engine. */
    fuelType: ByEngine<ModelFuel>;
    /** SFOC actually used, g/kWh (main: baseline x load factor). */
    sfoc: ByEngine<number>;
    sfocBaseMain: number;
    sfocLoadFactor: number;
    /** Fuel, tonnes (main includes gas engines' pilot MDO). */
    fuelTonnes: ByEngine<number>;
    /** Pilot MDO of gas engines, tonnes (part of fuelTonnes.main). */
    pilotMdoTonnes: number;
    /** Fuel sulphur, mass fraction. */
    sulphur: number;
    noxTier: NoxTier;
    /** Main-engine low-load adjustment factors (1 at or above 20 % load). */
    lowLoad: { nox: number; pm: number; ch4: number; n2o: number };
    /** Emissions, tonnes, per engine and in total. */
    emissionsByEngine: ByEngine<Emissions>;
    emissions: Emissions;
}

/** Thrown for a leg or particulars the model cannot use; `field` names the input at fault. */
export class EmissionInputError extends Error {
    override readonly name = 'EmissionInputError';
    constructor(
        readonly field: string,
        message: string,
    ) {
        super(message);
    }
}

/**
 * Operating mode from speed (3rd/4th IMO GHG Study phases: < 1 kn at berth, 1-3 kn at anchor, 3-5 kn
 * manoeuvring, otherwise at sea); a navigational status of moored (5) or at anchor (1) decides below 3 kn.
 */
export function operatingMode(speedKn: number, navStatus?: number | null): Mode {
    if (speedKn < 3 && navStatus === 5) return 'berth';
    if (speedKn < 3 && navStatus === 1) return 'anchor';
    if (speedKn < 1) return 'berth';
    if (speedKn < 3) return 'anchor';
    if (speedKn < 5) return 'manoeuvring';
    return 'sea';
}

const sfocFuelOf = (fuel: ModelFuel): SfocFuel =>
    fuel === 'HFO' || fuel === 'LFO' ? 'HFO' : fuel === 'LNG' ? 'LNG' : fuel === 'methanol' ? 'MeOH' : 'MDO';

/** Fuel of the auxiliary engines and boilers: the main fuel, MDO for methanol ships (Table 19 has no such row). */
const auxFuelOf = (fuel: ModelFuel): ModelFuel => (fuel === 'methanol' ? 'MDO' : fuel);

/** Inside a SOx ECA, residual fuel is replaced by MGO. */
const ecaFuel = (fuel: ModelFuel, inSeca: boolean): ModelFuel =>
    inSeca && (fuel === 'HFO' || fuel === 'LFO') ? 'MGO' : fuel;

function sizeOf(p: Particulars): number {
    switch (AUX_POWER[p.shipType].unit) {
        case 'dwt':
            return p.dwt;
        case 'gt':
            return p.gt;
        case 'teu':
            return p.teu ?? p.dwt / 12;
        case 'cbm':
            return p.cbm ?? p.dwt * 1.6;
        case 'none':
            return 0;
    }
}

const MODE_INDEX: Record<Mode, 0 | 1 | 2 | 3> = { berth: 0, anchor: 1, manoeuvring: 2, sea: 3 };

/** Auxiliary engine and boiler power, kW (Table 17). */
export function auxiliaryPower(p: Particulars, mode: Mode): { auxiliary: number; boiler: number } {
    const size = sizeOf(p);
    const bin = AUX_POWER[p.shipType].bins.find((b) => size < b.upTo)!;
    return { auxiliary: bin.aux[MODE_INDEX[mode]], boiler: bin.boiler[MODE_INDEX[mode]] };
}

/** Main-engine load factor by Eq. 8 with its intermediate terms. */
export function mainEngineLoad(
    p: Particulars,
    speedKn: number,
    draughtM: number | null | undefined,
    mode: Mode,
): { load: number; speedRatio: number; draughtFactor: number; deltaW: number; etaW: number; etaF: number } {
    const size = { dwt: p.dwt, gt: p.gt, teu: p.teu ?? (p.shipType === 'container' ? p.dwt / 12 : 0) };
    const dw = deltaW(p.shipType, size.teu);
    const etaW = etaWeather(p.shipType, size);
    const speedRatio = speedKn / p.designSpeedKn;
    const t = draughtM != null && draughtM > 0 ? draughtM : p.designDraughtM;
    const draughtFactor = Math.pow(t / p.designDraughtM, DRAUGHT_EXPONENT);
    const raw = (dw * draughtFactor * speedRatio ** 3) / (etaW * ETA_FOULING);
    const load = mode === 'berth' || mode === 'anchor' ? 0 : Math.min(1, raw);
    return { load, speedRatio, draughtFactor, deltaW: dw, etaW, etaF: ETA_FOULING };
}

function sfocOf(
    row: Parameters<typeof pickByAge>[0],
    yearBuilt: number,
    field: string,
    what: string,
): number {
    const v = pickByAge(row, yearBuilt);
    if (v === undefined)
        throw new EmissionInputError(field, `no SFOC in the 4th GHG Study Table 19 for ${what}`);
    return v;
}

const zero = (): Emissions => ({ co2: 0, sox: 0, nox: 0, pm: 0, ch4: 0, n2o: 0 });

function checkParticulars(p: Particulars): void {
    for (const k of ['mainEngineKw', 'designSpeedKn', 'designDraughtM', 'dwt', 'gt', 'yearBuilt'] as const) {
        if (!(Number.isFinite(p[k]) && p[k] > 0))
            throw new EmissionInputError(`particulars.${k}`, `particulars.${k} must be a positive number`);
    }
}

/** Fuel and emissions of one leg, with every intermediate value. */
export function legEmissions(p: Particulars, leg: Leg): LegResult {
    checkParticulars(p);
    if (!(Number.isFinite(leg.hours) && leg.hours >= 0))
        throw new EmissionInputError('hours', 'hours must be a number >= 0');
    if (!(Number.isFinite(leg.speedKn) && leg.speedKn >= 0))
        throw new EmissionInputError('speedKn', 'speedKn must be a number >= 0');
    const inSeca = leg.inSeca === true;
    const mode = leg.mode ?? operatingMode(leg.speedKn, leg.navStatus);
    const me = mainEngineLoad(p, leg.speedKn, leg.draughtM, mode);
    const aux = auxiliaryPower(p, mode);

    const mainFuel = ecaFuel(p.fuel, inSeca);
    const auxFuel = ecaFuel(auxFuelOf(p.fuel), inSeca);
    const mainSfocFuel = sfocFuelOf(mainFuel);
    const auxSfocFuel = sfocFuelOf(auxFuel);
    const engine: EngineType = p.engineType;

    const sfocBaseMain = sfocOf(
        SFOC_MAIN[engine][mainSfocFuel],
        p.yearBuilt,
        'particulars.engineType',
        `${engine} on ${mainFuel}`,
    );
    const loadDependent = LOAD_DEPENDENT_SFOC.has(engine);
    const llf = loadDependent && me.load > 0 ? sfocLoadFactor(me.load) : 1;
    const sfoc: ByEngine<number> = {
        main: sfocBaseMain * llf,
        auxiliary: sfocOf(
            SFOC_AUX[auxSfocFuel],
            p.yearBuilt,
            'particulars.fuel',
            `auxiliary engines on ${auxFuel}`,
        ),
        boiler: sfocOf(SFOC_BOILER[auxSfocFuel], p.yearBuilt, 'particulars.fuel', `boilers on ${auxFuel}`),
    };
    const powerKw: ByEngine<number> = {
        main: me.load * p.mainEngineKw,
        auxiliary: aux.auxiliary,
        boiler: aux.boiler,
    };
    const energyKwh: ByEngine<number> = {
        main: powerKw.main * leg.hours,
        auxiliary: powerKw.auxiliary * leg.hours,
        boiler: powerKw.boiler * leg.hours,
    };
    const pilotMdoTonnes = (energyKwh.main * (PILOT_MDO_G_PER_KWH[engine] ?? 0)) / 1e6;
    const primary: ByEngine<number> = {
        main: (energyKwh.main * sfoc.main) / 1e6,
        auxiliary: (energyKwh.auxiliary * sfoc.auxiliary) / 1e6,
        boiler: (energyKwh.boiler * sfoc.boiler) / 1e6,
    };
    const fuelTonnes: ByEngine<number> = { ...primary, main: primary.main + pilotMdoTonnes };

    const sulphur = inSeca ? SULPHUR_ECA : SULPHUR_GLOBAL;
    const soxPerTonne = (fuel: ModelFuel): number =>
        fuel === 'LNG' ? SOX_LNG_G_PER_G : fuel === 'methanol' ? 0 : SOX_PER_SULPHUR * sulphur;
    const yearTier = noxTierByYear(p.yearBuilt);
    const tierIII = leg.inNeca === true && p.yearBuilt >= (leg.necaTierIIIFromYear ?? 2016);
    const noxTier: NoxTier = tierIII ? 3 : (Math.min(yearTier, 2) as NoxTier);
    const lowLoad = {
        nox: lowLoadFactor('NOx', me.load),
        pm: lowLoadFactor('PM', me.load),
        ch4: lowLoadFactor('HC', me.load),
        n2o: lowLoadFactor('NOx', me.load),
    };

    const meKind = engine === 'GT' ? 'GT' : engine === 'ST' ? 'ST' : 'recip';
    const g = 1e-6; // g -> t
    const mainE: Emissions = {
        co2: primary.main * FUEL_PROPERTIES[mainFuel].cf + pilotMdoTonnes * FUEL_PROPERTIES.MDO.cf,
        sox: primary.main * soxPerTonne(mainFuel) + pilotMdoTonnes * SOX_PER_SULPHUR * sulphur,
        nox: energyKwh.main * noxGPerKwh(engine, mainSfocFuel, noxTier) * lowLoad.nox * g,
        pm: energyKwh.main * pm10GPerKwh(meKind, mainSfocFuel, sfoc.main, sulphur) * lowLoad.pm * g,
        ch4: energyKwh.main * ch4GPerKwh(engine, mainSfocFuel) * lowLoad.ch4 * g,
        n2o: energyKwh.main * n2oGPerKwh(engine, mainSfocFuel) * lowLoad.n2o * g,
    };
    const other = (which: 'auxiliary' | 'boiler'): Emissions => {
        const kind = which === 'auxiliary' ? 'AE' : 'boiler';
        const e = energyKwh[which];
        return {
            co2: fuelTonnes[which] * FUEL_PROPERTIES[auxFuel].cf,
            sox: fuelTonnes[which] * soxPerTonne(auxFuel),
            nox: e * noxGPerKwh(kind, auxSfocFuel, noxTier) * g,
            pm:
                e *
                pm10GPerKwh(which === 'auxiliary' ? 'recip' : 'boiler', auxSfocFuel, sfoc[which], sulphur) *
                g,
            ch4: e * ch4GPerKwh(kind, auxSfocFuel) * g,
            n2o: e * n2oGPerKwh(kind, auxSfocFuel) * g,
        };
    };
    const emissionsByEngine: ByEngine<Emissions> = {
        main: mainE,
        auxiliary: other('auxiliary'),
        boiler: other('boiler'),
    };
    const emissions = zero();
    for (const k of POLLUTANTS)
        emissions[k] =
            emissionsByEngine.main[k] + emissionsByEngine.auxiliary[k] + emissionsByEngine.boiler[k];

    return {
        hours: leg.hours,
        mode,
        speedKn: leg.speedKn,
        speedRatio: me.speedRatio,
        draughtFactor: me.draughtFactor,
        deltaW: me.deltaW,
        etaW: me.etaW,
        etaF: me.etaF,
        load: me.load,
        powerKw,
        energyKwh,
        fuelType: { main: mainFuel, auxiliary: auxFuel, boiler: auxFuel },
        sfoc,
        sfocBaseMain,
        sfocLoadFactor: llf,
        fuelTonnes,
        pilotMdoTonnes,
        sulphur,
        noxTier,
        lowLoad,
        emissionsByEngine,
        emissions,
    };
}
