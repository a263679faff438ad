/**
 * Query use cases behind `/api/vessels/{mmsi}/equipment` and `/api/fleet/maintenance`: the latest scored day of
 * gold `equipment_health` (Cosmos `gold`), or the day asked for, ranked by falling failure probability.
 */
import { toGoldRow } from '../gold/goldQueries.js';
import { addDays, dayOf } from '../gold/window.js';
import { type Params, parseDay, parseLimit, parseMmsi } from '../params.js';
import type { GoldDocument, GoldStore } from '../ports.js';
import { EQUIPMENT_HEALTH_TABLE } from './scoreMaintenance.js';

/** How far back the latest scored day is looked for when no `day` is given. */
export const LATEST_LOOKBACK_DAYS = 7;

export interface EquipmentHealthItem {
    [column: string]: unknown;
    mmsi: number;
    equipment_id: string;
    probability: number;
    contributions: unknown[];
}

export interface EquipmentHealthPage {
    /** The scored day (YYYY-MM-DD), null when no day in the look-back was scored. */
    day: string | null;
    items: EquipmentHealthItem[];
}

async function all(
    store: GoldStore,
    query: Omit<Parameters<GoldStore['query']>[0], 'limit' | 'continuation'>,
): Promise<GoldDocument[]> {
    const out: GoldDocument[] = [];
    let continuation: string | undefined;
    do {
        const page = await store.query({ ...query, limit: 1000, ...(continuation ? { continuation } : {}) });
        out.push(...page.items);
        continuation = page.continuation;
    } while (continuation !== undefined);
    return out;
}

function toItem(doc: GoldDocument): EquipmentHealthItem {
    const row = toGoldRow(doc);
    delete row.id;
    let contributions: unknown[] = [];
    try {
        const parsed = JSON.parse(String(row.contributions)) as unknown;
        if (Array.isArray(parsed)) contributions = parsed;
    } catch {
        // a row without contributions keeps an empty list
    }
    return { ...row, contributions } as EquipmentHealthItem;
}

const byRisk = (a: EquipmentHealthItem, b: EquipmentHealthItem): number =>
    b.probability - a.probability ||
    a.mmsi - b.mmsi ||
    (a.equipment_id < b.equipment_id ? -1 : a.equipment_id > b.equipment_id ? 1 : 0);

/** The newest day with rows (of one vessel when `mmsi` is given), within the look-back; the rows of that day. */
async function latestDay(
    store: GoldStore,
    now: number,
    mmsi?: number,
): Promise<{ day: string | null; docs: GoldDocument[] }> {
    const to = dayOf(now);
    for (let k = 0; k < LATEST_LOOKBACK_DAYS; k++) {
        const day = addDays(to, -k);
        const docs = await all(store, {
            table: EQUIPMENT_HEALTH_TABLE,
            fromDay: day,
            toDay: day,
            ...(mmsi === undefined ? {} : { mmsi }),
        });
        if (docs.length > 0) return { day, docs };
    }
    return { day: null, docs: [] };
}

async function dayRows(
    store: GoldStore,
    params: Params,
    now: number,
    mmsi?: number,
): Promise<{ day: string | null; docs: GoldDocument[] }> {
    const day = parseDay('day', params('day'));
    if (day === undefined) return latestDay(store, now, mmsi);
    return {
        day,
        docs: await all(store, {
            table: EQUIPMENT_HEALTH_TABLE,
            fromDay: day,
            toDay: day,
            ...(mmsi === undefined ? {} : { mmsi }),
        }),
    };
}

/** GET /api/vessels/{mmsi}/equipment?day=: the vessel's equipment on the day (default the latest scored), riskiest first. */
export async function queryVesselEquipment(
    mmsiParam: string | undefined,
    params: Params,
    store: GoldStore,
    now: number,
): Promise<EquipmentHealthPage & { mmsi: number }> {
    const mmsi = parseMmsi(mmsiParam);
    const { day, docs } = await dayRows(store, params, now, mmsi);
    return { mmsi, day, items: docs.map(toItem).sort(byRisk) };
}

/**
 * GET /api/fleet/maintenance?day=&limit=&atRiskOnly=: every scored equipment of the fleet on the day (default the
 * latest scored), riskiest first, the first `limit`; `equipment` and `atRisk` count the whole day.
 */
export async function queryFleetMaintenance(
    params: Params,
    store: GoldStore,
    now: number,
): Promise<EquipmentHealthPage & { equipment: number; atRisk: number }> {
    const limit = parseLimit(params('limit'));
    const { day, docs } = await dayRows(store, params, now);
    const items = docs.map(toItem).sort(byRisk);
    const atRisk = items.filter((i) => i.at_risk === true).length;
    const atRiskOnly = params('atRiskOnly') === 'true';
    return {
        day,
        equipment: items.length,
        atRisk,
        items: (atRiskOnly ? items.filter((i) => i.at_risk === true) : items).slice(0, limit),
    };
}
