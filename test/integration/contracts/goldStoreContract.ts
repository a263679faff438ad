/**
 * Behaviour every gold store must have, run against the in-memory fakes (InMemoryGoldStore over InMemoryLake) and the
 * real stores (CosmosGoldStore on the Cosmos-protocol server, BlobLake on Azurite), so the fakes the use-case tests
 * build gold on cannot drift from what runs in Azure.
 *
 * Two parts: the `GoldStore` port itself (replace a table-day-shard as a whole, query with filters and paging), and
 * `writeGoldTable` through a lake and a store (the Parquet part and the documents of a rebuild, with `run_id`).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import {
    type GoldLake,
    goldPartPath,
    type GoldTableSpec,
    writeGoldTable,
} from '../../../shared/app/gold/goldOutput.js';
import type { GoldDocument, GoldStore, Shard } from '../../../shared/app/ports.js';
import { PipelineError, ValidationError } from '../../../shared/errors.js';
import { readGoldParquet } from '../gold/goldParquet.js';

export interface GoldStoresUnderTest {
    store: GoldStore;
    lake: GoldLake;
    dispose(): Promise<void>;
}

const WHOLE: Shard = { index: 0, count: 1 };
const TABLE = 'vessel_daily';

/** A gold row as `writeGoldTable` makes it: deterministic id, the vessel, the table and day, `day|id` to sort on. */
function doc(mmsi: number, day: string, patch: Record<string, unknown> = {}, table = TABLE): GoldDocument {
    const id = `${table}-${mmsi}-${day}`;
    return {
        id,
        mmsi,
        table,
        day,
        sortKey: `${day}|${id}`,
        fixes: mmsi % 100,
        distance_nm: mmsi / 1000,
        flag: mmsi % 2 === 0 ? 'NO' : 'PA',
        partial: false,
        ...patch,
    };
}

const VESSELS = [211000001, 211000002, 211000003, 211000004, 211000005, 211000006];

async function everything(store: GoldStore, table = TABLE): Promise<GoldDocument[]> {
    const out: GoldDocument[] = [];
    let continuation: string | undefined;
    do {
        const page = await store.query({
            table,
            limit: 1000,
            ...(continuation === undefined ? {} : { continuation }),
        });
        out.push(...page.items);
        continuation = page.continuation;
    } while (continuation !== undefined);
    return out;
}

const ids = (docs: readonly GoldDocument[]): string[] => docs.map((d) => d.id);

const SPEC: GoldTableSpec = {
    table: 'port_calls',
    columns: [
        { name: 'mmsi', type: 'INT64' },
        { name: 'locode', type: 'STRING' },
        { name: 'hours', type: 'DOUBLE' },
    ],
    toDocument: (row) => ({
        id: `port_calls-${String(row['mmsi'])}-${String(row['locode'])}`,
        mmsi: row['mmsi'] as number,
    }),
};

