/**
 * Query use cases behind the HTTP endpoints. Parameters are parsed and checked here (pure), so every bad
 * parameter gets a 400 with a message that names the parameter, what was expected and what was given.
 */
import { type Alert, ALERT_KINDS, ALERT_SEVERITIES } from '../domain/alerts/alert.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { datePartition } from './lakePaths.js';
import {
    oneOf,
    type Params,
    parseBbox,
    parseContinuation,
    parseLimit,
    parseMmsi,
    parseOptionalMmsi,
    parseTime,
} from './params.js';
import type {
    AlertStore,
    LakeReader,
    SensorStateStore,
    TrackPoint,
    VesselState,
    VesselStateStore,
} from './ports.js';

export type { Params } from './params.js';
export { parseBbox, parseLimit, parseMmsi, parseTime } from './params.js';

/** Longest track window one request may ask for. */
const MAX_TRACK_WINDOW_MS = 31 * 24 * 3_600_000;

/** The vessel as the API shows it: without the store's bookkeeping (etag, per-field static times). */
export function toPublicVessel(state: VesselState): VesselState {
    const { etag: _etag, ...rest } = state as VesselState & { etag?: string };
    if (rest.static?.fieldTimes === undefined && rest.static?.fieldSince === undefined) return rest;
    const { fieldTimes: _times, fieldSince: _since, ...staticData } = rest.static;
    return { ...rest, static: staticData };
}

export interface VesselPage {
    items: VesselState[];
    continuation?: string;
}

export async function listVessels(params: Params, store: VesselStateStore): Promise<VesselPage> {
    const bbox = parseBbox(params('bbox'));
    const updatedSince = parseTime('updatedSince', params('updatedSince'));
    const category = params('category') || undefined;
    if (category !== undefined && !/^[a-z-]{1,40}$/.test(category)) {
        throw new ValidationError(
            `'category' must be a ship category such as 'cargo' or 'tanker'; got '${category}'.`,
        );
    }
    const continuation = parseContinuation(params('continuation'));
    const page = await store.queryVessels({
        bbox,
        updatedSince,
        shipCategory: category || undefined,
        limit: parseLimit(params('limit')),
        continuation,
    });
    return { ...page, items: page.items.map(toPublicVessel) };
}

/**
 * A 404 for a vessel never seen, as on `/vessels/{mmsi}`: called by the per-vessel routes only when they found
 * nothing, so a known vessel costs no extra read.
 */
/** 404 (NotFoundError) when the vessel store has never seen the MMSI. */
export async function assertVesselKnown(
    mmsi: number,
    store: Pick<VesselStateStore, 'getStates'>,
): Promise<void> {
    if (!(await store.getStates([mmsi])).has(mmsi))
        throw new NotFoundError(`No vessel with MMSI ${mmsi} has been seen.`);
}

export async function queryVessel(
    mmsiParam: string | undefined,
    store: VesselStateStore,
): Promise<VesselState> {
    const mmsi = parseMmsi(mmsiParam);
    const state = (await store.getStates([mmsi])).get(mmsi);
    if (!state) throw new NotFoundError(`No vessel with MMSI ${mmsi} has been seen.`);
    return toPublicVessel(state);
}

export async function queryVesselTrack(
    mmsiParam: string | undefined,
    params: Params,
    store: VesselStateStore,
    now: number,
): Promise<{ mmsi: number; from: number; to: number; points: TrackPoint[] }> {
    const mmsi = parseMmsi(mmsiParam);
    const to = parseTime('to', params('to')) ?? now;
    const from = parseTime('from', params('from')) ?? to - 24 * 3_600_000;
    if (from > to) throw new ValidationError(`'from' must not be after 'to'.`);
    if (to - from > MAX_TRACK_WINDOW_MS) {
        throw new ValidationError(`The track window may span at most 31 days; ask for several windows.`);
    }
    const points = await store.getTrack(mmsi, from, to);
    if (points.length === 0) await assertVesselKnown(mmsi, store);
    return { mmsi, from, to, points };
}

