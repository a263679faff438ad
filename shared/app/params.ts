/**
 * The one parser of HTTP query and path parameters, used by every query use case (vessels, tracks, sensors,
 * alerts, findings, gold), so the same parameter means the same thing on every route and a bad one is a 400
 * (ValidationError) whose message names the parameter, what was expected and what was given.
 *
 * - Integers are plain decimal digits: `1e2`, `0x10`, `+5`, `1.0` and ` 5` are refused (JavaScript's `Number()`
 *   would take them all).
 * - Numbers (bbox) are decimal notation: an optional sign, digits, an optional fraction; no exponent, no hex.
 * - A continuation token is opaque: here only its size and characters (printable ASCII, no spaces) are checked;
 *   the store refuses one it did not hand out, or one of another query (shared/adapters/cosmosSupport.ts
 *   `unwrapToken`), also as a 400.
 */
import { ValidationError } from '../errors.js';
import { isDay } from './gold/window.js';

/** Reads one query parameter (`URLSearchParams.get`): null or undefined when absent. */
export type Params = (name: string) => string | null | undefined;

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
/** Longest continuation token accepted (the stores' tokens are a few hundred characters). */
const MAX_TOKEN_LENGTH = 8_192;

const DECIMAL_INTEGER = /^\d+$/;
const DECIMAL_NUMBER = /^-?\d+(?:\.\d+)?$/;

function absent(value: string | null | undefined): value is null | undefined | '' {
    return value === null || value === undefined || value === '';
}

/** A decimal integer in [min, max]; `undefined` when absent. */
export function parseInteger(
    name: string,
    value: string | null | undefined,
    min: number,
    max: number,
): number | undefined {
    if (absent(value)) return undefined;
    const n = DECIMAL_INTEGER.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new ValidationError(
            `'${name}' must be a decimal integer from ${min} to ${max}; got '${value}'.`,
        );
    }
    return n;
}

export function parseMmsi(value: string | null | undefined): number {
    if (!value || !/^\d{1,9}$/.test(value)) {
        throw new ValidationError(`'mmsi' must be a number of 1 to 9 digits; got '${value ?? ''}'.`);
    }
    return Number(value);
}

/** An optional `mmsi` filter (query parameter). */
export function parseOptionalMmsi(value: string | null | undefined): number | undefined {
    return absent(value) ? undefined : parseMmsi(value);
}

/** ISO 8601 (anything with a date, e.g. `2026-11-24T10:00:00Z`) or epoch milliseconds in decimal digits. */
export function parseTime(name: string, value: string | null | undefined): number | undefined {
    if (absent(value)) return undefined;
    const t = DECIMAL_INTEGER.test(value)
        ? Number(value)
        : /^\d{4}-\d{2}/.test(value)
          ? Date.parse(value)
          : Number.NaN;
    if (!Number.isFinite(t)) {
        throw new ValidationError(
            `'${name}' must be an ISO 8601 time or epoch milliseconds; got '${value}'.`,
        );
    }
    return t;
}

/** A day `YYYY-MM-DD` (a real calendar day). */
export function parseDay(name: string, value: string | null | undefined): string | undefined {
    if (absent(value)) return undefined;
    if (!isDay(value)) throw new ValidationError(`'${name}' must be a date YYYY-MM-DD; got '${value}'.`);
    return value;
}

export function parseLimit(value: string | null | undefined): number {
    return parseInteger('limit', value, 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
}

export function parseContinuation(value: string | null | undefined): string | undefined {
    if (absent(value)) return undefined;
    if (value.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
        throw new ValidationError(
            `'continuation' must be the token of the previous page, as returned; got '${value.slice(0, 80)}'.`,
        );
    }
    return value;
}

export function oneOf<T extends string>(
    name: string,
    value: string | null | undefined,
    allowed: readonly T[],
): T | undefined {
    if (absent(value)) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
        throw new ValidationError(`'${name}' must be one of ${allowed.join(', ')}; got '${value}'.`);
    }
    return value as T;
}

export function parseBbox(value: string | null | undefined): [number, number, number, number] | undefined {
    if (absent(value)) return undefined;
    const texts = value.split(',').map((p) => p.trim());
    const parts = texts.map((p) => (DECIMAL_NUMBER.test(p) ? Number(p) : Number.NaN));
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (
        parts.length !== 4 ||
        parts.some((p) => !Number.isFinite(p)) ||
        minLon === undefined ||
        minLat === undefined ||
        maxLon === undefined ||
        maxLat === undefined ||
        minLon < -180 ||
        maxLon > 180 ||
        minLat < -90 ||
        maxLat > 90 ||
        minLon > maxLon ||
        minLat > maxLat
    ) {
        throw new ValidationError(
            `'bbox' must be 'minLon,minLat,maxLon,maxLat' in decimal degrees with min <= max; got '${value}'.`,
        );
    }
    return [minLon, minLat, maxLon, maxLat];
}
