/**
 * Real feed shapes (test/helpers/feedShapes.ts) through the ingest use case, the way `maritime replay` and
 * `maritime send` deliver them (ReplaySource events) and the way an Event Hub delivers a line-per-event feed.
 * Counts reconcile, receiver time is event time (and says so), skipped sentences are counted and do not
 * become items, reason codes say what happened, CSV rows name their own fixes, and a redelivered batch
 * writes the same silver rows as the first time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { ReplaySource } from '../../../local/sources/ReplaySource.js';
import type { SourceEvent } from '../../../local/sources/types.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { ingestAisBatch } from '../../../shared/app/ingestAisBatch.js';
import type { ReceivedEvent } from '../../../shared/app/ports.js';
import { NOW } from '../../helpers/factories.js';
import {
    DMA_TIME,
    dmaFeed,
    foreignCsv,
    marineCadastreBadPositions,
    marineCadastreCsv,
    SAT_TIME,
    satelliteFeed,
    SHIP_A,
    SHIP_B,
    SHIP_D,
    USCG_TIME,
    uscgFeed,
} from '../../helpers/feedShapes.js';
import { aisIngestFakes } from '../../helpers/ingestFakes.js';

/** The ingest's fakes on `vessels` (shared by a redelivery); archives are years old: a maximum age far beyond them. */
function deps(vessels = new InMemoryVesselStore()) {
    return aisIngestFakes({ vessels, settings: { maxAgeMs: 100 * 365 * 86_400_000 } });
}
type TestDeps = ReturnType<typeof deps>;

function received(events: readonly SourceEvent[], firstSequence = 0): ReceivedEvent[] {
    return events.map((e, i) => ({
        body: e.body,
        meta: { partitionId: '0', sequenceNumber: firstSequence + i, enqueuedTime: NOW - 1000 },
    }));
}

/** What `maritime replay FILE` sends: ReplaySource events. */
async function replayEvents(
    lines: string[],
    name = 'feed.nmea',
): Promise<{ events: SourceEvent[]; source: ReplaySource }> {
    const dir = mkdtempSync(join(tmpdir(), 'maritime-feeds-'));
    const file = join(dir, name);
    writeFileSync(file, lines.join('\n') + '\n');
    const source = new ReplaySource([file]);
    const events: SourceEvent[] = [];
    await source.start((evs) => void events.push(...evs));
    await source.done;
    return { events, source };
}

function reconciles(s: {
    received: number;
    accepted: number;
    quarantined: number;
    duplicates: number;
}): boolean {
    return s.received === s.accepted + s.quarantined + s.duplicates;
}

const positions = (d: TestDeps): Record<string, unknown>[] =>
    d.lake.allParquetRows('silver', 'ais_positions/');
const statics = (d: TestDeps): Record<string, unknown>[] => d.lake.allParquetRows('silver', 'ais_static/');

