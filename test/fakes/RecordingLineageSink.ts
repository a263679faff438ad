import type { LineageSink, OpenLineageRunEvent } from '../../shared/app/lineage.js';

/** A lineage sink that keeps every record it is given, in order. */
export class RecordingLineageSink implements LineageSink {
    readonly events: OpenLineageRunEvent[] = [];

    write(event: OpenLineageRunEvent): Promise<void> {
        this.events.push(event);
        return Promise.resolve();
    }

    /** The records of one job. */
    of(job: string): OpenLineageRunEvent[] {
        return this.events.filter((e) => e.job.name === job);
    }
}
