/**
 * The dashboard reads the same HTTP endpoints as any client. In Azure they need a function key: the user enters
 * it once (kept in this browser's localStorage) and it goes out as `x-functions-key`. Locally no key is needed.
 */
const KEY_STORAGE = 'maritime.functionKey';

export interface Vessel {
    mmsi: number;
    flag?: string;
    flagCountry?: string;
    position?: { eventTime: number; lat: number; lon: number; sog?: number; cog?: number; heading?: number; navStatusText?: string };
    static?: { name?: string; shipTypeText?: string; shipCategory?: string; destination?: string; callSign?: string; imo?: number; length?: number };
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

export interface Health {
    status: string;
    layers: Record<string, { lastWrite?: number; ageSeconds?: number; sources: Record<string, { lastWrite: number; ageSeconds: number }> }>;
    dependencies: Record<string, { status: string; ms: number }>;
}

export interface IngestRate {
    windowSeconds: number;
    sources: Record<string, { events: number; eventsPerSecond: number }>;
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
    const response = await fetch(new URL(path, document.baseURI), { headers: key ? { 'x-functions-key': key } : {} });
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
        const page = await getJson<{ items: T[]; continuation?: string }>(continuation ? `${path}${sep}continuation=${encodeURIComponent(continuation)}` : path);
        items.push(...page.items);
        continuation = page.continuation;
    } while (continuation && items.length < maxItems);
    return items;
}
