/**
 * Which silver files of a table-hour are live: the one rule every reader of the lake follows (the gold builder, the
 * compliance reader, `maritime` commands, and what the README tells notebook users).
 *
 * An hour of a silver table holds small batch files (`{partition}-{first}-{last}.parquet`, one per ingest batch) until
 * `compactSilver` merges them. Compaction never edits a file in place; it works in three steps, each safe to crash
 * after:
 *   1. write the merged rows as new files `compacted-{runId}-{i}.parquet` (readers ignore a compacted file no manifest
 *      names, so a crash here changes nothing a reader sees);
 *   2. write `_manifest.json` (one blob, written last): it names the compacted files now live and the files they
 *      replaced (a reader switches atomically: the old manifest or the new one);
 *   3. after a delay (readers that listed the hour before the switch still find their files), delete the replaced
 *      files; the manifest keeps their names, so a redelivered batch that rewrites a compacted file's name (same
 *      rows, by construction of batch names) stays out.
 *
 * The live files of an hour are: the compacted files the manifest names, plus every batch file that is neither named
 * replaced nor a compacted file (late data that arrived after the compaction, read until the next one merges it).
 * Without a manifest: every batch file; compacted files are ignored (left by a crash before step 2).
 *
 * A rebuild (`maritime rebuild` after a rule fix) re-drives bronze into an hour that was already compacted: it writes
 * the batch files again under their own names, which the manifest lists as replaced. Such a file is *rewritten*: its
 * Last-Modified differs from the one the manifest recorded when it replaced it (or it is back after being deleted).
 * Readers keep ignoring it (they go on reading the compacted rows, so nothing is read twice), clean-up never deletes
 * it, and the next compaction merges it with a provenance filter: the rows of the compacted files whose
 * `eh_partition` and `eh_sequence` fall in the rewritten batch's range (its name) are dropped and the rewritten file's
 * rows are taken instead, so the hour holds one copy of each batch, the newest.
 */
import { type BatchId, datePartition } from './lakePaths.js';
import type { BlobInfo, LakeReader } from './ports.js';

export const MANIFEST_NAME = '_manifest.json';
export const COMPACTED_PREFIX = 'compacted-';

export interface ReplacedFile {
    /** File name within the hour folder. */
    name: string;
    /** Epoch ms the manifest that replaced it was written. */
    replacedAt: number;
    /** True once the file was deleted (its name stays, so a redelivered batch of that name stays out). */
    deleted?: boolean;
    /**
     * The file's Last-Modified (epoch ms, the storage clock) when it was replaced: a file of that name with another
     * Last-Modified was rewritten since (a rebuild). Absent in manifests written before it was recorded.
     */
    lastModified?: number;
}

export interface SilverManifest {
    version: 1;
    table: string;
    /** Start of the hour, ISO 8601 (`2026-12-03T10:00:00.000Z`). */
    hour: string;
    /**
     * Live compacted file names, in sort order (rows sorted by MMSI and event time across them) for a closed hour; an
     * open hour compacted incrementally (`COMPACTION_OPEN_MIN_FILES`) names one more file per increment (not sorted).
     */
    files: string[];
    /** Rows in the live compacted files. */
    rows: number;
    replaced: ReplacedFile[];
    /** The compaction run that wrote this manifest (lineage: the same id is in the compacted files' names). */
    runId: string;
    /** Epoch ms the manifest was written. */
    writtenAt: number;
}

/** The folder of a table-hour in the silver container: `{table}/date=YYYY-MM-DD/hour=HH/`. */
export function hourFolder(table: string, hourStartMs: number): string {
    return `${table}/${datePartition(hourStartMs)}/`;
}

/** The start of the hour (epoch ms) of a file path `.../date=YYYY-MM-DD/hour=HH/name`, or undefined. */
export function hourOfPath(path: string): number | undefined {
    const m = /date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/[^/]+$/.exec(path);
    if (m === null) return undefined;
    const t = Date.parse(`${m[1]}T${m[2]}:00:00Z`);
    return Number.isNaN(t) ? undefined : t;
}

export function fileName(path: string): string {
    return path.slice(path.lastIndexOf('/') + 1);
}

export function isCompactedName(name: string): boolean {
    return name.startsWith(COMPACTED_PREFIX);
}

