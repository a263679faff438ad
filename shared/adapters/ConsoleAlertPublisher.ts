/**
 * The alert publisher of the embedded local stack (no Event Hubs): prints each alert as one line on stderr,
 * `ALERT <SEVERITY> <kind> mmsi=<vessels> <details as JSON>`, so `npm start` shows alerts as they are raised.
 */
import type { AlertPublisher } from '../app/ports.js';
import type { Alert } from '../domain/alerts/alert.js';

/** One line per alert (ends with a newline). */
export function formatAlertLine(a: Alert): string {
    return `ALERT ${a.severity.toUpperCase()} ${a.kind} mmsi=${a.vessels.join(',') || a.mmsi} ${JSON.stringify(a.details)}\n`;
}

export class ConsoleAlertPublisher implements AlertPublisher {
    constructor(private readonly write: (line: string) => void = (line) => void process.stderr.write(line)) {}

    publish(alerts: readonly Alert[]): Promise<void> {
        for (const a of alerts) this.write(formatAlertLine(a));
        return Promise.resolve();
    }
}
