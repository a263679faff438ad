/**
 * The shape of a `maritime` subcommand. Add a command by writing `cli/commands/<name>.ts` exporting one of
 * these and listing it in `cli/commands/index.ts`.
 */
export interface Command {
    /** The word after `maritime`. */
    name: string;
    /** One line for `maritime --help`. */
    summary: string;
    /** Full usage text for `maritime <name> --help`. */
    usage: string;
    /** Runs with the arguments after the command name; resolves to the process exit code. */
    run(argv: string[]): Promise<number>;
}

/** A wrong invocation: printed with the command's usage hint, exit code 2. */
export class UsageError extends Error {}
