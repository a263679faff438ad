import { spawn } from 'node:child_process';

import { beforeAll, describe, expect, it, jest } from '@jest/globals';

import { BlobLake } from '../../../shared/adapters/BlobLake.js';
import { createLakeContainers } from '../../../shared/adapters/clients.js';
import { BlobLineageSink } from '../../../shared/adapters/lineage.js';
import { silverPath } from '../../../shared/app/lakePaths.js';
import { lakeDataset, lineageRunId, toOpenLineageEvent } from '../../../shared/app/lineage.js';
import { hourFolder } from '../../../shared/app/silverManifest.js';
import { POSITION_COLUMNS, POSITIONS_TABLE } from '../../../shared/app/silverTables.js';
import { ensureBuiltCli, ROOT } from '../../helpers/cli.js';
import { localBlobServiceClient, localServices } from '../../helpers/localServices.js';

// Each command starts a Node process that loads the SDKs and DuckDB: seconds on a shared machine.
jest.setTimeout(180_000);

const H = 3_600_000;
// A day of its own in the shared test lake: 2 to 28 days ago (other files write today); the compaction's lineage
// record is written today, so the trace searches 31 days.
const DAY = new Date(Date.now() - (2 + Math.floor(Math.random() * 27)) * 86_400_000)
    .toISOString()
    .slice(0, 10);
const HOUR = Date.parse(`${DAY}T06:00:00Z`);

function maritime(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ['bin/maritime.js', ...args], {
            cwd: ROOT,
            env: { ...process.env, ...localServices().env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}

let lake: BlobLake;

beforeAll(() => {
    expect(ensureBuiltCli()).toBe(true);
    lake = new BlobLake(createLakeContainers(localBlobServiceClient()));
});

describe('maritime compact and maritime lineage', () => {
    it("compact merges the range's closed hours with progress, a second run finds nothing to do, and lineage walks gold back to the batches", async () => {
        for (let b = 0; b < 3; b++) {
            const first = b * 100;
            await lake.writeParquet(
                'silver',
                silverPath(POSITIONS_TABLE, HOUR, {
                    partitionId: '0',
                    firstSequence: first,
                    lastSequence: first + 9,
                }),
                {
                    columns: POSITION_COLUMNS,
                    rows: Array.from({ length: 10 }, (_, i) => ({
                        mmsi: 211_000_000 + i,
                        event_time: HOUR + b * 60_000 + i,
                        lat: 54,
                        lon: 10,
                        eh_partition: '0',
                        eh_sequence: first + i,
                    })),
                },
            );
        }
        // An ingest batch's lineage record (as the ingest functions write it) for one of the files.
        const lineage = new BlobLineageSink(createLakeContainers(localBlobServiceClient()).lineage, 'test');
        const silverFile = `silver/${silverPath(POSITIONS_TABLE, HOUR, { partitionId: '0', firstSequence: 0, lastSequence: 9 })}`;
        await lineage.write(
            toOpenLineageEvent({
                job: 'ingestAis',
                runId: lineageRunId('ingestAis', `${DAY}-0-0-9`),
                startedAt: HOUR + 1000,
                endedAt: HOUR + 2000,
                outcome: 'COMPLETE',
                inputs: [{ namespace: 'eventhub://local', name: 'ais-raw/partition=0/sequence=0-9' }],
                outputs: [
                    {
                        namespace: 'azblob://local',
                        name: `bronze/ais/date=${DAY}/hour=06/0-0-9.jsonl.gz`,
                        rows: 10,
                    },
                    { namespace: 'azblob://local', name: silverFile, rows: 10 },
                ],
                counts: { received: 10, accepted: 10 },
            }),
        );

        const first = await maritime(['compact', '--from', DAY, '--to', DAY]);
        expect({ code: first.code, stderr: first.stderr }).toEqual({
            code: 0,
            stderr: expect.stringContaining('1/1 ais_positions') as unknown as string,
        });
        expect(first.stdout).toMatch(/1 table-hours compacted \(3 -> 1 files, 30 rows\)/);
        const files = (await lake.list('silver', hourFolder(POSITIONS_TABLE, HOUR))).map((b) => b.path);
        expect(files.filter((f) => f.includes('/compacted-'))).toHaveLength(1);
        expect(files.some((f) => f.endsWith('/_manifest.json'))).toBe(true);

        const second = await maritime(['compact', '--from', DAY, '--to', DAY]);
        expect(second.code).toBe(0);
        expect(second.stdout).toMatch(/0 table-hours compacted/);

        // A gold run's record that read the hour (as buildGold writes it).
        await lineage.write(
            toOpenLineageEvent({
                job: 'buildGold',
                runId: lineageRunId('buildGold', `${DAY}#1`),
                startedAt: HOUR + 2 * H,
                endedAt: HOUR + 2 * H + 1000,
                outcome: 'COMPLETE',
                inputs: [
                    { namespace: 'azblob://local', name: `silver/${hourFolder(POSITIONS_TABLE, HOUR)}` },
                ],
                outputs: [
                    lakeDataset('azblob://local', 'gold', `vessel_daily/date=${DAY}/part-0-of-1.parquet`, 10),
                ],
            }),
        );
        const trace = await maritime(['lineage', 'vessel_daily', DAY, '--days', '31']);
        expect(trace.code).toBe(0);
        expect(trace.stdout).toContain(`gold vessel_daily ${DAY} <- buildGold run`);
        expect(trace.stdout).toMatch(/compacted by run [0-9a-f-]{36} at .*: 3 batch files -> 1 file\(s\)/);
        expect(trace.stdout).toContain(`bronze/ais/date=${DAY}/hour=06/0-0-9.jsonl.gz`);

        const missing = await maritime(['lineage', 'vessel_daily', '2001-01-01', '--days', '0']);
        expect(missing.code).toBe(1);
        expect(missing.stdout).toMatch(/no lineage record/);
        const usage = await maritime(['compact', '--from', DAY]);
        expect(usage.code).toBe(2);
        expect(usage.stderr).toMatch(/--from and --to are required/);
    });
});
