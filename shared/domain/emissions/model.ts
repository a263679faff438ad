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

function checkParticulars(p: Particulars): void {
    for (const k of ['mainEngineKw', 'designSpeedKn', 'designDraughtM', 'dwt', 'gt', 'yearBuilt'] as const) {
        if (!(Number.isFinite(p[k]) && p[k] > 0))
            throw new EmissionInputError(`particulars.${k}`, `particulars.${k} must be a positive number`);
    }
}

/** Everything about the fuels burned in one ECA state (outside / inside a SOx ECA) that does not vary per leg. */
interface FuelState {
    mainFuel: ModelFuel;
    auxFuel: ModelFuel;
    mainSfocFuel: SfocFuel;
    auxSfocFuel: SfocFuel;
    sfocBaseMain: number;
    sfocAux: number;
    sfocBoiler: number;
    sulphur: number;
    /** t SOx per t fuel. */
    soxMain: number;
    soxAux: number;
    soxPilot: number;
    cfMain: number;
    cfAux: number;
    /** g/kWh by NOx tier 0..3. */
    noxMain: readonly number[];
    noxAux: readonly number[];
    noxBoiler: number;
    /** Main-engine PM10 when it does not depend on the SFOC (GT, ST, LNG); NaN for reciprocating liquid-fuel engines. */
    pmMainFixed: number;
    pmAux: number;
    pmBoiler: number;
    ch4Main: number;
    ch4Aux: number;
    ch4Boiler: number;
    n2oMain: number;
    n2oAux: number;
    n2oBoiler: number;
}

/**
 * The per-vessel constants of the model (Table 17 power by mode, Table 44 efficiencies, Table 19 SFOC and the
 * emission factors for both ECA states), checked and looked up once. `legEmissions` and `emissionsDaily` both
 * compute through `computeLeg` on it, so a fix interval and a calculator leg give the same numbers.
 */
export interface PreparedVessel {
    readonly particulars: Particulars;
    readonly deltaW: number;
    readonly etaW: number;
    readonly auxKw: readonly [number, number, number, number];
    readonly boilerKw: readonly [number, number, number, number];
    readonly loadDependentSfoc: boolean;
    readonly pilotGPerKwh: number;
    readonly yearTier: NoxTier;
    readonly states: readonly [outside: FuelState, inside: FuelState];
}

function fuelState(p: Particulars, inSeca: boolean): FuelState {
    const engine = p.engineType;
    const mainFuel = ecaFuel(p.fuel, inSeca);
    const auxFuel = ecaFuel(auxFuelOf(p.fuel), inSeca);
    const mainSfocFuel = sfocFuelOf(mainFuel);
    const auxSfocFuel = sfocFuelOf(auxFuel);
    const sulphur = inSeca ? SULPHUR_ECA : SULPHUR_GLOBAL;
    const soxPerTonne = (fuel: ModelFuel): number =>
        fuel === 'LNG' ? SOX_LNG_G_PER_G : fuel === 'methanol' ? 0 : SOX_PER_SULPHUR * sulphur;
    const sfocAux = sfocOf(
        SFOC_AUX[auxSfocFuel],
        p.yearBuilt,
        'particulars.fuel',
        `auxiliary engines on ${auxFuel}`,
    );
    const sfocBoiler = sfocOf(
        SFOC_BOILER[auxSfocFuel],
        p.yearBuilt,
        'particulars.fuel',
        `boilers on ${auxFuel}`,
    );
    const meKind = engine === 'GT' ? 'GT' : engine === 'ST' ? 'ST' : 'recip';
    const tiers = [0, 1, 2, 3] as const;
    return {
        mainFuel,
        auxFuel,
        mainSfocFuel,
        auxSfocFuel,
        sfocBaseMain: sfocOf(
            SFOC_MAIN[engine][mainSfocFuel],
            p.yearBuilt,
            'particulars.engineType',
            `${engine} on ${mainFuel}`,
        ),
        sfocAux,
        sfocBoiler,
        sulphur,
        soxMain: soxPerTonne(mainFuel),
        soxAux: soxPerTonne(auxFuel),
        soxPilot: SOX_PER_SULPHUR * sulphur,
        cfMain: FUEL_PROPERTIES[mainFuel].cf,
        cfAux: FUEL_PROPERTIES[auxFuel].cf,
        noxMain: tiers.map((t) => noxGPerKwh(engine, mainSfocFuel, t)),
        noxAux: tiers.map((t) => noxGPerKwh('AE', auxSfocFuel, t)),
        noxBoiler: noxGPerKwh('boiler', auxSfocFuel, 0),
        pmMainFixed:
            meKind === 'recip' && mainSfocFuel !== 'LNG'
                ? NaN
                : pm10GPerKwh(meKind, mainSfocFuel, 0, sulphur),
        pmAux: pm10GPerKwh('recip', auxSfocFuel, sfocAux, sulphur),
        pmBoiler: pm10GPerKwh('boiler', auxSfocFuel, sfocBoiler, sulphur),
        ch4Main: ch4GPerKwh(engine, mainSfocFuel),
        ch4Aux: ch4GPerKwh('AE', auxSfocFuel),
        ch4Boiler: ch4GPerKwh('boiler', auxSfocFuel),
        n2oMain: n2oGPerKwh(engine, mainSfocFuel),
        n2oAux: n2oGPerKwh('AE', auxSfocFuel),
        n2oBoiler: n2oGPerKwh('boiler', auxSfocFuel),
    };
}

