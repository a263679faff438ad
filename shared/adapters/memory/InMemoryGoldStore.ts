/**
 * In-memory GoldStore with the semantics of CosmosGoldStore (the contract in
 * test/integration/adapters/goldStoreContract.ts runs on both): `replace` checks the rows and makes the rows of
 * (table, day) of the shard's vessels exactly the given ones; `query` filters by table, vessel, day range and
 * equality fields, orders by `sortKey` and pages with a continuation token bound to the query's filters; documents
 * round-tripped through JSON.
 */
import { checkGoldDocument, inShard } from '../../app/gold/goldOutput.js';
import type { GoldDocument, GoldQuery, GoldStore, Shard } from '../../app/ports.js';
import { fnv1a } from '../../domain/hash.js';
import { ensureError } from '../../errors.js';
import { unwrapToken, wrapToken } from '../cosmosSupport.js';

export class InMemoryGoldStore implements GoldStore {
    readonly #docs = new Map<string, GoldDocument>();

    replace(
        table: string,
        day: string,
        shard: Shard,
        docs: readonly GoldDocument[],
    ): Promise<{ written: number; deleted: number }> {
        try {
            for (const doc of docs) checkGoldDocument(doc, table, day, shard);
        } catch (error) {
            return Promise.reject(ensureError(error));
        }
        const keep = new Set(docs.map((d) => d.id));
        let deleted = 0;
        for (const [id, d] of this.#docs) {
            if (d.table === table && d.day === day && inShard(d.mmsi, shard) && !keep.has(id)) {
                this.#docs.delete(id);
                deleted++;
            }
        }
        for (const d of docs) this.#docs.set(d.id, JSON.parse(JSON.stringify(d)) as GoldDocument);
        return Promise.resolve({ written: docs.length, deleted });
    }

    query(q: GoldQuery): Promise<{ items: GoldDocument[]; continuation?: string }> {
        const all = [...this.#docs.values()]
            .filter(
                (d) =>
                    d.table === q.table &&
                    (q.mmsi === undefined || d.mmsi === q.mmsi) &&
                    (q.fromDay === undefined || d.day >= q.fromDay) &&
                    (q.toDay === undefined || d.day <= q.toDay) &&
                    Object.entries(q.where ?? {}).every(([k, v]) => d[k] === v),
            )
            .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
        const queryHash = fnv1a(JSON.stringify([q.table, q.mmsi, q.fromDay, q.toDay, q.where]));
        let offset = 0;
        try {
            if (q.continuation !== undefined) offset = Number(unwrapToken(q.continuation, queryHash));
        } catch (error) {
            return Promise.reject(ensureError(error));
        }
        const items = all
            .slice(offset, offset + q.limit)
            .map((d) => JSON.parse(JSON.stringify(d)) as GoldDocument);
        const next = offset + q.limit;
        return Promise.resolve(
            next < all.length ? { items, continuation: wrapToken(String(next), queryHash) } : { items },
        );
    }

    all(table?: string): GoldDocument[] {
        return [...this.#docs.values()].filter((d) => table === undefined || d.table === table);
    }
}
