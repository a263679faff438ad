// Maritime data pipeline: Azure Functions (Flex Consumption, Node 22) + Event Hubs + Blob lake + Cosmos DB,
// identity-only (no keys or connection strings anywhere), with monitoring and alerts.
// Deploy: `azd up`, or `az deployment group create -g <rg> -f infra/bicep/main.bicep -p infra/bicep/main.parameters.json -p environmentName=<env>`.
// Names of app settings, hubs, consumer groups, lake and Cosmos containers follow shared/config/settingNames.ts;
// test/infra/parity.test.ts compares the compiled template with that file.

import { cosmosContainerDefinition, eventHubDefinition } from 'types.bicep'

targetScope = 'resourceGroup'

// ---------- General ----------

@description('Environment name (azd: AZURE_ENV_NAME), e.g. dev, test, prod. Part of the resource-name token and tags.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of every resource (must offer Flex Consumption).')
param location string = resourceGroup().location

@description('Short prefix of resource names: 2-8 lowercase letters or digits.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'maritime'

// ---------- Event Hubs ----------

@description('Partitions of ais-raw (parallelism of ingestAis). Cannot be changed later on Standard.')
@minValue(1)
@maxValue(32)
param aisPartitionCount int = 4

@description('Partitions of sensor-readings.')
@minValue(1)
@maxValue(32)
param sensorPartitionCount int = 2

@description('Partitions of alerts.')
@minValue(1)
@maxValue(32)
param alertsPartitionCount int = 2

@description('Provisioned throughput units of the Event Hubs namespace.')
@minValue(1)
@maxValue(40)
param eventHubsCapacity int = 1

@description('Auto-inflate ceiling in throughput units; 0 disables auto-inflate.')
@minValue(0)
@maxValue(40)
param eventHubsMaxThroughputUnits int = 4

@description('Days events are retained in the hubs (replay window), 1-7 on Standard.')
@minValue(1)
@maxValue(7)
param eventHubRetentionDays int = 1

// ---------- Cosmos DB ----------

@description('Cosmos DB capacity mode: serverless (pay per request) or autoscale (shared database throughput).')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosThroughputMode string = 'serverless'

@description('Autoscale maximum RU/s of the database (autoscale mode only; billed from 10% of it).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Days hourly track buckets stay in Cosmos DB (app setting TRACK_TTL_DAYS; per-item ttl).')
@minValue(1)
param trackTtlDays int = 30

@description('Vessel particulars CSV for the emission model, uploaded to the lake: lake:<container>/<path> (app setting VESSEL_PARTICULARS_PATH); empty = particulars estimated from AIS.')
param vesselParticularsPath string = ''

// ---------- Lake ----------

@description('Lake redundancy. The archive tier needs LRS, GRS or RA-GRS.')
@allowed([
  'Standard_LRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_ZRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param lakeSkuName string = 'Standard_LRS'

@description('Hierarchical namespace (ADLS Gen2) on the lake account. Cannot be disabled later.')
param lakeHierarchicalNamespace bool = false

@description('Days after modification when lake blobs move to the cool tier.')
@minValue(1)
param lakeCoolAfterDays int = 30

@description('After lakeAgedAfterDays: archive or delete bronze, silver and quarantine blobs, or none (keep in cool).')
@allowed([
  'archive'
  'delete'
  'none'
])
param lakeAgedAction string = 'archive'

@description('Days after modification when lakeAgedAction applies (greater than lakeCoolAfterDays).')
@minValue(2)
param lakeAgedAfterDays int = 180

// ---------- Monitoring and alerts ----------

@description('Days Log Analytics and Application Insights keep data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('E-mail notified by the created action group (ignored when actionGroupId is set).')
param alertEmail string = ''

@description('Resource id of an existing action group to notify instead of creating one.')
param actionGroupId string = ''

@description('Failed executions in 15 minutes tolerated before alerting.')
@minValue(0)
param functionFailuresThreshold int = 0

@description('Quarantine ratio (percent of received) over 15 minutes that raises an alert.')
@minValue(1)
@maxValue(100)
param quarantineRatioPercent int = 5

@description('Average end-to-end lag (ms) over 15 minutes that raises an alert.')
@minValue(1000)
param lagThresholdMs int = 300000

@description('Minutes without accepted AIS events before the silver-freshness alert fires.')
@allowed([
  15
  30
  45
  60
  120
  180
  360
])
param freshnessMinutes int = 30

@description('HTTP 429 responses from Cosmos DB in 5 minutes that raise an alert.')
@minValue(1)
param cosmosThrottledRequestsThreshold int = 100

// ---------- App and network ----------

@description('Maximum instances of the Flex Consumption app.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Memory per instance (MB).')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('IPv4 CIDR ranges allowed to reach the app (HTTP API and deployment endpoint) and Key Vault; empty = no IP restriction. Data services stay public with Entra-only auth (see README).')
param allowedIpRanges string[] = []

// Key Vault soft delete is always on (Azure enforces it); a deleted vault keeps its name reserved until it is purged
// or its retention ends, and a vault with purge protection cannot be purged at all. The vault name is derived from
// the subscription, resource group and environment, so with purge protection on, `azd up` after `azd down` failed
// for 90 days ("A vault with the same name already exists in deleted state"). Dev default: off, short retention,
// and `azd down --purge` frees the name. Production: KEY_VAULT_PURGE_PROTECTION=true, KEY_VAULT_SOFT_DELETE_DAYS=90.
@description('Key Vault purge protection (irreversible once on: the vault can then not be purged, and its name stays reserved for the soft-delete retention after `azd down`). Off for dev environments; turn on for production.')
param keyVaultPurgeProtection bool = false

@description('Days a deleted Key Vault stays recoverable (soft delete, always on; fixed when the vault is created).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionDays int = 7

// ---------- Names and shared definitions ----------

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var prefix = toLower(namePrefix)
var tags = {
  'azd-env-name': environmentName
  project: 'maritime-pipeline'
}

// Hubs and consumer groups (EVENT_HUBS in shared/config/settingNames.ts).
var aisEventHubName = 'ais-raw'
var aisConsumerGroup = 'ingest-ais'
var sensorEventHubName = 'sensor-readings'
var sensorConsumerGroup = 'ingest-sensors'
var alertsEventHubName = 'alerts'
// The maintenance log (failures, repairs, services): a trickle, 1 partition keeps each vessel's log in order.
var maintenanceEventHubName = 'maintenance-events'
var maintenanceConsumerGroup = 'ingest-maintenance'
// Whole batches whose retries ran out (shared/app/deadLetter.ts); 1 partition: a trickle, read back in order.
var deadLetterEventHubName = 'ingest-deadletter'
var eventHubs eventHubDefinition[] = [
  { name: aisEventHubName, partitionCount: aisPartitionCount, consumerGroups: [aisConsumerGroup] }
  { name: sensorEventHubName, partitionCount: sensorPartitionCount, consumerGroups: [sensorConsumerGroup] }
  { name: alertsEventHubName, partitionCount: alertsPartitionCount, consumerGroups: [] }
  { name: deadLetterEventHubName, partitionCount: 1, consumerGroups: [] }
  { name: maintenanceEventHubName, partitionCount: 1, consumerGroups: [maintenanceConsumerGroup] }
]
var receiverHubNames = [aisEventHubName, sensorEventHubName, maintenanceEventHubName]
var senderHubNames = [alertsEventHubName, deadLetterEventHubName]

// LAKE_CONTAINERS.
var lakeContainers = ['bronze', 'silver', 'gold', 'quarantine', 'lineage']

// The gold shard queue (GOLD_SHARD_QUEUE) and the poison queue the Functions queue trigger moves failed messages to.
var goldShardQueueName = 'gold-shards'
// The trigger names its poison queue '<queue>-poison' (written out so the posture test can read it).
var lakeQueues = [goldShardQueueName, 'gold-shards-poison']

var cosmosDatabaseName = 'maritime'

// Cosmos containers (COSMOS_CONTAINERS). Append a container here when its code lands; indexing policies index
// only the paths that are filtered or sorted on (writes cost fewer RU the fewer paths are indexed), the same
// policies as shared/config/cosmosIndexing.ts (test/infra/parity.test.ts compares them).
var cosmosContainers cosmosContainerDefinition[] = [
  {
    // Vessel state documents and 10-minute track buckets (bucket pattern) side by side per MMSI. defaultTtl -1
    // turns TTL on without expiring anything by default, so the per-item `ttl` of track buckets applies. Indexed:
    // latest vessels (docType, lastSeen, box, category), tracks (docType, bucketStart), a batch's vessels (mmsi).
    name: 'vessels'
    partitionKey: '/mmsi'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/docType/?' }
        { path: '/lastSeen/?' }
        { path: '/position/lat/?' }
        { path: '/position/lon/?' }
        { path: '/static/shipCategory/?' }
        { path: '/bucketStart/?' }
        { path: '/mmsi/?' }
      ]
      excludedPaths: [{ path: '/*' }]
      compositeIndexes: [
        // latest vessels: WHERE docType = 'state' ORDER BY lastSeen DESC
        [
          { path: '/docType', order: 'ascending' }
          { path: '/lastSeen', order: 'descending' }
        ]
        // a vessel's track: WHERE docType = 'track' AND bucketStart >= @from ORDER BY bucketStart
        [
          { path: '/docType', order: 'ascending' }
          { path: '/bucketStart', order: 'ascending' }
        ]
      ]
    }
  }
  {
    // Per-sensor running state (CosmosSensorStateStore): WHERE ARRAY_CONTAINS(@keys, c.sensorKey) (a batch's
    // sensors) or WHERE c.vesselKey = @vesselKey (a vessel's sensors). Statistics and seen keys are not indexed.
    name: 'sensorState'
    partitionKey: '/sensorKey'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/sensorKey/?' }
        { path: '/vesselKey/?' }
      ]
      excludedPaths: [{ path: '/*' }]
    }
  }
  {
    // Alerts (CosmosAlertStore.query): WHERE docType = 'alert' [AND mmsi] [AND time >= @since] [AND kind]
    // [AND severity] ORDER BY time DESC. Only those paths are indexed (an alert's free-form `details` are not).
    name: 'alerts'
    partitionKey: '/mmsi'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/docType/?' }
        { path: '/mmsi/?' }
        { path: '/time/?' }
        { path: '/kind/?' }
        { path: '/severity/?' }
      ]
      excludedPaths: [{ path: '/*' }]
      compositeIndexes: [
        // the feed, newest first, optionally filtered by kind or severity (equality filters before the sort)
        [
          { path: '/docType', order: 'ascending' }
          { path: '/time', order: 'descending' }
        ]
        [
          { path: '/docType', order: 'ascending' }
          { path: '/kind', order: 'ascending' }
          { path: '/time', order: 'descending' }
        ]
        [
          { path: '/docType', order: 'ascending' }
          { path: '/severity', order: 'ascending' }
          { path: '/time', order: 'descending' }
        ]
      ]
    }
  }
  {
    // Gold rows served by the API (one logical partition per vessel; fleet-wide rows under mmsi 0), deterministic ids.
    // CosmosGoldStore: table = @table [mmsi] [day range] [locode | kind] ORDER BY sortKey, and a rebuild's list of a
    // (table, day)'s ids. The metric columns are read, never filtered on: not indexed. Same policy as
    // shared/config/cosmosIndexing.ts (local creation; test/infra/parity.test.ts compares them).
    name: 'gold'
    partitionKey: '/mmsi'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/table/?' }
        { path: '/day/?' }
        { path: '/mmsi/?' }
        { path: '/sortKey/?' }
        { path: '/locode/?' }
        { path: '/kind/?' }
      ]
      excludedPaths: [{ path: '/*' }]
      compositeIndexes: [
        // a table's rows in order: equality on table, then ORDER BY sortKey
        [
          { path: '/table', order: 'ascending' }
          { path: '/sortKey', order: 'ascending' }
        ]
      ]
    }
  }
  {
    // The run ledger of the timer jobs, one document per job and window (CosmosJobRunStore): WHERE c.job = @job AND
    // c.window >= @from AND c.window <= @to. A run's counts and errors are not indexed.
    name: 'jobRuns'
    partitionKey: '/job'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/job/?' }
        { path: '/window/?' }
      ]
      excludedPaths: [{ path: '/*' }]
    }
  }
  {
    // Compliance findings (checkCompliance), one document per deterministic finding id per MMSI. Indexed on the
    // paths the API filters and sorts on and the reconciliation reads (check + lastSeen window, ARRAY_CONTAINS of ids).
    name: 'findings'
    partitionKey: '/mmsi'
    defaultTtl: -1
    indexingPolicy: {
      indexingMode: 'consistent'
      automatic: true
      includedPaths: [
        { path: '/docType/?' }
        { path: '/mmsi/?' }
        { path: '/check/?' }
        { path: '/severity/?' }
        { path: '/status/?' }
        { path: '/firstSeen/?' }
        { path: '/lastSeen/?' }
        { path: '/id/?' }
      ]
      excludedPaths: [{ path: '/*' }]
    }
  }
]

