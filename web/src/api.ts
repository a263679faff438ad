/**
 * The dashboard reads the same HTTP endpoints as any client. In Azure they need a function key: the user enters
 * it once (kept in this browser's localStorage) and it goes out as `x-functions-key`. Locally no key is needed.
 */
const KEY_STORAGE = 'maritime.functionKey';

export interface Vessel {
    mmsi: number;
    flag?: string;
    flagCountry?: string;
    position?: {
        eventTime: number;
        lat: number;
        lon: number;
        sog?: number;
        cog?: number;
        heading?: number;
        navStatusText?: string;
    };
    static?: {
        name?: string;
        shipTypeText?: string;
        shipCategory?: string;
        destination?: string;
        callSign?: string;
        imo?: number;
        length?: number;
    };
    lastSeen: number;
}

export interface Alert {
    id: string;
    kind: string;
    severity: 'info' | 'warning' | 'critical';
    mmsi: number;
    vessels: number[];
    time: number;
    position?: { lat: number; lon: number };
    details: Record<string, unknown>;
}

export interface TrackPoint {
    t: number;
    lat: number;
    lon: number;
    sog?: number;
    cog?: number;
}

/** GET /api/health (the `Health` schema of functions/apiSchemas.ts; test/unit/web/apiTypes.test.ts keeps them equal). */
export interface Health {
    status: string;
    /** When the probe this answer rests on started, epoch ms. */
    checkedAt: number;
    /** How old that probe was when the answer was given, ms (at most 30 s). */
    checkAgeMs: number;
    layers: Record<
        string,
        {
            lastWrite?: number;
            ageSeconds?: number;
            sources: Record<string, { lastWrite: number; ageSeconds: number }>;
        }
    >;
    dependencies: Record<string, { status: string; ms: number; error?: string }>;
}

export interface IngestRate {
    windowSeconds: number;
    /** The window, epoch ms. */
    from: number;
    to: number;
    sources: Record<string, { events: number; eventsPerSecond: number }>;
}

/**
 * The gold and compliance responses the panels read, as the endpoints serve them (functions/apiSchemas.ts and the
 * gold table columns in the README): snake_case gold columns, epoch-millisecond times.
 */
export interface GoldPage<Row> {
    from: string;
    to: string;
    items: Row[];
    continuation?: string;
}

/** A gold time column: epoch milliseconds (Cosmos JSON), or an ISO string from an older build. */
export type GoldTime = number | string | null;

/** GET /api/fleet/summary?date (gold fleet_daily). */
export interface FleetSummary {
    date: string;
    partial: boolean;
    vessels: number;
    distance_nm: number;
    fuel_t: number;
    co2_t: number;
    by_ship_category: Record<string, { vessels: number; distance_nm: number; fuel_t: number; co2_t: number }>;
    by_flag: Record<string, { vessels: number; distance_nm: number; fuel_t: number; co2_t: number }>;
}

/** One row of GET /api/dq?date (gold dq_daily): per layer (bronze, quarantine, silver) and source or silver table. */
export interface DqRow {
    date: string;
    layer: string;
    source: string;
    partial: boolean;
    built_at: GoldTime;
    batches: number | null;
    events: number | null;
    received: number | null;
    accepted: number | null;
    quarantined: number | null;
    quarantined_by_reason: Record<string, number> | string | null;
    duplicates: number | null;
    skipped: number | null;
    records: number | null;
    late_arrivals: number | null;
    newest_time: GoldTime;
    freshness_seconds: number | null;
}

export interface DqPage {
    date: string;
    items: DqRow[];
    continuation?: string;
}

export type CiiLetter = 'A' | 'B' | 'C' | 'D' | 'E';

export interface CiiRating {
    attained: number;
    required: number;
    ratio: number;
    rating: CiiLetter;
}

