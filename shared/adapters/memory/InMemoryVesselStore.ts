/**
 * In-memory VesselStateStore for use-case tests, with the same semantics as CosmosVesselStore: one state document
 * and one track bucket per vessel and 10 minutes (TRACK_BUCKET_MS), each with its own etag; optimistic concurrency on every document
 * (create-if-absent / replace-if-match, a conflict writes nothing of that vessel), documents round-tripped through
 * JSON.
 */
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
} from '../../app/ports.js';
import { withoutDeliveryRefs } from '../../domain/enrichment/storedDuplicates.js';
import { TRACK_BUCKET_MS, trackBucketStart } from '../../domain/time.js';
import { PipelineError, ValidationError } from '../../errors.js';

export class InMemoryVesselStore implements VesselStateStore {
    readonly #states = new Map<number, { state: VesselState; etag: string }>();
    /** Per MMSI, by bucketStart. */
    readonly #tracks = new Map<number, Map<number, StoredTrackBucket>>();
    #etagSeq = 0;
    /**
     * Documents are copied through JSON on the way in and out, as a real store serialises them, so a test cannot
     * pass by sharing objects with the store. Benchmarks turn it off to measure the use case, not the copying.
     */
    readonly #copy: boolean;

    constructor(options: { copyDocuments?: boolean } = {}) {
        this.#copy = options.copyDocuments ?? true;
    }

