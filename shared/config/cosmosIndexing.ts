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

/** Everything indexed (the service default): containers whose queries are few or keyed by id. */
const INDEX_ALL: CosmosIndexingPolicy = {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/*' }],
    excludedPaths: [{ path: '/"_etag"/?' }],
};

const asc = (path: string) => ({ path: `/${path}`, order: 'ascending' as const });
const desc = (path: string) => ({ path: `/${path}`, order: 'descending' as const });

export const COSMOS_INDEXING: Readonly<Record<CosmosContainerName, CosmosIndexingPolicy>> = {
    // Vessel state and hourly track buckets (CosmosVesselStore): latest vessels (docType = 'state' ORDER BY
    // lastSeen DESC, bounding box, ship category) and a vessel's track (docType = 'track' AND hourStart >= @from
    // ORDER BY hourStart).
    vessels: only(
        ['docType', 'lastSeen', 'position/lat', 'position/lon', 'static/shipCategory', 'hourStart'],
        [
            [asc('docType'), desc('lastSeen')],
            [asc('docType'), asc('hourStart')],
        ],
    ),
    sensorState: INDEX_ALL,
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
    // Compliance findings (CosmosFindingStore): the API's filters and sorts and the reconciliation's reads.
    findings: only(['docType', 'check', 'severity', 'status', 'firstSeen', 'lastSeen']),
    // Gold rows (CosmosGoldStore): every query is `table` = @table [mmsi] [day range] [one equality on a row field:
    // port calls by `locode`, CII rows by `kind`] ORDER BY sortKey; a rebuild lists a (table, day)'s ids. The rows'
    // many metric columns are read, never filtered on, so they are not indexed.
    gold: only(['table', 'day', 'mmsi', 'sortKey', 'locode', 'kind'], [[asc('table'), asc('sortKey')]]),
    jobRuns: INDEX_ALL,
};
