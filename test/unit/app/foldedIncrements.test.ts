import { describe, expect, it } from '@jest/globals';

import {
    foldedIncrements,
    OPEN_HOUR_FOLD_FANOUT,
    OPEN_HOUR_MAX_INCREMENTS,
} from '../../../shared/app/compactSilver.js';
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

describe('foldedIncrements (open-hour increments kept bounded, size-tiered)', () => {
    const names = ['c-1.parquet', 'c-2.parquet', 'c-3.parquet', 'c-4.parquet'].map((n) => `compacted-${n}`);

    it('folds nothing below a full tier', () => {
        const live = [blob(names[0]!, 10), blob(names[1]!, 10)];
        expect(foldedIncrements(names.slice(0, 2), live, 8, 4)).toEqual([]);
        // a large file and two small ones: the small ones are no full tier with the increment
        const mixed = [blob(names[0]!, 100), blob(names[1]!, 10), blob(names[2]!, 10)];
        expect(foldedIncrements(names.slice(0, 3), mixed, 8, 4)).toEqual([]);
    });

    it('at a full tier folds the newest and each older file of about its size', () => {
        const live = [blob(names[0]!, 100), blob(names[1]!, 10), blob(names[2]!, 10), blob(names[3]!, 10)];
        // newest 10, then 10 and 10 (within 1.5 times the largest taken), then 100: stop
        expect(foldedIncrements(names, live, 8, 4).map((b) => b.size)).toEqual([10, 10, 10]);
        // equal sizes: all of them
        expect(
            foldedIncrements(
                names,
                names.map((n) => blob(n, 10)),
                8,
                4,
            ),
        ).toHaveLength(4);
    });

    it('at the bound folds the newest whatever the tier, so the count does not grow', () => {
        const live = [blob(names[0]!, 100), blob(names[1]!, 30), blob(names[2]!, 10), blob(names[3]!, 1)];
        expect(foldedIncrements(names, live, 4, 4).map((b) => b.size)).toEqual([1]);
    });

    it('keeps an hour of per-minute increments at the bound or below, each row once, oldest (largest) first', () => {
        const counts = fires(Array.from({ length: 60 }, () => 1));
        expect(Math.max(...counts.map((c) => c.length))).toBeLessThanOrEqual(OPEN_HOUR_MAX_INCREMENTS);
        counts.forEach((files, i) => expect(files.reduce((a, b) => a + b, 0)).toBe(i + 1));
        const last = counts.at(-1)!;
        expect([...last].sort((a, b) => b - a)).toEqual(last);
    });

    it('rewrites a file only when a tier is full: most fires fold nothing, each row a few times an hour', () => {
        let files: BlobInfo[] = [];
        let rewritten = 0;
        let foldingFires = 0;
        for (let i = 0; i < 60; i++) {
            const folded = foldedIncrements(
                files.map((b) => b.path.slice(folder.length)),
                files,
            );
            if (folded.length > 0) {
                foldingFires++;
                // a full tier: the increment and at least fanout - 1 files of about one size
                expect(folded.length).toBeGreaterThanOrEqual(OPEN_HOUR_FOLD_FANOUT - 1);
            }
            rewritten += folded.reduce((n, b) => n + b.size, 0);
            const kept = files.filter((b) => !folded.includes(b));
            files = [...kept, blob(`compacted-${i}-0.parquet`, 1 + folded.reduce((n, b) => n + b.size, 0))];
        }
        // Folding the newest at every fire once the hour held 4 (as before) folded at 31 of these 60 fires and
        // rewrote 147 (2.1 times 60 now); merging everything at every fire would rewrite 1 + 2 + ... + 59 = 1,770.
        expect(foldingFires).toBeLessThanOrEqual(60 / 3);
        expect(rewritten).toBeLessThanOrEqual(60 * 2.2);
    });

    it('stops at a named file the listing lacks', () => {
        const three = ['compacted-a-0.parquet', 'compacted-b-0.parquet', 'compacted-c-0.parquet'];
        const live = [blob(three[0]!, 1), blob(three[2]!, 1)];
        expect(foldedIncrements(three, live, 3).map((b) => b.path)).toEqual([folder + three[2]]);
        expect(foldedIncrements(three, live, 8, 2).map((b) => b.path)).toEqual([folder + three[2]]);
    });
});
