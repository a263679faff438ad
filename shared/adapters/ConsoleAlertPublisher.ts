/**
 * The alert publisher of the embedded local stack (no Event Hubs): prints alerts on stderr as
 * `ALERT <SEVERITY> <kind> mmsi=<vessels> <details as JSON>`, so `npm start` shows alerts as they are raised.
 *
 * A console is read by a person, so it is summarised; the alerts are stored all the same (`GET /api/alerts`):
 * - per publish (one ingest batch, one timer run) and per kind of alert (kind, the compliance check, severity),
 *   only the newest `detailsPerKind` (3) are printed in full, then one line counts the rest and says where to read
 *   them all: `ALERT CRITICAL compliance-finding cii-projected-rating: 97 in this run, the newest 3 above (all: GET
 *   /api/alerts?kind=compliance-finding&severity=critical)`;
 * - with `quietOlderThanMs`, alerts about older events (the history `npm start` backfills for the maintenance
 *   model: weeks of sensor readings raise thousands of alerts) are counted (`notPrinted`) instead of printed.
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
    /** Alerts of one kind printed in full per publish (the newest); the rest are counted in one line. Default 3. */
    detailsPerKind?: number;
    now?: () => number;
}

/** What groups alerts on the console: severity, kind and, for compliance findings, the check. */
function groupKey(a: Alert): string {
    const check = a.details['check'];
    return `${a.severity} ${a.kind}${typeof check === 'string' ? ` ${check}` : ''}`;
}

export class ConsoleAlertPublisher implements AlertPublisher {
    /** Alerts about old events, counted instead of printed (`quietOlderThanMs`). */
    notPrinted = 0;
    /** Alerts beyond the newest few of their kind in one publish, counted in that kind's summary line. */
    summarised = 0;

    constructor(
        private readonly write: (line: string) => void = (line) => void process.stderr.write(line),
        private readonly options: ConsoleAlertOptions = {},
    ) {}

    publish(alerts: readonly Alert[]): Promise<void> {
        const quiet = this.options.quietOlderThanMs;
        const since = quiet === undefined ? -Infinity : (this.options.now ?? Date.now)() - quiet;
        const limit = Math.max(1, this.options.detailsPerKind ?? 3);
        const groups = new Map<string, Alert[]>();
        for (const a of alerts) {
            if (a.time < since) {
                this.notPrinted++;
                continue;
            }
            const key = groupKey(a);
            const group = groups.get(key);
            if (group === undefined) groups.set(key, [a]);
            else group.push(a);
        }
        for (const [key, group] of groups) {
            if (group.length <= limit) {
                for (const a of group) this.write(formatAlertLine(a));
                continue;
            }
            // The newest few, in the order they were raised, then the count.
            const newest = new Set(
                [...group].sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1)).slice(0, limit),
            );
            for (const a of group) if (newest.has(a)) this.write(formatAlertLine(a));
            this.summarised += group.length - limit;
            const first = group[0]!;
            this.write(
                `ALERT ${key.replace(/^\S+/, (s) => s.toUpperCase())}: ${group.length} in this run, the newest ${limit} above ` +
                    `(all: GET /api/alerts?kind=${first.kind}&severity=${first.severity})\n`,
            );
        }
        return Promise.resolve();
    }
}
