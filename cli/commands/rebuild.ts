/**
 * `maritime rebuild`: re-drives bronze (and, on request, quarantined batches and dead letters) through the same
 * ingest use cases, to rebuild silver, quarantine, the vessel state, tracks, sensor state and alerts after an
 * outage, a crash or a rule fix. Idempotent (shared/app/rebuild.ts): running it twice changes nothing more.
 *
 * Two targets: the local stack's data (`--local`, or `--data-dir DIR`), or the lake, Cosmos DB and dead-letter
 * store the app settings of the environment name, the same settings the function app reads (in Azure:
 * LAKE_BLOB_ENDPOINT, COSMOS_ENDPOINT and EventHubConnection__fullyQualifiedNamespace with DefaultAzureCredential).
 */
import { parseArgs } from 'node:util';

import type { Runtime } from '../../functions/runtime.js';
import type { DeadLetterSource } from '../../shared/app/ports.js';
import { type Command, UsageError } from '../command.js';
import { localStackOptions, rangeOptions } from '../lakeRangeOptions.js';
import { positiveInt } from './localStack.js';

const USAGE = `Usage: maritime rebuild --from DATE [--to DATE] [--quarantine] [--deadletter] [--local [--data-dir DIR]] [--max-age-days N]
       maritime rebuild --deadletter [--local [--data-dir DIR]]

Re-drives the bronze batches that arrived from DATE to DATE (UTC days, ISO 8601; --to defaults to today)
through the ingest: silver, quarantine, vessel state, tracks, sensor state and alerts are rewritten from them.
Every write is idempotent, so batches that had landed land again unchanged, and newer state is never replaced by
older. Prints progress and a summary; exit 1 when a batch failed or was skipped.

Without --local it works on the lake, Cosmos DB and dead-letter store the app settings in the environment name
(the function app's settings: LAKE_BLOB_ENDPOINT, COSMOS_ENDPOINT, COSMOS_DATABASE,
EventHubConnection__fullyQualifiedNamespace, DEADLETTER_EVENTHUB_NAME, ...), signed in with DefaultAzureCredential
(az login, environment credentials, a managed identity; AZURE_CLIENT_ID picks a user-assigned identity). The
README ("Recovery") lists the roles it needs.

  --from DATE        first arrival day to re-drive (e.g. 2026-12-01)
  --to DATE          last arrival day (default today)
  --quarantine       only the batches with quarantined items (after a rule fix: they are judged again; a batch
                     that now quarantines nothing has its quarantine blob removed)
  --deadletter       re-drive the dead-lettered batches (batches whose retries ran out); each one that lands is
                     removed from the dead-letter store (locally <data-dir>/deadletter; in Azure the
                     ingest-deadletter event hub, where a re-driven letter is marked done in the lake)
  --local            the local stack's data (what \`npm start\` and \`maritime replay\` wrote), not the settings
  --data-dir DIR     the local stack's folder (default .local; implies --local)
  --max-age-days N   EVENT_TIME_MAX_AGE_DAYS for this run: give the value the data was ingested with (archives
                     with old event times would otherwise be quarantined as too old)
  --quiet            no progress line
`;

function parseDay(name: string, value: string): number {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (!Number.isFinite(t))
        throw new UsageError(`--${name} must be a date such as 2026-12-01; got '${value}'`);
    return t;
}

interface RebuildTarget {
    runtime: Runtime;
    /** Where the dead letters are, for `--deadletter`. */
    deadLetters(): Promise<DeadLetterSource & { where: string }>;
    close(): Promise<void>;
}

/** The local stack over `dataDir` (its dead letters in `<dataDir>/deadletter`). */
async function localTarget(
    dataDir: string,
    settings: Record<string, string>,
    out: NodeJS.WritableStream,
): Promise<RebuildTarget> {
    const { startStack } = await import('../../local/stack.js');
    const { appSettingsIn } = await import('../../shared/config/loadConfig.js');
    const { FileDeadLetterStore } = await import('../../shared/adapters/FileDeadLetterStore.js');
    out.write(`starting the local services over ${dataDir}/ ...\n`);
    const stack = await startStack({
        releaseMemoryAfterJobs: true,
        dataDir,
        httpPort: 0,
        environment: appSettingsIn(process.env),
        settings,
    });
    return {
        runtime: stack.runtime,
        deadLetters: () => {
            const store = new FileDeadLetterStore(stack.totals.deadLetterDir);
            return Promise.resolve(Object.assign(store, { where: store.dir }));
        },
        close: async () => {
            await stack.stop();
        },
    };
}

/** The lake, Cosmos DB and dead-letter store of the environment's app settings (as the function app reads them). */
async function settingsTarget(
    settings: Record<string, string>,
    out: NodeJS.WritableStream,
): Promise<RebuildTarget> {
    const { appSettingsIn, loadConfig } = await import('../../shared/config/loadConfig.js');
    const { createRuntime } = await import('../../functions/runtime.js');
    let config;
    try {
        config = loadConfig({ ...appSettingsIn(process.env), ...settings });
    } catch (error) {
        throw new UsageError(
            `${error instanceof Error ? error.message : String(error)}\n(the app settings in the environment name the lake and Cosmos DB to rebuild; ` +
                "for the local stack's data give --local)",
        );
    }
    const runtime = createRuntime(config);
    const lake = config.lake.blobEndpoint ?? 'the lake of LAKE_CONNECTION_STRING';
    out.write(
        `rebuilding ${lake} and Cosmos DB ${config.cosmos.endpoint} (database ${config.cosmos.database})\n`,
    );
    let hub: { close(): Promise<void> } | undefined;
    return {
        runtime,
        async deadLetters() {
            const { appDeadLetterSource } = await import('../../shared/adapters/EventHubDeadLetterSource.js');
            const source = appDeadLetterSource(config, runtime.lake);
            hub = source;
            return source;
        },
        async close() {
            await hub?.close();
            runtime.dispose();
        },
    };
}

