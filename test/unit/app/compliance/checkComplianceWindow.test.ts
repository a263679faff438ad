/**
 * checkComplianceWindow end to end without I/O: AIS JSON events through the real ingest use case into an in-memory
 * lake (real silver Parquet bytes), sensor readings as silver Parquet with the real columns, then the compliance run
 * reading that silver with the SilverComplianceInputs adapter. Checks the findings, the alerts, the gold Parquet, a
 * second run (nothing written), and late data closing a finding.
 */
import { describe, expect, it } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';

import configZones from '../../../../config/speed-zones.json' with { type: 'json' };
import { GoldParquetCiiDays } from '../../../../shared/adapters/GoldParquetCiiDays.js';
import { InMemoryAlertStore } from '../../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryFindingStore } from '../../../../shared/adapters/memory/InMemoryFindingStore.js';
import { InMemoryGoldStore } from '../../../../shared/adapters/memory/InMemoryGoldStore.js';
import { InMemoryJobRunStore } from '../../../../shared/adapters/memory/InMemoryJobRunStore.js';
import { InMemoryLake } from '../../../../shared/adapters/memory/InMemoryLake.js';
import { RecordingAlertPublisher } from '../../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { SilverComplianceInputs } from '../../../../shared/adapters/SilverComplianceInputs.js';
import {
    checkComplianceWindow,
    type ComplianceSettings,
    FINDINGS_TABLE,
} from '../../../../shared/app/compliance/checkComplianceWindow.js';
import {
    type ComplianceTimerDeps,
    runComplianceTimer,
} from '../../../../shared/app/compliance/runComplianceTimer.js';
import { ingestAisBatch } from '../../../../shared/app/ingestAisBatch.js';
import { traceGoldDay } from '../../../../shared/app/lineage.js';
import type { Metrics, ReceivedEvent } from '../../../../shared/app/ports.js';
import { SENSOR_COLUMNS, SENSOR_READINGS_TABLE } from '../../../../shared/app/silverTables.js';
import {
    DEFAULT_DARK_GAP_SETTINGS,
    DEFAULT_IDENTITY_SETTINGS,
    DEFAULT_SPEED_SETTINGS,
    DEFAULT_SULPHUR_SETTINGS,
    parseSpeedZones,
} from '../../../../shared/domain/compliance/index.js';
import { createZoneIndex } from '../../../../shared/domain/zones/index.js';
import { RecordingLineageSink } from '../../../fakes/RecordingLineageSink.js';
import { aisIngestFakes } from '../../../helpers/ingestFakes.js';

const H = 3_600_000;
const DAY = '2026-12-01';
const D0 = Date.UTC(2026, 11, 1);
let now = D0 + 16 * H; // 16:00: today so far
const clock = { now: () => now };
const silent = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};
const metrics: Metrics = { track: () => undefined };
const zones = createZoneIndex();
const SETTINGS: ComplianceSettings = {
    lookbackHours: 48,
    darkGap: DEFAULT_DARK_GAP_SETTINGS,
    speed: DEFAULT_SPEED_SETTINGS,
    sulphur: DEFAULT_SULPHUR_SETTINGS,
    identity: DEFAULT_IDENTITY_SETTINGS,
};

const GAPPER = 219_000_001; // North Sea, silent 02:00 to 10:00
const SPEEDER = 367_000_002; // 15 kn inside the Southeast right whale SMA, 200 m long
const BURNER = 244_000_003; // 0.8 % sulphur fuel in the North Sea ECA

function position(mmsi: number, t: number, lat: number, lon: number, sog = 12): string {
    return JSON.stringify({
        type: 'position',
        mmsi,
        timestamp: new Date(t).toISOString(),
        lat,
        lon,
        sog,
        cog: 90,
        navStatus: 0,
    });
}

function events(bodies: string[], first: number): ReceivedEvent[] {
    return bodies.map((body, i) => ({
        body,
        meta: { partitionId: '0', sequenceNumber: first + i, enqueuedTime: now },
    }));
}

async function ingest(lake: InMemoryLake, bodies: string[], first: number): Promise<void> {
    const s = await ingestAisBatch(events(bodies, first), aisIngestFakes({ lake, zones, clock }));
    expect(s.accepted).toBe(bodies.length);
}

