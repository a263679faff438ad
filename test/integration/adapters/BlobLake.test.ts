import { gunzipSync } from 'node:zlib';

import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { BlobLake } from '../../../shared/adapters/BlobLake.js';
import { DependencyError, NotFoundError } from '../../../shared/errors.js';
import {
    createTestLake,
    localBlobServiceClient,
    localServices,
    type TestLake,
} from '../../helpers/localServices.js';

let t: TestLake;

beforeAll(async () => {
    t = await createTestLake('lake');
});

afterAll(async () => {
    await t.dispose();
});

describe('BlobLake (Azurite)', () => {
    it('writes gzip JSON lines with content type and encoding, and reads them back', async () => {
        const rows = [{ a: 1, s: 'ä' }, { a: 2, nested: { x: [1, null] } }, 'plain', null];

        await t.lake.writeJsonLinesGz('bronze', 'ais/date=2025-01-01/hour=00/0-1-4.jsonl.gz', rows);

        expect(await t.lake.readJsonLinesGz('bronze', 'ais/date=2025-01-01/hour=00/0-1-4.jsonl.gz')).toEqual(
            rows,
        );
        const props = await t.containers.bronze
            .getBlobClient('ais/date=2025-01-01/hour=00/0-1-4.jsonl.gz')
            .getProperties();
        expect(props.contentType).toBe('application/x-ndjson');
        expect(props.contentEncoding).toBe('gzip');
        const raw = await t.lake.readBytes('bronze', 'ais/date=2025-01-01/hour=00/0-1-4.jsonl.gz');
        expect(gunzipSync(raw).toString('utf8')).toBe(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    });

    it('overwrites a blob of the same path (redelivered batch)', async () => {
        await t.lake.writeJsonLinesGz('quarantine', 'q/1.jsonl.gz', [{ v: 1 }, { v: 2 }]);
        await t.lake.writeJsonLinesGz('quarantine', 'q/1.jsonl.gz', [{ v: 3 }]);

        expect(await t.lake.readJsonLinesGz('quarantine', 'q/1.jsonl.gz')).toEqual([{ v: 3 }]);
        expect((await t.lake.list('quarantine', 'q/')).map((b) => b.path)).toEqual(['q/1.jsonl.gz']);
    });

    it('writes an empty JSON lines blob', async () => {
        await t.lake.writeJsonLinesGz('quarantine', 'empty.jsonl.gz', []);
        expect(await t.lake.readJsonLinesGz('quarantine', 'empty.jsonl.gz')).toEqual([]);
    });

    it('writes Parquet with its content type', async () => {
        await t.lake.writeParquet('silver', 'ais_positions/date=2025-01-01/x.parquet', {
            columns: [{ name: 'mmsi', type: 'INT32' }],
            rows: [{ mmsi: 244_123_456 }],
        });
        const bytes = await t.lake.readBytes('silver', 'ais_positions/date=2025-01-01/x.parquet');
        expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PAR1');
        expect(Buffer.from(bytes.subarray(-4)).toString('latin1')).toBe('PAR1');
        const props = await t.containers.silver
            .getBlobClient('ais_positions/date=2025-01-01/x.parquet')
            .getProperties();
        expect(props.contentType).toBe('application/vnd.apache.parquet');
    });

    it('lists by prefix with size and last-modified, across pages', async () => {
        const paths = Array.from({ length: 30 }, (_, i) => `list/p${String(i).padStart(2, '0')}.jsonl.gz`);
        await Promise.all(paths.map((p) => t.lake.writeJsonLinesGz('gold', p, [{ p }])));
        await t.lake.writeJsonLinesGz('gold', 'other/x.jsonl.gz', [{}]);

        const listed = await t.lake.list('gold', 'list/');

        expect(listed.map((b) => b.path).sort()).toEqual(paths);
        expect(listed.every((b) => b.size > 0 && b.lastModified > Date.now() - 60_000)).toBe(true);
    });

    it('maps a missing blob to NotFoundError', async () => {
        await expect(t.lake.readBytes('bronze', 'nope.jsonl.gz')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('maps a missing container to NotFoundError on write', async () => {
        const service = localBlobServiceClient();
        const lake = new BlobLake({ ...t.containers, gold: service.getContainerClient('does-not-exist') });
        await expect(lake.writeJsonLinesGz('gold', 'x.jsonl.gz', [1])).rejects.toBeInstanceOf(NotFoundError);
    });

    it('maps an unreachable endpoint to DependencyError', async () => {
        const service = BlobServiceClient.fromConnectionString(
            localServices().lakeConnectionString.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1'),
            { retryOptions: { maxTries: 1 } },
        );
        const lake = new BlobLake({ ...t.containers, bronze: service.getContainerClient('bronze') });
        await expect(lake.writeJsonLinesGz('bronze', 'x.jsonl.gz', [1])).rejects.toBeInstanceOf(
            DependencyError,
        );
    });
});
