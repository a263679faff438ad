/**
 * Where a gold table's rows go: one Parquet file per table, day and shard under the lake's `gold` container, and
 * (for the tables the API serves) one Cosmos document per row with a deterministic id. Both are replaced as a whole
 * by a rebuild, so a double fire, a redelivered shard or a late-data rebuild never counts anything twice.
 *
 *   gold/{table}/date=YYYY-MM-DD/part-{index}-of-{count}.parquet
 */
import { PipelineError } from '../../errors.js';
import type {
    GoldDocument,
    GoldStore,
    LakeDeleter,
    LakeReader,
    LakeWriter,
    ParquetColumn,
    Shard,
} from '../ports.js';

export type GoldLake = LakeReader & LakeWriter & LakeDeleter;

export interface GoldTableSpec {
    table: string;
    columns: readonly ParquetColumn[];
    /** The Cosmos document of a row (id and vessel); absent for tables the API does not serve from Cosmos. */
    toDocument?: (row: Record<string, unknown>) => { id: string; mmsi: number };
}

const RUN_ID_COLUMN: ParquetColumn = { name: 'run_id', type: 'STRING' };

/** The vessels of a shard: `pmod(mmsi, count) = index`, as in the gold SQL. */
export function inShard(mmsi: number, shard: Shard): boolean {
    return ((mmsi % shard.count) + shard.count) % shard.count === shard.index;
}

const FORBIDDEN_ID = /[/\\?#]/;

/**
 * What every gold store checks before a `replace` (the `GoldStore` contract): an id Cosmos DB can hold (1-255
 * characters, none of `/ \ ? #`), an integer mmsi, and a row of the table, day and shard being replaced.
 */
export function checkGoldDocument(doc: GoldDocument, table: string, day: string, shard: Shard): void {
    if (typeof doc.id !== 'string' || doc.id.length === 0 || doc.id.length > 255 || FORBIDDEN_ID.test(doc.id))
        throw new PipelineError(`gold id ${JSON.stringify(doc.id)} is not a valid Cosmos DB id`);
    if (!Number.isInteger(doc.mmsi)) throw new PipelineError(`gold row ${doc.id}: mmsi is not an integer`);
    if (doc.table !== table || doc.day !== day || !inShard(doc.mmsi, shard))
        throw new PipelineError(
            `gold row ${doc.id} (${doc.table} ${doc.day} mmsi ${doc.mmsi}) is not of ${table} ${day} shard ${shard.index} of ${shard.count}`,
        );
}

export function shardKey(shard: Shard): string {
    return `${shard.index}-of-${shard.count}`;
}

export function goldPartPath(table: string, day: string, shard: Shard): string {
    return `${table}/date=${day}/part-${shardKey(shard)}.parquet`;
}

/** Writes a table's rows of one day and shard to the lake and Cosmos, replacing what an earlier build wrote. */
export async function writeGoldTable(
    lake: GoldLake,
    store: GoldStore,
    spec: GoldTableSpec,
    day: string,
    shard: Shard,
    rows: readonly Record<string, unknown>[],
    /** The run writing the rows (lineage): added to every row as `run_id` (Parquet column and Cosmos field). */
    runId?: string,
): Promise<{ rows: number; deleted: number }> {
    const path = goldPartPath(spec.table, day, shard);
    if (runId !== undefined) rows = rows.map((row) => ({ ...row, run_id: runId }));
    const columns =
        runId !== undefined && !spec.columns.some((c) => c.name === 'run_id')
            ? [...spec.columns, RUN_ID_COLUMN]
            : spec.columns;
    await lake.writeParquet('gold', path, { columns, rows });
    // Parts of an earlier build with another shard count would double the day: remove them.
    const parts = await lake.list('gold', `${spec.table}/date=${day}/`);
    await Promise.all(
        parts
            .filter((p) => p.path !== path && !isPartOf(p.path, shard))
            .map((p) => lake.delete('gold', p.path)),
    );
    if (spec.toDocument === undefined) return { rows: rows.length, deleted: 0 };
    const docs: GoldDocument[] = rows.map((row) => {
        const { id, mmsi } = spec.toDocument!(row);
        return { ...row, id, mmsi, table: spec.table, day, sortKey: `${day}|${id}` };
    });
    const { deleted } = await store.replace(spec.table, day, shard, docs);
    return { rows: rows.length, deleted };
}

/** True for another shard's part of the same shard count (kept: it belongs to the same build). */
function isPartOf(path: string, shard: Shard): boolean {
    return path.endsWith(`-of-${shard.count}.parquet`);
}