/** GET /api/vessels/{mmsi}/cii?year (and each item of /api/fleet/cii). */
export interface VesselCii {
    mmsi: number;
    imo: number | null;
    year: number;
    asOf: string;
    complete: boolean;
    applicable: boolean;
    reason?: string;
    ship: {
        ciiShipType: string | null;
        capacityUnit: string | null;
        dwt: number | null;
        gt: number | null;
        capacitySource: string | null;
    };
    inputs: {
        yearToDate?: {
            from: string;
            to: string;
            days: number;
            daysWithData: number;
            distanceNm: number;
            fuelTonnes: Record<string, number>;
        } | null;
        calculatorLine?: string | null;
    };
    yearToDate: CiiRating | null;
    projected: CiiRating | null;
}

/** GET /api/fleet/cii?year: the rating distribution (vessels per letter) and a page of vessels. */
export interface FleetCii {
    year: number;
    asOf: string;
    distribution: {
        yearToDate: Record<CiiLetter, number>;
        projected: Record<CiiLetter, number>;
        notRated: number;
    };
    items: VesselCii[];
    continuation?: string;
}

/** Gold vessel_daily row. */
export interface VesselDailyRow {
    date: string;
    partial: boolean;
    distance_nm: number | null;
    hours_underway: number | null;
    mean_sog_kn: number | null;
}

/** Gold emissions_daily row (tonnes). */
export interface EmissionsRow {
    date: string;
    partial: boolean;
    fuel_total_t: number | null;
    co2_t: number | null;
    sox_t: number | null;
    nox_t: number | null;
}

/** Gold port_calls row (a call that ended on `date`). */
export interface PortCallRow {
    date: string;
    locode: string;
    port_name: string | null;
    arrival: GoldTime;
    departure: GoldTime;
    hours_in_port: number | null;
    anchor_hours_before: number | null;
    status: string | null;
}

/** Gold voyages row (from one call's departure to the next call's arrival). */
export interface VoyageRow {
    date: string;
    from_locode: string | null;
    to_locode: string | null;
    departure: GoldTime;
    arrival: GoldTime;
    duration_hours: number | null;
    distance_nm: number | null;
    eta_error_hours: number | null;
    destination_match: boolean | null;
}

export class ApiError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
    }
}

type Listener = (needsKey: boolean) => void;
const authListeners: Listener[] = [];
export function onAuthProblem(listener: Listener): void {
    authListeners.push(listener);
}

export function functionKey(): string | null {
    return localStorage.getItem(KEY_STORAGE);
}

export function setFunctionKey(key: string): void {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
}

/** GET a JSON endpoint relative to the API base (`<base href>`); throws ApiError on a non-2xx status. */
export async function getJson<T>(path: string): Promise<T> {
    const key = functionKey();
    const response = await fetch(new URL(path, document.baseURI), {
        headers: key ? { 'x-functions-key': key } : {},
    });
    if (response.status === 401 || response.status === 403) for (const l of authListeners) l(true);
    if (!response.ok) {
        let message = response.statusText;
        try {
            message = ((await response.json()) as { message?: string }).message ?? message;
        } catch {
            // not JSON
        }
        throw new ApiError(response.status, message);
    }
    return (await response.json()) as T;
}

/**
 * For panels whose endpoints may not exist yet (gold, compliance): undefined when the route answers 404, so the
 * panel says "no data yet" instead of failing.
 */
export async function getOptional<T>(path: string): Promise<T | undefined> {
    try {
        return await getJson<T>(path);
    } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
    }
}

/** Every page of a paged endpoint (`{ items, continuation }`), up to `maxItems`. */
export async function getAllPages<T>(path: string, maxItems = 5000): Promise<T[]> {
    const items: T[] = [];
    let continuation: string | undefined;
    do {
        const sep = path.includes('?') ? '&' : '?';
        const page = await getJson<{ items: T[]; continuation?: string }>(
            continuation ? `${path}${sep}continuation=${encodeURIComponent(continuation)}` : path,
        );
        items.push(...page.items);
        continuation = page.continuation;
    } while (continuation && items.length < maxItems);
    return items;
}
