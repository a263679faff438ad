/**
 * Gold rows in Cosmos DB, container `gold` (partition key `/mmsi`; fleet-wide rows such as the fleet summary and
 * data quality under mmsi 0). Ids are deterministic (table, keys, day), so a rebuild writes the same documents; the
 * rows of a (table, day, shard) a rebuild no longer produces are deleted, so nothing is counted twice.
 */
import type { Container, FeedOptions, JSONObject, OperationInput, SqlParameter } from '@azure/cosmos';

import { checkGoldDocument, inShard } from '../app/gold/goldOutput.js';
import type { GoldDocument, GoldQuery, GoldStore, Shard } from '../app/ports.js';
import { fnv1a } from '../domain/hash.js';
import { DependencyError, PipelineError } from '../errors.js';
import { CosmosStore, unwrapToken, withoutSystemFields, wrapToken } from './cosmosSupport.js';
import { fromSdkError, isTransientStatus } from './fromSdkError.js';

/** Operations per bulk call (the SDK groups them per partition itself). */
const BULK_CHUNK = 1000;
export const MAX_GOLD_QUERY_LIMIT = 1000;

export class CosmosGoldStore extends CosmosStore implements GoldStore {
    constructor(container: Container) {
        super(container, 16);
    }

    async replace(
        table: string,
        day: string,
        shard: Shard,
        docs: readonly GoldDocument[],
    ): Promise<{ written: number; deleted: number }> {
        for (const doc of docs) checkGoldDocument(doc, table, day, shard);
        const existing = await this.queryAll<{ id: string; mmsi: number }>(
            {
                query: 'SELECT c.id, c.mmsi FROM c WHERE c["table"] = @table AND c.day = @day',
                parameters: [
                    { name: '@table', value: table },
                    { name: '@day', value: day },
                ],
            },
            { maxItemCount: 5000 },
            `list gold ${table} ${day}`,
        );
        const keep = new Set(docs.map((d) => d.id));
        const stale = existing.filter((e) => !keep.has(e.id) && inShard(e.mmsi, shard));
        const ops: OperationInput[] = [
            ...docs.map((doc): OperationInput => ({
                operationType: 'Upsert',
                partitionKey: doc.mmsi,
                resourceBody: doc as unknown as JSONObject,
            })),
            ...stale.map((e): OperationInput => ({
                operationType: 'Delete',
                partitionKey: e.mmsi,
                id: e.id,
            })),
        ];
        for (let i = 0; i < ops.length; i += BULK_CHUNK)
            await this.#bulk(ops.slice(i, i + BULK_CHUNK), `${table} ${day}`);
        return { written: docs.length, deleted: stale.length };
    }

    async query(query: GoldQuery): Promise<{ items: GoldDocument[]; continuation?: string }> {
        const where = ['c["table"] = @table'];
        const parameters: SqlParameter[] = [{ name: '@table', value: query.table }];
        if (query.mmsi !== undefined) {
            where.push('c.mmsi = @mmsi');
            parameters.push({ name: '@mmsi', value: query.mmsi });
        }
        if (query.fromDay !== undefined) {
            where.push('c.day >= @fromDay');
            parameters.push({ name: '@fromDay', value: query.fromDay });
        }
        if (query.toDay !== undefined) {
            where.push('c.day <= @toDay');
            parameters.push({ name: '@toDay', value: query.toDay });
        }
        Object.entries(query.where ?? {}).forEach(([field, value], i) => {
            if (!/^[a-z_][a-z0-9_]*$/i.test(field))
                throw new PipelineError(`not a gold field name: '${field}'`);
            where.push(`c["${field}"] = @w${i}`);
            parameters.push({ name: `@w${i}`, value });
        });
        const options: FeedOptions = {
            maxItemCount: Math.min(Math.max(1, Math.trunc(query.limit)), MAX_GOLD_QUERY_LIMIT),
            enableQueryControl: true,
        };
        if (query.mmsi !== undefined) options.partitionKey = query.mmsi;
        const spec = { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.sortKey`, parameters };
        const queryHash = fnv1a(JSON.stringify(spec));
        if (query.continuation !== undefined)
            options.continuationToken = unwrapToken(query.continuation, queryHash);
        const iterator = this.container.items.query<GoldDocument>(spec, options);
        return this.queryPage(
            iterator,
            query.continuation !== undefined,
            `query gold ${query.table}`,
            (doc) => withoutSystemFields(doc, []) as GoldDocument,
            (token) => wrapToken(token, queryHash),
        );
    }

    async #bulk(ops: OperationInput[], subject: string): Promise<void> {
        this.counters.requests++;
        let results;
        try {
            results = await this.container.items.executeBulkOperations(ops);
        } catch (error) {
            throw fromSdkError(error, `write gold ${subject}`);
        }
        for (const r of results) {
            const status = r.response?.statusCode ?? (r.error as { code?: number } | undefined)?.code ?? 0;
            this.counters.requestCharge += r.response?.requestCharge ?? 0;
            // 404 on a delete: already gone (a concurrent rebuild of the same day), which is the goal.
            if (status >= 400 && !(status === 404 && r.operationInput.operationType === 'Delete')) {
                const message = `write gold ${subject}: ${r.operationInput.operationType} failed with HTTP ${status}`;
                if (isTransientStatus(status)) throw new DependencyError(message, { statusCode: status });
                throw new PipelineError(message);
            }
        }
    }
}
