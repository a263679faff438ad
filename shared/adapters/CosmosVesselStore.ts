/**
 * Vessel hot state in Cosmos DB, container `vessels` (partition key `/mmsi`, a number). One logical partition per
 * vessel holds its state document (`id: 'state'`) and its hourly track buckets (`id: 'track-<YYYYMMDDHH>'`, one
 * document per vessel-hour holding every point of that hour, per-item `ttl`), so one transactional batch per vessel
 * writes both. Every document is written only if unchanged since it was read (Create / Replace with `ifMatch`);
 * the caller merges and retries on `conflict`.
 *
 * The container needs `defaultTtl: -1` (TTL on, items expire only when they carry `ttl`); without it the item
 * `ttl` is ignored.
 */
import type {
    Container,
    FeedOptions,
    JSONObject,
    OperationInput,
    SqlParameter,
    SqlQuerySpec,
} from '@azure/cosmos';

import type {
    StoredTrackBucket,
    StoredVessel,
    StoredVesselState,
    TrackPoint,
    VesselQuery,
    VesselState,
    VesselStateStore,
    VesselWrite,
    VesselWriteResult,
} from '../app/ports.js';
import { DependencyError, PipelineError, ValidationError } from '../errors.js';
import { fromSdkError, isTransientStatus, statusOf } from './fromSdkError.js';

export interface CosmosVesselStoreOptions {
    /** Days track buckets live (item `ttl`). */
    trackTtlDays: number;
    /** Vessels written in parallel by `write` (default 16). */
    concurrency?: number;
}

/** Cosmos transactional batches take at most 100 operations. */
export const MAX_BATCH_OPERATIONS = 100;
/** ARRAY_CONTAINS parameter size per query in `getStates` and `getVessels`. */
export const MAX_MMSIS_PER_QUERY = 1000;
const HOUR_MS = 3_600_000;
const STATE_ID = 'state';
const SYSTEM_FIELDS = [
    'id',
    'docType',
    'ttl',
    '_rid',
    '_self',
    '_etag',
    '_attachments',
    '_ts',
    '_lsn',
] as const;

interface StateDocument extends VesselState {
    id: typeof STATE_ID;
    docType: 'state';
    _etag?: string;
}

interface TrackDocument {
    id: string;
    docType: 'track';
    mmsi: number;
    hourStart: number;
    points: TrackPoint[];
    ttl: number;
    _etag?: string;
}

/** `track-<YYYYMMDDHH>` of the UTC hour containing `hourStart`. */
export function trackBucketId(hourStart: number): string {
    const iso = new Date(hourStart).toISOString(); // YYYY-MM-DDTHH:...
    return `track-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}`;
}

export class CosmosVesselStore implements VesselStateStore {
    readonly #container: Container;
    readonly #ttlSeconds: number;
    readonly #concurrency: number;
    #requests = 0;
    #requestCharge = 0;

    constructor(container: Container, options: CosmosVesselStoreOptions) {
        if (!(options.trackTtlDays > 0)) throw new ValidationError('trackTtlDays must be > 0');
        this.#container = container;
        this.#ttlSeconds = Math.max(1, Math.round(options.trackTtlDays * 86_400));
        this.#concurrency = Math.max(1, options.concurrency ?? 16);
    }

    /** Cosmos requests made by this store (query pages and transactional batches; SDK retries not included). */
    get requestCount(): number {
        return this.#requests;
    }

    /** Request units charged so far (the local server reports 1 per request). */
    get requestCharge(): number {
        return this.#requestCharge;
    }

