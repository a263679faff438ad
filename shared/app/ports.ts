/**
 * Ports: what the use cases need from the outside world. Adapters in `shared/adapters/` implement them with
 * the Azure SDKs; tests use the in-memory fakes in `test/fakes/`.
 */
import type { Alert } from '../domain/alerts/alert.js';
import type { ComplianceCheck, Finding } from '../domain/compliance/finding.js';
import type { SensorState, StoredSensorState } from '../domain/sensors/state.js';
import type {
    StoredVessel,
    StoredVesselState,
    TrackPoint,
    VesselState,
    VesselWrite,
} from '../domain/vessel/state.js';

// Domain types the ports carry, re-exported for the adapters and use cases that import them from here.
export type { SensorState, StoredSensorState } from '../domain/sensors/state.js';
export type {
    SeenKey,
    StoredTrackBucket,
    StoredVessel,
    StoredVesselState,
    TrackPoint,
    VesselPosition,
    VesselState,
    VesselStatic,
    VesselWrite,
} from '../domain/vessel/state.js';
import type { DailyFuel, ImoReport, SulphurReading, VesselTrack } from '../domain/compliance/index.js';

/** Event Hub metadata kept with every received event (bronze, quarantine, silver lineage). */
export interface EventMetadata {
    partitionId: string;
    sequenceNumber: number;
    offset?: string;
    /** Enqueued time, epoch ms. */
    enqueuedTime: number;
    partitionKey?: string;
    /** Application properties set by the producer. */
    properties?: Record<string, unknown>;
}

/** One Event Hub event as received: the body exactly as bound (string), and its metadata. */
export interface ReceivedEvent {
    body: string;
    /** The body's bytes, base64, when they are not valid UTF-8 (`body` is then a lossy decoding). */
    bodyBase64?: string;
    meta: EventMetadata;
}

export type LakeContainer = 'bronze' | 'silver' | 'gold' | 'quarantine' | 'lineage';

export type ParquetType = 'STRING' | 'DOUBLE' | 'INT32' | 'INT64' | 'BOOLEAN' | 'TIMESTAMP_MILLIS' | 'JSON';

export interface ParquetColumn {
    name: string;
    type: ParquetType;
}

/** Rows to write as one Parquet file. Every column is optional (null allowed). TIMESTAMP_MILLIS values are epoch ms. */
export interface ParquetTable {
    columns: readonly ParquetColumn[];
    rows: readonly Record<string, unknown>[];
}

export interface BlobInfo {
    path: string;
    /** Epoch ms. */
    lastModified: number;
    size: number;
}

/** Writes to the lake. Every write overwrites a blob of the same path, so a redelivered batch rewrites itself. */
export interface LakeWriter {
    writeJsonLinesGz(container: LakeContainer, path: string, rows: readonly unknown[]): Promise<void>;
    writeParquet(container: LakeContainer, path: string, table: ParquetTable): Promise<void>;
}

/** Deletes from the lake (gold rebuilds remove the parts a new build no longer writes). */
export interface LakeDeleter {
    /** Deletes a blob; a missing blob is not an error. */
    delete(container: LakeContainer, path: string): Promise<void>;
}

