/**
 * Composition root shared by the function files: builds the adapters once per worker (lazily, from the
 * checked settings) and the per-invocation dependencies of the use cases.
 */
import { hostname } from 'node:os';

import type { InvocationContext } from '@azure/functions';

import maintenanceModelFile from '../config/maintenance-model.json' with { type: 'json' };
import rulesFile from '../config/sensor-rules.json' with { type: 'json' };
import speedZonesFile from '../config/speed-zones.json' with { type: 'json' };
import { BlobLake } from '../shared/adapters/BlobLake.js';
import {
    createLakeContainers,
    getBlobServiceClient,
    getCosmosClient,
    getCredential,
    getVesselsContainer,
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
import { FileDeadLetterStore } from '../shared/adapters/FileDeadLetterStore.js';
import { GoldParquetCiiDays } from '../shared/adapters/GoldParquetCiiDays.js';
import { invocationLogger } from '../shared/adapters/invocationLogger.js';
import { LakeMaintenanceInputs } from '../shared/adapters/LakeMaintenanceInputs.js';
import { BlobLineageSink, HttpLineageSink, TeeLineageSink } from '../shared/adapters/lineage.js';
import { ParticularsFile } from '../shared/adapters/ParticularsFile.js';
import { loadPorts } from '../shared/adapters/portsFile.js';
import { SilverComplianceInputs } from '../shared/adapters/SilverComplianceInputs.js';
import { appInsightsMetrics } from '../shared/adapters/telemetry.js';
import { type CompactionDeps, type CompactionSettings, DEFAULT_COMPACTION_SETTINGS } from '../shared/app/compactSilver.js';
import type { ComplianceTimerDeps, ComplianceTimerSettings } from '../shared/app/compliance/runComplianceTimer.js';
import type { BatchLineage, DeadLetterDeps } from '../shared/app/deadLetter.js';
import type { GoldJobDeps, GoldJobSettings } from '../shared/app/gold/runGoldJob.js';
import type { IngestDeps } from '../shared/app/ingestAisBatch.js';
import type { MaintenanceIngestDeps } from '../shared/app/ingestMaintenanceBatch.js';
import type { SensorIngestDeps } from '../shared/app/ingestSensorBatch.js';
import type { JobRunStore } from '../shared/app/jobRuns.js';
import type { LineageSink } from '../shared/app/lineage.js';
import type { MaintenanceScoreDeps, MaintenanceScoreSettings } from '../shared/app/maintenance/scoreMaintenance.js';
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
    VesselStateStore,
} from '../shared/app/ports.js';
import type { CollisionDeps } from '../shared/app/watchCollisionRisks.js';
import { WatermarkWriter } from '../shared/app/watermarks.js';
import { type AppConfig, getConfig } from '../shared/config/loadConfig.js';
import {
    DEFAULT_IDENTITY_SETTINGS,
    parseSpeedZones,
    type PortLocation,
    type SpeedZoneSet,
} from '../shared/domain/compliance/index.js';
import type { PortIndex } from '../shared/domain/gold/portCalls.js';
import { createPortIndex } from '../shared/domain/gold/ports.js';
import { checkModel, type MaintenanceModel } from '../shared/domain/maintenance/model.js';
import { loadRules, type RuleSet } from '../shared/domain/sensors/index.js';
import { createZoneIndex, type ZoneIndex } from '../shared/domain/zones/index.js';

export interface Runtime {
    lake: LakeWriter & LakeBytesWriter & LakeReader & LakeDeleter;
    /** Compliance findings; absent = Cosmos `findings` (created on first use). */
    findings?: FindingStore;
    vessels: VesselStateStore;
    sensors: SensorStateStore;
    alerts: AlertStore;
    publisher: AlertPublisher;
    /** Where lineage records go (absent: none are written). */
    lineage?: LineageTarget;
    /** Where batches whose retries ran out go (shared/app/deadLetter.ts). */
    deadLetters: DeadLetterSink;
    clock: Clock;
    metrics: Metrics;
}

/**
 * The dead-letter store: a local folder when `DEADLETTER_DIR` is set (the embedded stack, `func start`), else the
 * `ingest-deadletter` event hub (identity in Azure, a connection string with the emulator).
 */
