/**
 * Alerts in Cosmos DB, container `alerts` (partition key `/mmsi`, a number). One document per alert: the alert
 * itself plus `docType: 'alert'`, its deterministic `id` as the document id, so saving an alert again (a redelivered
 * batch, a timer firing twice) overwrites the same document instead of adding one.
 *
 * `save` groups the alerts by vessel and upserts each vessel's alerts in one transactional batch (at most 100
 * operations each; batches of different vessels run in parallel, bounded): one request per vessel in the common
 * case, and an exact request count (unlike the SDK's bulk executor, which routes and retries on its own).
 *
 * `query` is a parameterised query, newest first (`ORDER BY c.time DESC`), single-partition when `mmsi` is given,
 * paged by the SDK's continuation token (never OFFSET/LIMIT), handed out wrapped with a hash of the query so a
 * garbled token, or one of a query with other filters, is a ValidationError (another `limit` is fine).
 * `c.mmsi = @mmsi` is implied by the partition key; it is spelled out too, so the query is also right on a server
 * that ignores a query's partition key (`@vercel/cosmosdb-server` as published; local/cosmosServerFastPath.ts
 * scopes such queries to the partition, as Cosmos DB does).
 */
import type { Container, FeedOptions, JSONObject, OperationInput, SqlParameter } from '@azure/cosmos';

import type { AlertQuery, AlertStore } from '../app/ports.js';
import type { Alert } from '../domain/alerts/alert.js';
import { fnv1a } from '../domain/hash.js';
import { DependencyError, PipelineError } from '../errors.js';
import { CosmosStore, mapLimit, unwrapToken, withoutSystemFields, wrapToken } from './cosmosSupport.js';
import { isTransientStatus } from './fromSdkError.js';

export interface CosmosAlertStoreOptions {
    /** Vessels (transactional batches) written in parallel by `save` (default 16). */
    concurrency?: number;
}

/** Cosmos transactional batches take at most 100 operations. */
const MAX_BATCH_OPERATIONS = 100;
/** Largest page `query` returns. */
export const MAX_ALERT_QUERY_LIMIT = 1000;
const FORBIDDEN_ID = /[/\\?#]/;
/** Document fields that are not part of the alert (besides the Cosmos system properties). */
const DOCUMENT_FIELDS = ['docType', 'ttl'] as const;

interface AlertDocument extends Alert {
    docType: 'alert';
}

export class CosmosAlertStore extends CosmosStore implements AlertStore {
    constructor(container: Container, options: CosmosAlertStoreOptions = {}) {
        super(container, options.concurrency);
    }

    async save(alerts: readonly Alert[]): Promise<void> {
        // Per vessel, by id: the last of duplicates wins (two operations on one document in a batch are pointless).
        const byVessel = new Map<number, Map<string, Alert>>();
        for (const alert of alerts) {
            checkAlert(alert);
            let vessel = byVessel.get(alert.mmsi);
            if (vessel === undefined) {
                vessel = new Map();
                byVessel.set(alert.mmsi, vessel);
            }
            vessel.set(alert.id, alert);
        }
        const batches: { mmsi: number; ops: OperationInput[] }[] = [];
        for (const [mmsi, vessel] of byVessel) {
            const ops = [...vessel.values()].map((alert): OperationInput => ({
                operationType: 'Upsert',
                // Per-operation partition key: the local server needs it, Cosmos DB accepts it.
                partitionKey: mmsi,
                resourceBody: toDocument(alert) as unknown as JSONObject,
            }));
            for (let i = 0; i < ops.length; i += MAX_BATCH_OPERATIONS)
                batches.push({ mmsi, ops: ops.slice(i, i + MAX_BATCH_OPERATIONS) });
        }
        await mapLimit(batches, this.concurrency, (b) => this.#runBatch(b.mmsi, b.ops));
    }

    async query(query: AlertQuery): Promise<{ items: Alert[]; continuation?: string }> {
        const where = ['c.docType = @docType'];
        const parameters: SqlParameter[] = [{ name: '@docType', value: 'alert' }];
        if (query.mmsi !== undefined) {
            where.push('c.mmsi = @mmsi');
            parameters.push({ name: '@mmsi', value: query.mmsi });
        }
        if (query.since !== undefined) {
            where.push('c.time >= @since');
            parameters.push({ name: '@since', value: query.since });
        }
        if (query.kind !== undefined) {
            where.push('c.kind = @kind');
            parameters.push({ name: '@kind', value: query.kind });
        }
        if (query.severity !== undefined) {
            where.push('c.severity = @severity');
            parameters.push({ name: '@severity', value: query.severity });
        }
        const limit = clampLimit(query.limit);
        // enableQueryControl: @azure/cosmos 4.9 accepts a continuation token for a cross-partition query only with
        // it; pages may then be empty with more to come.
        const options: FeedOptions = { maxItemCount: limit, enableQueryControl: true };
        if (query.mmsi !== undefined) options.partitionKey = query.mmsi;
        const spec = {
            query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.time DESC`,
            parameters,
        };
        // The token handed out wraps the SDK's with a hash of the query, so a garbled token, or one of another
        // query, is refused here (the local server would silently start over; Cosmos DB answers 400 or worse).
        const queryHash = fnv1a(JSON.stringify(spec));
        if (query.continuation !== undefined)
            options.continuationToken = unwrapToken(query.continuation, queryHash);

        const iterator = this.container.items.query<AlertDocument>(spec, options);
        return this.queryPage(iterator, query.continuation !== undefined, 'queryAlerts', toAlert, (token) =>
            wrapToken(token, queryHash),
        );
    }

    async #runBatch(mmsi: number, ops: OperationInput[]): Promise<void> {
        const subject = `alerts of vessel ${mmsi}`;
        const failed = await this.runBatch(mmsi, ops, subject, 'batch');
        if (failed !== undefined) {
            const message = `${subject}: upsert ${failed.index} failed with HTTP ${failed.status}`;
            if (isTransientStatus(failed.status))
                throw new DependencyError(message, { statusCode: failed.status });
            throw new PipelineError(message);
        }
    }
}

/** `limit` as 1..1000 (non-numbers as 1). */
export function clampLimit(limit: number): number {
    const n = Math.trunc(limit);
    return Number.isFinite(n) ? Math.min(Math.max(1, n), MAX_ALERT_QUERY_LIMIT) : 1;
}

/** An id Cosmos would refuse fails every retry: reject it before writing anything. */
function checkAlert(alert: Alert): void {
    if (
        typeof alert.id !== 'string' ||
        alert.id.length === 0 ||
        alert.id.length > 255 ||
        FORBIDDEN_ID.test(alert.id)
    )
        throw new PipelineError(`alert id ${JSON.stringify(alert.id)} is not a valid Cosmos DB id`);
    if (!Number.isFinite(alert.mmsi)) throw new PipelineError(`alert ${alert.id}: mmsi is not a number`);
}

function toDocument(alert: Alert): AlertDocument {
    return { ...alert, docType: 'alert' };
}

function toAlert(doc: AlertDocument): Alert {
    return withoutSystemFields(doc, DOCUMENT_FIELDS) as unknown as Alert;
}
