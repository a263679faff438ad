/**
 * The CII part of the `checkCompliance` timer: per calendar year, rate every vessel from gold (year to date and
 * projected), judge the ratings (projected D/E, D three years running or E, a band lost during the year), reconcile
 * the findings, and store the ratings as gold `cii_yearly` (Parquet `gold/cii_yearly/date=YYYY-01-01/` and Cosmos,
 * served by `/api/fleet/cii`).
 *
 * Windows are years in the run ledger (job `checkComplianceCii`, window `YYYY`), so a double fire rates once. A year
 * is due when a `buildGold` run of one of its days finished after the year was last rated (gold changed), or when it
 * was rated before its end (plus grace) and has ended since (the final rating). Candidates: this year and the last.
 */
import {
    ciiFindings,
    type CiiVesselYear,
    type ComplianceCheck,
    type EvaluationScope,
    type FindingDraft,
} from '../../domain/compliance/index.js';
import { type GoldLake, goldPartPath, type GoldTableSpec, writeGoldTable } from '../gold/goldOutput.js';
import { GOLD_JOB } from '../gold/runGoldJob.js';
import { claimRun, failRun, finishRun, type JobRunStore, type StoredJobRun } from '../jobRuns.js';
import { type TimerLineageDeps, withRunLineage } from '../lineage.js';
import type {
    AlertPublisher,
    AlertStore,
    Clock,
    FindingStore,
    GoldDocument,
    GoldStore,
    Logger,
    Metrics,
} from '../ports.js';
import { reconcileAndSave } from './checkComplianceWindow.js';
import {
    CII_YEARLY_TABLE,
    ciiDistribution,
    type CiiFleetSource,
    FLEET_CII_ID,
    type VesselCii,
    vesselCii,
} from './ciiYear.js';

export const CII_JOB = 'checkComplianceCii';
export const CII_CHECKS: readonly ComplianceCheck[] = [
    'cii-projected-rating',
    'cii-corrective-action',
    'cii-band-drop',
];

export interface CiiCheckDeps extends Omit<TimerLineageDeps, 'clock' | 'logger'> {
    fleet: CiiFleetSource;
    gold: GoldStore;
    runs: JobRunStore;
    findings: FindingStore;
    alerts: AlertStore;
    publisher: AlertPublisher;
    lake: GoldLake;
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    /** Aborted when the host stops: no further year is claimed (a year claimed already is rated). */
    signal?: AbortSignal;
}

export interface CiiCheckSettings {
    leaseMs: number;
    graceMs: number;
}

/** What rating a year did (lineage counts included). */
export interface CiiYearRated {
    vessels: number;
    rated: number;
    opened: number;
    closed: number;
    alerts: number;
    /** Vessel-days of gold read (emissions_daily joined with vessel_daily). */
    vesselDays: number;
    /** Findings written (opened, updated, closed). */
    upserts: number;
    /** Rows of gold `cii_yearly` written (the vessels and the fleet row). */
    goldRows: number;
}

export type CiiYearOutcome =
    ({ year: number; outcome: 'rated' } & CiiYearRated) | { year: number; outcome: 'busy' | 'done' | 'lost' };

export const CII_YEARLY_SPEC: GoldTableSpec = {
    table: CII_YEARLY_TABLE,
    columns: [
        { name: 'year', type: 'INT32' },
        { name: 'mmsi', type: 'INT32' },
        { name: 'imo', type: 'INT32' },
        { name: 'kind', type: 'STRING' },
        { name: 'as_of', type: 'STRING' },
        { name: 'complete', type: 'BOOLEAN' },
        { name: 'cii_ship_type', type: 'STRING' },
        { name: 'capacity_unit', type: 'STRING' },
        { name: 'capacity', type: 'DOUBLE' },
        { name: 'capacity_source', type: 'STRING' },
        { name: 'distance_nm', type: 'DOUBLE' },
        { name: 'fuel_by_type_t', type: 'JSON' },
        { name: 'co2_t', type: 'DOUBLE' },
        { name: 'attained', type: 'DOUBLE' },
        { name: 'required', type: 'DOUBLE' },
        { name: 'ratio', type: 'DOUBLE' },
        { name: 'rating', type: 'STRING' },
        { name: 'projected_attained', type: 'DOUBLE' },
        { name: 'projected_rating', type: 'STRING' },
        { name: 'report', type: 'JSON' },
        { name: 'distribution', type: 'JSON' },
    ],
    toDocument: (row) =>
        row.kind === 'fleet'
            ? { id: FLEET_CII_ID(row.year as number), mmsi: 0 }
            : { id: `cii_yearly-${String(row.mmsi)}-${String(row.year)}`, mmsi: row.mmsi as number },
};

