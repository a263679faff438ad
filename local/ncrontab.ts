/**
 * NCRONTAB schedules as the Functions timer trigger reads them: six fields
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, each `*`, a number, a range `a-b`, a list `a,b` or a
 * step `*\/n` / `a-b/n`. UTC (Flex Consumption has no time-zone setting).
 */
export interface Schedule {
    fields: Set<number>[];
}

const RANGES: readonly [number, number][] = [
    [0, 59],
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
];

function parseField(text: string, [min, max]: [number, number], index: number): Set<number> {
    const out = new Set<number>();
    for (const part of text.split(',')) {
        const [rangeText, stepText] = part.split('/');
        const step = stepText === undefined ? 1 : Number(stepText);
        let lo: number;
        let hi: number;
        if (rangeText === '*') [lo, hi] = [min, max];
        else if (rangeText?.includes('-')) [lo, hi] = rangeText.split('-').map(Number) as [number, number];
        else {
            lo = Number(rangeText);
            hi = stepText === undefined ? lo : max;
        }
        if (![lo, hi, step].every(Number.isInteger) || lo < min || hi > max || lo > hi || step < 1) {
            throw new Error(
                `NCRONTAB field ${index + 1} '${text}' is not valid (expected values ${min}-${max})`,
            );
        }
        for (let v = lo; v <= hi; v += step) out.add(v);
    }
    return out;
}

export function parseNcrontab(expression: string): Schedule {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 6) {
        throw new Error(
            `NCRONTAB '${expression}' must have 6 fields: second minute hour day month day-of-week`,
        );
    }
    return { fields: parts.map((p, i) => parseField(p, RANGES[i] as [number, number], i)) };
}

/** The first matching whole second strictly after `after` (epoch ms). */
export function nextOccurrence(schedule: Schedule, after: number): number {
    const [sec, min, hour, day, month, dow] = schedule.fields as [
        Set<number>,
        Set<number>,
        Set<number>,
        Set<number>,
        Set<number>,
        Set<number>,
    ];
    let t = Math.floor(after / 1000) * 1000 + 1000;
    const limit = after + 366 * 86_400_000;
    while (t < limit) {
        const d = new Date(t);
        if (!month.has(d.getUTCMonth() + 1) || !day.has(d.getUTCDate()) || !dow.has(d.getUTCDay())) {
            t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
            continue;
        }
        if (!hour.has(d.getUTCHours())) {
            t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
            continue;
        }
        if (!min.has(d.getUTCMinutes())) {
            t = Date.UTC(
                d.getUTCFullYear(),
                d.getUTCMonth(),
                d.getUTCDate(),
                d.getUTCHours(),
                d.getUTCMinutes() + 1,
            );
            continue;
        }
        if (!sec.has(d.getUTCSeconds())) {
            t += 1000;
            continue;
        }
        return t;
    }
    throw new Error('NCRONTAB schedule has no occurrence within a year');
}
