/**
 * `maritime setup` and the missing-resource check, against Azurite and the Cosmos-protocol server: setup creates
 * every lake container, the database and every Cosmos container (idempotently), and a write to a resource that
 * does not exist fails with a message naming it instead of a raw SDK error.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { BlobLake } from '../../../shared/adapters/BlobLake.js';
import {
    ensureResources,
    findMissingResources,
    ResourceCheck,
    type ResourceTargets,
} from '../../../shared/adapters/resources.js';
import type { LakeContainer } from '../../../shared/app/ports.js';
import { COSMOS_INDEXING } from '../../../shared/config/cosmosIndexing.js';
import { COSMOS_CONTAINERS, LAKE_CONTAINERS } from '../../../shared/config/settingNames.js';
import { MissingResourceError } from '../../../shared/errors.js';
import { BIN, ensureBuilt, ROOT } from '../../helpers/builtCli.js';
import {
    localBlobServiceClient,
    localCosmosClient,
    localQueueServiceClient,
    localServices,
} from '../../helpers/localServices.js';

/** Fresh, not yet created targets: prefixed lake containers and a new database id. */
function freshTargets(): ResourceTargets {
    const tag = `setup-${randomUUID().slice(0, 8)}`;
    const service = localBlobServiceClient();
    const lake = Object.fromEntries(
        LAKE_CONTAINERS.map((n) => [n, service.getContainerClient(`${tag}-${n}`)]),
    ) as Record<LakeContainer, ContainerClient>;
    return { lake, cosmos: localCosmosClient(), database: tag };
}

async function dispose(t: ResourceTargets): Promise<void> {
    await Promise.all(Object.values(t.lake).map((c) => c.deleteIfExists()));
    await t.cosmos
        .database(t.database)
        .delete()
        .catch(() => undefined);
    t.cosmos.dispose();
}

describe('ensureResources (maritime setup)', () => {
    let t: ResourceTargets;
    beforeAll(() => {
        t = freshTargets();
    });
    afterAll(() => dispose(t));

    it('creates every lake container, the database and every container, then finds them all present', async () => {
        expect((await findMissingResources(t)).length).toBe(LAKE_CONTAINERS.length + 1);
        const first = await ensureResources(t);
        expect(first.map((s) => s.state)).toEqual(
            Array(LAKE_CONTAINERS.length + 1 + COSMOS_CONTAINERS.length).fill('created'),
        );
        expect(first.map((s) => s.resource)).toContain(`Cosmos DB container '${t.database}/vessels'`);
        expect(first[0]!.resource).toBe(`lake container '${t.database}-bronze' (bronze)`);
        expect(await findMissingResources(t)).toEqual([]);
        const { resource } = await t.cosmos.database(t.database).container('sensorState').read();
        expect(resource?.partitionKey?.paths).toEqual(['/sensorKey']);
        const gold = await t.cosmos.database(t.database).container('gold').read();
        expect(gold.resource?.indexingPolicy).toMatchObject(COSMOS_INDEXING.gold);
    });

    it('is idempotent: a second run creates nothing', async () => {
        const second = await ensureResources(t);
        expect(new Set(second.map((s) => s.state))).toEqual(new Set(['exists']));
    });
});

describe('ResourceCheck', () => {
    it('turns a write to a missing lake container into an error naming it', async () => {
        const t = freshTargets();
        try {
            const lake = new BlobLake(t.lake);
            const check = new ResourceCheck(() => t);
            const failure = await check
                .run(() => lake.writeJsonLinesGz('bronze', 'ais/x.jsonl.gz', [{ a: 1 }]))
                .catch((e: unknown) => e);
            expect(failure).toBeInstanceOf(MissingResourceError);
            const message = (failure as Error).message;
            expect(message).toContain(`lake container '${t.database}-bronze' (bronze)`);
            expect(message).toContain(`Cosmos DB database '${t.database}'`);
            expect(message).toContain('npx maritime setup');
            expect((failure as MissingResourceError).cause).toBeDefined();
        } finally {
            await dispose(t);
        }
    });

    it('names the missing Cosmos container when only it is missing', async () => {
        const t = freshTargets();
        try {
            await ensureResources(t);
            await t.cosmos.database(t.database).container('alerts').delete();
            const check = new ResourceCheck(() => t);
            const failure = await check
                .run(() =>
                    t.cosmos.database(t.database).container('alerts').items.upsert({ id: 'a', mmsi: 1 }),
                )
                .catch((e: unknown) => e);
            expect(failure).toBeInstanceOf(MissingResourceError);
            expect((failure as MissingResourceError).resources).toEqual([
                `Cosmos DB container '${t.database}/alerts'`,
            ]);
        } finally {
            await dispose(t);
        }
    });

    it('leaves other failures alone, and stops checking once everything was found', async () => {
        const t = freshTargets();
        try {
            await ensureResources(t);
            let checks = 0;
            const check = new ResourceCheck(() => {
                checks++;
                return t;
            });
            const original = new Error('boom');
            await expect(check.run(() => Promise.reject(original))).rejects.toBe(original);
            await expect(check.run(() => Promise.reject(original))).rejects.toBe(original);
            expect(checks).toBe(1);
        } finally {
            await dispose(t);
        }
    });
});