const yearEnd = (year: number): number => Date.UTC(year + 1, 0, 1);

/** One fire: the due years (last year, this year), each claimed in the ledger first. */
export async function runCiiChecks(
    deps: CiiCheckDeps,
    settings: CiiCheckSettings,
    owner: string,
    ruleVersion: string,
): Promise<CiiYearOutcome[]> {
    const now = deps.clock.now();
    const thisYear = new Date(now).getUTCFullYear();
    const out: CiiYearOutcome[] = [];
    for (const year of [thisYear - 1, thisYear]) {
        if (deps.signal?.aborted === true) break;
        if (year < 2019 || year > 2030) continue;
        const goldRuns = await deps.runs.list(GOLD_JOB, `${year}-01-01`, `${year}-12-31`);
        const goldChangedAt = Math.max(
            0,
            ...goldRuns.filter((r) => r.status === 'succeeded').map((r) => r.finishedAt ?? 0),
        );
        if (goldChangedAt === 0) continue; // no gold for the year: nothing to rate
        const isStale = (run: StoredJobRun): boolean =>
            goldChangedAt > run.startedAt ||
            (run.partial === true && now >= yearEnd(year) + settings.graceMs);
        const claim = await claimRun(deps.runs, {
            job: CII_JOB,
            window: String(year),
            owner,
            now,
            leaseMs: settings.leaseMs,
            isStale,
        });
        if (claim.outcome !== 'claimed') {
            out.push({ year, outcome: claim.outcome });
            continue;
        }
        try {
            // One lineage run per rating: gold emissions_daily and vessel_daily of the year in; cii_yearly (its rows
            // carry the run id), the findings and the alerts out.
            const part = goldPartPath(CII_YEARLY_TABLE, `${year}-01-01`, { index: 0, count: 1 });
            const rated = await withRunLineage(
                deps,
                { job: CII_JOB, key: `${year}#${claim.run.attempts}`, window: String(year) },
                (runId) => rateYear(deps, year, now, ruleVersion, runId),
                (r, names) => ({
                    inputs: [
                        names.lake('gold', 'emissions_daily/'),
                        names.lake('gold', 'vessel_daily/'),
                        names.cosmos('gold'),
                        names.cosmos('findings'),
                    ],
                    outputs: [
                        names.lake('gold', part, r.goldRows),
                        names.cosmos('gold', r.goldRows),
                        names.cosmos('findings', r.upserts),
                        names.cosmos('alerts', r.alerts),
                    ],
                    counts: {
                        vesselDays: r.vesselDays,
                        vessels: r.vessels,
                        rated: r.rated,
                        opened: r.opened,
                        closed: r.closed,
                        alerts: r.alerts,
                    },
                }),
            );
            const finished = await finishRun(deps.runs, claim.run, {
                now: deps.clock.now(),
                partial: now < yearEnd(year) + settings.graceMs,
                result: {
                    vessels: rated.vessels,
                    rated: rated.rated,
                    opened: rated.opened,
                    closed: rated.closed,
                },
            });
            out.push(finished === 'lost' ? { year, outcome: 'lost' } : { year, outcome: 'rated', ...rated });
        } catch (error) {
            await failRun(
                deps.runs,
                claim.run,
                deps.clock.now(),
                error instanceof Error ? error.message : String(error),
            );
            throw error;
        }
    }
    return out;
}