export function prepareVessel(p: Particulars): PreparedVessel {
    checkParticulars(p);
    const teu = p.teu ?? (p.shipType === 'container' ? p.dwt / 12 : 0);
    const size = sizeOf(p);
    const bin = AUX_POWER[p.shipType].bins.find((b) => size < b.upTo)!;
    return {
        particulars: p,
        deltaW: deltaW(p.shipType, teu),
        etaW: etaWeather(p.shipType, { dwt: p.dwt, gt: p.gt, teu }),
        auxKw: bin.aux,
        boilerKw: bin.boiler,
        loadDependentSfoc: LOAD_DEPENDENT_SFOC.has(p.engineType),
        pilotGPerKwh: PILOT_MDO_G_PER_KWH[p.engineType] ?? 0,
        yearTier: noxTierByYear(p.yearBuilt),
        states: [fuelState(p, false), fuelState(p, true)],
    };
}

/** Auxiliary engine and boiler power, kW (Table 17). */
export function auxiliaryPower(p: Particulars, mode: Mode): { auxiliary: number; boiler: number } {
    const v = prepareVessel(p);
    return { auxiliary: v.auxKw[MODE_INDEX[mode]], boiler: v.boilerKw[MODE_INDEX[mode]] };
}

/**
 * The numbers of one leg, written into a reusable scratch object (no allocation per leg: `emissionsDaily` runs
 * this once per fix interval). Emissions are in tonnes; index [engine * 6 + pollutant] with engines main,
 * auxiliary, boiler and pollutants in `POLLUTANTS` order.
 */
export class LegScratch {
    mode: Mode = 'sea';
    inSeca = false;
    speedRatio = 0;
    draughtFactor = 1;
    load = 0;
    sfocLoadFactor = 1;
    sfocMain = 0;
    powerMain = 0;
    powerAux = 0;
    powerBoiler = 0;
    energyMain = 0;
    energyAux = 0;
    energyBoiler = 0;
    /** Main-engine fuel without pilot, pilot MDO, auxiliary, boiler (t). */
    fuelMainPrimary = 0;
    pilot = 0;
    fuelAux = 0;
    fuelBoiler = 0;
    tier: NoxTier = 0;
    llNox = 1;
    llPm = 1;
    llCh4 = 1;
    readonly e = new Float64Array(18);
}

const G = 1e-6; // g -> t

/** Fuel and emissions of one leg into `s` (see LegScratch). */
export function computeLeg(
    v: PreparedVessel,
    hours: number,
    speedKn: number,
    draughtM: number | null | undefined,
    mode: Mode,
    inSeca: boolean,
    inNeca: boolean,
    necaTierIIIFromYear: number | undefined,
    s: LegScratch,
): void {
    const p = v.particulars;
    const st = v.states[inSeca ? 1 : 0];
    const mi = MODE_INDEX[mode];
    s.mode = mode;
    s.inSeca = inSeca;
    // Eq. 8: Load = delta_w (T/Td)^0.66 (V/Vd)^3 / (eta_w eta_f), capped at 1; off at berth and anchor
    const ratio = speedKn / p.designSpeedKn;
    const t = draughtM != null && draughtM > 0 ? draughtM : p.designDraughtM;
    const df = t === p.designDraughtM ? 1 : Math.pow(t / p.designDraughtM, DRAUGHT_EXPONENT);
    s.speedRatio = ratio;
    s.draughtFactor = df;
    const load =
        mode === 'berth' || mode === 'anchor'
            ? 0
            : Math.min(1, (v.deltaW * df * ratio * ratio * ratio) / (v.etaW * ETA_FOULING));
    s.load = load;
    const llf = v.loadDependentSfoc && load > 0 ? sfocLoadFactor(load) : 1;
    s.sfocLoadFactor = llf;
    const sfocMain = st.sfocBaseMain * llf;
    s.sfocMain = sfocMain;
    s.powerMain = load * p.mainEngineKw;
    s.powerAux = v.auxKw[mi];
    s.powerBoiler = v.boilerKw[mi];
    const eMain = s.powerMain * hours;
    const eAux = s.powerAux * hours;
    const eBoiler = s.powerBoiler * hours;
    s.energyMain = eMain;
    s.energyAux = eAux;
    s.energyBoiler = eBoiler;
    const fMain = (eMain * sfocMain) / 1e6;
    const pilot = (eMain * v.pilotGPerKwh) / 1e6;
    const fAux = (eAux * st.sfocAux) / 1e6;
    const fBoiler = (eBoiler * st.sfocBoiler) / 1e6;
    s.fuelMainPrimary = fMain;
    s.pilot = pilot;
    s.fuelAux = fAux;
    s.fuelBoiler = fBoiler;
    // Tier III only inside a NOx ECA for ships built in or after its Tier III year; elsewhere Tier II at most
    const tier: NoxTier =
        inNeca && p.yearBuilt >= (necaTierIIIFromYear ?? 2016) ? 3 : v.yearTier > 2 ? 2 : v.yearTier;
    s.tier = tier;
    const llNox = lowLoadFactor('NOx', load);
    const llPm = lowLoadFactor('PM', load);
    const llCh4 = lowLoadFactor('HC', load);
    s.llNox = llNox;
    s.llPm = llPm;
    s.llCh4 = llCh4;
    const pmMain = Number.isNaN(st.pmMainFixed)
        ? pm10GPerKwh('recip', st.mainSfocFuel, sfocMain, st.sulphur)
        : st.pmMainFixed;
    const e = s.e;
    e[0] = fMain * st.cfMain + pilot * FUEL_PROPERTIES.MDO.cf;
    e[1] = fMain * st.soxMain + pilot * st.soxPilot;
    e[2] = eMain * st.noxMain[tier]! * llNox * G;
    e[3] = eMain * pmMain * llPm * G;
    e[4] = eMain * st.ch4Main * llCh4 * G;
    e[5] = eMain * st.n2oMain * llNox * G; // N2O on the NOx low-load curve
    e[6] = fAux * st.cfAux;
    e[7] = fAux * st.soxAux;
    e[8] = eAux * st.noxAux[tier]! * G;
    e[9] = eAux * st.pmAux * G;
    e[10] = eAux * st.ch4Aux * G;
    e[11] = eAux * st.n2oAux * G;
    e[12] = fBoiler * st.cfAux;
    e[13] = fBoiler * st.soxAux;
    e[14] = eBoiler * st.noxBoiler * G;
    e[15] = eBoiler * st.pmBoiler * G;
    e[16] = eBoiler * st.ch4Boiler * G;
    e[17] = eBoiler * st.n2oBoiler * G;
}

