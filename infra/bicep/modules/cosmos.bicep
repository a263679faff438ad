// Cosmos DB for NoSQL: account (keys disabled, Entra-only data plane), database and containers. Containers are
// created here because data-plane RBAC cannot create them (the app's identity only has Data Contributor).

import { cosmosContainerDefinition } from '../types.bicep'

@description('Account name (3-44 lowercase letters, digits, hyphens).')
param name string

@description('Azure region (single-region account).')
param location string

@description('Tags applied to the account.')
param tags object

@description('Database name (COSMOS_DATABASE).')
param databaseName string

@description('Containers to create (COSMOS_CONTAINERS plus reserved ones).')
param containers cosmosContainerDefinition[]

@description('serverless: pay per request, no provisioned RU/s. autoscale: database-level shared autoscale throughput.')
@allowed([
  'serverless'
  'autoscale'
])
param throughputMode string

@description('Autoscale maximum RU/s shared by all containers (autoscale mode only; scales between 10% and 100%).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Resource id of the Log Analytics workspace receiving logs and metrics.')
param workspaceId string

var serverless = throughputMode == 'serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    // Even management writes through keys are refused; databases and containers come from this template.
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    enableAutomaticFailover: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = [
  for c in containers: {
    parent: database
    name: c.name
    properties: {
      resource: union(
        {
          id: c.name
          partitionKey: {
            paths: [c.partitionKey]
            kind: 'Hash'
            version: 2
          }
          indexingPolicy: c.indexingPolicy
        },
        c.?defaultTtl == null ? {} : { defaultTtl: c.defaultTtl! }
      )
    }
  }
]

// Control-plane changes, per-partition RU use and query statistics are cheap and answer "why 429?".
// DataPlaneRequests (one row per request) is left off: at AIS volume it would dominate the Log Analytics bill;
// the 429 alert uses the free platform metric TotalRequests instead.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'ControlPlaneRequests'
        enabled: true
      }
      {
        category: 'PartitionKeyRUConsumption'
        enabled: true
      }
      {
        category: 'QueryRuntimeStatistics'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
