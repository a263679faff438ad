/**
 * Vessel hot state in Cosmos DB, container `vessels` (partition key `/mmsi`, a number). One logical partition per
 * vessel holds its state document (`id: 'state'`) and its track buckets (`id: 'track-<YYYYMMDDHHmm>'`, one document
 * per vessel and 10 minutes holding every point of those minutes, per-item `ttl`; TRACK_BUCKET_MS), so one
 * transactional batch per vessel writes both. Every document is written only if unchanged since it was read (Create / Replace with `ifMatch`);
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
    SeenKey,
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
import { withoutDeliveryRefs } from '../domain/enrichment/storedDuplicates.js';
import { fnv1a } from '../domain/hash.js';
import { TRACK_BUCKET_MS, trackBucketStart } from '../domain/time.js';
import { DependencyError, PipelineError, ValidationError } from '../errors.js';
import {
    type BatchFailure,
    CosmosStore,
    mapLimit,
    unwrapToken,
    withoutSystemFields,
    wrapToken,
} from './cosmosSupport.js';
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
/** `getStates` of at most this many vessels reads each state document directly instead of querying. */
const MAX_POINT_READS = 4;
const STATE_ID = 'state';
/** Document fields that are not part of the vessel state (besides the Cosmos system properties). */
const DOCUMENT_FIELDS = ['id', 'docType', 'ttl'] as const;

interface StateDocument extends VesselState {
    id: typeof STATE_ID;
    docType: 'state';
    _etag?: string;
}

interface TrackDocument {
    id: string;
    docType: 'track';
    mmsi: number;
    /** Start of the bucket's 10 minutes, epoch ms (indexed: `getVessels` and `getTrack` filter on it). */
    bucketStart: number;
    points: TrackPoint[];
    /** Keys of the bucket's records without a track point (cross-batch de-duplication), when any. */
    seen?: SeenKey[];
    ttl: number;
    _etag?: string;
}

