/**
 * In-memory JobRunStore with the semantics of CosmosJobRunStore: one document per job and window with its own
 * etag, conditional writes (`conflict` when the etag moved, nothing written), documents round-tripped through JSON.
 */
import type { JobRun, JobRunStore, StoredJobRun } from '../../app/jobRuns.js';

export class InMemoryJobRunStore implements JobRunStore {
    readonly #docs = new Map<string, StoredJobRun>();
    #etagSeq = 0;

    get(job: string, window: string): Promise<StoredJobRun | undefined> {
        const doc = this.#docs.get(key(job, window));
        return Promise.resolve(doc === undefined ? undefined : copy(doc));
    }

    list(job: string, from: string, to: string): Promise<StoredJobRun[]> {
        const runs = [...this.#docs.values()]
            .filter((r) => r.job === job && r.window >= from && r.window <= to)
            .sort((a, b) => (a.window < b.window ? -1 : 1));
        return Promise.resolve(runs.map(copy));
    }

    put(run: JobRun, expectedEtag: string | null): Promise<StoredJobRun | 'conflict'> {
        const k = key(run.job, run.window);
        const stored = this.#docs.get(k);
        const ok = expectedEtag === null ? stored === undefined : stored?.etag === expectedEtag;
        if (!ok) return Promise.resolve('conflict');
        const { etag: _etag, ...body } = run as StoredJobRun;
        const doc: StoredJobRun = { ...copy(body as StoredJobRun), etag: `"${++this.#etagSeq}"` };
        this.#docs.set(k, doc);
        return Promise.resolve(copy(doc));
    }
}

function key(job: string, window: string): string {
    return `${job}\u0000${window}`;
}

function copy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
