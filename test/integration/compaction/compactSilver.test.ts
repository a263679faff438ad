import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';

import { CosmosJobRunStore } from '../../../shared/adapters/CosmosJobRunStore.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import { BlobLineageSink, HttpLineageSink, TeeLineageSink } from '../../../shared/adapters/lineage.js';
import { SilverComplianceInputs } from '../../../shared/adapters/SilverComplianceInputs.js';
import {
    COMPACTED_TABLES,
    compactHour,
    type CompactionDeps,
    type CompactionSettings,
    DEFAULT_COMPACTION_SETTINGS,
    runCompactionTimer,
} from '../../../shared/app/compactSilver.js';
import { silverFiles } from '../../../shared/app/gold/silverFiles.js';
import { silverPath } from '../../../shared/app/lakePaths.js';
import type { LineageSink, OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import type {
    BlobInfo,
    LakeBytesWriter,
    LakeContainer,
    LakeDeleter,
    LakeReader,
    ParquetTable,
} from '../../../shared/app/ports.js';
import { hourFolder, MANIFEST_NAME, parseManifest } from '../../../shared/app/silverManifest.js';
import { POSITION_COLUMNS, POSITIONS_TABLE } from '../../../shared/app/silverTables.js';
import {
    createTestDatabase,
    createTestLake,
    localBlobServiceClient,
    type TestDatabase,
    type TestLake,
} from '../../helpers/localServices.js';

// Each compaction downloads, sorts and uploads through Azurite: seconds on a shared machine.
jest.setTimeout(240_000);

const H = 3_600_000;
const HOUR = Date.parse('2026-05-04T10:00:00Z');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const POSITIONS = COMPACTED_TABLES.find((t) => t.table === POSITIONS_TABLE)!;

let lake: TestLake;
let db: TestDatabase;
let runs: CosmosJobRunStore;
let batchCounter = 0;

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('compact'), createTestDatabase('compact')]);
    runs = new CosmosJobRunStore(db.client.database(db.databaseId).container('jobRuns'));
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

/** A lake that fails the first write or delete `failWhen` matches (a crash at that step), then behaves. */
class CrashingLake implements LakeReader, LakeBytesWriter, LakeDeleter {
    constructor(
        private readonly inner: TestLake['lake'],
        private failWhen: ((op: 'write' | 'delete', path: string) => boolean) | undefined,
    ) {}
    list(container: LakeContainer, prefix: string): Promise<BlobInfo[]> {
        return this.inner.list(container, prefix);
    }
    readJsonLinesGz(container: LakeContainer, path: string): Promise<unknown[]> {
        return this.inner.readJsonLinesGz(container, path);
    }
    readBytes(container: LakeContainer, path: string): Promise<Uint8Array> {
        return this.inner.readBytes(container, path);
    }
    writeBytes(container: LakeContainer, path: string, bytes: Uint8Array, type: string): Promise<void> {
        this.#maybeCrash('write', path);
        return this.inner.writeBytes(container, path, bytes, type);
    }
    delete(container: LakeContainer, path: string): Promise<void> {
        this.#maybeCrash('delete', path);
        return this.inner.delete(container, path);
    }
    #maybeCrash(op: 'write' | 'delete', path: string): void {
        if (this.failWhen?.(op, path) === true) {
            this.failWhen = undefined;
            throw new Error(`injected crash before ${op} ${path}`);
        }
    }
}

function depsFor(
    l: LakeReader & LakeBytesWriter & LakeDeleter,
    now: { t: number },
    lineage?: LineageSink,
): CompactionDeps {
    return {
        lake: l,
        compactor: new DuckDbSilverCompactor(lake.lake),
        runs,
        clock: { now: () => now.t },
        logger: quiet,
        lakeNamespace: 'azblob://test',
        ...(lineage === undefined ? {} : { lineage }),
    };
}

const settings: CompactionSettings = {
    ...DEFAULT_COMPACTION_SETTINGS,
    graceMs: 10 * 60_000,
    deleteDelayMs: 30 * 60_000,
    lookbackHours: 6,
};

