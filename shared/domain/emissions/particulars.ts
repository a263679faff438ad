/**
 * Vessel particulars for the emission model: from the user's particulars file (CSV keyed by IMO or MMSI, parsed
 * here; the adapter reads the file), otherwise estimated from the AIS ship type and dimensions.
 *
 * File format (header row required, columns in any order, `#` lines are comments, blank optional cells allowed):
 *   imo,mmsi,ship_type,dwt,gt,main_engine_kw,design_speed_kn,design_draught_m,engine_type,fuel,year_built[,teu,cbm,cii_ship_type,name]
 * ship_type: a 4th GHG Study class (GHG_SHIP_TYPES); engine_type: ENGINE_TYPES; fuel: HFO, LFO, MDO, MGO, LNG,
 * methanol; cii_ship_type: a CII ship type (snake case, as the CII calculator takes). A row needs imo or mmsi.
 * A blank cell of a row is estimated like a vessel without a row, and the field is listed in `estimatedFields`.
 */
import { type CiiShipType, isCiiShipType } from '../cii/cii.js';
import { splitCsvFields } from '../formats/csvFields.js';
import { type Fuel } from '../fuel/fuels.js';
import { ENGINE_TYPES, type EngineType, GHG_SHIP_TYPES, type GhgShipType } from './tables.js';

/** Fuels the model has SFOC values for (4th GHG Study Table 19 columns). */
export const MODEL_FUELS = ['HFO', 'LFO', 'MDO', 'MGO', 'LNG', 'methanol'] as const satisfies readonly Fuel[];
export type ModelFuel = (typeof MODEL_FUELS)[number];

export interface Particulars {
    shipType: GhgShipType;
    /** Deadweight, t. */
    dwt: number;
    /** Gross tonnage. */
    gt: number;
    /** Container capacity, TEU (container ships; Table 17 bins). */
    teu?: number;
    /** Cargo tank capacity, m3 (liquefied gas tankers; Table 17 bins). */
    cbm?: number;
    /** Installed main-engine power (MCR), kW. */
    mainEngineKw: number;
    /** Design (reference) speed, knots. */
    designSpeedKn: number;
    /** Design (summer load) draught, m. */
    designDraughtM: number;
    engineType: EngineType;
    /** Main fuel. */
    fuel: ModelFuel;
    yearBuilt: number;
    /** The CII ship type, when the vessel is one CII applies to. */
    ciiShipType?: CiiShipType;
}

export interface ResolvedParticulars extends Particulars {
    /** `file`: a row of the particulars file was found; `estimated`: none, all fields estimated. */
    source: 'file' | 'estimated';
    /** Fields that were estimated (all of them when `source` is `estimated`). */
    estimatedFields: string[];
}

export type PartialParticulars = Partial<Particulars> & { imo?: number; mmsi?: number };

export interface ParticularsTable {
    byImo: ReadonlyMap<number, PartialParticulars>;
    byMmsi: ReadonlyMap<number, PartialParticulars>;
}

export interface ParticularsParseError {
    line: number;
    field: string;
    message: string;
}

const NUMERIC: Record<string, keyof Particulars | 'imo' | 'mmsi'> = {
    imo: 'imo',
    mmsi: 'mmsi',
    dwt: 'dwt',
    gt: 'gt',
    teu: 'teu',
    cbm: 'cbm',
    main_engine_kw: 'mainEngineKw',
    design_speed_kn: 'designSpeedKn',
    design_draught_m: 'designDraughtM',
    year_built: 'yearBuilt',
};

const isIn = <T extends string>(list: readonly T[], v: string): v is T =>
    (list as readonly string[]).includes(v);

/**
 * Parses a particulars CSV. Bad cells are reported (line, field, message) and left out; the rest of the row and
 * the file are kept. Later rows for the same IMO or MMSI replace earlier ones.
 */
