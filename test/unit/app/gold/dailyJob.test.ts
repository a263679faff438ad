import { describe, expect, it } from '@jest/globals';

import { InMemoryJobRunStore } from '../../../../shared/adapters/memory/InMemoryJobRunStore.js';
import {
    buildDailyWindow,
    type DailyJob,
    FireListings,
    LISTING_REUSE_MS,
} from '../../../../shared/app/gold/dailyJob.js';
import { lineageRunId } from '../../../../shared/app/lineage.js';
import { RecordingLineageSink } from '../../../fakes/RecordingLineageSink.js';

const NOW = Date.parse('2026-05-05T06:00:00Z');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const settings = { graceMs: 3_600_000, horizonDays: 3, maxWindows: 3, leaseMs: 600_000 };

function job(build: DailyJob<string>['build']): DailyJob<string> {
    return { name: 'testJob', inputWatermark: () => Promise.resolve(0), build };
}

describe('buildDailyWindow lineage', () => {
    it('records COMPLETE with what the build read and wrote, under the run id the build was given', async () => {
        const runs = new InMemoryJobRunStore();
        const sink = new RecordingLineageSink();
        let given = '';
        const outcome = await buildDailyWindow(
            job((w) => {
                given = w.runId ?? '';
                return Promise.resolve({
                    inputWatermark: 1,
                    result: { rows: { t: 3 } },
                    summaries: ['ok'],
                    lineage: {
                        inputs: ['silver/t/date=2026-05-04/hour=10/'],
                        outputs: [{ container: 'gold', path: 't/date=2026-05-04/part-0.parquet', rows: 3 }],
                    },
                });
            }),
            { runs, clock: { now: () => NOW }, logger: quiet, lineage: sink, lakeNamespace: 'azblob://lake' },
            settings,
            '2026-05-04',
            'me',
        );
        expect(outcome).toEqual({ day: '2026-05-04', outcome: 'built', summaries: ['ok'] });
        expect(given).toBe(lineageRunId('testJob', '2026-05-04#1'));
        expect(
            sink.events.map((e) => [
                e.eventType,
                e.run.runId,
                e.inputs.map((i) => i.name),
                e.outputs.map((o) => o.name),
            ]),
        ).toEqual([
            [
                'COMPLETE',
                given,
                ['silver/t/date=2026-05-04/hour=10/'],
                ['gold/t/date=2026-05-04/part-0.parquet'],
            ],
        ]);
    });

    it('a failed build is marked failed in the ledger, gets a FAIL record with the error, and rethrows', async () => {
        const runs = new InMemoryJobRunStore();
        const sink = new RecordingLineageSink();
        const deps = { runs, clock: { now: () => NOW }, logger: quiet, lineage: sink };
        await expect(
            buildDailyWindow(
                job(() => Promise.reject(new Error('silver unreadable'))),
                deps,
                settings,
                '2026-05-04',
                'me',
            ),
        ).rejects.toThrow('silver unreadable');
        expect((await runs.list('testJob', '2026-05-04', '2026-05-04')).map((r) => r.status)).toEqual([
            'failed',
        ]);
        expect(
            sink.events.map((e) => [e.eventType, e.run.runId, e.run.facets['errorMessage']?.['message']]),
        ).toEqual([['FAIL', lineageRunId('testJob', '2026-05-04#1'), 'silver unreadable']]);
    });
});

describe('FireListings', () => {
    it("gives a day's build the fire's listing once, while fresh; an older one is listed again", async () => {
        let now = 1_000_000;
        const listings = new FireListings<string[]>({ now: () => now });
        let lists = 0;
        const list = (): Promise<string[]> => Promise.resolve([`listing ${++lists}`]);
        expect(await listings.keep('2026-12-01', list)).toEqual(['listing 1']);
        expect(await listings.keep('2026-12-02', list)).toEqual(['listing 2']);
        now += LISTING_REUSE_MS;
        expect(listings.take('2026-12-01')).toEqual(['listing 1']);
        expect(listings.take('2026-12-01')).toBeUndefined(); // once
        now += 1;
        expect(listings.take('2026-12-02')).toBeUndefined(); // too old: compaction may have deleted files since
        expect(listings.take('2026-12-03')).toBeUndefined(); // never listed
    });
});
