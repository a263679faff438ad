/**
 * Compaction of the open hour (`COMPACTION_OPEN_MIN_FILES`) and of `ingest_batches`, on Azurite: what a reader sees
 * is unchanged at every step (each row once), and a gold day built before and after compaction is row-identical.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import { DuckDbGoldEngine } from '../../../shared/adapters/DuckDbGoldEngine.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import { InMemoryGoldStore } from '../../../shared/adapters/memory/InMemoryGoldStore.js';
import { InMemoryJobRunStore } from '../../../shared/adapters/memory/InMemoryJobRunStore.js';
import {
    type CompactionDeps,
    type CompactionSettings,
    DEFAULT_COMPACTION_SETTINGS,
    OPEN_HOUR_FOLD_FANOUT,
    OPEN_HOUR_MAX_INCREMENTS,
    runCompactionTimer,
} from '../../../shared/app/compactSilver.js';
import { buildGoldDay, type GoldDaySummary } from '../../../shared/app/gold/buildGoldDay.js';
import { silverFiles } from '../../../shared/app/gold/silverFiles.js';
import { dayStart, dayWindow } from '../../../shared/app/gold/window.js';
import { INGEST_BATCH_COLUMNS, INGEST_BATCHES_TABLE } from '../../../shared/app/ingestBatches.js';
import { datePartition } from '../../../shared/app/lakePaths.js';
import type { BlobInfo, GoldDocument } from '../../../shared/app/ports.js';
import { hourFolder, MANIFEST_NAME, parseManifest } from '../../../shared/app/silverManifest.js';
import { POSITIONS_TABLE } from '../../../shared/app/silverTables.js';
import { createPortIndex } from '../../../shared/domain/gold/ports.js';
import { createZoneIndex } from '../../../shared/domain/zones/index.js';
import { createTestLake, type TestLake } from '../../helpers/localServices.js';
import { steadyTrack, writeSilverPositions } from '../gold/silverFactory.js';

// Each compaction and build downloads, sorts and uploads through Azurite: seconds on a shared machine.
jest.setTimeout(240_000);

const H = 3_600_000;
const MIN = 60_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let lake: TestLake;

beforeAll(async () => {
    lake = await createTestLake('openhour');
}, 120_000);

afterAll(async () => {
    await lake?.dispose();
});

const settings: CompactionSettings = {
    ...DEFAULT_COMPACTION_SETTINGS,
    graceMs: 2 * MIN,
    deleteDelayMs: 10 * MIN,
    lookbackHours: 48,
    maxHoursPerRun: 100,
    openMinFiles: 3,
};

// One run ledger for the file, as the stack has (the run ids, and so the compacted files' names, count its attempts).
const runs = new InMemoryJobRunStore();

function depsAt(now: { t: number }): CompactionDeps {
    return {
        lake: lake.lake,
        compactor: new DuckDbSilverCompactor(lake.lake),
        runs,
        clock: { now: () => now.t },
        logger: quiet,
    };
}

async function readRows(files: readonly BlobInfo[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const f of files) {
        const bytes = await lake.lake.readBytes('silver', f.path);
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        out.push(...((await parquetReadObjects({ file })) as Record<string, unknown>[]));
    }
    return out;
}

const json = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) =>
        typeof x === 'bigint' ? Number(x) : x instanceof Date ? x.getTime() : x,
    );

/** What a reader of the table sees for [from, to): every row as JSON, sorted (a row read twice shows twice). */
async function readerRows(table: string, from: number, to: number): Promise<string[]> {
    return (await readRows(await silverFiles(lake.lake, table, from, to))).map(json).sort();
}