export function describeGoldStoreContract(name: string, make: () => Promise<GoldStoresUnderTest>): void {
    describe(`gold store contract: ${name}`, () => {
        let s: GoldStoresUnderTest;

        beforeEach(async () => {
            s = await make();
        });

        afterEach(async () => {
            await s.dispose();
        });

        it('gives back the replaced rows ordered by day then id, exactly as written (no store fields)', async () => {
            // Arrange
            const day2 = VESSELS.slice(0, 2).map((m) => doc(m, '2026-09-02'));
            const day1 = VESSELS.slice(0, 3).map((m) =>
                doc(m, '2026-09-01', { nested: { eca: [{ zone: 'NSECA', hours: 1.5 }] }, note: null }),
            );
            // Act
            const written = await s.store.replace(TABLE, '2026-09-02', WHOLE, day2);
            await s.store.replace(TABLE, '2026-09-01', WHOLE, [...day1].reverse());
            // Assert
            expect(written).toEqual({ written: 2, deleted: 0 });
            expect(await everything(s.store)).toEqual([...day1, ...day2]);
        });

        it('deletes on a rebuild the rows it no longer produces, and replaces the others', async () => {
            // Arrange
            await s.store.replace(
                TABLE,
                '2026-09-01',
                WHOLE,
                VESSELS.map((m) => doc(m, '2026-09-01')),
            );
            const rebuilt = [doc(VESSELS[0]!, '2026-09-01', { fixes: 999 }), doc(VESSELS[3]!, '2026-09-01')];
            // Act
            const result = await s.store.replace(TABLE, '2026-09-01', WHOLE, rebuilt);
            // Assert
            expect(result).toEqual({ written: 2, deleted: 4 });
            expect(await everything(s.store)).toEqual(rebuilt);
        });

        it("rebuilds one shard's vessels only, leaving the other shards, other days and other tables alone", async () => {
            // Arrange: the day in two shards (pmod(mmsi, 2)), the day before, and another table.
            const half = (index: number): GoldDocument[] =>
                VESSELS.filter((m) => m % 2 === index).map((m) => doc(m, '2026-09-01'));
            await s.store.replace(TABLE, '2026-09-01', { index: 0, count: 2 }, half(0));
            await s.store.replace(TABLE, '2026-09-01', { index: 1, count: 2 }, half(1));
            await s.store.replace(
                TABLE,
                '2026-08-31',
                WHOLE,
                VESSELS.map((m) => doc(m, '2026-08-31')),
            );
            await s.store.replace(
                'emissions_daily',
                '2026-09-01',
                WHOLE,
                VESSELS.map((m) => doc(m, '2026-09-01', {}, 'emissions_daily')),
            );
            // Act: shard 1 rebuilt with no rows.
            const result = await s.store.replace(TABLE, '2026-09-01', { index: 1, count: 2 }, []);
            // Assert
            expect(result).toEqual({ written: 0, deleted: half(1).length });
            const left = await everything(s.store);
            expect(ids(left)).toEqual(
                ids(
                    [...VESSELS.map((m) => doc(m, '2026-08-31')), ...half(0)].sort((a, b) =>
                        a.sortKey < b.sortKey ? -1 : 1,
                    ),
                ),
            );
            expect(await everything(s.store, 'emissions_daily')).toHaveLength(VESSELS.length);
        });

        it('replaces rows written under another shard count (a day first built in one shard, then in three)', async () => {
            // Arrange
            await s.store.replace(
                TABLE,
                '2026-09-01',
                WHOLE,
                VESSELS.map((m) => doc(m, '2026-09-01', { fixes: 1 })),
            );
            // Act: the three shards rebuild the day; shard 2 no longer has vessel 211000002.
            let deleted = 0;
            for (let index = 0; index < 3; index++) {
                const shard = { index, count: 3 };
                const rows = VESSELS.filter((m) => m % 3 === index && m !== 211000002).map((m) =>
                    doc(m, '2026-09-01', { fixes: 2 }),
                );
                deleted += (await s.store.replace(TABLE, '2026-09-01', shard, rows)).deleted;
            }
            // Assert
            expect(deleted).toBe(1);
            const left = await everything(s.store);
            expect(left.map((d) => d.mmsi).sort()).toEqual(VESSELS.filter((m) => m !== 211000002));
            expect(left.every((d) => d['fixes'] === 2)).toBe(true);
        });

        it('filters by vessel, inclusive day range and equality fields (string and number)', async () => {
            // Arrange
            for (const day of ['2026-09-01', '2026-09-02', '2026-09-03']) {
                await s.store.replace(
                    TABLE,
                    day,
                    WHOLE,
                    VESSELS.map((m) => doc(m, day)),
                );
            }
            // Act
            const vessel = await s.store.query({
                table: TABLE,
                mmsi: VESSELS[1]!,
                fromDay: '2026-09-02',
                toDay: '2026-09-03',
                limit: 100,
            });
            const flagged = await s.store.query({
                table: TABLE,
                fromDay: '2026-09-03',
                where: { flag: 'NO' },
                limit: 100,
            });
            const counted = await s.store.query({
                table: TABLE,
                toDay: '2026-09-01',
                where: { fixes: VESSELS[4]! % 100 },
                limit: 100,
            });
            const none = await s.store.query({ table: 'port_calls', limit: 100 });
            // Assert
            expect(ids(vessel.items)).toEqual([
                doc(VESSELS[1]!, '2026-09-02').id,
                doc(VESSELS[1]!, '2026-09-03').id,
            ]);
            expect(ids(flagged.items)).toEqual(
                VESSELS.filter((m) => m % 2 === 0).map((m) => doc(m, '2026-09-03').id),
            );
            expect(ids(counted.items)).toEqual([doc(VESSELS[4]!, '2026-09-01').id]);
            expect(none).toEqual({ items: [] });
        });

        it('pages through every row once, in order, and the last page has no continuation', async () => {
            // Arrange
            await s.store.replace(
                TABLE,
                '2026-09-01',
                WHOLE,
                VESSELS.map((m) => doc(m, '2026-09-01')),
            );
            await s.store.replace(
                TABLE,
                '2026-09-02',
                WHOLE,
                VESSELS.slice(0, 3).map((m) => doc(m, '2026-09-02')),
            );
            const pages: GoldDocument[][] = [];
            // Act
            let continuation: string | undefined;
            do {
                const page = await s.store.query({
                    table: TABLE,
                    limit: 4,
                    ...(continuation === undefined ? {} : { continuation }),
                });
                pages.push(page.items);
                continuation = page.continuation;
            } while (continuation !== undefined && pages.length < 10);
            // Assert
            expect(pages.map((p) => p.length)).toEqual([4, 4, 1]);
            expect(ids(pages.flat())).toEqual(ids(await everything(s.store)));
        });

        it('refuses a garbled continuation token, and one handed out for other filters, as a ValidationError', async () => {
            // Arrange
            await s.store.replace(
                TABLE,
                '2026-09-01',
                WHOLE,
                VESSELS.map((m) => doc(m, '2026-09-01')),
            );
            const first = await s.store.query({ table: TABLE, limit: 2 });
            expect(first.continuation).toBeDefined();
            // Act / Assert
            await expect(
                s.store.query({ table: TABLE, limit: 2, continuation: 'not-a-token' }),
            ).rejects.toBeInstanceOf(ValidationError);
            await expect(
                s.store.query({
                    table: TABLE,
                    limit: 2,
                    where: { flag: 'NO' },
                    continuation: first.continuation!,
                }),
            ).rejects.toBeInstanceOf(ValidationError);
        });

        it('refuses a row that is not of the table, day and shard it replaces, or whose id the store cannot hold', async () => {
            // Arrange
            const shard0 = { index: 0, count: 2 };
            const odd = VESSELS.find((m) => m % 2 === 1)!;
            // Act / Assert
            await expect(
                s.store.replace(TABLE, '2026-09-01', WHOLE, [doc(odd, '2026-09-02')]),
            ).rejects.toBeInstanceOf(PipelineError);
            await expect(
                s.store.replace(TABLE, '2026-09-01', WHOLE, [doc(odd, '2026-09-01', {}, 'voyages')]),
            ).rejects.toBeInstanceOf(PipelineError);
            await expect(
                s.store.replace(TABLE, '2026-09-01', shard0, [doc(odd, '2026-09-01')]),
            ).rejects.toBeInstanceOf(PipelineError);
            await expect(
                s.store.replace(TABLE, '2026-09-01', WHOLE, [doc(odd, '2026-09-01', { id: 'a/b' })]),
            ).rejects.toBeInstanceOf(PipelineError);
            await expect(
                s.store.replace(TABLE, '2026-09-01', WHOLE, [doc(odd, '2026-09-01', { mmsi: 1.5 })]),
            ).rejects.toBeInstanceOf(PipelineError);
            expect(await everything(s.store)).toEqual([]);
        });

        it('writeGoldTable: the Parquet part and the documents carry run_id, and a rebuild in other shards replaces both', async () => {
            // Arrange
            const rows = VESSELS.map((mmsi, i) => ({
                mmsi,
                locode: i % 2 === 0 ? 'NLRTM' : 'BEANR',
                hours: i + 0.5,
            }));
            await writeGoldTable(s.lake, s.store, SPEC, '2026-09-01', WHOLE, rows, 'run-a');
            // Act: rebuilt in two shards by another run, vessel 211000006 gone.
            const kept = rows.filter((r) => r.mmsi !== 211000006);
            for (let index = 0; index < 2; index++) {
                const shard = { index, count: 2 };
                await writeGoldTable(
                    s.lake,
                    s.store,
                    SPEC,
                    '2026-09-01',
                    shard,
                    kept.filter((r) => r.mmsi % 2 === index),
                    'run-b',
                );
            }
            // Assert: only the two parts remain, with the rows of run-b.
            const parts = (await s.lake.list('gold', 'port_calls/date=2026-09-01/'))
                .map((p) => p.path)
                .sort();
            expect(parts).toEqual([
                goldPartPath('port_calls', '2026-09-01', { index: 0, count: 2 }),
                goldPartPath('port_calls', '2026-09-01', { index: 1, count: 2 }),
            ]);
            const fromParquet = (await Promise.all(parts.map((p) => readGoldParquet(s.lake, p)))).flat();
            expect(fromParquet.sort((a, b) => (a['mmsi'] as number) - (b['mmsi'] as number))).toEqual(
                kept.map((r) => ({ ...r, run_id: 'run-b' })),
            );
            const docs = await everything(s.store, 'port_calls');
            expect(docs.map((d) => d.mmsi).sort()).toEqual(kept.map((r) => r.mmsi));
            expect(
                docs.every(
                    (d) =>
                        d['run_id'] === 'run-b' &&
                        d.day === '2026-09-01' &&
                        d.sortKey === `2026-09-01|${d.id}`,
                ),
            ).toBe(true);
        });
    });
}
