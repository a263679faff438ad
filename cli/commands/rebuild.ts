/**
 * `maritime rebuild`: re-drives bronze (and, on request, quarantined batches and dead letters) through the same
 * ingest use cases, to rebuild silver, quarantine, the vessel state, tracks, sensor state and alerts after an
 * outage, a crash or a rule fix. Idempotent (shared/app/rebuild.ts): running it twice changes nothing more.
 */
import { parseArgs } from 'node:util';

import { type Command, UsageError } from '../command.js';
import { dataDirOption, rangeOptions } from '../lakeRangeOptions.js';
import { positiveInt } from './localStack.js';

const USAGE = `Usage: maritime rebuild --from DATE [--to DATE] [--quarantine] [--deadletter] [--data-dir DIR] [--max-age-days N]
       maritime rebuild --deadletter [--data-dir DIR]

Re-drives the local stack's bronze batches that arrived from DATE to DATE (UTC days, ISO 8601; --to defaults to
today) through the ingest: silver, quarantine, vessel state, tracks, sensor state and alerts are rewritten from
them. Every write is idempotent, so batches that had landed land again unchanged, and newer state is never
replaced by older. Prints progress and a summary; exit 1 when a batch failed or was skipped.

  --from DATE        first arrival day to re-drive (e.g. 2026-12-01)
  --to DATE          last arrival day (default today)
  --quarantine       only the batches with quarantined items (after a rule fix: they are judged again)
  --deadletter       re-drive the dead-lettered batches (batches whose retries ran out); each one that lands is
                     removed from the dead-letter store (<data-dir>/deadletter)
  --data-dir DIR     the local stack's data (default .local)
  --max-age-days N   EVENT_TIME_MAX_AGE_DAYS for this run: give the value the replay ran with (archives with old
                     event times would otherwise be quarantined as too old)
  --quiet            no progress line
`;

function parseDay(name: string, value: string): number {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (!Number.isFinite(t)) throw new UsageError(`--${name} must be a date such as 2026-12-01; got '${value}'`);
    return t;
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
                ...dataDirOption,
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
        if (values.from === undefined && !values.deadletter) throw new UsageError('give --from DATE (and optionally --to DATE), or --deadletter');
        const from = values.from !== undefined ? parseDay('from', values.from) : undefined;
        const to = values.to !== undefined ? parseDay('to', values.to) + 86_400_000 - 1 : Date.now();
        if (from !== undefined && from > to) throw new UsageError('--from must not be after --to');
        const out = process.stderr;
        const { runtimeIngest, startStack } = await import('../../local/stack.js');
        const { rebuildFromBronze, redriveDeadLetters } = await import('../../shared/app/rebuild.js');
        const { FileDeadLetterStore } = await import('../../shared/adapters/FileDeadLetterStore.js');
        const dataDir = values['data-dir'];
        out.write(`starting the local services over ${dataDir}/ ...\n`);
        const { appSettingsIn } = await import('../../shared/config/loadConfig.js');
        const maxAge = positiveInt('max-age-days', values['max-age-days']);
        const stack = await startStack({
            dataDir,
            httpPort: 0,
            environment: appSettingsIn(process.env),
            ...(maxAge !== undefined ? { settings: { EVENT_TIME_MAX_AGE_DAYS: String(maxAge) } } : {}),
        });
        let failed = 0;
        let skipped = 0;
        try {
            const ingest = runtimeIngest(stack.runtime, (m) => out.write(`  ${m}\n`));
            const progress = (label: string) => {
                let last = 0;
                return (done: number, total?: number): void => {
                    if (values.quiet) return;
                    const now = Date.now();
                    if (now - last < 500 && done !== total) return;
                    last = now;
                    out.write(`\r${label}: ${done.toLocaleString('en-US')}${total !== undefined ? ` / ${total.toLocaleString('en-US')}` : ''} batches`);
                };
            };
            const report = (title: string, r: { batches: number; events: number; counts: Record<string, { received: number; accepted: number; quarantined: number; duplicates: number; skipped: number }>; failed: { path: string; error: string }[]; quarantineCleared: number }): void => {
                out.write(`\n${title}: ${r.batches.toLocaleString('en-US')} batch(es), ${r.events.toLocaleString('en-US')} event(s)\n`);
                for (const [source, c] of Object.entries(r.counts)) {
                    if (c.received === 0) continue;
                    out.write(`  ${source}: received ${c.received} = accepted ${c.accepted} + quarantined ${c.quarantined} + duplicates ${c.duplicates} + skipped ${c.skipped}\n`);
                    skipped += c.skipped;
                }
                if (r.quarantineCleared > 0) out.write(`  ${r.quarantineCleared} quarantine blob(s) removed: their batches now quarantine nothing\n`);
                for (const f of r.failed.slice(0, 10)) out.write(`  FAILED ${f.path}: ${f.error}\n`);
                if (r.failed.length > 10) out.write(`  ... and ${r.failed.length - 10} more failed\n`);
                failed += r.failed.length;
            };
            if (values.deadletter) {
                const store = new FileDeadLetterStore(stack.totals.deadLetterDir);
                const r = await redriveDeadLetters({ deadLetters: store, ingest, progress: progress('dead letters') });
                report('dead letters re-driven', r);
                out.write(`  ${r.remaining} dead letter(s) remain in ${store.dir}\n`);
            }
            if (from !== undefined) {
                const r = await rebuildFromBronze(
                    { lake: stack.runtime.lake, ingest, progress: progress(values.quarantine ? 'quarantined batches' : 'bronze batches') },
                    { from, to, onlyQuarantined: values.quarantine },
                );
                report(values.quarantine ? 'quarantined batches re-driven' : 'bronze re-driven', r);
            }
        } finally {
            await stack.stop();
        }
        return failed > 0 || skipped > 0 ? 1 : 0;
    },
};
