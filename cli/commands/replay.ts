/**
 * `maritime replay FILE...`: replays NMEA (tag blocks and receiver suffixes included), JSON lines or
 * MarineCadastre CSV files through the local pipeline, then prints the reconciliation and exits.
 */
import { parseArgs } from 'node:util';

import { type Command, UsageError } from '../command.js';
import { positiveNumber, STACK_OPTIONS, STACK_USAGE, stackOptions } from './localStack.js';

const USAGE = `Usage: maritime replay FILE... [--rate N] [--keep-running] [local stack options]

Sends every record of the files (one NMEA message with all its fragments, one JSON line or one CSV row per
event, partition key = MMSI) through the local pipeline, waits until every batch is processed, prints
  received = accepted + quarantined + duplicates + skipped
and the quarantine reasons, and exits: 0 when everything landed, 1 when anything was skipped (batches whose
retries ran out are dead-lettered; re-drive them with \`maritime rebuild --deadletter\`) or does not add up.
The format of each file is sniffed from its first line. Lines that are not AIS data ($GPRMC and other NMEA
sentences) are counted as skipped lines, not sent; $PGHP headers and lone tag blocks travel with the sentence
after them. A CSV file in another schema than MarineCadastre's is reported once (UNSUPPORTED FILE), not
sent, and the exit code is 1; so is a file that gives no event at all (NO DATA IN FILE: empty, or only blank
lines, comments, a header or other sentences), and a replay whose every event was quarantined (NOTHING USABLE).

  --rate N            events per second (default: as fast as the pipeline takes them)
  --keep-running      keep serving HTTP after the replay (Ctrl-C stops)
${STACK_USAGE}
`;

export const replayCommand: Command = {
    name: 'replay',
    summary: 'replay NMEA / JSON lines / MarineCadastre CSV files through the local pipeline',
    usage: USAGE,
    async run(argv) {
        const { values, positionals } = parseArgs({
            args: argv,
            options: {
                ...STACK_OPTIONS,
                rate: { type: 'string' },
                'keep-running': { type: 'boolean', default: false },
            },
            strict: true,
            allowPositionals: true,
        });
        if (values.help) {
            process.stdout.write(USAGE);
            return 0;
        }
        if (positionals.length === 0) throw new UsageError('give at least one FILE to replay');
        const rate = positiveNumber('rate', values.rate, 1_000_000);
        // Loaded here: `maritime decode` should not pay for the local stack at start-up.
        const { replayExitCode, runLocal } = await import('../../local/run.js');
        const totals = await runLocal({
            ...stackOptions(values),
            source: { kind: 'replay', files: positionals, ...(rate ? { rate } : {}) },
            exitWhenDone: !values['keep-running'],
        });
        if (values['keep-running']) await new Promise<never>(() => undefined);
        // Non-zero when a file could not be used (UNSUPPORTED FILE, NO DATA IN FILE), nothing at all could
        // (NOTHING USABLE), or anything does not add up, or was skipped (dead-lettered) or lost.
        return replayExitCode(totals);
    },
};
