// Alert rules and their action group. Custom metrics (ais.received, ais.accepted, ais.quarantined, ais.lagMs)
// are the ones the ingest code writes with trackMetric; they land in Application Insights `customMetrics`.

@description('Prefix of the alert rule names.')
param namePrefix string

@description('Tags applied to the rules.')
param tags object

@description('Region of the scheduled query rules (the Application Insights region).')
param location string

@description('Resource id of the Application Insights component.')
param appInsightsId string

@description('Resource id of the Cosmos DB account.')
param cosmosAccountId string

@description('Resource id of an existing action group; empty creates one (optionally with alertEmail).')
param actionGroupId string

@description('E-mail address notified by the created action group; empty creates a group without receivers.')
param alertEmail string

@description('Failed function executions within 15 minutes above which the failures alert fires.')
@minValue(0)
param functionFailuresThreshold int

@description('Quarantined / received in percent (15-minute window) above which the quarantine alert fires.')
@minValue(1)
@maxValue(100)
param quarantineRatioPercent int

@description('Minimum received events in the window before the quarantine ratio is judged (avoids noise at low volume).')
@minValue(1)
param quarantineMinReceived int

@description('Average end-to-end lag (event time to processing, ms) over 15 minutes above which the lag alert fires.')
@minValue(1000)
param lagThresholdMs int

@description('Minutes without any accepted AIS event (silver freshness) after which the freshness alert fires.')
@allowed([
  15
  30
  45
  60
  120
  180
  360
])
param freshnessMinutes int

@description('Throttled (429) Cosmos DB requests within 5 minutes above which the throttling alert fires.')
@minValue(1)
param cosmosThrottledRequestsThreshold int

@description('Resource id of the Event Hubs namespace (the dead-letter hub lives there).')
param eventHubsNamespaceId string

@description('Name of the dead-letter event hub: any message arriving there fires an alert.')
param deadLetterEventHubName string

var createActionGroup = empty(actionGroupId)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (createActionGroup) {
  name: '${namePrefix}-ag'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take(replace(namePrefix, '-', ''), 12)
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operations'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

var actionGroupIds = [createActionGroup ? actionGroup.id : actionGroupId]

resource functionFailures 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function executions failed (unhandled exceptions: transient dependency failures after retries).'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'failedRequests'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: functionFailuresThreshold
        }
      ]
    }
    actions: [for id in actionGroupIds: { actionGroupId: id }]
  }
}

resource cosmosThrottling 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-cosmos-429'
  location: 'global'
  tags: tags
  properties: {
    description: 'Cosmos DB throttles requests (HTTP 429): raise throughput, or spread the write load.'
    severity: 2
    enabled: true
    scopes: [cosmosAccountId]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'throttledRequests'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'TotalRequests'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: ['429']
            }
          ]
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: cosmosThrottledRequestsThreshold
        }
      ]
    }
    actions: [for id in actionGroupIds: { actionGroupId: id }]
  }
}

// A batch exhausted its retries and was dead-lettered: data is waiting for `maritime rebuild --deadletter`.
resource deadLettered 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-deadletter'
  location: 'global'
  tags: tags
  properties: {
    description: 'A batch was dead-lettered to ${deadLetterEventHubName} after its retries ran out: fix the cause, then re-drive with maritime rebuild --deadletter.'
    severity: 1
    enabled: true
    scopes: [eventHubsNamespaceId]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'deadLetterIncoming'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.EventHub/namespaces'
          metricName: 'IncomingMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [deadLetterEventHubName]
            }
          ]
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: [for id in actionGroupIds: { actionGroupId: id }]
  }
}

// Log alerts: the query returns a row only when the condition holds; the rule fires on "more than 0 rows".
var logAlerts = [
  {
    name: 'quarantine-ratio'
    description: 'More than ${quarantineRatioPercent}% of received AIS events were quarantined in 15 minutes.'
    severity: 2
    windowSize: 'PT15M'
    query: join(
      [
        'customMetrics'
        '| where name in (\'ais.quarantined\', \'ais.received\')'
        '| summarize quarantined = sumif(valueSum, name == \'ais.quarantined\'), received = sumif(valueSum, name == \'ais.received\')'
        '| where received >= ${quarantineMinReceived}'
        '| extend ratioPercent = 100.0 * quarantined / received'
        '| where ratioPercent > ${quarantineRatioPercent}'
      ],
      '\n'
    )
  }
  {
    name: 'end-to-end-lag'
    description: 'Average end-to-end lag (ais.lagMs) above ${lagThresholdMs} ms over 15 minutes.'
    severity: 2
    windowSize: 'PT15M'
    query: join(
      [
        'customMetrics'
        '| where name == \'ais.lagMs\''
        '| summarize lagMs = sum(valueSum) / sum(valueCount)'
        '| where lagMs > ${lagThresholdMs}'
      ],
      '\n'
    )
  }
  {
    name: 'silver-freshness'
    description: 'No AIS event accepted into silver (ais.accepted) for ${freshnessMinutes} minutes.'
    severity: 1
    windowSize: 'PT${freshnessMinutes}M'
    query: join(
      [
        'customMetrics'
        '| where name == \'ais.accepted\''
        '| summarize accepted = sum(valueSum)'
        '| where isnull(accepted) or accepted <= 0'
      ],
      '\n'
    )
  }
]

resource scheduledQueryRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in logAlerts: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: '${namePrefix}-${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [appInsightsId]
      evaluationFrequency: 'PT5M'
      windowSize: rule.windowSize
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: actionGroupIds
      }
    }
  }
]

output actionGroupId string = actionGroupIds[0]
