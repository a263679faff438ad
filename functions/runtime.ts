/**
 * The composition root: `createRuntime(config, options)` builds the app from one typed configuration. It is
 * called by the entries only, each with its own settings:
 *
 * - Azure: `functions/index.ts` reads the app settings from the environment (`loadConfig(process.env)`, the only
 *   place the app's settings are read from the environment) and registers the function table bound to the runtime.
 * - Local: `local/stack.ts` (npm start, replay, rebuild) builds a settings record for the embedded services and
 *   passes it; `local/goldBackfill.ts` and `bench/gold.ts` do the same for their own runs.
 * - Tests: `createRuntime(config, { adapters: { ...fakes } })`.
 *
 * Every handler receives the runtime as its first argument (`functions/definitions.ts` binds them) and takes its
 * adapters (`rt.lake`, `rt.vessels`, ...) or a use case's dependencies (`rt.ingestDeps(logger)`, ...) from it.
 * Nothing else holds adapters: there are no module-level singletons or getters.
 *
 * Adding wiring:
 * 1. a setting: `shared/config/settingNames.ts` + `AppConfig` + `loadConfig` (the parity test checks Bicep, the
 *    README and the sample settings);
 * 2. an adapter: a field of `Adapters` and its line in `Runtime`'s getters below (built on first use, so a run
 *    that never needs Cosmos or DuckDB never connects; a test passes a fake in `options.adapters` instead);
 * 3. a use case's dependencies: a `xDeps(logger)` method built from the adapters and `this.config`;
 * 4. a handler: `export async function x(rt: Runtime, input, context)` in `functions/x.ts`, its definition in the
 *    function table (`functions/functionTable.ts`).
 */
import { hostname } from 'node:os';

