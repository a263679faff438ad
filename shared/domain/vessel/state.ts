/**
 * The per-vessel state the pipeline keeps (hot state in Cosmos DB) and the points of a vessel's track: domain
 * types, folded from records by the enrichment and track modules; the ports in `shared/app/ports.ts` store them.
 */
/** Latest position of a vessel, as stored. */
export interface VesselPosition {
    eventTime: number;
    lat: number;
    lon: number;
    sog?: number;
    cog?: number;
    heading?: number;
    rot?: number;
    navStatus?: number;
    navStatusText?: string;
    accuracy?: boolean;
    /** Spatial cell (H3 index). */
    cell?: string;
    msgType?: number;
}

/** Static and voyage data of a vessel, as stored. */
export interface VesselStatic {
    eventTime: number;
    imo?: number;
    callSign?: string;
    name?: string;
    shipType?: number;
    shipTypeText?: string;
    shipCategory?: string;
    toBow?: number;
    toStern?: number;
    toPort?: number;
    toStarboard?: number;
    length?: number;
    width?: number;
    draught?: number;
    destination?: string;
    eta?: string;
    /** Event time (epoch ms) of each field's current value, so parts merge the same in any arrival order. */
    fieldTimes?: Partial<Record<string, number>>;
    /**
     * Earliest event time (epoch ms) at which each field is known to hold its current value (a re-sent value
     * keeps it): enrichment gives a record only the values already held at its event time, so a replayed or
     * redelivered batch is enriched as the first time.
     */
    fieldSince?: Partial<Record<string, number>>;
}

/** The per-MMSI state document. */
export interface VesselState {
    mmsi: number;
    /** ISO 3166-1 alpha-2 flag state from the MID, when the MMSI has one. */
    flag?: string;
    flagCountry?: string;
    /** MMSI class: ship, coast-station, sar-aircraft, aton, handheld, group, ... */
    mmsiClass?: string;
    aisClass?: 'A' | 'B';
    position?: VesselPosition;
    /**
     * Ids of the zones (ZoneIndex) containing `position` at its event time, sorted; the reference for the next
     * fix's zone entries and exits. Absent on documents written before zones were tracked.
     */
    zones?: string[];
    static?: VesselStatic;
    /** Latest event time of anything applied, epoch ms. */
    lastSeen: number;
    /** When the state was last written, epoch ms (processing time). */
    updatedAt: number;
}

/** One fix of a vessel's track. */
export interface TrackPoint {
    /** Event time, epoch ms. */
    t: number;
    lat: number;
    lon: number;
    sog?: number;
    cog?: number;
    heading?: number;
    /** True when the fix implied an implausible jump from the previous one. */
    jump?: boolean;
    /**
     * The delivery that stored this fix first ({@link DeliveryRef}): a later copy from another delivery is a
     * duplicate; the same delivery retried after a crash is not (domain/enrichment/storedDuplicates.ts).
     */
    e?: DeliveryRef;
}

/**
 * One delivery of an event: a 52-bit hash of its batch id (partition and sequence range: the names of the
 * batch's blobs), sequence number and enqueued time. The same batch retried (or re-driven from its bronze blob)
 * has the same refs; a redelivery in other batch boundaries, or a producer re-sending the event, has new ones.
 */
export type DeliveryRef = number;

/**
 * The content key of a record that leaves no track point (static and other messages, positions without a fix),
 * so that a copy delivered in a later batch is told apart: `[eventTime, hash52 of the content key, DeliveryRef]`.
 */
export type SeenKey = [t: number, k: number, e: DeliveryRef];

export interface StoredVesselState extends VesselState {
    /** Optimistic-concurrency tag of the stored document. */
    etag: string;
}

/**
 * A stored track bucket: one document per vessel and 10 minutes (TRACK_BUCKET_MS, domain/time.ts), its points
 * ordered by time, unique per time.
 */
export interface StoredTrackBucket {
    /** Start of the bucket, epoch ms (UTC, a multiple of TRACK_BUCKET_MS). */
    bucketStart: number;
    points: TrackPoint[];
    /** Keys of the vessel's records of this bucket that left no track point, in time order (absent: none). */
    seen?: SeenKey[];
    etag: string;
}

/** What the store holds for one vessel: its state document and the track buckets asked for. */
export interface StoredVessel {
    state?: StoredVesselState;
    /** By `bucketStart`. */
    buckets: Map<number, StoredTrackBucket>;
}

/**
 * One vessel's writes for one batch, applied atomically: the new state and the track buckets, each only if the
 * stored document is unchanged since it was read (etag; null = must not exist yet).
 */
export interface VesselWrite {
    mmsi: number;
    /** The new state; undefined leaves the state document as it is. */
    state?: VesselState;
    /** The etag the state was computed from; null means the document must not exist yet. */
    expectedEtag: string | null;
    /**
     * Whole track buckets (the stored points merged with this batch's, by time): one document per vessel and
     * bucket, id derived from the bucket's start, so a redelivered batch merges to the same document. They expire
     * after the TTL.
     */
    trackBuckets: {
        bucketStart: number;
        points: TrackPoint[];
        seen?: SeenKey[];
        expectedEtag: string | null;
    }[];
}
