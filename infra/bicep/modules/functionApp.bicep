// Flex Consumption plan (FC1, Linux) and the Function App (Node 22), running as the user-assigned identity.
// App-setting names follow shared/config/settingNames.ts exactly (test/infra/parity.test.ts checks both ways).
// Settings deprecated on Flex (FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE,
// WEBSITE_CONTENT*, SCM_DO_BUILD_DURING_DEPLOYMENT, ...) are deliberately absent: functionAppConfig replaces them.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the Function App (globally unique host name).')
param appName string

@description('Azure region.')
param location string

@description('Tags applied to the plan.')
param tags object

@description('Tags applied to the app (azd finds the service through azd-service-name).')
param appTags object

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Host storage endpoints (AzureWebJobsStorage__*ServiceUri).')
param hostStorage {
  blobEndpoint: string
  queueEndpoint: string
  tableEndpoint: string
  deploymentContainerUrl: string
}

@description('Application Insights connection string (not a secret with local auth disabled).')
param appInsightsConnectionString string

@description('Event Hubs namespace host name, e.g. ns.servicebus.windows.net.')
param eventHubsFullyQualifiedNamespace string

@description('AIS hub name and the consumer group of ingestAis.')
param aisEventHubName string
param aisConsumerGroup string

@description('Sensor hub name and the consumer group of ingestSensorReadings; the hub alerts are published to.')
param sensorEventHubName string
param sensorConsumerGroup string
param alertsEventHubName string

@description('Maintenance log hub name and the consumer group of ingestMaintenanceEvents.')
param maintenanceEventHubName string
param maintenanceConsumerGroup string

@description('Hub receiving whole batches whose retries ran out (the dead-letter store).')
param deadLetterEventHubName string

@description('Lake blob endpoint, e.g. https://account.blob.core.windows.net/.')
param lakeBlobEndpoint string

@description('Lake queue endpoint (the gold shard queue), e.g. https://account.queue.core.windows.net/.')
param lakeQueueEndpoint string

@description('GOLD_SHARD_QUEUE: the gold shard queue in the lake account.')
param goldShardQueueName string

@description('Cosmos DB account endpoint and database name.')
param cosmosEndpoint string
param cosmosDatabase string

@description('TRACK_TTL_DAYS: days hourly track buckets live in Cosmos DB.')
param trackTtlDays int

@description('VESSEL_PARTICULARS_PATH: particulars CSV of the emission model, lake:<container>/<path>; empty = estimated.')
param vesselParticularsPath string

