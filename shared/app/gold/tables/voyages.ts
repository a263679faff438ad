/**
 * `voyages`: the voyages come from the port-call state machine (`shared/domain/gold/portCalls.ts`); this module adds
 * what the vessel reported (AIS type 5 destination and ETA) against where and when it actually arrived. The SQL
 * finds, per voyage that ended in the window, the vessel's last report with an ETA between its departure and its
 * arrival; the year of the ETA and the comparison are pure domain functions (`reportedVoyage.ts`).
 *
 * Only the window's silver is read: a vessel whose last report before arriving came on an earlier day (it arrived
 * just after midnight and was silent since) has no reported columns for that voyage.
 */
import type { PortIndex, Voyage } from '../../../domain/gold/portCalls.js';
import { type ReportedVoyage, reportedVoyage } from '../../../domain/gold/reportedVoyage.js';
import type { GoldSession } from '../../ports.js';
import { type DayWindow, sqlTimestamp } from '../window.js';

/** The last report with an ETA before each voyage's arrival (the voyages inlined as a VALUES table). */
export function voyageReportsSql(
    w: DayWindow,
    voyages: readonly Pick<Voyage, 'mmsi' | 'departure' | 'arrival'>[],
): string {
    const values = voyages
        .map((v) => `(${Math.trunc(v.mmsi)}, ${Math.trunc(v.departure)}, ${Math.trunc(v.arrival)})`)
        .join(', ');
    return `
WITH v AS (SELECT * FROM (VALUES ${values}) AS v(mmsi, departure, arrival)),
reports AS (
    SELECT v.mmsi, v.arrival, s.destination, s.eta, unix_millis(s.event_time) AS reported_at,
           ROW_NUMBER() OVER (PARTITION BY v.mmsi, v.arrival ORDER BY s.event_time DESC) AS newest
    FROM v
    JOIN ais_static s ON s.mmsi = v.mmsi
    WHERE s.eta IS NOT NULL
      AND s.event_time >= ${sqlTimestamp(w.start)} AND s.event_time < ${sqlTimestamp(w.cut)}
      AND unix_millis(s.event_time) >= v.departure AND unix_millis(s.event_time) <= v.arrival
)
SELECT mmsi, arrival, destination, eta, reported_at FROM reports WHERE newest = 1`;
}

/** The voyages with their reported columns. */
export async function withReports(
    session: GoldSession,
    w: DayWindow,
    voyages: readonly Voyage[],
    ports: PortIndex,
): Promise<(Voyage & ReportedVoyage)[]> {
    if (voyages.length === 0) return [];
    const reports = new Map(
        (await session.query(voyageReportsSql(w, voyages))).map((r) => [
            `${String(r.mmsi)}|${String(r.arrival)}`,
            {
                destination: r.destination as string | null,
                eta: r.eta as string | null,
                reportedAt: r.reported_at as number,
            },
        ]),
    );
    return voyages.map((v) => ({
        ...v,
        ...reportedVoyage(
            v.arrival,
            ports.get(v.to_locode) ?? { locode: v.to_locode, name: '' },
            reports.get(`${v.mmsi}|${v.arrival}`),
        ),
    }));
}
