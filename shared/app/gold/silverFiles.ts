/**
 * Which silver files a gold build reads. The one module that knows the silver layout
 * (`silver/{table}/date=YYYY-MM-DD/hour=HH/*.parquet`, with compaction manifests) through `silverManifest.ts`.
 */
import type { BlobInfo, LakeReader } from '../ports.js';
import { liveSilverFiles } from '../silverManifest.js';

/**
 * The live silver files of a table for the hours [fromMs, toMs), sorted by path: the batch files, or where
 * `compactSilver` has merged an hour, the compacted files its manifest names (see `silverManifest.ts`).
 */
export function silverFiles(
    lake: LakeReader,
    table: string,
    fromMs: number,
    toMs: number,
): Promise<BlobInfo[]> {
    return liveSilverFiles(lake, table, fromMs, toMs);
}

/** The newest `lastModified` of the files (0 when none): what a build saw, to detect late data later. */
export function watermarkOf(files: readonly BlobInfo[]): number {
    let max = 0;
    for (const f of files) if (f.lastModified > max) max = f.lastModified;
    return max;
}
