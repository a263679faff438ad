// Key Vault in RBAC mode (purge protection by parameter, off for dev: see main.bicep), for any future secret (the app itself needs none: every
// connection is identity-based). The app identity gets Key Vault Secrets User in rbac.bicep.

@description('Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('Purge protection cannot be turned off again; the vault name stays reserved for the soft-delete period.')
param enablePurgeProtection bool

@description('Days a deleted vault stays recoverable (7-90; fixed at creation).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('IPv4 ranges (CIDR) allowed to reach the vault; empty keeps it public (Entra auth still required).')
param allowedIpRanges string[]

@description('Resource id of the Log Analytics workspace receiving audit logs.')
param workspaceId string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: empty(allowedIpRanges)
      ? {
          defaultAction: 'Allow'
          bypass: 'AzureServices'
        }
      : {
          defaultAction: 'Deny'
          bypass: 'AzureServices'
          ipRules: map(allowedIpRanges, range => { value: range })
        }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
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

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
