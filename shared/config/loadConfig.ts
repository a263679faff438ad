/**
 * Checks every app setting and builds the typed `AppConfig`. All problems are collected and reported together in
 * one `ConfigError`; defaults come from `SETTINGS` (settingNames.ts), the single source of the names.
 *
 * The settings come in as a plain record: the Azure entry (`functions/index.ts`) passes `process.env`, the local
 * stack the record it builds (`local/stack.ts`), tests their own. Nothing reads `process.env` here.
 */
import { ConfigError } from '../errors.js';
import { type SettingName, SETTINGS } from './settingNames.js';

export interface AppConfig {
    eventHub: {
        /** `AIS_EVENTHUB_NAME` */
        aisHubName: string;
        /** `AIS_CONSUMER_GROUP` */
        aisConsumerGroup: string;
        /** `EventHubConnection__fullyQualifiedNamespace` (identity-based trigger, Azure). */
        fullyQualifiedNamespace?: string;
        /** `EventHubConnection` (connection string, emulator only). */
        connectionString?: string;
    };
    lake: {
        /** `LAKE_CONNECTION_STRING` (local, Azurite); takes precedence over `blobEndpoint`. */
        connectionString?: string;
        /** `LAKE_BLOB_ENDPOINT` (Azure, used with the managed identity). */
        blobEndpoint?: string;
    };
    cosmos: {
        /** `COSMOS_ENDPOINT` */
        endpoint: string;
        /** `COSMOS_KEY` (local only); absent means the managed identity. */
        key?: string;
        /** `COSMOS_DATABASE` */
        database: string;
    };
    /** `AZURE_CLIENT_ID`: the user-assigned identity every SDK client uses in Azure. */
    azureClientId?: string;
    appInsights: {
        connectionString?: string;
        authenticationString?: string;
    };
    ingest: {
        /** `EVENT_TIME_FUTURE_TOLERANCE_SECONDS` */
        eventTimeFutureToleranceSeconds: number;
        /** `EVENT_TIME_MAX_AGE_DAYS` */
        eventTimeMaxAgeDays: number;
        /** `IMPLAUSIBLE_SPEED_KNOTS` */
        implausibleSpeedKnots: number;
        /** `H3_RESOLUTION` (integer 0..15) */
        h3Resolution: number;
    };
    /** `TRACK_TTL_DAYS` */
    trackTtlDays: number;
    sensors: {
        /** `SENSOR_EVENTHUB_NAME`, `SENSOR_CONSUMER_GROUP` */
        hubName: string;
        consumerGroup: string;
        /** `SENSOR_STATS_HALF_LIFE` (readings) */
        statsHalfLife: number;
        /** `SENSOR_Z_THRESHOLD` */
        zThreshold: number;
        /** `SENSOR_MIN_COUNT` */
        minCount: number;
    };
    /** `ALERTS_EVENTHUB_NAME` */
    alertsHubName: string;
    deadLetter: {
        /** `DEADLETTER_EVENTHUB_NAME` */
        hubName: string;
        /** `DEADLETTER_DIR` (local): a folder instead of the event hub. */
        dir?: string;
    };
    gold: {
        /** `GOLD_SCHEDULE` (NCRONTAB) */
        schedule: string;
        /** `SENSOR_HOURLY_SCHEDULE` (NCRONTAB) */
        sensorHourlySchedule: string;
        /** `GOLD_GRACE_HOURS` */
        graceHours: number;
        /** `GOLD_LATE_HORIZON_DAYS` */
        lateHorizonDays: number;
        /** `GOLD_MAX_WINDOWS_PER_RUN` */
        maxWindowsPerRun: number;
        /** `GOLD_LEASE_MINUTES` */
        leaseMinutes: number;
        /** `GOLD_SHARDS` */
        shards: number;
        /** `GOLD_DUCKDB_MEMORY_LIMIT` (the gold day, shard and sensor-hourly builds; not compaction) */
        duckdbMemoryLimit: string;
        /** The shard queue: `GOLD_SHARD_QUEUE` and where it is (neither connection set: shards are built inline). */
        shardQueue: {
            name: string;
            /** `GoldQueueConnection` (local, Azurite). */
            connectionString?: string;
            /** `GoldQueueConnection__queueServiceUri` (Azure, used with the managed identity). */
            queueServiceUri?: string;
        };
    };
    lineage: {
        /** `OPENLINEAGE_URL`: also POST lineage records there. */
        url?: string;
    };
    compaction: {
        /** `COMPACTION_SCHEDULE` (NCRONTAB) */
        schedule: string;
        /** `COMPACTION_GRACE_MINUTES` */
        graceMinutes: number;
        /** `COMPACTION_LOOKBACK_HOURS` */
        lookbackHours: number;
        /** `COMPACTION_DUCKDB_MEMORY_LIMIT` */
        duckdbMemoryLimit: string;
        /** `COMPACTION_MAX_HOURS_PER_RUN` */
        maxHoursPerRun: number;
        /** `COMPACTION_TARGET_FILE_MB` */
        targetFileMb: number;
        /** `COMPACTION_DELETE_DELAY_MINUTES` */
        deleteDelayMinutes: number;
        /** `COMPACTION_OPEN_MIN_FILES` (0 = open hours are not compacted) */
        openMinFiles: number;
    };
    collisions: {
        /** `COLLISION_CPA_NM` */
        cpaNm: number;
        /** `COLLISION_TCPA_MINUTES` */
        tcpaMinutes: number;
        /** `COLLISION_STALE_MINUTES` */
        staleMinutes: number;
    };
    emissions: {
        /** `VESSEL_PARTICULARS_PATH`: local file or `lake:<container>/<path>`; absent: particulars estimated. */
        particularsPath?: string;
    };
    compliance: {
        /** `COMPLIANCE_SCHEDULE` (NCRONTAB) */
        schedule: string;
        horizonDays: number;
        maxWindows: number;
        graceMinutes: number;
        lookbackHours: number;
        gapHours: number;
        disablingGapHours: number;
        disablingDistanceNm: number;
        speedMinMinutes: number;
        speedMaxFixGapMinutes: number;
        ecaSulphurPct: number;
        globalSulphurPct: number;
        jumpIncidentMinutes: number;
    };
    maintenance: {
        /** `MAINTENANCE_EVENTHUB_NAME` */
        hubName: string;
        /** `MAINTENANCE_SCHEDULE` (NCRONTAB) */
        schedule: string;
        horizonDays: number;
        /** Undefined: the model's own threshold. */
        alertProbability?: number;
        historyDays: number;
        catchUpDays: number;
        maxWindows: number;
    };
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULTS: ReadonlyMap<string, string> = new Map(
    SETTINGS.flatMap((s) => ('defaultValue' in s ? [[s.name, s.defaultValue] as const] : [])),
);

/**
 * The default value of a setting (settingNames.ts), for an adapter constructed without the loaded config (tests,
 * benches) so it still falls back to the one documented default rather than a number of its own.
 */
export function settingDefault(name: SettingName): string {
    const value = DEFAULTS.get(name);
    if (value === undefined) throw new Error(`setting ${name} has no default value`);
    return value;
}

/** Reads the settings from `env` (app settings as a record). Throws one `ConfigError` listing every problem. */
export function loadConfig(env: Env): Readonly<AppConfig> {
    const problems: string[] = [];

    const optional = (name: SettingName): string | undefined => {
        const raw = env[name]?.trim();
        if (raw !== undefined && raw !== '') return raw;
        return DEFAULTS.get(name);
    };
    const required = (name: SettingName, why: string): string => {
        const value = optional(name);
        if (value === undefined) {
            problems.push(`${name} is required (${why})`);
            return '';
        }
        return value;
    };
    const number = (name: SettingName, check: { min?: number; max?: number; integer?: boolean }): number => {
        const raw = optional(name);
        if (raw === undefined) {
            problems.push(`${name} is required (a number)`);
            return Number.NaN;
        }
        const value = Number(raw);
        const range = `${check.min ?? '-inf'}..${check.max ?? 'inf'}`;
        if (!Number.isFinite(value)) {
            problems.push(`${name} must be a number, got '${raw}'`);
        } else if (check.integer === true && !Number.isInteger(value)) {
            problems.push(`${name} must be an integer, got '${raw}'`);
        } else if (
            (check.min !== undefined && value < check.min) ||
            (check.max !== undefined && value > check.max)
        ) {
            problems.push(`${name} must be in ${range}, got '${raw}'`);
        }
        return value;
    };
    /** A Storage queue name: 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric (room for `-poison`). */
    const queueName = (name: SettingName): string => {
        const value = required(name, 'queue name');
        if (
            value !== '' &&
            (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(value) || value.length < 3 || value.length > 56)
        ) {
            problems.push(
                `${name} must be a queue name (3-56 lowercase letters, digits and single hyphens, so that '<name>-poison' is valid too), got '${value}'`,
            );
        }
        return value;
    };
    const url = (name: SettingName, value: string | undefined): string | undefined => {
        if (value === undefined || value === '') return value;
        try {
            const parsed = new URL(value);
            if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
                problems.push(`${name} must be an http(s) URL, got '${value}'`);
            }
        } catch {
            problems.push(`${name} must be a URL, got '${value}'`);
        }
        return value;
    };

