/**
 * `maritime compact --from DATE --to DATE`: compacts the closed silver table-hours of a range of days (a backlog the
 * timer's lookback does not reach, or a range after a bulk load), oldest first, with progress. Safe while the timer
 * runs: each hour is claimed in the run ledger first.
 */
import { parseArgs } from 'node:util';

import { type Command, UsageError } from '../command.js';
import {
    checkDayRange,
    LAKE_RANGE_USAGE,
    lakeDayRange,
    LOCAL_STACK_USAGE,
    localStackOptions,
    parseLakeRangeArgs,
} from '../lakeRangeOptions.js';

const USAGE = `Usage: maritime compact --from YYYY-MM-DD --to YYYY-MM-DD [--local [--data-dir DIR]]

Merges the small batch files of every closed silver table-hour of the range (ais_positions, ais_static, ais_messages,
sensor_readings) into a few files sorted by MMSI and event time, switches readers with each hour's _manifest.json, and
deletes replaced files older than COMPACTION_DELETE_DELAY_MINUTES. Hours already compacted and without late data are
left alone; an hour the compactSilver timer holds is reported busy and left to it.

${LAKE_RANGE_USAGE}
${LOCAL_STACK_USAGE}

Without --local the app settings come from the environment (LAKE_*, COSMOS_*, COMPACTION_*; see the README).`;

export const compactCommand: Command = {
    name: 'compact',
    summary: 'compact silver table-hours for a range of days (merge batch files, switch readers by manifest)',
    usage: USAGE,
    async run(argv) {
        const values = parseLakeRangeArgs(argv, USAGE);
        if (values === undefined) return 0;
        const range = lakeDayRange(values);
        // Loaded here: other commands should not pay for DuckDB and the SDKs at start-up.
        const { runCompactCommand } = await import('../../local/lakeCommands.js');
        return runCompactCommand(range);
    },
};

const LINEAGE_USAGE = `Usage: maritime lineage <gold table> <YYYY-MM-DD> [--days N] [--json] [--local [--data-dir DIR]]
       maritime lineage --job <job> <YYYY-MM-DD> [--json] [--local [--data-dir DIR]]

Walks back from a gold table's day (vessel_daily, emissions_daily, port_calls, compliance_findings, equipment_health,
cii_yearly with its YYYY-01-01, ...) to what produced it: the run that wrote it, the silver table-hours it read, the
compaction that merged each hour, and the ingest batches (event hub partition and sequence range, bronze blob) behind
them; the other inputs of the run (the gold days a compliance or maintenance run read) with the run that wrote each.
From the lineage records in the lake's lineage container.

With --job, lists the runs of one job (watchCollisions, checkCompliance, checkComplianceCii, scoreMaintenance,
compactSilver, buildGold, ingestAis, ...) that ended on the day: outcome, window, what each read and wrote, counts.

  --days N            also search the N days after the gold day for records (late batches, later builds; default 2);
                      for cii_yearly, the N days up to today (the newest rating)
  --job NAME          list one job's runs of the day instead of tracing a gold table
  --json              print the records of the chain as JSON instead of text
  --local             read the embedded local stack's lake (what \`npm start\` wrote)
  --data-dir DIR      the local stack's folder (default .local)`;

export const lineageCommand: Command = {
    name: 'lineage',
    summary: "trace a gold table day back to silver hours, compactions and bronze batches; list a job's runs",
    usage: LINEAGE_USAGE,
    async run(argv) {
        const { values, positionals } = parseArgs({
            args: argv,
            options: {
                days: { type: 'string', default: '2' },
                job: { type: 'string' },
                json: { type: 'boolean', default: false },
                ...localStackOptions,
                help: { type: 'boolean', short: 'h', default: false },
            },
            strict: true,
            allowPositionals: true,
        });
        if (values.help) {
            process.stdout.write(`${LINEAGE_USAGE}\n`);
            return 0;
        }
        if (values.job !== undefined) {
            const [jobDay] = positionals;
            if (jobDay === undefined || positionals.length > 1)
                throw new UsageError('expected --job <job> <YYYY-MM-DD>');
            if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(values.job))
                throw new UsageError(`not a job name: '${values.job}'`);
            checkDayRange(jobDay, jobDay);
            const { runJobLineageCommand } = await import('../../local/lakeCommands.js');
            return runJobLineageCommand({
                job: values.job,
                day: jobDay,
                json: values.json,
                local: values.local,
                dataDir: values['data-dir'],
            });
        }
        const [table, day] = positionals;
        if (table === undefined || day === undefined || positionals.length > 2)
            throw new UsageError('expected <gold table> <YYYY-MM-DD>');
        if (!/^[a-z_]+$/.test(table)) throw new UsageError(`not a gold table name: '${table}'`);
        checkDayRange(day, day);
        const days = Number(values.days);
        if (!Number.isInteger(days) || days < 0 || days > 31)
            throw new UsageError(`--days must be an integer from 0 to 31; got '${values.days}'`);
        const { runLineageCommand } = await import('../../local/lakeCommands.js');
        return runLineageCommand({
            table,
            day,
            days,
            json: values.json,
            local: values.local,
            dataDir: values['data-dir'],
        });
    },
};
