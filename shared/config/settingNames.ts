/**
 * The single source of every app-setting name. The same literals appear in `local.settings.sample.json`,
 * the Bicep app settings (`infra/bicep/modules/functionApp.bicep`) and the README settings table; a test
 * (`test/infra/parity.test.ts`) keeps them in step.
 */

export interface SettingDefinition {
    /** The app-setting / environment variable name. */
    name: string;
    description: string;
    /** Default used when unset; undefined means required (where `requiredWhere` says). */
    defaultValue?: string;
    /** `azure`: set by Bicep in Azure; `local`: only for the local stack / emulators; `both`. */
    scope: 'azure' | 'local' | 'both';
}

/** Binding connection prefixes (the Functions host resolves `<prefix>__fullyQualifiedNamespace` etc.). */
export const EVENT_HUB_CONNECTION = 'EventHubConnection';
/** The gold shard queue's connection (`buildGoldShard`'s queue trigger and the sender in `buildGold`). */
export const GOLD_QUEUE_CONNECTION = 'GoldQueueConnection';

export const SETTINGS = [
    {
        name: 'EventHubConnection__fullyQualifiedNamespace',
        description:
            'Event Hubs namespace host (identity-based trigger connection), e.g. `ns.servicebus.windows.net`.',
        scope: 'azure',
    },
    {
        name: 'EventHubConnection__credential',
        description: 'Always `managedidentity` in Azure (identity-based trigger connection).',
        scope: 'azure',
    },
    {
        name: 'EventHubConnection__clientId',
        description: 'Client id of the user-assigned identity the trigger authenticates with.',
        scope: 'azure',
    },
    {
        name: 'EventHubConnection',
        description: 'Event Hubs connection string; only for the Event Hubs emulator (`func start` locally).',
        scope: 'local',
    },
    {
        name: 'AIS_EVENTHUB_NAME',
        description: 'Event hub carrying raw AIS.',
        defaultValue: 'ais-raw',
        scope: 'both',
    },
    {
        name: 'AIS_CONSUMER_GROUP',
        description: 'Consumer group of `ingestAis` on the AIS hub.',
        defaultValue: 'ingest-ais',
        scope: 'both',
    },
    {
        name: 'SENSOR_EVENTHUB_NAME',
        description: 'Event hub carrying ship sensor readings.',
        defaultValue: 'sensor-readings',
        scope: 'both',
    },
    {
        name: 'SENSOR_CONSUMER_GROUP',
        description: 'Consumer group of `ingestSensorReadings` on the sensor hub.',
        defaultValue: 'ingest-sensors',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_EVENTHUB_NAME',
        description:
            'Event hub carrying the maintenance log (failures, repairs, services; JSON lines or CSV rows).',
        defaultValue: 'maintenance-events',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_CONSUMER_GROUP',
        description: 'Consumer group of `ingestMaintenanceEvents` on the maintenance hub.',
        defaultValue: 'ingest-maintenance',
        scope: 'both',
    },
    {
        name: 'ALERTS_EVENTHUB_NAME',
        description: 'Event hub the alerts are published to, for downstream consumers.',
        defaultValue: 'alerts',
        scope: 'both',
    },
    {
        name: 'DEADLETTER_EVENTHUB_NAME',
        description:
            'Event hub receiving whole batches whose retries ran out (re-drive: `maritime rebuild --deadletter`).',
        defaultValue: 'ingest-deadletter',
        scope: 'both',
    },
    {
        name: 'DEADLETTER_DIR',
        description:
            'Local only: folder of the dead-letter store (one file per exhausted batch); used instead of the dead-letter event hub when set.',
        scope: 'local',
    },
    {
        name: 'LAKE_BLOB_ENDPOINT',
        description:
            'Blob endpoint of the lake account (bronze, silver, gold, quarantine, lineage), used with the managed identity.',
        scope: 'azure',
    },
    {
        name: 'LAKE_CONNECTION_STRING',
        description:
            'Lake storage connection string; local only (Azurite). Takes precedence over LAKE_BLOB_ENDPOINT.',
        scope: 'local',
    },
    { name: 'COSMOS_ENDPOINT', description: 'Cosmos DB account endpoint.', scope: 'both' },
    {
        name: 'COSMOS_KEY',
        description:
            'Cosmos DB key; local only (Cosmos-protocol server or emulator). Azure uses the managed identity.',
        scope: 'local',
    },
    {
        name: 'COSMOS_DATABASE',
        description: 'Cosmos DB database name.',
        defaultValue: 'maritime',
        scope: 'both',
    },
    {
        name: 'AZURE_CLIENT_ID',
        description:
            'Client id of the user-assigned managed identity used by every SDK client (DefaultAzureCredential).',
        scope: 'azure',
    },
    {
        name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
        description: 'Application Insights connection string; telemetry is off when unset.',
        scope: 'azure',
    },
    {
        name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
        description:
            "Entra-authenticated ingestion: `ClientId=<identity client id>;Authorization=AAD`. The host reads it; the custom metrics get that identity's credential from the code (telemetry.ts).",
        scope: 'azure',
    },
    {
        name: 'EVENT_TIME_FUTURE_TOLERANCE_SECONDS',
        description:
            'How far an event time may lie in the future (clock skew) before the event is quarantined.',
        defaultValue: '300',
        scope: 'both',
    },
    {
        name: 'EVENT_TIME_MAX_AGE_DAYS',
        description:
            'Events older than this many days are quarantined as too old (replays of archives: raise it).',
        defaultValue: '30',
        scope: 'both',
    },
    {
        name: 'IMPLAUSIBLE_SPEED_KNOTS',
        description:
            'Implied speed between consecutive fixes of one vessel above which the fix is flagged as a jump.',
        defaultValue: '50',
        scope: 'both',
    },
    {
        name: 'TRACK_TTL_DAYS',
        description:
            'Days the track buckets (10 minutes each) stay in Cosmos DB (the lake keeps the history).',
        defaultValue: '30',
        scope: 'both',
    },
    {
        name: 'H3_RESOLUTION',
        description: 'H3 resolution of the spatial cell on silver records.',
        defaultValue: '7',
        scope: 'both',
    },
    {
        name: 'SENSOR_STATS_HALF_LIFE',
        description:
            'Half-life, in readings, of the exponentially weighted mean and variance kept per sensor.',
        defaultValue: '50',
        scope: 'both',
    },
    {
        name: 'SENSOR_Z_THRESHOLD',
        description:
            "A reading further than this many standard deviations from its sensor's running mean is an anomaly.",
        defaultValue: '3',
        scope: 'both',
    },
    {
        name: 'SENSOR_MIN_COUNT',
        description: 'Readings a sensor needs before anomalies are detected on it.',
        defaultValue: '30',
        scope: 'both',
    },
    {
        name: 'COLLISION_CPA_NM',
        description:
            'Closest point of approach (nautical miles) at or under which a pair of vessels is a collision risk.',
        defaultValue: '0.5',
        scope: 'both',
    },
    {
        name: 'COLLISION_TCPA_MINUTES',
        description: 'Horizon of the collision watch: time to the closest approach, minutes.',
        defaultValue: '20',
        scope: 'both',
    },
    {
        name: 'COLLISION_STALE_MINUTES',
        description: 'Vessels whose last fix is older than this are left out of the collision watch.',
        defaultValue: '10',
        scope: 'both',
    },
    {
        name: 'VESSEL_PARTICULARS_PATH',
        description:
            'Vessel particulars CSV for the emission model (keyed by IMO or MMSI): a local file, or `lake:<container>/<path>` in the lake. Empty: particulars estimated from AIS.',
        scope: 'both',
    },
    {
        name: 'GOLD_SCHEDULE',
        description:
            'NCRONTAB schedule of the `buildGold` timer (UTC): builds today so far, finalises yesterday, catches up missed and late days.',
        defaultValue: '0 5 * * * *',
        scope: 'both',
    },
    {
        name: 'SENSOR_HOURLY_SCHEDULE',
        description:
            'NCRONTAB schedule of the `buildSensorHourly` timer (UTC): `sensor_hourly` for today so far, yesterday final after `GOLD_GRACE_HOURS`, late and missed days (same ledger settings as gold).',
        defaultValue: '0 2 * * * *',
        scope: 'both',
    },
    {
        name: 'GOLD_GRACE_HOURS',
        description:
            "Hours after midnight (UTC) during which yesterday's gold rows stay `partial` and are rebuilt at every fire; then they are final.",
        defaultValue: '2',
        scope: 'both',
    },
    {
        name: 'GOLD_LATE_HORIZON_DAYS',
        description:
            'Days back the gold timer looks for late data (a day whose silver changed after its build is rebuilt) and for missed windows.',
        defaultValue: '7',
        scope: 'both',
    },
    {
        name: 'GOLD_MAX_WINDOWS_PER_RUN',
        description:
            'Days one fire of a gold timer builds at most (missed windows are caught up oldest first, this many per fire).',
        defaultValue: '3',
        scope: 'both',
    },
    {
        name: 'GOLD_LEASE_MINUTES',
        description:
            'Lease of a claimed gold run in the run ledger: a run whose worker died is taken over after this long.',
        defaultValue: '15',
        scope: 'both',
    },
    {
        name: 'GOLD_SHARDS',
        description:
            'Shards (by MMSI) a gold day is split into. Above 1, with the shard queue configured (`GoldQueueConnection...`), `buildGold` sends one message per shard to `GOLD_SHARD_QUEUE` and the queue-triggered `buildGoldShard` builds each (on as many instances as the queue needs); the last shard completes the day. Without a queue the shards are built one after another by the timer.',
        defaultValue: '1',
        scope: 'both',
    },
    {
        name: 'GOLD_SHARD_QUEUE',
        description:
            'Storage queue of the gold shard messages (its poison queue is `<name>-poison`: messages whose 5 attempts failed).',
        defaultValue: 'gold-shards',
        scope: 'both',
    },
    {
        name: 'GoldQueueConnection__queueServiceUri',
        description:
            'Queue endpoint of the storage account holding `GOLD_SHARD_QUEUE` (identity-based queue trigger and sender), e.g. `https://acct.queue.core.windows.net/`.',
        scope: 'azure',
    },
    {
        name: 'GoldQueueConnection__credential',
        description: 'Always `managedidentity` in Azure (identity-based queue trigger connection).',
        scope: 'azure',
    },
    {
        name: 'GoldQueueConnection__clientId',
        description: 'Client id of the user-assigned identity the queue trigger authenticates with.',
        scope: 'azure',
    },
    {
        name: 'GoldQueueConnection',
        description:
            'Connection string of the storage holding the shard queue; local only (Azurite; `npm start` sets its own).',
        scope: 'local',
    },
    {
        name: 'GOLD_DUCKDB_MEMORY_LIMIT',
        description:
            "Memory limit of the embedded DuckDB of a gold build (`buildGold`'s day, each `buildGoldShard`, `buildSensorHourly`); larger intermediate results spill to the temp folder, same rows. DuckDB's resident memory runs above it (about 1.4 GB at 1GB on a 10M-position day), so 512MB keeps such a build near 1 GB in all, within a 2 GB Flex Consumption instance. The local stack runs its builds at `64MB` (its compaction at `128MB`, `COMPACTION_DUCKDB_MEMORY_LIMIT`).",
        defaultValue: '512MB',
        scope: 'both',
    },
    {
        name: 'COMPACTION_SCHEDULE',
        description:
            'NCRONTAB schedule of the `compactSilver` timer (UTC): merges the batch files of each closed silver table-hour, oldest first.',
        defaultValue: '0 20 * * * *',
        scope: 'both',
    },
    {
        name: 'COMPACTION_GRACE_MINUTES',
        description:
            'A silver hour is closed (compacted) this long after its end; late data for a compacted hour is compacted again at a later fire.',
        defaultValue: '30',
        scope: 'both',
    },
    {
        name: 'COMPACTION_LOOKBACK_HOURS',
        description:
            'How far back a `compactSilver` fire looks for hours to compact (older backlogs: `maritime compact --from --to`).',
        defaultValue: '48',
        scope: 'both',
    },
    {
        name: 'COMPACTION_DUCKDB_MEMORY_LIMIT',
        description:
            "Memory limit of the embedded DuckDB of a `compactSilver` merge (one table-hour's files sorted into one); a sort larger than a quarter of it is done in slices of the first sort key, each sorted alone and spilled to the temp folder (DuckDB's own sort did not spill rows this wide: a closed hour at 500 events/s, 1.8M positions, ran out of memory at 128MB). Apart from the gold builds' `GOLD_DUCKDB_MEMORY_LIMIT`: a merge holds a reader per input file (a sorted open hour of 1,327 batch files ran out of memory at 64MB). An open hour's increments are not sorted (streamed); the local stack runs it at `128MB`.",
        defaultValue: '512MB',
        scope: 'both',
    },
    {
        name: 'COMPACTION_MAX_HOURS_PER_RUN',
        description:
            'Closed table-hours one `compactSilver` fire works on at most (a backlog is caught up oldest first, this many per fire; the open hours, with `COMPACTION_OPEN_MIN_FILES`, come first and are not counted).',
        defaultValue: '24',
        scope: 'both',
    },
    {
        name: 'COMPACTION_TARGET_FILE_MB',
        description: 'Size (MB) near which a compacted hour is split into several files.',
        defaultValue: '128',
        scope: 'both',
    },
    {
        name: 'COMPACTION_DELETE_DELAY_MINUTES',
        description:
            'Replaced batch files are deleted this long after the manifest switched readers to the compacted file (readers that listed the hour before still find them).',
        defaultValue: '60',
        scope: 'both',
    },
    {
        name: 'COMPACTION_OPEN_MIN_FILES',
        description:
            'Compaction of the open hour: an hour not yet closed whose batch files number at least this many gets them merged into one more compacted file at each fire (unsorted; the compacted files already there are kept, and folded into the new one size-tiered: 3 of about its size, or the newest at 8 files; the hour is merged whole and sorted once closed). 0 = open hours are left alone.',
        defaultValue: '0',
        scope: 'both',
    },
    {
        name: 'OPENLINEAGE_URL',
        description:
            "Optional OpenLineage endpoint (e.g. Marquez `http://host:5000/api/v1/lineage`): each lineage record is also POSTed there (2 s timeout; a failure is logged, never fails the run). The lake's `lineage` container always gets them.",
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_SCHEDULE',
        description:
            'NCRONTAB schedule of the `checkCompliance` timer (UTC). Each fire checks the due days (today so far, days with late data, missed days).',
        defaultValue: '0 */5 * * * *',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_HORIZON_DAYS',
        description:
            'How many days back `checkCompliance` looks for days to (re)check: missed windows and late data within it.',
        defaultValue: '7',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_MAX_WINDOWS',
        description:
            'Days `checkCompliance` checks per fire at most, oldest first (a long outage is caught up over several fires).',
        defaultValue: '3',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_GRACE_MINUTES',
        description:
            'A finished day is checked again until this long after midnight UTC (late fixes still arrive), then it is final.',
        defaultValue: '120',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_LOOKBACK_HOURS',
        description:
            'Silver read before a day so gaps and speed stretches that start the day before are seen whole.',
        defaultValue: '48',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_GAP_HOURS',
        description:
            'AIS dark gap: a silence at sea (not in port, not moored) at least this long is a finding.',
        defaultValue: '6',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_DISABLING_GAP_HOURS',
        description:
            'A dark gap at least this long with both ends far from ports is a suspected disabling (critical).',
        defaultValue: '12',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_DISABLING_DISTANCE_NM',
        description:
            'Suspected disabling: both ends of the gap further than this from the nearest port (nautical miles).',
        defaultValue: '50',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_SPEED_MIN_MINUTES',
        description:
            'Speed zones: a stretch above the limit must last at least this long (minutes, 2+ fixes) to be a finding.',
        defaultValue: '5',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_SPEED_MAX_FIX_GAP_MINUTES',
        description: 'Speed zones: fixes further apart than this (minutes) break a stretch.',
        defaultValue: '30',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_ECA_SULPHUR_PCT',
        description: 'Fuel sulphur cap inside a SOx ECA, % m/m (MARPOL Annex VI reg. 14.4).',
        defaultValue: '0.10',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_GLOBAL_SULPHUR_PCT',
        description: 'Fuel sulphur cap outside ECAs, % m/m (MARPOL Annex VI reg. 14.1.3).',
        defaultValue: '0.50',
        scope: 'both',
    },
    {
        name: 'COMPLIANCE_JUMP_INCIDENT_MINUTES',
        description:
            'Implausible jumps (above IMPLAUSIBLE_SPEED_KNOTS) closer than this in time form one spoofing incident.',
        defaultValue: '60',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_SCHEDULE',
        description:
            'NCRONTAB schedule of the `scoreMaintenance` timer (UTC); after the gold build (`GOLD_SCHEDULE`), so it scores the fresh `sensor_hourly`.',
        defaultValue: '0 15 * * * *',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_HORIZON_DAYS',
        description:
            "The failure probability is of a failure within this many days; must equal the model's horizon (`config/maintenance-model.json`; retrain with `npx maritime train-maintenance --horizon-days N`).",
        defaultValue: '7',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_ALERT_PROBABILITY',
        description:
            "Failure probability at or above which a `maintenance-risk` warning is raised (once per equipment and episode). Empty: the model's own threshold (best F1 on the training vessels, the operating point of the README evaluation).",
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_HISTORY_DAYS',
        description:
            'Days of gold `sensor_hourly` read for a scored day (the equipment baseline after its last repair or service, and the 7-day trends).',
        defaultValue: '30',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_CATCH_UP_DAYS',
        description:
            'Days back the `scoreMaintenance` timer looks for days not scored yet or whose `sensor_hourly` or maintenance log changed.',
        defaultValue: '3',
        scope: 'both',
    },
    {
        name: 'MAINTENANCE_MAX_WINDOWS',
        description: 'Days `scoreMaintenance` scores per fire at most, oldest first.',
        defaultValue: '3',
        scope: 'both',
    },
] as const satisfies readonly SettingDefinition[];

