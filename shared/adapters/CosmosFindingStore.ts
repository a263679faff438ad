/**
 * Compliance findings in Cosmos DB, container `findings` (partition key `/mmsi`). One document per finding, its
 * deterministic id as the document id, so saving a finding again (a double fire, a window evaluated again) overwrites
 * it. `save` upserts each vessel's findings in transactional batches (at most 100 operations each), vessels in
 * parallel (bounded), like the alert store.
 *
 * `forReconciliation` reads what a check run compares its drafts with: the findings of the checks whose last evidence
 * lies in each scope's window, and the findings with the drafts' ids (ARRAY_CONTAINS, in chunks). `query` serves the
 * API: parameterised filters, newest last evidence first, paged by the SDK's continuation token wrapped with a hash
 * of the query (never OFFSET/LIMIT, which the local server lacks and Cosmos charges for).
 */
import type { Container, FeedOptions, JSONObject, OperationInput, SqlParameter } from '@azure/cosmos';

import type { FindingQuery, FindingStore } from '../app/ports.js';
import type { ComplianceCheck, Finding } from '../domain/compliance/finding.js';
import { fnv1a } from '../domain/hash.js';
import { DependencyError, PipelineError } from '../errors.js';
import { clampLimit } from './CosmosAlertStore.js';
import { CosmosStore, mapLimit, unwrapToken, withoutSystemFields, wrapToken } from './cosmosSupport.js';
import { isTransientStatus } from './fromSdkError.js';

const MAX_BATCH_OPERATIONS = 100;
/** Ids per ARRAY_CONTAINS parameter in `forReconciliation`. */
const IDS_PER_QUERY = 200;
const FORBIDDEN_ID = /[/\\?#]/;
const DOCUMENT_FIELDS = ['docType'] as const;

interface FindingDocument extends Finding {
    docType: 'finding';
}

export class CosmosFindingStore extends CosmosStore implements FindingStore {
    constructor(container: Container, options: { concurrency?: number } = {}) {
        super(container, options.concurrency);
    }

    async save(findings: readonly Finding[]): Promise<void> {
        const byVessel = new Map<number, Map<string, Finding>>();
        for (const f of findings) {
            if (typeof f.id !== 'string' || f.id.length === 0 || f.id.length > 255 || FORBIDDEN_ID.test(f.id))
                throw new PipelineError(`finding id ${JSON.stringify(f.id)} is not a valid Cosmos DB id`);
            if (!Number.isFinite(f.mmsi)) throw new PipelineError(`finding ${f.id}: mmsi is not a number`);
            let vessel = byVessel.get(f.mmsi);
            if (vessel === undefined) byVessel.set(f.mmsi, (vessel = new Map<string, Finding>()));
            vessel.set(f.id, f);
        }
        const batches: { mmsi: number; ops: OperationInput[] }[] = [];
        for (const [mmsi, vessel] of byVessel) {
            const ops = [...vessel.values()].map((f): OperationInput => ({
                operationType: 'Upsert',
                partitionKey: mmsi,
                resourceBody: { ...f, docType: 'finding' } as unknown as JSONObject,
            }));
            for (let i = 0; i < ops.length; i += MAX_BATCH_OPERATIONS)
                batches.push({ mmsi, ops: ops.slice(i, i + MAX_BATCH_OPERATIONS) });
        }
        await mapLimit(batches, this.concurrency, async ({ mmsi, ops }) => {
            const subject = `findings of vessel ${mmsi}`;
            const failed = await this.runBatch(mmsi, ops, subject, 'batch');
            if (failed === undefined) return;
            const message = `${subject}: upsert ${failed.index} failed with HTTP ${failed.status}`;
            if (isTransientStatus(failed.status))
                throw new DependencyError(message, { statusCode: failed.status });
            throw new PipelineError(message);
        });
    }

    async forReconciliation(
        scopes: readonly { checks: readonly ComplianceCheck[]; from: number; to: number }[],
        ids: readonly { mmsi: number; id: string }[],
    ): Promise<Finding[]> {
        const found = new Map<string, Finding>();
        const add = (docs: FindingDocument[]): void => {
            for (const d of docs) found.set(`${d.mmsi}|${d.id}`, toFinding(d));
        };
        for (const scope of scopes) {
            if (scope.checks.length === 0) continue;
            add(
                await this.queryAll<FindingDocument>(
                    {
                        query:
                            "SELECT * FROM c WHERE c.docType = 'finding' AND ARRAY_CONTAINS(@checks, c.check)" +
                            ' AND c.lastSeen >= @from AND c.lastSeen <= @to',
                        parameters: [
                            { name: '@checks', value: [...scope.checks] },
                            { name: '@from', value: scope.from },
                            { name: '@to', value: scope.to },
                        ],
                    },
                    {},
                    'findingsInScope',
                ),
            );
        }
        const wanted = [...new Set(ids.map((i) => i.id))];
        for (let i = 0; i < wanted.length; i += IDS_PER_QUERY) {
            add(
                await this.queryAll<FindingDocument>(
                    {
                        query: "SELECT * FROM c WHERE c.docType = 'finding' AND ARRAY_CONTAINS(@ids, c.id)",
                        parameters: [{ name: '@ids', value: wanted.slice(i, i + IDS_PER_QUERY) }],
                    },
                    {},
                    'findingsById',
                ),
            );
        }
        return [...found.values()];
    }

    async query(query: FindingQuery): Promise<{ items: Finding[]; continuation?: string }> {
        const where = ["c.docType = 'finding'"];
        const parameters: SqlParameter[] = [];
        const add = (clause: string, name: string, value: string | number): void => {
            where.push(clause);
            parameters.push({ name, value });
        };
        if (query.mmsi !== undefined) add('c.mmsi = @mmsi', '@mmsi', query.mmsi);
        if (query.from !== undefined) add('c.lastSeen >= @from', '@from', query.from);
        if (query.to !== undefined) add('c.firstSeen <= @to', '@to', query.to);
        if (query.check !== undefined) add('c.check = @check', '@check', query.check);
        if (query.severity !== undefined) add('c.severity = @severity', '@severity', query.severity);
        if (query.status !== undefined) add('c.status = @status', '@status', query.status);
        const options: FeedOptions = { maxItemCount: clampLimit(query.limit), enableQueryControl: true };
        if (query.mmsi !== undefined) options.partitionKey = query.mmsi;
        const spec = {
            query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.lastSeen DESC`,
            parameters,
        };
        const queryHash = fnv1a(JSON.stringify(spec));
        if (query.continuation !== undefined)
            options.continuationToken = unwrapToken(query.continuation, queryHash);
        const iterator = this.container.items.query<FindingDocument>(spec, options);
        return this.queryPage(
            iterator,
            query.continuation !== undefined,
            'queryFindings',
            toFinding,
            (token) => wrapToken(token, queryHash),
        );
    }
}

function toFinding(doc: FindingDocument): Finding {
    return withoutSystemFields(doc, DOCUMENT_FIELDS) as unknown as Finding;
}
