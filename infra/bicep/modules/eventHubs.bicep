// Event Hubs namespace (Standard: dedicated consumer groups need >= Standard; Basic only has $Default) with
// the pipeline's hubs and one consumer group per consuming function. SAS keys are disabled: producers and the
// Functions trigger authenticate with Entra ID (Data Sender / Data Receiver, see rbac.bicep).

import { eventHubDefinition } from '../types.bicep'

@description('Namespace name (6-50 characters).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the namespace.')
param tags object

@description('Throughput units provisioned (1 TU = 1 MB/s or 1,000 events/s in, 2 MB/s out).')
@minValue(1)
@maxValue(40)
param capacity int

@description('Upper bound for auto-inflate; 0 disables auto-inflate.')
@minValue(0)
@maxValue(40)
param maximumThroughputUnits int

@description('Hubs to create, each with its partition count and consumer groups.')
param hubs eventHubDefinition[]

@description('Days events stay in the hubs (Standard: 1-7).')
@minValue(1)
@maxValue(7)
param retentionDays int

@description('Resource id of the Log Analytics workspace receiving logs and metrics.')
param workspaceId string

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: maximumThroughputUnits > 0
    maximumThroughputUnits: maximumThroughputUnits > 0 ? max(maximumThroughputUnits, capacity) : 0
  }
}

resource eventHubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = [
  for hub in hubs: {
    parent: namespace
    name: hub.name
    properties: {
      partitionCount: hub.partitionCount
      messageRetentionInDays: retentionDays
    }
  }
]

// One flat list of (hub, consumer group) pairs, so every consumer group is its own resource.
var consumerGroupPairs = flatten(map(
  range(0, length(hubs)),
  i => map(hubs[i].consumerGroups, cg => { hubIndex: i, name: cg })
))

resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = [
  for pair in consumerGroupPairs: {
    parent: eventHubs[pair.hubIndex]
    name: pair.name
    properties: {
      userMetadata: 'Consumer group of one Function App trigger; do not share with other readers.'
    }
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = namespace.id
output name string = namespace.name
// serviceBusEndpoint is https://<ns>.servicebus.windows.net:443/ (cloud-specific suffix); the trigger wants
// the bare host name in EventHubConnection__fullyQualifiedNamespace.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