function createDeadLetters(config: Readonly<AppConfig>): DeadLetterSink {
    const hub = config.deadLetter.hubName;
    if (config.deadLetter.dir !== undefined) return new FileDeadLetterStore(config.deadLetter.dir);
    if (config.eventHub.connectionString) return EventHubDeadLetterSink.fromConnectionString(config.eventHub.connectionString, hub);
    if (config.eventHub.fullyQualifiedNamespace) {
        return EventHubDeadLetterSink.fromNamespace(config.eventHub.fullyQualifiedNamespace, hub, getCredential(config.azureClientId));
    }
    return new FileDeadLetterStore('.local/deadletter');
}

/**
 * Where alerts go for downstream consumers: the `alerts` event hub (identity in Azure, a connection string with
 * the emulator). With no Event Hubs configured (the embedded local stack), each alert is printed as one line.
 */
function createPublisher(config: Readonly<AppConfig>): AlertPublisher {
    const hub = config.alertsHubName;
    if (config.eventHub.connectionString) return EventHubAlertPublisher.fromConnectionString(config.eventHub.connectionString, hub);
    if (config.eventHub.fullyQualifiedNamespace) {
        return EventHubAlertPublisher.fromNamespace(config.eventHub.fullyQualifiedNamespace, hub, {
            credential: getCredential(config.azureClientId),
        });
    }
    return new ConsoleAlertPublisher();
}

let rules: RuleSet | undefined;
let zones: ZoneIndex | undefined;

/** The sensor threshold rules (`config/sensor-rules.json`, bundled at build time), checked once. */
export function getRules(): RuleSet {
    rules ??= loadRules(rulesFile);
    return rules;
}

/** The zone index (ECAs compiled in), built once per worker. */
export function getZones(): ZoneIndex {
    zones ??= createZoneIndex();
    return zones;
}

let ports: PortIndex | undefined;

/** The ports of the port calls (`shared/data/ports.tsv`, compiled in), indexed once per worker. */
export function getPorts(): PortIndex {
    ports ??= createPortIndex();
    return ports;
}

const systemClock: Clock = { now: () => Date.now() };

let runtime: Runtime | undefined;

/** The adapters, created on first use. Tests and the local host may install their own with `setRuntime`. */
export function getRuntime(): Runtime {
    if (!runtime) {
        const config = getConfig();
        const database = getCosmosClient(config).database(config.cosmos.database);
        runtime = {
            lake: new BlobLake(createLakeContainers(getBlobServiceClient(config))),
            vessels: new CosmosVesselStore(getVesselsContainer(config), { trackTtlDays: config.trackTtlDays }),
            sensors: new CosmosSensorStateStore(database.container('sensorState')),
            alerts: new CosmosAlertStore(database.container('alerts')),
            publisher: createPublisher(config),
            deadLetters: createDeadLetters(config),
            lineage: createLineage(config),
            clock: systemClock,
            metrics: appInsightsMetrics,
        };
    }
    return runtime;
}

export function setRuntime(r: Runtime | undefined): void {
    runtime = r;
}

/** Version of the compliance checks and their data files, on every finding. */
export const COMPLIANCE_RULE_VERSION = `compliance-1/speed-zones-${speedZonesFile.version}`;

let speedZones: SpeedZoneSet | undefined;
let compliancePorts: PortLocation[] | undefined;
let findings: FindingStore | undefined;

/** The findings store: the runtime's when it has one (tests), else Cosmos `findings`. */
export function getFindingStore(): FindingStore {
    const rt = getRuntime();
    if (rt.findings !== undefined) return rt.findings;
    findings ??= new CosmosFindingStore(
        getCosmosClient(getConfig()).database(getConfig().cosmos.database).container('findings'),
    );
    return findings;
}

