/**
 * In-memory VesselStateStore for use-case tests, with the same semantics as CosmosVesselStore: optimistic
 * concurrency on etags (create-if-absent / replace-if-match, a conflict writes nothing of that vessel), track
 * buckets keyed like the real ids (a redelivered batch overwrites its own buckets), documents round-tripped
 * through JSON.
 */
import { trackBucketId } from '../../shared/adapters/CosmosVesselStore.js';
import type {
    StoredVesselState,
    TrackPoint,
    VesselQuery,
    VesselState,
    VesselStateStore,
    VesselWrite,
    VesselWriteResult,
} from '../../shared/app/ports.js';
import { ValidationError } from '../../shared/errors.js';

interface Bucket {
    hourStart: number;
    batchId: string;
    points: TrackPoint[];
}

const HOUR_MS = 3_600_000;

export class InMemoryVesselStore implements VesselStateStore {
    readonly #states = new Map<number, { state: VesselState; etag: string }>();
    readonly #tracks = new Map<number, Map<string, Bucket>>();
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

    write(writes: readonly VesselWrite[]): Promise<VesselWriteResult[]> {
        this.writeCalls++;
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
        const fromHour = Math.floor(from / HOUR_MS) * HOUR_MS;
        const points = [...(this.#tracks.get(mmsi)?.values() ?? [])]
            .filter((b) => b.hourStart >= fromHour && b.hourStart <= to)
            .flatMap((b) => this.#clone(b.points))
            .filter((p) => p.t >= from && p.t <= to)
            .sort((a, b) => a.t - b.t);
        return Promise.resolve(points.filter((p, i) => i === 0 || p.t !== points[i - 1]!.t));
    }

    countVessels(): Promise<number> {
        return Promise.resolve(this.#states.size);
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

    /** The stored track buckets of a vessel, keyed by document id. */
    trackBuckets(mmsi: number): Map<string, Bucket> {
        return new Map(
            [...(this.#tracks.get(mmsi) ?? new Map<string, Bucket>())].map(([k, v]) => [k, this.#clone(v)]),
        );
    }

    #writeOne(w: VesselWrite): VesselWriteResult {
        if (w.state !== undefined) {
            const stored = this.#states.get(w.mmsi);
            const ok = w.expectedEtag === null ? stored === undefined : stored?.etag === w.expectedEtag;
            if (!ok) return { mmsi: w.mmsi, status: 'conflict' };
            this.#states.set(w.mmsi, { state: this.#clone({ ...w.state, mmsi: w.mmsi }), etag: this.#nextEtag() });
        }
        if (w.trackBuckets.length > 0) {
            let buckets = this.#tracks.get(w.mmsi);
            if (buckets === undefined) {
                buckets = new Map();
                this.#tracks.set(w.mmsi, buckets);
            }
            for (const b of w.trackBuckets) buckets.set(trackBucketId(b.hourStart, b.batchId), this.#clone(b));
        }
        return { mmsi: w.mmsi, status: 'ok' };
    }

    #nextEtag(): string {
        this.#etagSeq++;
        return `"mem-${this.#etagSeq}"`;
    }
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