export function parseParticularsCsv(text: string): {
    table: ParticularsTable;
    errors: ParticularsParseError[];
} {
    const byImo = new Map<number, PartialParticulars>();
    const byMmsi = new Map<number, PartialParticulars>();
    const errors: ParticularsParseError[] = [];
    const lines = text.split(/\r?\n/);
    let header: string[] | undefined;
    for (let i = 0; i < lines.length; i++) {
        const raw = lines[i]!;
        if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
        const cells = splitCsvFields(raw).fields.map((s) => s.trim());
        if (header === undefined) {
            header = cells.map((h) => h.toLowerCase());
            if (!header.includes('imo') && !header.includes('mmsi'))
                errors.push({
                    line: i + 1,
                    field: 'imo',
                    message: 'the header needs an imo or an mmsi column',
                });
            continue;
        }
        const row: PartialParticulars = {};
        const bad = (field: string, message: string): void => {
            errors.push({ line: i + 1, field, message });
        };
        header.forEach((name, col) => {
            const v = cells[col] ?? '';
            if (v === '') return;
            const key = NUMERIC[name];
            if (key !== undefined) {
                const n = Number(v);
                if (!Number.isFinite(n) || n <= 0) bad(name, `${name} must be a positive number, got '${v}'`);
                else (row as Record<string, number>)[key] = n;
                return;
            }
            switch (name) {
                case 'ship_type':
                    if (isIn(GHG_SHIP_TYPES, v)) row.shipType = v;
                    else bad(name, `unknown ship_type '${v}' (one of ${GHG_SHIP_TYPES.join(', ')})`);
                    return;
                case 'engine_type':
                    if (isIn(ENGINE_TYPES, v)) row.engineType = v;
                    else bad(name, `unknown engine_type '${v}' (one of ${ENGINE_TYPES.join(', ')})`);
                    return;
                case 'fuel':
                    if (isIn(MODEL_FUELS, v)) row.fuel = v;
                    else bad(name, `unknown fuel '${v}' (one of ${MODEL_FUELS.join(', ')})`);
                    return;
                case 'cii_ship_type':
                    if (isCiiShipType(v)) row.ciiShipType = v;
                    else bad(name, `unknown cii_ship_type '${v}'`);
                    return;
                default:
                    return; // name and any extra columns are ignored
            }
        });
        if (row.imo === undefined && row.mmsi === undefined) {
            bad('imo', 'a row needs an imo or an mmsi');
            continue;
        }
        if (row.imo !== undefined) byImo.set(row.imo, row);
        if (row.mmsi !== undefined) byMmsi.set(row.mmsi, row);
    }
    return { table: { byImo, byMmsi }, errors };
}

/** The file row of a vessel: by IMO first (it survives a change of flag and MMSI), then by MMSI. */
export function lookupParticulars(
    table: ParticularsTable | undefined,
    id: { imo?: number | null; mmsi?: number | null },
): PartialParticulars | undefined {
    if (table === undefined) return undefined;
    if (id.imo != null && id.imo > 0) {
        const r = table.byImo.get(id.imo);
        if (r !== undefined) return r;
    }
    return id.mmsi != null ? table.byMmsi.get(id.mmsi) : undefined;
}

// ------------------------------------------------------------------------------------------------ estimation

/** What AIS tells about a vessel without a particulars row. */
export interface AisVesselFacts {
    /** AIS ship and cargo type (0..99). */
    shipTypeCode?: number | null;
    /** Length overall (to_bow + to_stern), m. */
    lengthM?: number | null;
    /** Beam (to_port + to_starboard), m. */
    beamM?: number | null;
    /** Largest reported draught, m. */
    draughtM?: number | null;
}

interface ClassDefaults {
    lengthM: number;
    beamRatio: number;
    draughtRatio: number;
    /** Block coefficient. */
    cb: number;
    /** DWT / displacement. */
    dwtShare: number;
    /** Moulded volume (for GT) / (L B T). */
    volumeFactor: number;
    designSpeedKn: number;
}

/**
 * Our own defaults per class for estimating particulars (assumption, README "Particulars"): hull form from
 * typical ships of the class, the service speed the class usually has. Not from the 4th GHG Study, which fills
 * gaps from the IHS register by regression on size.
 */