export function complianceSettings(): ComplianceTimerSettings {
    const c = getConfig().compliance;
    return {
        horizonDays: c.horizonDays,
        maxWindows: c.maxWindows,
        graceMs: c.graceMinutes * 60_000,
        // The run ledger's lease: a check whose worker died is taken over after it (the gold timers' setting).
        leaseMs: getConfig().gold.leaseMinutes * 60_000,
        lookbackHours: c.lookbackHours,
        darkGap: {
            minGapHours: c.gapHours,
            disablingGapHours: c.disablingGapHours,
            disablingMinDistanceNm: c.disablingDistanceNm,
            portRadiusNm: c.portRadiusNm,
        },
        speed: { maxFixGapMinutes: c.speedMaxFixGapMinutes, minDurationMinutes: c.speedMinMinutes },
        sulphur: { ecaCapPct: c.ecaSulphurPct, globalCapPct: c.globalSulphurPct, maxFixGapMinutes: 60 },
        identity: {
            ...DEFAULT_IDENTITY_SETTINGS,
            implausibleSpeedKn: getConfig().ingest.implausibleSpeedKnots,
            incidentGapMinutes: c.jumpIncidentMinutes,
        },
    };
}

let ciiFleet: GoldParquetCiiDays | undefined;

export function complianceDeps(context: InvocationContext): ComplianceTimerDeps {
    const rt = getRuntime();
    speedZones ??= parseSpeedZones(speedZonesFile);
    compliancePorts ??= loadPorts();
    const logger = invocationLogger(context);
    if (compliancePorts.length === 0) logger.warn('no port list found: every AIS silence counts as at sea');
    ciiFleet ??= new GoldParquetCiiDays(rt.lake);
    return {
        runs: getGoldRuntime().runs,
        gold: getGoldRuntime().gold,
        fleet: ciiFleet,
        inputs: new SilverComplianceInputs(rt.lake),
        findings: getFindingStore(),
        alerts: rt.alerts,
        publisher: rt.publisher,
        lake: rt.lake,
        zones: getZones(),
        speedZones,
        ports: compliancePorts,
        clock: rt.clock,
        logger,
        metrics: rt.metrics,
    };
}

const watermarkWriters = new WeakMap<LakeWriter, WatermarkWriter>();

/** The watermark writer over the runtime's lake (one per lake, so its throttle holds across invocations). */
export function getWatermarks(): WatermarkWriter {
    const lake = getRuntime().lake;
    let w = watermarkWriters.get(lake);
    if (!w) watermarkWriters.set(lake, (w = new WatermarkWriter(lake)));
    return w;
}

/** Marks the layers a landed batch wrote (best effort: a failure is logged, the batch stands). */
export async function markWatermarks(source: string, summary: Parameters<WatermarkWriter['mark']>[1], context: InvocationContext): Promise<void> {
    try {
        await getWatermarks().mark(source, summary, Date.now());
    } catch (error) {
        context.warn(`watermark not written (health freshness may lag): ${error instanceof Error ? error.message : String(error)}`);
    }
}

/** The gold layer's adapters: the SQL engine over the lake, the gold rows and the run ledger in Cosmos. */
export interface GoldRuntime {
    engine: GoldEngine;
    gold: GoldStore;
    runs: JobRunStore;
}

let goldRuntime: GoldRuntime | undefined;

export function getGoldRuntime(): GoldRuntime {
    if (!goldRuntime) {
        const config = getConfig();
        const database = getCosmosClient(config).database(config.cosmos.database);
        goldRuntime = {
            engine: new DuckDbGoldEngine(getRuntime().lake, { memoryLimit: config.gold.duckdbMemoryLimit }),
            gold: new CosmosGoldStore(database.container('gold')),
            runs: new CosmosJobRunStore(database.container('jobRuns')),
        };
    }
    return goldRuntime;
}

export function setGoldRuntime(r: GoldRuntime | undefined): void {
    goldRuntime = r;
}

export function goldJobDeps(context: InvocationContext): GoldJobDeps {
    const rt = getRuntime();
    const gold = getGoldRuntime();
    return {
        lake: rt.lake,
        engine: gold.engine,
        gold: gold.gold,
        runs: gold.runs,
        zones: getZones(),
        ports: getPorts(),
        clock: rt.clock,
        logger: invocationLogger(context),
        ...lineageDeps(),
    };
}

/** The lineage fields of a timer job's dependencies (none when the runtime has no lineage target). */
function lineageDeps(): { lineage?: LineageSink; lakeNamespace?: string } {
    const target = getLineage();
    return target === undefined ? {} : { lineage: target.sink, lakeNamespace: target.lakeNamespace };
}