import maintenanceModelFile from '../config/maintenance-model.json' with { type: 'json' };
import rulesFile from '../config/sensor-rules.json' with { type: 'json' };
import speedZonesFile from '../config/speed-zones.json' with { type: 'json' };
import { BlobLake } from '../shared/adapters/BlobLake.js';
import {
    createBlobServiceClient,
    createCosmosClient,
    createLakeContainers,
    getCredential,
} from '../shared/adapters/clients.js';
import { ConsoleAlertPublisher } from '../shared/adapters/ConsoleAlertPublisher.js';
import { CosmosAlertStore } from '../shared/adapters/CosmosAlertStore.js';
import { CosmosFindingStore } from '../shared/adapters/CosmosFindingStore.js';
import { CosmosGoldStore } from '../shared/adapters/CosmosGoldStore.js';
import { CosmosJobRunStore } from '../shared/adapters/CosmosJobRunStore.js';
import { CosmosSensorStateStore } from '../shared/adapters/CosmosSensorStateStore.js';
import { CosmosVesselStore } from '../shared/adapters/CosmosVesselStore.js';
import { DuckDbGoldEngine } from '../shared/adapters/DuckDbGoldEngine.js';
import { DuckDbSilverCompactor } from '../shared/adapters/DuckDbSilverCompactor.js';
import { EventHubAlertPublisher } from '../shared/adapters/EventHubAlertPublisher.js';
import { EventHubDeadLetterSink } from '../shared/adapters/EventHubDeadLetterSink.js';
import { appProducer } from '../shared/adapters/eventHubProducer.js';
import { FileDeadLetterStore } from '../shared/adapters/FileDeadLetterStore.js';
import { GoldParquetCiiDays } from '../shared/adapters/GoldParquetCiiDays.js';
import { LakeMaintenanceInputs } from '../shared/adapters/LakeMaintenanceInputs.js';
import { BlobLineageSink, HttpLineageSink, TeeLineageSink } from '../shared/adapters/lineage.js';
import { ParticularsFile } from '../shared/adapters/ParticularsFile.js';
import { ResourceCheck } from '../shared/adapters/resources.js';
import { SilverComplianceInputs } from '../shared/adapters/SilverComplianceInputs.js';
import { SilverSensorHistory } from '../shared/adapters/SilverSensorHistory.js';
import { createQueueServiceClient, StorageShardQueue } from '../shared/adapters/StorageShardQueue.js';
import { appInsightsMetrics } from '../shared/adapters/telemetry.js';
import {
    type CompactionDeps,
    type CompactionSettings,
    DEFAULT_COMPACTION_SETTINGS,
} from '../shared/app/compactSilver.js';
import type {
    ComplianceTimerDeps,
    ComplianceTimerSettings,
} from '../shared/app/compliance/runComplianceTimer.js';
import type { BatchLineage, DeadLetterDeps } from '../shared/app/deadLetter.js';
import type { GoldJobDeps, GoldJobSettings } from '../shared/app/gold/runGoldJob.js';
import { HealthMonitor } from '../shared/app/health.js';
import type { BatchSummary, IngestDeps } from '../shared/app/ingestAisBatch.js';
import type { MaintenanceBatchSummary, MaintenanceIngestDeps } from '../shared/app/ingestMaintenanceBatch.js';
import type { SensorBatchSummary, SensorIngestDeps } from '../shared/app/ingestSensorBatch.js';
import type { JobRunStore } from '../shared/app/jobRuns.js';
import type { LineageSink } from '../shared/app/lineage.js';
import type {
    MaintenanceScoreDeps,
    MaintenanceScoreSettings,
} from '../shared/app/maintenance/scoreMaintenance.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    DeadLetterSink,
    FindingStore,
    GoldEngine,
    GoldStore,
    LakeBytesWriter,
    LakeDeleter,
    LakeReader,
    LakeWriter,
    Logger,
    Metrics,
    SensorStateStore,
    ShardQueue,
    VesselStateStore,
} from '../shared/app/ports.js';
import type { CollisionDeps } from '../shared/app/watchCollisionRisks.js';
import { WatermarkWriter } from '../shared/app/watermarks.js';
import type { AppConfig } from '../shared/config/loadConfig.js';
import type { CosmosContainerName } from '../shared/config/settingNames.js';
import {
    DEFAULT_IDENTITY_SETTINGS,
    parseSpeedZones,
    type PortLocation,
    type SpeedZoneSet,
} from '../shared/domain/compliance/index.js';
import type { PortIndex } from '../shared/domain/gold/portCalls.js';
import { createPortIndex } from '../shared/domain/gold/ports.js';
import { checkModel, type MaintenanceModel } from '../shared/domain/maintenance/model.js';
import { portList } from '../shared/domain/reference/lookup.js';
import { loadRules, type RuleSet } from '../shared/domain/sensors/index.js';
import { createZoneIndex, type ZoneIndex } from '../shared/domain/zones/index.js';
import { StoppedError } from '../shared/errors.js';

/** The adapters of the app; each is built from the config on first use unless given in `RuntimeOptions.adapters`. */
export interface Adapters {
    lake: LakeWriter & LakeBytesWriter & LakeReader & LakeDeleter;
    vessels: VesselStateStore;
    sensors: SensorStateStore;
    alerts: AlertStore;
    /** Compliance findings (Cosmos `findings`). */
    findings: FindingStore;
    /** Where alerts go for downstream consumers. */
    publisher: AlertPublisher;
    /** Where batches whose retries ran out go (shared/app/deadLetter.ts). */
    deadLetters: DeadLetterSink;
    /** The gold layer: the SQL engine over the lake, the gold rows and the run ledger. */
    goldEngine: GoldEngine;
    gold: GoldStore;
    jobRuns: JobRunStore;
    /** Where `buildGold` sends the shards of a day (undefined: no queue configured, the shards are built inline). */
    shardQueue: ShardQueue | undefined;
    /**
     * Where lineage records go, and the lake's namespace in them. Undefined: none are recorded (the default of a
     * runtime given its own `lake`, since the default sink is that lake's `lineage` container).
     */
    lineage: LineageTarget | undefined;
    clock: Clock;
    metrics: Metrics;
}