function fleet(): string[] {
    const out: string[] = [];
    // Gapper: every 10 min 00:00-02:00 and 10:00-12:00, creeping east.
    for (let m = 0; m <= 120; m += 10) out.push(position(GAPPER, D0 + m * 60_000, 55, 3 + m / 600));
    for (let m = 600; m <= 720; m += 10)
        out.push(position(GAPPER, D0 + m * 60_000, 55.5, 4 + (m - 600) / 600));
    // Speeder: static (length 200 m), then 15 kn east along 30.5°N from 81.3°W, every 2 min for 20 min, at 14:00.
    out.push(
        JSON.stringify({
            type: 'static',
            mmsi: SPEEDER,
            timestamp: new Date(D0 + 13 * H).toISOString(),
            imo: 9134270,
            name: 'FAST ONE',
            shipType: 70,
            length: 200,
        }),
    );
    for (let i = 0; i <= 10; i++)
        out.push(
            position(
                SPEEDER,
                D0 + 14 * H + i * 120_000,
                30.5,
                -81.3 + (i * 0.5) / 60 / Math.cos((30.5 * Math.PI) / 180),
                15,
            ),
        );
    // Burner: at sea in the North Sea ECA every 30 min until 16:00.
    for (let m = 0; m < 16 * 60; m += 30) out.push(position(BURNER, D0 + m * 60_000, 54, 4 + m / 2000, 10));
    return out;
}

async function writeSulphur(lake: InMemoryLake): Promise<void> {
    const rows = [8, 9].map((h) => ({
        vessel_key: `mmsi:${BURNER}`,
        mmsi: BURNER,
        imo: null,
        sensor_id: 'fuel-s1',
        quantity: 'fuel_sulphur',
        value: 0.8,
        unit: '%',
        raw_value: 0.8,
        raw_unit: '%',
        event_time: D0 + h * H,
        lat: 54,
        lon: 4.3,
        position_source: 'reading',
        position_offset_s: 0,
        zones: 'eca-north-sea',
        flags: '',
        eh_partition: '0',
        eh_sequence: h,
        eh_enqueued_time: D0 + h * H,
        ingest_time: D0 + h * H,
    }));
    await lake.writeParquet('silver', `${SENSOR_READINGS_TABLE}/date=${DAY}/hour=08/0-1-2.parquet`, {
        columns: SENSOR_COLUMNS,
        rows,
    });
}

function makeDeps(
    lake: InMemoryLake,
    findings: InMemoryFindingStore,
    alerts: InMemoryAlertStore,
    publisher: RecordingAlertPublisher,
): ComplianceTimerDeps & { lake: InMemoryLake } {
    return {
        runs: new InMemoryJobRunStore(),
        gold: new InMemoryGoldStore(),
        fleet: new GoldParquetCiiDays(lake),
        inputs: new SilverComplianceInputs(lake),
        findings,
        alerts,
        publisher,
        lake,
        zones,
        speedZones: parseSpeedZones(configZones),
        ports: [{ locode: 'NLRTM', name: 'Rotterdam', lat: 51.95, lon: 4.05, radiusNm: 3 }],
        clock,
        logger: silent,
        metrics,
    };
}

/** Today so far, cut at 16:00 (every staged vessel has reported within the last 6 h by then, but the gapper in its gap). */
const WINDOW = { day: DAY, start: D0, end: D0 + 24 * H, cut: D0 + 16 * H };