/** Rates one year for the whole fleet and reconciles its CII findings. */
export async function rateYear(
    deps: CiiCheckDeps,
    year: number,
    now: number,
    ruleVersion: string,
    /** The run (lineage): every `cii_yearly` row written carries it as `run_id`. */
    runId?: string,
): Promise<CiiYearRated> {
    const asOf = Math.min(now, yearEnd(year));
    const toDay = new Date(asOf - 1).toISOString().slice(0, 10);
    const days = await deps.fleet.readYear(year, toDay);
    const byVessel = new Map<number, typeof days>();
    for (const d of days) {
        const list = byVessel.get(d.mmsi);
        if (list === undefined) byVessel.set(d.mmsi, [d]);
        else list.push(d);
    }
    const reports = [...byVessel].map(([mmsi, list]) => vesselCii(mmsi, list, year, asOf));
    const previous = await previousRatings(deps.gold, year);

    const drafts: FindingDraft[] = [];
    for (const r of reports) {
        if (r.yearToDate === null) continue;
        const v: CiiVesselYear = {
            mmsi: r.mmsi,
            ...(r.imo !== null && { imo: r.imo }),
            year,
            asOf: Date.parse(r.asOf),
            complete: r.complete,
            yearToDate: r.yearToDate,
            ...(r.projected !== null && !r.complete && { projected: r.projected }),
            previousYears: previous.get(r.mmsi) ?? [],
            history: r.history,
            daysWithData: r.inputs.yearToDate.daysWithData,
        };
        drafts.push(...ciiFindings(v));
    }
    const scope: EvaluationScope = { checks: CII_CHECKS, start: Date.UTC(year, 0, 1), end: yearEnd(year) };
    const { rec, alerts } = await reconcileAndSave(deps, scope, drafts, { now: () => now }, ruleVersion);

    const rows = reports.map((r) => yearlyRow(r));
    rows.push({
        year,
        mmsi: 0,
        imo: null,
        kind: 'fleet',
        as_of: new Date(asOf).toISOString(),
        complete: asOf >= yearEnd(year),
        distribution: ciiDistribution(reports),
    });
    await writeGoldTable(
        deps.lake,
        deps.gold,
        CII_YEARLY_SPEC,
        `${year}-01-01`,
        { index: 0, count: 1 },
        rows,
        runId,
    );
    const summary: CiiYearRated = {
        vessels: reports.length,
        rated: reports.filter((r) => r.yearToDate !== null).length,
        opened: rec.opened.length,
        closed: rec.closed.length,
        alerts: alerts.length,
        vesselDays: days.length,
        upserts: rec.upserts.length,
        goldRows: rows.length,
    };
    deps.logger.info('cii year rated', { year, ...summary });
    deps.metrics.track('compliance.ciiRated', summary.rated, { year: String(year) });
    return summary;
}

function yearlyRow(r: VesselCii): Record<string, unknown> {
    const unit = r.ship.capacityUnit;
    return {
        year: r.year,
        mmsi: r.mmsi,
        imo: r.imo,
        kind: 'vessel',
        as_of: r.asOf,
        complete: r.complete,
        cii_ship_type: r.ship.ciiShipType,
        capacity_unit: unit,
        capacity: unit === 'DWT' ? r.ship.dwt : unit === 'GT' ? r.ship.gt : null,
        capacity_source: r.ship.capacitySource,
        distance_nm: r.inputs.yearToDate.distanceNm,
        fuel_by_type_t: r.inputs.yearToDate.fuelTonnes,
        co2_t: r.yearToDate?.co2Tonnes ?? null,
        attained: r.yearToDate?.attained ?? null,
        required: r.yearToDate?.required ?? null,
        ratio: r.yearToDate?.ratio ?? null,
        rating: r.yearToDate?.rating ?? null,
        projected_attained: r.projected?.attained ?? null,
        projected_rating: r.projected?.rating ?? null,
        report: r,
        distribution: null,
    };
}

/** Final ratings of the three years before `year`, per vessel (from the stored `cii_yearly` rows of complete years). */
async function previousRatings(
    gold: GoldStore,
    year: number,
): Promise<Map<number, { year: number; rating: 'A' | 'B' | 'C' | 'D' | 'E' }[]>> {
    const out = new Map<number, { year: number; rating: 'A' | 'B' | 'C' | 'D' | 'E' }[]>();
    let continuation: string | undefined;
    do {
        const page: { items: GoldDocument[]; continuation?: string } = await gold.query({
            table: CII_YEARLY_TABLE,
            fromDay: `${year - 3}-01-01`,
            toDay: `${year - 1}-01-01`,
            where: { kind: 'vessel' },
            limit: 1000,
            ...(continuation !== undefined && { continuation }),
        });
        for (const d of page.items) {
            if (d.complete !== true || typeof d.rating !== 'string' || !/^[A-E]$/.test(d.rating)) continue;
            const list = out.get(d.mmsi) ?? [];
            list.push({ year: d.year as number, rating: d.rating as 'A' });
            out.set(d.mmsi, list);
        }
        continuation = page.continuation;
    } while (continuation !== undefined);
    return out;
}