/** The batch record rows (`ingest_batches`) of one batch, as the ingest writes them. */
async function writeBatchRecord(
    hourMs: number,
    source: string,
    batchId: string,
    counts: { received: number; accepted: number; skipped: number; quarantined?: Record<string, number> },
): Promise<void> {
    const base = {
        source,
        batch_id: batchId,
        eh_partition: batchId.split('-')[0],
        first_enqueued_time: hourMs + 60_000,
        last_enqueued_time: hourMs + 62_000,
        recorded_at: hourMs + 63_000,
    };
    const quarantined = Object.values(counts.quarantined ?? {}).reduce((a, b) => a + b, 0);
    const rows = [
        {
            ...base,
            reason: null,
            events: counts.received,
            received: counts.received,
            accepted: counts.accepted,
            quarantined,
            duplicates: 0,
            skipped: counts.skipped,
        },
        ...Object.entries(counts.quarantined ?? {}).map(([reason, n]) => ({
            ...base,
            reason,
            events: 0,
            received: 0,
            accepted: 0,
            quarantined: n,
            duplicates: 0,
            skipped: 0,
        })),
    ];
    await lake.lake.writeParquet(
        'silver',
        `${INGEST_BATCHES_TABLE}/${datePartition(hourMs)}/${source}-${batchId}.parquet`,
        { columns: INGEST_BATCH_COLUMNS, rows },
    );
}

async function manifestOf(table: string, hourMs: number) {
    const path = hourFolder(table, hourMs) + MANIFEST_NAME;
    return parseManifest(await lake.lake.readBytes('silver', path), path);
}