describe('checkComplianceWindow over real silver Parquet', () => {
    it('finds the staged dark gap, speeder and sulphur, alerts the critical ones, writes gold; a rerun writes nothing', async () => {
        const lake = new InMemoryLake(clock.now);
        await ingest(lake, fleet(), 1);
        await writeSulphur(lake);
        const findings = new InMemoryFindingStore();
        const alerts = new InMemoryAlertStore();
        const publisher = new RecordingAlertPublisher();
        const deps = makeDeps(lake, findings, alerts, publisher);

        const s = await checkComplianceWindow(deps, SETTINGS, WINDOW, 'test');

        const byCheck = Object.fromEntries(findings.all().map((f) => [`${f.check}:${f.mmsi}`, f]));
        expect(Object.keys(byCheck).sort()).toEqual(
            [`ais-dark-gap:${GAPPER}`, `speed-zone:${SPEEDER}`, `sulphur-eca:${BURNER}`].sort(),
        );
        expect(byCheck[`ais-dark-gap:${GAPPER}`]!.evidence.gapHours).toBe(8);
        expect(byCheck[`speed-zone:${SPEEDER}`]!.evidence).toMatchObject({
            maxSpeedKn: 15,
            lengthM: 200,
            durationMinutes: 20,
        });
        expect(byCheck[`sulphur-eca:${BURNER}`]!.evidence).toMatchObject({
            maxPct: 0.8,
            readingsAboveCap: 2,
            hoursInZoneThatDay: 15.5,
        });
        expect(s).toMatchObject({ opened: 3, closed: 0, alerts: 2, goldRows: 3 });
        // The two critical ones (speed, sulphur) are alerts, saved and published.
        expect(alerts.all().map((a) => a.kind)).toEqual(['compliance-finding', 'compliance-finding']);
        expect(publisher.published).toHaveLength(2);
        // Gold Parquet, read back.
        const bytes = await lake.readBytes('gold', `${FINDINGS_TABLE}/date=${DAY}/findings.parquet`);
        const rows = await parquetReadObjects({
            file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        });
        expect(rows.map((r) => String(r.check)).sort()).toEqual([
            'ais-dark-gap',
            'speed-zone',
            'sulphur-eca',
        ]);

        // A double fire: same result, nothing written.
        const saves = findings.saveCalls;
        const again = await checkComplianceWindow(deps, SETTINGS, WINDOW, 'test');
        expect(again).toMatchObject({ opened: 0, updated: 0, closed: 0, unchanged: 3, alerts: 0 });
        expect(findings.saveCalls).toBe(saves);
    });

    it('late fixes that fill the gap close the dark-gap finding; it is not duplicated', async () => {
        const lake = new InMemoryLake(clock.now);
        await ingest(lake, fleet(), 1);
        const findings = new InMemoryFindingStore();
        const deps = makeDeps(lake, findings, new InMemoryAlertStore(), new RecordingAlertPublisher());
        await checkComplianceWindow(deps, SETTINGS, WINDOW, 'test');
        expect(findings.all().filter((f) => f.check === 'ais-dark-gap')).toHaveLength(1);

        // A receiver's backlog arrives: fixes every hour through the gap.
        const late: string[] = [];
        for (let h = 3; h <= 9; h++) late.push(position(GAPPER, D0 + h * H, 55.2, 3.5));
        now += H;
        await ingest(lake, late, 1000);
        const s = await checkComplianceWindow(deps, SETTINGS, WINDOW, 'test');
        expect(s.closed).toBe(1);
        const gaps = findings.all().filter((f) => f.check === 'ais-dark-gap');
        expect(gaps).toHaveLength(1);
        expect(gaps[0]).toMatchObject({ status: 'closed' });
        expect(gaps[0]!.closedReason).toContain('evaluated again');
    });
});