/** Writes a blob's bytes as they are (compacted Parquet files, compaction manifests). Overwrites. */
export interface LakeBytesWriter {
    writeBytes(container: LakeContainer, path: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

export interface LakeReader {
    /** Blobs under a prefix (paged internally), newest last is not guaranteed. */
    list(container: LakeContainer, prefix: string): Promise<BlobInfo[]>;
    readJsonLinesGz(container: LakeContainer, path: string): Promise<unknown[]>;
    readBytes(container: LakeContainer, path: string): Promise<Uint8Array>;
}

export interface VesselWriteResult {
    mmsi: number;
    status: 'ok' | 'conflict';
    /** Request units the store charged for this vessel's writes, when it reports them. */
    requestCharge?: number;
}

export interface VesselQuery {
    /** [minLon, minLat, maxLon, maxLat] */
    bbox?: [number, number, number, number];
    /** Epoch ms: vessels whose lastSeen is at or after this. */
    updatedSince?: number;
    shipCategory?: string;
    limit: number;
    continuation?: string;
}

export interface VesselStateStore {
    /** Current states of these vessels (absent ones are missing from the map). */
    getStates(mmsis: readonly number[]): Promise<Map<number, StoredVesselState>>;
    /**
     * The state documents of these vessels and their track buckets starting at these times (`bucketStart`, multiples
     * of TRACK_BUCKET_MS), in one query. Vessels with nothing stored are missing from the map.
     */
    getVessels(mmsis: readonly number[], buckets: readonly number[]): Promise<Map<number, StoredVessel>>;
    /**
     * Applies each vessel's writes atomically (one transactional batch per vessel). A vessel whose state or bucket
     * changed since it was read comes back as `conflict` and nothing of it is written. Throws on infrastructure
     * failure.
     */
    write(writes: readonly VesselWrite[]): Promise<VesselWriteResult[]>;
    queryVessels(query: VesselQuery): Promise<{ items: VesselState[]; continuation?: string }>;
    /** Track points of a vessel with from <= t <= to, ordered by time. */
    getTrack(mmsi: number, from: number, to: number): Promise<TrackPoint[]>;
    countVessels(): Promise<number>;
    /** A cheap round trip (one point read) proving the store answers; throws when it does not. */
    ping(): Promise<void>;
}

export interface AlertQuery {
    /** Epoch ms: alerts with `time` at or after this. */
    since?: number;
    kind?: string;
    severity?: string;
    mmsi?: number;
    limit: number;
    continuation?: string;
}

/** Alerts, stored for queries (Cosmos `alerts`, partition key `/mmsi`). */
export interface AlertStore {
    /** Idempotent: an alert with an existing id overwrites it (same content for the same cause). */
    save(alerts: readonly Alert[]): Promise<void>;
    /** Newest first. */
    query(query: AlertQuery): Promise<{ items: Alert[]; continuation?: string }>;
}

/** Alerts published for downstream consumers (Event Hub `alerts`). */
export interface AlertPublisher {
    publish(alerts: readonly Alert[]): Promise<void>;
}

export interface FindingQuery {
    /** Epoch ms: findings whose period [firstSeen, lastSeen] ends at or after this. */
    from?: number;
    /** Epoch ms: findings whose period starts at or before this. */
    to?: number;
    check?: string;
    severity?: string;
    status?: 'open' | 'closed';
    mmsi?: number;
    limit: number;
    continuation?: string;
}

/** Compliance findings (Cosmos `findings`, partition key `/mmsi`; one document per deterministic finding id). */
export interface FindingStore {
    /** Idempotent upsert by (mmsi, id). */
    save(findings: readonly Finding[]): Promise<void>;
    /**
     * What a check run must reconcile against: every finding of these checks whose last evidence lies in
     * [from, to] (any status), plus the findings with these ids (drafts whose stored version lies elsewhere).
     */
    forReconciliation(
        scopes: readonly { checks: readonly ComplianceCheck[]; from: number; to: number }[],
        ids: readonly { mmsi: number; id: string }[],
    ): Promise<Finding[]>;
    /** Newest last evidence first, paged by continuation token. */
    query(query: FindingQuery): Promise<{ items: Finding[]; continuation?: string }>;
}

/** What one compliance run reads, in the shapes the checks take. */
export interface ComplianceInputs {
    /**
     * Accepted fixes per vessel in [from, to), ascending, with the vessel's IMO and length when known. An adapter
     * may build a track's `fixes` each time they are read (a getter over a compact form: SilverComplianceInputs), so
     * a consumer reads them once per vessel and lets them go.
     */
    tracks: VesselTrack[];
    /** IMO numbers reported per MMSI in [windowStart, to) (static reports and positions), first and last seen. */
    imoReports: ImoReport[];
    /** Fuel-sulphur readings in [windowStart, to). */
    sulphur: SulphurReading[];
    /** Gold emissions per vessel and UTC day, when gold has them (empty otherwise). */
    fuel: Map<number, Map<string, DailyFuel>>;
    /** The newest lastModified of the input blobs, epoch ms (late data after a run = the window is due again). */
    watermark: number;
    /**
     * How far in event time the positions' feed reaches (`FeedHorizon` over the fixes' arrival times), epoch ms;
     * absent when no fix carries its arrival time.
     */
    heardUntil?: number;
    /** Input files read. */
    files: number;
    /** The blobs read, `{container}/{path}` (lineage: the silver table-hours and gold days behind a check). */
    paths?: string[];
}

/** Reads silver (and gold, when present) for a compliance run. */
export interface ComplianceInputSource {
    /** Positions from `from` (the lookback), everything else from `windowStart`, all up to `to` (exclusive). */
    read(range: { from: number; windowStart: number; to: number }): Promise<ComplianceInputs>;
    /** The newest lastModified of the inputs of [from, to) without reading them (0 when none). */
    watermark(range: { from: number; to: number }): Promise<number>;
}

export interface SensorStateStore {
    /** States of these sensors, in one query (absent ones are missing). */
    get(sensorKeys: readonly string[]): Promise<Map<string, StoredSensorState>>;
    /** One write per sensor, conditional on the etag (null = must not exist yet); `conflict` when it changed. */
    write(
        writes: readonly { state: SensorState; expectedEtag: string | null }[],
    ): Promise<{ sensorKey: string; status: 'ok' | 'conflict' }[]>;
    /** Every sensor of one vessel (`mmsi:<n>` or `imo:<n>`). */
    forVessel(vesselKey: string): Promise<SensorState[]>;
}

export interface Clock {
    now(): number;
}

export interface Logger {
    debug(message: string, props?: Record<string, unknown>): void;
    info(message: string, props?: Record<string, unknown>): void;
    warn(message: string, props?: Record<string, unknown>): void;
    error(message: string, props?: Record<string, unknown>): void;
}

export interface Metrics {
    /** A custom metric (Application Insights customMetrics when configured). */
    track(name: string, value: number, properties?: Record<string, string>): void;
}

/** A batch whose retries ran out, kept whole (every event with its metadata) so it can be re-driven. */
export interface DeadLetter {
    /** The function that failed (`ingestAis`, `ingestSensorReadings`). */
    functionName: string;
    /** Lake source of the batch (`ais`, `sensors`). */
    source: string;
    batchId: string;
    /** Attempts made (first delivery + retries). */
    attempts: number;
    /** The last error, one line. */
    error: string;
    /** Epoch ms. */
    failedAt: number;
    /** Items the batch held (what the summary counted as `skipped`). */
    items: number;
    events: ReceivedEvent[];
}

/**
 * Where exhausted batches go. It must not depend on the sinks that fail (lake storage, Cosmos DB): in Azure the
 * `ingest-deadletter` event hub, locally a folder of files.
 */
export interface DeadLetterSink {
    write(letter: DeadLetter): Promise<void>;
}

/** Reads dead letters back for a re-drive, and removes the ones re-driven. */
export interface DeadLetterSource {
    /** Every stored letter, with an id to remove it by. */
    read(): AsyncIterable<{ id: string; letter: DeadLetter }>;
    /** Removes a re-driven letter (a no-op where the store is append-only, such as an event hub). */
    remove(id: string): Promise<void>;
}

/** Silver files of one table for a gold build (what `silverFiles` listed), and the table's columns. */
export interface SilverInput {
    table: string;
    columns: readonly ParquetColumn[];
    files: readonly BlobInfo[];
}

/** A reference table (ports, ...) loaded into a gold session beside the silver views. */
export interface ReferenceTable extends ParquetTable {
    name: string;
}

/** Which vessels a build covers: those with `pmod(mmsi, count) = index` (the whole fleet when count is 1). */
export interface Shard {
    index: number;
    count: number;
}

/**
 * An SQL session over one window of silver: each silver table is a view of its name (only the shard's vessels),
 * the reference tables are tables. The SQL is written in the subset Spark SQL also runs; the engine provides the few
 * Spark functions it lacks (`unix_millis`, `pmod`, `percentile_approx`).
 */
export interface GoldSession {
    /** Every row of a query, as plain objects: numbers (BIGINT and timestamps as epoch ms), strings, booleans, nulls. */
    query(sql: string): Promise<Record<string, unknown>[]>;
    /** The rows of a query in chunks of columns, in the query's order (for a pass over millions of rows). */
    stream(
        sql: string,
        onChunk: (columns: Record<string, unknown[]>, rowCount: number) => void,
    ): Promise<number>;
    close(): Promise<void>;
}

/** Opens SQL sessions over silver (DuckDB over the lake's Parquet in this app). */
export interface GoldEngine {
    /**
     * `signal`: when it is aborted (the host is stopping), the downloads stop between files and a running query is
     * interrupted; either throws a StoppedError.
     */
    open(
        inputs: readonly SilverInput[],
        shard: Shard,
        references?: readonly ReferenceTable[],
        options?: { signal?: AbortSignal },
    ): Promise<GoldSession>;
}

/** A gold row as served: deterministic id, its vessel (0 for fleet-wide rows), table and day. */
export interface GoldDocument {
    id: string;
    mmsi: number;
    table: string;
    /** The UTC day (YYYY-MM-DD) whose build wrote the row. */
    day: string;
    /** `day|id`: the one field queries sort on (a single-field ORDER BY needs no composite index). */
    sortKey: string;
    [column: string]: unknown;
}

export interface GoldQuery {
    table: string;
    mmsi?: number;
    /** Inclusive day range (YYYY-MM-DD). */
    fromDay?: string;
    toDay?: string;
    /** Equality filters on other fields (e.g. `locode`). */
    where?: Record<string, string | number>;
    limit: number;
    continuation?: string;
}

/** Gold rows in Cosmos (container `gold`, partition key `/mmsi`). */
export interface GoldStore {
    /**
     * Makes the stored rows of (table, day) of the shard's vessels exactly `docs`: upserts them (same id, same
     * document) and deletes the rows of that table and day, of vessels in the shard, that the rebuild no longer
     * produced (whatever shard count wrote them). Idempotent.
     */
    replace(
        table: string,
        day: string,
        shard: Shard,
        docs: readonly GoldDocument[],
    ): Promise<{ written: number; deleted: number }>;
    /** Rows ordered by day, then id (`sortKey`); paged with a continuation token. */
    query(query: GoldQuery): Promise<{ items: GoldDocument[]; continuation?: string }>;
}

/** What `compactSilver` asks of the engine that merges one table-hour. */
export interface CompactionRequest {
    /** The hour's live files, in the lake's silver container (and batch files a rebuild wrote again). */
    files: readonly BlobInfo[];
    /**
     * The provenance filter (a rebuild into a compacted hour): rows of `files` (paths, a subset of the inputs: the
     * earlier compacted files) whose `eh_partition` equals a batch's partition and whose `eh_sequence` is in its
     * range are left out; the rewritten batch file brings the rows of that batch instead.
     */
    supersede?: {
        files: readonly string[];
        batches: readonly { partitionId: string; firstSequence: number; lastSequence: number }[];
        /**
         * For a table of batch records (`ingest_batches`, no per-row sequence): the rewritten files' names without
         * `.parquet`, `{source}-{batch_id}`; rows of `files` whose `source || '-' || batch_id` is one of them are left out.
         */
        records?: readonly string[];
    };
    /** The table's schema, in order: the output has exactly these columns (a column no input has is null). */
    columns: readonly ParquetColumn[];
    /** Sort key of the output (columns of `columns`), e.g. mmsi then event_time. */
    sortBy: readonly string[];
    /** Outputs are split near this size (bytes). */
    targetFileBytes: number;
    /** Rows per row group. */
    rowGroupRows: number;
    /** Key-value metadata written into every output file (the run id, for lineage). */
    metadata: Readonly<Record<string, string>>;
    /** Aborted when the host stops: the downloads stop between files, a running query is interrupted (StoppedError). */
    signal?: AbortSignal;
}

export interface CompactionOutput {
    /** Rows read from the inputs. */
    inputRows: number;
    /** Of which per input file (its path in the lake). */
    inputRowsByFile: Readonly<Record<string, number>>;
    /** Of which left out by the provenance filter (`supersede`). */
    supersededRows?: number;
    /** The merged files in sort order, each with its row count. */
    files: { bytes: Uint8Array; rows: number }[];
    /** Where the merge's time went (ms): fetching the inputs, and the engine's queries (for the log). */
    timings?: { downloadMs: number; mergeMs: number };
}

/** Merges the small Parquet files of a table-hour into a few sorted ones (compaction). */
export interface SilverCompactor {
    compact(request: CompactionRequest): Promise<CompactionOutput>;
}

/** One shard of a gold day to build: the day, the shard, and the run (claim) it belongs to. */
export interface GoldShardMessage {
    day: string;
    index: number;
    count: number;
    /** `startedAt` of the run that sent it: a message of an older run (taken over, rebuilt) is stale. */
    runStartedAt: number;
    /** The build time of the run (every shard cuts the day and decides `partial` at the same instant). */
    windowNow: number;
    /**
     * The run's lineage id: every gold row a shard writes carries it as `run_id`, and the last shard records the
     * day's lineage under it (absent in messages sent before it existed: their rows carry none).
     */
    runId?: string;
}

/** Where the gold timer sends the shards of a day (a Storage queue in Azure; one queue-triggered build per message). */
export interface ShardQueue {
    send(messages: readonly GoldShardMessage[]): Promise<void>;
}