// ---------- Modules ----------

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${prefix}-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${prefix}-${resourceToken}'
    appInsightsName: 'appi-${prefix}-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module hostStorage 'modules/hostStorage.bicep' = {
  name: 'hostStorage'
  params: {
    name: take('st${prefix}h${resourceToken}', 24)
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    workspaceId: monitoring.outputs.workspaceId
  }
}

module lake 'modules/lakeStorage.bicep' = {
  name: 'lakeStorage'
  params: {
    name: take('st${prefix}l${resourceToken}', 24)
    location: location
    tags: tags
    containerNames: lakeContainers
    queueNames: lakeQueues
    skuName: lakeSkuName
    hierarchicalNamespace: lakeHierarchicalNamespace
    coolAfterDays: lakeCoolAfterDays
    agedAction: lakeAgedAction
    agedAfterDays: lakeAgedAfterDays
    workspaceId: monitoring.outputs.workspaceId
  }
}

module eventHubsNamespace 'modules/eventHubs.bicep' = {
  name: 'eventHubs'
  params: {
    name: 'evhns-${prefix}-${resourceToken}'
    location: location
    tags: tags
    capacity: eventHubsCapacity
    maximumThroughputUnits: eventHubsMaxThroughputUnits
    hubs: eventHubs
    retentionDays: eventHubRetentionDays
    workspaceId: monitoring.outputs.workspaceId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: 'cosmos-${prefix}-${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    workspaceId: monitoring.outputs.workspaceId
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: take('kv${prefix}${resourceToken}', 24)
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays
    allowedIpRanges: allowedIpRanges
    workspaceId: monitoring.outputs.workspaceId
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    lakeStorageName: lake.outputs.name
    lakeQueueNames: lakeQueues
    eventHubsNamespaceName: eventHubsNamespace.outputs.name
    receiverHubNames: receiverHubNames
    senderHubNames: senderHubNames
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    cosmosAccountName: cosmos.outputs.name
    cosmosDatabaseName: cosmos.outputs.databaseName
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    planName: 'plan-${prefix}-${resourceToken}'
    appName: 'func-${prefix}-${resourceToken}'
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorage: {
      blobEndpoint: hostStorage.outputs.blobEndpoint
      queueEndpoint: hostStorage.outputs.queueEndpoint
      tableEndpoint: hostStorage.outputs.tableEndpoint
      deploymentContainerUrl: hostStorage.outputs.deploymentContainerUrl
    }
    appInsightsConnectionString: monitoring.outputs.connectionString
    eventHubsFullyQualifiedNamespace: eventHubsNamespace.outputs.fullyQualifiedNamespace
    aisEventHubName: aisEventHubName
    aisConsumerGroup: aisConsumerGroup
    sensorEventHubName: sensorEventHubName
    sensorConsumerGroup: sensorConsumerGroup
    alertsEventHubName: alertsEventHubName
    deadLetterEventHubName: deadLetterEventHubName
    maintenanceEventHubName: maintenanceEventHubName
    maintenanceConsumerGroup: maintenanceConsumerGroup
    lakeBlobEndpoint: lake.outputs.blobEndpoint
    lakeQueueEndpoint: lake.outputs.queueEndpoint
    goldShardQueueName: goldShardQueueName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmosDatabaseName
    trackTtlDays: trackTtlDays
    vesselParticularsPath: vesselParticularsPath
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    allowedIpRanges: allowedIpRanges
  }
  // The runtime starts right after creation: let its storage, trigger and telemetry roles exist first.
  dependsOn: [rbac]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: '${prefix}-${resourceToken}'
    tags: tags
    location: location
    appInsightsId: monitoring.outputs.appInsightsId
    cosmosAccountId: cosmos.outputs.id
    actionGroupId: actionGroupId
    alertEmail: alertEmail
    functionFailuresThreshold: functionFailuresThreshold
    quarantineRatioPercent: quarantineRatioPercent
    quarantineMinReceived: 100
    lagThresholdMs: lagThresholdMs
    freshnessMinutes: freshnessMinutes
    cosmosThrottledRequestsThreshold: cosmosThrottledRequestsThreshold
    eventHubsNamespaceId: eventHubsNamespace.outputs.id
    deadLetterEventHubName: deadLetterEventHubName
  }
}

