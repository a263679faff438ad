/**
 * `maritime compact` and `maritime lineage`: the compaction use case over a range of days and the lineage trace, over
 * the configured lake and Cosmos (the environment's settings) or the embedded local stack's data (`--local`).
 * Progress goes to stderr, the summary or the trace to stdout.
 */
import type { Runtime } from '../functions/runtime.js';
import { createLakeContainers } from '../shared/adapters/clients.js';
import { BlobLineageReader } from '../shared/adapters/lineage.js';
import { compactRange, type HourOutcome } from '../shared/app/compactSilver.js';
import { addDays, dayOf, dayStart } from '../shared/app/gold/window.js';
import {
    formatGoldTrace,
    formatJobRuns,
    jobRuns,
    lineageSearchDays,
    traceGoldDay,
} from '../shared/app/lineage.js';
import { openCliRuntime } from './cliRuntime.js';
import { stderrLogger } from './goldBackfill.js';

interface LocalOption {
    local: boolean;
    dataDir: string;
}

async function withRuntime<T>(options: LocalOption, fn: (rt: Runtime) => Promise<T>): Promise<T> {
    const cli = await openCliRuntime(options);
    try {
        return await fn(cli.runtime);
    } finally {
        await cli.close();
    }
}

function progressLine(done: number, total: number, o: HourOutcome): string {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const what =
        o.outcome === 'compacted'
            ? `${o.filesBefore} -> ${o.filesAfter} file(s), ${o.rows} rows`
            : o.outcome === 'cleaned'
              ? `${o.deleted} replaced file(s) deleted`
              : o.outcome === 'busy'
                ? 'busy (held by another run)'
                : o.outcome === 'stopped'
                  ? 'stopped (the next run compacts it)'
                  : 'nothing to do';
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${o.table} ${o.hour.slice(0, 13)}h ${what}`;
}

export async function runCompactCommand(
    options: LocalOption & { from: string; to: string },
): Promise<number> {
    return withRuntime(options, async (rt) => {
        const started = performance.now();
        const tty = process.stderr.isTTY;
        const from = dayStart(options.from);
        const to = dayStart(addDays(options.to, 1));
        const summary = await compactRange(
            rt.compactionDeps(stderrLogger),
            rt.compactionSettings,
            `compact-cli-${process.pid}`,
            from,
            to,
            {
                onHour: (done, total, outcome) => {
                    process.stderr.write(
                        tty
                            ? `\r${progressLine(done, total, outcome)}${done === total ? '\n' : ''}`
                            : `${progressLine(done, total, outcome)}\n`,
                    );
                },
            },
        );
        const compacted = summary.hours.filter(
            (h): h is Extract<HourOutcome, { outcome: 'compacted' }> => h.outcome === 'compacted',
        );
        const before = compacted.reduce((n, h) => n + h.filesBefore, 0);
        const after = compacted.reduce((n, h) => n + h.filesAfter, 0);
        const rows = compacted.reduce((n, h) => n + h.rows, 0);
        const busy = summary.hours.filter((h) => h.outcome === 'busy').length;
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
            `silver compaction ${options.from}..${options.to}: ${compacted.length} table-hours compacted (${before} -> ${after} files, ${rows} rows) ` +
                `in ${seconds.toFixed(1)} s; ${summary.hours.length - compacted.length - busy} cleaned or unchanged, ${busy} busy\n`,
        );
        return 0;
    });
}

export async function runLineageCommand(
    options: LocalOption & { table: string; day: string; days: number; json: boolean },
): Promise<number> {
    return withRuntime(options, async (rt) => {
        const reader = new BlobLineageReader(createLakeContainers(rt.blobService).lineage);
        const range = lineageSearchDays(options.table, options.day, options.days, dayOf(rt.clock.now()));
        const events = await reader.read(range.from, range.to);
        const trace = traceGoldDay(events, options.table, options.day);
        process.stdout.write(options.json ? `${JSON.stringify(trace, null, 1)}\n` : formatGoldTrace(trace));
        return trace.gold === undefined ? 1 : 0;
    });
}

/** `maritime lineage --job NAME DAY`: the runs of one job that ended on the day (exit 1 when none). */
export async function runJobLineageCommand(
    options: LocalOption & { job: string; day: string; json: boolean },
): Promise<number> {
    return withRuntime(options, async (rt) => {
        const reader = new BlobLineageReader(createLakeContainers(rt.blobService).lineage);
        const runs = jobRuns(await reader.read(options.day, options.day), options.job);
        process.stdout.write(
            options.json ? `${JSON.stringify(runs, null, 1)}\n` : formatJobRuns(options.job, runs),
        );
        return runs.length === 0 ? 1 : 0;
    });
}
