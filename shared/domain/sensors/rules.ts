/**
 * Threshold rules for sensor readings, from the versioned configuration file `config/sensor-rules.json`:
 *
 *   { "version": "2026-11-24.1",
 *     "rules": [ { "id": "exhaust-temp-warning", "quantity": "exhaust_temperature", "above": 450,
 *                  "severity": "warning", "description": "..." }, ... ] }
 *
 * A rule has exactly one of `above` (fires when value > above) or `below` (fires when value < below), in the
 * canonical unit of its quantity. Optional `mmsi` makes it vessel-specific; optional `zone` makes it apply only
 * when the reading's zones (from enrichment, e.g. "ECA") include it.
 *
 * Semantics:
 * - A rule's group is (quantity, direction, zone). Vessel-specific rules replace ALL generic rules of the same
 *   group for that vessel (so a vessel's own warning/critical pair replaces the generic pair), while generic
 *   rules of other groups (another direction, a zone cap) still apply.
 * - Several rules of one group are severity tiers (warning at 450, critical at 500): a reading yields at most
 *   one hit per group, the most severe tier it crosses. Different groups report separately (0.6 % sulphur in
 *   an ECA breaches both the global 0.5 % cap and the ECA 0.1 % cap).
 *
 * `loadRules` validates the whole file and reports every problem at once (RuleSetError.problems).
 */
import { classifyMmsi } from '../validation/mmsi.js';
import type { SensorReading } from './reading.js';
import { QUANTITY_IDS, type QuantityId, quantitySpec } from './units.js';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Direction = 'above' | 'below';

export interface ThresholdRule {
    id: string;
    quantity: QuantityId;
    /** Vessel-specific override. */
    mmsi?: number;
    /** Applies only when the reading's zones include it. */
    zone?: string;
    above?: number;
    below?: number;
    severity: Severity;
    description: string;
}

export interface ThresholdHit {
    ruleId: string;
    quantity: QuantityId;
    severity: Severity;
    direction: Direction;
    threshold: number;
    value: number;
    /** Canonical unit of the quantity (of both value and threshold). */
    unit: string;
    /** True when the rule is vessel-specific. */
    vesselSpecific: boolean;
    zone?: string;
    description: string;
}

interface CompiledRule {
    rule: ThresholdRule;
    direction: Direction;
    threshold: number;
    zone: string | undefined;
    vesselSpecific: boolean;
    /** Index of the rule's group within its effective list. */
    group: number;
}

interface QuantityRules {
    /** Effective rules for vessels without own rules for this quantity. */
    generic: readonly CompiledRule[];
    /** Effective rules (own + non-overridden generic) for vessels with own rules for this quantity. */
    byMmsi: ReadonlyMap<number, readonly CompiledRule[]>;
}

export interface RuleSet {
    version: string;
    rules: readonly ThresholdRule[];
    /** Precomputed lookup; treat as opaque. */
    readonly index: ReadonlyMap<QuantityId, QuantityRules>;
}

/** The file failed validation; `problems` lists every problem found. */
export class RuleSetError extends Error {
    readonly problems: readonly string[];

