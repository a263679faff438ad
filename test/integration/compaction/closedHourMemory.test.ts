/**
 * A closed hour whose sort does not fit DuckDB's memory limit, on Azurite: the local stack compacts at 128MB, and an
 * hour of `ais_positions` at 500 events/s (1.8M rows of 45 columns, 15 of them strings) failed there with
 * "Out of Memory" at every fire (DuckDB's sort does not spill rows this wide). Scaled down: 60,000 such rows at 32MB
 * (row groups scaled as well, 15,360 rows: the Parquet writer holds one), which failed the same way before the merge
 * sorted in slices of the first sort key. The output is the hour's rows, each once, in sort order (rows without the
 * first key last, sliced by the next).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import { mapLimit } from '../../../shared/adapters/cosmosSupport.js';
import { DuckDbSilverCompactor } from '../../../shared/adapters/DuckDbSilverCompactor.js';
import { InMemoryJobRunStore } from '../../../shared/adapters/memory/InMemoryJobRunStore.js';
import {
    type CompactionSettings,
    compactRange,
    DEFAULT_COMPACTION_SETTINGS,
} from '../../../shared/app/compactSilver.js';
import { silverFiles } from '../../../shared/app/gold/silverFiles.js';
import { silverPath } from '../../../shared/app/lakePaths.js';
import { POSITION_COLUMNS, POSITIONS_TABLE } from '../../../shared/app/silverTables.js';
import { createTestLake, type TestLake } from '../../helpers/localServices.js';

jest.setTimeout(120_000);

const H = 3_600_000;
const HOUR = Date.parse('2026-03-02T16:00:00Z');
const FILES = 12;
const ROWS_PER_FILE = 5_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let lake: TestLake;

beforeAll(async () => {
    lake = await createTestLake('closedhourmemory');
}, 120_000);

afterAll(async () => {
    await lake?.dispose();
});

const WORDS = [
    'NORDIC',
    'STAR',
    'MAERSK',
    'EVER',
    'ATLANTIC',
    'PACIFIC',
    'SPIRIT',
    'GRACE',
    'OCEAN',
    'BALTIC',
];

/** Row `i` of the hour: every column set, strings of the lengths ingest writes (names, H3 cells, status texts). */
function row(i: number, partition: string, sequence: number): Record<string, unknown> {
    const v = (i * 7919) % 3000;
    const values: Record<string, unknown> = {};
    for (const c of POSITION_COLUMNS) {
        switch (c.type) {
            case 'STRING':
            case 'JSON':
                values[c.name] =
                    `${WORDS[(v + c.name.length) % WORDS.length]} ${c.name.slice(0, 6)} ${v}-${i % 97}`;
                break;
            case 'DOUBLE':
                values[c.name] = ((i * 104_729 + c.name.length) % 36_000) / 100;
                break;
            case 'INT32':
                values[c.name] = (i + c.name.length) % 100;
                break;
            case 'INT64':
                values[c.name] = i;
                break;
            case 'BOOLEAN':
                values[c.name] = i % 2 === 0;
                break;
            case 'TIMESTAMP_MILLIS':
                values[c.name] = HOUR + ((i * 60_000) % H);
                break;
        }
    }
    return {
        ...values,
        // Some rows without MMSI (as sensor readings of a vessel known by IMO only): sorted last, by the next keys.
        mmsi: i % 5 === 0 ? null : 200_000_000 + v,
        event_time: HOUR + Math.floor((i * H) / (FILES * ROWS_PER_FILE)),
        flags: i % 50 === 0 ? 'speed_jump' : null,
        eh_partition: partition,
        eh_sequence: sequence,
    };
}

describe('closed-hour compaction above the memory limit', () => {
    it('sorts an hour larger than DuckDB memory at 32MB: every row once, in sort order', async () => {
        await mapLimit(
            Array.from({ length: FILES }, (_, f) => f),
            4,
            async (f) => {
                const partition = String(f % 4);
                const first = Math.floor(f / 4) * ROWS_PER_FILE;
                const rows = Array.from({ length: ROWS_PER_FILE }, (_, j) =>
                    row(f * ROWS_PER_FILE + j, partition, first + j),
                );
                const batch = {
                    partitionId: partition,
                    firstSequence: first,
                    lastSequence: first + ROWS_PER_FILE - 1,
                };
                await lake.lake.writeParquet('silver', silverPath(POSITIONS_TABLE, HOUR, batch), {
                    columns: POSITION_COLUMNS,
                    rows,
                });
            },
        );
        const settings: CompactionSettings = {
            ...DEFAULT_COMPACTION_SETTINGS,
            rowGroupRows: 15_360,
        };
        const summary = await compactRange(
            {
                lake: lake.lake,
                compactor: new DuckDbSilverCompactor(lake.lake, { memoryLimit: '32MB' }),
                runs: new InMemoryJobRunStore(),
                clock: { now: () => HOUR + 3 * H },
                logger: quiet,
            },
            settings,
            'closed-hour-memory',
            HOUR,
            HOUR + H,
        );
        const outcome = summary.hours.find((h) => h.table === POSITIONS_TABLE);
        expect(outcome).toMatchObject({
            outcome: 'compacted',
            filesBefore: FILES,
            rows: FILES * ROWS_PER_FILE,
        });

        const files = await silverFiles(lake.lake, POSITIONS_TABLE, HOUR, HOUR + H);
        const keys: { mmsi: number | null; event_time: Date; eh_partition: string; eh_sequence: bigint }[] =
            [];
        for (const f of files) {
            const bytes = await lake.lake.readBytes('silver', f.path);
            const file = bytes.buffer.slice(
                bytes.byteOffset,
                bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer;
            keys.push(
                ...((await parquetReadObjects({
                    file,
                    columns: ['mmsi', 'event_time', 'eh_partition', 'eh_sequence'],
                })) as typeof keys),
            );
        }
        expect(keys).toHaveLength(FILES * ROWS_PER_FILE);
        // Each batch row once.
        expect(new Set(keys.map((k) => `${k.eh_partition}/${k.eh_sequence}`)).size).toBe(
            FILES * ROWS_PER_FILE,
        );
        // In sort order: mmsi, event_time, eh_partition, eh_sequence.
        const outOfOrder = keys.filter((k, i) => {
            if (i === 0) return false;
            const p = keys[i - 1]!;
            const c =
                (p.mmsi ?? Infinity) - (k.mmsi ?? Infinity) ||
                p.event_time.getTime() - k.event_time.getTime() ||
                (p.eh_partition < k.eh_partition ? -1 : p.eh_partition > k.eh_partition ? 1 : 0) ||
                Number(p.eh_sequence - k.eh_sequence);
            return c > 0;
        });
        expect(outOfOrder).toHaveLength(0);
        expect(keys.filter((k) => k.mmsi === null)).toHaveLength((FILES * ROWS_PER_FILE) / 5);
    });
});