describe('compaction of the open hour', () => {
    const HOUR = Date.parse('2026-05-05T10:00:00Z');

    it('merges only the open hour’s batch files into one more file per fire, keeps the earlier ones, and merges the hour whole once closed', async () => {
        const now = { t: HOUR + 20 * MIN };
        // 3 batches of 2 vessels each in the open hour
        for (let b = 1; b <= 3; b++) {
            await writeSilverPositions(
                lake.lake,
                steadyTrack(100 + b, HOUR + b * MIN, HOUR + 15 * MIN, 1, { lat: 50, lon: 3 }, 10),
                b,
            );
        }
        const before = await readerRows(POSITIONS_TABLE, HOUR, HOUR + H);

        const first = await runCompactionTimer(depsAt(now), settings, 'fire-1');
        expect(first.hours).toEqual([
            expect.objectContaining({
                table: POSITIONS_TABLE,
                outcome: 'compacted',
                open: true,
                filesBefore: 3,
                filesAfter: 1,
            }),
        ]);
        expect(await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H)).toHaveLength(1);
        expect(await readerRows(POSITIONS_TABLE, HOUR, HOUR + H)).toEqual(before);

        // Two more batches: fewer than openMinFiles, nothing to do; a third: one more compacted file beside the first.
        await writeSilverPositions(
            lake.lake,
            steadyTrack(201, HOUR + 16 * MIN, HOUR + 25 * MIN, 1, { lat: 51, lon: 3 }, 10),
            4,
        );
        await writeSilverPositions(
            lake.lake,
            steadyTrack(202, HOUR + 16 * MIN, HOUR + 25 * MIN, 1, { lat: 52, lon: 3 }, 10),
            5,
        );
        now.t = HOUR + 26 * MIN;
        expect((await runCompactionTimer(depsAt(now), settings, 'fire-2')).hours).toEqual([]);
        await writeSilverPositions(
            lake.lake,
            steadyTrack(203, HOUR + 16 * MIN, HOUR + 25 * MIN, 1, { lat: 53, lon: 3 }, 10),
            6,
        );
        const all = await readerRows(POSITIONS_TABLE, HOUR, HOUR + H);
        expect(all.length).toBeGreaterThan(before.length);
        const second = await runCompactionTimer(depsAt(now), settings, 'fire-3');
        expect(second.hours).toEqual([
            expect.objectContaining({ outcome: 'compacted', open: true, filesBefore: 3, filesAfter: 1 }),
        ]);
        const manifest = await manifestOf(POSITIONS_TABLE, HOUR);
        expect(manifest.files).toHaveLength(2);
        expect(manifest.rows).toBe(all.length);
        expect(manifest.replaced.map((r) => r.name)).toHaveLength(6);
        expect(await readerRows(POSITIONS_TABLE, HOUR, HOUR + H)).toEqual(all);

        // A batch written after the last fire is read beside the compacted files (late data, as for a closed hour).
        await writeSilverPositions(
            lake.lake,
            steadyTrack(204, HOUR + 40 * MIN, HOUR + 50 * MIN, 1, { lat: 54, lon: 3 }, 10),
            7,
        );
        const withLate = await readerRows(POSITIONS_TABLE, HOUR, HOUR + H);
        expect(await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H)).toHaveLength(3);

        // Closed (2 minutes after its end): merged whole into one sorted file, every row once.
        now.t = HOUR + H + 3 * MIN;
        const closed = await runCompactionTimer(depsAt(now), settings, 'fire-4');
        expect(closed.hours).toEqual([
            expect.objectContaining({ outcome: 'compacted', filesBefore: 3, filesAfter: 1, deleted: 6 }),
        ]);
        expect(closed.hours[0]).not.toHaveProperty('open');
        const live = await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H);
        expect(live).toHaveLength(1);
        expect(await readerRows(POSITIONS_TABLE, HOUR, HOUR + H)).toEqual(withLate);
        const rows = await readRows(live);
        const order = rows.map((r) => [Number(r['mmsi']), (r['event_time'] as Date).getTime()] as const);
        expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));

        // The increments are replaced and deleted after the delay like batch files (the first 6 batch files went
        // at the last fire).
        now.t = HOUR + H + 14 * MIN;
        const cleaned = await runCompactionTimer(depsAt(now), settings, 'fire-5');
        expect(cleaned.hours).toEqual([expect.objectContaining({ outcome: 'cleaned', deleted: 3 })]);
        expect(await readerRows(POSITIONS_TABLE, HOUR, HOUR + H)).toEqual(withLate);
    });

    it('folds increments size-tiered (a file is not rewritten at every fire), each row read once at every fire', async () => {
        const hour = Date.parse('2026-04-10T10:00:00Z');
        const now = { t: hour + 3 * MIN };
        let batch = 40;
        const counts: number[] = [];
        // per fire, the compacted files it folded (names)
        const foldedAt: string[][] = [];
        const FIRES = 16;
        for (let fire = 1; fire <= FIRES; fire++) {
            // 3 batches (openMinFiles) of one vessel each since the last fire
            for (let b = 0; b < 3; b++) {
                const from = hour + fire * 3 * MIN;
                await writeSilverPositions(
                    lake.lake,
                    steadyTrack(400 + batch, from, from + 2 * MIN, 1, { lat: 50, lon: 5 }, 10),
                    batch++,
                );
            }
            now.t = hour + fire * 3 * MIN + 2 * MIN;
            const written = await readerRows(POSITIONS_TABLE, hour, hour + H);
            const before = fire === 1 ? [] : (await manifestOf(POSITIONS_TABLE, hour)).files;
            const summary = await runCompactionTimer(depsAt(now), settings, `fold-${fire}`);
            expect(summary.hours).toEqual([
                expect.objectContaining({ table: POSITIONS_TABLE, outcome: 'compacted', open: true }),
            ]);
            const manifest = await manifestOf(POSITIONS_TABLE, hour);
            const folded = before.filter((name) => !manifest.files.includes(name));
            const outcome = summary.hours[0]!;
            expect(outcome.outcome === 'compacted' ? (outcome.folded ?? 0) : -1).toBe(folded.length);
            foldedAt.push(folded);
            counts.push(manifest.files.length);
            expect(manifest.files.length).toBeLessThanOrEqual(OPEN_HOUR_MAX_INCREMENTS);
            expect(await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H)).toHaveLength(
                manifest.files.length,
            );
            // every row once, and the manifest counts them
            expect(await readerRows(POSITIONS_TABLE, hour, hour + H)).toEqual(written);
            expect(manifest.rows).toBe(written.length);
        }
        // one more file per fire until a tier is full (3 files and the increment), then folds in tiers
        expect(counts.slice(0, 3)).toEqual([1, 2, 3]);
        const folds = foldedAt.filter((f) => f.length > 0);
        expect(folds.length).toBeGreaterThanOrEqual(2);
        // Tiered: a fold takes a full tier (at least 3 earlier files), and most fires fold nothing, so a file is
        // not rewritten at every fire (folding the newest at every fire once the hour held 4 rewrote it at every
        // fire from the 13th of these 16 on).
        for (const f of folds) expect(f.length).toBeGreaterThanOrEqual(OPEN_HOUR_FOLD_FANOUT - 1);
        expect(folds.length).toBeLessThanOrEqual(FIRES / 3);
        // Closed (with one batch written after the last fire): merged whole, every row once; the folded increments
        // are replaced like batch files.
        await writeSilverPositions(
            lake.lake,
            steadyTrack(499, hour + 55 * MIN, hour + 58 * MIN, 1, { lat: 50, lon: 5 }, 10),
            batch++,
        );
        const before = await readerRows(POSITIONS_TABLE, hour, hour + H);
        now.t = hour + H + 3 * MIN;
        const closed = await runCompactionTimer(depsAt(now), settings, 'fold-closed');
        expect(closed.hours).toEqual([expect.objectContaining({ outcome: 'compacted', filesAfter: 1 })]);
        expect(await readerRows(POSITIONS_TABLE, hour, hour + H)).toEqual(before);
        now.t = hour + H + 30 * MIN;
        await runCompactionTimer(depsAt(now), settings, 'fold-cleaned');
        const left = (await lake.lake.list('silver', hourFolder(POSITIONS_TABLE, hour))).filter((b) =>
            b.path.endsWith('.parquet'),
        );
        expect(left).toHaveLength(1);
        expect(await readerRows(POSITIONS_TABLE, hour, hour + H)).toEqual(before);
    });

    it('takes every open hour and at most COMPACTION_MAX_HOURS_PER_RUN closed hours, oldest first', async () => {
        const hour = Date.parse('2026-04-20T10:00:00Z');
        let batch = 700;
        // 3 closed hours (07, 08, 09) and the open hour 10, 3 batch files each
        for (let h = -3; h <= 0; h++) {
            for (let b = 0; b < 3; b++) {
                const from = hour + h * H + b * 10 * MIN;
                await writeSilverPositions(
                    lake.lake,
                    steadyTrack(600 + b, from, from + 5 * MIN, 1, { lat: 50, lon: 6 }, 10),
                    batch++,
                );
            }
        }
        const now = { t: hour + 40 * MIN };
        const one = { ...settings, maxHoursPerRun: 1, lookbackHours: 4 };
        const first = await runCompactionTimer(depsAt(now), one, 'limit-1');
        expect(first.hours.map((h) => [h.hour, h.outcome === 'compacted' && h.open === true])).toEqual([
            [new Date(hour).toISOString(), true],
            [new Date(hour - 3 * H).toISOString(), false],
        ]);
        expect(first).toMatchObject({ due: 4, remaining: 2 });
        const second = await runCompactionTimer(depsAt(now), one, 'limit-2');
        // the open hour has nothing new: the next closed hour alone
        expect(second.hours.map((h) => h.hour)).toEqual([new Date(hour - 2 * H).toISOString()]);
    });

    it('leaves the open hour alone with COMPACTION_OPEN_MIN_FILES 0 (the Azure default) or below the count', async () => {
        const hour = Date.parse('2026-05-08T10:00:00Z');
        for (let b = 1; b <= 4; b++) {
            await writeSilverPositions(
                lake.lake,
                steadyTrack(300 + b, hour, hour + 10 * MIN, 1, { lat: 50, lon: 4 }, 10),
                10 + b,
            );
        }
        const now = { t: hour + 30 * MIN };
        expect((await runCompactionTimer(depsAt(now), { ...settings, openMinFiles: 0 }, 'f')).hours).toEqual(
            [],
        );
        expect((await runCompactionTimer(depsAt(now), { ...settings, openMinFiles: 5 }, 'f')).hours).toEqual(
            [],
        );
        expect(await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H)).toHaveLength(4);
    });

    it('merges at most openMaxInputFiles batch files an increment; the rest stay live for the next fire', async () => {
        // Days before the other tests' hours: no other fire's lookback reaches it, and it reaches none of theirs.
        const hour = Date.parse('2026-03-01T10:00:00Z');
        for (let b = 1; b <= 5; b++) {
            await writeSilverPositions(
                lake.lake,
                steadyTrack(320 + b, hour + b * MIN, hour + 10 * MIN, 1, { lat: 50, lon: 4 }, 10),
                900 + b,
            );
        }
        const written = await readerRows(POSITIONS_TABLE, hour, hour + H);
        const capped = { ...settings, openMinFiles: 2, openMaxInputFiles: 3 };
        const now = { t: hour + 30 * MIN };
        const first = await runCompactionTimer(depsAt(now), capped, 'cap-1');
        expect(first.hours).toEqual([
            expect.objectContaining({ outcome: 'compacted', open: true, filesBefore: 3, filesAfter: 1 }),
        ]);
        // the compacted file and the 2 batch files left, every row once
        expect(await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H)).toHaveLength(3);
        expect(await readerRows(POSITIONS_TABLE, hour, hour + H)).toEqual(written);
        expect((await manifestOf(POSITIONS_TABLE, hour)).rows).toBeLessThan(written.length);
        const second = await runCompactionTimer(depsAt(now), capped, 'cap-2');
        expect(second.hours).toEqual([
            expect.objectContaining({ outcome: 'compacted', open: true, filesBefore: 2, filesAfter: 1 }),
        ]);
        expect(await silverFiles(lake.lake, POSITIONS_TABLE, hour, hour + H)).toHaveLength(2);
        expect(await readerRows(POSITIONS_TABLE, hour, hour + H)).toEqual(written);
        expect((await manifestOf(POSITIONS_TABLE, hour)).rows).toBe(written.length);
    });
});

