/**
 * Runs `maritime gold --from --to`: the backfill use case over the configured lake and Cosmos (the environment's
 * settings), or over the embedded local stack's persisted data (`--local`), with a progress bar on stderr and a
 * summary on stdout.
 */
import { mkdirSync } from 'node:fs';

import { getGoldRuntime, getParticularsFile, getPorts, getRuntime, getZones, goldJobSettings } from '../functions/runtime.js';
import { createLakeContainers, disposeClients, getBlobServiceClient, getCosmosClient } from '../shared/adapters/clients.js';
import { backfillGold, type BackfillProgress } from '../shared/app/gold/backfillGold.js';
import type { Logger } from '../shared/app/ports.js';
import { getConfig, resetConfig } from '../shared/config/loadConfig.js';
import { LAKE_CONTAINERS } from '../shared/config/settingNames.js';
import { ensureCosmosResources } from './cosmosSetup.js';
import { type LocalServices, startLocalServices } from './services.js';
import { restoreCosmosSnapshot, saveCosmosSnapshot } from './stack.js';

export interface GoldBackfillOptions {
    from: string;
    to: string;
    shards?: number;
    local: boolean;
    dataDir: string;
}

/** Warnings and errors of a CLI run on stderr (stdout carries the summary). */
export const stderrLogger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m, p) => process.stderr.write(`warning: ${m} ${p ? JSON.stringify(p) : ''}\n`),
    error: (m, p) => process.stderr.write(`error: ${m} ${p ? JSON.stringify(p) : ''}\n`),
};

function progressLine(p: BackfillProgress): string {
    const width = 30;
    const filled = Math.round((p.done / p.total) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const what = p.outcome.outcome === 'built' ? `built in ${p.seconds.toFixed(1)} s` : `${p.outcome.outcome} (left to the run that holds it)`;
    return `[${bar}] ${p.done}/${p.total} ${p.outcome.day} ${what}`;
}

/** Starts the local services over the persisted data and points the settings at them. */
export async function openLocal(dataDir: string): Promise<LocalServices> {
    mkdirSync(dataDir, { recursive: true });
    const services = await startLocalServices({ dataDir, quiet: true });
    Object.assign(process.env, {
        LAKE_CONNECTION_STRING: services.lakeConnectionString,
        COSMOS_ENDPOINT: services.cosmosEndpoint,
        COSMOS_KEY: services.cosmosKey,
    });
    resetConfig();
    disposeClients();
    const config = getConfig();
    const lake = createLakeContainers(getBlobServiceClient(config));
    await Promise.all(LAKE_CONTAINERS.map((name) => lake[name].createIfNotExists()));
    await ensureCosmosResources(getCosmosClient(config), config.cosmos.database);
    await restoreCosmosSnapshot(dataDir);
    return services;
}

export async function runGoldBackfill(options: GoldBackfillOptions): Promise<number> {
    const services = options.local ? await openLocal(options.dataDir) : undefined;
    try {
        const rt = getRuntime();
        const gold = getGoldRuntime();
        const settings = { ...goldJobSettings(), ...(options.shards === undefined ? {} : { shards: options.shards }) };
        const { table: particulars } = await getParticularsFile().load();
        const deps = {
            lake: rt.lake,
            engine: gold.engine,
            gold: gold.gold,
            runs: gold.runs,
            zones: getZones(),
            ports: getPorts(),
            clock: rt.clock,
            logger: stderrLogger,
            ...(particulars === undefined ? {} : { particulars }),
            ...(rt.lineage === undefined ? {} : { lineage: rt.lineage.sink, lakeNamespace: rt.lineage.lakeNamespace }),
        };
        const tty = process.stderr.isTTY;
        const summary = await backfillGold(deps, settings, { from: options.from, to: options.to }, `backfill-${process.pid}`, (p) => {
            process.stderr.write(tty ? `\r${progressLine(p)}${p.done === p.total ? '\n' : ''}` : `${progressLine(p)}\n`);
        });
        const rows = Object.entries(summary.rows).map(([t, n]) => `${t}=${n}`).join(' ');
        process.stdout.write(
            `gold backfill ${options.from}..${options.to}: ${summary.built}/${summary.days} days built in ${summary.seconds.toFixed(1)} s (${settings.shards} shard(s)); rows ${rows}\n`,
        );
        if (summary.busy.length > 0) process.stdout.write(`busy (being built by another run): ${summary.busy.join(', ')}\n`);
        return 0;
    } finally {
        if (services !== undefined) {
            await saveCosmosSnapshot(options.dataDir);
            disposeClients();
            await services.stop();
        }
    }
}