/**
 * Runs the built CLI without blocking this process: the Cosmos-protocol server may run in it (a single test file
 * runs in Jest's main process, where the global setup started the server), so `spawnSync` would deadlock.
 */
function maritime(
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [BIN, ...args],
            { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 },
            (error, stdout, stderr) => {
                resolve({
                    status: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
                    stdout,
                    stderr,
                });
            },
        );
    });
}

/** A build of dist/ when stale, and two CLI runs against the services: minutes on a loaded 2-core machine. */
const CLI_TIMEOUT_MS = 240_000;

describe('npx maritime setup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'maritime-setup-'));
    const database = `cli-${randomUUID().slice(0, 8)}`;
    afterAll(async () => {
        rmSync(dir, { recursive: true, force: true });
        const cosmos = localCosmosClient();
        await cosmos
            .database(database)
            .delete()
            .catch(() => undefined);
        cosmos.dispose();
        const queues = localQueueServiceClient();
        await Promise.all(
            [database, `${database}-poison`].map((q) => queues.getQueueClient(q).deleteIfExists()),
        );
    });

    it(
        'creates the resources from local.settings.json, and a second run reports them as existing',
        async () => {
            ensureBuilt();
            const s = localServices();
            const settings = join(dir, 'local.settings.json');
            writeFileSync(
                settings,
                JSON.stringify({
                    IsEncrypted: false,
                    Values: {
                        LAKE_CONNECTION_STRING: s.lakeConnectionString,
                        COSMOS_ENDPOINT: s.cosmosEndpoint,
                        COSMOS_KEY: s.cosmosKey,
                        COSMOS_DATABASE: database,
                        GoldQueueConnection: s.lakeConnectionString,
                        GOLD_SHARD_QUEUE: database,
                    },
                }),
            );
            const env = { ...process.env };
            for (const name of [
                'LAKE_CONNECTION_STRING',
                'LAKE_BLOB_ENDPOINT',
                'COSMOS_ENDPOINT',
                'COSMOS_KEY',
                'COSMOS_DATABASE',
                'GoldQueueConnection',
                'GOLD_SHARD_QUEUE',
            ])
                delete env[name];
            const run = () => maritime(['setup', '--settings', settings], env);
            const first = await run();
            expect(first.stderr).toBe('');
            expect(first.status).toBe(0);
            expect(first.stdout).toContain(`created  Cosmos DB database '${database}'`);
            for (const c of COSMOS_CONTAINERS)
                expect(first.stdout).toContain(`created  Cosmos DB container '${database}/${c.name}'`);
            for (const c of LAKE_CONTAINERS)
                expect(first.stdout).toMatch(new RegExp(`(created|exists) +lake container '${c}'`));
            expect(first.stdout).toContain(`created  queue '${database}'`);
            expect(first.stdout).toContain(`created  queue '${database}-poison'`);
            const second = await run();
            expect(second.status).toBe(0);
            expect(second.stdout).not.toContain('created');
            expect(second.stdout.trim().split('\n')).toHaveLength(
                LAKE_CONTAINERS.length + 1 + COSMOS_CONTAINERS.length + 2,
            );
        },
        CLI_TIMEOUT_MS,
    );

    it(
        'names a settings file that does not exist',
        async () => {
            ensureBuilt();
            const r = await maritime(['setup', '--settings', join(dir, 'nope.json')]);
            expect(r.status).toBe(2);
            expect(r.stderr).toContain('nope.json not found');
        },
        CLI_TIMEOUT_MS,
    );
});
