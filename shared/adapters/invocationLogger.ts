/**
 * Logger port over the Functions `InvocationContext`, so every log line keeps the invocation's correlation in
 * Application Insights. Messages are constant strings; the data goes in the properties (one JSON object).
 */
import type { Logger } from '../app/ports.js';

/** The part of `InvocationContext` the logger needs (keeps this adapter free of the host package). */
export interface LogContext {
    debug(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
}

export function invocationLogger(context: LogContext): Logger {
    const line = (message: string, props?: Record<string, unknown>): string =>
        props ? `${message} ${JSON.stringify(props)}` : message;
    return {
        debug: (m, p) => context.debug(line(m, p)),
        info: (m, p) => context.info(line(m, p)),
        warn: (m, p) => context.warn(line(m, p)),
        error: (m, p) => context.error(line(m, p)),
    };
}
