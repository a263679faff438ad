// The data lake: containers bronze, silver, gold, quarantine, lineage (LAKE_CONTAINERS in shared/config/settingNames.ts),
// identity-only, with a lifecycle policy that moves aged data to cheaper tiers and optionally deletes it.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Containers to create (LAKE_CONTAINERS).')
param containerNames string[]

@description('Storage queues in the lake account (the gold shard queue and its -poison queue).')
param queueNames string[] = []

@description('Redundancy. The archive tier is not available on ZRS/GZRS/RA-GZRS accounts.')
@allowed([
  'Standard_LRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_ZRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param skuName string

@description('Enable the hierarchical namespace (ADLS Gen2). The app uses the Blob API only, so both work.')
param hierarchicalNamespace bool

@description('Days after the last modification when blobs move to the cool tier.')
@minValue(1)
param coolAfterDays int

@description('What happens to bronze, silver and quarantine blobs after agedAfterDays: archive, delete, or none. Gold is only cooled.')
@allowed([
  'archive'
  'delete'
  'none'
])
param agedAction string

@description('Days after the last modification when agedAction applies (must exceed coolAfterDays).')
@minValue(2)
param agedAfterDays int

@description('Days deleted blobs and containers stay recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteDays int = 7

@description('Resource id of the Log Analytics workspace receiving logs and metrics.')
param workspaceId string

// Archive is only offered on LRS/GRS/RA-GRS (learn.microsoft.com/azure/storage/blobs/access-tiers-overview):
// refuse the combination at deployment time instead of deploying a policy that never archives.
var archiveSupported = !contains(skuName, 'ZRS')
var effectiveAgedAction = agedAction == 'archive' && !archiveSupported
  ? fail('lakeAgedAction "archive" needs an LRS, GRS or RA-GRS lake account (got ${skuName}); choose "delete" or another SKU.')
  : agedAction
var checkedAgedAfterDays = agedAfterDays <= coolAfterDays
  ? fail('lakeAgedAfterDays (${agedAfterDays}) must be greater than lakeCoolAfterDays (${coolAfterDays}).')
  : agedAfterDays

var agedContainers = filter(containerNames, c => c != 'gold')

var coolRule = {
  name: 'cool-after-${coolAfterDays}-days'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: ['blockBlob']
      prefixMatch: map(containerNames, c => '${c}/')
    }
    actions: {
      baseBlob: {
        tierToCool: {
          daysAfterModificationGreaterThan: coolAfterDays
        }
      }
    }
  }
}

var agedBaseBlobAction = effectiveAgedAction == 'archive'
  ? { tierToArchive: { daysAfterModificationGreaterThan: checkedAgedAfterDays } }
  : { delete: { daysAfterModificationGreaterThan: checkedAgedAfterDays } }

var agedRule = {
  name: '${effectiveAgedAction}-after-${checkedAgedAfterDays}-days'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: ['blockBlob']
      prefixMatch: map(agedContainers, c => '${c}/')
    }
    actions: {
      baseBlob: agedBaseBlobAction
    }
  }
}

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    isHnsEnabled: hierarchicalNamespace
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // See hostStorage.bicep: no fixed outbound addresses on Flex without VNet integration.
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for c in containerNames: {
    parent: blobService
    name: c
    properties: {
      publicAccess: 'None'
    }
  }
]

// The gold shard queue and its poison queue (buildGold -> buildGoldShard; messages whose 5 attempts failed).
resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for q in queueNames: {
    parent: queueService
    name: q
  }
]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: effectiveAgedAction == 'none' ? [coolRule] : [coolRule, agedRule]
    }
  }
  dependsOn: [containers]
}

// Deletes only (audit trail of data removal). Reads and writes (one log row per blob operation, millions a
// month at AIS volume) would dominate the Log Analytics bill; the Transaction metric shows their volume.
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
