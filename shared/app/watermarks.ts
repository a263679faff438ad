/**
 * Watermarks: the pipeline's own record of the last batch written to each lake layer, per source and partition,
 * so `/api/health` reads freshness from a handful of tiny blobs instead of listing the lake.
 *
 * After a batch lands, one blob per layer it wrote (`bronze/_watermarks/<layer>/<source>-<partition>.jsonl.gz`,
 * one row: source, partition, layer, batch id, time) is overwritten; its last-modified time is the watermark.
 * All of them live in the bronze container, so the health check reads them with one listing.
 * Writes are throttled per process to one per layer, source and partition every `minIntervalMs` (default 10 s),
 * so they cost at most a few requests a minute per instance whatever the event rate, and freshness is exact to
 * that interval (the stale threshold is 15 minutes). Best effort: a failed watermark write never fails a batch.
 */
import type { BatchCounts } from './batchRecords.js';
import type { LakeContainer, LakeWriter } from './ports.js';

export const WATERMARK_PREFIX = '_watermarks/';
/** The container holding every watermark. */
export const WATERMARK_CONTAINER: LakeContainer = 'bronze';
/** The layers with watermarks (gold has its own job bookkeeping). */
export const WATERMARK_LAYERS = [
    'bronze',
    'silver',
    'quarantine',
] as const satisfies readonly LakeContainer[];
export type WatermarkLayer = (typeof WATERMARK_LAYERS)[number];

export function watermarkPath(layer: WatermarkLayer, source: string, partitionId: string): string {
    return `${WATERMARK_PREFIX}${layer}/${source}-${partitionId}.jsonl.gz`;
}

/** Layer and source of a watermark blob path, or undefined for anything else. */
export function parseWatermarkPath(path: string): { layer: WatermarkLayer; source: string } | undefined {
    const m = /^_watermarks\/([a-z]+)\/(.+)-[^-]+\.jsonl\.gz$/.exec(path);
    if (!m || !(WATERMARK_LAYERS as readonly string[]).includes(m[1] as string)) return undefined;
    return { layer: m[1] as WatermarkLayer, source: m[2] as string };
}

export class WatermarkWriter {
    readonly #last = new Map<string, number>();

    constructor(
        private readonly lake: LakeWriter,
        private readonly minIntervalMs = 10_000,
    ) {}

    /** Marks the layers a landed batch wrote: bronze always, silver when it accepted items, quarantine when it quarantined some. */
    async mark(
        source: string,
        summary: BatchCounts & { batchId: string; partitionId: string },
        now: number,
    ): Promise<void> {
        if (summary.skipped > 0 || summary.received === 0) return;
        const layers: WatermarkLayer[] = ['bronze'];
        if (summary.accepted > 0) layers.push('silver');
        if (summary.quarantined > 0) layers.push('quarantine');
        const writes: Promise<void>[] = [];
        for (const layer of layers) {
            const key = `${layer}/${source}/${summary.partitionId}`;
            const last = this.#last.get(key);
            if (last !== undefined && now - last < this.minIntervalMs) continue;
            this.#last.set(key, now);
            const row = {
                source,
                partitionId: summary.partitionId,
                layer,
                batchId: summary.batchId,
                writtenAt: now,
            };
            writes.push(
                this.lake
                    .writeJsonLinesGz(
                        WATERMARK_CONTAINER,
                        watermarkPath(layer, source, summary.partitionId),
                        [row],
                    )
                    .catch((error: unknown) => {
                        this.#last.delete(key); // try again with the next batch
                        throw error;
                    }),
            );
        }
        await Promise.all(writes);
    }
}
