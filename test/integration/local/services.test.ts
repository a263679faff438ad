import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from '@jest/globals';

import { ensureCosmosResources } from '../../../local/cosmosSetup.js';
import { SEMI_SPACE_MB } from '../../../local/heapTrim.js';
import { startLocalServices } from '../../../local/services.js';
import { createCosmosClient } from '../../../shared/adapters/clients.js';

describe('startLocalServices', () => {
    it('runs beside the global stack on other free ports, and stops cleanly', async () => {
        const started = performance.now();
        const [a, b] = await Promise.all([
            startLocalServices({ quiet: true }),
            startLocalServices({ quiet: true }),
        ]);
        const startupMs = performance.now() - started;
        try {
            expect(new Set([a.blobEndpoint, b.blobEndpoint]).size).toBe(2);
            expect(a.cosmosEndpoint).not.toBe(b.cosmosEndpoint);
            const cosmos = createCosmosClient({
                endpoint: a.cosmosEndpoint,
                key: a.cosmosKey,
                database: 'd',
            });
            const db = await ensureCosmosResources(cosmos, 'd');
            await ensureCosmosResources(cosmos, 'd'); // idempotent
            const { resource } = await db.container('vessels').read();
            expect(resource?.partitionKey?.paths).toEqual(['/mmsi']);
            expect(resource?.defaultTtl).toBe(-1);
            cosmos.dispose();
            expect(startupMs).toBeLessThan(15_000);
            // Azurite runs with the stack's young generation (local/heapTrim.ts).
            if (process.platform === 'linux') {
                const [pid] = a.childPids;
                const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
                expect(argv).toContain(`--max-semi-space-size=${SEMI_SPACE_MB}`);
            }
        } finally {
            await Promise.all([a.stop(), b.stop()]);
        }
        await expect(fetch(`${a.blobEndpoint}?comp=list`)).rejects.toThrow();
    });

    it('persists Azurite data under dataDir across restarts', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'local-services-'));
        try {
            const first = await startLocalServices({ dataDir, quiet: true });
            const c1 = BlobServiceClient.fromConnectionString(first.lakeConnectionString).getContainerClient(
                'bronze',
            );
            await c1.createIfNotExists();
            await c1.getBlockBlobClient('kept.txt').uploadData(Buffer.from('kept'));
            await first.stop();

            const second = await startLocalServices({ dataDir, quiet: true });
            try {
                const c2 = BlobServiceClient.fromConnectionString(
                    second.lakeConnectionString,
                ).getContainerClient('bronze');
                expect((await c2.getBlobClient('kept.txt').downloadToBuffer()).toString()).toBe('kept');
            } finally {
                await second.stop();
            }
        } finally {
            rmSync(dataDir, { recursive: true, force: true });
        }
    });
});
