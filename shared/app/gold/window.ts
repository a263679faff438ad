/** The window of a gold build: one UTC day, cut at the build time while the day is still open. */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface DayWindow {
    /** `YYYY-MM-DD` (UTC). */
    day: string;
    /** Epoch ms of 00:00 UTC. */
    start: number;
    /** Epoch ms of the next day's 00:00 UTC. */
    end: number;
    /** Where the data is cut: `end` for a closed day, the build time for today so far. */
    cut: number;
    /** True while the day is still open (rows marked `partial`). */
    partial: boolean;
    /** The run that builds the window (lineage run id): every gold row it writes carries it as `run_id`. */
    runId?: string;
}

export function isDay(text: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const t = Date.parse(`${text}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === text;
}

export function dayOf(epochMs: number): string {
    return new Date(epochMs).toISOString().slice(0, 10);
}

export function dayStart(day: string): number {
    return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, n: number): string {
    return dayOf(dayStart(day) + n * DAY_MS);
}

/**
 * The window of `day` as seen at `now`: cut at `now` while the day is open, and partial until `graceMs` after its
 * end (late fixes of a closed day still arrive for a while; the day is final after the grace period).
 */
export function dayWindow(day: string, now: number, graceMs = 0): DayWindow {
    const start = dayStart(day);
    const end = start + DAY_MS;
    return { day, start, end, cut: Math.min(end, Math.max(start, now)), partial: now < end + graceMs };
}

/** Days from `from` to `to` inclusive, oldest first. */
export function daysBetween(from: string, to: string): string[] {
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
    return out;
}

/** A TIMESTAMP literal both DuckDB and Spark SQL read (UTC). */
export function sqlTimestamp(epochMs: number): string {
    return `TIMESTAMP '${new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '')}'`;
}