    constructor(problems: string[]) {
        super(
            `invalid sensor rules (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
        );
        this.name = 'RuleSetError';
        this.problems = problems;
    }
}

const VERSION_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\.\d+$/;
const ROOT_KEYS = new Set(['version', 'rules', 'description', '$schema', '$comment']);
const RULE_KEYS = new Set(['id', 'quantity', 'mmsi', 'zone', 'above', 'below', 'severity', 'description']);
const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const show = (v: unknown): string => (v === undefined ? 'nothing' : (JSON.stringify(v) ?? typeof v));

/**
 * Validates a parsed rules file and compiles it. Throws {@link RuleSetError} listing every problem.
 * @example const ruleSet = loadRules(JSON.parse(readFileSync('config/sensor-rules.json', 'utf8')));
 */
export function loadRules(json: unknown): RuleSet {
    const problems: string[] = [];
    if (!isObject(json))
        throw new RuleSetError([`the file must be an object {version, rules}, got ${show(json)}`]);
    for (const key of Object.keys(json)) {
        if (!ROOT_KEYS.has(key)) problems.push(`unknown top-level field "${key}" (expected version, rules)`);
    }
    const version = json.version;
    if (typeof version !== 'string' || !VERSION_RE.test(version)) {
        problems.push(`"version" must be a string like "2026-11-24.1" (date.revision), got ${show(version)}`);
    }
    if (!Array.isArray(json.rules)) {
        problems.push(`"rules" must be an array, got ${show(json.rules)}`);
        throw new RuleSetError(problems);
    }
    const rules: ThresholdRule[] = [];
    const ids = new Map<string, number>();
    (json.rules as unknown[]).forEach((r, i) => {
        const rule = checkRule(r, i, problems);
        if (rule === undefined) return;
        const first = ids.get(rule.id);
        if (first !== undefined)
            problems.push(`rules[${i}]: id "${rule.id}" is already used by rules[${first}]`);
        else ids.set(rule.id, i);
        rules.push(rule);
    });
    checkTiers(rules, problems);
    if (problems.length > 0) throw new RuleSetError(problems);
    return {
        version: version as string,
        rules: Object.freeze(rules.map((r) => Object.freeze(r))),
        index: compile(rules),
    };
}

function checkRule(r: unknown, i: number, problems: string[]): ThresholdRule | undefined {
    const at = isObject(r) && typeof r.id === 'string' ? `rules[${i}] ("${r.id}")` : `rules[${i}]`;
    if (!isObject(r)) {
        problems.push(`${at}: expected an object, got ${show(r)}`);
        return undefined;
    }
    const before = problems.length;
    for (const key of Object.keys(r)) {
        if (!RULE_KEYS.has(key)) problems.push(`${at}: unknown field "${key}"`);
    }
    if (!nonEmpty(r.id)) problems.push(`${at}: "id" must be a non-empty string, got ${show(r.id)}`);
    const spec = typeof r.quantity === 'string' ? quantitySpec(r.quantity) : undefined;
    if (spec === undefined) {
        problems.push(`${at}: "quantity" must be one of ${QUANTITY_IDS.join(', ')}; got ${show(r.quantity)}`);
    }
    if (r.mmsi !== undefined && !(typeof r.mmsi === 'number' && classifyMmsi(r.mmsi).valid)) {
        problems.push(`${at}: "mmsi" must be an integer 1..999999999, got ${show(r.mmsi)}`);
    }
    if (r.zone !== undefined && !nonEmpty(r.zone)) {
        problems.push(`${at}: "zone" must be a non-empty string, got ${show(r.zone)}`);
    }
    if (!(SEVERITIES as readonly unknown[]).includes(r.severity)) {
        problems.push(`${at}: "severity" must be "info", "warning" or "critical", got ${show(r.severity)}`);
    }
    if (!nonEmpty(r.description)) {
        problems.push(`${at}: "description" must be a non-empty string, got ${show(r.description)}`);
    }
    const hasAbove = r.above !== undefined;
    const hasBelow = r.below !== undefined;
    if (hasAbove === hasBelow) {
        problems.push(`${at}: exactly one of "above" or "below" is required${hasAbove ? ', not both' : ''}`);
    } else {
        const direction: Direction = hasAbove ? 'above' : 'below';
        const t = hasAbove ? r.above : r.below;
        if (typeof t !== 'number' || !Number.isFinite(t)) {
            problems.push(`${at}: "${direction}" must be a finite number, got ${show(t)}`);
        } else if (spec !== undefined) {
            // A threshold outside the plausible range never fires (or always fires): a unit mistake.
            const range = `${spec.min}..${spec.maxExclusive === true ? '<' : ''}${spec.max} ${spec.unit}`;
            if (direction === 'above' && !(t >= spec.min && t < spec.max)) {
                problems.push(
                    `${at}: above ${t} ${spec.unit} is outside the plausible range ${range} of ${spec.id}`,
                );
            }
            if (direction === 'below' && !(t > spec.min && t <= spec.max)) {
                problems.push(
                    `${at}: below ${t} ${spec.unit} is outside the plausible range ${range} of ${spec.id}`,
                );
            }
        }
    }
    if (problems.length > before) return undefined;
    const rule: ThresholdRule = {
        id: r.id as string,
        quantity: spec!.id,
        severity: r.severity as Severity,
        description: r.description as string,
    };
    if (r.mmsi !== undefined) rule.mmsi = r.mmsi as number;
    if (r.zone !== undefined) rule.zone = r.zone as string;
    if (hasAbove) rule.above = r.above as number;
    else rule.below = r.below as number;
    return rule;
}

const directionOf = (r: ThresholdRule): Direction => (r.above !== undefined ? 'above' : 'below');
const thresholdOf = (r: ThresholdRule): number => (r.above !== undefined ? r.above : r.below!);
const groupKey = (r: ThresholdRule): string =>
    `${r.quantity}|${directionOf(r)}|${r.zone ?? ''}|${r.mmsi ?? ''}`;

/** Within a group, one rule per severity, and a more severe tier has a more extreme threshold. */
function checkTiers(rules: readonly ThresholdRule[], problems: string[]): void {
    const groups = new Map<string, ThresholdRule[]>();
    for (const r of rules) {
        const k = groupKey(r);
        const g = groups.get(k);
        if (g === undefined) groups.set(k, [r]);
        else g.push(r);
    }
    for (const g of groups.values()) {
        g.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
        for (let k = 1; k < g.length; k++) {
            const lo = g[k - 1]!;
            const hi = g[k]!;
            if (lo.severity === hi.severity) {
                problems.push(
                    `rules "${lo.id}" and "${hi.id}": both ${hi.severity} for the same quantity, direction, zone and vessel`,
                );
            } else if (directionOf(hi) === 'above' ? !(hi.above! > lo.above!) : !(hi.below! < lo.below!)) {
                const dir = directionOf(hi);
                problems.push(
                    `rule "${hi.id}" (${hi.severity}, ${dir} ${thresholdOf(hi)}) must be ${dir === 'above' ? 'higher' : 'lower'} than rule "${lo.id}" (${lo.severity}, ${dir} ${thresholdOf(lo)})`,
                );
            }
        }
    }
}

function compile(rules: readonly ThresholdRule[]): ReadonlyMap<QuantityId, QuantityRules> {
    const index = new Map<QuantityId, QuantityRules>();
    for (const quantity of new Set(rules.map((r) => r.quantity))) {
        const mine = rules.filter((r) => r.quantity === quantity);
        const generic = mine.filter((r) => r.mmsi === undefined);
        const byMmsi = new Map<number, readonly CompiledRule[]>();
        for (const mmsi of new Set(mine.flatMap((r) => (r.mmsi === undefined ? [] : [r.mmsi])))) {
            const own = mine.filter((r) => r.mmsi === mmsi);
            const overridden = new Set(own.map(groupKeyNoVessel));
            const kept = generic.filter((r) => !overridden.has(groupKeyNoVessel(r)));
            byMmsi.set(mmsi, compileList([...own, ...kept]));
        }
        index.set(quantity, { generic: compileList(generic), byMmsi });
    }
    return index;
}

const groupKeyNoVessel = (r: ThresholdRule): string => `${directionOf(r)}|${r.zone ?? ''}`;

/** Sorted so that within a group the most severe tier comes first: the first crossed rule of a group wins. */
function compileList(rules: readonly ThresholdRule[]): readonly CompiledRule[] {
    const groups: string[] = [];
    const list = rules.map((rule): CompiledRule => {
        const key = groupKeyNoVessel(rule);
        let group = groups.indexOf(key);
        if (group < 0) group = groups.push(key) - 1;
        return {
            rule,
            direction: directionOf(rule),
            threshold: thresholdOf(rule),
            zone: rule.zone,
            vesselSpecific: rule.mmsi !== undefined,
            group,
        };
    });
    list.sort((a, b) => a.group - b.group || RANK[b.rule.severity] - RANK[a.rule.severity]);
    return Object.freeze(list);
}

const NO_HITS: readonly ThresholdHit[] = Object.freeze([]);

/**
 * The threshold hits of one (validated, canonical) reading. `zones` are the zone ids the reading's position is
 * in (from enrichment; [] when unknown). At most one hit per (direction, zone) group: the most severe tier.
 * Allocates nothing when no rule fires (a shared, frozen empty array).
 */
export function evaluateThresholds(
    reading: Pick<SensorReading, 'quantity' | 'value' | 'unit' | 'mmsi'>,
    zones: readonly string[],
    ruleSet: RuleSet,
): readonly ThresholdHit[] {
    const qr = ruleSet.index.get(reading.quantity);
    if (qr === undefined) return NO_HITS;
    const list = (reading.mmsi !== undefined ? qr.byMmsi.get(reading.mmsi) : undefined) ?? qr.generic;
    const v = reading.value;
    let hits: ThresholdHit[] | undefined;
    let lastGroup = -1;
    for (const c of list) {
        if (c.group === lastGroup) continue; // a more severe tier of this group already fired
        if (c.zone !== undefined && !zones.includes(c.zone)) continue;
        if (c.direction === 'above' ? !(v > c.threshold) : !(v < c.threshold)) continue;
        lastGroup = c.group;
        const hit: ThresholdHit = {
            ruleId: c.rule.id,
            quantity: c.rule.quantity,
            severity: c.rule.severity,
            direction: c.direction,
            threshold: c.threshold,
            value: v,
            unit: reading.unit,
            vesselSpecific: c.vesselSpecific,
            description: c.rule.description,
        };
        if (c.zone !== undefined) hit.zone = c.zone;
        (hits ??= []).push(hit);
    }
    return hits ?? NO_HITS;
}