    const lakeConnectionString = optional('LAKE_CONNECTION_STRING');
    const lakeBlobEndpoint = url('LAKE_BLOB_ENDPOINT', optional('LAKE_BLOB_ENDPOINT'));
    if (lakeConnectionString === undefined && lakeBlobEndpoint === undefined) {
        problems.push(
            'LAKE_CONNECTION_STRING (local) or LAKE_BLOB_ENDPOINT (Azure, managed identity) is required',
        );
    }
    const cosmosEndpoint = url('COSMOS_ENDPOINT', required('COSMOS_ENDPOINT', 'Cosmos DB account endpoint'));
    const cosmosKey = optional('COSMOS_KEY');
    if (cosmosKey === undefined && cosmosEndpoint !== undefined && isLocalEndpoint(cosmosEndpoint)) {
        problems.push('COSMOS_KEY is required for a local COSMOS_ENDPOINT (emulators have no Entra ID auth)');
    }

    const config: AppConfig = {
        eventHub: {
            aisHubName: required('AIS_EVENTHUB_NAME', 'event hub name'),
            aisConsumerGroup: required('AIS_CONSUMER_GROUP', 'consumer group'),
            ...defined('fullyQualifiedNamespace', optional('EventHubConnection__fullyQualifiedNamespace')),
            ...defined('connectionString', optional('EventHubConnection')),
        },
        lake: {
            ...defined('connectionString', lakeConnectionString),
            ...defined('blobEndpoint', lakeBlobEndpoint),
        },
        cosmos: {
            endpoint: cosmosEndpoint ?? '',
            ...defined('key', cosmosKey),
            database: required('COSMOS_DATABASE', 'database name'),
        },
        ...defined('azureClientId', optional('AZURE_CLIENT_ID')),
        appInsights: {
            ...defined('connectionString', optional('APPLICATIONINSIGHTS_CONNECTION_STRING')),
            ...defined('authenticationString', optional('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')),
        },
        ingest: {
            eventTimeFutureToleranceSeconds: number('EVENT_TIME_FUTURE_TOLERANCE_SECONDS', { min: 0 }),
            eventTimeMaxAgeDays: number('EVENT_TIME_MAX_AGE_DAYS', { min: 0 }),
            implausibleSpeedKnots: number('IMPLAUSIBLE_SPEED_KNOTS', { min: 1 }),
            h3Resolution: number('H3_RESOLUTION', { min: 0, max: 15, integer: true }),
        },
        trackTtlDays: number('TRACK_TTL_DAYS', { min: 1 / 24, max: 3650 }),
        sensors: {
            hubName: required('SENSOR_EVENTHUB_NAME', 'event hub name'),
            consumerGroup: required('SENSOR_CONSUMER_GROUP', 'consumer group'),
            statsHalfLife: number('SENSOR_STATS_HALF_LIFE', { min: 1 }),
            zThreshold: number('SENSOR_Z_THRESHOLD', { min: 0.5 }),
            minCount: number('SENSOR_MIN_COUNT', { min: 2, integer: true }),
        },
        alertsHubName: required('ALERTS_EVENTHUB_NAME', 'event hub name'),
        deadLetter: {
            hubName: required('DEADLETTER_EVENTHUB_NAME', 'event hub name'),
            ...defined('dir', optional('DEADLETTER_DIR')),
        },
        gold: {
            schedule: required('GOLD_SCHEDULE', 'NCRONTAB schedule'),
            sensorHourlySchedule: required('SENSOR_HOURLY_SCHEDULE', 'NCRONTAB schedule'),
            graceHours: number('GOLD_GRACE_HOURS', { min: 0, max: 48 }),
            lateHorizonDays: number('GOLD_LATE_HORIZON_DAYS', { min: 0, max: 90, integer: true }),
            maxWindowsPerRun: number('GOLD_MAX_WINDOWS_PER_RUN', { min: 1, max: 100, integer: true }),
            leaseMinutes: number('GOLD_LEASE_MINUTES', { min: 1, max: 240 }),
            shards: number('GOLD_SHARDS', { min: 1, max: 64, integer: true }),
            duckdbMemoryLimit: required('GOLD_DUCKDB_MEMORY_LIMIT', 'DuckDB memory limit such as 1GB'),
            shardQueue: {
                name: queueName('GOLD_SHARD_QUEUE'),
                ...defined('connectionString', optional('GoldQueueConnection')),
                ...defined(
                    'queueServiceUri',
                    url(
                        'GoldQueueConnection__queueServiceUri',
                        optional('GoldQueueConnection__queueServiceUri'),
                    ),
                ),
            },
        },
        lineage: {
            ...defined('url', url('OPENLINEAGE_URL', optional('OPENLINEAGE_URL'))),
        },
        compaction: {
            schedule: required('COMPACTION_SCHEDULE', 'NCRONTAB schedule'),
            graceMinutes: number('COMPACTION_GRACE_MINUTES', { min: 0, max: 24 * 60 }),
            lookbackHours: number('COMPACTION_LOOKBACK_HOURS', { min: 1, max: 24 * 366, integer: true }),
            duckdbMemoryLimit: required('COMPACTION_DUCKDB_MEMORY_LIMIT', 'DuckDB memory limit such as 1GB'),
            maxHoursPerRun: number('COMPACTION_MAX_HOURS_PER_RUN', { min: 1, max: 10_000, integer: true }),
            targetFileMb: number('COMPACTION_TARGET_FILE_MB', { min: 1, max: 4096 }),
            deleteDelayMinutes: number('COMPACTION_DELETE_DELAY_MINUTES', { min: 0, max: 7 * 24 * 60 }),
            openMinFiles: number('COMPACTION_OPEN_MIN_FILES', { min: 0, max: 1_000_000, integer: true }),
        },
        collisions: {
            cpaNm: number('COLLISION_CPA_NM', { min: 0.01, max: 10 }),
            tcpaMinutes: number('COLLISION_TCPA_MINUTES', { min: 1, max: 120 }),
            staleMinutes: number('COLLISION_STALE_MINUTES', { min: 1, max: 1440 }),
        },
        emissions: {
            ...defined('particularsPath', optional('VESSEL_PARTICULARS_PATH')),
        },
        compliance: {
            schedule: required('COMPLIANCE_SCHEDULE', 'NCRONTAB schedule'),
            horizonDays: number('COMPLIANCE_HORIZON_DAYS', { min: 0, max: 366, integer: true }),
            maxWindows: number('COMPLIANCE_MAX_WINDOWS', { min: 1, max: 100, integer: true }),
            graceMinutes: number('COMPLIANCE_GRACE_MINUTES', { min: 0, max: 10_080 }),
            lookbackHours: number('COMPLIANCE_LOOKBACK_HOURS', { min: 0, max: 24 * 31 }),
            gapHours: number('COMPLIANCE_GAP_HOURS', { min: 0.1, max: 24 * 31 }),
            disablingGapHours: number('COMPLIANCE_DISABLING_GAP_HOURS', { min: 0.1, max: 24 * 31 }),
            disablingDistanceNm: number('COMPLIANCE_DISABLING_DISTANCE_NM', { min: 0 }),
            speedMinMinutes: number('COMPLIANCE_SPEED_MIN_MINUTES', { min: 0, max: 1440 }),
            speedMaxFixGapMinutes: number('COMPLIANCE_SPEED_MAX_FIX_GAP_MINUTES', { min: 1, max: 1440 }),
            ecaSulphurPct: number('COMPLIANCE_ECA_SULPHUR_PCT', { min: 0, max: 5 }),
            globalSulphurPct: number('COMPLIANCE_GLOBAL_SULPHUR_PCT', { min: 0, max: 5 }),
            jumpIncidentMinutes: number('COMPLIANCE_JUMP_INCIDENT_MINUTES', { min: 1, max: 1440 }),
        },
        maintenance: {
            hubName: required('MAINTENANCE_EVENTHUB_NAME', 'event hub name'),
            schedule: required('MAINTENANCE_SCHEDULE', 'NCRONTAB schedule'),
            horizonDays: number('MAINTENANCE_HORIZON_DAYS', { min: 1, max: 90, integer: true }),
            ...(optional('MAINTENANCE_ALERT_PROBABILITY') === undefined
                ? {}
                : { alertProbability: number('MAINTENANCE_ALERT_PROBABILITY', { min: 0.001, max: 0.999 }) }),
            historyDays: number('MAINTENANCE_HISTORY_DAYS', { min: 8, max: 366, integer: true }),
            catchUpDays: number('MAINTENANCE_CATCH_UP_DAYS', { min: 0, max: 90, integer: true }),
            maxWindows: number('MAINTENANCE_MAX_WINDOWS', { min: 1, max: 100, integer: true }),
        },
    };

    if (problems.length > 0) throw new ConfigError(problems);
    return deepFreeze(config);
}

/** The app settings (names of `SETTINGS`) set in `env`: what the CLI hands the local stack from its environment. */
export function appSettingsIn(env: Env): Record<string, string> {
    const settings: Record<string, string> = {};
    for (const { name } of SETTINGS) {
        const value = env[name];
        if (value !== undefined && value.trim() !== '') settings[name] = value;
    }
    return settings;
}

/** True for endpoints on this machine (emulators), where keys are used instead of the managed identity. */
export function isLocalEndpoint(endpoint: string): boolean {
    try {
        const host = new URL(endpoint).hostname;
        return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
    } catch {
        return false;
    }
}

function defined<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
    return value === undefined ? {} : ({ [key]: value } as { [P in K]: string });
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
    for (const child of Object.values(value)) {
        if (typeof child === 'object' && child !== null) deepFreeze(child as object);
    }
    return Object.freeze(value);
}