// ---------- Outputs (named as the app settings they feed; azd writes them to .azure/<env>/.env) ----------

output EventHubConnection__fullyQualifiedNamespace string = eventHubsNamespace.outputs.fullyQualifiedNamespace
output AIS_EVENTHUB_NAME string = aisEventHubName
output AIS_CONSUMER_GROUP string = aisConsumerGroup
output SENSOR_EVENTHUB_NAME string = sensorEventHubName
output SENSOR_CONSUMER_GROUP string = sensorConsumerGroup
output ALERTS_EVENTHUB_NAME string = alertsEventHubName
output DEADLETTER_EVENTHUB_NAME string = deadLetterEventHubName
output MAINTENANCE_EVENTHUB_NAME string = maintenanceEventHubName
output MAINTENANCE_CONSUMER_GROUP string = maintenanceConsumerGroup
output LAKE_BLOB_ENDPOINT string = lake.outputs.blobEndpoint
output GOLD_SHARD_QUEUE string = goldShardQueueName
output GoldQueueConnection__queueServiceUri string = lake.outputs.queueEndpoint
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output TRACK_TTL_DAYS string = string(trackTtlDays)

// Deployment helpers (not app settings).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_ALERTS_ACTION_GROUP_ID string = alerts.outputs.actionGroupId
