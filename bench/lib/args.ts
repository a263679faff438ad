/**
 * The command line of a bench script: `node:util` parseArgs, with a usage line instead of a Node stack trace.
 * `--help` (or `-h`) prints the usage and exits 0; an unknown option or a missing value prints what is wrong and the
 * usage on stderr and exits 2. The usage is made from the options themselves (defaults shown), so it never drifts.
 *
 *   const { values } = benchArgs({ options: { minutes: { type: 'string', default: '30' } } });
 */
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where the command line comes from and goes to (tests pass their own). */
export interface BenchArgsIo {
    argv: readonly string[];
    /** The script's path, for the usage line (dist/bench/NAME.js). */
    script: string;
    out: (text: string) => void;
    err: (text: string) => void;
    exit: (code: number) => never;
}

function processIo(): BenchArgsIo {
    return {
        argv: process.argv.slice(2),
        script: process.argv[1] ?? 'bench',
        out: (t) => void process.stdout.write(t),
        err: (t) => void process.stderr.write(t),
        exit: (code) => process.exit(code),
    };
}

/** `usage: node dist/bench/soak.js [--minutes 30] [--warmup VALUE] [--builds]` from the parseArgs options. */
export function usageLine(script: string, config: ParseArgsConfig): string {
    const parts = Object.entries(config.options ?? {}).map(([name, o]) => {
        const short = o.short === undefined ? '' : `-${o.short}|`;
        if (o.type === 'boolean') return `[${short}--${name}]`;
        const value = o.default === undefined ? 'VALUE' : String(o.default);
        return `[${short}--${name} ${value}]${o.multiple === true ? '...' : ''}`;
    });
    if (config.allowPositionals === true) parts.push('[ARGS...]');
    return `usage: node dist/bench/${basename(script)} ${parts.join(' ')}`.trimEnd();
}

/** parseArgs over the bench's command line, with `--help` and a usage line for a bad option (exit 2). */
export function benchArgs<T extends ParseArgsConfig>(
    config: T,
    io: BenchArgsIo = processIo(),
): ReturnType<typeof parseArgs<T>> {
    const usage = usageLine(io.script, config);
    const end = io.argv.indexOf('--');
    const own = end < 0 ? io.argv : io.argv.slice(0, end);
    if (own.includes('--help') || own.includes('-h')) {
        io.out(`${usage}\n`);
        return io.exit(0);
    }
    try {
        // parseArgs reads `config.args` (its type does not change the results' type).
        return parseArgs({ ...config, args: [...io.argv] }) as unknown as ReturnType<typeof parseArgs<T>>;
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
        io.err(`${basename(io.script)}: ${(error as Error).message}\n${usage}\n`);
        return io.exit(2);
    }
}
