/**
 * What the Cosmos DB stores (vessels, alerts, sensor state) share: the `CosmosStore` base (container, write
 * concurrency, request counters; counted queries and transactional batches), bounded concurrency, and stripping
 * Cosmos system properties from documents read back.
 */
import type { Container, FeedOptions, OperationInput, QueryIterator, SqlQuerySpec } from '@azure/cosmos';

import { DependencyError, ValidationError } from '../errors.js';
import { fromSdkError, statusOf } from './fromSdkError.js';

/**
 * What every Cosmos store holds: its container, how many writes it runs in parallel, and what it has spent.
 * Requests are counted exactly: one per query page fetched, per transactional batch and per point write (SDK
 * retries not included).
 */
export abstract class CosmosStore {
    protected readonly container: Container;
    /** Writes (vessels, alert batches, sensors) in parallel (default 16). */
    protected readonly concurrency: number;
    protected readonly counters = { requests: 0, requestCharge: 0 };

    protected constructor(container: Container, concurrency: number | undefined) {
        this.container = container;
        this.concurrency = Math.max(1, concurrency ?? 16);
    }

    /** Cosmos requests made by this store (query pages, batches, point writes; SDK retries not included). */
    get requestCount(): number {
        return this.counters.requests;
    }

    /** Request units charged so far (the local server reports 1 per request, in a batch 1 per operation). */
    get requestCharge(): number {
        return this.counters.requestCharge;
    }

    /** Every item of a query, all pages drained and counted; SDK errors become pipeline errors named `operation`. */
    protected async queryAll<T>(query: SqlQuerySpec, options: FeedOptions, operation: string): Promise<T[]> {
        const out: T[] = [];
        try {
            const iterator = this.container.items.query<T>(query, options);
            while (iterator.hasMoreResults()) {
                this.counters.requests++;
                const page = await iterator.fetchNext();
                this.counters.requestCharge += page.requestCharge ?? 0;
                for (const item of page.resources) out.push(item);
            }
        } catch (error) {
            throw fromSdkError(error, operation);
        }
        return out;
    }

    /**
     * One page of a paged query: the next page that has items, or the last one (a cross-partition page may come
     * back empty with more to come), its items mapped by `toItem`, its continuation token by `toToken`. Each page
     * fetched is counted. A 400 on a query resumed from a token (`resumed`) is a ValidationError; other SDK errors
     * become pipeline errors named `operation`.
     */
    protected async queryPage<T, U>(
        iterator: QueryIterator<T>,
        resumed: boolean,
        operation: string,
        toItem: (item: T) => U,
        toToken: (sdkToken: string) => string = (token) => token,
    ): Promise<{ items: U[]; continuation?: string }> {
        try {
            for (;;) {
                this.counters.requests++;
                const page = await iterator.fetchNext();
                this.counters.requestCharge += page.requestCharge ?? 0;
                const continuation = page.continuationToken ?? undefined;
                if (page.resources.length > 0 || continuation === undefined || !page.hasMoreResults) {
                    const items = page.resources.map(toItem);
                    return continuation === undefined
                        ? { items }
                        : { items, continuation: toToken(continuation) };
                }
            }
        } catch (error) {
            if (resumed && statusOf(error) === 400) {
                throw new ValidationError('invalid continuation token', { cause: error });
            }
            throw fromSdkError(error, operation);
        }
    }

    /**
     * Runs one transactional batch (one request; each operation's charge counted) and returns the first failing
     * operation (not 424 "failed dependency"), if any. Details name `subject` (e.g. `vessel 1`); `batchName` is how
     * a batch the SDK threw on is called (`<subject>: <batchName> failed: <message>`).
     */
    protected async runBatch(
        partitionKey: number,
        ops: OperationInput[],
        subject: string,
        batchName: string,
    ): Promise<BatchFailure | undefined> {
        this.counters.requests++;
        let results;
        try {
            // Only each operation's status and charge are read: `Prefer: return=minimal` (the SDK's
            // contentResponseOnWriteEnabled: false) spares sending every written document back (a vessel's track
            // bucket holds up to an hour of fixes; README "Throughput").
            const response = await this.container.items.batch(ops, partitionKey, {
                contentResponseOnWriteEnabled: false,
            });
            results = response.result ?? [];
        } catch (error) {
            // The SDK rethrows batch failures as plain Errors ("Batch request error: ...") without the status:
            // only infrastructure failures (429 after retries, 5xx, network, timeouts) end up here.
            throw new DependencyError(`${subject}: ${batchName} failed: ${(error as Error).message}`, {
                cause: error,
            });
        }
        let failed: BatchFailure | undefined;
        results.forEach((r, index) => {
            this.counters.requestCharge += r.requestCharge ?? 0;
            if (failed === undefined && r.statusCode >= 400 && r.statusCode !== 424)
                failed = { index, status: r.statusCode };
        });
        if (failed === undefined && results.length !== ops.length) {
            throw new DependencyError(
                `${subject}: batch returned ${results.length} results for ${ops.length} operations`,
            );
        }
        return failed;
    }
}

/** The first failing operation of a transactional batch. */
export interface BatchFailure {
    index: number;
    status: number;
}

/** Properties Cosmos DB adds to every document. */
const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn'] as const;

/** A shallow copy of `doc` without the Cosmos system properties and without `fields`. */
export function withoutSystemFields(doc: object, fields: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { ...doc };
    for (const field of SYSTEM_PROPERTIES) delete out[field];
    for (const field of fields) delete out[field];
    return out;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. The first failure rejects. */
export async function mapLimit<T, R>(
    items: readonly T[],
    limit: number,
    fn: (item: T) => Promise<R>,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index]!);
            } catch (error) {
                failed = true; // stop starting new items; the ones in flight finish
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

const TOKEN_VERSION = 1;

/**
 * A continuation token handed out to API clients: the SDK's token wrapped with a hash of the query, so a garbled
 * token, or one of a query with other filters, is refused (`unwrapToken`) instead of silently starting over.
 */
export function wrapToken(sdkToken: string, queryHash: string): string {
    return Buffer.from(JSON.stringify([TOKEN_VERSION, queryHash, sdkToken]), 'utf8').toString('base64url');
}

/** The SDK token inside a token from `wrapToken`; a ValidationError when it is garbled or of another query. */
export function unwrapToken(token: string, queryHash: string): string {
    let value: unknown;
    try {
        value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch (error) {
        throw new ValidationError('invalid continuation token', { cause: error });
    }
    if (
        !Array.isArray(value) ||
        value.length !== 3 ||
        value[0] !== TOKEN_VERSION ||
        typeof value[2] !== 'string'
    )
        throw new ValidationError('invalid continuation token');
    if (value[1] !== queryHash)
        throw new ValidationError('continuation token belongs to another query (the filters changed)');
    return value[2];
}
