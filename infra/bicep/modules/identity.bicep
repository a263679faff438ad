// User-assigned managed identity of the Function App. Every data-plane call of the app (Event Hubs trigger,
// host storage, lake, Cosmos DB, Application Insights ingestion, Key Vault) authenticates as this identity,
// so the role assignments in rbac.bicep can exist before the app does and survive its re-creation.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
