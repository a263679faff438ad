import { describe, expect, it } from '@jest/globals';

import { foldedIncrements, OPEN_HOUR_MAX_INCREMENTS } from '../../../shared/app/compactSilver.js';
import type { BlobInfo } from '../../../shared/app/ports.js';

const folder = 'ais_positions/date=2026-12-04/hour=08/';
const blob = (name: string, size: number): BlobInfo => ({ path: folder + name, lastModified: 0, size });

/** Folds as the fires of an open hour would: each fire adds an increment of `size` after folding. */
function fires(sizes: readonly number[], max = OPEN_HOUR_MAX_INCREMENTS): number[][] {
    let files: BlobInfo[] = [];
    const counts: number[][] = [];
    sizes.forEach((size, i) => {
        const folded = foldedIncrements(
            files.map((b) => b.path.slice(folder.length)),
            files,
            max,
        );
        const kept = files.filter((b) => !folded.includes(b));
        files = [...kept, blob(`compacted-${i}-0.parquet`, size + folded.reduce((n, b) => n + b.size, 0))];
        counts.push(files.map((b) => b.size));
    });
    return counts;
}

describe('foldedIncrements (open-hour increments kept bounded)', () => {
    it('folds nothing below the bound', () => {
        const live = [blob('compacted-a-0.parquet', 10), blob('compacted-b-0.parquet', 10)];
        expect(foldedIncrements(['compacted-a-0.parquet', 'compacted-b-0.parquet'], live, 4)).toEqual([]);
    });

    it('at the bound folds the newest and each older file no larger than those taken so far', () => {
        const names = ['c-1.parquet', 'c-2.parquet', 'c-3.parquet', 'c-4.parquet'].map(
            (n) => `compacted-${n}`,
        );
        const live = [blob(names[0]!, 100), blob(names[1]!, 30), blob(names[2]!, 10), blob(names[3]!, 10)];
        // newest 10, then 10 <= 10, then 30 > 20: stop
        expect(foldedIncrements(names, live, 4).map((b) => b.size)).toEqual([10, 10]);
        // equal sizes: all of them
        const equal = names.map((n) => blob(n, 10));
        expect(foldedIncrements(names, equal, 4)).toHaveLength(4);
    });

    it('keeps an hour of per-minute increments at the bound or below, oldest (largest) first', () => {
        const counts = fires(Array.from({ length: 60 }, () => 1));
        expect(Math.max(...counts.map((c) => c.length))).toBe(OPEN_HOUR_MAX_INCREMENTS);
        for (const files of counts) {
            // every row once: the sizes add up to the fires so far
            expect(files.reduce((a, b) => a + b, 0)).toBe(counts.indexOf(files) + 1);
        }
        const last = counts.at(-1)!;
        expect([...last].sort((a, b) => b - a)).toEqual(last);
    });

    it('rewrites each increment a few times an hour, not at every fire', () => {
        let files: BlobInfo[] = [];
        let rewritten = 0;
        for (let i = 0; i < 60; i++) {
            const folded = foldedIncrements(
                files.map((b) => b.path.slice(folder.length)),
                files,
            );
            rewritten += folded.reduce((n, b) => n + b.size, 0);
            const kept = files.filter((b) => !folded.includes(b));
            files = [...kept, blob(`compacted-${i}-0.parquet`, 1 + folded.reduce((n, b) => n + b.size, 0))];
        }
        // 60 increments of 1: merging everything at every fire would rewrite 1 + 2 + ... + 59 = 1,770
        expect(rewritten).toBeLessThan(60 * 3);
    });

    it('stops at a named file the listing lacks', () => {
        const names = ['compacted-a-0.parquet', 'compacted-b-0.parquet', 'compacted-c-0.parquet'];
        const live = [blob(names[0]!, 1), blob(names[2]!, 1)];
        expect(foldedIncrements(names, live, 3).map((b) => b.path)).toEqual([folder + names[2]]);
    });
});