/** Where lineage records go, and the lake's namespace in them. */
export interface LineageTarget {
    sink: LineageSink;
    lakeNamespace: string;
}

/** A landed ingest batch, for observers (the local stack's totals). */
export type LandedBatch = {
    source: string;
    summary: BatchSummary | SensorBatchSummary | MaintenanceBatchSummary;
};

export interface RuntimeOptions {
    /** Adapters to use instead of the ones the config describes (tests, benches). */
    adapters?: Partial<Adapters>;
    /** Called after each ingest batch a function handled (not for rebuilds), e.g. the local stack's totals. */
    onBatchLanded?: (batch: LandedBatch) => void;
}

/** Version of the compliance checks and their data files, on every finding. */
export const COMPLIANCE_RULE_VERSION = `compliance-1/speed-zones-${speedZonesFile.version}`;

const systemClock: Clock = { now: () => Date.now() };

export function createRuntime(config: Readonly<AppConfig>, options: RuntimeOptions = {}): Runtime {
    return new Runtime(config, options);
}

export class Runtime implements Adapters {
    readonly config: Readonly<AppConfig>;
    readonly #options: RuntimeOptions;
    readonly #made = new Map<string, unknown>();
    /**
     * Aborted by `stopRuns`: the timer jobs (gold, sensor hourly, compaction, compliance, maintenance scoring) stop
     * between their steps and files.
     */
    readonly #stop = new AbortController();
    /** Timer and queue invocations in progress (`track`), which `stopRuns` may wait for. */
    readonly #runs = new Set<Promise<unknown>>();

    constructor(config: Readonly<AppConfig>, options: RuntimeOptions = {}) {
        this.config = config;
        this.#options = options;
    }

    /** Aborted when the host stops (`stopRuns`); the long jobs' deps carry it. */
    get stopSignal(): AbortSignal {
        return this.#stop.signal;
    }

    /** Counts a timer or queue invocation in progress until it settles (`bindFunctions` wraps them). */
    track<T>(run: Promise<T>): Promise<T> {
        this.#runs.add(run);
        const done = (): void => void this.#runs.delete(run);
        void run.then(done, done);
        return run;
    }

    /** Timer and queue invocations in progress. */
    get runningInvocations(): number {
        return this.#runs.size;
    }

    /**
     * The host is stopping: the gold builds, sensor-hourly builds, compactions, compliance checks and maintenance
     * scorings in progress stop between their steps
     * and files (a running DuckDB query is interrupted) and leave their windows as after a crash, with the run ledger
     * lease handed back; the timers that fire later do nothing. Waits at most `waitMs` for the invocations in progress
     * to settle; resolves with how many still run. (The local stack calls it at Ctrl-C; in Azure the `appTerminate`
     * hook, functions/index.ts.)
     */
    async stopRuns(reason: string, waitMs = 0): Promise<number> {
        if (!this.#stop.signal.aborted) this.#stop.abort(new StoppedError(reason));
        if (waitMs > 0 && this.#runs.size > 0) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([
                Promise.allSettled([...this.#runs]),
                new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
            ]);
            clearTimeout(timer);
        }
        return this.#runs.size;
    }

    /** Built once, on first use. */
    #once<T>(key: string, make: () => T): T {
        if (!this.#made.has(key)) this.#made.set(key, make());
        return this.#made.get(key) as T;
    }

    /** The given adapter, else the one built from the config (once). */
    #adapter<K extends keyof Adapters>(key: K, make: () => Adapters[K]): Adapters[K] {
        return this.#options.adapters?.[key] ?? this.#once(key, make);
    }

    // --- SDK clients (one of each per runtime) ---