const DEFAULTS: Readonly<Record<GhgShipType, ClassDefaults>> = {
    bulk_carrier: {
        lengthM: 190,
        beamRatio: 0.16,
        draughtRatio: 0.065,
        cb: 0.82,
        dwtShare: 0.84,
        volumeFactor: 1.55,
        designSpeedKn: 14,
    },
    chemical_tanker: {
        lengthM: 150,
        beamRatio: 0.17,
        draughtRatio: 0.065,
        cb: 0.8,
        dwtShare: 0.8,
        volumeFactor: 1.5,
        designSpeedKn: 14,
    },
    container: {
        lengthM: 250,
        beamRatio: 0.14,
        draughtRatio: 0.05,
        cb: 0.65,
        dwtShare: 0.7,
        volumeFactor: 2.0,
        designSpeedKn: 20,
    },
    general_cargo: {
        lengthM: 120,
        beamRatio: 0.16,
        draughtRatio: 0.06,
        cb: 0.72,
        dwtShare: 0.72,
        volumeFactor: 1.6,
        designSpeedKn: 14,
    },
    liquefied_gas_tanker: {
        lengthM: 230,
        beamRatio: 0.16,
        draughtRatio: 0.05,
        cb: 0.75,
        dwtShare: 0.65,
        volumeFactor: 2.0,
        designSpeedKn: 17,
    },
    oil_tanker: {
        lengthM: 200,
        beamRatio: 0.17,
        draughtRatio: 0.065,
        cb: 0.82,
        dwtShare: 0.84,
        volumeFactor: 1.5,
        designSpeedKn: 14,
    },
    other_liquids_tanker: {
        lengthM: 100,
        beamRatio: 0.17,
        draughtRatio: 0.06,
        cb: 0.78,
        dwtShare: 0.75,
        volumeFactor: 1.5,
        designSpeedKn: 12,
    },
    ferry_pax: {
        lengthM: 60,
        beamRatio: 0.2,
        draughtRatio: 0.05,
        cb: 0.55,
        dwtShare: 0.25,
        volumeFactor: 3.5,
        designSpeedKn: 18,
    },
    cruise: {
        lengthM: 280,
        beamRatio: 0.12,
        draughtRatio: 0.028,
        cb: 0.65,
        dwtShare: 0.2,
        volumeFactor: 6.0,
        designSpeedKn: 21,
    },
    ferry_ropax: {
        lengthM: 160,
        beamRatio: 0.16,
        draughtRatio: 0.04,
        cb: 0.6,
        dwtShare: 0.3,
        volumeFactor: 4.0,
        designSpeedKn: 20,
    },
    refrigerated_bulk: {
        lengthM: 140,
        beamRatio: 0.16,
        draughtRatio: 0.06,
        cb: 0.65,
        dwtShare: 0.65,
        volumeFactor: 1.8,
        designSpeedKn: 18,
    },
    ro_ro: {
        lengthM: 160,
        beamRatio: 0.16,
        draughtRatio: 0.045,
        cb: 0.6,
        dwtShare: 0.5,
        volumeFactor: 3.0,
        designSpeedKn: 18,
    },
    vehicle: {
        lengthM: 200,
        beamRatio: 0.16,
        draughtRatio: 0.045,
        cb: 0.6,
        dwtShare: 0.45,
        volumeFactor: 4.5,
        designSpeedKn: 19,
    },
    yacht: {
        lengthM: 15,
        beamRatio: 0.3,
        draughtRatio: 0.1,
        cb: 0.45,
        dwtShare: 0.2,
        volumeFactor: 2.0,
        designSpeedKn: 15,
    },
    service_tug: {
        lengthM: 32,
        beamRatio: 0.33,
        draughtRatio: 0.13,
        cb: 0.55,
        dwtShare: 0.35,
        volumeFactor: 2.0,
        designSpeedKn: 12,
    },
    fishing: {
        lengthM: 40,
        beamRatio: 0.24,
        draughtRatio: 0.1,
        cb: 0.55,
        dwtShare: 0.4,
        volumeFactor: 2.0,
        designSpeedKn: 11,
    },
    offshore: {
        lengthM: 80,
        beamRatio: 0.22,
        draughtRatio: 0.08,
        cb: 0.65,
        dwtShare: 0.55,
        volumeFactor: 2.0,
        designSpeedKn: 13,
    },
    service_other: {
        lengthM: 40,
        beamRatio: 0.25,
        draughtRatio: 0.08,
        cb: 0.55,
        dwtShare: 0.35,
        volumeFactor: 2.0,
        designSpeedKn: 12,
    },
    misc_other: {
        lengthM: 60,
        beamRatio: 0.2,
        draughtRatio: 0.07,
        cb: 0.6,
        dwtShare: 0.45,
        volumeFactor: 2.0,
        designSpeedKn: 12,
    },
};

/**
 * 4th GHG Study class from the AIS ship type. AIS cannot tell bulk from general cargo or oil from gas tankers
 * (reference §1.6): cargo ships of 250 m or more are taken as container ships, other cargo ships as general
 * cargo, tankers as oil tankers, passenger ships of 200 m or more as cruise ships, others as ro-pax ferries.
 */
export function ghgClassFromAis(
    code: number | null | undefined,
    lengthM: number | null | undefined,
): GhgShipType {
    const c = code ?? 0;
    const len = lengthM ?? 0;
    if (c === 30) return 'fishing';
    if (c === 31 || c === 32 || c === 52) return 'service_tug';
    if (c === 36 || c === 37) return 'yacht';
    if (c >= 40 && c <= 49) return 'ferry_pax';
    if (c >= 60 && c <= 69) return len >= 200 ? 'cruise' : 'ferry_ropax';
    if (c >= 70 && c <= 79) return len >= 250 ? 'container' : 'general_cargo';
    if (c >= 80 && c <= 89) return 'oil_tanker';
    if (c === 33 || c === 34 || (c >= 50 && c <= 59)) return 'service_other';
    return 'misc_other';
}

