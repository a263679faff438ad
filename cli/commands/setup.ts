/**
 * `maritime setup`: creates the lake containers, the Cosmos DB database and its containers the app writes to, from
 * the app settings (local.settings.json's `Values`, then the environment). For `func start` against the official
 * emulators (Azurite, the Cosmos DB emulator), where nothing else creates them. Idempotent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { type Command, UsageError } from '../command.js';

const USAGE = `Usage: maritime setup [--settings FILE]

Creates what the app writes to, from the app settings: the lake containers (LAKE_CONNECTION_STRING or
LAKE_BLOB_ENDPOINT), the Cosmos DB database COSMOS_DATABASE and its containers with their partition keys and TTL
(COSMOS_ENDPOINT, COSMOS_KEY), and the gold shard queue GOLD_SHARD_QUEUE with its -poison queue (GoldQueueConnection). Prints one line per resource (created / exists); running it again changes nothing.
With Core Tools: \`docker compose up\`, then \`npx maritime setup\`, then \`func start\`.

Settings are read from FILE's "Values" (default local.settings.json, when present); environment variables of the
same name win. Without COSMOS_KEY (the managed identity, as in Azure) nothing can be created on Cosmos DB (Bicep
creates it there): the command then only checks and lists what is missing (exit 1 when something is).

  --settings FILE   a local.settings.json-style file (default local.settings.json)
`;

/** The settings `func start` would give the app: the file's `Values`, overridden by the environment. */
export function readSettings(
    file: string | undefined,
    env: NodeJS.ProcessEnv,
): Record<string, string | undefined> {
    const path = file ?? 'local.settings.json';
    let values: Record<string, string> = {};
    if (existsSync(path)) {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> };
        values = Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
    } else if (file !== undefined) {
        throw new UsageError(`settings file ${file} not found`);
    }
    return { ...values, ...env };
}

export const setupCommand: Command = {
    name: 'setup',
    summary: 'create the lake containers and the Cosmos DB database and containers (emulators, func start)',
    usage: USAGE,
    async run(argv) {
        const { values } = parseArgs({
            args: argv,
            options: { settings: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
            strict: true,
            allowPositionals: false,
        });
        if (values.help) {
            process.stdout.write(USAGE);
            return 0;
        }
        const { loadConfig } = await import('../../shared/config/loadConfig.js');
        const { createBlobServiceClient, createCosmosClient, createLakeContainers } =
            await import('../../shared/adapters/clients.js');
        const { ensureResources, findMissingResources } = await import('../../shared/adapters/resources.js');
        const config = loadConfig(readSettings(values.settings, process.env));
        const targets = {
            lake: createLakeContainers(createBlobServiceClient(config.lake, config.azureClientId)),
            cosmos: createCosmosClient(config.cosmos, config.azureClientId),
            database: config.cosmos.database,
        };
        try {
            if (config.cosmos.key === undefined) {
                const missing = await findMissingResources(targets);
                for (const m of missing) process.stdout.write(`missing  ${m}\n`);
                if (missing.length > 0) {
                    process.stderr.write(
                        'maritime setup: without COSMOS_KEY (managed identity) nothing is created; deploy infra/bicep\n',
                    );
                    return 1;
                }
                process.stdout.write('every resource exists\n');
                return 0;
            }
            for (const status of await ensureResources(targets))
                process.stdout.write(`${status.state.padEnd(8)} ${status.resource}\n`);
            // The gold shard queue and its poison queue, when a queue connection string is set (Azurite).
            const queue = config.gold.shardQueue;
            if (queue.connectionString !== undefined) {
                const { createQueueServiceClient, poisonQueueName } =
                    await import('../../shared/adapters/StorageShardQueue.js');
                const service = createQueueServiceClient(queue);
                for (const name of [queue.name, poisonQueueName(queue.name)]) {
                    const created = (await service.getQueueClient(name).createIfNotExists()).succeeded;
                    process.stdout.write(`${(created ? 'created' : 'exists').padEnd(8)} queue '${name}'\n`);
                }
            }
            return 0;
        } finally {
            targets.cosmos.dispose();
        }
    },
};