let particularsFile: ParticularsFile | undefined;

/** The user's vessel particulars (`VESSEL_PARTICULARS_PATH`; cached, re-read every 10 minutes). */
export function getParticularsFile(): ParticularsFile {
    particularsFile ??= new ParticularsFile(getConfig().emissions.particularsPath, getRuntime().lake);
    return particularsFile;
}

/** The gold job's dependencies with the particulars table loaded (undefined when no file is configured). */
export async function goldJobDepsWithParticulars(context: InvocationContext): Promise<GoldJobDeps> {
    const { table, errors, path } = await getParticularsFile().load();
    if (errors.length > 0) context.warn(`particulars file ${path ?? ''}: ${errors.length} bad cell(s), first: ${JSON.stringify(errors[0])}`);
    const deps = goldJobDeps(context);
    return table === undefined ? deps : { ...deps, particulars: table };
}

export function goldJobSettings(): GoldJobSettings {
    const g = getConfig().gold;
    return {
        graceMs: g.graceHours * 3_600_000,
        horizonDays: g.lateHorizonDays,
        maxWindows: g.maxWindowsPerRun,
        leaseMs: g.leaseMinutes * 60_000,
        shards: g.shards,
    };
}

export function ingestDeps(context: InvocationContext): IngestDeps {
    const rt = getRuntime();
    const c = getConfig().ingest;
    return {
        lake: rt.lake,
        vessels: rt.vessels,
        zones: getZones(),
        alerts: rt.alerts,
        publisher: rt.publisher,
        clock: rt.clock,
        metrics: rt.metrics,
        logger: invocationLogger(context),
        settings: {
            futureToleranceMs: c.eventTimeFutureToleranceSeconds * 1000,
            maxAgeMs: c.eventTimeMaxAgeDays * 86_400_000,
            implausibleSpeedKnots: c.implausibleSpeedKnots,
            h3Resolution: c.h3Resolution,
        },
    };
}

export function sensorIngestDeps(context: InvocationContext): SensorIngestDeps {
    const rt = getRuntime();
    const config = getConfig();
    return {
        lake: rt.lake,
        sensors: rt.sensors,
        vessels: rt.vessels,
        alerts: rt.alerts,
        publisher: rt.publisher,
        zones: getZones(),
        rules: getRules(),
        clock: rt.clock,
        metrics: rt.metrics,
        logger: invocationLogger(context),
        settings: {
            futureToleranceMs: config.ingest.eventTimeFutureToleranceSeconds * 1000,
            maxAgeMs: config.ingest.eventTimeMaxAgeDays * 86_400_000,
            statsHalfLife: config.sensors.statsHalfLife,
            zThreshold: config.sensors.zThreshold,
            minCount: config.sensors.minCount,
        },
    };
}

export function maintenanceIngestDeps(context: InvocationContext): MaintenanceIngestDeps {
    const rt = getRuntime();
    return { lake: rt.lake, clock: rt.clock, metrics: rt.metrics, logger: invocationLogger(context) };
}

let maintenanceModel: MaintenanceModel | undefined;

/**
 * The maintenance model (`config/maintenance-model.json`, bundled at build time), checked once; its horizon must be
 * the one MAINTENANCE_HORIZON_DAYS promises (a model answers only the question it was trained for).
 */
export function getMaintenanceModel(): MaintenanceModel {
    if (!maintenanceModel) {
        const model = checkModel(maintenanceModelFile);
        const horizon = getConfig().maintenance.horizonDays;
        if (model.horizonDays !== horizon) {
            throw new Error(
                `MAINTENANCE_HORIZON_DAYS is ${horizon} but config/maintenance-model.json predicts failures within ${model.horizonDays} days: ` +
                    `retrain with npx maritime train-maintenance --horizon-days ${horizon}, or set MAINTENANCE_HORIZON_DAYS=${model.horizonDays}`,
            );
        }
        maintenanceModel = model;
    }
    return maintenanceModel;
}

export function maintenanceScoreDeps(context: InvocationContext): MaintenanceScoreDeps {
    const rt = getRuntime();
    const gold = getGoldRuntime();
    return {
        inputs: new LakeMaintenanceInputs(rt.lake),
        lake: rt.lake,
        gold: gold.gold,
        runs: gold.runs,
        alerts: rt.alerts,
        publisher: rt.publisher,
        model: getMaintenanceModel(),
        clock: rt.clock,
        logger: invocationLogger(context),
        metrics: rt.metrics,
    };
}

