/**
 * CII findings, from ratings the CII domain computes (`computeCii` / `projectCii` of the emissions work: attained,
 * required, ratio and rating per MEPC.352(78)/353(78)/338(76) as amended by MEPC.400(83)/354(78)). These functions
 * only judge ratings, so they take any result with that shape.
 *
 * 1. `cii-projected-rating`: the rating projected to the end of the year is D (warning) or E (critical). The
 *    finding says since when (first seen = the first evaluation that projected it) and is updated as the year goes.
 *    Source: MARPOL Annex VI reg. 28.6 (D three years running or E once needs a corrective action plan).
 *    Only from at least `CII_PROJECTION_MIN_DAYS` (30) days with data in the year: the rating is annual (G1: the
 *    calendar year's fuel over its transport work), and the projection fills the rest of the year at the rate of
 *    the last 30 days, so from a day or two it rates whatever those days were (a day at berth burns auxiliary fuel
 *    over no distance: E), not the year. The projection itself is still computed and served (`cii_yearly`,
 *    `/api/vessels/{mmsi}/cii`, with `daysWithData`); only the finding (and its alert) waits for the data.
 * 2. `cii-corrective-action`: a completed year rated E, or the third consecutive completed year rated D: a corrective
 *    action plan is due in SEEMP Part III (MARPOL Annex VI reg. 28.6 to 28.9; plan submitted and verified within one
 *    month of reporting). Critical.
 * 3. `cii-band-drop`: during the year the year-to-date rating fell by at least one band below the best rating it had
 *    earlier that year (e.g. B at the end of March, C at the end of June). Warning: an early sign, with the two points.
 */
import { type FindingDraft, findingId, type FindingSeverity, round } from './finding.js';

export type Rating = 'A' | 'B' | 'C' | 'D' | 'E';
const BANDS: readonly Rating[] = ['A', 'B', 'C', 'D', 'E'];

/** The shape of a CII result this module needs. */
export interface RatedPeriod {
    attained: number;
    required: number;
    ratio: number;
    rating: Rating;
}

export interface CiiVesselYear {
    mmsi: number;
    imo?: number;
    year: number;
    /** Event time the figures run to, epoch ms. */
    asOf: number;
    /** True when the year is complete (the rating is final). */
    complete: boolean;
    yearToDate?: RatedPeriod;
    /** Projected to the year end (absent when the year is complete). */
    projected?: RatedPeriod;
    /** Final ratings of earlier calendar years. */
    previousYears: readonly { year: number; rating: Rating }[];
    /** Year-to-date ratings at earlier points of this year (month ends, say), ascending. */
    history: readonly { asOf: number; rating: Rating }[];
    /** Days of this year with figures (fuel or distance): how much of the year the ratings rest on. */
    daysWithData: number;
}

/** Days with data a projected rating needs before it raises a `cii-projected-rating` finding (see above). */
export const CII_PROJECTION_MIN_DAYS = 30;

const SOURCE_PLAN = 'MARPOL Annex VI reg. 28.6-28.9 (corrective action plan in SEEMP Part III)';
const SOURCE_RATING =
    'MEPC.352(78) G1, MEPC.353(78) G2, MEPC.338(76) G3 as amended by MEPC.400(83), MEPC.354(78) G4';

const worse = (a: Rating, b: Rating): number => BANDS.indexOf(a) - BANDS.indexOf(b);
const period = (p: RatedPeriod) => ({
    attained: round(p.attained, 4),
    required: round(p.required, 4),
    ratio: round(p.ratio, 4),
    rating: p.rating,
});

export function ciiFindings(v: CiiVesselYear): FindingDraft[] {
    const out: FindingDraft[] = [];
    const base = { mmsi: v.mmsi, ...(v.imo !== undefined && { imo: v.imo }) };

    if (
        !v.complete &&
        v.projected !== undefined &&
        v.daysWithData >= CII_PROJECTION_MIN_DAYS &&
        (v.projected.rating === 'D' || v.projected.rating === 'E')
    ) {
        const severity: FindingSeverity = v.projected.rating === 'E' ? 'critical' : 'warning';
        out.push({
            ...base,
            id: findingId('cii-projected-rating', v.mmsi, [v.year]),
            check: 'cii-projected-rating',
            severity,
            firstSeen: v.asOf,
            lastSeen: v.asOf,
            ongoing: true,
            summary: `CII ${v.year} projected to rate ${v.projected.rating} (attained/required ${round(v.projected.ratio, 3)})`,
            evidence: {
                rule: 'Projected CII rating for the year should be C or better (D three years running or E once requires a corrective action plan)',
                source: `${SOURCE_RATING}; ${SOURCE_PLAN}`,
                year: v.year,
                asOf: new Date(v.asOf).toISOString(),
                daysWithData: v.daysWithData,
                projected: period(v.projected),
                yearToDate: v.yearToDate === undefined ? null : period(v.yearToDate),
            },
        });
    }

    // Completed years, oldest first, including this one when complete.
    const finals = [...v.previousYears];
    if (v.complete && v.yearToDate !== undefined) finals.push({ year: v.year, rating: v.yearToDate.rating });
    finals.sort((a, b) => a.year - b.year);
    const last = finals[finals.length - 1];
    if (last !== undefined) {
        const run = finals.filter((f) => f.year > last.year - 3);
        const dThree =
            run.length === 3 && run.every((f) => f.rating === 'D') && run[0]!.year === last.year - 2;
        if (last.rating === 'E' || dThree) {
            const yearEnd = Date.UTC(last.year + 1, 0, 1) - 1;
            out.push({
                ...base,
                id: findingId('cii-corrective-action', v.mmsi, [last.year]),
                check: 'cii-corrective-action',
                severity: 'critical',
                firstSeen: Date.UTC(last.year, 0, 1),
                lastSeen: yearEnd,
                summary:
                    last.rating === 'E'
                        ? `CII ${last.year} rated E: corrective action plan required`
                        : `CII rated D in ${run.map((f) => f.year).join(', ')}: corrective action plan required`,
                evidence: {
                    rule: 'A ship rated E in a year, or D for three consecutive years, submits a corrective action plan with its SEEMP Part III',
                    source: SOURCE_PLAN,
                    ratings: finals.map((f) => ({ year: f.year, rating: f.rating })),
                    trigger: last.rating === 'E' ? 'E' : 'D three consecutive years',
                },
            });
        }
    }

    // A band lost during the year.
    const now = v.yearToDate?.rating;
    if (now !== undefined) {
        const earlier = v.history.filter((h) => h.asOf < v.asOf);
        const best = earlier.reduce<{ asOf: number; rating: Rating } | undefined>(
            (m, h) => (m === undefined || worse(h.rating, m.rating) < 0 ? h : m),
            undefined,
        );
        if (best !== undefined && worse(now, best.rating) >= 1) {
            out.push({
                ...base,
                id: findingId('cii-band-drop', v.mmsi, [v.year]),
                check: 'cii-band-drop',
                severity: 'warning',
                firstSeen: best.asOf,
                lastSeen: v.asOf,
                ...(!v.complete && { ongoing: true }),
                summary: `CII ${v.year} year to date fell from ${best.rating} to ${now}`,
                evidence: {
                    rule: 'Year-to-date CII rating should not fall a band or more below its best earlier in the year',
                    source: SOURCE_RATING,
                    year: v.year,
                    from: { rating: best.rating, asOf: new Date(best.asOf).toISOString() },
                    to: { rating: now, asOf: new Date(v.asOf).toISOString() },
                    bandsLost: worse(now, best.rating),
                    yearToDate: period(v.yearToDate!),
                },
            });
        }
    }
    return out;
}
