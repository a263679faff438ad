/**
 * The previous fix (movement columns of silver `ais_positions`: `elapsed_s`, `distance_nm`) with 10-minute track
 * buckets: a batch reads only the buckets of its records' times and, for late fixes (at or before the vessel's
 * stored position), the older buckets of their window in a second read. Compared with the rule the hourly buckets
 * implemented: the latest fix known when the batch runs (earlier batches, earlier fixes of the batch) strictly
 * before t and no earlier than the start of the hour before t's hour.
 */
import { describe, expect, it } from '@jest/globals';

import { InMemoryLake } from '../../../shared/adapters/memory/InMemoryLake.js';
import { InMemoryVesselStore } from '../../../shared/adapters/memory/InMemoryVesselStore.js';
import { ingestAisBatch } from '../../../shared/app/ingestAisBatch.js';
import { HOUR_MS, hourStart, TRACK_BUCKET_MS } from '../../../shared/domain/time.js';
import { aisPositionEvent, eventBatch, MMSI, NOW } from '../../helpers/factories.js';
import { aisIngestFakes } from '../../helpers/ingestFakes.js';

const MINUTE = 60_000;

/** An in-memory vessel store counting its `getVessels` calls. */
class CountingStore extends InMemoryVesselStore {
    reads: number[][] = [];
    override getVessels(mmsis: readonly number[], buckets: readonly number[]) {
        this.reads.push([...buckets]);
        return super.getVessels(mmsis, buckets);
    }
}

interface Fix {
    t: number;
    lat: number;
    lon: number;
}

/** Deterministic pseudo-random numbers in [0, 1) (LCG). */
function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
        return s / 2 ** 32;
    };
}

/** Elapsed seconds from the fix the hourly layout measured from (undefined: none in the window). */
function expectedElapsed(t: number, known: readonly Fix[]): number | undefined {
    const from = hourStart(t) - HOUR_MS;
    let best: number | undefined;
    for (const f of known) if (f.t < t && f.t >= from && (best === undefined || f.t > best)) best = f.t;
    return best === undefined ? undefined : (t - best) / 1000;
}

async function ingest(store: InMemoryVesselStore, lake: InMemoryLake, fixes: readonly Fix[], seq: number) {
    const bodies = fixes.map((f) => JSON.stringify(aisPositionEvent({ time: f.t, lat: f.lat, lon: f.lon })));
    return ingestAisBatch(
        eventBatch(bodies, { firstSequence: seq }),
        aisIngestFakes({ vessels: store, lake }),
    );
}

/** elapsed_s of the silver position rows, by event time. */
function elapsedByTime(lake: InMemoryLake): Map<number, number | undefined> {
    const out = new Map<number, number | undefined>();
    for (const row of lake.allParquetRows('silver', 'ais_positions/')) {
        const elapsed = row.elapsed_s;
        out.set(
            Number(row.event_time),
            elapsed === null || elapsed === undefined ? undefined : Number(elapsed),
        );
    }
    return out;
}