    #clone<T>(value: T): T {
        return this.#copy ? deepCopy(value) : value;
    }

    /** Calls to `write` so far. */
    writeCalls = 0;
    /** When set, the next `write` call throws this error (then the hook clears). */
    failNextWrite: Error | undefined;

    getStates(mmsis: readonly number[]): Promise<Map<number, StoredVesselState>> {
        const out = new Map<number, StoredVesselState>();
        for (const mmsi of mmsis) {
            const stored = this.#states.get(mmsi);
            if (stored !== undefined) out.set(mmsi, { ...this.#clone(stored.state), etag: stored.etag });
        }
        return Promise.resolve(out);
    }

    getVessels(
        mmsis: readonly number[],
        bucketStarts: readonly number[],
    ): Promise<Map<number, StoredVessel>> {
        const out = new Map<number, StoredVessel>();
        for (const mmsi of mmsis) {
            const state = this.state(mmsi);
            const buckets = new Map<number, StoredTrackBucket>();
            const stored = this.#tracks.get(mmsi);
            for (const start of bucketStarts) {
                const b = stored?.get(start);
                if (b !== undefined) buckets.set(start, this.#clone(b));
            }
            if (state !== undefined || buckets.size > 0)
                out.set(mmsi, state === undefined ? { buckets } : { state, buckets });
        }
        return Promise.resolve(out);
    }

    write(writes: readonly VesselWrite[]): Promise<VesselWriteResult[]> {
        this.writeCalls++;
        for (const w of writes) {
            const starts = w.trackBuckets.map((b) => b.bucketStart);
            if (starts.some((b) => b % TRACK_BUCKET_MS !== 0) || new Set(starts).size !== starts.length) {
                // As CosmosVesselStore: a misaligned or repeated bucket would conflict on every retry.
                return Promise.reject(
                    new PipelineError(`vessel ${w.mmsi}: track bucket starts not distinct bucket starts`),
                );
            }
        }
        const failure = this.failNextWrite;
        if (failure !== undefined) {
            this.failNextWrite = undefined;
            return Promise.reject(failure);
        }
        return Promise.resolve(writes.map((w) => this.#writeOne(w)));
    }

    queryVessels(query: VesselQuery): Promise<{ items: VesselState[]; continuation?: string }> {
        let after = Number.NEGATIVE_INFINITY;
        if (query.continuation !== undefined) {
            after = Number(query.continuation);
            if (!Number.isInteger(after))
                return Promise.reject(new ValidationError('invalid continuation token'));
        }
        const limit = Math.min(Math.max(1, Math.trunc(query.limit)), 1000);
        const matching = [...this.#states.values()]
            .map((s) => s.state)
            .filter((s) => s.mmsi > after && matches(s, query))
            .sort((a, b) => a.mmsi - b.mmsi);
        const items = matching.slice(0, limit).map((v) => this.#clone(v));
        const last = items[items.length - 1];
        return Promise.resolve(
            matching.length > limit && last !== undefined
                ? { items, continuation: String(last.mmsi) }
                : { items },
        );
    }

    getTrack(mmsi: number, from: number, to: number): Promise<TrackPoint[]> {
        const fromBucket = trackBucketStart(from);
        const points = [...(this.#tracks.get(mmsi)?.values() ?? [])]
            .filter((b) => b.bucketStart >= fromBucket && b.bucketStart <= to)
            .flatMap((b) => this.#clone(b.points))
            .filter((p) => p.t >= from && p.t <= to)
            .sort((a, b) => a.t - b.t);
        return Promise.resolve(
            withoutDeliveryRefs(points.filter((p, i) => i === 0 || p.t !== points[i - 1]!.t)),
        );
    }

    countVessels(): Promise<number> {
        return Promise.resolve(this.#states.size);
    }

    /** When set, `ping` rejects with it (a store that does not answer). */
    pingError: Error | undefined;

    ping(): Promise<void> {
        return this.pingError ? Promise.reject(this.pingError) : Promise.resolve();
    }

    // ---- test helpers ----

    /** Stores a state directly (arrange step); returns its etag. */
    seed(state: VesselState): string {
        const etag = this.#nextEtag();
        this.#states.set(state.mmsi, { state: this.#clone(state), etag });
        return etag;
    }

    /** The stored state of a vessel (with etag), or undefined. */
    state(mmsi: number): StoredVesselState | undefined {
        const stored = this.#states.get(mmsi);
        return stored === undefined ? undefined : { ...this.#clone(stored.state), etag: stored.etag };
    }

    /** The stored track buckets of a vessel (with etags), by bucketStart. */
    trackBuckets(mmsi: number): Map<number, StoredTrackBucket> {
        return new Map([...(this.#tracks.get(mmsi) ?? [])].map(([k, v]) => [k, this.#clone(v)]));
    }

    #writeOne(w: VesselWrite): VesselWriteResult {
        const conflict: VesselWriteResult = { mmsi: w.mmsi, status: 'conflict' };
        // Check every document first: a conflict writes nothing of the vessel (one transactional batch).
        if (w.state !== undefined) {
            const stored = this.#states.get(w.mmsi);
            if (!matchesEtag(stored?.etag, w.expectedEtag)) return conflict;
        }
        const buckets = this.#tracks.get(w.mmsi) ?? new Map<number, StoredTrackBucket>();
        for (const b of w.trackBuckets) {
            if (!matchesEtag(buckets.get(b.bucketStart)?.etag, b.expectedEtag)) return conflict;
        }
        if (w.state !== undefined) {
            this.#states.set(w.mmsi, {
                state: this.#clone({ ...w.state, mmsi: w.mmsi }),
                etag: this.#nextEtag(),
            });
        }
        if (w.trackBuckets.length > 0) {
            this.#tracks.set(w.mmsi, buckets);
            for (const b of w.trackBuckets) {
                const bucket: StoredTrackBucket = {
                    bucketStart: b.bucketStart,
                    points: this.#clone(b.points),
                    etag: this.#nextEtag(),
                };
                if (b.seen !== undefined) bucket.seen = this.#clone(b.seen);
                buckets.set(b.bucketStart, bucket);
            }
        }
        return { mmsi: w.mmsi, status: 'ok' };
    }

    #nextEtag(): string {
        this.#etagSeq++;
        return `"mem-${this.#etagSeq}"`;
    }
}

/** Create needs the document absent (expected null), replace needs the same etag. */
function matchesEtag(stored: string | undefined, expected: string | null): boolean {
    return expected === null ? stored === undefined : stored === expected;
}

function matches(s: VesselState, q: VesselQuery): boolean {
    if (q.updatedSince !== undefined && !(s.lastSeen >= q.updatedSince)) return false;
    if (q.shipCategory !== undefined && s.static?.shipCategory !== q.shipCategory) return false;
    if (q.bbox !== undefined) {
        const [minLon, minLat, maxLon, maxLat] = q.bbox;
        const p = s.position;
        if (p === undefined || p.lat < minLat || p.lat > maxLat) return false;
        const inLon =
            minLon <= maxLon ? p.lon >= minLon && p.lon <= maxLon : p.lon >= minLon || p.lon <= maxLon;
        if (!inLon) return false;
    }
    return true;
}

function deepCopy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