/** Writes one batch file of `rows` positions in the hour at `hourMs` (vessels and times interleaved on purpose). */
async function writeBatch(
    hourMs: number,
    rows: number,
    seed: number,
    table: ParquetTable['columns'] = POSITION_COLUMNS,
): Promise<Record<string, unknown>[]> {
    const first = ++batchCounter * 1000;
    const data = Array.from({ length: rows }, (_, i) => ({
        mmsi: 200_000_000 + ((seed * 7 + i * 13) % 11),
        event_time: hourMs + ((seed * 977 + i * 61_001) % H),
        lat: 50 + i / 1000,
        lon: 3 + seed / 100,
        sog: (i % 20) + 0.5,
        nav_status: i % 3,
        flags: i % 5 === 0 ? 'IMPLAUSIBLE_JUMP' : null,
        name: `SHIP ${seed}`,
        eh_partition: '0',
        eh_sequence: first + i,
        ingest_time: hourMs + 5_000,
    }));
    await lake.lake.writeParquet(
        'silver',
        silverPath(POSITIONS_TABLE, hourMs, {
            partitionId: '0',
            firstSequence: first,
            lastSequence: first + rows - 1,
        }),
        {
            columns: table,
            rows: data,
        },
    );
    return data;
}

async function readRows(files: readonly BlobInfo[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const f of files) {
        const bytes = await lake.lake.readBytes('silver', f.path);
        out.push(
            ...((await parquetReadObjects({
                file: bytes.buffer.slice(
                    bytes.byteOffset,
                    bytes.byteOffset + bytes.byteLength,
                ) as ArrayBuffer,
            })) as Record<string, unknown>[]),
        );
    }
    return out;
}

/** What a reader sees of the hour, as sorted keys (each row once, or the test fails). */
async function readerKeys(hourMs: number): Promise<string[]> {
    const rows = await readRows(await silverFiles(lake.lake, POSITIONS_TABLE, hourMs, hourMs + H));
    return rows
        .map(
            (r) =>
                `${String(r['mmsi'])}|${Number(r['event_time'] instanceof Date ? r['event_time'].getTime() : r['event_time'])}|${String(r['eh_sequence'])}`,
        )
        .sort();
}

function keysOf(rows: readonly Record<string, unknown>[]): string[] {
    return rows
        .map((r) => `${String(r['mmsi'])}|${Number(r['event_time'])}|${String(r['eh_sequence'])}`)
        .sort();
}

