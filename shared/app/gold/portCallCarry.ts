/**
 * The port-call state carried from one day to the next: `gold/port_call_state/date=YYYY-MM-DD/part-*.jsonl.gz`, one
 * line per vessel (`{ mmsi, state }`), written by the day's build for its shard and read by the next day's build
 * (every part, filtered to the shard's vessels, so a change of shard count carries over). A vessel silent for a day
 * keeps its state; states untouched for `MAX_IDLE_DAYS` are dropped.
 */
import type { PortCallState } from '../../domain/gold/portCalls.js';
import { fnv1a } from '../../domain/hash.js';
import type { Shard } from '../ports.js';
import type { GoldLake } from './goldOutput.js';
import { goldPartPath, inShard } from './goldOutput.js';
import { DAY_MS } from './window.js';

export const PORT_CALL_STATE = 'port_call_state';
const MAX_IDLE_DAYS = 60;

/** The states at the end of `day`, for the shard's vessels (empty when the day was never built). */
export async function readCarry(
    lake: GoldLake,
    day: string,
    shard: Shard,
): Promise<Map<number, PortCallState>> {
    const parts = (await lake.list('gold', `${PORT_CALL_STATE}/date=${day}/`)).filter((p) =>
        p.path.endsWith('.jsonl.gz'),
    );
    const out = new Map<number, PortCallState>();
    for (const part of parts) {
        for (const line of await lake.readJsonLinesGz('gold', part.path)) {
            const { mmsi, state } = line as { mmsi: number; state: PortCallState };
            if (inShard(mmsi, shard)) out.set(mmsi, state);
        }
    }
    return out;
}

/** Writes the states at the end of `day` (dropping idle ones); returns their hash (what the next day built from). */
export async function writeCarry(
    lake: GoldLake,
    day: string,
    shard: Shard,
    states: ReadonlyMap<number, PortCallState>,
    cut: number,
): Promise<string> {
    const rows = [...states.entries()]
        .filter(
            ([, s]) =>
                s.call !== undefined || (s.lastT !== undefined && cut - s.lastT < MAX_IDLE_DAYS * DAY_MS),
        )
        .sort(([a], [b]) => a - b)
        .map(([mmsi, state]) => ({ mmsi, state }));
    const path = goldPartPath(PORT_CALL_STATE, day, shard).replace(/\.parquet$/, '.jsonl.gz');
    await lake.writeJsonLinesGz('gold', path, rows);
    const parts = await lake.list('gold', `${PORT_CALL_STATE}/date=${day}/`);
    await Promise.all(
        parts
            .filter((p) => p.path !== path && !p.path.endsWith(`-of-${shard.count}.jsonl.gz`))
            .map((p) => lake.delete('gold', p.path)),
    );
    return carryHash(rows);
}

export function carryHash(rows: readonly { mmsi: number; state: PortCallState }[]): string {
    return fnv1a(JSON.stringify(rows));
}

/** Hash of a carry map as `writeCarry` computes it (sorted by MMSI). */
export function carryMapHash(states: ReadonlyMap<number, PortCallState>): string {
    return carryHash(
        [...states.entries()].sort(([a], [b]) => a - b).map(([mmsi, state]) => ({ mmsi, state })),
    );
}
