/**
 * Use case: one Event Hub batch of maintenance log events (the labels of the predictive-maintenance model) into
 * bronze (as received), quarantine (with a reason code) and silver `maintenance_events` (by event hour), through
 * the ingest skeleton (ingestBatch.ts; metrics `maintenance.*`). No alerts, no state.
 *
 * An event body is one or more log lines (JSON lines and/or CSV rows, `shared/domain/maintenance/events.ts`);
 * each line is one item: `received = accepted + quarantined + duplicates (+ skipped)`. Data errors never throw.
 * Idempotent: blob names derive from the partition and sequence range, so a redelivered batch overwrites itself;
 * the silver rows carry the deterministic event id, so a log sent twice in two batches can be de-duplicated on
 * read (`event_id`), as the features do.
 */
import { isEmptyBody } from '../domain/formats/emptyBody.js';
import {
    type MaintenanceEvent,
    maintenanceEventId,
    parseMaintenanceBody,
} from '../domain/maintenance/events.js';
import {
    ingestBatch,
    type IngestCoreDeps,
    type IngestFeed,
    type IngestStory,
    type IngestSummary,
    newSummary,
    skippedSummary,
} from './ingestBatch.js';
import type { EventMetadata, ReceivedEvent } from './ports.js';
import { maintenanceEventRow } from './silverRows.js';
import { MAINTENANCE_COLUMNS, MAINTENANCE_EVENTS_TABLE } from './silverTables.js';

export const MAINTENANCE_SOURCE = 'maintenance';

export type MaintenanceIngestDeps = Omit<IngestCoreDeps, 'alerts' | 'publisher'>;

export type MaintenanceBatchSummary = IngestSummary;

interface Accepted {
    event: MaintenanceEvent;
    meta: EventMetadata;
}

/** The feed at processing time `now` (parsing checks event times against it). */
function maintenanceFeed(now: number): IngestFeed<MaintenanceBatchSummary> {
    return {
        source: MAINTENANCE_SOURCE,
        emptySummary: (events) => newSummary(events, {}),
        countItems: (events) =>
            events.reduce(
                (n, e) => n + (isEmptyBody(e.body) ? 1 : parseMaintenanceBody(e.body, now).length),
                0,
            ),
    };
}

function maintenanceStory(now: number): IngestStory<MaintenanceBatchSummary, Accepted> {
    return {
        ...maintenanceFeed(now),
        admit(events, ledger, _summary, at) {
            const accepted: Accepted[] = [];
            for (const e of ledger.withBodies(events, 'json')) {
                for (const outcome of parseMaintenanceBody(e.body, at)) {
                    if (!outcome.ok) {
                        ledger.reject(
                            { raw: outcome.raw, format: 'json' },
                            e.meta,
                            outcome.reason,
                            outcome.detail,
                        );
                        continue;
                    }
                    if (!ledger.firstSight(maintenanceEventId(outcome.event))) continue;
                    ledger.accept();
                    accepted.push({ event: outcome.event, meta: e.meta });
                }
            }
            return accepted;
        },
        plan: (accepted, _summary, at) =>
            Promise.resolve({
                silver: [
                    {
                        table: MAINTENANCE_EVENTS_TABLE,
                        columns: MAINTENANCE_COLUMNS,
                        rows: accepted.map((a) => maintenanceEventRow(a.event, a.meta, at)),
                    },
                ],
                alerts: [],
            }),
    };
}

/** The summary of a batch that did not land (dead-lettered): each of its log lines counted as skipped. */
export function skippedMaintenanceSummary(
    events: readonly ReceivedEvent[],
    now: number,
): MaintenanceBatchSummary {
    return skippedSummary(maintenanceFeed(now), events);
}

export async function ingestMaintenanceBatch(
    events: readonly ReceivedEvent[],
    deps: MaintenanceIngestDeps,
): Promise<MaintenanceBatchSummary> {
    return ingestBatch(events, maintenanceStory(deps.clock.now()), deps);
}
