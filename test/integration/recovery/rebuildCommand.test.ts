/**
 * `maritime rebuild` on the app settings (the path it takes in Azure), not the local stack's folder: the lake,
 * Cosmos DB and dead-letter store come from the environment's settings, here Azurite and the Cosmos-protocol server
 * of their own (so the fixed container names of the app do not meet other test files).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { rebuildCommand } from '../../../cli/commands/rebuild.js';
import { createRuntime } from '../../../functions/runtime.js';
import { ensureCosmosResources } from '../../../local/cosmosSetup.js';
import { type LocalServices, startLocalServices } from '../../../local/services.js';
import { runtimeIngest } from '../../../local/stack.js';
import { createLakeContainers } from '../../../shared/adapters/clients.js';
import { FileDeadLetterStore } from '../../../shared/adapters/FileDeadLetterStore.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { loadConfig } from '../../../shared/config/loadConfig.js';
import { LAKE_CONTAINERS } from '../../../shared/config/settingNames.js';

const now = Date.now();
const day = new Date(now).toISOString().slice(0, 10);
let services: LocalServices;
let deadLetterDir: string;
let settings: Record<string, string>;

const position = (mmsi: number, daysAgo: number) =>
    JSON.stringify({
        type: 'position',
        mmsi,
        timestamp: new Date(now - daysAgo * 86_400_000 - 60_000).toISOString(),
        lat: 57.1,
        lon: 11.2,
        sog: 10,
        cog: 90,
    });
const batch = (seq: number, bodies: string[]): ReceivedEvent[] =>
    bodies.map((body, i) => ({
        body,
        meta: { partitionId: '1', sequenceNumber: seq + i, enqueuedTime: now - 30_000 },
    }));

beforeAll(async () => {
    services = await startLocalServices({ quiet: true });
    deadLetterDir = mkdtempSync(join(tmpdir(), 'rebuild-deadletter-'));
    settings = {
        LAKE_CONNECTION_STRING: services.lakeConnectionString,
        COSMOS_ENDPOINT: services.cosmosEndpoint,
        COSMOS_KEY: services.cosmosKey,
        COSMOS_DATABASE: 'rebuild-cli',
        DEADLETTER_DIR: deadLetterDir,
    };
    // Arrange: what the function app would have left after a strict age rule and an outage
    const runtime = createRuntime(loadConfig({ ...settings, EVENT_TIME_MAX_AGE_DAYS: '30' }));
    const lake = createLakeContainers(runtime.blobService);
    await Promise.all(LAKE_CONTAINERS.map((name) => lake[name].createIfNotExists()));
    await ensureCosmosResources(runtime.cosmos, 'rebuild-cli');
    const ingest = runtimeIngest(runtime);
    await ingest.ais!(batch(10, [position(244000001, 40), position(244000002, 40)]));
    await ingest.ais!(batch(20, [position(244000003, 1)]));
    await new FileDeadLetterStore(deadLetterDir).write({
        functionName: 'ingestAis',
        source: 'ais',
        batchId: '1-30-30',
        attempts: 6,
        error: 'RestError: connect ECONNREFUSED',
        failedAt: now,
        items: 1,
        events: batch(30, [position(244000004, 1)]),
    });
    runtime.dispose();
}, 60_000);

afterAll(async () => {
    await services.stop();
    rmSync(deadLetterDir, { recursive: true, force: true });
});

describe('maritime rebuild on the app settings', () => {
    it('re-drives quarantined batches and dead letters into the lake and Cosmos DB the settings name', async () => {
        const saved = { ...process.env };
        Object.assign(process.env, settings);
        let code: number;
        try {
            code = await rebuildCommand.run([
                '--from',
                day,
                '--quarantine',
                '--deadletter',
                '--max-age-days',
                '60',
                '--quiet',
            ]);
        } finally {
            for (const k of Object.keys(settings)) delete process.env[k];
            Object.assign(process.env, saved);
        }
        expect(code).toBe(0);

        const runtime = createRuntime(loadConfig(settings));
        try {
            expect(readdirSync(deadLetterDir).filter((n) => n.endsWith('.deadletter.json'))).toEqual([]);
            expect(await runtime.lake.list('quarantine', 'ais/')).toEqual([]);
            const states = await runtime.vessels.getStates([244000001, 244000002, 244000003, 244000004]);
            expect([...states.keys()].sort()).toEqual([244000001, 244000002, 244000003, 244000004]);
        } finally {
            runtime.dispose();
        }
    }, 60_000);

    it('says which settings are missing and how to rebuild the local stack instead', async () => {
        const saved = { ...process.env };
        for (const k of ['LAKE_CONNECTION_STRING', 'LAKE_BLOB_ENDPOINT', 'COSMOS_ENDPOINT'])
            delete process.env[k];
        try {
            await expect(rebuildCommand.run(['--deadletter'])).rejects.toThrow(
                /COSMOS_ENDPOINT[\s\S]*--local/,
            );
        } finally {
            Object.assign(process.env, saved);
        }
    });
});
