/**
 * Constant-time lookups over the compiled-in reference tables (MID, ship type, navigational status), and the port list.
 * The tables are indexed into dense arrays once at module load; lookups allocate nothing.
 */
import { MID_ROWS } from './mid.js';
import { NAV_STATUS_ROWS } from './navStatus.js';
import { PORT_ROWS } from './ports.js';
import { SHIP_TYPE_ROWS } from './shipTypes.js';

export interface FlagState {
    /** ISO 3166-1 alpha-2 of the territory (or of the administering state when ISO has none). */
    iso2: string;
    /** Country or territory name. */
    country: string;
}

/** Categories used by ship_types.tsv. */
export type ShipCategory =
    | 'not-available'
    | 'reserved'
    | 'high-speed'
    | 'fishing'
    | 'tug'
    | 'other'
    | 'military/law'
    | 'pleasure'
    | 'sar'
    | 'passenger'
    | 'cargo'
    | 'tanker';

export interface ShipTypeInfo {
    code: number;
    text: string;
    category: ShipCategory;
}

const flags: (FlagState | undefined)[] = new Array<FlagState | undefined>(1000).fill(undefined);
for (const [mid, iso2, country] of MID_ROWS) flags[mid] = Object.freeze({ iso2, country });

const shipTypes: ShipTypeInfo[] = SHIP_TYPE_ROWS.map(([code, text, category]) =>
    Object.freeze({ code, text, category: category as ShipCategory }),
);

const navStatuses: string[] = NAV_STATUS_ROWS.map(([, meaning]) => meaning);

/** Flag state of an allocated MID (201..775), else undefined. */
export function flagForMid(mid: number): FlagState | undefined {
    return flags[mid];
}

/** True when the MID is allocated by the ITU (present in the MID table). */
export function isAllocatedMid(mid: number): boolean {
    return flags[mid] !== undefined;
}

/**
 * Text and category of an AIS ship and cargo type. Codes 100..255 (the field has 8 bits; they occur in the
 * wild) are treated like 0, "not available", as GPSD advises. Undefined for anything else.
 */
export function shipTypeInfo(code: number): ShipTypeInfo | undefined {
    const info = shipTypes[code];
    if (info !== undefined) return info;
    return Number.isInteger(code) && code >= 100 && code <= 255 ? shipTypes[0] : undefined;
}

/** Meaning of an AIS navigational status code 0..15, else undefined. */
export function navStatusText(code: number): string | undefined {
    return navStatuses[code];
}

/** A port of the one port list (`shared/data/ports.tsv`): used by gold port calls, compliance and the simulator. */
export interface PortEntry {
    /** UN/LOCODE without the space, e.g. `NLRTM`. */
    locode: string;
    name: string;
    /** ISO 3166-1 alpha-2 of the port's country. */
    iso2: string;
    /** Position, decimal degrees (the World Port Index reference point). */
    lat: number;
    lon: number;
    /** The port area (NM): a vessel stopped within it has arrived (gold port calls). */
    radiusNm: number;
    /** Where the entry comes from (the World Port Index entry). */
    source: string;
}

const ports: readonly PortEntry[] = Object.freeze(
    PORT_ROWS.map(([locode, name, iso2, lat, lon, radiusNm, source]) =>
        Object.freeze({ locode, name, iso2, lat, lon, radiusNm, source }),
    ),
);

/** The port list, in file order: the one loader of `shared/data/ports.tsv` (compiled in). */
export function portList(): readonly PortEntry[] {
    return ports;
}
