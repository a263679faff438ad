import { describe, expect, it } from '@jest/globals';

import {
    formatGoldTrace,
    formatJobRuns,
    jobRuns,
    lakeDataset,
    type LineageRun,
    lineageRunId,
    lineageSearchDays,
    type OpenLineageRunEvent,
    recordLineage,
    toOpenLineageEvent,
    traceGoldDay,
    withRunLineage,
} from '../../../shared/app/lineage.js';
import { RecordingLineageSink } from '../../fakes/RecordingLineageSink.js';

const T = Date.parse('2026-05-04T12:00:00Z');
const ns = 'azblob://lake';
const run = (over: Partial<LineageRun> & Pick<LineageRun, 'job' | 'runId'>): LineageRun => ({
    startedAt: T,
    endedAt: T + 1000,
    outcome: 'COMPLETE',
    inputs: [],
    outputs: [],
    ...over,
});

describe('withRunLineage (the timer jobs)', () => {
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const clock = { now: () => T };
    const describeRun = (
        n: number,
        names: { lake: (c: string, p: string, r?: number) => { namespace: string; name: string } },
    ) => ({
        inputs: [names.lake('silver', 'ais_positions/date=2026-05-04/hour=10/')],
        outputs: [names.lake('gold', 'x/date=2026-05-04/part-0-of-1.parquet', n)],
        counts: { n },
    });

    it('hands the run id to the work and records COMPLETE with what the run read and wrote', async () => {
        const sink = new RecordingLineageSink();
        let seen = '';
        const n = await withRunLineage(
            { lineage: sink, lakeNamespace: ns, clock, logger: quiet },
            { job: 'j', key: 'k#1', window: 'w' },
            (runId) => ((seen = runId), Promise.resolve(7)),
            describeRun,
        );
        expect(n).toBe(7);
        expect(seen).toBe(lineageRunId('j', 'k#1'));
        expect(sink.events).toEqual([
            expect.objectContaining({
                eventType: 'COMPLETE',
                run: expect.objectContaining({ runId: seen }),
                inputs: [{ namespace: ns, name: 'silver/ais_positions/date=2026-05-04/hour=10/' }],
                outputs: [
                    expect.objectContaining({
                        name: 'gold/x/date=2026-05-04/part-0-of-1.parquet',
                        outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 7 }) },
                    }),
                ],
            }),
        ]);
    });

    it('records FAIL and rethrows when the work fails; without a sink, records nothing; a broken sink never fails the run', async () => {
        const sink = new RecordingLineageSink();
        await expect(
            withRunLineage(
                { lineage: sink, clock, logger: quiet },
                { job: 'j', key: 'k', window: 'w' },
                () => Promise.reject(new Error('boom')),
                describeRun,
            ),
        ).rejects.toThrow('boom');
        expect(sink.events.map((e) => [e.eventType, e.run.facets['errorMessage']?.['message']])).toEqual([
            ['FAIL', 'boom'],
        ]);
        expect(
            await withRunLineage(
                { clock, logger: quiet },
                { job: 'j', key: 'k', window: 'w' },
                () => Promise.resolve(1),
                describeRun,
            ),
        ).toBe(1);
        const broken = { write: () => Promise.reject(new Error('lineage container gone')) };
        expect(
            await withRunLineage(
                { lineage: broken, clock, logger: quiet },
                { job: 'j', key: 'k', window: 'w' },
                () => Promise.resolve(2),
                describeRun,
            ),
        ).toBe(2);
    });
});