export type SettingName = (typeof SETTINGS)[number]['name'];

/**
 * Event hubs the code uses, how (`consume` with these consumer groups, or `publish`), checked against Bicep
 * (hubs, consumer groups, receiver/sender roles) and the emulator config.
 */
export const EVENT_HUBS = [
    { name: 'ais-raw', role: 'consume', consumerGroups: ['ingest-ais'] },
    { name: 'sensor-readings', role: 'consume', consumerGroups: ['ingest-sensors'] },
    { name: 'alerts', role: 'publish', consumerGroups: [] },
    { name: 'ingest-deadletter', role: 'publish', consumerGroups: [] },
    { name: 'maintenance-events', role: 'consume', consumerGroups: ['ingest-maintenance'] },
] as const;

/** Lake containers. */
export const LAKE_CONTAINERS = ['bronze', 'silver', 'gold', 'quarantine', 'lineage'] as const;

/**
 * Cosmos DB containers, partition keys and default TTL (checked against Bicep). `defaultTtl: -1` turns TTL on
 * without expiring anything by default, so the per-item `ttl` of the track buckets takes effect.
 */
export const COSMOS_CONTAINERS = [
    { name: 'vessels', partitionKey: '/mmsi', defaultTtl: -1 },
    { name: 'sensorState', partitionKey: '/sensorKey', defaultTtl: -1 },
    { name: 'alerts', partitionKey: '/mmsi', defaultTtl: -1 },
    { name: 'findings', partitionKey: '/mmsi', defaultTtl: -1 },
    { name: 'gold', partitionKey: '/mmsi', defaultTtl: -1 },
    { name: 'jobRuns', partitionKey: '/job', defaultTtl: -1 },
] as const;

/** The name of a Cosmos DB container of the table above (the runtime opens containers by these names only). */
export type CosmosContainerName = (typeof COSMOS_CONTAINERS)[number]['name'];
