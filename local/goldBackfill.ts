/**
 * Runs `maritime gold --from --to`: the backfill use case over the configured lake and Cosmos (the app settings of
 * the environment, as in Azure), or over the embedded local stack's persisted data (`--local`), with a progress bar
 * on stderr and a summary on stdout (its runtime: local/cliRuntime.ts).
 */
import { backfillGold, type BackfillProgress } from '../shared/app/gold/backfillGold.js';
import type { Logger } from '../shared/app/ports.js';
import { openCliRuntime } from './cliRuntime.js';

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
    const what =
        p.outcome.outcome === 'built'
            ? `built in ${p.seconds.toFixed(1)} s`
            : `${p.outcome.outcome} (left to the run that holds it)`;
    return `[${bar}] ${p.done}/${p.total} ${p.outcome.day} ${what}`;
}

export async function runGoldBackfill(options: GoldBackfillOptions): Promise<number> {
    const cli = await openCliRuntime(options);
    const rt = cli.runtime;
    try {
        const settings = {
            ...rt.goldSettings,
            ...(options.shards === undefined ? {} : { shards: options.shards }),
        };
        // The backfill builds every shard itself (it waits, with a progress bar), never through the shard queue.
        const { shardQueue: _inline, ...deps } = await rt.goldJobDeps(stderrLogger);
        const tty = process.stderr.isTTY;
        const summary = await backfillGold(
            deps,
            settings,
            { from: options.from, to: options.to },
            `backfill-${process.pid}`,
            (p) => {
                process.stderr.write(
                    tty ? `\r${progressLine(p)}${p.done === p.total ? '\n' : ''}` : `${progressLine(p)}\n`,
                );
            },
        );
        const rows = Object.entries(summary.rows)
            .map(([t, n]) => `${t}=${n}`)
            .join(' ');
        process.stdout.write(
            `gold backfill ${options.from}..${options.to}: ${summary.built}/${summary.days} days built in ${summary.seconds.toFixed(1)} s (${settings.shards} shard(s)); rows ${rows}\n`,
        );
        if (summary.busy.length > 0)
            process.stdout.write(`busy (being built by another run): ${summary.busy.join(', ')}\n`);
        return 0;
    } finally {
        await cli.close();
    }
}