describe('checkComplianceWindow while the feed catches up (a backlog after an outage, a history replayed)', () => {
    const FLEET = [219_000_011, 219_000_012, 219_000_013];
    const GONE = 219_000_014; // really silent from 07:00
    const LIVE = 219_000_015; // another source, live: reports at the clock while the backlog arrives

    /** Positions every 10 min in [from, to) (GONE until 07:00), arriving as `arrival(t)` says. */
    function backlog(from: number, to: number, arrival: (t: number) => number): ReceivedEvent[] {
        const out: ReceivedEvent[] = [];
        for (let t = from; t < to; t += 10 * 60_000)
            for (const [k, mmsi] of [...FLEET, GONE].entries()) {
                if (mmsi === GONE && t > D0 + 7 * H) continue;
                out.push({
                    body: position(mmsi, t, 55 + k / 10, 3 + (t - D0) / (24 * H)),
                    meta: { partitionId: '0', sequenceNumber: out.length, enqueuedTime: arrival(t) },
                });
            }
        return out;
    }
    const live = (t: number, sequence: number): ReceivedEvent => ({
        body: position(LIVE, t, 54, 4),
        meta: { partitionId: '1', sequenceNumber: sequence, enqueuedTime: t + 1_000 },
    });

    it('no vessel is dark up to the clock while its fixes are still arriving; once caught up, only the real gap is found, and nothing was opened and closed on the way', async () => {
        const lake = new InMemoryLake(clock.now);
        const findings = new InMemoryFindingStore();
        const publisher = new RecordingAlertPublisher();
        const deps = makeDeps(lake, findings, new InMemoryAlertStore(), publisher);
        const ingestAll = async (batch: ReceivedEvent[]): Promise<void> => {
            const s = await ingestAisBatch(batch, aisIngestFakes({ lake, zones, clock }));
            expect(s.accepted).toBe(batch.length);
        };
        try {
            // 16:00: in the last minute the replay delivered 00:00-08:00 (in event-time order), and the live source
            // its last 10 minutes.
            now = D0 + 16 * H;
            const caughtUpTo = D0 + 8 * H;
            await ingestAll([
                ...backlog(D0, caughtUpTo, (t) => now - 60_000 + ((t - D0) / (caughtUpTo - D0)) * 60_000),
                ...[0, 5, 10].map((m, i) => live(now - m * 60_000, i)),
            ]);
            const first = await checkComplianceWindow(deps, SETTINGS, WINDOW, 'test');
            // Judged up to where the replay had got to (its last minute's 90th percentile), not up to 16:00: without
            // that, all four vessels were "still silent" 8 h (since 07:50) and GONE 9 h.
            expect(first.heardUntil).toBeGreaterThanOrEqual(D0 + 7 * H);
            expect(first.heardUntil).toBeLessThanOrEqual(caughtUpTo);
            expect(findings.all().filter((f) => f.check === 'ais-dark-gap')).toEqual([]);

            // 16:01: the rest of the replay has arrived (08:00-16:00); then the feed is live: 16:02-16:10.
            await ingestAll(
                backlog(caughtUpTo, D0 + 16 * H, (t) => D0 + 16 * H + ((t - caughtUpTo) / (8 * H)) * 60_000),
            );
            const liveFleet: ReceivedEvent[] = [];
            for (let m = 2; m <= 10; m += 2)
                for (const [k, mmsi] of [...FLEET, LIVE].entries()) {
                    const t = D0 + 16 * H + m * 60_000;
                    liveFleet.push({
                        body: mmsi === LIVE ? position(LIVE, t, 54, 4) : position(mmsi, t, 55 + k / 10, 3.7),
                        meta: { partitionId: '2', sequenceNumber: liveFleet.length, enqueuedTime: t + 1_000 },
                    });
                }
            now = D0 + 16 * H + 10 * 60_000 + 2_000;
            await ingestAll(liveFleet);
            const second = await checkComplianceWindow(deps, SETTINGS, { ...WINDOW, cut: now }, 'test');
            // the last 5 minutes of arrivals are live: the horizon is back at the clock
            expect(second.heardUntil).toBeGreaterThan(D0 + 16 * H + 5 * 60_000);
            const gaps = findings.all().filter((f) => f.check === 'ais-dark-gap');
            expect(gaps.map((f) => [f.mmsi, f.status, f.ongoing])).toEqual([[GONE, 'open', true]]);
            expect(gaps[0]!.firstSeen).toBe(D0 + 7 * H);
            expect(gaps[0]!.lastSeen).toBe(second.heardUntil);
            expect(second).toMatchObject({ opened: 1, closed: 0 });
            expect(findings.all().map((f) => f.check)).toEqual(['ais-dark-gap']);
        } finally {
            now = D0 + 16 * H;
        }
    });
});

