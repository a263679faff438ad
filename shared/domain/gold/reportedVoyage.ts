/**
 * What a vessel reported about its voyage (AIS type 5: destination, ETA) against what it did: the ETA error and
 * whether the reported destination names the port it arrived at. Pure.
 */
import type { Port } from './portCalls.js';

const DAY_MS = 86_400_000;

/**
 * The epoch ms of an AIS ETA (`MM-DDTHH:MMZ`, UTC, no year) reported at `reportedAt`: the year that puts it
 * nearest to the report (an ETA on 01-02 reported on 30 December is next year's). Null when the text is not a
 * valid date (month 1-12, a day the month has, hour 0-23, minute 0-59).
 *
 * @example resolveEta('01-02T06:00Z', Date.parse('2026-12-30T12:00:00Z')) // Date.parse('2027-01-02T06:00:00Z')
 */
export function resolveEta(eta: string | null | undefined, reportedAt: number): number | null {
    const m = /^(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/.exec(eta ?? '');
    if (m === null) return null;
    const [month, day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
    const year = new Date(reportedAt).getUTCFullYear();
    let best: number | null = null;
    for (const y of [year - 1, year, year + 1]) {
        const t = Date.UTC(y, month - 1, day, hour, minute);
        if (new Date(t).getUTCDate() !== day) continue; // 02-30, or 02-29 outside a leap year
        if (best === null || Math.abs(t - reportedAt) < Math.abs(best - reportedAt)) best = t;
    }
    return best !== null && Math.abs(best - reportedAt) <= 183 * DAY_MS ? best : null;
}

function normalise(text: string): string {
    return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * Whether a reported destination (free text: `NLRTM`, `NL RTM`, `ROTTERDAM`, `DEHAM>NLRTM`) names the port: its
 * UN/LOCODE or its name, ignoring case, spaces and punctuation. Null when nothing was reported.
 */
export function destinationMatches(
    destination: string | null | undefined,
    port: Pick<Port, 'locode' | 'name'>,
): boolean | null {
    const text = normalise(destination ?? '');
    if (text === '') return null;
    const name = normalise(port.name);
    return text.includes(normalise(port.locode)) || (name.length >= 3 && text.includes(name));
}

export interface ReportedVoyage {
    reported_destination: string | null;
    destination_match: boolean | null;
    /** Epoch ms of the ETA the vessel last reported before arriving. */
    reported_eta: number | null;
    /** When that ETA was reported (epoch ms). */
    eta_reported_at: number | null;
    /** Actual arrival - reported ETA, hours (positive: later than reported). */
    eta_error_hours: number | null;
}

/** The voyage's reported columns from the last report before the arrival (or none). */
export function reportedVoyage(
    arrival: number,
    port: Pick<Port, 'locode' | 'name'>,
    report: { destination: string | null; eta: string | null; reportedAt: number } | undefined,
): ReportedVoyage {
    if (report === undefined) {
        return {
            reported_destination: null,
            destination_match: null,
            reported_eta: null,
            eta_reported_at: null,
            eta_error_hours: null,
        };
    }
    const eta = resolveEta(report.eta, report.reportedAt);
    return {
        reported_destination: report.destination,
        destination_match: destinationMatches(report.destination, port),
        reported_eta: eta,
        eta_reported_at: report.reportedAt,
        eta_error_hours: eta === null ? null : (arrival - eta) / 3_600_000,
    };
}