export function maintenanceScoreSettings(): MaintenanceScoreSettings {
    const config = getConfig();
    const m = config.maintenance;
    return {
        historyDays: m.historyDays,
        catchUpDays: m.catchUpDays,
        maxWindows: m.maxWindows,
        leaseMs: config.gold.leaseMinutes * 60_000,
        alertProbability: m.alertProbability ?? getMaintenanceModel().threshold,
    };
}

export function collisionDeps(context: InvocationContext): CollisionDeps {
    const rt = getRuntime();
    const c = getConfig().collisions;
    return {
        vessels: rt.vessels,
        alerts: rt.alerts,
        publisher: rt.publisher,
        clock: rt.clock,
        metrics: rt.metrics,
        logger: invocationLogger(context),
        settings: { cpaNm: c.cpaNm, tcpaMaxMin: c.tcpaMinutes, staleAfterMs: c.staleMinutes * 60_000 },
    };
}

/** Where lineage records go, and the lake's namespace in them. */
export interface LineageTarget {
    sink: LineageSink;
    lakeNamespace: string;
}

/**
 * The lake's `lineage` container (one append blob per job, writer process and hour), and also `OPENLINEAGE_URL` when
 * set. The lake's namespace in the records is its blob endpoint.
 */
function createLineage(config: Readonly<AppConfig>): LineageTarget {
    const service = getBlobServiceClient(config);
    const lake = new BlobLineageSink(createLakeContainers(service).lineage, `${hostname()}-${process.pid}`);
    const url = new URL(service.url);
    return {
        sink: config.lineage.url === undefined ? lake : new TeeLineageSink([lake, new HttpLineageSink(config.lineage.url)]),
        lakeNamespace: `azblob://${url.host}${url.pathname.replace(/\/$/, '')}`,
    };
}

/** The runtime's lineage target (none for a runtime a test installed without one: nothing is recorded). */
export function getLineage(): LineageTarget | undefined {
    return getRuntime().lineage;
}

/**
 * The lineage of an ingest batch from `hubName`: the lineage sinks, the lake's namespace and the event hubs
 * namespace (its host in Azure, `local` for the emulator or the embedded stack).
 */
export function batchLineage(hubName: string): BatchLineage | undefined {
    const target = getLineage();
    if (target === undefined) return undefined;
    const fqns = getConfig().eventHub.fullyQualifiedNamespace;
    return { ...target, hubNamespace: `eventhub://${fqns ?? 'local'}`, hubName };
}

/** What `ingestOrDeadLetter` needs for a batch from `hubName`: the dead-letter store, telemetry and lineage. */
export function deadLetterDeps(deps: { clock: Clock; logger: Logger; metrics: Metrics }, hubName: string): DeadLetterDeps {
    const lineage = batchLineage(hubName);
    return {
        deadLetters: getRuntime().deadLetters,
        clock: deps.clock,
        logger: deps.logger,
        metrics: deps.metrics,
        ...(lineage === undefined ? {} : { lineage }),
    };
}

/** The compaction job's dependencies: the lake, DuckDB to merge, the run ledger, lineage. */
export function compactionDeps(logger: Logger): CompactionDeps {
    const rt = getRuntime();
    const config = getConfig();
    return {
        lake: rt.lake,
        compactor: new DuckDbSilverCompactor(rt.lake, { memoryLimit: config.gold.duckdbMemoryLimit }),
        runs: getGoldRuntime().runs,
        clock: rt.clock,
        logger,
        ...lineageDeps(),
    };
}

export function compactionSettings(): CompactionSettings {
    const c = getConfig().compaction;
    return {
        ...DEFAULT_COMPACTION_SETTINGS,
        graceMs: c.graceMinutes * 60_000,
        lookbackHours: c.lookbackHours,
        maxHoursPerRun: c.maxHoursPerRun,
        targetFileBytes: c.targetFileMb * 1024 * 1024,
        deleteDelayMs: c.deleteDelayMinutes * 60_000,
    };
}
