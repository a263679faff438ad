/**
 * Indexing policy of each Cosmos DB container: the paths its queries filter and sort on, nothing else (every other
 * path excluded, so a write pays for the indexed paths only). Bicep (`infra/bicep/main.bicep`, `cosmosContainers`)
 * creates the containers in Azure with the same policies; `npx maritime setup` and the local stack create them
 * with these (`ensureCosmosContainers`). test/infra/parity.test.ts compiles the Bicep and compares the two, so a
 * query that starts filtering on a new path changes both or fails.
 *
 * Cosmos DB serves a filter on an excluded path by scanning, but refuses an ORDER BY on one, and a query with an
 * equality filter and an ORDER BY on another path needs a composite index (filter path first).
 */
import type { CosmosContainerName } from './settingNames.js';

export interface CosmosIndexingPolicy {
    indexingMode: 'consistent';
    automatic: true;
    includedPaths: { path: string }[];
    excludedPaths: { path: string }[];
    compositeIndexes?: { path: string; order: 'ascending' | 'descending' }[][];
}

const only = (
    paths: readonly string[],
    compositeIndexes?: CosmosIndexingPolicy['compositeIndexes'],
): CosmosIndexingPolicy => ({
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: paths.map((p) => ({ path: `/${p}/?` })),
    excludedPaths: [{ path: '/*' }],
    ...(compositeIndexes === undefined ? {} : { compositeIndexes }),
});

const asc = (path: string) => ({ path: `/${path}`, order: 'ascending' as const });
const desc = (path: string) => ({ path: `/${path}`, order: 'descending' as const });

export const COSMOS_INDEXING: Readonly<Record<CosmosContainerName, CosmosIndexingPolicy>> = {
    // Vessel state and 10-minute track buckets (CosmosVesselStore): latest vessels (docType = 'state' ORDER BY
    // lastSeen DESC, bounding box, ship category), a vessel's track (docType = 'track' AND bucketStart >= @from
    // ORDER BY bucketStart) and a batch's vessels across partitions (ARRAY_CONTAINS(@mmsis, c.mmsi)).
    vessels: only(
        ['docType', 'lastSeen', 'position/lat', 'position/lon', 'static/shipCategory', 'bucketStart', 'mmsi'],
        [
            [asc('docType'), desc('lastSeen')],
            [asc('docType'), asc('bucketStart')],
        ],
    ),
    // Per-sensor running state (CosmosSensorStateStore): a batch's sensors (ARRAY_CONTAINS(@keys, c.sensorKey)) and a
    // vessel's sensors (vesselKey = @vesselKey). The statistics, breaches and seen keys are read, never filtered on.
    sensorState: only(['sensorKey', 'vesselKey']),
    // Alerts (CosmosAlertStore.query): docType [mmsi] [time >= @since] [kind] [severity] ORDER BY time DESC; an
    // alert's free-form `details` are not indexed.
    alerts: only(
        ['docType', 'mmsi', 'time', 'kind', 'severity'],
        [
            [asc('docType'), desc('time')],
            [asc('docType'), asc('kind'), desc('time')],
            [asc('docType'), asc('severity'), desc('time')],
        ],
    ),
    // Compliance findings (CosmosFindingStore): the API's filters (mmsi, check, severity, status, time range) and
    // sort, and the reconciliation's reads (a window's findings by check and lastSeen, the drafts' findings by
    // ARRAY_CONTAINS(@ids, c.id)).
    findings: only(['docType', 'mmsi', 'check', 'severity', 'status', 'firstSeen', 'lastSeen', 'id']),
    // Gold rows (CosmosGoldStore): every query is `table` = @table [mmsi] [day range] [one equality on a row field:
    // port calls by `locode`, CII rows by `kind`] ORDER BY sortKey; a rebuild lists a (table, day)'s ids. The rows'
    // many metric columns are read, never filtered on, so they are not indexed.
    gold: only(['table', 'day', 'mmsi', 'sortKey', 'locode', 'kind'], [[asc('table'), asc('sortKey')]]),
    // The run ledger (CosmosJobRunStore): a job's windows in a range (job = @job AND window >= @from AND window <=
    // @to); a run's counts and errors are read, never filtered on.
    jobRuns: only(['job', 'window']),
};