describe('runComplianceTimer', () => {
    const settings = { ...SETTINGS, horizonDays: 3, maxWindows: 3, graceMs: 2 * H, leaseMs: 10 * 60_000 };
    const checked = (s: Awaited<ReturnType<typeof runComplianceTimer>>): string[] =>
        s.windows.filter((w) => !('outcome' in w)).map((w) => w.day);

    it('checks the days with silver, again while open or within grace or after late data, and not otherwise', async () => {
        now = D0 + 16 * H;
        const lake = new InMemoryLake(clock.now);
        await ingest(lake, fleet(), 1);
        const findings = new InMemoryFindingStore();
        const deps = makeDeps(lake, findings, new InMemoryAlertStore(), new RecordingAlertPublisher());

        const first = await runComplianceTimer(deps, settings, 'test', 'fire-1');
        expect(first.due).toEqual([DAY]); // the days before have no silver
        const day = first.windows[0]!;
        expect('outcome' in day ? day.outcome : day.opened).toBe(2); // the dark gap and the speeder (no sulphur readings here)

        // The next fire: the day is still open, so it is checked again, and nothing changes.
        const saves = findings.saveCalls;
        const second = await runComplianceTimer(deps, settings, 'test', 'fire-2');
        expect(checked(second)).toEqual([DAY]);
        expect(findings.saveCalls).toBe(saves);

        // After midnight + grace the day is final: one last check, then no more.
        now = D0 + 27 * H;
        expect(checked(await runComplianceTimer(deps, settings, 'test', 'fire-3'))).toEqual([DAY]);
        now = D0 + 28 * H;
        expect((await runComplianceTimer(deps, settings, 'test', 'fire-4')).due).toEqual([]);

        // Late data for the day: checked again.
        now = D0 + 29 * H;
        await ingest(lake, [position(GAPPER, D0 + 5 * H, 55.2, 3.5)], 5000);
        expect(checked(await runComplianceTimer(deps, settings, 'test', 'fire-5'))).toEqual([DAY]);
        expect((await runComplianceTimer(deps, settings, 'test', 'fire-6')).due).toEqual([]);
    });

    it('a double fire (two at once) checks the day once: the run ledger lets one claim it, the other finds it busy', async () => {
        now = D0 + 16 * H;
        const lake = new InMemoryLake(clock.now);
        await ingest(lake, fleet(), 1);
        const findings = new InMemoryFindingStore();
        const deps = makeDeps(lake, findings, new InMemoryAlertStore(), new RecordingAlertPublisher());
        let reads = 0;
        const inputs = deps.inputs;
        const counted = {
            ...deps,
            inputs: {
                watermark: inputs.watermark.bind(inputs),
                read: (r: Parameters<typeof inputs.read>[0]) => (reads++, inputs.read(r)),
            },
        };

        const [a, b] = await Promise.all([
            runComplianceTimer(counted, settings, 'test', 'fire-a'),
            runComplianceTimer(counted, settings, 'test', 'fire-b'),
        ]);
        expect(reads).toBe(1);
        expect([...checked(a), ...checked(b)]).toEqual([DAY]);
        const other = [...a.windows, ...b.windows].find((w) => 'outcome' in w);
        expect(other).toEqual({ day: DAY, outcome: 'busy' });
        expect(findings.all().filter((f) => f.status === 'open')).toHaveLength(2);
        const run = await deps.runs.get('checkCompliance', DAY);
        expect(run).toMatchObject({ status: 'succeeded', attempts: 1, partial: true });
    });

    it('each checked day writes one lineage record: silver hours in, the gold findings file (rows carry the run id) out', async () => {
        now = D0 + 16 * H;
        const lake = new InMemoryLake(clock.now);
        await ingest(lake, fleet(), 1);
        await writeSulphur(lake);
        const sink = new RecordingLineageSink();
        const deps = {
            ...makeDeps(
                lake,
                new InMemoryFindingStore(),
                new InMemoryAlertStore(),
                new RecordingAlertPublisher(),
            ),
            lineage: sink,
            lakeNamespace: 'azblob://lake',
            cosmosNamespace: 'azurecosmos://acct/dbs/m',
        };

        await runComplianceTimer(deps, settings, 'test', 'fire-1');
        const [record, ...more] = sink.of('checkCompliance');
        expect(more).toEqual([]);
        expect(record).toMatchObject({
            eventType: 'COMPLETE',
            run: {
                facets: {
                    maritime: expect.objectContaining({
                        window: DAY,
                        counts: expect.objectContaining({ opened: 3, goldRows: 3 }),
                    }),
                },
            },
        });
        const inputs = record!.inputs.map((i) => i.name);
        expect(inputs).toEqual(
            expect.arrayContaining([
                `silver/ais_positions/date=${DAY}/hour=00/`,
                `silver/ais_positions/date=${DAY}/hour=14/`,
                `silver/sensor_readings/date=${DAY}/hour=08/`,
                'colls/findings',
            ]),
        );
        expect(inputs.every((n) => n.endsWith('/') || n.startsWith('colls/'))).toBe(true);
        const gold = record!.outputs.find((o) => o.name.startsWith('gold/'));
        expect(gold).toMatchObject({
            namespace: 'azblob://lake',
            name: `gold/${FINDINGS_TABLE}/date=${DAY}/findings.parquet`,
            outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 3 }) },
        });
        const bytes = await lake.readBytes('gold', `${FINDINGS_TABLE}/date=${DAY}/findings.parquet`);
        const rows = (await parquetReadObjects({
            file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        })) as Record<string, unknown>[];
        expect(new Set(rows.map((r) => r['run_id']))).toEqual(new Set([record!.run.runId]));
        // `maritime lineage compliance_findings DAY` walks from the findings to the silver hours they were checked on.
        const trace = traceGoldDay(sink.events, FINDINGS_TABLE, DAY);
        expect(trace.gold?.run.runId).toBe(record!.run.runId);
        expect(trace.hours.map((h) => h.folder)).toContain(`silver/ais_positions/date=${DAY}/hour=14/`);

        // A failing check records FAIL with the error.
        const failing = {
            ...deps,
            runs: new InMemoryJobRunStore(),
            inputs: {
                watermark: () => Promise.resolve(1),
                read: () => Promise.reject(new Error('silver unreadable')),
            },
        };
        await expect(runComplianceTimer(failing, settings, 'test', 'fire-2')).rejects.toThrow(
            'silver unreadable',
        );
        expect(sink.of('checkCompliance').at(-1)).toMatchObject({
            eventType: 'FAIL',
            run: { facets: { errorMessage: expect.objectContaining({ message: 'silver unreadable' }) } },
        });
    });

    it("stops at the host's stop: a fire after it claims nothing; a check stopped after its read saves nothing, hands the lease back, and the next fire checks the day", async () => {
        now = D0 + 16 * H;
        const lake = new InMemoryLake(clock.now);
        await ingest(lake, fleet(), 1);
        const findings = new InMemoryFindingStore();
        const alerts = new InMemoryAlertStore();
        const sink = new RecordingLineageSink();
        const deps = { ...makeDeps(lake, findings, alerts, new RecordingAlertPublisher()), lineage: sink };

        // Stopped before the fire: no day read or claimed, no CII year.
        const before = new AbortController();
        before.abort(new Error('host stopping'));
        let reads = 0;
        const counting = {
            watermark: deps.inputs.watermark.bind(deps.inputs),
            read: (r: Parameters<typeof deps.inputs.read>[0]) => (reads++, deps.inputs.read(r)),
        };
        const idle = await runComplianceTimer(
            { ...deps, inputs: counting, signal: before.signal },
            settings,
            'test',
            'fire-0',
        );
        expect(idle).toMatchObject({ due: [], windows: [], cii: [] });
        expect(reads).toBe(0);
        expect(await deps.runs.get('checkCompliance', DAY)).toBeUndefined();

        // Stopped while the day's inputs are read: the check stops before it saves or writes anything.
        const during = new AbortController();
        const stopping = {
            watermark: deps.inputs.watermark.bind(deps.inputs),
            read: async (r: Parameters<typeof deps.inputs.read>[0]) => {
                const read = await deps.inputs.read(r);
                during.abort(new Error('host stopping'));
                return read;
            },
        };
        const stopped = await runComplianceTimer(
            { ...deps, inputs: stopping, signal: during.signal },
            settings,
            'test',
            'fire-1',
        );
        expect(stopped.windows).toEqual([{ day: DAY, outcome: 'stopped' }]);
        expect(stopped.cii).toEqual([]);
        expect(findings.saveCalls).toBe(0);
        expect(alerts.all()).toEqual([]);
        expect(lake.paths('gold')).toEqual([]);
        const run = await deps.runs.get('checkCompliance', DAY);
        expect(run).toMatchObject({ status: 'running', stoppedAt: now, leaseUntil: now });
        expect(sink.of('checkCompliance')).toEqual([]); // not failed: no FAIL record

        // The next fire (no stop) takes the day over at once.
        const next = await runComplianceTimer(deps, settings, 'test', 'fire-2');
        expect(checked(next)).toEqual([DAY]);
        expect(findings.all().filter((f) => f.status === 'open')).toHaveLength(2);
    });
});
