/**
 * The error hierarchy of the pipeline. Adapters translate SDK errors into these types once, at the boundary;
 * use cases and handlers only ever look at these.
 */

/** Base of every error the pipeline raises on purpose. Keeps `cause` (ErrorOptions). */
export class PipelineError extends Error {
    override name = 'PipelineError';

    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
    }
}

/** Permanent: the input is wrong (a record goes to quarantine, an HTTP request gets 400). */
export class ValidationError extends PipelineError {
    override name = 'ValidationError';
}

/** Transient infrastructure failure (5xx, 408, 429 after SDK retries, network): the invocation should retry. */
export class DependencyError extends PipelineError {
    override name = 'DependencyError';
    /** HTTP status of the failed call when there was one. */
    readonly statusCode: number | undefined;

    constructor(message: string, options?: ErrorOptions & { statusCode?: number }) {
        super(message, options);
        this.statusCode = options?.statusCode;
    }
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends PipelineError {
    override name = 'NotFoundError';
}

/**
 * A storage container, Cosmos DB database or container the app needs does not exist (emulators: run
 * `npx maritime setup`; Azure: the Bicep deployment creates them). `resources` names each one.
 */
export class MissingResourceError extends PipelineError {
    override name = 'MissingResourceError';
    readonly resources: readonly string[];

    constructor(resources: readonly string[], options?: ErrorOptions) {
        super(
            `Missing ${resources.join(', ')}: create ${resources.length === 1 ? 'it' : 'them'} with \`npx maritime setup\` ` +
                '(emulators, func start) or deploy infra/bicep (Azure)',
            options,
        );
        this.resources = resources;
    }
}

/** The app settings are missing or invalid; `problems` lists every one of them. */
export class ConfigError extends PipelineError {
    override name = 'ConfigError';
    readonly problems: readonly string[];

    constructor(problems: readonly string[], options?: ErrorOptions) {
        super(`Invalid configuration (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`, options);
        this.problems = problems;
    }
}

/**
 * A run cut short because its host is stopping (the local stack's Ctrl-C, the Functions host's shutdown): not a
 * failure. The job leaves its window as a crash would (nothing partial visible, its run ledger lease handed back),
 * and the next run does it again.
 */
export class StoppedError extends PipelineError {
    override name = 'StoppedError';
}

/** Throws a StoppedError when `signal` is aborted (a check between the steps and files of a long run). */
export function throwIfStopped(signal: AbortSignal | undefined, what = 'run'): void {
    if (signal?.aborted === true) throw stoppedError(signal, what);
}

/** The StoppedError for an aborted `signal` (its reason, when that is one already). */
export function stoppedError(signal: AbortSignal | undefined, what = 'run'): StoppedError {
    const reason: unknown = signal?.reason;
    if (reason instanceof StoppedError) return reason;
    const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'stopping';
    return new StoppedError(`${what} stopped: ${why}`);
}

/** Whether `error` is a stop (a StoppedError, or any error thrown once `signal` was aborted: an interrupted query). */
export function isStopped(error: unknown, signal?: AbortSignal): boolean {
    return (
        (error instanceof Error && error.name === 'StoppedError') ||
        (signal?.aborted === true && error !== undefined)
    );
}

/** Turns anything thrown into an Error, with a message that says what it was. */
export function ensureError(value: unknown): Error {
    if (value instanceof Error) return value;
    if (typeof value === 'string') return new Error(value);
    if (value === null || value === undefined) return new Error(`Thrown value was ${String(value)}`);
    let text: string;
    try {
        text = JSON.stringify(value);
    } catch {
        text = Object.prototype.toString.call(value);
    }
    return new Error(`Non-error value thrown: ${text}`, { cause: value });
}
