/**
 * `maritime compact` and `maritime lineage`: the compaction use case over a range of days and the lineage trace, over
 * the configured lake and Cosmos (the environment's settings) or the embedded local stack's data (`--local`).
 * Progress goes to stderr, the summary or the trace to stdout.
 */
import { compactionDeps, compactionSettings } from '../functions/runtime.js';
import { createLakeContainers, disposeClients, getBlobServiceClient } from '../shared/adapters/clients.js';
import { BlobLineageReader } from '../shared/adapters/lineage.js';
import { compactRange, type HourOutcome } from '../shared/app/compactSilver.js';
import { addDays, dayStart } from '../shared/app/gold/window.js';
import { formatGoldTrace, traceGoldDay } from '../shared/app/lineage.js';
import { getConfig } from '../shared/config/loadConfig.js';
import { openLocal, stderrLogger } from './goldBackfill.js';
import type { LocalServices } from './services.js';
import { saveCosmosSnapshot } from './stack.js';



interface LocalOption {
    local: boolean;
    dataDir: string;
}

async function withServices<T>(options: LocalOption, fn: () => Promise<T>): Promise<T> {
    const services: LocalServices | undefined = options.local ? await openLocal(options.dataDir) : undefined;
    try {
        return await fn();
    } finally {
        if (services !== undefined) {
            await saveCosmosSnapshot(options.dataDir);
            disposeClients();
            await services.stop();
        }
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
                : 'nothing to do';
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${o.table} ${o.hour.slice(0, 13)}h ${what}`;
}

export async function runCompactCommand(options: LocalOption & { from: string; to: string }): Promise<number> {
    return withServices(options, async () => {
        const started = performance.now();
        const tty = process.stderr.isTTY;
        const from = dayStart(options.from);
        const to = dayStart(addDays(options.to, 1));
        const summary = await compactRange(compactionDeps(stderrLogger), compactionSettings(), `compact-cli-${process.pid}`, from, to, {
            onHour: (done, total, outcome) => {
                process.stderr.write(tty ? `\r${progressLine(done, total, outcome)}${done === total ? '\n' : ''}` : `${progressLine(done, total, outcome)}\n`);
            },
        });
        const compacted = summary.hours.filter((h): h is Extract<HourOutcome, { outcome: 'compacted' }> => h.outcome === 'compacted');
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
    return withServices(options, async () => {
        const reader = new BlobLineageReader(createLakeContainers(getBlobServiceClient(getConfig())).lineage);
        const events = await reader.read(options.day, addDays(options.day, options.days));
        const trace = traceGoldDay(events, options.table, options.day);
        process.stdout.write(options.json ? `${JSON.stringify(trace, null, 1)}\n` : formatGoldTrace(trace));
        return trace.gold === undefined ? 1 : 0;
    });
}