describe('previous fix with 10-minute track buckets', () => {
    it('a live batch reads once (the buckets of its records), a batch with a late fix reads the window of it too', async () => {
        const store = new CountingStore();
        const lake = new InMemoryLake(() => NOW);
        const h = hourStart(NOW - 2 * HOUR_MS); // 10:00
        // 09:55 and 10:40 stored; then 10:45 (live) and 10:05 (late: before the stored position 10:45).
        await ingest(store, lake, [{ t: h - 5 * MINUTE, lat: 51.9, lon: 3.9 }], 100);
        await ingest(store, lake, [{ t: h + 40 * MINUTE, lat: 51.95, lon: 3.9 }], 200);
        store.reads = [];
        await ingest(store, lake, [{ t: h + 45 * MINUTE, lat: 51.96, lon: 3.9 }], 300);
        expect(store.reads).toEqual([[h + 40 * MINUTE]]);

        store.reads = [];
        await ingest(store, lake, [{ t: h + 5 * MINUTE + 1000, lat: 51.91, lon: 3.9 }], 400);
        expect(store.reads).toHaveLength(2);
        expect(store.reads[0]).toEqual([h]);
        // The second read: 09:00 ... 09:50 (the hour before), not the record's own bucket (read first).
        expect(store.reads[1]!.sort((a, b) => a - b)).toEqual(
            Array.from({ length: 6 }, (_, i) => h - HOUR_MS + i * TRACK_BUCKET_MS),
        );
        // Another late fix in the same bucket after it: the point before it is in its own bucket, one read.
        store.reads = [];
        await ingest(store, lake, [{ t: h + 7 * MINUTE, lat: 51.92, lon: 3.9 }], 500);
        expect(store.reads).toEqual([[h]]);
        // Two late fixes in one batch, in empty buckets: the earlier needs the older buckets (10:00 back to
        // 09:00), the later one none (the earlier fix of the batch is in the bucket before it).
        store.reads = [];
        await ingest(
            store,
            lake,
            [
                { t: h + 25 * MINUTE, lat: 51.93, lon: 3.9 },
                { t: h + 15 * MINUTE, lat: 51.925, lon: 3.9 },
            ],
            600,
        );
        expect(store.reads[0]).toEqual([h + 20 * MINUTE, h + 10 * MINUTE]);
        expect(store.reads[1]!.sort((x, y) => x - y)).toEqual(
            Array.from({ length: 7 }, (_, i) => h - HOUR_MS + i * TRACK_BUCKET_MS),
        );
        const elapsed = elapsedByTime(lake);
        expect(elapsed.get(h + 45 * MINUTE)).toBe(5 * 60); // from the stored position 10:40
        expect(elapsed.get(h + 5 * MINUTE + 1000)).toBe(10 * 60 + 1); // from 09:55, four buckets back
        expect(elapsed.get(h + 7 * MINUTE)).toBe(2 * 60 - 1);
        expect(elapsed.get(h + 15 * MINUTE)).toBe(8 * 60);
        expect(elapsed.get(h + 25 * MINUTE)).toBe(10 * 60);
    });

    it('a fix at the stored position (a redelivery) is measured from the fix before it, as the first time', async () => {
        const store = new CountingStore();
        const lake = new InMemoryLake(() => NOW);
        const h = hourStart(NOW - 2 * HOUR_MS);
        const first = [{ t: h + 12 * MINUTE, lat: 51.9, lon: 3.9 }];
        const second = [{ t: h + 33 * MINUTE, lat: 51.92, lon: 3.9 }];
        await ingest(store, lake, first, 100);
        await ingest(store, lake, second, 200);
        const before = lake.allParquetRows('silver', 'ais_positions/');
        // The same batch again (same delivery: its rows are rewritten, not dropped as duplicates).
        const again = await ingest(store, lake, second, 200);
        expect(again.accepted).toBe(1);
        expect(lake.allParquetRows('silver', 'ais_positions/')).toEqual(before);
        expect(elapsedByTime(lake).get(h + 33 * MINUTE)).toBe(21 * 60);
    });

    it('every fix, in batches arriving out of order, gets the previous fix the hourly buckets gave it', async () => {
        for (const seed of [1, 2, 3]) {
            const rnd = random(seed);
            const fixes: Fix[] = [];
            // About 80 fixes over the 3.5 hours before NOW, 5 s to 25 min apart (so windows cross many buckets).
            for (let t = NOW - 3.5 * HOUR_MS; fixes.length < 80;) {
                t += 5000 + Math.floor(rnd() * 25 * MINUTE);
                if (t >= NOW - 10_000) break;
                fixes.push({ t, lat: 51.9 + rnd() / 100, lon: 3.9 + rnd() / 100 });
            }
            // Batches of 1-8 fixes of a shuffled order, each batch's fixes in any order.
            const order = [...fixes].sort(() => rnd() - 0.5);
            const batches: Fix[][] = [];
            for (let i = 0; i < order.length;) {
                const n = 1 + Math.floor(rnd() * 8);
                batches.push(order.slice(i, i + n));
                i += n;
            }
            const store = new InMemoryVesselStore();
            const lake = new InMemoryLake(() => NOW);
            const expected = new Map<number, number | undefined>();
            const known: Fix[] = [];
            for (const [b, batch] of batches.entries()) {
                const sorted = [...batch].sort((x, y) => x.t - y.t);
                for (const [i, f] of sorted.entries())
                    expected.set(f.t, expectedElapsed(f.t, [...known, ...sorted.slice(0, i)]));
                known.push(...batch);
                await ingest(store, lake, batch, 1000 * (b + 1));
            }
            const got = elapsedByTime(lake);
            expect(got.size).toBe(fixes.length);
            expect([...got].sort((x, y) => x[0] - y[0])).toEqual([...expected].sort((x, y) => x[0] - y[0]));
            // And the track holds every fix, in 10-minute buckets.
            const buckets = store.trackBuckets(MMSI);
            expect([...buckets.keys()].every((k) => k % TRACK_BUCKET_MS === 0)).toBe(true);
            for (const [start, bucket] of buckets)
                expect(bucket.points.every((p) => p.t >= start && p.t < start + TRACK_BUCKET_MS)).toBe(true);
            expect(await store.getTrack(MMSI, NOW - 4 * HOUR_MS, NOW)).toHaveLength(fixes.length);
        }
    });
});