describe('lineage records', () => {
    it('run ids are UUIDs, the same for the same job and key (a redelivered batch), different otherwise', () => {
        const id = lineageRunId('ingestAis', '0-100-199');
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(lineageRunId('ingestAis', '0-100-199')).toBe(id);
        expect(lineageRunId('ingestAis', '0-100-200')).not.toBe(id);
        expect(lineageRunId('ingestSensorReadings', '0-100-199')).not.toBe(id);
    });

    it('is an OpenLineage RunEvent: job, run id, inputs and outputs with row counts, start/end and counts in a facet', () => {
        const event = toOpenLineageEvent(
            run({
                job: 'ingestAis',
                runId: 'r',
                window: 'w',
                inputs: [{ namespace: 'eventhub://ns', name: 'ais-raw/partition=0/sequence=100-199' }],
                outputs: [lakeDataset(ns, 'bronze', 'ais/x.jsonl.gz', 100)],
                counts: { received: 100, accepted: 98 },
            }),
        );
        expect(event).toMatchObject({
            eventType: 'COMPLETE',
            eventTime: new Date(T + 1000).toISOString(),
            job: { namespace: 'maritime', name: 'ingestAis' },
            run: {
                runId: 'r',
                facets: {
                    maritime: {
                        startTime: new Date(T).toISOString(),
                        endTime: new Date(T + 1000).toISOString(),
                        window: 'w',
                        counts: { received: 100, accepted: 98 },
                    },
                },
            },
            inputs: [{ namespace: 'eventhub://ns', name: 'ais-raw/partition=0/sequence=100-199' }],
            outputs: [
                {
                    namespace: ns,
                    name: 'bronze/ais/x.jsonl.gz',
                    outputFacets: { outputStatistics: { rowCount: 100 } },
                },
            ],
        });
        for (const facet of [
            event.run.facets['maritime']!,
            event.outputs[0]!.outputFacets!['outputStatistics']!,
        ]) {
            expect(typeof facet._producer).toBe('string');
            expect(typeof facet._schemaURL).toBe('string');
        }
        const failed = toOpenLineageEvent(run({ job: 'x', runId: 'r', outcome: 'FAIL', error: 'boom' }));
        expect(failed.eventType).toBe('FAIL');
        expect(failed.run.facets['errorMessage']).toMatchObject({ message: 'boom' });
    });

    it('recording never fails the run: a sink error is logged and swallowed', async () => {
        const warnings: unknown[] = [];
        const logger = {
            debug() {},
            info() {},
            error() {},
            warn: (m: string, p?: unknown) => warnings.push([m, p]),
        };
        await expect(
            recordLineage(
                { write: () => Promise.reject(new Error('endpoint down')) },
                run({ job: 'j', runId: 'r' }),
                logger,
            ),
        ).resolves.toBeUndefined();
        expect(JSON.stringify(warnings)).toMatch(/endpoint down/);
        await expect(
            recordLineage(undefined, run({ job: 'j', runId: 'r' }), logger),
        ).resolves.toBeUndefined();
    });
});

