/**
 * CII from gold end to end without I/O: gold `emissions_daily` and `vessel_daily` written the way the gold build
 * writes them (Parquet in an in-memory lake, documents in an in-memory gold store), the CII part of the
 * checkCompliance timer under the run ledger, the findings, alerts and `cii_yearly` rows it writes, and the two
 * endpoints' use cases. Expected ratings come from computeCii on sums done here by hand.
 */
import { describe, expect, it } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import { GoldParquetCiiDays } from '../../../../shared/adapters/GoldParquetCiiDays.js';
import { InMemoryAlertStore } from '../../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryFindingStore } from '../../../../shared/adapters/memory/InMemoryFindingStore.js';
import { InMemoryGoldStore } from '../../../../shared/adapters/memory/InMemoryGoldStore.js';
import { InMemoryJobRunStore } from '../../../../shared/adapters/memory/InMemoryJobRunStore.js';
import { InMemoryLake } from '../../../../shared/adapters/memory/InMemoryLake.js';
import { RecordingAlertPublisher } from '../../../../shared/adapters/memory/RecordingAlertPublisher.js';
import {
    CII_YEARLY_TABLE,
    queryFleetCii,
    queryVesselCii,
} from '../../../../shared/app/compliance/ciiYear.js';
import { CII_JOB, type CiiCheckDeps, runCiiChecks } from '../../../../shared/app/compliance/runCiiChecks.js';
import { writeGoldTable } from '../../../../shared/app/gold/goldOutput.js';
import { EMISSIONS_DAILY_SPEC, VESSEL_DAILY_SPEC } from '../../../../shared/app/gold/goldTables.js';
import { GOLD_JOB } from '../../../../shared/app/gold/runGoldJob.js';
import { computeCii } from '../../../../shared/domain/cii/index.js';
import { NotFoundError, ValidationError } from '../../../../shared/errors.js';
import { RecordingLineageSink } from '../../../fakes/RecordingLineageSink.js';

const H = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 6, 1, 6); // 1 July 2026, 06:00: 181 days of 2026 have passed, and 6 hours
let now = NOW;
const clock = { now: () => now };
const silent = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};

const BURNER = 538_000_001; // bulk carrier 25,000 DWT, 40 t MDO per 400 nm day: rates E
const SLIPPING = 538_000_002; // bulk carrier, 10 t a day in Q1, 60 t a day in Q2: loses bands during the year
const TUG = 538_000_003; // not a CII ship type
const PERSISTENT_D = 538_000_004; // rated D in 2023, 2024, 2025 (stored), fine this year
const SHIP = { shipType: 'bulk_carrier' as const, dwt: 25_000 };

const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Plan {
    mmsi: number;
    cii: string | null;
    fuel: (dayIndex: number) => number;
    nm: number;
}

const PLANS: Plan[] = [
    { mmsi: BURNER, cii: 'bulk_carrier', fuel: () => 40, nm: 400 },
    { mmsi: SLIPPING, cii: 'bulk_carrier', fuel: (i) => (i < 90 ? 10 : 60), nm: 400 },
    { mmsi: TUG, cii: null, fuel: () => 2, nm: 50 },
    { mmsi: PERSISTENT_D, cii: 'bulk_carrier', fuel: () => 12, nm: 400 },
];

/** The gold of 1 January .. 1 July 2026 (1 July partial: nothing sailed yet), written once (Parquet encoding is slow). */
const LAKE = new InMemoryLake(clock.now);
const GOLD = new InMemoryGoldStore();
const seeded = seedGold(LAKE, GOLD);

async function seedGold(lake: InMemoryLake, gold: InMemoryGoldStore): Promise<void> {
    for (let i = 0; i <= 181; i++) {
        const date = dayKey(Date.UTC(2026, 0, 1) + i * DAY);
        const emissions = PLANS.map((p) =>
            emptyRow(EMISSIONS_DAILY_SPEC.columns, {
                date,
                mmsi: p.mmsi,
                particulars: 'file',
                cii_ship_type: p.cii,
                dwt: 25_000,
                gt: 14_000,
                fuel_by_type_t: { HFO: 0, MDO: i === 181 ? 0 : p.fuel(i) },
                partial: i === 181,
            }),
        );
        const daily = PLANS.map((p) =>
            emptyRow(VESSEL_DAILY_SPEC.columns, { date, mmsi: p.mmsi, distance_nm: i === 181 ? 0 : p.nm }),
        );
        await writeGoldTable(lake, gold, EMISSIONS_DAILY_SPEC, date, { index: 0, count: 1 }, emissions);
        await writeGoldTable(lake, gold, VESSEL_DAILY_SPEC, date, { index: 0, count: 1 }, daily);
    }
    // Final ratings of earlier years, as an earlier run stored them.
    for (const year of [2023, 2024, 2025]) {
        await writeGoldTable(lake, gold, { ...cyiSpec() }, `${year}-01-01`, { index: 0, count: 1 }, [
            { year, mmsi: PERSISTENT_D, kind: 'vessel', complete: true, rating: 'D' },
        ]);
    }
}