    get blobService() {
        return this.#once('blobService', () =>
            createBlobServiceClient(this.config.lake, this.config.azureClientId),
        );
    }

    get cosmos() {
        return this.#once('cosmos', () => createCosmosClient(this.config.cosmos, this.config.azureClientId));
    }

    /** The configured database. */
    get database() {
        return this.cosmos.database(this.config.cosmos.database);
    }

    /** A container of the configured database, by its name in the container table (settingNames.ts). */
    container(name: CosmosContainerName) {
        return this.database.container(name);
    }

    // --- adapters ---

    get lake() {
        return this.#adapter('lake', () => new BlobLake(createLakeContainers(this.blobService)));
    }
    get vessels() {
        return this.#adapter(
            'vessels',
            () =>
                new CosmosVesselStore(this.container('vessels'), { trackTtlDays: this.config.trackTtlDays }),
        );
    }
    get sensors() {
        return this.#adapter('sensors', () => new CosmosSensorStateStore(this.container('sensorState')));
    }
    get alerts() {
        return this.#adapter('alerts', () => new CosmosAlertStore(this.container('alerts')));
    }
    get findings() {
        return this.#adapter('findings', () => new CosmosFindingStore(this.container('findings')));
    }
    get gold() {
        return this.#adapter('gold', () => new CosmosGoldStore(this.container('gold')));
    }
    get jobRuns() {
        return this.#adapter('jobRuns', () => new CosmosJobRunStore(this.container('jobRuns')));
    }
    /** The queue service of the shard queue's connection, when one is configured. */
    get queueService() {
        const q = this.config.gold.shardQueue;
        if (q.connectionString === undefined && q.queueServiceUri === undefined) return undefined;
        return this.#once('queueService', () =>
            createQueueServiceClient(
                q,
                q.connectionString === undefined ? getCredential(this.config.azureClientId) : undefined,
            ),
        );
    }
    /** The gold shard queue (`GOLD_SHARD_QUEUE` on `GoldQueueConnection`); undefined when no connection is set. */
    get shardQueue(): ShardQueue | undefined {
        const given = this.#options.adapters;
        if (given !== undefined && 'shardQueue' in given) return given.shardQueue;
        const service = this.queueService;
        return service === undefined
            ? undefined
            : this.#once(
                  'shardQueue',
                  () => new StorageShardQueue(service, this.config.gold.shardQueue.name),
              );
    }
    /** Creates the shard queue and its poison queue when missing (the local stack, `maritime setup`). */
    async ensureShardQueue(): Promise<void> {
        const service = this.queueService;
        if (service !== undefined)
            await new StorageShardQueue(service, this.config.gold.shardQueue.name).ensureExists();
    }
    get goldEngine() {
        return this.#adapter(
            'goldEngine',
            () => new DuckDbGoldEngine(this.lake, { memoryLimit: this.config.gold.duckdbMemoryLimit }),
        );
    }

    /**
     * Where alerts go for downstream consumers: the `alerts` event hub (identity in Azure, a connection string with
     * the emulator). With no Event Hubs configured (the embedded local stack), each alert is printed as one line.
     */
    get publisher() {
        return this.#adapter('publisher', () => {
            const producer = appProducer(this.config.eventHub, this.config.alertsHubName, () =>
                getCredential(this.config.azureClientId),
            );
            return producer ? new EventHubAlertPublisher(producer) : new ConsoleAlertPublisher();
        });
    }

    /**
     * The dead-letter store: a local folder when `DEADLETTER_DIR` is set (the embedded stack, `func start`), else the
     * `ingest-deadletter` event hub (identity in Azure, a connection string with the emulator).
     */
    get deadLetters() {
        return this.#adapter('deadLetters', () => {
            if (this.config.deadLetter.dir !== undefined)
                return new FileDeadLetterStore(this.config.deadLetter.dir);
            const producer = appProducer(this.config.eventHub, this.config.deadLetter.hubName, () =>
                getCredential(this.config.azureClientId),
            );
            return producer
                ? new EventHubDeadLetterSink(producer)
                : new FileDeadLetterStore('.local/deadletter');
        });
    }

    /**
     * Where lineage records go: the lake's `lineage` container (one append blob per job, writer process and hour), and
     * also `OPENLINEAGE_URL` when set. The lake's namespace in the records is its blob endpoint.
     */
    get lineage(): LineageTarget | undefined {
        const given = this.#options.adapters;
        if (given !== undefined && ('lineage' in given || 'lake' in given)) return given.lineage;
        return this.#once('lineage', () => {
            const service = this.blobService;
            const lake = new BlobLineageSink(
                createLakeContainers(service).lineage,
                `${hostname()}-${process.pid}`,
            );
            const url = new URL(service.url);
            return {
                sink:
                    this.config.lineage.url === undefined
                        ? lake
                        : new TeeLineageSink([lake, new HttpLineageSink(this.config.lineage.url)]),
                lakeNamespace: `azblob://${url.host}${url.pathname.replace(/\/$/, '')}`,
            };
        });
    }

    get clock() {
        return this.#adapter('clock', () => systemClock);
    }
    /** Application Insights custom metrics (started by the Azure entry; dropped where it is not started). */
    get metrics() {
        return this.#adapter('metrics', () => appInsightsMetrics);
    }

    /**
     * What `/api/health` answers from (one per runtime, so one per instance in Azure and per HTTP thread locally): the
     * last probe of the watermarks and dependencies, refreshed in the background (shared/app/health.ts).
     */
    get health(): HealthMonitor {
        return this.#once(
            'health',
            () => new HealthMonitor({ lake: this.lake, vessels: this.vessels, now: () => Date.now() }),
        );
    }

    /** The watermark writer over the lake (one per runtime, so its throttle holds across invocations). */
    get watermarks(): WatermarkWriter {
        return this.#once('watermarks', () => new WatermarkWriter(this.lake));
    }

    /** The user's vessel particulars (`VESSEL_PARTICULARS_PATH`; cached, re-read every 10 minutes). */
    get particulars(): ParticularsFile {
        return this.#once(
            'particulars',
            () => new ParticularsFile(this.config.emissions.particularsPath, this.lake),
        );
    }

    /**
     * The check for missing resources (shared/adapters/resources.ts): a batch or request that fails because a lake
     * container, the database or a Cosmos container does not exist fails with a `MissingResourceError` naming it.
     * Its clients are this runtime's, used on the first failure only.
     */
    get resourceCheck(): ResourceCheck {
        return this.#once(
            'resourceCheck',
            () =>
                new ResourceCheck(() => ({
                    lake: createLakeContainers(this.blobService),
                    cosmos: this.cosmos,
                    database: this.config.cosmos.database,
                })),
        );
    }

    // --- reference data (compiled in or bundled; checked once per runtime) ---

    /** The sensor threshold rules (`config/sensor-rules.json`). */
    get rules(): RuleSet {
        return this.#once('rules', () => loadRules(rulesFile));
    }
    /** The zone index (ECAs compiled in). */
    get zones(): ZoneIndex {
        return this.#once('zones', () => createZoneIndex());
    }
    /** The ports of the port calls (the one port list, `shared/data/ports.tsv`, compiled in). */
    get ports(): PortIndex {
        return this.#once('ports', () => createPortIndex());
    }
    /** The speed zones of the compliance checks (`config/speed-zones.json`). */
    get speedZones(): SpeedZoneSet {
        return this.#once('speedZones', () => parseSpeedZones(speedZonesFile));
    }
    /**
     * The ports of the compliance checks (a silence in port is not a dark gap): the one port list, each port with its
     * own area (`radius_nm`), the one gold port calls use, so the checks and the port calls agree on "in port".
     */
    get compliancePorts(): readonly PortLocation[] {
        return portList();
    }

    /**
     * The maintenance model (`config/maintenance-model.json`, bundled at build time), checked once; its horizon must
     * be the one MAINTENANCE_HORIZON_DAYS promises (a model answers only the question it was trained for).
     */
    get maintenanceModel(): MaintenanceModel {
        return this.#once('maintenanceModel', () => {
            const model = checkModel(maintenanceModelFile);
            const horizon = this.config.maintenance.horizonDays;
            if (model.horizonDays !== horizon) {
                throw new Error(
                    `MAINTENANCE_HORIZON_DAYS is ${horizon} but config/maintenance-model.json predicts failures within ${model.horizonDays} days: ` +
                        `retrain with npx maritime train-maintenance --horizon-days ${horizon}, or set MAINTENANCE_HORIZON_DAYS=${model.horizonDays}`,
                );
            }
            return model;
        });
    }

    /** The CII fleet-days source over gold (`emissions_daily` + `vessel_daily`). */
    get ciiFleet(): GoldParquetCiiDays {
        return this.#once('ciiFleet', () => new GoldParquetCiiDays(this.lake));
    }

    /** A vessel's readings from silver `sensor_readings` (the live files), for `/api/vessels/{mmsi}/sensors/history`. */
    get sensorHistory(): SilverSensorHistory {
        return this.#once('sensorHistory', () => new SilverSensorHistory(this.lake));
    }

    // --- what the handlers report ---

    /** Marks the layers a landed batch wrote (best effort: a failure is logged, the batch stands). */
    async markWatermarks(
        source: string,
        summary: Parameters<WatermarkWriter['mark']>[1],
        logger: Logger,
    ): Promise<void> {
        try {
            await this.watermarks.mark(source, summary, Date.now());
        } catch (error) {
            logger.warn(
                `watermark not written (health freshness may lag): ${error instanceof Error ? error.message : String(error)}`,
            );
        }
    }

    /** An ingest function landed a batch: marks the watermarks and tells the observer (`onBatchLanded`). */
    async batchLanded(source: string, summary: LandedBatch['summary'], logger: Logger): Promise<void> {
        await this.markWatermarks(source, summary, logger);
        this.#options.onBatchLanded?.({ source, summary });
    }

    // --- the use cases' dependencies ---

    /** What every use case that raises alerts needs. */
    #alerting(logger: Logger): Pick<IngestDeps, 'alerts' | 'publisher' | 'clock' | 'metrics' | 'logger'> {
        return {
            alerts: this.alerts,
            publisher: this.publisher,
            clock: this.clock,
            metrics: this.metrics,
            logger,
        };
    }

    /** The event-time window of both ingest use cases (older or further ahead: quarantined). */
    #eventTimeWindow(): { futureToleranceMs: number; maxAgeMs: number } {
        const c = this.config.ingest;
        return {
            futureToleranceMs: c.eventTimeFutureToleranceSeconds * 1000,
            maxAgeMs: c.eventTimeMaxAgeDays * 86_400_000,
        };
    }

    ingestDeps(logger: Logger): IngestDeps {
        const c = this.config.ingest;
        return {
            ...this.#alerting(logger),
            lake: this.lake,
            vessels: this.vessels,
            zones: this.zones,
            settings: {
                ...this.#eventTimeWindow(),
                implausibleSpeedKnots: c.implausibleSpeedKnots,
                h3Resolution: c.h3Resolution,
            },
        };
    }

    sensorIngestDeps(logger: Logger): SensorIngestDeps {
        const { sensors } = this.config;
        return {
            ...this.#alerting(logger),
            lake: this.lake,
            sensors: this.sensors,
            vessels: this.vessels,
            zones: this.zones,
            rules: this.rules,
            settings: {
                ...this.#eventTimeWindow(),
                statsHalfLife: sensors.statsHalfLife,
                zThreshold: sensors.zThreshold,
                minCount: sensors.minCount,
            },
        };
    }

    maintenanceIngestDeps(logger: Logger): MaintenanceIngestDeps {
        return { lake: this.lake, clock: this.clock, metrics: this.metrics, logger };
    }

    collisionDeps(logger: Logger): CollisionDeps {
        const c = this.config.collisions;
        return {
            ...this.#alerting(logger),
            ...this.#stateLineageDeps(),
            vessels: this.vessels,
            settings: { cpaNm: c.cpaNm, tcpaMaxMin: c.tcpaMinutes, staleAfterMs: c.staleMinutes * 60_000 },
        };
    }

    complianceDeps(logger: Logger): ComplianceTimerDeps {
        const ports = this.compliancePorts;
        if (ports.length === 0) logger.warn('no port list found: every AIS silence counts as at sea');
        return {
            ...this.#alerting(logger),
            ...this.#stateLineageDeps(),
            runs: this.jobRuns,
            gold: this.gold,
            fleet: this.ciiFleet,
            inputs: new SilverComplianceInputs(this.lake),
            findings: this.findings,
            lake: this.lake,
            zones: this.zones,
            speedZones: this.speedZones,
            ports,
            signal: this.#stop.signal,
        };
    }

    get complianceSettings(): ComplianceTimerSettings {
        const c = this.config.compliance;
        return {
            horizonDays: c.horizonDays,
            maxWindows: c.maxWindows,
            graceMs: c.graceMinutes * 60_000,
            // The run ledger's lease: a check whose worker died is taken over after it (the gold timers' setting).
            leaseMs: this.config.gold.leaseMinutes * 60_000,
            lookbackHours: c.lookbackHours,
            darkGap: {
                minGapHours: c.gapHours,
                disablingGapHours: c.disablingGapHours,
                disablingMinDistanceNm: c.disablingDistanceNm,
            },
            speed: { maxFixGapMinutes: c.speedMaxFixGapMinutes, minDurationMinutes: c.speedMinMinutes },
            sulphur: { ecaCapPct: c.ecaSulphurPct, globalCapPct: c.globalSulphurPct, maxFixGapMinutes: 60 },
            identity: {
                ...DEFAULT_IDENTITY_SETTINGS,
                implausibleSpeedKn: this.config.ingest.implausibleSpeedKnots,
                incidentGapMinutes: c.jumpIncidentMinutes,
            },
        };
    }

    /** The gold job's dependencies, with the particulars table when a file is configured (bad cells are logged). */
    async goldJobDeps(logger: Logger): Promise<GoldJobDeps> {
        const { table, errors, path } = await this.particulars.load();
        if (errors.length > 0)
            logger.warn(
                `particulars file ${path ?? ''}: ${errors.length} bad cell(s), first: ${JSON.stringify(errors[0])}`,
            );
        return {
            lake: this.lake,
            engine: this.goldEngine,
            gold: this.gold,
            runs: this.jobRuns,
            zones: this.zones,
            ports: this.ports,
            clock: this.clock,
            logger,
            signal: this.#stop.signal,
            ...this.#lineageDeps(),
            ...(table === undefined ? {} : { particulars: table }),
            ...(this.shardQueue === undefined ? {} : { shardQueue: this.shardQueue }),
        };
    }

    /** The compaction job's dependencies: the lake, DuckDB to merge, the run ledger, lineage. */
    compactionDeps(logger: Logger): CompactionDeps {
        return {
            lake: this.lake,
            compactor: new DuckDbSilverCompactor(this.lake, {
                memoryLimit: this.config.compaction.duckdbMemoryLimit,
            }),
            runs: this.jobRuns,
            clock: this.clock,
            logger,
            signal: this.#stop.signal,
            ...this.#lineageDeps(),
        };
    }

    /** The lineage fields of a timer job's dependencies (none when the runtime records no lineage). */
    #lineageDeps(): { lineage?: LineageSink; lakeNamespace?: string } {
        const target = this.lineage;
        return target === undefined ? {} : { lineage: target.sink, lakeNamespace: target.lakeNamespace };
    }

    /**
     * The lineage fields of a timer that also reads or writes Cosmos DB state (findings, alerts, vessel states): the
     * database's OpenLineage namespace, `azurecosmos://{host}/dbs/{database}` (datasets `colls/{container}`).
     */
    #stateLineageDeps(): { lineage?: LineageSink; lakeNamespace?: string; cosmosNamespace?: string } {
        const deps = this.#lineageDeps();
        if (deps.lineage === undefined) return deps;
        let host = 'cosmos';
        try {
            host = new URL(this.config.cosmos.endpoint).host;
        } catch {
            // No endpoint in this configuration (a test runtime): a placeholder host.
        }
        return { ...deps, cosmosNamespace: `azurecosmos://${host}/dbs/${this.config.cosmos.database}` };
    }

    /**
     * What `ingestOrDeadLetter` needs for a batch from `hubName`: the dead-letter store, telemetry and the batch's
     * lineage (the lineage sinks, the lake's namespace and the event hubs namespace: its host in Azure, `local` for
     * the emulator or the embedded stack).
     */
    deadLetterDeps(
        deps: { clock: Clock; logger: Logger; metrics: Metrics },
        hubName: string,
    ): DeadLetterDeps {
        const target = this.lineage;
        const lineage: BatchLineage | undefined =
            target === undefined
                ? undefined
                : {
                      ...target,
                      hubNamespace: `eventhub://${this.config.eventHub.fullyQualifiedNamespace ?? 'local'}`,
                      hubName,
                  };
        return {
            deadLetters: this.deadLetters,
            clock: deps.clock,
            logger: deps.logger,
            metrics: deps.metrics,
            ...(lineage === undefined ? {} : { lineage }),
        };
    }

    maintenanceScoreDeps(logger: Logger): MaintenanceScoreDeps {
        return {
            ...this.#alerting(logger),
            ...this.#stateLineageDeps(),
            inputs: new LakeMaintenanceInputs(this.lake),
            lake: this.lake,
            gold: this.gold,
            runs: this.jobRuns,
            model: this.maintenanceModel,
            signal: this.#stop.signal,
        };
    }

    get maintenanceScoreSettings(): MaintenanceScoreSettings {
        const m = this.config.maintenance;
        return {
            historyDays: m.historyDays,
            catchUpDays: m.catchUpDays,
            maxWindows: m.maxWindows,
            leaseMs: this.config.gold.leaseMinutes * 60_000,
            alertProbability: m.alertProbability ?? this.maintenanceModel.threshold,
        };
    }

    get compactionSettings(): CompactionSettings {
        const c = this.config.compaction;
        return {
            ...DEFAULT_COMPACTION_SETTINGS,
            graceMs: c.graceMinutes * 60_000,
            lookbackHours: c.lookbackHours,
            maxHoursPerRun: c.maxHoursPerRun,
            targetFileBytes: c.targetFileMb * 1024 * 1024,
            deleteDelayMs: c.deleteDelayMinutes * 60_000,
            openMinFiles: c.openMinFiles,
        };
    }

    get goldSettings(): GoldJobSettings {
        const g = this.config.gold;
        return {
            graceMs: g.graceHours * 3_600_000,
            horizonDays: g.lateHorizonDays,
            maxWindows: g.maxWindowsPerRun,
            leaseMs: g.leaseMinutes * 60_000,
            shards: g.shards,
        };
    }

    /** Releases the SDK clients this runtime made (the local stack at stop, tools when done). */
    dispose(): void {
        const cosmos = this.#made.get('cosmos') as ReturnType<typeof createCosmosClient> | undefined;
        cosmos?.dispose();
        this.#made.clear();
    }
}