describe('compactSilver on Azurite', () => {
    it('merges the batch files of a closed hour into one sorted file with the same schema, statistics and the run id', async () => {
        const hour = HOUR;
        const written = [
            ...(await writeBatch(hour, 40, 1)),
            ...(await writeBatch(hour, 35, 2)),
            ...(await writeBatch(hour, 50, 3)),
        ];
        const now = { t: hour + H + 15 * 60_000 };

        const summary = await runCompactionTimer(depsFor(lake.lake, now), settings, 'fire-1');

        const outcome = summary.hours.find(
            (h) => h.table === POSITIONS_TABLE && h.hour === new Date(hour).toISOString(),
        );
        expect(outcome).toMatchObject({ outcome: 'compacted', filesBefore: 3, filesAfter: 1, rows: 125 });
        const live = await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H);
        expect(live).toHaveLength(1);
        expect(live[0]!.path).toMatch(/\/compacted-[^/]+-0\.parquet$/);
        expect(await readerKeys(hour)).toEqual(keysOf(written));

        const bytes = await lake.lake.readBytes('silver', live[0]!.path);
        const buffer = bytes.buffer.slice(
            bytes.byteOffset,
            bytes.byteOffset + bytes.byteLength,
        ) as ArrayBuffer;
        const meta = parquetMetadata(buffer);
        // Same columns, same order, same physical types as the batch files.
        const leaves = meta.schema.slice(1);
        expect(leaves.map((s) => s.name)).toEqual(POSITION_COLUMNS.map((c) => c.name));
        const physical = (name: string) => leaves.find((s) => s.name === name)!.type;
        expect([
            physical('mmsi'),
            physical('event_time'),
            physical('lat'),
            physical('eh_sequence'),
            physical('name'),
        ]).toEqual(['INT32', 'INT64', 'DOUBLE', 'INT64', 'BYTE_ARRAY']);
        // Statistics on every column chunk of the sort key.
        const mmsiChunk = meta.row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema[0] === 'mmsi')!;
        expect(mmsiChunk.meta_data?.statistics?.min_value).toBe(200_000_000);
        expect(meta.key_value_metadata?.find((kv) => kv.key === 'maritime_compaction_run')?.value).toBe(
            (outcome as { runId: string }).runId,
        );
        // Sorted by MMSI then event time.
        const rows = await readRows(live);
        const order = rows.map((r) => [Number(r['mmsi']), (r['event_time'] as Date).getTime()] as const);
        const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(order).toEqual(sorted);
        // The replaced files stay until the delay has passed (readers that listed before the switch still find them).
        const folder = hourFolder(POSITIONS_TABLE, hour);
        expect(
            (await lake.lake.list('silver', folder)).filter(
                (b) => !b.path.includes('compacted-') && b.path.endsWith('.parquet'),
            ),
        ).toHaveLength(3);
    });

    it('the compliance reader reads the compacted hour once', async () => {
        const inputs = await new SilverComplianceInputs(lake.lake).read({
            from: HOUR,
            windowStart: HOUR,
            to: HOUR + H,
        });
        expect(inputs.files).toBe(1);
        expect(inputs.tracks.reduce((n, t) => n + t.fixes.length, 0)).toBe(125);
    });

    it('is a no-op at a second fire, and deletes the replaced files once the delay has passed (names kept)', async () => {
        const hour = HOUR;
        const folder = hourFolder(POSITIONS_TABLE, hour);
        const now = { t: hour + H + 20 * 60_000 };
        const again = await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'fire-2');
        expect(again.outcome).toBe('nothing');

        now.t = hour + H + 60 * 60_000;
        const cleaned = await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'fire-3');
        expect(cleaned).toMatchObject({ outcome: 'cleaned', deleted: 3 });
        const left = (await lake.lake.list('silver', folder)).map((b) => b.path.slice(folder.length));
        expect(left.filter((n) => n !== MANIFEST_NAME)).toHaveLength(1);
        const manifest = parseManifest(await lake.lake.readBytes('silver', folder + MANIFEST_NAME), folder);
        expect(manifest.replaced.filter((r) => r.deleted === true)).toHaveLength(3);
    });

    it('late data is read beside the compacted file, then compacted again; a redelivered batch of a compacted name stays out', async () => {
        const hour = HOUR + H;
        const first = [...(await writeBatch(hour, 20, 4)), ...(await writeBatch(hour, 20, 5))];
        const now = { t: hour + H + 15 * 60_000 };
        await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'late-1');
        const late = await writeBatch(hour, 7, 6);
        expect(await readerKeys(hour)).toEqual(keysOf([...first, ...late]));

        now.t += 5 * 60_000;
        const second = await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'late-2');
        expect(second).toMatchObject({ outcome: 'compacted', filesBefore: 2, filesAfter: 1, rows: 47 });
        expect(await readerKeys(hour)).toEqual(keysOf([...first, ...late]));

        // A redelivered batch rewrites a replaced file under its own name (same rows): readers do not count it twice.
        batchCounter -= 1;
        await writeBatch(hour, 7, 6);
        expect(await readerKeys(hour)).toEqual(keysOf([...first, ...late]));
    });

    it.each([
        [
            'before the first merged file is written',
            (op: string, path: string) => op === 'write' && path.includes('compacted-'),
        ],
        [
            'before the manifest is written',
            (op: string, path: string) => op === 'write' && path.endsWith(MANIFEST_NAME),
        ],
        [
            'in the middle of deleting replaced files',
            (op: string, path: string) => op === 'delete' && !path.includes('compacted-'),
        ],
        [
            'before the manifest records the deletions',
            (op: string, path: string) => op === 'write' && path.endsWith(MANIFEST_NAME),
        ],
    ])(
        'a crash %s leaves a readable, correct hour, and the next run finishes it',
        async (_step, failWhen) => {
            const hour = HOUR + 2 * H + batchCounter * H; // a fresh hour per case
            const written = [
                ...(await writeBatch(hour, 15, 7)),
                ...(await writeBatch(hour, 16, 8)),
                ...(await writeBatch(hour, 17, 9)),
            ];
            const now = { t: hour + H + 15 * 60_000 };
            const deletionCase = _step.includes('delet');
            if (deletionCase) {
                // Compact first (no crash); the crash comes at clean-up time.
                await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'pre');
                now.t += 60 * 60_000;
            }
            const crashing = new CrashingLake(lake.lake, failWhen);
            await expect(
                compactHour(depsFor(crashing, now), settings, POSITIONS, hour, 'crash'),
            ).rejects.toThrow(/injected crash/);
            expect(await readerKeys(hour)).toEqual(keysOf(written));

            now.t += 20 * 60_000; // past the lease? no: the failed run released it
            const summary = await runCompactionTimer(
                depsFor(lake.lake, now),
                { ...settings, lookbackHours: 24 * 30 },
                'after',
            );
            expect(summary.hours.filter((h) => h.outcome === 'busy')).toEqual([]);
            expect(await readerKeys(hour)).toEqual(keysOf(written));
            expect(await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H)).toHaveLength(1);
        },
    );

    it('two fires at once compact an hour once', async () => {
        const hour = Date.parse('2026-05-20T03:00:00Z');
        const written = [...(await writeBatch(hour, 30, 10)), ...(await writeBatch(hour, 30, 11))];
        const now = { t: hour + H + 15 * 60_000 };
        const [a, b] = await Promise.all([
            compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'double-a'),
            compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'double-b'),
        ]);
        expect([a.outcome, b.outcome].sort()).toEqual(['busy', 'compacted']);
        const compacted = (await lake.lake.list('silver', hourFolder(POSITIONS_TABLE, hour))).filter((f) =>
            f.path.includes('compacted-'),
        );
        expect(compacted).toHaveLength(1);
        expect(await readerKeys(hour)).toEqual(keysOf(written));
    });

    it('writes one OpenLineage record per compacted hour to the lineage container, even when the OpenLineage endpoint is down', async () => {
        const container = localBlobServiceClient().getContainerClient(`lineage-${Date.now()}`);
        await container.createIfNotExists();
        try {
            const hour = Date.parse('2026-05-22T07:00:00Z');
            await writeBatch(hour, 12, 14);
            await writeBatch(hour, 13, 15);
            const now = { t: hour + H + 15 * 60_000 };
            const sink = new TeeLineageSink([
                new BlobLineageSink(container, 'test-writer'),
                new HttpLineageSink('http://127.0.0.1:9/api/v1/lineage', 500),
            ]);
            const outcome = await compactHour(
                depsFor(lake.lake, now, sink),
                settings,
                POSITIONS,
                hour,
                'lineage',
            );
            expect(outcome.outcome).toBe('compacted');
            const runId = (outcome as { runId: string }).runId;
            expect(runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

            const blobs: string[] = [];
            for await (const b of container.listBlobsFlat()) blobs.push(b.name);
            expect(blobs).toEqual([
                `date=${new Date(now.t).toISOString().slice(0, 10)}/hour=${new Date(now.t).toISOString().slice(11, 13)}/compactSilver-test-writer.jsonl`,
            ]);
            const text = (await container.getBlobClient(blobs[0]!).downloadToBuffer()).toString('utf8');
            const events = text
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l) as OpenLineageRunEvent);
            expect(events).toHaveLength(1);
            const event = events[0]!;
            expect(event).toMatchObject({
                eventType: 'COMPLETE',
                job: { namespace: 'maritime', name: 'compactSilver' },
                run: { runId },
            });
            expect(event.schemaURL).toMatch(/openlineage/);
            expect(event.inputs).toHaveLength(2);
            expect(
                event.inputs.every(
                    (i) =>
                        i.namespace === 'azblob://test' &&
                        /^silver\/ais_positions\/date=2026-05-22\/hour=07\/0-\d+-\d+\.parquet$/.test(i.name),
                ),
            ).toBe(true);
            const compacted = event.outputs.find((o) => o.name.includes(`compacted-${runId}-0.parquet`));
            expect(compacted?.outputFacets?.['outputStatistics']).toMatchObject({ rowCount: 25 });
            expect(event.run.facets['maritime']).toMatchObject({
                window: `ais_positions/${new Date(hour).toISOString()}`,
                counts: { filesBefore: 2, filesAfter: 1, rows: 25 },
            });
        } finally {
            await container.deleteIfExists();
        }
    });

    it('a rebuild into a compacted hour: readers keep one copy until the next compaction, which takes the rebuilt batch (provenance filter)', async () => {
        const hour = Date.parse('2026-05-23T09:00:00Z');
        const folder = hourFolder(POSITIONS_TABLE, hour);
        const a = await writeBatch(hour, 20, 16);
        const b = await writeBatch(hour, 15, 17);
        const now = { t: hour + H + 15 * 60_000 };
        expect(
            await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'rebuild-1'),
        ).toMatchObject({ outcome: 'compacted', rows: 35 });
        // Blob Last-Modified has a resolution of one second: the rebuild comes later than that, as it would in life.
        await new Promise((resolve) => setTimeout(resolve, 1_100));

        // `maritime rebuild` after a rule fix re-drives batch a: same name (its partition and sequence range), other
        // rows (two of its events are now quarantined, the others carry a corrected speed).
        const first = Number(a[0]!['eh_sequence']);
        const pathA = silverPath(POSITIONS_TABLE, hour, {
            partitionId: '0',
            firstSequence: first,
            lastSequence: first + a.length - 1,
        });
        const rebuilt = a.filter((_, i) => i !== 3 && i !== 11).map((r) => ({ ...r, sog: 9.5 }));
        await lake.lake.writeParquet('silver', pathA, { columns: POSITION_COLUMNS, rows: rebuilt });
        // Until the next compaction readers see the compacted rows, each once (not the compacted copy plus the rebuilt one).
        expect(await readerKeys(hour)).toEqual(keysOf([...a, ...b]));

        // Past the delete delay: the original replaced file of b goes, the rebuilt file of a is merged, not deleted.
        now.t += 60 * 60_000;
        const second = await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'rebuild-2');
        expect(second).toMatchObject({
            outcome: 'compacted',
            filesBefore: 2,
            filesAfter: 1,
            rows: 33,
            rewritten: 1,
            superseded: 20,
        });
        expect(await readerKeys(hour)).toEqual(keysOf([...rebuilt, ...b]));
        const rows = await readRows(await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H));
        const sogOf = (seq: number) => rows.find((r) => Number(r['eh_sequence']) === seq)!['sog'];
        expect(sogOf(first)).toBe(9.5);
        expect(sogOf(Number(b[0]!['eh_sequence']))).toBe(b[0]!['sog']);

        // The next fire has nothing to merge; once the delay has passed the rebuilt file goes too (its name stays).
        expect(
            (await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'rebuild-3')).outcome,
        ).toBe('nothing');
        now.t += 60 * 60_000;
        expect(
            await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'rebuild-4'),
        ).toMatchObject({ outcome: 'cleaned' });
        expect((await lake.lake.list('silver', folder)).some((f) => f.path === pathA)).toBe(false);

        // A second rebuild of the same batch after its file was deleted: merged again, still one copy.
        await lake.lake.writeParquet('silver', pathA, { columns: POSITION_COLUMNS, rows: rebuilt });
        expect(await readerKeys(hour)).toEqual(keysOf([...rebuilt, ...b]));
        now.t += 5 * 60_000;
        expect(
            await compactHour(depsFor(lake.lake, now), settings, POSITIONS, hour, 'rebuild-5'),
        ).toMatchObject({ outcome: 'compacted', rows: 33, superseded: 18 });
        expect(await readerKeys(hour)).toEqual(keysOf([...rebuilt, ...b]));
    });

    it('leaves open hours alone and merges files written before a column existed (the column reads null)', async () => {
        const hour = Date.parse('2026-05-21T03:00:00Z');
        const old = POSITION_COLUMNS.filter((c) => c.name !== 'event_time_source' && c.name !== 'h3_cell');
        const written = [...(await writeBatch(hour, 10, 12, old)), ...(await writeBatch(hour, 10, 13))];
        const open = await runCompactionTimer(
            depsFor(lake.lake, { t: hour + H + 5 * 60_000 }),
            settings,
            'open',
        );
        expect(open.hours.filter((h) => h.hour === new Date(hour).toISOString())).toEqual([]);

        const closed = await compactHour(
            depsFor(lake.lake, { t: hour + H + 15 * 60_000 }),
            settings,
            POSITIONS,
            hour,
            'schema',
        );
        expect(closed).toMatchObject({ outcome: 'compacted', rows: 20 });
        expect(await readerKeys(hour)).toEqual(keysOf(written));
    });
});
