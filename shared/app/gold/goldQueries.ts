/**
 * Query use cases behind the gold endpoints. Same conventions as the other endpoints: a 400 naming the bad
 * parameter, continuation paging, bounded date ranges.
 */
import { NotFoundError, ValidationError } from '../../errors.js';
import { type Params, parseContinuation, parseDay, parseLimit, parseMmsi } from '../params.js';
import type { GoldDocument, GoldStore } from '../ports.js';
import { addDays, dayOf } from './window.js';

/** Longest day range one request may ask for. */
export const MAX_GOLD_RANGE_DAYS = 92;
const DEFAULT_RANGE_DAYS = 30;

/** Fields of the stored document that are bookkeeping, not the row. */
const BOOKKEEPING = ['table', 'day', 'sortKey'] as const;

export interface GoldPage {
    items: Record<string, unknown>[];
    continuation?: string;
}

/** `from`/`to` (inclusive days): default the last 30 days to today; at most 92 days. */
export function parseDayRange(params: Params, now: number): { from: string; to: string } {
    const to = parseDay('to', params('to')) ?? dayOf(now);
    const from = parseDay('from', params('from')) ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw new ValidationError(`'from' must not be after 'to'.`);
    if (addDays(from, MAX_GOLD_RANGE_DAYS - 1) < to) {
        throw new ValidationError(
            `The date range may span at most ${MAX_GOLD_RANGE_DAYS} days; ask for several ranges.`,
        );
    }
    return { from, to };
}

export function toGoldRow(doc: GoldDocument): Record<string, unknown> {
    const row: Record<string, unknown> = { ...doc };
    for (const field of BOOKKEEPING) delete row[field];
    return row;
}

async function page(store: GoldStore, query: Parameters<GoldStore['query']>[0]): Promise<GoldPage> {
    const result = await store.query(query);
    return result.continuation === undefined
        ? { items: result.items.map(toGoldRow) }
        : { items: result.items.map(toGoldRow), continuation: result.continuation };
}

/** GET /api/vessels/{mmsi}/{table}?from&to&limit&continuation: one vessel's rows of a per-day gold table. */
export async function getVesselGold(
    table: string,
    mmsiParam: string | undefined,
    params: Params,
    store: GoldStore,
    now: number,
): Promise<GoldPage & { mmsi: number; from: string; to: string }> {
    const mmsi = parseMmsi(mmsiParam);
    const { from, to } = parseDayRange(params, now);
    const result = await page(store, {
        table,
        mmsi,
        fromDay: from,
        toDay: to,
        limit: parseLimit(params('limit')),
        continuation: parseContinuation(params('continuation')),
    });
    return { mmsi, from, to, ...result };
}

/** GET /api/ports/{locode}/calls?from&to&limit&continuation: the calls at one port that ended in the range. */
export async function queryPortCalls(
    locodeParam: string | undefined,
    params: Params,
    store: GoldStore,
    now: number,
): Promise<GoldPage & { locode: string; from: string; to: string }> {
    const locode = (locodeParam ?? '').toUpperCase();
    if (!/^[A-Z]{2}[A-Z2-9]{3}$/.test(locode)) {
        throw new ValidationError(
            `'locode' must be a UN/LOCODE of 5 characters such as NLRTM; got '${locodeParam ?? ''}'.`,
        );
    }
    const { from, to } = parseDayRange(params, now);
    const result = await page(store, {
        table: 'port_calls',
        fromDay: from,
        toDay: to,
        where: { locode },
        limit: parseLimit(params('limit')),
        continuation: parseContinuation(params('continuation')),
    });
    return { locode, from, to, ...result };
}

/** GET /api/fleet/summary?date: the fleet summary of a day (default today): vessels, distance, fuel, CO2, by type and flag. */
export async function queryFleetSummary(
    params: Params,
    store: GoldStore,
    now: number,
): Promise<Record<string, unknown>> {
    const day = parseDay('date', params('date')) ?? dayOf(now);
    const result = await store.query({ table: 'fleet_daily', mmsi: 0, fromDay: day, toDay: day, limit: 1 });
    const doc = result.items[0];
    if (doc === undefined) throw new NotFoundError(`No fleet summary for ${day} has been built yet.`);
    const { mmsi: _mmsi, id: _id, ...row } = toGoldRow(doc);
    return row;
}

const DQ_LAYERS = ['bronze', 'quarantine', 'silver'];

/**
 * GET /api/dq?date&layer&source&limit&continuation: the data-quality rows of a day (default today), optionally of
 * one layer and one source, paged.
 */
export async function queryDataQuality(
    params: Params,
    store: GoldStore,
    now: number,
): Promise<GoldPage & { date: string }> {
    const date = parseDay('date', params('date')) ?? dayOf(now);
    const where: Record<string, string> = {};
    const layer = params('layer');
    if (layer !== null && layer !== undefined && layer !== '') {
        if (!DQ_LAYERS.includes(layer))
            throw new ValidationError(`'layer' must be one of ${DQ_LAYERS.join(', ')}; got '${layer}'.`);
        where.layer = layer;
    }
    const source = params('source');
    if (source !== null && source !== undefined && source !== '') {
        if (!/^[a-z][a-z0-9_]{0,63}$/.test(source))
            throw new ValidationError(
                `'source' must be a source or silver table name such as ais or ais_positions; got '${source}'.`,
            );
        where.source = source;
    }
    const result = await page(store, {
        table: 'dq_daily',
        mmsi: 0,
        fromDay: date,
        toDay: date,
        where,
        limit: parseLimit(params('limit')),
        continuation: parseContinuation(params('continuation')),
    });
    return { date, ...result };
}