/** The CII ship type of a 4th GHG Study class; undefined for classes CII does not rate. */
export function ciiShipTypeFor(type: GhgShipType): CiiShipType | undefined {
    switch (type) {
        case 'bulk_carrier':
            return 'bulk_carrier';
        case 'chemical_tanker':
        case 'oil_tanker':
        case 'other_liquids_tanker':
            return 'tanker';
        case 'container':
            return 'container_ship';
        case 'general_cargo':
            return 'general_cargo_ship';
        case 'liquefied_gas_tanker':
            return 'gas_carrier';
        case 'refrigerated_bulk':
            return 'refrigerated_cargo_carrier';
        case 'ro_ro':
            return 'ro_ro_cargo_ship';
        case 'vehicle':
            return 'ro_ro_cargo_ship_vehicle_carrier';
        case 'ferry_ropax':
            return 'ro_ro_passenger_ship';
        case 'cruise':
            return 'cruise_passenger_ship';
        default:
            return undefined;
    }
}

/** Admiralty coefficient (kW form) used to size the main engine: MCR = displacement^(2/3) V^3 / C (assumption). */
export const ADMIRALTY_COEFFICIENT = 450;
/** Build year assumed when unknown: Table 19's newest age band and Tier I NOx (assumption). */
export const DEFAULT_YEAR_BUILT = 2010;

/**
 * Fills every missing field: hull from the AIS dimensions and the class defaults, displacement = Cb L B T x 1.025,
 * DWT = share x displacement, GT = (0.2 + 0.02 log10 V) V (Tonnage Convention 1969, reg. 3) on an estimated
 * moulded volume V, MCR by the admiralty formula at the design speed, engine SSD from 180 m or 10 MW, MSD from
 * 50 m, else HSD; SSD, and MSD of 2 MW or more, on HFO; smaller engines on MDO.
 */
export function resolveParticulars(
    fromFile: PartialParticulars | undefined,
    ais: AisVesselFacts = {},
): ResolvedParticulars {
    const f = fromFile ?? {};
    const estimated: string[] = [];
    const est = <T>(field: string, value: T | undefined, make: () => T): T => {
        if (value !== undefined) return value;
        estimated.push(field);
        return make();
    };
    const positive = (v: number | null | undefined): number | undefined =>
        v != null && v > 0 ? v : undefined;
    const shipType = est('shipType', f.shipType, () => ghgClassFromAis(ais.shipTypeCode, ais.lengthM));
    const d = DEFAULTS[shipType];
    const lengthM = positive(ais.lengthM) ?? d.lengthM;
    const beamM = positive(ais.beamM) ?? lengthM * d.beamRatio;
    const designDraughtM = est(
        'designDraughtM',
        f.designDraughtM,
        () => positive(ais.draughtM) ?? lengthM * d.draughtRatio,
    );
    const displacement = d.cb * lengthM * beamM * designDraughtM * 1.025;
    const dwt = est('dwt', f.dwt, () => Math.round(d.dwtShare * displacement));
    const gt = est('gt', f.gt, () => {
        const v = lengthM * beamM * designDraughtM * d.volumeFactor;
        return Math.round((0.2 + 0.02 * Math.log10(v)) * v);
    });
    const designSpeedKn = est('designSpeedKn', f.designSpeedKn, () => d.designSpeedKn);
    const mainEngineKw = est('mainEngineKw', f.mainEngineKw, () =>
        Math.round((Math.pow(displacement, 2 / 3) * designSpeedKn ** 3) / ADMIRALTY_COEFFICIENT),
    );
    const engineType = est('engineType', f.engineType, (): EngineType =>
        lengthM >= 180 || mainEngineKw >= 10_000 ? 'SSD' : lengthM >= 50 ? 'MSD' : 'HSD',
    );
    const fuel = est('fuel', f.fuel, (): ModelFuel =>
        engineType.startsWith('LNG') || engineType === 'LBSI'
            ? 'LNG'
            : engineType === 'SSD' || (engineType === 'MSD' && mainEngineKw >= 2_000)
              ? 'HFO'
              : 'MDO',
    );
    const yearBuilt = est('yearBuilt', f.yearBuilt, () => DEFAULT_YEAR_BUILT);
    const out: ResolvedParticulars = {
        shipType,
        dwt,
        gt,
        mainEngineKw,
        designSpeedKn,
        designDraughtM,
        engineType,
        fuel,
        yearBuilt,
        source: fromFile === undefined ? 'estimated' : 'file',
        estimatedFields: estimated,
    };
    if (shipType === 'container') out.teu = est('teu', f.teu, () => Math.round(dwt / 12));
    if (shipType === 'liquefied_gas_tanker') out.cbm = est('cbm', f.cbm, () => Math.round(dwt * 1.6));
    const cii = f.ciiShipType ?? ciiShipTypeFor(shipType);
    if (cii !== undefined) out.ciiShipType = cii;
    return out;
}
