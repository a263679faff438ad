/**
 * The compliance finding model. A finding says: this vessel broke (or probably broke) this rule, from this event
 * time to that one, and here are the numbers and the rule with its source.
 *
 * - The id is deterministic: check + vessel + the finding's anchor (the start of the gap or stretch, the UTC day,
 *   the calendar year), so a timer firing twice, or a window evaluated again after late data, writes the same
 *   document instead of a new one.
 * - `firstSeen` / `lastSeen` are event times (epoch ms): since when, and until when, the finding held.
 *   `detectedAt` / `updatedAt` are processing times: the run that first found it and the last run that confirmed it.
 * - A finding that stops holding when its window is evaluated again (late data filled the gap, a late fix shows the
 *   vessel slowed down) is closed (`status: 'closed'`, `closedAt`, `closedReason`), never deleted and never
 *   duplicated; if it holds again later it is reopened under the same id.
 */
import { fnv1a } from '../hash.js';

/** Every check, one id each (stable: stored, filtered on, shown in dashboards). */
export const COMPLIANCE_CHECKS = [
    'cii-projected-rating',
    'cii-corrective-action',
    'cii-band-drop',
    'sulphur-eca',
    'sulphur-global',
    'speed-zone',
    'ais-dark-gap',
    'spoofing-jumps',
    'identity-simultaneous-tracks',
    'identity-invalid-imo',
    'identity-reused-imo',
] as const;
export type ComplianceCheck = (typeof COMPLIANCE_CHECKS)[number];

/** Same scale as alerts: `critical` findings are also published as alerts. */
export const FINDING_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export type FindingStatus = 'open' | 'closed';

/** The rule a finding applies, and where that rule comes from. */
export interface RuleRef {
    /** What the rule says, in one line, with the threshold that applied (e.g. "SOG <= 10 kn inside an SMA in season"). */
    rule: string;
    /** Regulation or guideline (e.g. "50 CFR 224.105", "MARPOL Annex VI reg. 14.4"). */
    source: string;
}

/** The numbers that triggered a finding, plus the rule and its source. */
export type Evidence = RuleRef & Record<string, unknown>;

/** What a check produces: a finding without its bookkeeping. */
export interface FindingDraft {
    id: string;
    check: ComplianceCheck;
    severity: FindingSeverity;
    mmsi: number;
    imo?: number;
    /** Event time of the first evidence, epoch ms. */
    firstSeen: number;
    /** Event time of the last evidence, epoch ms (for an event still going on: the end of the data looked at). */
    lastSeen: number;
    /** True when the event was still going on at the end of the data (a vessel still dark, a rating still projected). */
    ongoing?: boolean;
    /** Where it happened (the start of a gap, the first fix of a stretch), when it has a place. */
    position?: { lat: number; lon: number };
    /** One human-readable line. */
    summary: string;
    evidence: Evidence;
}

export interface Finding extends FindingDraft {
    status: FindingStatus;
    /** Processing time of the run that first found it, epoch ms. */
    detectedAt: number;
    /** Processing time of the last run that found it holding (or closed it), epoch ms. */
    updatedAt: number;
    /** When and why it was closed (absent while open). */
    closedAt?: number;
    closedReason?: string;
    /** Version of the check code and thresholds that produced it. */
    ruleVersion: string;
}

/** Characters Cosmos DB forbids in ids. */
const FORBIDDEN = /[/\\?#]/g;

/** `check:mmsi:anchor...`, Cosmos-safe, at most 255 characters (long ids keep a readable head and a hash). */
export function findingId(
    check: ComplianceCheck,
    mmsi: number,
    anchor: readonly (string | number)[],
): string {
    const id = [check, mmsi, ...anchor].join(':').replace(FORBIDDEN, '_');
    if (id.length <= 255) return id;
    return `${id.slice(0, 230)}~${fnv1a(id)}`;
}

/** An epoch-ms instant as a compact UTC id part, e.g. `20261203T041500Z`. */
export function timeKey(ms: number): string {
    return new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function dayKey(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
}

/** Rounds to `digits` decimals (evidence numbers stay readable and stable across runs). */
export function round(value: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}
