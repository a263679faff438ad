/**
 * The plumbing the JSON event parsers share (AIS events in json.ts, sensor readings in sensors/parse.ts): splitting
 * a body that is one object, an array or JSON lines into one outcome per event; a small field-spec checker for the
 * hand-written schema validators, with the texts of their details; RFC 3339 timestamps. The parsers differ only by
 * their reason codes, field specs and per-event validator, which they pass in.
 */
import { matchMillis } from './values.js';

/** A rejected event: `raw` is the event's own text (the line, the whole body, or the array element re-serialised). */
export interface JsonReject<R extends string> {
    ok: false;
    reason: R;
    detail: string;
    raw: string;
}

/** Validates one parsed event value; `path` is `[k]` for an array element, '' otherwise. */
export type EventValidator<O> = (v: unknown, raw: string, path: string) => O;

/** Parses the bodies and lines of one kind of event (see `jsonEventParser`). */
export interface JsonEventParser<O, R extends string> {
    /** A body (object, array or JSON lines) → one outcome per event. */
    parseBody: (body: string) => (O | JsonReject<R>)[];
    /** One JSON line → one outcome; blank lines → undefined. */
    parseLine: (line: string) => O | JsonReject<R> | undefined;
}

/** A parser that runs `validate` on each event value and rejects text that is not JSON as `malformedReason`. */
export function jsonEventParser<O, R extends string>(
    validate: EventValidator<O>,
    malformedReason: R,
): JsonEventParser<O, R> {
    return {
        parseBody: (body) => parseBody(body, validate, malformedReason),
        parseLine: (line) => parseLine(line, validate, malformedReason),
    };
}

function parseBody<O, R extends string>(
    body: string,
    validate: EventValidator<O>,
    malformedReason: R,
): (O | JsonReject<R>)[] {
    let i = 0;
    const n = body.length;
    while (i < n && isWs(body.charCodeAt(i))) i++;
    if (i === n) return [];

    if (body.charCodeAt(i) === 91 /* [ */) {
        let doc: unknown;
        try {
            doc = JSON.parse(body);
        } catch (e) {
            return [malformed(malformedReason, e, body)];
        }
        if (!Array.isArray(doc)) return [malformed(malformedReason, new Error('expected an array'), body)];
        const out = new Array<O | JsonReject<R>>(doc.length);
        for (let k = 0; k < doc.length; k++) {
            const el: unknown = doc[k];
            out[k] = validate(el, JSON.stringify(el) ?? String(el), `[${k}]`);
        }
        return out;
    }

    // A single document (possibly pretty-printed over several lines), else JSON lines. JSON.parse on a
    // JSON-lines body fails at the start of the second line, so the first attempt is cheap.
    let single: unknown;
    let singleOk = true;
    try {
        single = JSON.parse(body);
    } catch {
        singleOk = false;
    }
    if (singleOk) return [validate(single, body.trim(), '')];

    const out: (O | JsonReject<R>)[] = [];
    let start = 0;
    while (start <= n) {
        let end = body.indexOf('\n', start);
        if (end < 0) end = n;
        const o = parseLine(body.slice(start, end), validate, malformedReason);
        if (o !== undefined) out.push(o);
        start = end + 1;
    }
    return out;
}

function parseLine<O, R extends string>(
    line: string,
    validate: EventValidator<O>,
    malformedReason: R,
): O | JsonReject<R> | undefined {
    const raw = line.trim();
    if (raw.length === 0) return undefined;
    let v: unknown;
    try {
        v = JSON.parse(raw);
    } catch (e) {
        return malformed(malformedReason, e, raw);
    }
    return validate(v, raw, '');
}

function malformed<R extends string>(reason: R, e: unknown, raw: string): JsonReject<R> {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, reason, detail: `not valid JSON: ${msg}`, raw };
}

// ---------------------------------------------------------------------------------------------------------
// Field specs

/** The kinds every parser knows; a parser adds kinds of its own (`K`) through `fieldChecker`. */
export type BaseFieldKind = 'number' | 'integer' | 'string' | 'boolean' | 'const' | 'enum' | 'timestamp';

export interface FieldSpec<K extends string = never> {
    t: BaseFieldKind | K;
    nullable?: boolean;
    min?: number;
    max?: number;
    exclMin?: number;
    exclMax?: number;
    minLength?: number;
    maxLength?: number;
    /** For `const` and `enum`. */
    values?: readonly string[];
    pattern?: RegExp;
    /** How the pattern is described in details. */
    patternText?: string;
}

/** A parser's own field kind: its check of a non-null value, and how it is described in details. */
export interface CustomFieldKind {
    check: (v: unknown) => boolean;
    expectation: string;
}

export interface FieldChecker<K extends string> {
    /** Whether `v` fits `spec` (null fits a nullable spec). */
    check: (spec: FieldSpec<K>, v: unknown) => boolean;
    /** What `spec` expects, for details. */
    expectation: (spec: FieldSpec<K>) => string;
}

