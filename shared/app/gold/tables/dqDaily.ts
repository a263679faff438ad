/**
 * `dq_daily`: data quality per layer, source and UTC day. Three kinds of rows:
 *
 * - `bronze` per ingest source (`ais`, `sensors`): batches, events, items received, accepted, quarantined, duplicates
 *   and skipped (dead-lettered), from the ingest's batch records (silver `ingest_batches`), by the day the batch was
 *   enqueued; `received = accepted + quarantined + duplicates + skipped` holds for every row.
 * - `quarantine` per ingest source: items quarantined, and by reason code (`quarantined_by_reason`), same days.
 * - `silver` per silver table (`ais_positions`, `ais_static`, `sensor_readings`), by event day: records, duplicate
 *   copies (rows sharing the table's key and event time beyond the first: the same fix heard by two receivers,
 *   a replay), late arrivals (records that reached silver after their event day had ended, i.e. after the day's
 *   first final build could have run), newest event time.
 *
 * `freshness_seconds` is the age of the newest record at build time (`built_at - newest_time`): for today it says
 * how far behind the feed is; for a closed day it grows with the build time and mostly says when the data stopped.
 *
 * The silver counts are sums over the vessels of each shard (a shard's duplicates share its vessels' keys); the
 * ingest counts are read by shard 0 only (batch records have no vessel), and the day's last step adds them up.
 */
import { INGEST_BATCHES_TABLE } from '../../ingestBatches.js';
import type { GoldSession, ParquetColumn, Shard } from '../../ports.js';
import { type DayWindow, sqlTimestamp } from '../window.js';

export const DQ_DAILY_TABLE = 'dq_daily';

export const DQ_DAILY_COLUMNS: readonly ParquetColumn[] = [
    { name: 'date', type: 'STRING' },
    { name: 'layer', type: 'STRING' },
    { name: 'source', type: 'STRING' },
    { name: 'partial', type: 'BOOLEAN' },
    { name: 'built_at', type: 'TIMESTAMP_MILLIS' },
    { name: 'batches', type: 'INT64' },
    { name: 'events', type: 'INT64' },
    { name: 'received', type: 'INT64' },
    { name: 'accepted', type: 'INT64' },
    { name: 'quarantined', type: 'INT64' },
    { name: 'quarantined_by_reason', type: 'JSON' },
    { name: 'duplicates', type: 'INT64' },
    { name: 'skipped', type: 'INT64' },
    { name: 'records', type: 'INT64' },
    { name: 'late_arrivals', type: 'INT64' },
    { name: 'newest_time', type: 'TIMESTAMP_MILLIS' },
    { name: 'freshness_seconds', type: 'DOUBLE' },
];

/** The ingest sources that always get a row (zero counts when nothing arrived). */
export const DQ_INGEST_SOURCES = ['ais', 'sensors'] as const;

/** The silver tables checked, with the key that makes a record unique besides its event time. */
export const DQ_SILVER_TABLES: readonly { table: string; key: readonly string[] }[] = [
    { table: 'ais_positions', key: ['mmsi'] },
    { table: 'ais_static', key: ['mmsi', 'part'] },
    { table: 'sensor_readings', key: ['vessel_key', 'sensor_id', 'quantity'] },
];

export interface SilverDq {
    records: number;
    duplicates: number;
    lateArrivals: number;
    newestTime: number | null;
}

export interface IngestDq {
    source: string;
    batches: number;
    events: number;
    received: number;
    accepted: number;
    quarantined: number;
    duplicates: number;
    skipped: number;
    newestTime: number | null;
    byReason: Record<string, number>;
    /** Newest enqueued time of the batches that quarantined something. */
    newestQuarantinedTime: number | null;
}

/** One shard's part of the day's data quality; `ingest` only from shard 0. */
export interface DqPart {
    silver: Record<string, SilverDq>;
    ingest?: IngestDq[];
}

/** Per silver table: records of the window, duplicate copies, late arrivals, newest event time. */
export function silverDqSql(w: DayWindow, table: string, key: readonly string[]): string {
    return `
SELECT COALESCE(SUM(n), 0) AS records,
       COALESCE(SUM(n - 1), 0) AS duplicates,
       COALESCE(SUM(late), 0) AS late_arrivals,
       MAX(newest) AS newest_time
FROM (
    SELECT COUNT(*) AS n,
           SUM(CASE WHEN ingest_time >= ${sqlTimestamp(w.end)} THEN 1 ELSE 0 END) AS late,
           MAX(unix_millis(event_time)) AS newest
    FROM ${table}
    WHERE event_time >= ${sqlTimestamp(w.start)} AND event_time < ${sqlTimestamp(w.cut)}
    GROUP BY ${[...key, 'event_time'].join(', ')}
) copies`;
}