describe('real feed shapes through replay and the ingest use case', () => {
    it('NMEA 4 satellite feed: each group is one event keyed by its MMSI; type 5 lands in silver with the receiver time', async () => {
        const { events } = await replayEvents(satelliteFeed());
        // 2 two-fragment groups + 3 positions; the fragment without an MMSI travels with its group
        expect(events).toHaveLength(5);
        expect(events.filter((e) => e.body.includes('\n')).map((e) => e.partitionKey)).toEqual([
            String(SHIP_A),
            String(SHIP_B),
        ]);
        const d = deps();
        const s = await ingestAisBatch(received(events), d);
        expect(s).toMatchObject({
            received: 5,
            accepted: 5,
            quarantined: 0,
            duplicates: 0,
            statics: 2,
            positions: 3,
        });
        expect(reconciles(s)).toBe(true);
        const st = statics(d);
        expect(st.map((r) => [r.mmsi, r.name, r.event_time, r.event_time_source, r.station])).toEqual(
            expect.arrayContaining([
                [SHIP_A, 'NORDIC STAR', SAT_TIME, 'receiver', '41925'],
                [SHIP_B, 'BALTIC WIND', SAT_TIME + 1000, 'receiver', '41925'],
            ]),
        );
        // archive data keeps its own dates: silver partitions by the receiver time, state lastSeen too
        expect(d.lake.paths('silver').every((p) => p.includes('date=2021-11-01'))).toBe(true);
        const stored = await d.vessels.getStates([SHIP_A]);
        expect(stored.get(SHIP_A)?.lastSeen).toBe(SAT_TIME + 70_000);
        // the positions of A are named by the type 5 that came before them
        expect(
            positions(d)
                .filter((r) => r.mmsi === SHIP_A)
                .map((r) => r.name),
        ).toEqual(['NORDIC STAR', 'NORDIC STAR']);
    });

    it('the same satellite lines one per event (as an Event Hub delivers a line feed) give the same items', async () => {
        const d = deps();
        const s = await ingestAisBatch(
            received(satelliteFeed().map((body) => ({ body, partitionKey: '0' }))),
            d,
        );
        expect(s).toMatchObject({ received: 5, accepted: 5, quarantined: 0 });
        expect(s.quarantinedByReason).toEqual({});
    });

    it('USCG suffixes: event time from the suffix, no IMPLAUSIBLE_JUMP; INVALID_COORDINATES vs POSITION_UNAVAILABLE', async () => {
        const { events } = await replayEvents(uscgFeed());
        const d = deps();
        const s = await ingestAisBatch(received(events), d);
        expect(s).toMatchObject({ received: 4, accepted: 2, quarantined: 2 });
        expect(s.quarantinedByReason).toEqual({ INVALID_COORDINATES: 1, POSITION_UNAVAILABLE: 1 });
        expect(reconciles(s)).toBe(true);
        const rows = positions(d);
        expect(rows.map((r) => [r.event_time, r.event_time_source])).toEqual([
            [USCG_TIME, 'receiver'],
            [USCG_TIME + 10_000, 'receiver'],
        ]);
        // 10 s apart at ~12 kn: a plausible move, not hours squeezed into seconds
        expect(rows[1]!.elapsed_s).toBe(10);
        expect(rows.some((r) => typeof r.flags === 'string' && r.flags.includes('IMPLAUSIBLE_JUMP'))).toBe(
            false,
        );
    });

    it('$PGHP feed: headers travel with their sentence, $GPRMC is skipped and counted, counts are not doubled', async () => {
        const { events, source } = await replayEvents(dmaFeed());
        // 2 positions + 1 two-fragment type 5 = 3 events (not 3 + 4 headers + 1 $GPRMC)
        expect(events).toHaveLength(3);
        expect(events.every((e) => e.partitionKey === String(SHIP_D))).toBe(true);
        expect(source.stats.skippedByReason).toEqual({ NON_AIS_SENTENCE: 1 });
        const d = deps();
        const s = await ingestAisBatch(received(events), d);
        expect(s).toMatchObject({ received: 3, accepted: 3, quarantined: 0, duplicates: 0, linesSkipped: 4 });
        expect(s.linesSkippedByReason).toEqual({ PGHP_HEADER: 4 });
        expect(positions(d).map((r) => [r.event_time, r.event_time_source])).toEqual([
            [DMA_TIME, 'receiver'],
            [DMA_TIME + 60_000, 'receiver'],
        ]);
        // the same lines one per event: the $GPRMC line is an event without items (skipped, not malformed)
        const d2 = deps();
        const s2 = await ingestAisBatch(received(dmaFeed().map((body) => ({ body, partitionKey: '0' }))), d2);
        expect(s2).toMatchObject({ received: 3, accepted: 3, quarantined: 0, linesSkipped: 5 });
        expect(s2.linesSkippedByReason).toEqual({ PGHP_HEADER: 4, NON_AIS_SENTENCE: 1 });
    });

    it('arrival time is the fallback, and the record says so', async () => {
        const plain = uscgFeed()[0]!.replace(/(\*[0-9A-F]{2}),.*$/, '$1');
        const d = deps();
        await ingestAisBatch(received([{ body: plain, partitionKey: '0' }]), d);
        expect(positions(d).map((r) => [r.event_time, r.event_time_source])).toEqual([
            [NOW - 1000, 'arrival'],
        ]);
    });

    it('MarineCadastre CSV: each position row carries the static fields of its own row', async () => {
        const { events } = await replayEvents(marineCadastreCsv(), 'day.csv');
        const d = deps();
        const s = await ingestAisBatch(received(events), d);
        expect(s).toMatchObject({ received: 2, accepted: 2, quarantined: 0 });
        expect(
            positions(d).map((r) => [r.name, r.imo, r.call_sign, r.ship_type, r.event_time_source]),
        ).toEqual([
            ['GULF TRADER', 9134270, 'WDA1234', 70, 'record'],
            ['GULF TRADER', 9134270, 'WDA1234', 70, 'record'],
        ]);
    });

    it('MarineCadastre rows: out-of-range coordinates are INVALID_COORDINATES (as from NMEA), 91 / 181 POSITION_UNAVAILABLE', async () => {
        const { events } = await replayEvents(marineCadastreBadPositions(), 'bad.csv');
        const d = deps();
        const s = await ingestAisBatch(received(events), d);
        expect(s).toMatchObject({ received: 2, accepted: 0, quarantined: 2 });
        expect(s.quarantinedByReason).toEqual({ INVALID_COORDINATES: 1, POSITION_UNAVAILABLE: 1 });
        expect(reconciles(s)).toBe(true);
    });

    it('a CSV in another schema is one file-level problem: nothing sent', async () => {
        const { events, source } = await replayEvents(foreignCsv(), 'other.csv');
        expect(events).toEqual([]);
        expect(source.stats.unsupported).toHaveLength(1);
        expect(source.stats.unsupported[0]!.detail).toMatch(
            /^expected the MarineCadastre AIS schema \(17 columns: MMSI,BaseDateTime,.*\); found a header of 139 columns: mmsi,timestamp_utc,latitude,longitude,col_4,col_5,\.\.\.$/,
        );
    });

    it('a redelivered or replayed batch writes the same silver content as the first time', async () => {
        const lines = [...satelliteFeed(), ...uscgFeed(), ...dmaFeed()];
        const { events } = await replayEvents(lines);
        const store = new InMemoryVesselStore();
        const first = deps(store);
        const s1 = await ingestAisBatch(received(events), first);
        // The same batch again (Event Hub redelivery), and the file replayed as other batch boundaries into a
        // fresh store; re-sent into the same store, every item is a duplicate and nothing is written.
        const again = deps(store);
        const s2 = await ingestAisBatch(received(events), again);
        const split = deps();
        await ingestAisBatch(received(events.slice(0, 4), 1000), split);
        await ingestAisBatch(received(events.slice(4), 1004), split);
        const resent = deps(store);
        const s3 = await ingestAisBatch(received(events, 2000), resent);
        expect(s3).toMatchObject({
            received: s1.received,
            accepted: 0,
            quarantined: s1.quarantined,
            duplicates: s1.received - s1.quarantined,
        });
        expect(resent.lake.allParquetRows('silver')).toEqual([]);
        const content = (d: TestDeps, table: string): string[] =>
            d.lake
                .allParquetRows('silver', `${table}/`)
                .map(
                    ({ ingest_time: _i, eh_partition: _p, eh_sequence: _s, eh_enqueued_time: _e, ...rest }) =>
                        JSON.stringify(rest),
                )
                .sort();
        for (const table of ['ais_positions', 'ais_static', 'ais_messages']) {
            expect(content(again, table)).toEqual(content(first, table));
            expect(content(split, table)).toEqual(content(first, table));
        }
        expect({ ...s2, durationMs: 0, lagMs: 0 }).toMatchObject({
            received: s1.received,
            accepted: s1.accepted,
            quarantined: s1.quarantined,
        });
        // the movement columns are real on the replay too (not 0 from comparing a fix with itself)
        const moved = positions(again).filter((r) => r.mmsi === SHIP_A);
        expect(moved.map((r) => r.elapsed_s)).toEqual([undefined, 60]);
    });
});