describe('compaction of ingest_batches', () => {
    const HOUR = Date.parse('2026-05-11T08:00:00Z');

    it('merges the batch records of an hour, and a re-driven batch’s record replaces its earlier rows (provenance by source and batch_id)', async () => {
        await writeBatchRecord(HOUR, 'ais', '0-1-100', {
            received: 100,
            accepted: 95,
            skipped: 0,
            quarantined: { BAD_CHECKSUM: 5 },
        });
        await writeBatchRecord(HOUR, 'ais', '1-1-80', { received: 80, accepted: 0, skipped: 80 });
        await writeBatchRecord(HOUR, 'sensors', '0-1-50', { received: 50, accepted: 50, skipped: 0 });
        const before = await readerRows(INGEST_BATCHES_TABLE, HOUR, HOUR + H);
        const now = { t: HOUR + H + 5 * MIN };

        const first = await runCompactionTimer(depsAt(now), settings, 'fire-1');
        expect(first.hours).toEqual([
            expect.objectContaining({
                table: INGEST_BATCHES_TABLE,
                outcome: 'compacted',
                filesBefore: 3,
                filesAfter: 1,
                rows: 4,
            }),
        ]);
        expect(await readerRows(INGEST_BATCHES_TABLE, HOUR, HOUR + H)).toEqual(before);

        // The dead-lettered batch is re-driven: it lands and overwrites its record (same name, other counts).
        now.t += MIN;
        await new Promise((r) => setTimeout(r, 1100)); // another Last-Modified (one-second resolution)
        await writeBatchRecord(HOUR, 'ais', '1-1-80', {
            received: 80,
            accepted: 78,
            skipped: 0,
            quarantined: { STALE: 2 },
        });
        // Until the next compaction readers keep the compacted rows (each batch once).
        expect(await readerRows(INGEST_BATCHES_TABLE, HOUR, HOUR + H)).toEqual(before);
        const second = await runCompactionTimer(depsAt(now), settings, 'fire-2');
        expect(second.hours).toEqual([
            expect.objectContaining({ outcome: 'compacted', rewritten: 1, superseded: 1, rows: 5 }),
        ]);
        const rows = await readRows(await silverFiles(lake.lake, INGEST_BATCHES_TABLE, HOUR, HOUR + H));
        const totals = rows.filter((r) => r['reason'] === null && r['batch_id'] === '1-1-80');
        expect(totals).toHaveLength(1);
        expect(totals[0]).toMatchObject({ accepted: 78n, skipped: 0n });
        expect(rows.filter((r) => r['source'] === 'ais' && r['reason'] === 'STALE')).toHaveLength(1);
        expect(rows).toHaveLength(5);
    });
});

