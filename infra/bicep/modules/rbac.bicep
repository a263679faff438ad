// Every role assignment of the app identity, least privilege, in one place. Names are deterministic
// (guid(scope.id, principalId, roleId)) so re-deployments are idempotent.
// Role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles

@description('Principal (object) id of the app\'s user-assigned identity.')
param principalId string

param hostStorageName string
param lakeStorageName string
param eventHubsNamespaceName string

@description('Hubs the app reads (Azure Event Hubs Data Receiver on each hub).')
param receiverHubNames string[]

@description('Hubs the app writes to (Azure Event Hubs Data Sender on each hub).')
param senderHubNames string[]

@description('Queues of the lake account the app sends to and triggers on (Storage Queue Data Contributor on each).')
param lakeQueueNames string[]

param appInsightsName string
param keyVaultName string
param cosmosAccountName string

@description('Cosmos DB database the data-plane role is scoped to.')
param cosmosDatabaseName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde' // Azure Event Hubs Data Receiver
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975' // Azure Event Hubs Data Sender
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
}

// Cosmos DB data-plane role (a Cosmos SQL role definition, not an ARM role).
var cosmosBuiltInDataContributor = '00000000-0000-0000-0000-000000000002' // Cosmos DB Built-in Data Contributor

resource hostStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: hostStorageName
}

resource lakeStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: lakeStorageName
}

resource lakeQueueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' existing = {
  parent: lakeStorage
  name: 'default'
}

resource lakeQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = [
  for q in lakeQueueNames: {
    parent: lakeQueueService
    name: q
  }
]

resource eventHubsNamespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
}

resource receiverHubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = [
  for hubName in receiverHubNames: {
    parent: eventHubsNamespace
    name: hubName
  }
]

resource senderHubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = [
  for hubName in senderHubNames: {
    parent: eventHubsNamespace
    name: hubName
  }
]

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource keyVault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: cosmosAccountName
}

// Host storage: blobs (leases, checkpoints in azure-webjobs-eventhub, deployment package) need Owner in the
// Functions runtime's identity-based AzureWebJobsStorage; queues and tables are used by the host as well.
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, principalId, roles.storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource hostQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, principalId, roles.storageQueueDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource hostTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, principalId, roles.storageTableDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Lake: read/write/delete blobs (bronze, silver, gold, quarantine, lineage); no ACL/ownership management needed.
resource lakeBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(lakeStorage.id, principalId, roles.storageBlobDataContributor)
  scope: lakeStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Gold shard queue: buildGold sends (add), the buildGoldShard trigger reads, deletes and updates messages and moves
// a message whose attempts failed to <queue>-poison (add there). Storage Queue Data Contributor on each queue is the
// one built-in role that covers all of it (the trigger alone: Reader + Message Processor; the sender: Message Sender);
// scoped to the two queues, not the account.
resource lakeQueueContributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (q, i) in lakeQueueNames: {
    name: guid(lakeQueues[i].id, principalId, roles.storageQueueDataContributor)
    scope: lakeQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Event Hubs: receive only on the hubs the triggers read, send only on the hubs the app publishes to.
resource hubReceivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (hubName, i) in receiverHubNames: {
    name: guid(receiverHubs[i].id, principalId, roles.eventHubsDataReceiver)
    scope: receiverHubs[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataReceiver)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource hubSenders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (hubName, i) in senderHubNames: {
    name: guid(senderHubs[i].id, principalId, roles.eventHubsDataSender)
    scope: senderHubs[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataSender)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Application Insights with local auth disabled: Entra-authenticated ingestion of all telemetry types.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault: read secret values only (for future secrets / Key Vault references).
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, principalId, roles.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Cosmos DB: read/write items in the one database; no control-plane rights (containers come from Bicep).
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, principalId, cosmosBuiltInDataContributor)
  properties: {
    roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosBuiltInDataContributor}'
    principalId: principalId
    scope: '${cosmosAccount.id}/dbs/${cosmosDatabaseName}'
  }
}
