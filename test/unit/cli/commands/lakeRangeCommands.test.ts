/**
 * `maritime compact` and `maritime gold` up to the point where they load the lake (nothing is opened): --help, the
 * usage errors of their arguments.
 */
import { describe, expect, it, jest } from '@jest/globals';

import { UsageError } from '../../../../cli/command.js';
import { compactCommand } from '../../../../cli/commands/compact.js';
import { goldCommand } from '../../../../cli/commands/gold.js';

describe.each([
    ['compact', compactCommand],
    ['gold', goldCommand],
])('maritime %s', (name, command) => {
    it('prints its usage for --help and exits 0', async () => {
        const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
        try {
            await expect(command.run(['--help'])).resolves.toBe(0);
            expect(write.mock.calls).toEqual([[`${command.usage}\n`]]);
            expect(command.usage).toMatch(
                new RegExp(`^Usage: maritime ${name} --from YYYY-MM-DD --to YYYY-MM-DD`),
            );
        } finally {
            write.mockRestore();
        }
    });

    it('refuses a missing --to, unknown options and positionals before opening anything', async () => {
        await expect(command.run(['--from', '2026-11-01'])).rejects.toThrow(
            new UsageError('--from and --to are required'),
        );
        await expect(command.run(['--from', '2026-11-01', '--to', '2026-11-01', '--bogus'])).rejects.toThrow(
            /--bogus/,
        );
        await expect(command.run(['2026-11-01'])).rejects.toThrow(/positional/);
    });
});

describe('option differences', () => {
    it('gold takes --shards N (a positive integer); compact does not', async () => {
        await expect(
            goldCommand.run(['--from', '2026-11-01', '--to', '2026-11-01', '--shards', '0']),
        ).rejects.toThrow(UsageError);
        await expect(
            compactCommand.run(['--from', '2026-11-01', '--to', '2026-11-01', '--shards', '2']),
        ).rejects.toThrow(/--shards/);
    });

    it('compact checks the days itself; gold leaves them to the backfill', async () => {
        await expect(compactCommand.run(['--from', 'yesterday', '--to', '2026-11-01'])).rejects.toThrow(
            new UsageError("not a date (YYYY-MM-DD): 'yesterday'"),
        );
    });
});