export const rebuildCommand: Command = {
    name: 'rebuild',
    summary: 're-drive bronze, quarantined batches or dead letters through the ingest (idempotent)',
    usage: USAGE,
    async run(argv) {
        const { values } = parseArgs({
            args: argv,
            options: {
                ...rangeOptions,
                quarantine: { type: 'boolean', default: false },
                deadletter: { type: 'boolean', default: false },
                ...localStackOptions,
                'data-dir': { type: 'string' },
                'max-age-days': { type: 'string' },
                quiet: { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
            strict: true,
            allowPositionals: false,
        });
        if (values.help) {
            process.stdout.write(USAGE);
            return 0;
        }
        if (values.from === undefined && !values.deadletter)
            throw new UsageError('give --from DATE (and optionally --to DATE), or --deadletter');
        const from = values.from !== undefined ? parseDay('from', values.from) : undefined;
        const to = values.to !== undefined ? parseDay('to', values.to) + 86_400_000 - 1 : Date.now();
        if (from !== undefined && from > to) throw new UsageError('--from must not be after --to');
        const maxAge = positiveInt('max-age-days', values['max-age-days']);
        const settings: Record<string, string> =
            maxAge !== undefined ? { EVENT_TIME_MAX_AGE_DAYS: String(maxAge) } : {};
        const out = process.stderr;
        const { runtimeIngest } = await import('../../local/stack.js');
        const { rebuildFromBronze, redriveDeadLetters } = await import('../../shared/app/rebuild.js');
        const local = values.local || values['data-dir'] !== undefined;
        const target = local
            ? await localTarget(values['data-dir'] ?? '.local', settings, out)
            : await settingsTarget(settings, out);
        let failed = 0;
        let skipped = 0;
        try {
            const ingest = runtimeIngest(target.runtime, (m) => out.write(`  ${m}\n`));
            // On a terminal one line rewritten in place (every 0.5 s); in a log or a pipe a plain line every 10 s
            // and at the end, so the file does not fill with carriage returns.
            const tty = out.isTTY === true;
            const progress = (label: string) => {
                let last = 0;
                return (done: number, total?: number): void => {
                    if (values.quiet) return;
                    const now = Date.now();
                    if (now - last < (tty ? 500 : 10_000) && done !== total) return;
                    last = now;
                    const line = `${label}: ${done.toLocaleString('en-US')}${total !== undefined ? ` / ${total.toLocaleString('en-US')}` : ''} batches`;
                    out.write(tty ? `\r${line}` : `${line}\n`);
                };
            };
            const report = (
                title: string,
                r: {
                    batches: number;
                    events: number;
                    counts: Record<
                        string,
                        {
                            received: number;
                            accepted: number;
                            quarantined: number;
                            duplicates: number;
                            skipped: number;
                        }
                    >;
                    failed: { path: string; error: string }[];
                    quarantineCleared: number;
                },
            ): void => {
                out.write(
                    `${tty && !values.quiet ? '\n' : ''}${title}: ${r.batches.toLocaleString('en-US')} batch(es), ${r.events.toLocaleString('en-US')} event(s)\n`,
                );
                for (const [source, c] of Object.entries(r.counts)) {
                    if (c.received === 0) continue;
                    out.write(
                        `  ${source}: received ${c.received} = accepted ${c.accepted} + quarantined ${c.quarantined} + duplicates ${c.duplicates} + skipped ${c.skipped}\n`,
                    );
                    skipped += c.skipped;
                }
                if (r.quarantineCleared > 0)
                    out.write(
                        `  ${r.quarantineCleared} quarantine blob(s) removed: their batches now quarantine nothing\n`,
                    );
                for (const f of r.failed.slice(0, 10)) out.write(`  FAILED ${f.path}: ${f.error}\n`);
                if (r.failed.length > 10) out.write(`  ... and ${r.failed.length - 10} more failed\n`);
                failed += r.failed.length;
            };
            if (values.deadletter) {
                const store = await target.deadLetters();
                const r = await redriveDeadLetters({
                    deadLetters: store,
                    ingest,
                    progress: progress('dead letters'),
                });
                report('dead letters re-driven', r);
                out.write(`  ${r.remaining} dead letter(s) remain in ${store.where}\n`);
                const left = store as { unreadable?: string[]; incomplete?: string[] };
                for (const u of left.unreadable ?? [])
                    out.write(`  UNREADABLE event in the dead-letter hub (left there): ${u}\n`);
                for (const i of left.incomplete ?? [])
                    out.write(`  INCOMPLETE letter (parts missing, left there): ${i}\n`);
                failed += (left.unreadable?.length ?? 0) + (left.incomplete?.length ?? 0);
            }
            if (from !== undefined) {
                const r = await rebuildFromBronze(
                    {
                        lake: target.runtime.lake,
                        ingest,
                        progress: progress(values.quarantine ? 'quarantined batches' : 'bronze batches'),
                    },
                    { from, to, onlyQuarantined: values.quarantine },
                );
                report(values.quarantine ? 'quarantined batches re-driven' : 'bronze re-driven', r);
            }
        } finally {
            await target.close();
        }
        return failed > 0 || skipped > 0 ? 1 : 0;
    },
};
