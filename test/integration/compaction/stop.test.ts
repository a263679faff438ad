/**
 * A compaction stopped by its host (`Runtime.stopRuns` aborts the deps' signal) on Azurite: the hour's downloads stop
 * between files, readers still read the batch files (no manifest switch), the run is logged as stopped with its lease
 * handed back (no FAIL lineage), and the next fire compacts the hour.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { CosmosJobRunStore } from '../../../shared/adapters/CosmosJobRunStore.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import {
    COMPACT_JOB,
    type CompactionDeps,
    DEFAULT_COMPACTION_SETTINGS,
    runCompactionTimer,
} from '../../../shared/app/compactSilver.js';
import { silverFiles } from '../../../shared/app/gold/silverFiles.js';
import { silverPath } from '../../../shared/app/lakePaths.js';
import type { OpenLineageRunEvent } from '../../../shared/app/lineage.js';
import type { LakeContainer, LakeReader } from '../../../shared/app/ports.js';
import { POSITION_COLUMNS, POSITIONS_TABLE } from '../../../shared/app/silverTables.js';
import { StoppedError } from '../../../shared/errors.js';
import {
    createTestDatabase,
    createTestLake,
    type TestDatabase,
    type TestLake,
} from '../../helpers/localServices.js';

jest.setTimeout(240_000);

const H = 3_600_000;
const HOUR = Date.parse('2026-05-06T08:00:00Z');
const settings = { ...DEFAULT_COMPACTION_SETTINGS, graceMs: 10 * 60_000, lookbackHours: 3 };

let lake: TestLake;
let db: TestDatabase;
let runs: CosmosJobRunStore;
const lineage: OpenLineageRunEvent[] = [];
const warnings: string[] = [];
const logger = {
    debug() {},
    info() {},
    warn: (m: string) => void warnings.push(m),
    error: (m: string) => void warnings.push(`ERROR ${m}`),
};

beforeAll(async () => {
    [lake, db] = await Promise.all([createTestLake('compactstop'), createTestDatabase('compactstop')]);
    runs = new CosmosJobRunStore(db.client.database(db.databaseId).container('jobRuns'));
    for (let b = 1; b <= 12; b++) {
        const first = b * 1000;
        const rows = Array.from({ length: 20 }, (_, i) => ({
            mmsi: 210_000_000 + (i % 4),
            event_time: HOUR + b * 60_000 + i * 1_000,
            lat: 50,
            lon: 3,
            eh_partition: '0',
            eh_sequence: first + i,
        }));
        await lake.lake.writeParquet(
            'silver',
            silverPath(POSITIONS_TABLE, HOUR, {
                partitionId: '0',
                firstSequence: first,
                lastSequence: first + 19,
            }),
            { columns: POSITION_COLUMNS, rows },
        );
    }
}, 120_000);

afterAll(async () => {
    await Promise.all([lake?.dispose(), db?.dispose()]);
});

function deps(compactorLake: LakeReader, signal?: AbortSignal): CompactionDeps {
    return {
        lake: lake.lake,
        compactor: new DuckDbSilverCompactor(compactorLake, { downloadConcurrency: 1 }),
        runs,
        clock: { now: () => HOUR + H + 15 * 60_000 },
        logger,
        lineage: { write: (e) => Promise.resolve(void lineage.push(e)) },
        lakeNamespace: 'azblob://test',
        ...(signal === undefined ? {} : { signal }),
    };
}

describe('a compaction stopped by its host', () => {
    it('switches no reader, is logged as stopped with its lease handed back, and the next fire compacts the hour', async () => {
        const filesBefore = (await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H)).map(
            (f) => f.path,
        );
        expect(filesBefore).toHaveLength(12);
        // The host stops while the compactor downloads the hour's third file.
        const controller = new AbortController();
        let reads = 0;
        const stoppingLake: LakeReader = {
            list: (container, prefix) => lake.lake.list(container, prefix),
            readJsonLinesGz: (container, path) => lake.lake.readJsonLinesGz(container, path),
            readBytes: (container: LakeContainer, path: string) => {
                if (++reads === 3) controller.abort(new StoppedError('the test stops the host'));
                return lake.lake.readBytes(container, path);
            },
        };

        const stopped = await runCompactionTimer(deps(stoppingLake, controller.signal), settings, 'fire-1');

        expect(stopped.hours).toEqual([
            { table: POSITIONS_TABLE, hour: new Date(HOUR).toISOString(), outcome: 'stopped' },
        ]);
        expect(reads).toBeLessThan(12);
        // Readers read what they read before: the batch files, no manifest, no compacted file.
        expect((await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H)).map((f) => f.path)).toEqual(
            filesBefore,
        );
        const window = `${POSITIONS_TABLE}/${new Date(HOUR).toISOString()}`;
        const run = await runs.get(COMPACT_JOB, window);
        expect(run).toMatchObject({ status: 'running', owner: 'fire-1', stoppedAt: HOUR + H + 15 * 60_000 });
        expect(lineage).toEqual([]);
        expect(warnings.filter((w) => w.startsWith('ERROR'))).toEqual([]);
        expect(warnings.some((w) => w.includes(`${COMPACT_JOB} ${window}: stopped`))).toBe(true);

        const next = await runCompactionTimer(deps(lake.lake), settings, 'fire-2');

        expect(next.hours).toEqual([
            expect.objectContaining({ outcome: 'compacted', filesBefore: 12, filesAfter: 1, rows: 240 }),
        ]);
        expect(await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H)).toHaveLength(1);
        expect(await runs.get(COMPACT_JOB, window)).toMatchObject({ status: 'succeeded', attempts: 2 });
        expect(lineage.map((e) => e.eventType)).toEqual(['COMPLETE']);
    });
});