/** `check` and `expectation` for the base kinds and the parser's own kinds. */
export function fieldChecker<K extends string>(
    custom: Readonly<Record<K, CustomFieldKind>>,
): FieldChecker<K> {
    const check = (spec: FieldSpec<K>, v: unknown): boolean => {
        if (v === null) return spec.nullable === true;
        switch (spec.t) {
            case 'number':
            case 'integer':
                if (typeof v !== 'number' || !Number.isFinite(v)) return false;
                if (spec.t === 'integer' && !Number.isInteger(v)) return false;
                if (spec.min !== undefined && v < spec.min) return false;
                if (spec.max !== undefined && v > spec.max) return false;
                if (spec.exclMin !== undefined && v <= spec.exclMin) return false;
                if (spec.exclMax !== undefined && v >= spec.exclMax) return false;
                return true;
            case 'string': {
                if (typeof v !== 'string') return false;
                if (spec.pattern !== undefined && !spec.pattern.test(v)) return false;
                const len = v.length <= (spec.maxLength ?? Infinity) ? v.length : codePoints(v);
                return len >= (spec.minLength ?? 0) && len <= (spec.maxLength ?? Infinity);
            }
            case 'boolean':
                return typeof v === 'boolean';
            case 'const':
            case 'enum':
                return typeof v === 'string' && spec.values!.includes(v);
            case 'timestamp':
                return typeof v === 'string' && TIMESTAMP_RE.test(v);
            default:
                return custom[spec.t].check(v);
        }
    };
    const expectation = (spec: FieldSpec<K>): string => {
        let s: string;
        switch (spec.t) {
            case 'number':
            case 'integer': {
                const lo =
                    spec.min !== undefined
                        ? `${spec.min} <= `
                        : spec.exclMin !== undefined
                          ? `${spec.exclMin} < `
                          : '';
                const hi =
                    spec.max !== undefined
                        ? ` <= ${spec.max}`
                        : spec.exclMax !== undefined
                          ? ` < ${spec.exclMax}`
                          : '';
                s = lo || hi ? `${spec.t} ${lo}x${hi}` : spec.t;
                break;
            }
            case 'string':
                s =
                    spec.patternText !== undefined
                        ? `string of ${spec.patternText}`
                        : `string of ${spec.minLength ?? 0}..${spec.maxLength ?? 'any'} characters`;
                break;
            case 'boolean':
                s = 'true or false';
                break;
            case 'const':
            case 'enum':
                s = spec.values!.map((x) => JSON.stringify(x)).join(' or ');
                break;
            case 'timestamp':
                s = 'date-time like "2026-11-24T10:00:00Z" (Z or ±hh:mm offset)';
                break;
            default:
                s = custom[spec.t].expectation;
        }
        return spec.nullable === true ? `${s} or null` : s;
    };
    return { check, expectation };
}

/** The fields of one JSON object and how to check them, for `fieldsProblem`. */
export interface ObjectRules<S> {
    fields: Readonly<Record<string, S>>;
    required: readonly string[];
    /** Why a field is unknown, as in `unknown field (<unknown>)`. */
    unknown: string;
    expectation: (spec: S) => string;
    /** true: fits; false: the usual "expected …, got …" detail; a string: a detail of its own. */
    check: (spec: S, v: unknown, path: string) => boolean | string;
}

/**
 * The first problem of object `o` (at `path`) against `rules`, as a detail: a required field missing, then in
 * the object's own order an unknown field or one that does not fit. Undefined when there is none.
 */
export function fieldsProblem<S>(
    o: Record<string, unknown>,
    path: string,
    rules: ObjectRules<S>,
): string | undefined {
    const { fields } = rules;
    for (const name of rules.required) {
        if (o[name] === undefined) {
            return `${fieldName(path, name)}: required, expected ${rules.expectation(fields[name]!)}, got nothing`;
        }
    }
    for (const key in o) {
        if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
        const spec = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
        if (spec === undefined) return `${fieldName(path, key)}: unknown field (${rules.unknown})`;
        const value = o[key];
        const fits = rules.check(spec, value, path);
        if (fits === true) continue;
        return typeof fits === 'string' ? fits : mismatch(path, key, rules.expectation(spec), value);
    }
    return undefined;
}

/** The detail for an event that is not a JSON object (`path || 'event'`), else undefined. */
export function notAnObject(v: unknown, path: string): string | undefined {
    return typeof v !== 'object' || v === null || Array.isArray(v)
        ? `${path || 'event'}: expected an object, got ${describeValue(v)}`
        : undefined;
}

/** The detail for a field whose value `v` is not what it should be: `field "…": expected …, got …`. */
export function mismatch(path: string, key: string, expected: string, v: unknown): string {
    return `${fieldName(path, key)}: expected ${expected}, got ${describeValue(v)}`;
}

/** A value for details: its JSON (cut at 40 characters) and type; `null`, or `nothing` for undefined. */
export function describeValue(v: unknown): string {
    if (v === undefined) return 'nothing';
    if (v === null) return 'null';
    let s = JSON.stringify(v) ?? typeof v;
    if (s.length > 40) s = s.slice(0, 37) + '...';
    return `${s} (${Array.isArray(v) ? 'array' : typeof v})`;
}

/** `field "<path>.<key>"` (no path: `field "<key>"`). */
export function fieldName(path: string, key: string): string {
    return `field "${path ? `${path}.` : ''}${key}"`;
}

function codePoints(s: string): number {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) i++;
        }
        n++;
    }
    return n;
}

function isWs(c: number): boolean {
    return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

// ---------------------------------------------------------------------------------------------------------
// Timestamps

/** The schemas' RFC 3339 date-time pattern (Z or ±hh:mm offset, up to 9 fraction digits). */
export const TIMESTAMP_RE =
    /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?(?:(Z)|([+-])([01]\d|2[0-3]):([0-5]\d))$/;

/** An RFC 3339 date-time (as the schema's pattern) to epoch ms; undefined when the date does not exist. */
export function parseTimestamp(s: string): number | undefined {
    const m = TIMESTAMP_RE.exec(s);
    if (m == null) return undefined;
    let offset = 0;
    if (m[8] === undefined) {
        offset = (Number(m[10]) * 60 + Number(m[11])) * (m[9] === '-' ? -1 : 1);
    }
    return matchMillis(m, offset);
}