/** GET /api/alerts?since&kind&severity&mmsi&limit&continuation: newest first. */
export async function listAlerts(
    params: Params,
    store: AlertStore,
): Promise<{ items: Alert[]; continuation?: string }> {
    return store.query({
        since: parseTime('since', params('since')),
        kind: oneOf('kind', params('kind'), ALERT_KINDS),
        severity: oneOf('severity', params('severity'), ALERT_SEVERITIES),
        mmsi: parseOptionalMmsi(params('mmsi')),
        limit: parseLimit(params('limit')),
        continuation: parseContinuation(params('continuation')),
    });
}

export interface VesselSensor {
    sensorId: string;
    quantity: string;
    unit: string;
    latest: { value: number; eventTime: number; position?: { lat: number; lon: number } };
    /** Running statistics: readings applied, exponentially weighted mean and standard deviation. */
    stats: { n: number; mean: number; std: number };
}

/** GET /api/vessels/{mmsi}/sensors: the latest reading and running statistics of every sensor of the vessel (404 for a vessel never seen). */
export async function queryVesselSensors(
    mmsiParam: string | undefined,
    store: SensorStateStore,
    vessels: Pick<VesselStateStore, 'getStates'>,
): Promise<{ mmsi: number; sensors: VesselSensor[] }> {
    const mmsi = parseMmsi(mmsiParam);
    const states = await store.forVessel(`mmsi:${mmsi}`);
    // A vessel with sensors but no AIS yet is known; one with neither is a 404.
    if (states.length === 0) await assertVesselKnown(mmsi, vessels);
    const sensors = states
        .map((s) => ({
            sensorId: s.sensorId,
            quantity: s.quantity,
            unit: s.unit,
            latest: s.latest,
            stats: { n: s.stats.n, mean: s.stats.mean, std: Math.sqrt(s.stats.variance) },
        }))
        .sort((a, b) => a.sensorId.localeCompare(b.sensorId) || a.quantity.localeCompare(b.quantity));
    return { mmsi, sensors };
}

export interface IngestRate {
    windowSeconds: number;
    from: number;
    to: number;
    /** Per source (`ais`, `sensors`): events landed in bronze in the window, and per second. */
    sources: Record<string, { events: number; eventsPerSecond: number }>;
}

/** Events in a bronze blob, from its name `{partition}-{firstSeq}-{lastSeq}.jsonl.gz` (0 when it does not parse). */
export function eventsInBronzeBlob(path: string): number {
    const m = /(?:^|\/)[^/-]+-(\d+)-(\d+)\.jsonl\.gz$/.exec(path);
    return m ? Number(m[2]) - Number(m[1]) + 1 : 0;
}

/**
 * `GET /api/ingest/rate`: events per second now, per source, from the bronze blobs written in the last
 * `windowMs`. Every batch lands as one bronze blob named by its partition and sequence range, so the names give
 * the event counts without reading anything: one listing of the current hour's prefix per source (two around
 * the hour), bounded by the hour's batches. Kept out of `/api/health`, which stays a constant-cost probe.
 */
export async function measureIngestRate(
    lake: LakeReader,
    now: number,
    windowMs = 60_000,
    sources: readonly string[] = ['ais', 'sensors'],
): Promise<IngestRate> {
    const from = now - windowMs;
    const hours = [...new Set([datePartition(from), datePartition(now)])];
    const result: IngestRate = { windowSeconds: windowMs / 1000, from, to: now, sources: {} };
    await Promise.all(
        sources.map(async (source) => {
            const lists = await Promise.all(hours.map((h) => lake.list('bronze', `${source}/${h}/`)));
            let events = 0;
            for (const blob of lists.flat())
                if (blob.lastModified > from) events += eventsInBronzeBlob(blob.path);
            result.sources[source] = {
                events,
                eventsPerSecond: Math.round((events / (windowMs / 1000)) * 10) / 10,
            };
        }),
    );
    return result;
}