describe('tracing a gold day back to bronze', () => {
    const folder = 'silver/ais_positions/date=2026-05-04/hour=10/';
    const batch = (n: number): OpenLineageRunEvent =>
        toOpenLineageEvent(
            run({
                job: 'ingestAis',
                runId: `batch-${n}`,
                endedAt: T + n,
                inputs: [{ namespace: 'eventhub://ns', name: `ais-raw/partition=0/sequence=${n}00-${n}99` }],
                outputs: [
                    lakeDataset(ns, 'bronze', `ais/date=2026-05-04/hour=10/0-${n}00-${n}99.jsonl.gz`, 100),
                    lakeDataset(
                        ns,
                        'silver',
                        `ais_positions/date=2026-05-04/hour=10/0-${n}00-${n}99.parquet`,
                        90,
                    ),
                ],
            }),
        );
    const compaction = toOpenLineageEvent(
        run({
            job: 'compactSilver',
            runId: 'compact-1',
            endedAt: T + 100,
            inputs: [],
            outputs: [
                lakeDataset(ns, 'silver', 'ais_positions/date=2026-05-04/hour=10/compacted-c-0.parquet', 180),
            ],
        }),
    );
    const goldRun = (id: string, at: number) =>
        toOpenLineageEvent(
            run({
                job: 'buildGold',
                runId: id,
                endedAt: at,
                inputs: [
                    { namespace: ns, name: folder },
                    { namespace: ns, name: 'silver/ais_positions/date=2026-05-04/hour=11/' },
                ],
                outputs: [lakeDataset(ns, 'gold', 'vessel_daily/date=2026-05-04/part-0-of-1.parquet', 2)],
                counts: { vessel_daily: 2 },
            }),
        );
    const other = toOpenLineageEvent(
        run({
            job: 'ingestAis',
            runId: 'elsewhere',
            outputs: [lakeDataset(ns, 'silver', 'ais_positions/date=2026-05-04/hour=12/0-1-2.parquet')],
        }),
    );

    it('finds the newest gold run of the day, each silver hour it read, the compaction and the ingest batches behind it', () => {
        const trace = traceGoldDay(
            [
                other,
                batch(2),
                compaction,
                goldRun('gold-old', T + 200),
                batch(1),
                goldRun('gold-new', T + 300),
            ],
            'vessel_daily',
            '2026-05-04',
        );
        expect(trace.gold?.run.runId).toBe('gold-new');
        expect(trace.hours.map((h) => h.folder)).toEqual([
            folder,
            'silver/ais_positions/date=2026-05-04/hour=11/',
        ]);
        expect(trace.hours[0]!.compaction?.run.runId).toBe('compact-1');
        expect(trace.hours[0]!.batches.map((b) => b.run.runId)).toEqual(['batch-1', 'batch-2']);
        expect(trace.hours[1]!.batches).toEqual([]);
        const text = formatGoldTrace(trace);
        expect(text).toContain('gold vessel_daily 2026-05-04 <- buildGold run gold-new');
        expect(text).toContain('<- ingestAis run batch-1');
        expect(text).toContain('bronze/ais/date=2026-05-04/hour=10/0-100-199.jsonl.gz');
        expect(text).toContain('no ingest lineage records for this hour');
    });

    it("lists the run's other inputs (gold days, Cosmos state) with the run that wrote each (a timer reading gold)", () => {
        const hourly = (day: string, id: string) =>
            toOpenLineageEvent(
                run({
                    job: 'buildSensorHourly',
                    runId: id,
                    endedAt: T + 10,
                    outputs: [lakeDataset(ns, 'gold', `sensor_hourly/date=${day}/part-0-of-1.parquet`, 48)],
                }),
            );
        const score = toOpenLineageEvent(
            run({
                job: 'scoreMaintenance',
                runId: 'score-1',
                endedAt: T + 50,
                inputs: [
                    { namespace: ns, name: 'gold/sensor_hourly/date=2026-05-03/' },
                    { namespace: ns, name: 'gold/sensor_hourly/date=2026-05-04/' },
                    { namespace: ns, name: 'silver/maintenance_events/' },
                ],
                outputs: [lakeDataset(ns, 'gold', 'equipment_health/date=2026-05-04/part-0-of-1.parquet', 6)],
            }),
        );
        const trace = traceGoldDay(
            [hourly('2026-05-04', 'hourly-4'), score, hourly('2026-05-03', 'hourly-3')],
            'equipment_health',
            '2026-05-04',
        );
        expect(trace.gold?.run.runId).toBe('score-1');
        expect(trace.hours).toEqual([]);
        expect(trace.upstream.map((u) => [u.name, u.producer?.run.runId])).toEqual([
            ['gold/sensor_hourly/date=2026-05-03/', 'hourly-3'],
            ['gold/sensor_hourly/date=2026-05-04/', 'hourly-4'],
            ['silver/maintenance_events/', undefined],
        ]);
        const text = formatGoldTrace(trace);
        expect(text).toContain('gold equipment_health 2026-05-04 <- scoreMaintenance run score-1');
        expect(text).toContain(
            '  reads gold/sensor_hourly/date=2026-05-04/ <- buildSensorHourly run hourly-4',
        );
        expect(text).toContain('  reads silver/maintenance_events/\n');
    });

    it('searches the days after a gold day, and for a yearly table (cii_yearly) the days up to today', () => {
        expect(lineageSearchDays('vessel_daily', '2026-05-04', 2, '2026-12-03')).toEqual({
            from: '2026-05-04',
            to: '2026-05-06',
        });
        expect(lineageSearchDays('cii_yearly', '2026-01-01', 2, '2026-12-03')).toEqual({
            from: '2026-12-01',
            to: '2026-12-03',
        });
        expect(lineageSearchDays('cii_yearly', '2026-01-01', 5, '2026-01-02')).toEqual({
            from: '2026-01-01',
            to: '2026-01-02',
        });
    });

    it("lists one job's runs of the day: outcome, window, inputs and outputs with rows, counts, the error of a failed run", () => {
        const collision = (id: string, at: number, outcome: 'COMPLETE' | 'FAIL') =>
            toOpenLineageEvent(
                run({
                    job: 'watchCollisions',
                    runId: id,
                    endedAt: at,
                    outcome,
                    window: new Date(at).toISOString(),
                    inputs:
                        outcome === 'FAIL'
                            ? []
                            : [{ namespace: 'azurecosmos://a/dbs/m', name: 'colls/vessels', rows: 120 }],
                    outputs:
                        outcome === 'FAIL'
                            ? []
                            : [{ namespace: 'azurecosmos://a/dbs/m', name: 'colls/alerts', rows: 1 }],
                    counts: outcome === 'FAIL' ? undefined : { risks: 1 },
                    ...(outcome === 'FAIL' ? { error: 'cosmos down' } : {}),
                }),
            );
        const runs = jobRuns(
            [collision('c2', T + 60_000, 'FAIL'), batch(1), collision('c1', T, 'COMPLETE')],
            'watchCollisions',
        );
        expect(runs.map((r) => r.run.runId)).toEqual(['c1', 'c2']);
        const text = formatJobRuns('watchCollisions', runs);
        expect(text).toContain(
            'COMPLETE watchCollisions run c1 2026-05-04T12:00:00.000Z: colls/vessels (120 rows) -> colls/alerts (1 rows) risks=1',
        );
        expect(text).toContain('FAIL watchCollisions run c2');
        expect(text).toContain('error: cosmos down');
        expect(formatJobRuns('watchCollisions', [])).toMatch(/no lineage record/);
    });

    it('says so when no run wrote the day', () => {
        const trace = traceGoldDay([other], 'vessel_daily', '2026-05-04');
        expect(trace.gold).toBeUndefined();
        expect(formatGoldTrace(trace)).toMatch(/no lineage record/);
    });
});
