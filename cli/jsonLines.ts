/**
 * The loop of the JSON-lines calculators (`maritime cii`, `maritime emissions`): one JSON object per input line,
 * one JSON object per output line. A bad line prints `{"error":"...","field":"...","line":N}` in its place and the
 * run goes on; blank lines are skipped. Exit code 0 unless reading or writing fails.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { type Command, UsageError } from './command.js';
import { LineWriter, openInput } from './io.js';

/** An input problem of one line: `field` names the input at fault. */
export interface FieldError {
    field: string;
    message: string;
}

export async function runJsonLines(
    file: string | undefined,
    compute: (json: unknown) => unknown,
    asFieldError: (e: unknown) => FieldError | undefined,
): Promise<{ lines: number; errors: number }> {
    const input = await openInput(file);
    const out = new LineWriter(process.stdout);
    let inputError: Error | undefined;
    input.on('error', (e) => {
        inputError = e;
    });
    const rl = createInterface({ input, crlfDelay: Infinity });
    input.on('error', () => rl.close());
    let lineNo = 0;
    let lines = 0;
    let errors = 0;
    for await (const line of rl) {
        lineNo++;
        if (line.trim() === '') continue;
        lines++;
        let result: string;
        try {
            let json: unknown;
            try {
                json = JSON.parse(line);
            } catch (e) {
                throw Object.assign(new Error(`not JSON: ${(e as Error).message}`), { field: '(line)' });
            }
            result = JSON.stringify(compute(json));
        } catch (e) {
            errors++;
            const fe = asFieldError(e) ?? {
                field: (e as { field?: string }).field ?? '(line)',
                message: e instanceof Error ? e.message : String(e),
            };
            const error = fe.message.startsWith(fe.field) ? fe.message : `${fe.field}: ${fe.message}`;
            result = JSON.stringify({ error, field: fe.field, line: lineNo });
        }
        await out.line(result);
        if (out.closed) break;
    }
    rl.close();
    await out.flush();
    if (inputError !== undefined) throw new Error(`reading input failed: ${inputError.message}`);
    if (out.error !== undefined) throw new Error(`writing output failed: ${out.error.message}`);
    return { lines, errors };
}

/** A `maritime <name> [FILE]` command that maps each JSON input line through `compute`. */
export function jsonLinesCommand(spec: {
    name: string;
    summary: string;
    usage: string;
    compute: (json: unknown) => unknown;
    asFieldError: (e: unknown) => FieldError | undefined;
}): Command {
    return {
        name: spec.name,
        summary: spec.summary,
        usage: spec.usage,
        async run(argv) {
            const { values, positionals } = parseArgs({
                args: argv,
                options: { help: { type: 'boolean', short: 'h', default: false } },
                allowPositionals: true,
                strict: true,
            });
            if (values.help) {
                process.stdout.write(spec.usage);
                return 0;
            }
            if (positionals.length > 1)
                throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
            await runJsonLines(positionals[0], spec.compute, spec.asFieldError);
            return 0;
        },
    };
}
