// Shared user-defined types of the modules.

@export()
@description('An event hub and the consumer groups created on it.')
type eventHubDefinition = {
  @description('Hub name (EVENT_HUBS in shared/config/settingNames.ts).')
  name: string

  @description('Partitions: the upper bound of parallel trigger instances for this hub. Fixed after creation on Standard.')
  @minValue(1)
  @maxValue(32)
  partitionCount: int

  @description('Consumer groups, one per consuming function.')
  consumerGroups: string[]
}

@export()
@description('A Cosmos DB container: name, partition key path, default TTL, indexing policy.')
type cosmosContainerDefinition = {
  @description('Container name (COSMOS_CONTAINERS in shared/config/settingNames.ts).')
  name: string

  @description('Partition key path, e.g. /mmsi.')
  partitionKey: string

  @description('-1: TTL on, items live until their own `ttl`; null: TTL off; n > 0: seconds.')
  defaultTtl: int?

  @description('Indexing policy (Microsoft.DocumentDB indexingPolicy).')
  indexingPolicy: object
}