/** `track-<YYYYMMDDHHmm>` of the track bucket (UTC, minutes 00, 10, ..., 50) containing `bucketStart`. */
export function trackBucketId(bucketStart: number): string {
    const iso = new Date(trackBucketStart(bucketStart)).toISOString(); // YYYY-MM-DDTHH:mm:...
    return `track-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * A track document of the hourly layout before the 10-minute buckets (`track-<YYYYMMDDHH>` with `hourStart`) as the
 * documents of its buckets (the points and seen keys of each 10 minutes, same `ttl`; no system fields): what
 * this store would have written for the same fixes. Any other document comes back as it is. Used to upgrade a
 * saved local snapshot (local/cosmosSnapshot.ts).
 */
export function splitHourTrackDocument(doc: Record<string, unknown>): Record<string, unknown>[] {
    if (doc.docType !== 'track' || typeof doc.hourStart !== 'number' || doc.bucketStart !== undefined)
        return [doc];
    const points = (doc.points ?? []) as TrackPoint[];
    const seen = doc.seen as SeenKey[] | undefined;
    const starts = new Set<number>();
    for (const p of points) starts.add(trackBucketStart(p.t));
    for (const k of seen ?? []) starts.add(trackBucketStart(k[0]));
    return [...starts]
        .sort((a, b) => a - b)
        .map((bucketStart) => {
            const inBucket = (t: number): boolean => trackBucketStart(t) === bucketStart;
            const out: Record<string, unknown> = {
                id: trackBucketId(bucketStart),
                docType: 'track',
                mmsi: doc.mmsi,
                bucketStart,
                points: points.filter((p) => inBucket(p.t)),
            };
            const keys = seen?.filter((k) => inBucket(k[0]));
            if (keys !== undefined && keys.length > 0) out.seen = keys;
            if (doc.ttl !== undefined) out.ttl = doc.ttl;
            return out;
        });
}

export class CosmosVesselStore extends CosmosStore implements VesselStateStore {
    readonly #ttlSeconds: number;

    constructor(container: Container, options: CosmosVesselStoreOptions) {
        if (!(options.trackTtlDays > 0)) throw new ValidationError('trackTtlDays must be > 0');
        super(container, options.concurrency);
        this.#ttlSeconds = Math.max(1, Math.round(options.trackTtlDays * 86_400));
    }

    async getStates(mmsis: readonly number[]): Promise<Map<number, StoredVesselState>> {
        const unique = [...new Set(mmsis)];
        const out = new Map<number, StoredVesselState>();
        if (unique.length <= MAX_POINT_READS) {
            // A few vessels (the API's /vessels/{mmsi}): point reads, 1 RU each and no cross-partition fan-out (the
            // local Cosmos-protocol server also answers them from its index instead of scanning every document).
            const docs = await Promise.all(unique.map((mmsi) => this.#readState(mmsi)));
            for (const doc of docs)
                if (doc !== undefined) out.set(doc.mmsi, { ...toVesselState(doc), etag: doc._etag ?? '' });
            return out;
        }
        for (let i = 0; i < unique.length; i += MAX_MMSIS_PER_QUERY) {
            const chunk = unique.slice(i, i + MAX_MMSIS_PER_QUERY);
            const query: SqlQuerySpec = {
                query: "SELECT * FROM c WHERE c.docType = 'state' AND ARRAY_CONTAINS(@mmsis, c.mmsi)",
                parameters: [{ name: '@mmsis', value: chunk }],
            };
            const docs = await this.queryAll<StateDocument>(
                query,
                { maxItemCount: MAX_MMSIS_PER_QUERY },
                'getStates',
            );
            for (const doc of docs) out.set(doc.mmsi, { ...toVesselState(doc), etag: doc._etag ?? '' });
        }
        return out;
    }

    async #readState(mmsi: number): Promise<StateDocument | undefined> {
        this.counters.requests++;
        try {
            const response = await this.container.item(STATE_ID, mmsi).read<StateDocument>();
            this.counters.requestCharge += response.requestCharge ?? 0;
            const doc = response.resource;
            return doc !== undefined && doc.mmsi === mmsi && doc.docType === 'state' ? doc : undefined;
        } catch (error) {
            if (statusOf(error) === 404) return undefined;
            throw fromSdkError(error, 'getStates');
        }
    }

    async getVessels(
        mmsis: readonly number[],
        buckets: readonly number[],
    ): Promise<Map<number, StoredVessel>> {
        const unique = [...new Set(mmsis)];
        const bucketList = [...new Set(buckets)];
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
                    ' OR (c.docType = @track AND ARRAY_CONTAINS(@buckets, c.bucketStart)))',
                parameters: [
                    { name: '@mmsis', value: chunk },
                    { name: '@buckets', value: bucketList },
                    { name: '@state', value: 'state' },
                    { name: '@track', value: 'track' },
                ],
            };
            // One page for the whole chunk where the service allows it (it still cuts pages at ~4 MB).
            const maxItemCount = Math.max(MAX_MMSIS_PER_QUERY, chunk.length * (1 + bucketList.length));
            const docs = await this.queryAll<StateDocument | TrackDocument>(
                query,
                { maxItemCount },
                'getVessels',
            );
            for (const doc of docs) {
                if (doc.docType === 'state') {
                    entry(doc.mmsi).state = { ...toVesselState(doc), etag: doc._etag ?? '' };
                } else {
                    entry(doc.mmsi).buckets.set(doc.bucketStart, toTrackBucket(doc));
                }
            }
        }
        return out;
    }

    async write(writes: readonly VesselWrite[]): Promise<VesselWriteResult[]> {
        for (const w of writes) checkTrackBuckets(w);
        return mapLimit(writes, this.concurrency, (w) => this.#writeVessel(w));
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
        const spec = { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters };
        // The token handed out wraps the SDK's with a hash of the query (as the alert store's), so a garbled
        // token, or one of other filters, is a 400 instead of a silent new first page.
        const queryHash = fnv1a(JSON.stringify(spec));
        if (query.continuation !== undefined)
            options.continuationToken = unwrapToken(query.continuation, queryHash);

        const iterator = this.container.items.query<StateDocument>(spec, options);
        return this.queryPage(
            iterator,
            query.continuation !== undefined,
            'queryVessels',
            toVesselState,
            (token) => wrapToken(token, queryHash),
        );
    }

    async getTrack(mmsi: number, from: number, to: number): Promise<TrackPoint[]> {
        if (to < from) return [];
        const docs = await this.queryAll<Pick<TrackDocument, 'points'>>(
            {
                // `c.mmsi = @mmsi` is implied by the partition key on Cosmos DB; it is spelled out so the query is
                // also right on a server that ignores a query's partition key (`@vercel/cosmosdb-server` as
                // published; the local stack's fast path reads only the partition).
                query:
                    'SELECT c.points FROM c WHERE c.mmsi = @mmsi AND c.docType = @docType' +
                    ' AND c.bucketStart >= @fromBucket AND c.bucketStart <= @to',
                parameters: [
                    { name: '@mmsi', value: mmsi },
                    { name: '@docType', value: 'track' },
                    { name: '@fromBucket', value: trackBucketStart(from) },
                    { name: '@to', value: to },
                ],
            },
            { partitionKey: mmsi, maxItemCount: 1000 },
            'getTrack',
        );
        const points = docs.flatMap((d) => d.points ?? []).filter((p) => p.t >= from && p.t <= to);
        points.sort((a, b) => a.t - b.t);
        return withoutDeliveryRefs(points.filter((p, i) => i === 0 || p.t !== points[i - 1]!.t));
    }

    async countVessels(): Promise<number> {
        const counts = await this.queryAll<number>(
            { query: "SELECT VALUE COUNT(1) FROM c WHERE c.docType = 'state'" },
            {},
            'countVessels',
        );
        return counts.reduce((a, b) => a + b, 0);
    }

    /** One point read of a document that does not exist (a 404 is an answer: about 1 RU). */
    async ping(): Promise<void> {
        try {
            await this.container.item('health-probe', 0).read();
        } catch (error) {
            throw fromSdkError(error, 'ping');
        }
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
            const id = trackBucketId(bucket.bucketStart);
            const doc: TrackDocument = {
                id,
                docType: 'track',
                mmsi,
                bucketStart: bucket.bucketStart,
                points: bucket.points,
                ...(bucket.seen === undefined ? {} : { seen: bucket.seen }),
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
        const chargeBefore = this.counters.requestCharge;
        for (let start = 0; start < ops.length; start += MAX_BATCH_OPERATIONS) {
            const chunk = ops.slice(start, start + MAX_BATCH_OPERATIONS);
            const failure = await this.#runBatch(mmsi, chunk);
            if (failure === undefined) continue;
            // 412: etag changed; 409: created meanwhile; 404: deleted meanwhile. Nothing of this batch was written.
            if (failure.status === 412 || failure.status === 409 || failure.status === 404) {
                return {
                    mmsi,
                    status: 'conflict',
                    requestCharge: this.counters.requestCharge - chargeBefore,
                };
            }
            const message = `vessel ${mmsi}: batch operation ${start + failure.index} failed with HTTP ${failure.status}`;
            if (isTransientStatus(failure.status))
                throw new DependencyError(message, { statusCode: failure.status });
            throw new PipelineError(message);
        }
        return { mmsi, status: 'ok', requestCharge: this.counters.requestCharge - chargeBefore };
    }

    /** Runs one transactional batch; returns the failing operation (not 424 "failed dependency"), if any. */
    async #runBatch(mmsi: number, ops: OperationInput[]): Promise<BatchFailure | undefined> {
        return this.runBatch(mmsi, ops, `vessel ${mmsi}`, 'transactional batch');
    }
}

/**
 * A bucket's bucketStart must start a bucket (a multiple of TRACK_BUCKET_MS) and appear once per write: otherwise its
 * id would not match its start, or two operations would hit one document, and the write would conflict on every
 * retry.
 */
function checkTrackBuckets(w: VesselWrite): void {
    const seen = new Set<number>();
    for (const b of w.trackBuckets) {
        if (b.bucketStart % TRACK_BUCKET_MS !== 0 || seen.has(b.bucketStart)) {
            throw new PipelineError(
                `vessel ${w.mmsi}: track bucket bucketStart ${b.bucketStart} is not a distinct bucket start`,
            );
        }
        seen.add(b.bucketStart);
    }
}

function toTrackBucket(doc: TrackDocument): StoredTrackBucket {
    const bucket: StoredTrackBucket = {
        bucketStart: doc.bucketStart,
        points: doc.points ?? [],
        etag: doc._etag ?? '',
    };
    if (doc.seen !== undefined) bucket.seen = doc.seen;
    return bucket;
}

function toVesselState(doc: StateDocument): VesselState {
    return withoutSystemFields(doc, DOCUMENT_FIELDS) as unknown as VesselState;
}
