/**
 * A vessel's CII over a calendar year from daily figures (gold `emissions_daily` fuel per type, `vessel_daily`
 * distance): year to date, projected to the year end, and the year-to-date rating at each earlier month end (what
 * the band-drop check compares with). Pure: the same days give the same report, so a user can redo it by hand from
 * the `inputs` it returns with `npx maritime cii`.
 *
 * - Year to date: the sums of the days of the year up to `asOf` (G1: the calendar year's fuel and distance).
 * - Projected: year to date plus the rest of the year at the daily rate of the last `recentDays` days (30), or at
 *   the year-to-date rate when the recent window has no distance (`projectCii`). Days elapsed are counted to the
 *   millisecond from 1 January to `asOf`, so a partial today counts as the part of the day that passed.
 * - A period without distance cannot be rated (attained = M / (capacity x 0)): its result is null.
 */
import { FUELS, type FuelTonnes } from '../fuel/fuels.js';
import { type CiiResult, type CiiShip, computeCii, projectCii } from './cii.js';

const DAY_MS = 86_400_000;

/** One day of a vessel's figures. */
export interface CiiDay {
    /** `YYYY-MM-DD` (UTC). */
    date: string;
    fuelTonnes: FuelTonnes;
    distanceNm: number;
}

export interface CiiPeriodInputs {
    /** First and last day summed, `YYYY-MM-DD`. */
    from: string;
    to: string;
    /** Calendar days the period spans (fractional for a partial day). */
    days: number;
    /** Days with figures. */
    daysWithData: number;
    fuelTonnes: FuelTonnes;
    distanceNm: number;
}

export interface CiiYearReport {
    year: number;
    /** Epoch ms the figures run to (`asOf` clipped to the year). */
    asOf: number;
    /** The year has ended: the year-to-date rating is the final one. */
    complete: boolean;
    daysInYear: number;
    yearToDate: { inputs: CiiPeriodInputs; result: CiiResult | null };
    recent: { inputs: CiiPeriodInputs } | null;
    /** Year to date plus the rest of the year at the recent (or year-to-date) rate. */
    projected: {
        fuelTonnes: FuelTonnes;
        distanceNm: number;
        rate: 'recent' | 'year-to-date';
        result: CiiResult;
    } | null;
    /** Year-to-date rating at each month end before `asOf`, ascending (months without distance left out). */
    history: { asOf: number; date: string; rating: CiiResult['rating']; attained: number }[];
}

export interface CiiYearOptions {
    year: number;
    /** Epoch ms: now for the running year (clipped to the year end). */
    asOf: number;
    /** Days of the recent-rate window (default 30). */
    recentDays?: number;
    capTransportWork?: boolean;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Sums the days whose date lies in [fromDay, toDay]. */
export function sumDays(
    days: readonly CiiDay[],
    fromDay: string,
    toDay: string,
): Omit<CiiPeriodInputs, 'days'> {
    const fuelTonnes: FuelTonnes = {};
    let distanceNm = 0;
    let daysWithData = 0;
    for (const d of days) {
        if (d.date < fromDay || d.date > toDay) continue;
        daysWithData++;
        distanceNm += d.distanceNm;
        for (const f of FUELS) {
            const t = d.fuelTonnes[f];
            if (t !== undefined && t !== 0) fuelTonnes[f] = (fuelTonnes[f] ?? 0) + t;
        }
    }
    return { from: fromDay, to: toDay, daysWithData, fuelTonnes, distanceNm };
}

function rate(
    ship: CiiShip & { capTransportWork?: boolean },
    year: number,
    p: { fuelTonnes: FuelTonnes; distanceNm: number },
): CiiResult | null {
    return p.distanceNm > 0
        ? computeCii({ ...ship, year, fuelTonnes: p.fuelTonnes, distanceNm: p.distanceNm })
        : null;
}

export function ciiYear(ship: CiiShip, days: readonly CiiDay[], options: CiiYearOptions): CiiYearReport {
    const { year } = options;
    const rated = { ...ship, ...(options.capTransportWork === true && { capTransportWork: true }) };
    const yearStart = Date.UTC(year, 0, 1);
    const daysInYear = isLeap(year) ? 366 : 365;
    const yearEnd = yearStart + daysInYear * DAY_MS;
    const asOf = Math.min(Math.max(options.asOf, yearStart + 1), yearEnd);
    const complete = asOf >= yearEnd;
    const elapsed = (asOf - yearStart) / DAY_MS;
    const lastDay = dayKey(asOf - 1);

    const ytdSums = { ...sumDays(days, `${year}-01-01`, lastDay), days: elapsed };
    const yearToDate = { inputs: ytdSums, result: rate(rated, year, ytdSums) };

    const recentDays = Math.min(options.recentDays ?? 30, elapsed);
    const recentFrom = dayKey(Math.max(yearStart, asOf - Math.ceil(recentDays) * DAY_MS));
    const recentSums = { ...sumDays(days, recentFrom, lastDay), days: recentDays };
    const recent = complete ? null : { inputs: recentSums };

    let projected: CiiYearReport['projected'] = null;
    if (yearToDate.result !== null) {
        const useRecent = !complete && recentSums.distanceNm > 0 && recentDays > 0;
        const p = projectCii(
            rated,
            year,
            {
                fuelTonnes: ytdSums.fuelTonnes,
                distanceNm: ytdSums.distanceNm,
                days: Math.min(elapsed, daysInYear),
            },
            useRecent
                ? { fuelTonnes: recentSums.fuelTonnes, distanceNm: recentSums.distanceNm, days: recentDays }
                : undefined,
        );
        projected = {
            fuelTonnes: p.projectedFuelTonnes,
            distanceNm: p.projectedDistanceNm,
            rate: useRecent ? 'recent' : 'year-to-date',
            result: p.projected,
        };
    }

    const history: CiiYearReport['history'] = [];
    for (let m = 1; m <= 12; m++) {
        const monthEnd = Date.UTC(year, m, 1);
        if (monthEnd >= asOf) break;
        const r = rate(rated, year, sumDays(days, `${year}-01-01`, dayKey(monthEnd - 1)));
        if (r !== null)
            history.push({
                asOf: monthEnd,
                date: dayKey(monthEnd - 1),
                rating: r.rating,
                attained: r.attained,
            });
    }
    return { year, asOf, complete, daysInYear, yearToDate, recent, projected, history };
}
