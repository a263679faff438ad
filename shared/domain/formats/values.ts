/**
 * Small value helpers shared by the format mappers: finite-number and range guards, AIS text cleaning,
 * UTC time parsing. Pure functions, no I/O.
 */

/** A finite number, or undefined. */
export function finite(v: unknown): number | undefined {
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A finite number within [min, max], or undefined. */
export function inRange(v: unknown, min: number, max: number): number | undefined {
    return typeof v === 'number' && v >= min && v <= max ? v : undefined;
}

/** An integer (number, or a string of digits as libais gives `imo`) within [min, max], or undefined. */
export function intInRange(v: unknown, min: number, max: number): number | undefined {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && /^\d{1,15}$/.test(v)) n = Number(v);
    else return undefined;
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** AIS 6-bit text: trailing `@` padding and blanks removed; empty → undefined. */
export function aisText(v: unknown): string | undefined {
    if (typeof v !== 'string') return undefined;
    let end = v.length;
    while (end > 0) {
        const c = v.charCodeAt(end - 1);
        if (c === 64 /* @ */ || c === 32 || c === 9) end--;
        else break;
    }
    let start = 0;
    while (start < end && (v.charCodeAt(start) === 32 || v.charCodeAt(start) === 9)) start++;
    return start < end ? v.slice(start, end) : undefined;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + String(n);

/**
 * An AIS ETA as `MM-DDTHH:mmZ`, or undefined when any part says "not available" (month 0, day 0, hour 24,
 * minute 60) or is out of range. Accepts gpsd's `eta` string or separate `month`/`day`/`hour`/`minute` fields.
 */
export function aisEta(msg: Record<string, unknown>): string | undefined {
    const eta = msg.eta;
    if (typeof eta === 'string') {
        const m = /^(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/.exec(eta);
        if (m == null) return undefined;
        return formatEta(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
    }
    const month = msg.month;
    const day = msg.day;
    const hour = msg.hour;
    const minute = msg.minute;
    if (
        typeof month === 'number' &&
        typeof day === 'number' &&
        typeof hour === 'number' &&
        typeof minute === 'number'
    ) {
        return formatEta(month, day, hour, minute);
    }
    return undefined;
}

function formatEta(month: number, day: number, hour: number, minute: number): string | undefined {
    if (!(
        month >= 1 &&
        month <= 12 &&
        day >= 1 &&
        day <= 31 &&
        hour >= 0 &&
        hour <= 23 &&
        minute >= 0 &&
        minute <= 59
    )) {
        return undefined;
    }
    return `${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}Z`;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms from date-time parts, or undefined when a part is out of range or the day does not exist in
 * that month (2026-02-30). `offsetMinutes` is subtracted (local time = UTC + offset).
 */
export function utcMillis(
    year: number,
    month: number,
    day: number,
    hour: number,
    minute: number,
    second: number,
    millis: number,
    offsetMinutes: number,
): number | undefined {
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
    const dim = DAYS_IN_MONTH[month - 1]!;
    if (day > dim) return undefined;
    if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
        return undefined;
    return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/**
 * `utcMillis` of a date-time pattern's match whose groups 1 to 7 are year, month, day, hour, minute, second and
 * the fraction digits (optional).
 */
export function matchMillis(m: RegExpExecArray, offsetMinutes: number): number | undefined {
    return utcMillis(
        Number(m[1]),
        Number(m[2]),
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
        fractionMillis(m[7]),
        offsetMinutes,
    );
}

/** Fractional-second digits (`.123456`) to whole milliseconds (truncated). */
export function fractionMillis(frac: string | undefined): number {
    if (frac == null || frac.length === 0) return 0;
    return Number((frac + '00').slice(0, 3));
}
