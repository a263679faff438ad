import { parseArgs } from 'node:util';

import { describe, expect, it, jest } from '@jest/globals';

import { UsageError } from '../../../cli/command.js';
import {
    checkDayRange,
    LAKE_RANGE_USAGE,
    lakeDayRange,
    lakeRange,
    LOCAL_STACK_USAGE,
    localStackOptions,
    parseLakeRangeArgs,
    rangeOptions,
} from '../../../cli/lakeRangeOptions.js';

const parse = (args: string[]) =>
    parseArgs({
        args,
        options: { ...rangeOptions, ...localStackOptions },
        strict: true,
        allowPositionals: false,
    }).values;

describe('lake range options', () => {
    it('parses --from/--to with --local and --data-dir, defaulting to the remote settings and .local', () => {
        expect(lakeDayRange(parse(['--from', '2026-11-01', '--to', '2026-11-03']))).toEqual({
            from: '2026-11-01',
            to: '2026-11-03',
            local: false,
            dataDir: '.local',
        });
        expect(
            lakeDayRange(
                parse(['--from', '2026-11-01', '--to', '2026-11-01', '--local', '--data-dir', '/tmp/x']),
            ),
        ).toEqual({
            from: '2026-11-01',
            to: '2026-11-01',
            local: true,
            dataDir: '/tmp/x',
        });
    });

    it('requires both --from and --to', () => {
        for (const args of [[], ['--from', '2026-11-01'], ['--to', '2026-11-01']]) {
            expect(() => lakeRange(parse(args))).toThrow(new UsageError('--from and --to are required'));
            expect(() => lakeDayRange(parse(args))).toThrow(UsageError);
        }
    });

    it('lakeRange leaves the days to the caller; lakeDayRange checks them', () => {
        const values = parse(['--from', 'yesterday', '--to', '2026-11-01']);
        expect(lakeRange(values)).toMatchObject({ from: 'yesterday', to: '2026-11-01' });
        expect(() => lakeDayRange(values)).toThrow(new UsageError("not a date (YYYY-MM-DD): 'yesterday'"));
    });

    it('rejects a range out of order or longer than 366 days', () => {
        expect(() => checkDayRange('2026-11-02', '2026-11-01')).toThrow(
            new UsageError('--to 2026-11-01 is before --from 2026-11-02'),
        );
        expect(() => checkDayRange('2025-01-01', '2026-01-01')).not.toThrow(); // 366 days inclusive
        expect(() => checkDayRange('2025-01-01', '2026-01-02')).toThrow(
            new UsageError('at most 366 days per run'),
        );
        expect(() => checkDayRange('2026-11-01', '2026-13-01')).toThrow(UsageError);
    });

    it('rejects options it does not know (strict parsing)', () => {
        expect(() => parse(['--from', '2026-11-01', '--to', '2026-11-01', '--shards', '2'])).toThrow();
    });

    it("parseLakeRangeArgs: the shared options plus the command's own string options, strict, no positionals", () => {
        expect(
            parseLakeRangeArgs(['--from', '2026-11-01', '--to', '2026-11-02', '--local'], 'usage'),
        ).toEqual({
            from: '2026-11-01',
            to: '2026-11-02',
            local: true,
            'data-dir': '.local',
            help: false,
        });
        expect(
            parseLakeRangeArgs(['--from', '2026-11-01', '--to', '2026-11-02', '--shards', '4'], 'usage', [
                'shards',
            ]),
        ).toMatchObject({ shards: '4', local: false });
        expect(() => parseLakeRangeArgs(['--shards', '4'], 'usage')).toThrow(/--shards/);
        expect(() => parseLakeRangeArgs(['2026-11-01'], 'usage')).toThrow(/positional/);
    });

    it('parseLakeRangeArgs: --help / -h prints the usage and gives undefined', () => {
        const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
        try {
            expect(parseLakeRangeArgs(['--help'], 'Usage: maritime x')).toBeUndefined();
            expect(
                parseLakeRangeArgs(['-h', '--from', 'x'], 'Usage: maritime x', ['shards']),
            ).toBeUndefined();
            expect(write.mock.calls).toEqual([['Usage: maritime x\n'], ['Usage: maritime x\n']]);
        } finally {
            write.mockRestore();
        }
    });

    it('describes the options in the usage lines', () => {
        expect(LAKE_RANGE_USAGE).toBe(
            '  --from, --to        the range of UTC days, inclusive (at most 366 days)',
        );
        expect(LOCAL_STACK_USAGE.split('\n').map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
            '--local',
            '--data-dir DIR',
        ]);
    });
});
