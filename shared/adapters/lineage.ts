/**
 * Where lineage records go.
 *
 * - `BlobLineageSink`: the lake's `lineage` container, JSON lines by date and hour, one append blob per job and
 *   writer process (`date=YYYY-MM-DD/hour=HH/{job}-{writer}.jsonl`): appends are atomic per record, two instances
 *   never append to the same blob, and an hour stays far below the 50,000 appends an append blob takes.
 * - `HttpLineageSink`: an OpenLineage HTTP endpoint (`OPENLINEAGE_URL`, e.g. Marquez's `/api/v1/lineage`), POST of
 *   one run event per request with a short timeout.
 * - `TeeLineageSink`: both; the lake record is written even when the endpoint is down (the error is reported after).
 * - `BlobLineageReader`: reads the container's records back for a range of days (`maritime lineage`).
 */
import type { ContainerClient } from '@azure/storage-blob';

import { daysBetween } from '../app/gold/window.js';
import type { LineageReader, LineageSink, OpenLineageRunEvent } from '../app/lineage.js';
import { mapLimit } from './cosmosSupport.js';
import { fromSdkError } from './fromSdkError.js';

export class BlobLineageSink implements LineageSink {
    readonly #created = new Map<string, Promise<unknown>>();

    constructor(
        private readonly container: ContainerClient,
        /** Names this process's blobs (host name and pid): no two writers append to one blob. */
        private readonly writer: string,
    ) {}

    async write(event: OpenLineageRunEvent): Promise<void> {
        const path = lineageBlobPath(event, this.writer);
        const blob = this.container.getAppendBlobClient(path);
        try {
            let created = this.#created.get(path);
            if (created === undefined) {
                created = blob.createIfNotExists({
                    blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
                });
                this.#created.set(path, created);
                if (this.#created.size > 256) this.#created.delete(this.#created.keys().next().value!);
            }
            await created;
            const line = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
            await blob.appendBlock(line, line.byteLength);
        } catch (error) {
            this.#created.delete(path);
            throw fromSdkError(error, `append lineage/${path}`);
        }
    }
}

/** `date=YYYY-MM-DD/hour=HH/{job}-{writer}.jsonl` of the event's time. */
export function lineageBlobPath(event: OpenLineageRunEvent, writer: string): string {
    const iso = event.eventTime;
    const safeJob = event.job.name.replace(/[^A-Za-z0-9_-]/g, '_');
    const safeWriter = writer.replace(/[^A-Za-z0-9_-]/g, '_');
    return `date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/${safeJob}-${safeWriter}.jsonl`;
}

export class HttpLineageSink implements LineageSink {
    constructor(
        private readonly url: string,
        private readonly timeoutMs = 2_000,
    ) {}

    async write(event: OpenLineageRunEvent): Promise<void> {
        const response = await fetch(this.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(event),
            signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (!response.ok) throw new Error(`OpenLineage endpoint ${this.url} answered ${response.status}`);
    }
}

export class TeeLineageSink implements LineageSink {
    constructor(private readonly sinks: readonly LineageSink[]) {}

    async write(event: OpenLineageRunEvent): Promise<void> {
        const results = await Promise.allSettled(this.sinks.map((s) => s.write(event)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
    }
}

export class BlobLineageReader implements LineageReader {
    constructor(private readonly container: ContainerClient) {}

    async read(fromDay: string, toDay: string): Promise<OpenLineageRunEvent[]> {
        try {
            const names: string[] = [];
            for (const day of daysBetween(fromDay, toDay)) {
                for await (const blob of this.container.listBlobsFlat({ prefix: `date=${day}/` }))
                    names.push(blob.name);
            }
            const texts = await mapLimit(names, 8, async (name) =>
                (await this.container.getBlobClient(name).downloadToBuffer()).toString('utf8'),
            );
            return texts.flatMap((text) =>
                text
                    .split('\n')
                    .filter((line) => line.trim() !== '')
                    .map((line) => JSON.parse(line) as OpenLineageRunEvent),
            );
        } catch (error) {
            throw fromSdkError(error, `read lineage ${fromDay}..${toDay}`);
        }
    }
}
