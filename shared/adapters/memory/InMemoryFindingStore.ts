/**
 * In-memory FindingStore with the semantics of CosmosFindingStore: one document per (mmsi, id), saving again
 * overwrites it; queries newest last evidence first, `limit` clamped to 1..1000, paged by an opaque token (a bad
 * one is a ValidationError); documents round-tripped through JSON.
 */
import type { FindingQuery, FindingStore } from '../../app/ports.js';
import type { ComplianceCheck, Finding } from '../../domain/compliance/finding.js';
import { ValidationError } from '../../errors.js';

export class InMemoryFindingStore implements FindingStore {
    readonly #docs = new Map<string, Finding>();
    saveCalls = 0;

    save(findings: readonly Finding[]): Promise<void> {
        this.saveCalls++;
        for (const f of findings) this.#docs.set(`${f.mmsi}|${f.id}`, copy(f));
        return Promise.resolve();
    }

    forReconciliation(
        scopes: readonly { checks: readonly ComplianceCheck[]; from: number; to: number }[],
        ids: readonly { mmsi: number; id: string }[],
    ): Promise<Finding[]> {
        const wanted = new Set(ids.map((i) => i.id));
        return Promise.resolve(
            [...this.#docs.values()]
                .filter(
                    (f) =>
                        wanted.has(f.id) ||
                        scopes.some(
                            (s) => s.checks.includes(f.check) && f.lastSeen >= s.from && f.lastSeen <= s.to,
                        ),
                )
                .map(copy),
        );
    }

    query(q: FindingQuery): Promise<{ items: Finding[]; continuation?: string }> {
        let offset = 0;
        if (q.continuation !== undefined) {
            const m = /^mem-findings:(\d+)$/.exec(q.continuation);
            if (m === null) return Promise.reject(new ValidationError('invalid continuation token'));
            offset = Number(m[1]);
        }
        const limit = Math.min(Math.max(1, Math.trunc(q.limit) || 1), 1000);
        const matching = [...this.#docs.values()]
            .filter(
                (f) =>
                    (q.mmsi === undefined || f.mmsi === q.mmsi) &&
                    (q.from === undefined || f.lastSeen >= q.from) &&
                    (q.to === undefined || f.firstSeen <= q.to) &&
                    (q.check === undefined || f.check === q.check) &&
                    (q.severity === undefined || f.severity === q.severity) &&
                    (q.status === undefined || f.status === q.status),
            )
            .sort(
                (a, b) =>
                    b.lastSeen - a.lastSeen || a.mmsi - b.mmsi || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
            );
        const items = matching.slice(offset, offset + limit).map(copy);
        return Promise.resolve(
            offset + limit < matching.length
                ? { items, continuation: `mem-findings:${offset + limit}` }
                : { items },
        );
    }

    /** Every stored finding (test helper). */
    all(): Finding[] {
        return [...this.#docs.values()].map(copy);
    }
}

function copy<T>(v: T): T {
    return JSON.parse(JSON.stringify(v)) as T;
}