function cyiSpec() {
    return {
        table: CII_YEARLY_TABLE,
        columns: [
            { name: 'year', type: 'INT32' as const },
            { name: 'mmsi', type: 'INT32' as const },
            { name: 'kind', type: 'STRING' as const },
            { name: 'complete', type: 'BOOLEAN' as const },
            { name: 'rating', type: 'STRING' as const },
        ],
        toDocument: (row: Record<string, unknown>) => ({
            id: `cii_yearly-${String(row.mmsi)}-${String(row.year)}`,
            mmsi: row.mmsi as number,
        }),
    };
}

function emptyRow(
    columns: readonly { name: string }[],
    values: Record<string, unknown>,
): Record<string, unknown> {
    return { ...Object.fromEntries(columns.map((c) => [c.name, null])), ...values };
}

/** A fresh ledger (a buildGold run per day of the seeded gold), findings and alerts over the seeded gold. */
async function setup() {
    await seeded;
    const lake = LAKE;
    const gold = GOLD;
    const runs = new InMemoryJobRunStore();
    for (let i = 0; i <= 181; i++) {
        const window = dayKey(Date.UTC(2026, 0, 1) + i * DAY);
        await runs.put(
            {
                job: GOLD_JOB,
                window,
                status: 'succeeded',
                owner: 'seed',
                leaseUntil: 0,
                attempts: 1,
                startedAt: NOW - 2 * H,
                finishedAt: NOW - H,
            },
            null,
        );
    }
    const findings = new InMemoryFindingStore();
    const publisher = new RecordingAlertPublisher();
    const deps: CiiCheckDeps = {
        fleet: new GoldParquetCiiDays(lake),
        gold,
        runs,
        findings,
        alerts: new InMemoryAlertStore(),
        publisher,
        lake,
        clock,
        logger: silent,
        metrics: { track: () => undefined },
    };
    return { lake, gold, runs, findings, publisher, deps };
}

const SETTINGS = { leaseMs: 10 * 60_000, graceMs: 2 * H };

