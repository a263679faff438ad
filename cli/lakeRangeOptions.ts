/**
 * The options the lake commands share (`maritime compact`, `gold` and `rebuild`): `--from/--to`, `--local` and
 * `--data-dir` as `parseArgs` specs, their usage lines, the argument parsing of a range command, and the checks of a
 * range of UTC days.
 */
import { parseArgs } from 'node:util';

import { MAX_BACKFILL_DAYS } from '../shared/app/gold/backfillGold.js';
import { daysBetween, isDay } from '../shared/app/gold/window.js';
import { UsageError } from './command.js';

/** `--from` and `--to` (strings; each command says what a value may be). */
export const rangeOptions = {
    from: { type: 'string' },
    to: { type: 'string' },
} as const;

/** `--data-dir DIR`, the local stack's folder (default `.local`). */
export const dataDirOption = {
    'data-dir': { type: 'string', default: '.local' },
} as const;

/** `--local [--data-dir DIR]`: run against the embedded local stack's data instead of the app settings. */
export const localStackOptions = {
    local: { type: 'boolean', default: false },
    ...dataDirOption,
} as const;

/** The usage lines of `--from, --to` as a range of days and of `--local [--data-dir DIR]`. */
export const LAKE_RANGE_USAGE = `  --from, --to        the range of UTC days, inclusive (at most ${MAX_BACKFILL_DAYS} days)`;
export const LOCAL_STACK_USAGE = `  --local             run against the embedded local stack's data (what \`npm start\` wrote), not the settings
  --data-dir DIR      the local stack's folder (default .local)`;

/** The parsed values of `rangeOptions` and `localStackOptions`. */
export interface LakeRangeValues {
    from?: string;
    to?: string;
    local: boolean;
    'data-dir': string;
}

/**
 * Parses the arguments of a lake range command (`compact`, `gold`): `--from/--to`, `--local [--data-dir DIR]`,
 * `--help` and the command's own string options (`stringOptions`), no positionals. With `--help` it prints `usage`
 * and gives undefined (the command then exits 0).
 */
export function parseLakeRangeArgs<K extends string = never>(
    argv: string[],
    usage: string,
    stringOptions: readonly K[] = [],
): (LakeRangeValues & { [name in K]?: string }) | undefined {
    const own = Object.fromEntries(stringOptions.map((name) => [name, { type: 'string' } as const]));
    const { values } = parseArgs({
        args: argv,
        options: {
            ...rangeOptions,
            ...own,
            ...localStackOptions,
            help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: false,
    });
    if (values.help === true) {
        process.stdout.write(`${usage}\n`);
        return undefined;
    }
    return values as LakeRangeValues & { [name in K]?: string };
}

export interface LakeRange {
    from: string;
    to: string;
    local: boolean;
    dataDir: string;
}

/** The parsed values, with `--from` and `--to` required. */
export function lakeRange(values: LakeRangeValues): LakeRange {
    const { from, to } = values;
    if (from === undefined || to === undefined) throw new UsageError('--from and --to are required');
    return { from, to, local: values.local, dataDir: values['data-dir'] };
}

/** `lakeRange`, checked by `checkDayRange`. */
export function lakeDayRange(values: LakeRangeValues): LakeRange {
    const range = lakeRange(values);
    checkDayRange(range.from, range.to);
    return range;
}

/** Throws a UsageError unless both ends are UTC days (YYYY-MM-DD) in order, at most MAX_BACKFILL_DAYS days. */
export function checkDayRange(from: string, to: string): void {
    for (const d of [from, to]) if (!isDay(d)) throw new UsageError(`not a date (YYYY-MM-DD): '${d}'`);
    if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
    if (daysBetween(from, to).length > MAX_BACKFILL_DAYS)
        throw new UsageError(`at most ${MAX_BACKFILL_DAYS} days per run`);
}
