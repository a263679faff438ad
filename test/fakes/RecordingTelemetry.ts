/** Logger and Metrics for use-case tests: record every line and every tracked value, in order. */
import type { Logger, Metrics } from '../../shared/app/ports.js';

export interface LoggedLine {
    level: 'debug' | 'info' | 'warn' | 'error';
    message: string;
    props?: Record<string, unknown>;
}

export class RecordingLogger implements Logger {
    readonly lines: LoggedLine[] = [];
    debug = this.#at('debug');
    info = this.#at('info');
    warn = this.#at('warn');
    error = this.#at('error');

    /** The lines with this message. */
    withMessage(message: string): LoggedLine[] {
        return this.lines.filter((l) => l.message === message);
    }

    #at(level: LoggedLine['level']): (message: string, props?: Record<string, unknown>) => void {
        return (message, props) => {
            this.lines.push({ level, message, props });
        };
    }
}

export class RecordingMetrics implements Metrics {
    readonly tracked: { name: string; value: number; properties?: Record<string, string> }[] = [];

    track(name: string, value: number, properties?: Record<string, string>): void {
        this.tracked.push({ name, value, properties });
    }

    /** The values tracked under this name, in order. */
    values(name: string): number[] {
        return this.tracked.filter((t) => t.name === name).map((t) => t.value);
    }
}
