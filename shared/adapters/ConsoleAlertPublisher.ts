/**
 * The alert publisher of the embedded local stack (no Event Hubs): prints each alert as one line on stderr,
 * `ALERT <SEVERITY> <kind> mmsi=<vessels> <details as JSON>`, so `npm start` shows alerts as they are raised.
 * With `quietOlderThanMs`, alerts about older events (the history `npm start` backfills for the maintenance
 * model: weeks of sensor readings raise thousands of alerts) are counted instead of printed; they are stored
 * all the same (`GET /api/alerts`).
 */
import type { AlertPublisher } from '../app/ports.js';
import type { Alert } from '../domain/alerts/alert.js';

/** One line per alert (ends with a newline). */
export function formatAlertLine(a: Alert): string {
    return `ALERT ${a.severity.toUpperCase()} ${a.kind} mmsi=${a.vessels.join(',') || a.mmsi} ${JSON.stringify(a.details)}\n`;
}

export interface ConsoleAlertOptions {
    /** Alerts whose time is more than this long before now are counted (`notPrinted`), not printed. */
    quietOlderThanMs?: number;
    now?: () => number;
}

export class ConsoleAlertPublisher implements AlertPublisher {
    /** Alerts left unprinted because they are about old events. */
    notPrinted = 0;

    constructor(
        private readonly write: (line: string) => void = (line) => void process.stderr.write(line),
        private readonly options: ConsoleAlertOptions = {},
    ) {}

    publish(alerts: readonly Alert[]): Promise<void> {
        const quiet = this.options.quietOlderThanMs;
        const since = quiet === undefined ? -Infinity : (this.options.now ?? Date.now)() - quiet;
        for (const a of alerts) {
            if (a.time < since) this.notPrinted++;
            else this.write(formatAlertLine(a));
        }
        return Promise.resolve();
    }
}
