import { readFileSync } from 'node:fs';

import type { AisMessage, DecodeEvent } from '../../../../shared/domain/ais/index.js';

/** The shared AIS test data: `../shared/testdata/ais` beside the repository (CI clones `shared/` there). */
export function fixture(name: string): string {
    return readFileSync(new URL(`../../../../../shared/testdata/ais/${name}`, import.meta.url), 'utf8');
}

export function fixtureLines(name: string): string[] {
    return fixture(name).split('\n');
}

export function jsonLines(name: string): { line: string; rec: Record<string, unknown> }[] {
    return fixtureLines(name)
        .filter((l) => l.startsWith('{'))
        .map((line) => ({ line, rec: JSON.parse(line) as Record<string, unknown> }));
}

export function messagesOf(events: DecodeEvent[]): AisMessage[] {
    const out: AisMessage[] = [];
    for (const e of events) if (e.kind === 'message') out.push(e.message);
    return out;
}

/** Half a unit in the last decimal place gpsd/libais printed for `key` in `line` (JSON text), at least 1e-9. */
export function printedTolerance(line: string, key: string): number {
    const m = new RegExp(`"${key}":\\s*"?(-?\\d+)(?:\\.(\\d+))?`).exec(line);
    const decimals = m?.[2]?.length ?? 0;
    return Math.max(0.5 * 10 ** -decimals, 1e-9);
}

/**
 * Compares `expected` (already mapped to our representation) with `ours`. Returns human-readable mismatches.
 * `tolerance(key)` gives the float tolerance; `oursMayAdd` lists our fields the reference does not carry.
 */
export function diff(
    ours: Record<string, unknown>,
    expected: Record<string, unknown>,
    tolerance: (key: string) => number,
    oursMayAdd: ReadonlySet<string>,
): string[] {
    const problems: string[] = [];
    for (const [k, v] of Object.entries(expected)) {
        const o = ours[k];
        if (o === undefined) {
            problems.push(`${k}: missing, reference ${JSON.stringify(v)}`);
        } else if (typeof v === 'number' && typeof o === 'number') {
            if (!(Math.abs(o - v) <= tolerance(k))) problems.push(`${k}: ${o} vs reference ${v}`);
        } else if (
            Array.isArray(v) &&
            Array.isArray(o) &&
            v.length === o.length &&
            v.every((x) => x !== null && typeof x === 'object')
        ) {
            // Arrays of records (type 6/8 tidal windows): element by element, with the same tolerances.
            v.forEach((x, i) => {
                for (const p of diff(
                    o[i] as Record<string, unknown>,
                    x as Record<string, unknown>,
                    tolerance,
                    oursMayAdd,
                ))
                    problems.push(`${k}[${i}].${p}`);
            });
        } else if (JSON.stringify(o) !== JSON.stringify(v)) {
            problems.push(`${k}: ${JSON.stringify(o)} vs reference ${JSON.stringify(v)}`);
        }
    }
    for (const k of Object.keys(ours)) {
        if (!(k in expected) && !oursMayAdd.has(k))
            problems.push(`${k}: ours ${JSON.stringify(ours[k])}, not in reference`);
    }
    return problems;
}