function checkLeg(leg: Leg): void {
    if (!(Number.isFinite(leg.hours) && leg.hours >= 0))
        throw new EmissionInputError('hours', 'hours must be a number >= 0');
    if (!(Number.isFinite(leg.speedKn) && leg.speedKn >= 0))
        throw new EmissionInputError('speedKn', 'speedKn must be a number >= 0');
}

const emissionsAt = (e: Float64Array, engine: number): Emissions => ({
    co2: e[engine * 6]!,
    sox: e[engine * 6 + 1]!,
    nox: e[engine * 6 + 2]!,
    pm: e[engine * 6 + 3]!,
    ch4: e[engine * 6 + 4]!,
    n2o: e[engine * 6 + 5]!,
});

/** Fuel and emissions of one leg, with every intermediate value. */
export function legEmissions(p: Particulars, leg: Leg, prepared?: PreparedVessel): LegResult {
    const v = prepared ?? prepareVessel(p);
    checkLeg(leg);
    const inSeca = leg.inSeca === true;
    const mode = leg.mode ?? operatingMode(leg.speedKn, leg.navStatus);
    const s = new LegScratch();
    computeLeg(
        v,
        leg.hours,
        leg.speedKn,
        leg.draughtM,
        mode,
        inSeca,
        leg.inNeca === true,
        leg.necaTierIIIFromYear,
        s,
    );
    const st = v.states[inSeca ? 1 : 0];
    const emissionsByEngine: ByEngine<Emissions> = {
        main: emissionsAt(s.e, 0),
        auxiliary: emissionsAt(s.e, 1),
        boiler: emissionsAt(s.e, 2),
    };
    const emissions = {} as Emissions;
    POLLUTANTS.forEach((k, i) => {
        emissions[k] = s.e[i]! + s.e[6 + i]! + s.e[12 + i]!;
    });
    return {
        hours: leg.hours,
        mode,
        speedKn: leg.speedKn,
        speedRatio: s.speedRatio,
        draughtFactor: s.draughtFactor,
        deltaW: v.deltaW,
        etaW: v.etaW,
        etaF: ETA_FOULING,
        load: s.load,
        powerKw: { main: s.powerMain, auxiliary: s.powerAux, boiler: s.powerBoiler },
        energyKwh: { main: s.energyMain, auxiliary: s.energyAux, boiler: s.energyBoiler },
        fuelType: { main: st.mainFuel, auxiliary: st.auxFuel, boiler: st.auxFuel },
        sfoc: { main: s.sfocMain, auxiliary: st.sfocAux, boiler: st.sfocBoiler },
        sfocBaseMain: st.sfocBaseMain,
        sfocLoadFactor: s.sfocLoadFactor,
        fuelTonnes: { main: s.fuelMainPrimary + s.pilot, auxiliary: s.fuelAux, boiler: s.fuelBoiler },
        pilotMdoTonnes: s.pilot,
        sulphur: st.sulphur,
        noxTier: s.tier,
        lowLoad: { nox: s.llNox, pm: s.llPm, ch4: s.llCh4, n2o: s.llNox },
        emissionsByEngine,
        emissions,
    };
}
