/**
 * Options shared by `maritime start` and `maritime replay` (the embedded local stack).
 */
import type { RunOptions } from '../../local/run.js';
import { appSettingsIn } from '../../shared/config/loadConfig.js';
import { UsageError } from '../command.js';

export const STACK_OPTIONS = {
    port: { type: 'string', default: '7071' },
    partitions: { type: 'string', default: '4' },
    'data-dir': { type: 'string', default: '.local' },
    'in-memory': { type: 'boolean', default: false },
    reset: { type: 'boolean', default: false },
    'max-age-days': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'retry-scale': { type: 'string' },
    'batch-window': { type: 'string' },
    'http-inline': { type: 'boolean', default: false },
    'fault-control': { type: 'boolean', default: false },
    'memory-every': { type: 'string' },
    'function-logs': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
} as const;

export const STACK_USAGE = `Local stack options:
  --port N            HTTP port of the functions (default 7071; 0 = any free port)
  --partitions N      Event Hub partitions of the local hub (default 4)
  --data-dir DIR      where the lake and the vessel state persist between runs (default .local)
  --in-memory         keep nothing on disk
  --reset             delete the persisted data first
  --max-age-days N    EVENT_TIME_MAX_AGE_DAYS for this run (archives with old tag-block times need a large value)
  --quiet             no progress line
  --retry-scale F     multiply the ingest retry delays (2 s .. 32 s) by F, e.g. 0.01 in fault tests (default 1)
  --batch-window S    seconds a partition gathers a batch (default 5, the sensor hub 10; this sets both), e.g. 1 in
                      fault tests
  --http-inline       serve HTTP on the ingest's event loop instead of its own thread (for comparison in bench:api)
  --fault-control     fault injection (the fault harness): read 'stop|start azurite|cosmos' lines on stdin and stop
                      or start that embedded service (Azurite needs a persisted stack, not --in-memory)
  --memory-every S    print a 'memory:' line every S seconds: RSS, each thread's V8 heap, the documents the local
                      Cosmos-protocol server holds, the snapshot size, the timer and queue functions running
                      (npm run soak uses it)
  --function-logs     print the functions' log lines (information and above) on stderr, e.g. '[buildGold]
                      information gold day built {...}' (default: errors only)`;

export function positiveInt(
    name: string,
    value: string | undefined,
    min = 1,
    max = Number.POSITIVE_INFINITY,
): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
        throw new UsageError(
            `--${name} must be an integer ${max === Number.POSITIVE_INFINITY ? `>= ${min}` : `from ${min} to ${max}`}; got '${value}'`,
        );
    }
    return n;
}

export function positiveNumber(
    name: string,
    value: string | undefined,
    max = Number.POSITIVE_INFINITY,
): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > max)
        throw new UsageError(`--${name} must be a number from 0 to ${max}; got '${value}'`);
    return n;
}

export function stackOptions(values: {
    port?: string;
    partitions?: string;
    'data-dir'?: string;
    'in-memory'?: boolean;
    reset?: boolean;
    'max-age-days'?: string;
    quiet?: boolean;
    'retry-scale'?: string;
    'batch-window'?: string;
    'http-inline'?: boolean;
    'fault-control'?: boolean;
    'memory-every'?: string;
    'function-logs'?: boolean;
}): Omit<RunOptions, 'source'> {
    const maxAge = positiveInt('max-age-days', values['max-age-days']);
    const retryScale = positiveNumber('retry-scale', values['retry-scale'], 100);
    const batchWindow = positiveNumber('batch-window', values['batch-window'], 600);
    const memoryEvery = positiveNumber('memory-every', values['memory-every'], 86_400);
    return {
        httpPort: positiveInt('port', values.port, 0) ?? 7071,
        partitions: positiveInt('partitions', values.partitions) ?? 4,
        dataDir: values['data-dir'] ?? '.local',
        inMemory: values['in-memory'] ?? false,
        reset: values.reset ?? false,
        ...(values['http-inline'] ? { httpThread: false } : {}),
        ...(values['fault-control'] ? { faultControl: process.stdin } : {}),
        progressMs: values.quiet ? 0 : 2000,
        ...(memoryEvery ? { memoryEveryMs: memoryEvery * 1000 } : {}),
        ...(values['function-logs'] ? { log: functionLogLine } : {}),
        // the app settings of the user's environment apply to the local stack too (except its connections)
        environment: appSettingsIn(process.env),
        ...(retryScale !== undefined ? { retryDelayScale: retryScale } : {}),
        ...(batchWindow !== undefined ? { batchWindowMs: Math.max(1, Math.round(batchWindow * 1000)) } : {}),
        ...(maxAge !== undefined ? { settings: { EVENT_TIME_MAX_AGE_DAYS: String(maxAge) } } : {}),
    };
}

/** `--function-logs`: a function's log line on stderr (debug and trace left out). */
export function functionLogLine(
    level: string,
    functionName: string,
    message: string,
    write: (line: string) => void = (line) => void process.stderr.write(line),
): void {
    if (level === 'debug' || level === 'trace') return;
    write(`[${functionName}] ${level} ${message}\n`);
}
