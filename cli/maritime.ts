/**
 * `maritime` command-line entry (bin/maritime.js imports the compiled form of this file).
 * Dispatches `maritime <command> [args]` through the table in `cli/commands/index.ts`.
 */
import { parseArgs } from 'node:util';

import { listenToParent } from '../local/stopSignals.js';
import { UsageError } from './command.js';
import { commands } from './commands/index.js';
import { needsMallocReexec, REEXEC_MARKER, runningGlibc, runWithMallocSettings } from './mallocReexec.js';

async function topUsage(): Promise<string> {
    const loaded = await Promise.all(commands.map((c) => c.load()));
    const width = Math.max(...loaded.map((c) => c.name.length));
    const list = loaded.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
    return `Usage: maritime <command> [options]\n\nCommands:\n${list}\n\nRun 'maritime <command> --help' for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
    const first = argv[0];
    if (first === undefined || first.startsWith('-')) {
        const { values } = parseArgs({
            args: argv,
            options: { help: { type: 'boolean', short: 'h' } },
            strict: false,
            allowPositionals: true,
        });
        if (values.help === true) {
            process.stdout.write(await topUsage());
            return 0;
        }
        process.stderr.write(
            first === undefined
                ? await topUsage()
                : `maritime: unknown option ${first}\n\n${await topUsage()}`,
        );
        return 2;
    }
    const entry = commands.find((c) => c.name === first);
    if (entry === undefined) {
        process.stderr.write(`maritime: unknown command '${first}'\n\n${await topUsage()}`);
        return 2;
    }
    const reexec = {
        command: first,
        env: process.env,
        platform: process.platform,
        execArgv: process.execArgv,
        glibc: runningGlibc,
    };
    if (needsMallocReexec(reexec)) return runWithMallocSettings(process.argv[1]!, argv);
    if (process.env[REEXEC_MARKER] !== undefined) listenToParent();
    const cmd = await entry.load();
    try {
        return await cmd.run(argv.slice(1));
    } catch (e) {
        if (e instanceof UsageError || isParseArgsError(e)) {
            process.stderr.write(`maritime ${cmd.name}: ${(e as Error).message}\n\n${cmd.usage}`);
            return 2;
        }
        process.stderr.write(`maritime ${cmd.name}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
    }
}

function isParseArgsError(e: unknown): boolean {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

process.exitCode = await main(process.argv.slice(2));