describe('CII from gold in the checkCompliance timer', () => {
    it('rates the fleet, raises projected E, band drop and corrective action, stores cii_yearly; a second fire is done', async () => {
        now = NOW;
        const { lake, gold, runs, findings, publisher, deps } = await setup();

        const out = await runCiiChecks(deps, SETTINGS, 'fire-1', 'test');
        expect(out).toEqual([
            {
                year: 2026,
                outcome: 'rated',
                vessels: 4,
                rated: 3,
                opened: 4,
                closed: 0,
                alerts: 3,
                upserts: 4,
                goldRows: 5,
                vesselDays: expect.any(Number),
            },
        ]);
        expect((out[0] as { vesselDays: number }).vesselDays).toBeGreaterThanOrEqual(3 * 181);

        const burner = computeCii({
            ...SHIP,
            fuelTonnes: { MDO: 181 * 40 },
            distanceNm: 181 * 400,
            year: 2026,
        });
        expect(burner.rating).toBe('E');
        const byCheck = (mmsi: number, check: string) =>
            findings.all().find((f) => f.mmsi === mmsi && f.check === check);
        expect(byCheck(BURNER, 'cii-projected-rating')).toMatchObject({
            severity: 'critical',
            status: 'open',
        });
        expect(byCheck(BURNER, 'cii-projected-rating')!.evidence.projected).toMatchObject({ rating: 'E' });
        // Q1 at 10 t a day rated better than the half year with Q2 at 60 t a day.
        const q1 = computeCii({ ...SHIP, fuelTonnes: { MDO: 90 * 10 }, distanceNm: 90 * 400, year: 2026 });
        const h1 = computeCii({
            ...SHIP,
            fuelTonnes: { MDO: 90 * 10 + 91 * 60 },
            distanceNm: 181 * 400,
            year: 2026,
        });
        expect(q1.rating < h1.rating).toBe(true);
        const drop = byCheck(SLIPPING, 'cii-band-drop')!;
        expect(drop.evidence).toMatchObject({ to: { rating: h1.rating } });
        expect((drop.evidence.from as { rating: string }).rating <= q1.rating).toBe(true);
        expect(byCheck(PERSISTENT_D, 'cii-corrective-action')).toMatchObject({ severity: 'critical' });
        expect(byCheck(PERSISTENT_D, 'cii-corrective-action')!.summary).toContain('2023, 2024, 2025');
        expect(findings.all().filter((f) => f.mmsi === TUG)).toEqual([]);
        // Q2's 60 t a day projected to the year end rates E too.
        expect(byCheck(SLIPPING, 'cii-projected-rating')).toMatchObject({ severity: 'critical' });
        expect(publisher.published.map((a) => `${a.mmsi} ${String(a.details.check)}`).sort()).toEqual([
            `${BURNER} cii-projected-rating`,
            `${SLIPPING} cii-projected-rating`,
            `${PERSISTENT_D} cii-corrective-action`,
        ]);

        // Stored for /api/fleet/cii: one row per vessel and the fleet's distribution.
        const fleet = await queryFleetCii((n) => ({ year: '2026', limit: '2' })[n] ?? null, gold, now);
        expect(fleet.asOf).toBe(new Date(NOW).toISOString());
        expect(fleet.distribution.notRated).toBe(1);
        expect(Object.values(fleet.distribution.yearToDate).reduce((a, b) => a + b, 0)).toBe(3);
        expect(fleet.distribution.projected.E).toBeGreaterThanOrEqual(1);
        expect(fleet.items).toHaveLength(2);
        const rest = await queryFleetCii(
            (n) => ({ year: '2026', limit: '2', continuation: fleet.continuation! })[n] ?? null,
            gold,
            now,
        );
        expect(rest.items.map((i) => i.mmsi)).toHaveLength(2);
        expect(rest.continuation).toBeUndefined();
        const stored = [...fleet.items, ...rest.items].find((i) => i.mmsi === BURNER)!;
        expect(stored.yearToDate!.attained).toBeCloseTo(burner.attained, 9);
        expect(lake.paths('gold').filter((p) => p.startsWith('cii_yearly/date=2026-01-01/'))).toEqual([
            'cii_yearly/date=2026-01-01/part-0-of-1.parquet',
        ]);

        // A second fire with gold unchanged: done, nothing written.
        const saves = findings.saveCalls;
        expect(await runCiiChecks(deps, SETTINGS, 'fire-2', 'test')).toEqual([
            { year: 2026, outcome: 'done' },
        ]);
        expect(findings.saveCalls).toBe(saves);

        // Gold rebuilt a day later: rated again, the same findings (nothing new to save).
        now = NOW + H;
        await runs.put(
            { ...(await runs.get(GOLD_JOB, '2026-06-30'))!, finishedAt: now - 1 },
            (await runs.get(GOLD_JOB, '2026-06-30'))!.etag,
        );
        const again = await runCiiChecks(deps, SETTINGS, 'fire-3', 'test');
        expect(again[0]).toMatchObject({ outcome: 'rated', opened: 0, closed: 0 });
        expect((await runs.get(CII_JOB, '2026'))!).toMatchObject({
            status: 'succeeded',
            attempts: 2,
            partial: true,
        });
    });

    it('writes one lineage record per rating: gold days in, cii_yearly (rows carry the run id) and the findings out', async () => {
        now = NOW;
        const { lake, gold, deps } = await setup();
        const sink = new RecordingLineageSink();
        await runCiiChecks(
            {
                ...deps,
                lineage: sink,
                lakeNamespace: 'azblob://lake',
                cosmosNamespace: 'azurecosmos://acct/dbs/m',
            },
            SETTINGS,
            'fire-1',
            'test',
        );
        const [record, ...more] = sink.of(CII_JOB);
        expect(more).toEqual([]);
        expect(record).toMatchObject({
            eventType: 'COMPLETE',
            run: {
                facets: {
                    maritime: expect.objectContaining({
                        window: '2026',
                        counts: expect.objectContaining({ vessels: 4, rated: 3, opened: 4 }),
                    }),
                },
            },
        });
        expect(record!.inputs.map((i) => i.name)).toEqual([
            'gold/emissions_daily/',
            'gold/vessel_daily/',
            'colls/gold',
            'colls/findings',
        ]);
        expect(
            record!.outputs.map((o) => [o.name, o.outputFacets?.['outputStatistics']?.['rowCount']]),
        ).toEqual([
            ['gold/cii_yearly/date=2026-01-01/part-0-of-1.parquet', 5],
            ['colls/gold', 5],
            ['colls/findings', 4],
            ['colls/alerts', 3],
        ]);
        const bytes = await lake.readBytes('gold', 'cii_yearly/date=2026-01-01/part-0-of-1.parquet');
        const rows = (await parquetReadObjects({
            file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
            columns: ['run_id'],
        })) as Record<string, unknown>[];
        expect(rows.map((r) => r['run_id'])).toEqual(Array(5).fill(record!.run.runId));
        const page = await gold.query({
            table: 'cii_yearly',
            fromDay: '2026-01-01',
            toDay: '2026-01-01',
            limit: 10,
        });
        expect(page.items.every((d) => d['run_id'] === record!.run.runId)).toBe(true);
    });

    it('two fires at once rate the year once', async () => {
        now = NOW;
        const { deps } = await setup();
        const [a, b] = await Promise.all([
            runCiiChecks(deps, SETTINGS, 'a', 'test'),
            runCiiChecks(deps, SETTINGS, 'b', 'test'),
        ]);
        expect([a[0]!.outcome, b[0]!.outcome].sort()).toEqual(['busy', 'rated']);
    });

    it('no gold for the year: nothing to rate', async () => {
        now = NOW;
        const { deps } = await setup();
        const empty = { ...deps, runs: new InMemoryJobRunStore() };
        expect(await runCiiChecks(empty, SETTINGS, 'x', 'test')).toEqual([]);
    });
});