describe('gold after compaction', () => {
    const DAY = '2026-05-14';
    const T0 = dayStart(DAY);

    it('a gold day built over compacted silver (closed hours whole, the open hour incrementally) is row-identical to one built over the batch files', async () => {
        // 4 vessels, 21 hours, one batch file per vessel and 3-hour stretch (vessel 1 moored in a port, 3 under way)
        let batch = 500;
        for (const [i, sog] of [0, 12, 9, 14].entries()) {
            for (let from = T0; from < T0 + 21 * H; from += 3 * H) {
                const start = i === 0 ? { lat: 57.7, lon: 11.9 } : { lat: 30 + i, lon: -40 };
                const track = steadyTrack(
                    9000 + i,
                    from,
                    Math.min(from + 3 * H, T0 + 20 * H + 30 * MIN),
                    5,
                    start,
                    sog,
                );
                await writeSilverPositions(lake.lake, track, batch++);
            }
        }
        for (let h = 0; h < 21; h++) {
            for (let p = 0; p < 2; p++) {
                await writeBatchRecord(T0 + h * H, 'ais', `${p}-${h * 100}-${h * 100 + 99}`, {
                    received: 100,
                    accepted: 99,
                    skipped: 0,
                    quarantined: { BAD_CHECKSUM: 1 },
                });
            }
        }
        const now = T0 + 20 * H + 40 * MIN;
        const build = async (): Promise<{ summary: GoldDaySummary; docs: Record<string, unknown>[] }> => {
            const gold = new InMemoryGoldStore();
            const summary = await buildGoldDay(
                {
                    lake: lake.lake,
                    engine: new DuckDbGoldEngine(lake.lake),
                    gold,
                    zones: createZoneIndex(),
                    ports: createPortIndex(),
                    logger: quiet,
                },
                { ...dayWindow(DAY, now), runId: 'same-run' },
                { index: 0, count: 1 },
            );
            const docs: GoldDocument[] = [];
            for (const table of [
                'vessel_daily',
                'emissions_daily',
                'port_calls',
                'port_calls_open',
                'voyages',
            ]) {
                docs.push(...(await gold.query({ table, fromDay: DAY, toDay: DAY, limit: 1000 })).items);
            }
            return {
                summary,
                docs: docs
                    .map((d) => JSON.parse(json(d)) as Record<string, unknown>)
                    .sort((a, b) => (json(a) < json(b) ? -1 : 1)),
            };
        };
        const before = await build();
        expect(before.summary.silverFilesByTable).toMatchObject({ ais_positions: 84, ingest_batches: 42 });

        const summary = await runCompactionTimer(depsAt({ t: now }), settings, 'fire-gold');
        expect(summary.remaining).toBe(0);
        // The open hour first, then the closed hours oldest first.
        expect(summary.hours[0]).toMatchObject({ table: POSITIONS_TABLE, open: true });
        expect(summary.hours[1]).toMatchObject({ hour: new Date(T0).toISOString() });
        // The open hour 20: 4 position files merged (3 or more), its 2 batch records left as they are.
        expect(
            summary.hours.filter((h) => h.outcome === 'compacted' && h.open === true).map((h) => h.table),
        ).toEqual([POSITIONS_TABLE]);
        const after = await build();
        // Closed hours: one file per table-hour; the open hour's positions one file, its 2 batch records as they are.
        expect(after.summary.silverFilesByTable).toMatchObject({ ais_positions: 21, ingest_batches: 22 });
        expect(after.summary.rows).toEqual(before.summary.rows);
        expect(after.summary.fleet).toEqual(before.summary.fleet);
        expect(after.summary.dq).toEqual(before.summary.dq);
        expect(after.summary.carryOut).toEqual(before.summary.carryOut);
        expect(after.docs).toEqual(before.docs);
        expect(before.docs.length).toBeGreaterThan(8);
    });
});
