/**
 * In-memory AlertStore for use-case tests, with the semantics of CosmosAlertStore: one document per (mmsi, id) (the
 * partition key and the id), saving again overwrites it; queries newest first, `limit` clamped to 1..1000, paged by
 * an opaque continuation token (a bad one is a ValidationError); documents round-tripped through JSON.
 */
import type { AlertQuery, AlertStore } from '../../app/ports.js';
import type { Alert } from '../../domain/alerts/alert.js';
import { ValidationError } from '../../errors.js';

interface Cursor {
    time: number;
    mmsi: number;
    id: string;
}

export class InMemoryAlertStore implements AlertStore {
    /** By `mmsi|id`. */
    readonly #docs = new Map<string, Alert>();

    /** Calls to `save` so far. */
    saveCalls = 0;
    /** When set, the next `save` call throws this error and stores nothing (then the hook clears). */
    failNextSave: Error | undefined;

    save(alerts: readonly Alert[]): Promise<void> {
        this.saveCalls++;
        const failure = this.failNextSave;
        if (failure !== undefined) {
            this.failNextSave = undefined;
            return Promise.reject(failure);
        }
        for (const alert of alerts) this.#docs.set(keyOf(alert), deepCopy(alert));
        return Promise.resolve();
    }

    query(query: AlertQuery): Promise<{ items: Alert[]; continuation?: string }> {
        let after: Cursor | undefined;
        if (query.continuation !== undefined) {
            after = decodeCursor(query.continuation);
            if (after === undefined) return Promise.reject(new ValidationError('invalid continuation token'));
        }
        const limit = Math.min(Math.max(1, Math.trunc(query.limit) || 1), 1000);
        const matching = [...this.#docs.values()]
            .filter((a) => matches(a, query))
            .sort(newestFirst)
            .filter((a) => after === undefined || newestFirst(a, after) > 0);
        const items = matching.slice(0, limit).map(deepCopy);
        const last = items[items.length - 1];
        return Promise.resolve(
            matching.length > limit && last !== undefined
                ? { items, continuation: encodeCursor({ time: last.time, mmsi: last.mmsi, id: last.id }) }
                : { items },
        );
    }

    // ---- test helpers ----

    /** Every stored alert, newest first. */
    all(): Alert[] {
        return [...this.#docs.values()].sort(newestFirst).map(deepCopy);
    }
}

function keyOf(a: { mmsi: number; id: string }): string {
    return `${a.mmsi}|${a.id}`;
}

/** Time descending; ties by mmsi, then id, so paging is stable. */
function newestFirst(a: Cursor, b: Cursor): number {
    if (a.time !== b.time) return b.time - a.time;
    if (a.mmsi !== b.mmsi) return a.mmsi - b.mmsi;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function matches(a: Alert, q: AlertQuery): boolean {
    if (q.mmsi !== undefined && a.mmsi !== q.mmsi) return false;
    if (q.since !== undefined && !(a.time >= q.since)) return false;
    if (q.kind !== undefined && a.kind !== q.kind) return false;
    if (q.severity !== undefined && a.severity !== q.severity) return false;
    return true;
}

function encodeCursor(cursor: Cursor): string {
    return Buffer.from(JSON.stringify(['mem-alerts', cursor.time, cursor.mmsi, cursor.id]), 'utf8').toString(
        'base64url',
    );
}

function decodeCursor(token: string): Cursor | undefined {
    try {
        const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
        if (!Array.isArray(value) || value.length !== 4 || value[0] !== 'mem-alerts') return undefined;
        const [, time, mmsi, id] = value as unknown[];
        if (typeof time !== 'number' || typeof mmsi !== 'number' || typeof id !== 'string') return undefined;
        return { time, mmsi, id };
    } catch {
        return undefined;
    }
}

function deepCopy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
