/**
 * Reconciles what the checks found in a window with what is stored, so findings are updated, opened, reopened or
 * closed, but never duplicated:
 *
 * - a draft with a new id opens a finding (`detectedAt` = now);
 * - a draft with a stored id updates it (first seen stays the earliest, `detectedAt` is kept; a closed finding that
 *   holds again is reopened). An older window never overwrites what a later window learnt: when the stored
 *   finding's last evidence lies after this window and the draft is only "still going on at the window end", the
 *   stored one stays as it is (a gap that a later window saw end is not turned back into an open-ended one);
 * - a stored open finding of the evaluated checks whose last evidence lies in the window, and that the checks no
 *   longer produce, is closed (`closedAt`, `closedReason`).
 *
 * Only findings that change are returned for writing, so a double fire writes nothing the second time.
 */
import type { ComplianceCheck, Finding, FindingDraft } from './finding.js';

export interface EvaluationScope {
    /** The checks that ran. */
    checks: readonly ComplianceCheck[];
    /** The window evaluated, epoch ms, [start, end): findings whose evidence ends in it (or at `end`, ongoing). */
    start: number;
    end: number;
}

export interface Reconciliation {
    /** Every finding to write (new, changed, reopened, closed). */
    upserts: Finding[];
    /** New or reopened findings (the ones to announce). */
    opened: Finding[];
    closed: Finding[];
    /** Drafts that matched a stored finding with nothing to change. */
    unchanged: number;
}

/**
 * Whether a stored finding is one the run re-evaluated: of a check of a scope, with its last evidence in that
 * scope's [start, end]. Several scopes: CII findings are judged over the year, the others over the window.
 */
export function inScope(finding: Finding, scopes: EvaluationScope | readonly EvaluationScope[]): boolean {
    const list = Array.isArray(scopes) ? (scopes as readonly EvaluationScope[]) : [scopes as EvaluationScope];
    return list.some(
        (s) => s.checks.includes(finding.check) && finding.lastSeen >= s.start && finding.lastSeen <= s.end,
    );
}

export function reconcileFindings(
    stored: readonly Finding[],
    drafts: readonly FindingDraft[],
    scope: EvaluationScope | readonly EvaluationScope[],
    now: number,
    ruleVersion: string,
): Reconciliation {
    const scopes = Array.isArray(scope) ? (scope as readonly EvaluationScope[]) : [scope as EvaluationScope];
    const byId = new Map(stored.map((f) => [f.id, f]));
    const produced = new Set<string>();
    const upserts: Finding[] = [];
    const opened: Finding[] = [];
    const closed: Finding[] = [];
    let unchanged = 0;

    for (const draft of drafts) {
        if (produced.has(draft.id)) continue; // a check that produced one id twice: the first wins
        produced.add(draft.id);
        const prev = byId.get(draft.id);
        if (prev === undefined) {
            const finding: Finding = {
                ...draft,
                status: 'open',
                detectedAt: now,
                updatedAt: now,
                ruleVersion,
            };
            upserts.push(finding);
            opened.push(finding);
            continue;
        }
        const scopeEnd = Math.max(...scopes.filter((s) => s.checks.includes(draft.check)).map((s) => s.end));
        if (prev.lastSeen > scopeEnd && draft.ongoing === true) {
            // A later window already saw how this ended; this window's view is older.
            if (prev.status === 'open') unchanged++;
            else {
                const reopened = reopen(prev, now);
                upserts.push(reopened);
                opened.push(reopened);
            }
            continue;
        }
        const next: Finding = {
            ...draft,
            firstSeen: Math.min(prev.firstSeen, draft.firstSeen),
            status: 'open',
            detectedAt: prev.detectedAt,
            updatedAt: now,
            ruleVersion,
        };
        if (sameContent(prev, next)) {
            unchanged++;
            continue;
        }
        upserts.push(next);
        if (prev.status === 'closed') opened.push(next);
    }

    for (const prev of stored) {
        if (prev.status !== 'open' || produced.has(prev.id) || !inScope(prev, scopes)) continue;
        const within = scopes.find((s) => inScope(prev, s))!;
        const finding: Finding = {
            ...prev,
            status: 'closed',
            updatedAt: now,
            closedAt: now,
            closedReason: `no longer holds when ${new Date(within.start).toISOString()} to ${new Date(within.end).toISOString()} was evaluated again (late or corrected data)`,
        };
        upserts.push(finding);
        closed.push(finding);
    }
    return { upserts, opened, closed, unchanged };
}

function reopen(prev: Finding, now: number): Finding {
    const { closedAt: _closedAt, closedReason: _closedReason, ...rest } = prev;
    return { ...rest, status: 'open', updatedAt: now };
}

/** Equal apart from the processing times (JSON form, so key order and undefined fields do not matter). */
function sameContent(a: Finding, b: Finding): boolean {
    const strip = (f: Finding): string => {
        const { updatedAt: _u, closedAt: _c, closedReason: _r, ...rest } = f;
        return canonical(rest);
    };
    return strip(a) === strip(b);
}

/** JSON with object keys sorted at every level and undefined values left out. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}