/** The ingest's batch records of the window (by first enqueued time): totals (reason null) and rows per reason. */
export function ingestDqSql(w: DayWindow): string {
    return `
SELECT source, reason,
       COUNT(*) AS batches,
       SUM(events) AS events, SUM(received) AS received, SUM(accepted) AS accepted, SUM(quarantined) AS quarantined,
       SUM(duplicates) AS duplicates, SUM(skipped) AS skipped,
       MAX(unix_millis(last_enqueued_time)) AS newest_time
FROM ${INGEST_BATCHES_TABLE}
WHERE first_enqueued_time >= ${sqlTimestamp(w.start)} AND first_enqueued_time < ${sqlTimestamp(w.cut)}
GROUP BY source, reason
ORDER BY source, reason`;
}

/** Runs the data-quality SQL of one shard. */
export async function dqPart(session: GoldSession, w: DayWindow, shard: Shard): Promise<DqPart> {
    const silver: Record<string, SilverDq> = {};
    for (const { table, key } of DQ_SILVER_TABLES) {
        const r = (await session.query(silverDqSql(w, table, key)))[0] ?? {};
        silver[table] = {
            records: Number(r.records ?? 0),
            duplicates: Number(r.duplicates ?? 0),
            lateArrivals: Number(r.late_arrivals ?? 0),
            newestTime: (r.newest_time as number | null | undefined) ?? null,
        };
    }
    if (shard.index !== 0) return { silver };
    const ingest = new Map<string, IngestDq>();
    for (const r of await session.query(ingestDqSql(w))) {
        const source = r.source as string;
        let s = ingest.get(source);
        if (s === undefined) ingest.set(source, (s = emptyIngest(source)));
        const reason = r.reason as string | null;
        if (reason === null) {
            s.batches = Number(r.batches);
            s.events = Number(r.events);
            s.received = Number(r.received);
            s.accepted = Number(r.accepted);
            s.quarantined = Number(r.quarantined);
            s.duplicates = Number(r.duplicates);
            s.skipped = Number(r.skipped);
            s.newestTime = r.newest_time as number;
        } else {
            s.byReason[reason] = Number(r.quarantined);
            s.newestQuarantinedTime = Math.max(s.newestQuarantinedTime ?? 0, r.newest_time as number);
        }
    }
    return { silver, ingest: [...ingest.values()] };
}

function emptyIngest(source: string): IngestDq {
    return {
        source,
        batches: 0,
        events: 0,
        received: 0,
        accepted: 0,
        quarantined: 0,
        duplicates: 0,
        skipped: 0,
        newestTime: null,
        byReason: {},
        newestQuarantinedTime: null,
    };
}

function maxOrNull(a: number | null, b: number | null): number | null {
    return a === null ? b : b === null ? a : Math.max(a, b);
}

/** The `dq_daily` rows of a day from its shards' parts (in shard order). */
export function dqRows(w: DayWindow, builtAt: number, parts: readonly DqPart[]): Record<string, unknown>[] {
    const freshness = (t: number | null): number | null => (t === null ? null : (builtAt - t) / 1000);
    const base = (layer: string, source: string) => ({
        date: w.day,
        layer,
        source,
        partial: w.partial,
        built_at: builtAt,
        batches: null,
        events: null,
        received: null,
        accepted: null,
        quarantined: null,
        quarantined_by_reason: null,
        duplicates: null,
        skipped: null,
        records: null,
        late_arrivals: null,
    });
    const ingest = new Map<string, IngestDq>(DQ_INGEST_SOURCES.map((s) => [s, emptyIngest(s)]));
    for (const p of parts) for (const s of p.ingest ?? []) ingest.set(s.source, s);
    const rows: Record<string, unknown>[] = [];
    for (const s of [...ingest.values()].sort((a, b) => (a.source < b.source ? -1 : 1))) {
        rows.push({
            ...base('bronze', s.source),
            batches: s.batches,
            events: s.events,
            received: s.received,
            accepted: s.accepted,
            quarantined: s.quarantined,
            duplicates: s.duplicates,
            skipped: s.skipped,
            newest_time: s.newestTime,
            freshness_seconds: freshness(s.newestTime),
        });
        rows.push({
            ...base('quarantine', s.source),
            quarantined: s.quarantined,
            quarantined_by_reason: s.byReason,
            newest_time: s.newestQuarantinedTime,
            freshness_seconds: freshness(s.newestQuarantinedTime),
        });
    }
    for (const { table } of DQ_SILVER_TABLES) {
        const sum: SilverDq = { records: 0, duplicates: 0, lateArrivals: 0, newestTime: null };
        for (const p of parts) {
            const s = p.silver[table];
            if (s === undefined) continue;
            sum.records += s.records;
            sum.duplicates += s.duplicates;
            sum.lateArrivals += s.lateArrivals;
            sum.newestTime = maxOrNull(sum.newestTime, s.newestTime);
        }
        rows.push({
            ...base('silver', table),
            records: sum.records,
            duplicates: sum.duplicates,
            late_arrivals: sum.lateArrivals,
            newest_time: sum.newestTime,
            freshness_seconds: freshness(sum.newestTime),
        });
    }
    return rows;
}