/** A Parquet data file (batch or compacted) as opposed to the manifest or anything else in the folder. */
export function isParquetName(name: string): boolean {
    return name.endsWith('.parquet');
}

/**
 * The live files of ONE hour folder, given its listing (every blob in the folder) and its manifest (undefined when
 * there is none). Sorted by path.
 */
export function liveFilesOfHour(
    listing: readonly BlobInfo[],
    manifest: SilverManifest | undefined,
): BlobInfo[] {
    const named = new Set(manifest?.files ?? []);
    const replaced = new Set((manifest?.replaced ?? []).map((r) => r.name));
    const live: BlobInfo[] = [];
    for (const blob of listing) {
        const name = fileName(blob.path);
        if (!isParquetName(name)) continue;
        if (isCompactedName(name)) {
            if (named.has(name)) live.push(blob);
        } else if (!replaced.has(name)) {
            live.push(blob);
        }
    }
    return live.sort(byPath);
}

/** The manifest's entry of each replaced name. */
function replacedByName(manifest: SilverManifest | undefined): Map<string, ReplacedFile> {
    return new Map((manifest?.replaced ?? []).map((r) => [r.name, r]));
}

/** Whether a blob of a replaced name was written again after the manifest replaced it (see the header). */
export function isRewritten(blob: BlobInfo, replaced: ReplacedFile): boolean {
    if (replaced.deleted === true) return true;
    if (replaced.lastModified !== undefined) return blob.lastModified !== replaced.lastModified;
    // A manifest of before `lastModified` was recorded: the replaced file was written before the switch.
    return blob.lastModified > replaced.replacedAt;
}

/**
 * The batch files of the hour written again after the manifest replaced their names (a rebuild or a redelivery):
 * not read (the compacted rows stand), not deleted, merged by the next compaction with the provenance filter.
 */
export function rewrittenFiles(
    listing: readonly BlobInfo[],
    manifest: SilverManifest | undefined,
): BlobInfo[] {
    if (manifest === undefined) return [];
    const replaced = replacedByName(manifest);
    return listing
        .filter((blob) => {
            const name = fileName(blob.path);
            const r = replaced.get(name);
            return isParquetName(name) && !isCompactedName(name) && r !== undefined && isRewritten(blob, r);
        })
        .sort(byPath);
}

/** The Event Hub partition and sequence range of a batch file (`{partition}-{first}-{last}.parquet`), or undefined. */
export function batchOfFileName(name: string): BatchId | undefined {
    const m = /^(.+?)-(-?\d+)-(-?\d+)\.parquet$/.exec(name);
    if (m === null || isCompactedName(name)) return undefined;
    return { partitionId: m[1]!, firstSequence: Number(m[2]), lastSequence: Number(m[3]) };
}

/** Whether an hour's live files need merging: more than one file, or a batch file beside compacted ones. */
export function needsCompaction(live: readonly BlobInfo[]): boolean {
    return live.length > 1;
}

/**
 * Files the folder holds that no reader reads and that may go: replaced files whose delay has passed, and compacted
 * files no manifest names (left by a run that crashed before its manifest) older than the delay.
 */
export function deletableFiles(
    listing: readonly BlobInfo[],
    manifest: SilverManifest | undefined,
    now: number,
    delayMs: number,
): BlobInfo[] {
    const named = new Set(manifest?.files ?? []);
    const replaced = replacedByName(manifest);
    const out: BlobInfo[] = [];
    for (const blob of listing) {
        const name = fileName(blob.path);
        if (!isParquetName(name)) continue;
        const r = replaced.get(name);
        if (r !== undefined) {
            // A rewritten file holds a rebuild's rows the next compaction merges: never deleted before that.
            if (r.replacedAt + delayMs <= now && !isRewritten(blob, r)) out.push(blob);
        } else if (isCompactedName(name) && !named.has(name) && blob.lastModified + delayMs <= now) {
            out.push(blob);
        }
    }
    return out.sort(byPath);
}

