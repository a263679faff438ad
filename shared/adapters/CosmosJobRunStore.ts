/**
 * The run ledger in Cosmos DB, container `jobRuns` (partition key `/job`): one document per job and window, id the
 * window. Writes are conditional (Create when the caller saw no document, Replace with `IfMatch` otherwise), so two
 * claimants of one window cannot both win; a lost race comes back as `conflict`, never as an exception.
 */
import type { Container } from '@azure/cosmos';

import type { JobRun, JobRunStore, StoredJobRun } from '../app/jobRuns.js';
import { PipelineError } from '../errors.js';
import { CosmosStore, withoutSystemFields } from './cosmosSupport.js';
import { fromSdkError, statusOf } from './fromSdkError.js';

const FORBIDDEN = /[/\\?#]/g;
const DOCUMENT_FIELDS = ['id', 'etag'] as const;

type JobRunDocument = JobRun & { id: string; _etag?: string };

/** The document id of a window (the characters Cosmos forbids in ids replaced by `_`). */
export function jobRunDocumentId(window: string): string {
    return window.replace(FORBIDDEN, '_');
}

export class CosmosJobRunStore extends CosmosStore implements JobRunStore {
    constructor(container: Container) {
        super(container, 1);
    }

    async get(job: string, window: string): Promise<StoredJobRun | undefined> {
        this.counters.requests++;
        try {
            const response = await this.container.item(jobRunDocumentId(window), job).read<JobRunDocument>();
            this.counters.requestCharge += response.requestCharge ?? 0;
            const doc = response.resource;
            // The local server may ignore the partition key of a point read: check it.
            if (doc === undefined || doc.job !== job) return undefined;
            return toStored(doc);
        } catch (error) {
            if (statusOf(error) === 404) return undefined;
            throw fromSdkError(error, `read job run ${job}/${window}`);
        }
    }

    async list(job: string, from: string, to: string): Promise<StoredJobRun[]> {
        const docs = await this.queryAll<JobRunDocument>(
            {
                query: 'SELECT * FROM c WHERE c.job = @job AND c.window >= @from AND c.window <= @to',
                parameters: [
                    { name: '@job', value: job },
                    { name: '@from', value: from },
                    { name: '@to', value: to },
                ],
            },
            { partitionKey: job, maxItemCount: 1000 },
            `list job runs ${job}`,
        );
        return docs.map(toStored).sort((a, b) => (a.window < b.window ? -1 : a.window > b.window ? 1 : 0));
    }

    async put(run: JobRun, expectedEtag: string | null): Promise<StoredJobRun | 'conflict'> {
        if (!run.job || !run.window) throw new PipelineError('a job run needs a job and a window');
        const id = jobRunDocumentId(run.window);
        const doc: JobRunDocument = {
            ...(withoutSystemFields(run, DOCUMENT_FIELDS) as unknown as JobRun),
            id,
        };
        this.counters.requests++;
        try {
            const response =
                expectedEtag === null
                    ? await this.container.items.create(doc)
                    : await this.container
                          .item(id, run.job)
                          .replace(doc, { accessCondition: { type: 'IfMatch', condition: expectedEtag } });
            this.counters.requestCharge += response.requestCharge ?? 0;
            const written = response.resource as JobRunDocument | undefined;
            return { ...toStored(doc), etag: written?._etag ?? response.etag ?? '' };
        } catch (error) {
            const status = statusOf(error);
            // 412: etag changed; 409: created meanwhile; 404: deleted meanwhile.
            if (status === 412 || status === 409 || status === 404) return 'conflict';
            throw fromSdkError(error, `write job run ${run.job}/${run.window}`);
        }
    }
}

function toStored(doc: JobRunDocument): StoredJobRun {
    const etag = doc._etag ?? '';
    return { ...(withoutSystemFields(doc, DOCUMENT_FIELDS) as unknown as JobRun), etag };
}
