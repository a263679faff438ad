/**
 * Which silver files a gold build reads. The one module that knows the silver layout
 * (`silver/{table}/date=YYYY-MM-DD/hour=HH/*.parquet`), so a compaction manifest (a list of files per table-hour) can
 * be plugged in here without touching the builders.
 */
import type { BlobInfo, LakeReader } from '../ports.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The silver files of a table for the hours [fromMs, toMs), sorted by path: one listing per day (the hours of a day
 * share its prefix), keeping the files of the hours asked for.
 */
export async function silverFiles(lake: LakeReader, table: string, fromMs: number, toMs: number): Promise<BlobInfo[]> {
    const days: number[] = [];
    for (let d = Math.floor(fromMs / DAY_MS) * DAY_MS; d < toMs; d += DAY_MS) days.push(d);
    const lists = await Promise.all(
        days.map(async (d) => {
            const day = new Date(d).toISOString().slice(0, 10);
            return (await lake.list('silver', `${table}/date=${day}/`)).filter((b) => {
                const m = /\/hour=(\d{2})\/[^/]+\.parquet$/.exec(b.path);
                if (m === null) return false;
                const hour = d + Number(m[1]) * HOUR_MS;
                return hour >= Math.floor(fromMs / HOUR_MS) * HOUR_MS && hour < toMs;
            });
        }),
    );
    return lists.flat().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The newest `lastModified` of the files (0 when none): what a build saw, to detect late data later. */
export function watermarkOf(files: readonly BlobInfo[]): number {
    let max = 0;
    for (const f of files) if (f.lastModified > max) max = f.lastModified;
    return max;
}
