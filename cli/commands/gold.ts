/**
 * `maritime gold --from DATE --to DATE`: rebuilds the gold tables of a range of days from silver (backfill), with a
 * progress bar and a summary. Safe while the timers run (each day is claimed in the run ledger).
 */
import { type Command } from '../command.js';
import { LAKE_RANGE_USAGE, lakeRange, LOCAL_STACK_USAGE, parseLakeRangeArgs } from '../lakeRangeOptions.js';
import { positiveInt } from './localStack.js';

const USAGE = `Usage: maritime gold --from YYYY-MM-DD --to YYYY-MM-DD [--shards N] [--local [--data-dir DIR]]

Rebuilds gold (vessel_daily, emissions_daily, port_calls, voyages, fleet_daily, dq_daily, sensor_hourly) for every
day of the range from silver, oldest first (port calls carry over from day to day), replacing what was built before.
Each day is claimed in the run ledger (Cosmos jobRuns) first, so running it while the buildGold timer runs is safe:
a day the timer is building is reported as busy and left to it.

${LAKE_RANGE_USAGE}
  --shards N          split each day into N shards by MMSI (default GOLD_SHARDS)
${LOCAL_STACK_USAGE}

Without --local the app settings come from the environment (LAKE_*, COSMOS_*, GOLD_*; see the README).`;

export const goldCommand: Command = {
    name: 'gold',
    summary: 'rebuild gold tables for a range of days from silver (backfill)',
    usage: USAGE,
    async run(argv) {
        const values = parseLakeRangeArgs(argv, USAGE, ['shards']);
        if (values === undefined) return 0;
        // The days themselves are checked by the backfill use case.
        const range = lakeRange(values);
        const shards = positiveInt('shards', values.shards);
        // Loaded here: other commands should not pay for DuckDB and the SDKs at start-up.
        const { runGoldBackfill } = await import('../../local/goldBackfill.js');
        return runGoldBackfill({ ...range, shards });
    },
};