    async getStates(mmsis: readonly number[]): Promise<Map<number, StoredVesselState>> {
        const unique = [...new Set(mmsis)];
        const out = new Map<number, StoredVesselState>();
        for (let i = 0; i < unique.length; i += MAX_MMSIS_PER_QUERY) {
            const chunk = unique.slice(i, i + MAX_MMSIS_PER_QUERY);
            const query: SqlQuerySpec = {
                query: "SELECT * FROM c WHERE c.docType = 'state' AND ARRAY_CONTAINS(@mmsis, c.mmsi)",
                parameters: [{ name: '@mmsis', value: chunk }],
            };
            const docs = await this.#queryAll<StateDocument>(
                query,
                { maxItemCount: MAX_MMSIS_PER_QUERY },
                'getStates',
            );
            for (const doc of docs) out.set(doc.mmsi, { ...toVesselState(doc), etag: doc._etag ?? '' });
        }
        return out;
    }

    async getVessels(mmsis: readonly number[], hours: readonly number[]): Promise<Map<number, StoredVessel>> {
        const unique = [...new Set(mmsis)];
        const hourList = [...new Set(hours)];
        const out = new Map<number, StoredVessel>();
        const entry = (mmsi: number): StoredVessel => {
            let vessel = out.get(mmsi);
            if (vessel === undefined) {
                vessel = { buckets: new Map() };
                out.set(mmsi, vessel);
            }
            return vessel;
        };
        for (let i = 0; i < unique.length; i += MAX_MMSIS_PER_QUERY) {
            const chunk = unique.slice(i, i + MAX_MMSIS_PER_QUERY);
            const query: SqlQuerySpec = {
                query:
                    'SELECT * FROM c WHERE ARRAY_CONTAINS(@mmsis, c.mmsi) AND (c.docType = @state' +
                    ' OR (c.docType = @track AND ARRAY_CONTAINS(@hours, c.hourStart)))',
                parameters: [
                    { name: '@mmsis', value: chunk },
                    { name: '@hours', value: hourList },
                    { name: '@state', value: 'state' },
                    { name: '@track', value: 'track' },
                ],
            };
            // One page for the whole chunk where the service allows it (it still cuts pages at ~4 MB).
            const maxItemCount = Math.max(MAX_MMSIS_PER_QUERY, chunk.length * (1 + hourList.length));
            const docs = await this.#queryAll<StateDocument | TrackDocument>(
                query,
                { maxItemCount },
                'getVessels',
            );
            for (const doc of docs) {
                if (doc.docType === 'state') {
                    entry(doc.mmsi).state = { ...toVesselState(doc), etag: doc._etag ?? '' };
                } else {
                    entry(doc.mmsi).buckets.set(doc.hourStart, toTrackBucket(doc));
                }
            }
        }
        return out;
    }

    async write(writes: readonly VesselWrite[]): Promise<VesselWriteResult[]> {
        for (const w of writes) checkTrackBuckets(w);
        return mapLimit(writes, this.#concurrency, (w) => this.#writeVessel(w));
    }

    async queryVessels(query: VesselQuery): Promise<{ items: VesselState[]; continuation?: string }> {
        const where = ["c.docType = 'state'"];
        const parameters: SqlParameter[] = [];
        if (query.bbox !== undefined) {
            const [minLon, minLat, maxLon, maxLat] = query.bbox;
            where.push('c.position.lat >= @minLat AND c.position.lat <= @maxLat');
            // A box crossing the antimeridian has minLon > maxLon.
            where.push(
                minLon <= maxLon
                    ? 'c.position.lon >= @minLon AND c.position.lon <= @maxLon'
                    : '(c.position.lon >= @minLon OR c.position.lon <= @maxLon)',
            );
            parameters.push(
                { name: '@minLon', value: minLon },
                { name: '@minLat', value: minLat },
                { name: '@maxLon', value: maxLon },
                { name: '@maxLat', value: maxLat },
            );
        }
        if (query.updatedSince !== undefined) {
            where.push('c.lastSeen >= @since');
            parameters.push({ name: '@since', value: query.updatedSince });
        }
        if (query.shipCategory !== undefined) {
            where.push('c.static.shipCategory = @cat');
            parameters.push({ name: '@cat', value: query.shipCategory });
        }
        const limit = Math.min(Math.max(1, Math.trunc(query.limit)), 1000);
        // enableQueryControl: @azure/cosmos 4.9 accepts a continuation token for a cross-partition query only with it
        // ("Continuation tokens are supported when enableQueryControl is set true"); pages may then be empty.
        const options: FeedOptions = { maxItemCount: limit, enableQueryControl: true };
        if (query.continuation !== undefined) options.continuationToken = query.continuation;

        const iterator = this.#container.items.query<StateDocument>(
            { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters },
            options,
        );
        try {
            // A page may come back empty with more to come (cross-partition); keep going until items or the end.
            for (;;) {
                this.#requests++;
                const page = await iterator.fetchNext();
                this.#requestCharge += page.requestCharge ?? 0;
                const continuation = page.continuationToken ?? undefined;
                if (page.resources.length > 0 || continuation === undefined || !page.hasMoreResults) {
                    const items = page.resources.map(toVesselState);
                    return continuation === undefined ? { items } : { items, continuation };
                }
            }
        } catch (error) {
            if (query.continuation !== undefined && statusOf(error) === 400) {
                throw new ValidationError('invalid continuation token', { cause: error });
            }
            throw fromSdkError(error, 'queryVessels');
        }
    }

    async getTrack(mmsi: number, from: number, to: number): Promise<TrackPoint[]> {
        if (to < from) return [];
        const docs = await this.#queryAll<Pick<TrackDocument, 'points'>>(
            {
                // `c.mmsi = @mmsi` is implied by the partition key on Cosmos DB; the local server ignores the
                // partition key of a query, so it is spelled out.
                query:
                    'SELECT c.points FROM c WHERE c.mmsi = @mmsi AND c.docType = @docType' +
                    ' AND c.hourStart >= @fromHour AND c.hourStart <= @to',
                parameters: [
                    { name: '@mmsi', value: mmsi },
                    { name: '@docType', value: 'track' },
                    { name: '@fromHour', value: Math.floor(from / HOUR_MS) * HOUR_MS },
                    { name: '@to', value: to },
                ],
            },
            { partitionKey: mmsi, maxItemCount: 1000 },
            'getTrack',
        );
        const points = docs.flatMap((d) => d.points ?? []).filter((p) => p.t >= from && p.t <= to);
        points.sort((a, b) => a.t - b.t);
        return points.filter((p, i) => i === 0 || p.t !== points[i - 1]!.t);
    }

    async countVessels(): Promise<number> {
        const counts = await this.#queryAll<number>(
            { query: "SELECT VALUE COUNT(1) FROM c WHERE c.docType = 'state'" },
            {},
            'countVessels',
        );
        return counts.reduce((a, b) => a + b, 0);
    }

    async #writeVessel(w: VesselWrite): Promise<VesselWriteResult> {
        const { mmsi } = w;
        const ops: OperationInput[] = [];
        if (w.state !== undefined) {
            const doc: StateDocument = { ...w.state, mmsi, id: STATE_ID, docType: 'state' };
            const body = doc as unknown as JSONObject;
            ops.push(
                w.expectedEtag === null
                    ? { operationType: 'Create', partitionKey: mmsi, resourceBody: body }
                    : {
                          operationType: 'Replace',
                          id: STATE_ID,
                          partitionKey: mmsi,
                          ifMatch: w.expectedEtag,
                          resourceBody: body,
                      },
            );
        }
        for (const bucket of w.trackBuckets) {
            const id = trackBucketId(bucket.hourStart);
            const doc: TrackDocument = {
                id,
                docType: 'track',
                mmsi,
                hourStart: bucket.hourStart,
                points: bucket.points,
                ttl: this.#ttlSeconds,
            };
            const body = doc as unknown as JSONObject;
            ops.push(
                bucket.expectedEtag === null
                    ? { operationType: 'Create', partitionKey: mmsi, resourceBody: body }
                    : {
                          operationType: 'Replace',
                          id,
                          partitionKey: mmsi,
                          ifMatch: bucket.expectedEtag,
                          resourceBody: body,
                      },
            );
        }
        // A vessel with more than 100 operations takes several batches, each atomic on its own: a conflict in a
        // later one leaves the earlier ones written. The caller re-reads and re-merges, so that is safe to redo.
        const chargeBefore = this.#requestCharge;
        for (let start = 0; start < ops.length; start += MAX_BATCH_OPERATIONS) {
            const chunk = ops.slice(start, start + MAX_BATCH_OPERATIONS);
            const failure = await this.#runBatch(mmsi, chunk);
            if (failure === undefined) continue;
            // 412: etag changed; 409: created meanwhile; 404: deleted meanwhile. Nothing of this batch was written.
            if (failure.status === 412 || failure.status === 409 || failure.status === 404) {
                return { mmsi, status: 'conflict', requestCharge: this.#requestCharge - chargeBefore };
            }
            const message = `vessel ${mmsi}: batch operation ${start + failure.index} failed with HTTP ${failure.status}`;
            if (isTransientStatus(failure.status))
                throw new DependencyError(message, { statusCode: failure.status });
            throw new PipelineError(message);
        }
        return { mmsi, status: 'ok', requestCharge: this.#requestCharge - chargeBefore };
    }

    /** Runs one transactional batch; returns the failing operation (not 424 "failed dependency"), if any. */
    async #runBatch(
        mmsi: number,
        ops: OperationInput[],
    ): Promise<{ index: number; status: number } | undefined> {
        this.#requests++;
        let results;
        try {
            const response = await this.#container.items.batch(ops, mmsi);
            results = response.result ?? [];
        } catch (error) {
            // The SDK rethrows batch failures as plain Errors ("Batch request error: ...") without the status:
            // only infrastructure failures (429 after retries, 5xx, network, timeouts) end up here.
            throw new DependencyError(
                `vessel ${mmsi}: transactional batch failed: ${(error as Error).message}`,
                {
                    cause: error,
                },
            );
        }
        let failed: { index: number; status: number } | undefined;
        results.forEach((r, index) => {
            this.#requestCharge += r.requestCharge ?? 0;
            if (failed === undefined && r.statusCode >= 400 && r.statusCode !== 424)
                failed = { index, status: r.statusCode };
        });
        if (failed === undefined && results.length !== ops.length) {
            throw new DependencyError(
                `vessel ${mmsi}: batch returned ${results.length} results for ${ops.length} operations`,
            );
        }
        return failed;
    }

    async #queryAll<T>(query: SqlQuerySpec, options: FeedOptions, operation: string): Promise<T[]> {
        const out: T[] = [];
        try {
            const iterator = this.#container.items.query<T>(query, options);
            while (iterator.hasMoreResults()) {
                this.#requests++;
                const page = await iterator.fetchNext();
                this.#requestCharge += page.requestCharge ?? 0;
                for (const item of page.resources) out.push(item);
            }
        } catch (error) {
            throw fromSdkError(error, operation);
        }
        return out;
    }
}

/**
 * A bucket's hourStart must be a UTC hour and appear once per write: otherwise its id would not match its hour, or
 * two operations would hit one document, and the write would conflict on every retry.
 */
function checkTrackBuckets(w: VesselWrite): void {
    const seen = new Set<number>();
    for (const b of w.trackBuckets) {
        if (b.hourStart % HOUR_MS !== 0 || seen.has(b.hourStart)) {
            throw new PipelineError(
                `vessel ${w.mmsi}: track bucket hourStart ${b.hourStart} is not a distinct hour`,
            );
        }
        seen.add(b.hourStart);
    }
}

function toTrackBucket(doc: TrackDocument): StoredTrackBucket {
    return { hourStart: doc.hourStart, points: doc.points ?? [], etag: doc._etag ?? '' };
}

function toVesselState(doc: StateDocument): VesselState {
    const state: Record<string, unknown> = { ...doc };
    for (const field of SYSTEM_FIELDS) delete state[field];
    return state as unknown as VesselState;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. The first failure rejects. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index]!);
            } catch (error) {
                failed = true; // stop starting new items; the ones in flight finish
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
