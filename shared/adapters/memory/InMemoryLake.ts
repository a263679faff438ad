/**
 * In-memory lake for use-case tests. Behaves like BlobLake: writes overwrite, rows go through JSON (so what you
 * read back is what a JSONL blob would hold), Parquet tables are kept as given (bytes encoded on demand).
 */
import { gzipSync } from 'node:zlib';

import type {
    BlobInfo,
    LakeBytesWriter,
    LakeContainer,
    LakeDeleter,
    LakeReader,
    LakeWriter,
    ParquetTable,
} from '../../app/ports.js';
import { ensureError, NotFoundError } from '../../errors.js';
import { encodeParquet } from '../parquet.js';

type Entry =
    | { kind: 'jsonl'; rows: unknown[]; lastModified: number; bytes: Uint8Array }
    | { kind: 'parquet'; table: ParquetTable; lastModified: number; bytes?: Uint8Array }
    | { kind: 'bytes'; lastModified: number; bytes: Uint8Array };

export class InMemoryLake implements LakeWriter, LakeBytesWriter, LakeReader, LakeDeleter {
    readonly #blobs = new Map<string, Entry>();
    /** Number of writes (jsonl + parquet), including overwrites. */
    writeCount = 0;
    /** When set, the next write throws this error (then the hook clears). */
    failNextWrite: Error | undefined;

    constructor(private readonly now: () => number = Date.now) {}

    writeJsonLinesGz(container: LakeContainer, path: string, rows: readonly unknown[]): Promise<void> {
        return settle(() => this.#writeJsonLines(container, path, rows));
    }

    #writeJsonLines(container: LakeContainer, path: string, rows: readonly unknown[]): void {
        this.#beforeWrite();
        const text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
        const parsed =
            text === ''
                ? []
                : text
                      .trimEnd()
                      .split('\n')
                      .map((l) => JSON.parse(l) as unknown);
        this.#blobs.set(key(container, path), {
            kind: 'jsonl',
            rows: parsed,
            lastModified: this.now(),
            bytes: new Uint8Array(gzipSync(text)),
        });
    }

    writeParquet(container: LakeContainer, path: string, table: ParquetTable): Promise<void> {
        return settle(() => {
            this.#beforeWrite();
            this.#blobs.set(key(container, path), {
                kind: 'parquet',
                table: { columns: [...table.columns], rows: table.rows.map((r) => ({ ...r })) },
                lastModified: this.now(),
            });
        });
    }

    writeBytes(container: LakeContainer, path: string, bytes: Uint8Array): Promise<void> {
        return settle(() => {
            this.#beforeWrite();
            this.#blobs.set(key(container, path), {
                kind: 'bytes',
                lastModified: this.now(),
                bytes: bytes.slice(),
            });
        });
    }

    delete(container: LakeContainer, path: string): Promise<void> {
        return settle(() => {
            this.#beforeWrite();
            this.#blobs.delete(key(container, path));
        });
    }

    list(container: LakeContainer, prefix: string): Promise<BlobInfo[]> {
        const out: BlobInfo[] = [];
        const start = `${container}/`;
        for (const [k, entry] of this.#blobs) {
            if (!k.startsWith(start)) continue;
            const path = k.slice(start.length);
            if (!path.startsWith(prefix)) continue;
            out.push({ path, lastModified: entry.lastModified, size: this.#bytes(entry).length });
        }
        return Promise.resolve(out.sort((a, b) => a.path.localeCompare(b.path)));
    }

    readJsonLinesGz(container: LakeContainer, path: string): Promise<unknown[]> {
        return settle(() => {
            const entry = this.#get(container, path);
            if (entry.kind !== 'jsonl') throw new Error(`${container}/${path} is not JSON lines`);
            return structuredClone(entry.rows);
        });
    }

    readBytes(container: LakeContainer, path: string): Promise<Uint8Array> {
        return settle(() => this.#bytes(this.#get(container, path)));
    }

    // ---- test helpers ----

    /** Paths in a container (sorted). */
    paths(container: LakeContainer): string[] {
        const start = `${container}/`;
        return [...this.#blobs.keys()]
            .filter((k) => k.startsWith(start))
            .map((k) => k.slice(start.length))
            .sort();
    }

    /** The rows of a JSONL blob, or undefined. */
    jsonLines(container: LakeContainer, path: string): unknown[] | undefined {
        const entry = this.#blobs.get(key(container, path));
        return entry?.kind === 'jsonl' ? structuredClone(entry.rows) : undefined;
    }

    /** The table of a Parquet blob as written, or undefined. */
    parquetTable(container: LakeContainer, path: string): ParquetTable | undefined {
        const entry = this.#blobs.get(key(container, path));
        return entry?.kind === 'parquet' ? entry.table : undefined;
    }

    /** All JSONL rows of a container (every blob, path order). */
    allJsonLines(container: LakeContainer, prefix = ''): unknown[] {
        return this.paths(container)
            .filter((p) => p.startsWith(prefix))
            .flatMap((p) => this.jsonLines(container, p) ?? []);
    }

    /** All Parquet rows of a container (every blob, path order). */
    allParquetRows(container: LakeContainer, prefix = ''): Record<string, unknown>[] {
        return this.paths(container)
            .filter((p) => p.startsWith(prefix))
            .flatMap((p) => [...(this.parquetTable(container, p)?.rows ?? [])]);
    }

    #beforeWrite(): void {
        const failure = this.failNextWrite;
        if (failure !== undefined) {
            this.failNextWrite = undefined;
            throw failure;
        }
        this.writeCount++;
    }

    #get(container: LakeContainer, path: string): Entry {
        const entry = this.#blobs.get(key(container, path));
        if (entry === undefined) throw new NotFoundError(`read ${container}/${path} failed: blob not found`);
        return entry;
    }

    #bytes(entry: Entry): Uint8Array {
        if (entry.kind !== 'parquet') return entry.bytes;
        entry.bytes ??= encodeParquet(entry.table);
        return entry.bytes;
    }
}

/** Runs `fn` and turns its result or throw into a promise (fakes fail asynchronously, like the real adapters). */
function settle<T>(fn: () => T): Promise<T> {
    try {
        return Promise.resolve(fn());
    } catch (error) {
        return Promise.reject(ensureError(error));
    }
}

function key(container: LakeContainer, path: string): string {
    return `${container}/${path}`;
}
