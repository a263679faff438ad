/**
 * Which silver files a gold build reads. The one place that knows the silver layout, so a compaction manifest
 * (one list of files per table-hour) can be plugged in here without touching the builders.
 */
import type { BlobInfo, LakeReader } from '../ports.js';

const HOUR_MS = 3_600_000;

/** The silver files of one table-hour: `silver/{table}/date=YYYY-MM-DD/hour=HH/*.parquet`. */
export async function silverFilesOfHour(lake: LakeReader, table: string, hourStartMs: number): Promise<BlobInfo[]> {
    const iso = new Date(hourStartMs).toISOString();
    const prefix = `${table}/date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
    return (await lake.list('silver', prefix)).filter((b) => b.path.endsWith('.parquet'));
}

/** The silver files of a table for the hours [fromMs, toMs), listed per table-hour, sorted by path. */
export async function silverFiles(lake: LakeReader, table: string, fromMs: number, toMs: number): Promise<BlobInfo[]> {
    const hours: number[] = [];
    for (let h = Math.floor(fromMs / HOUR_MS) * HOUR_MS; h < toMs; h += HOUR_MS) hours.push(h);
    const lists = await Promise.all(hours.map((h) => silverFilesOfHour(lake, table, h)));
    return lists.flat().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The newest `lastModified` of the files (0 when none): what a build saw, to detect late data later. */
export function watermarkOf(files: readonly BlobInfo[]): number {
    let max = 0;
    for (const f of files) if (f.lastModified > max) max = f.lastModified;
    return max;
}