/** The manifest after a compaction of `inputs` into `outputs` (file names) by run `runId`. */
export function nextManifest(
    previous: SilverManifest | undefined,
    change: {
        table: string;
        hourStartMs: number;
        inputs: readonly BlobInfo[];
        outputs: readonly string[];
        rows: number;
        runId: string;
        now: number;
    },
): SilverManifest {
    const replaced = new Map<string, ReplacedFile>();
    for (const r of previous?.replaced ?? []) replaced.set(r.name, r);
    for (const input of change.inputs) {
        replaced.set(fileName(input.path), {
            name: fileName(input.path),
            replacedAt: change.now,
            lastModified: input.lastModified,
        });
    }
    return {
        version: 1,
        table: change.table,
        hour: new Date(change.hourStartMs).toISOString(),
        files: [...change.outputs],
        rows: change.rows,
        replaced: [...replaced.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        runId: change.runId,
        writtenAt: change.now,
    };
}

/** The manifest with the deleted files marked (names kept). */
export function markDeleted(manifest: SilverManifest, deleted: readonly BlobInfo[]): SilverManifest {
    const names = new Set(deleted.map((b) => fileName(b.path)));
    return {
        ...manifest,
        replaced: manifest.replaced.map((r) => (names.has(r.name) ? { ...r, deleted: true } : r)),
    };
}

/** Parses a manifest blob; throws on anything that is not a version-1 manifest (a reader must not guess). */
export function parseManifest(bytes: Uint8Array, path: string): SilverManifest {
    let value: unknown;
    try {
        value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
        throw new Error(`silver manifest ${path} is not JSON: ${(error as Error).message}`);
    }
    const m = value as Partial<SilverManifest> | null;
    if (
        m === null ||
        typeof m !== 'object' ||
        m.version !== 1 ||
        !Array.isArray(m.files) ||
        !Array.isArray(m.replaced) ||
        typeof m.runId !== 'string'
    ) {
        throw new Error(`silver manifest ${path} is not a version-1 manifest`);
    }
    return m as SilverManifest;
}

function byPath(a: BlobInfo, b: BlobInfo): number {
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One hour folder of a table as listed: its blobs, its manifest (if any) and its live files. */
export interface SilverHour {
    table: string;
    hourStartMs: number;
    listing: BlobInfo[];
    manifest: SilverManifest | undefined;
    live: BlobInfo[];
    /** Batch files of replaced names written again since (a rebuild): not read, merged by the next compaction. */
    rewritten: BlobInfo[];
}

/**
 * The hour folders of a table for the hours [fromMs, toMs) that hold anything, oldest first: one listing per day (the
 * hours of a day share its prefix), one manifest read per hour that has one.
 */
export async function silverHours(
    lake: LakeReader,
    table: string,
    fromMs: number,
    toMs: number,
): Promise<SilverHour[]> {
    const firstHour = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
    const days: number[] = [];
    for (let d = Math.floor(fromMs / DAY_MS) * DAY_MS; d < toMs; d += DAY_MS) days.push(d);
    const listings = await Promise.all(
        days.map((d) => lake.list('silver', `${table}/date=${new Date(d).toISOString().slice(0, 10)}/`)),
    );
    const byHour = new Map<number, BlobInfo[]>();
    for (const blob of listings.flat()) {
        const hour = hourOfPath(blob.path);
        if (hour === undefined || hour < firstHour || hour >= toMs) continue;
        let list = byHour.get(hour);
        if (list === undefined) byHour.set(hour, (list = []));
        list.push(blob);
    }
    const hours = [...byHour.keys()].sort((a, b) => a - b);
    return Promise.all(
        hours.map(async (hourStartMs) => {
            const listing = byHour.get(hourStartMs)!.sort(byPath);
            const manifestBlob = listing.find((b) => fileName(b.path) === MANIFEST_NAME);
            const manifest =
                manifestBlob === undefined
                    ? undefined
                    : parseManifest(await lake.readBytes('silver', manifestBlob.path), manifestBlob.path);
            return {
                table,
                hourStartMs,
                listing,
                manifest,
                live: liveFilesOfHour(listing, manifest),
                rewritten: rewrittenFiles(listing, manifest),
            };
        }),
    );
}

/** The live silver files of a table for the hours [fromMs, toMs), sorted by path (what every lake reader reads). */
export async function liveSilverFiles(
    lake: LakeReader,
    table: string,
    fromMs: number,
    toMs: number,
): Promise<BlobInfo[]> {
    const hours = await silverHours(lake, table, fromMs, toMs);
    return hours.flatMap((h) => h.live).sort(byPath);
}