describe('GET /api/vessels/{mmsi}/cii', () => {
    it('rates from the Cosmos gold rows and returns the inputs, which reproduce the rating with the calculator', async () => {
        now = NOW;
        const { gold } = await setup();
        const r = await queryVesselCii(String(BURNER), () => null, gold, now);
        expect(r).toMatchObject({ mmsi: BURNER, year: 2026, complete: false, applicable: true });
        expect(r.ship).toEqual({
            ciiShipType: 'bulk_carrier',
            capacityUnit: 'DWT',
            dwt: 25_000,
            gt: 14_000,
            capacitySource: 'file',
        });
        expect(r.inputs.yearToDate).toMatchObject({
            from: '2026-01-01',
            to: '2026-07-01',
            daysWithData: 182,
            distanceNm: 181 * 400,
            fuelTonnes: { MDO: 181 * 40 },
        });
        expect(r.inputs.yearToDate.days).toBeCloseTo(181.25, 9);
        const line = r.inputs.calculatorLine as unknown as Parameters<typeof computeCii>[0];
        expect(computeCii(line).attained).toBe(r.yearToDate!.attained);
        expect(r.projected!.rating).toBe('E');
        expect(r.history.map((h) => h.date)).toEqual([
            '2026-01-31',
            '2026-02-28',
            '2026-03-31',
            '2026-04-30',
            '2026-05-31',
            '2026-06-30',
        ]);
        const tug = await queryVesselCii(String(TUG), () => null, gold, now);
        expect(tug).toMatchObject({ applicable: false, yearToDate: null });
        expect(tug.reason).toContain('ship type');
    });

    it('not applicable without gold rows, 400 for a bad year, fleet 404 until rated', async () => {
        const { gold } = await setup();
        const none = await queryVesselCii('366000001', () => null, gold, NOW);
        expect(none).toMatchObject({
            applicable: false,
            yearToDate: null,
            projected: null,
            inputs: { calculatorLine: null },
        });
        expect(none.reason).toContain('no gold emissions or distance');
        await expect(
            queryVesselCii(String(BURNER), (n) => (n === 'year' ? '1999' : null), gold, NOW),
        ).rejects.toThrow(ValidationError);
        await expect(
            queryVesselCii(String(BURNER), (n) => (n === 'year' ? 'x' : null), gold, NOW),
        ).rejects.toThrow(ValidationError);
        await expect(queryFleetCii((n) => (n === 'year' ? '2031' : null), gold, NOW)).rejects.toThrow(
            ValidationError,
        );
        await expect(queryFleetCii((n) => (n === 'year' ? '2019' : null), gold, NOW)).rejects.toThrow(
            NotFoundError,
        );
    });
});