@description('Upper bound of instances the plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('IPv4 ranges (CIDR) allowed to call the app and its deployment (scm) endpoint; empty allows all.')
param allowedIpRanges string[]

var ipRestrictions = [
  for (range, i) in allowedIpRanges: {
    name: 'allowed-${i}'
    ipAddress: range
    action: 'Allow'
    priority: 100 + i
  }
]

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: hostStorage.deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      ipSecurityRestrictions: ipRestrictions
      ipSecurityRestrictionsDefaultAction: empty(allowedIpRanges) ? 'Allow' : 'Deny'
      scmIpSecurityRestrictionsUseMain: true
      appSettings: [
        // Host storage (runtime state, Event Hubs checkpoints/leases, timer locks), identity-based.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: hostStorage.blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: hostStorage.queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: hostStorage.tableEndpoint }
        // Event Hubs trigger connection (prefix EventHubConnection), identity-based.
        { name: 'EventHubConnection__fullyQualifiedNamespace', value: eventHubsFullyQualifiedNamespace }
        { name: 'EventHubConnection__credential', value: 'managedidentity' }
        { name: 'EventHubConnection__clientId', value: identityClientId }
        { name: 'AIS_EVENTHUB_NAME', value: aisEventHubName }
        { name: 'AIS_CONSUMER_GROUP', value: aisConsumerGroup }
        { name: 'SENSOR_EVENTHUB_NAME', value: sensorEventHubName }
        { name: 'SENSOR_CONSUMER_GROUP', value: sensorConsumerGroup }
        { name: 'ALERTS_EVENTHUB_NAME', value: alertsEventHubName }
        { name: 'DEADLETTER_EVENTHUB_NAME', value: deadLetterEventHubName }
        { name: 'MAINTENANCE_EVENTHUB_NAME', value: maintenanceEventHubName }
        { name: 'MAINTENANCE_CONSUMER_GROUP', value: maintenanceConsumerGroup }
        // SDK clients (DefaultAzureCredential picks the user-assigned identity from AZURE_CLIENT_ID).
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'LAKE_BLOB_ENDPOINT', value: lakeBlobEndpoint }
        { name: 'COSMOS_ENDPOINT', value: cosmosEndpoint }
        { name: 'COSMOS_DATABASE', value: cosmosDatabase }
        // Telemetry with Entra-authenticated ingestion (the component has local auth disabled).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // Pipeline tunables: the defaults of shared/config/settingNames.ts (parity.test.ts compares them).
        { name: 'EVENT_TIME_FUTURE_TOLERANCE_SECONDS', value: '300' }
        { name: 'EVENT_TIME_MAX_AGE_DAYS', value: '30' }
        { name: 'IMPLAUSIBLE_SPEED_KNOTS', value: '50' }
        { name: 'TRACK_TTL_DAYS', value: string(trackTtlDays) }
        { name: 'H3_RESOLUTION', value: '7' }
        { name: 'SENSOR_STATS_HALF_LIFE', value: '50' }
        { name: 'SENSOR_Z_THRESHOLD', value: '3' }
        { name: 'SENSOR_MIN_COUNT', value: '30' }
        { name: 'COLLISION_CPA_NM', value: '0.5' }
        { name: 'COLLISION_TCPA_MINUTES', value: '20' }
        { name: 'COLLISION_STALE_MINUTES', value: '10' }
        // Emission model: upload the particulars CSV to the lake and set lake:<container>/<path>; empty = estimated.
        { name: 'VESSEL_PARTICULARS_PATH', value: vesselParticularsPath }
        { name: 'GOLD_SCHEDULE', value: '0 5 * * * *' }
        { name: 'SENSOR_HOURLY_SCHEDULE', value: '0 2 * * * *' }
        { name: 'GOLD_GRACE_HOURS', value: '2' }
        { name: 'GOLD_LATE_HORIZON_DAYS', value: '7' }
        { name: 'GOLD_MAX_WINDOWS_PER_RUN', value: '3' }
        { name: 'GOLD_LEASE_MINUTES', value: '15' }
        { name: 'GOLD_SHARDS', value: '1' }
        // The gold shard queue (buildGold sends, the buildGoldShard trigger reads), identity-based.
        { name: 'GOLD_SHARD_QUEUE', value: goldShardQueueName }
        { name: 'GoldQueueConnection__queueServiceUri', value: lakeQueueEndpoint }
        { name: 'GoldQueueConnection__credential', value: 'managedidentity' }
        { name: 'GoldQueueConnection__clientId', value: identityClientId }
        { name: 'GOLD_DUCKDB_MEMORY_LIMIT', value: '512MB' }
        { name: 'COMPACTION_SCHEDULE', value: '0 20 * * * *' }
        { name: 'COMPACTION_GRACE_MINUTES', value: '30' }
        { name: 'COMPACTION_LOOKBACK_HOURS', value: '48' }
        { name: 'COMPACTION_DUCKDB_MEMORY_LIMIT', value: '512MB' }
        { name: 'COMPACTION_MAX_HOURS_PER_RUN', value: '24' }
        { name: 'COMPACTION_TARGET_FILE_MB', value: '128' }
        { name: 'COMPACTION_DELETE_DELAY_MINUTES', value: '60' }
        { name: 'COMPACTION_OPEN_MIN_FILES', value: '0' }
        // Lineage records always go to the lake's lineage container; set this to also POST them to an OpenLineage endpoint.
        { name: 'OPENLINEAGE_URL', value: '' }
        { name: 'COMPLIANCE_SCHEDULE', value: '0 */5 * * * *' }
        { name: 'COMPLIANCE_HORIZON_DAYS', value: '7' }
        { name: 'COMPLIANCE_MAX_WINDOWS', value: '3' }
        { name: 'COMPLIANCE_GRACE_MINUTES', value: '120' }
        { name: 'COMPLIANCE_LOOKBACK_HOURS', value: '48' }
        { name: 'COMPLIANCE_GAP_HOURS', value: '6' }
        { name: 'COMPLIANCE_DISABLING_GAP_HOURS', value: '12' }
        { name: 'COMPLIANCE_DISABLING_DISTANCE_NM', value: '50' }
        { name: 'COMPLIANCE_SPEED_MIN_MINUTES', value: '5' }
        { name: 'COMPLIANCE_SPEED_MAX_FIX_GAP_MINUTES', value: '30' }
        { name: 'COMPLIANCE_ECA_SULPHUR_PCT', value: '0.10' }
        { name: 'COMPLIANCE_GLOBAL_SULPHUR_PCT', value: '0.50' }
        { name: 'COMPLIANCE_JUMP_INCIDENT_MINUTES', value: '60' }
        { name: 'MAINTENANCE_SCHEDULE', value: '0 15 * * * *' }
        { name: 'MAINTENANCE_HORIZON_DAYS', value: '7' }
        { name: 'MAINTENANCE_ALERT_PROBABILITY', value: '' }
        { name: 'MAINTENANCE_HISTORY_DAYS', value: '30' }
        { name: 'MAINTENANCE_CATCH_UP_DAYS', value: '3' }
        { name: 'MAINTENANCE_MAX_WINDOWS', value: '3' }
      ]
    }
  }
}

// No publishing with user/password credentials: deployments authenticate with Entra ID.
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
