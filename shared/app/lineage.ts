/**
 * Lineage: every ingest batch and every timer run writes one record of what it read and wrote, in the OpenLineage
 * run-event shape (https://openlineage.io/spec/2-0-2/OpenLineage.json, `RunEvent`), so a user (or Marquez, or
 * Purview) can walk from a gold number to the silver hours and the bronze batches behind it.
 *
 * One event per run, sent when the run ends (`eventType` COMPLETE or FAIL); the start and end times and the counts
 * are in the run facet `maritime` (custom facets are allowed by the spec when they carry `_producer` and
 * `_schemaURL`). Run ids are UUIDs derived from the job and what the run covered (a batch's partition and sequence
 * range, a timer's window and attempt), so a redelivered batch writes the same run id again instead of a new one.
 *
 * Recording lineage never fails the run it describes: `recordLineage` logs and carries on.
 */
import { createHash } from 'node:crypto';

import { addDays } from './gold/window.js';
import type { Clock, Logger } from './ports.js';

export const LINEAGE_PRODUCER = 'https://github.com/maritime-pipeline/maritime-pipeline';
export const LINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACET_SCHEMA_URL = 'https://github.com/maritime-pipeline/maritime-pipeline/blob/main/README.md#lineage';
/** The OpenLineage job namespace of this app's jobs. */
export const LINEAGE_NAMESPACE = 'maritime';

/** A dataset as OpenLineage names it: where (namespace) and which (name). */
export interface LineageDataset {
    namespace: string;
    name: string;
    /** Rows read or written, when known (OpenLineage `outputStatistics` / `inputStatistics` facets). */
    rows?: number;
}

export interface LineageRun {
    /** The function or command (`ingestAis`, `buildGold`, `compactSilver`, ...). */
    job: string;
    /** A UUID (see `lineageRunId`). */
    runId: string;
    startedAt: number;
    endedAt: number;
    outcome: 'COMPLETE' | 'FAIL';
    inputs: readonly LineageDataset[];
    outputs: readonly LineageDataset[];
    /** What the run counted (received, accepted, quarantined, rows per table, ...). */
    counts?: Readonly<Record<string, number>>;
    /** The window a timer run covered (`2026-12-03`, `ais_positions/2026-12-03T10:00:00.000Z`). */
    window?: string;
    error?: string;
}

interface Facet {
    _producer: string;
    _schemaURL: string;
    [key: string]: unknown;
}

export interface OpenLineageRunEvent {
    eventType: 'COMPLETE' | 'FAIL';
    eventTime: string;
    producer: string;
    schemaURL: string;
    run: { runId: string; facets: Record<string, Facet> };
    job: { namespace: string; name: string; facets: Record<string, Facet> };
    inputs: { namespace: string; name: string; inputFacets?: Record<string, Facet> }[];
    outputs: { namespace: string; name: string; outputFacets?: Record<string, Facet> }[];
}

/** Where lineage records go (the lake's `lineage` container; optionally an OpenLineage endpoint too). */
export interface LineageSink {
    write(event: OpenLineageRunEvent): Promise<void>;
}

/** A deterministic UUID (version 5 layout, SHA-1) of a job and what its run covered. */
export function lineageRunId(job: string, key: string): string {
    const hex = createHash('sha1').update(`${job}\u0000${key}`).digest('hex');
    const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16).padStart(2, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function facet(fields: Record<string, unknown>): Facet {
    return { _producer: LINEAGE_PRODUCER, _schemaURL: FACET_SCHEMA_URL, ...fields };
}

export function toOpenLineageEvent(run: LineageRun): OpenLineageRunEvent {
    const maritime: Record<string, unknown> = {
        startTime: new Date(run.startedAt).toISOString(),
        endTime: new Date(run.endedAt).toISOString(),
    };
    if (run.window !== undefined) maritime['window'] = run.window;
    if (run.counts !== undefined) maritime['counts'] = { ...run.counts };
    const runFacets: Record<string, Facet> = { maritime: facet(maritime) };
    if (run.error !== undefined) {
        runFacets['errorMessage'] = facet({ message: run.error, programmingLanguage: 'TypeScript' });
    }
    return {
        eventType: run.outcome,
        eventTime: new Date(run.endedAt).toISOString(),
        producer: LINEAGE_PRODUCER,
        schemaURL: LINEAGE_SCHEMA_URL,
        run: { runId: run.runId, facets: runFacets },
        job: { namespace: LINEAGE_NAMESPACE, name: run.job, facets: {} },
        inputs: run.inputs.map((d) => ({
            namespace: d.namespace,
            name: d.name,
            ...(d.rows === undefined
                ? {}
                : { inputFacets: { inputStatistics: facet({ rowCount: d.rows }) } }),
        })),
        outputs: run.outputs.map((d) => ({
            namespace: d.namespace,
            name: d.name,
            ...(d.rows === undefined
                ? {}
                : { outputFacets: { outputStatistics: facet({ rowCount: d.rows }) } }),
        })),
    };
}

/** Writes the run's lineage record; a failure is logged, never thrown (lineage must not fail the run). */
export async function recordLineage(
    sink: LineageSink | undefined,
    run: LineageRun,
    logger: Logger,
): Promise<void> {
    if (sink === undefined) return;
    try {
        await sink.write(toOpenLineageEvent(run));
    } catch (error) {
        logger.warn('lineage record not written', {
            job: run.job,
            runId: run.runId,
            error: error instanceof Error ? error.message : String(error),
        });
    }
}

/**
 * What a timer use case needs to record its runs (`checkCompliance`, the CII rating, `scoreMaintenance`,
 * `watchCollisions`): the sink (absent: nothing recorded), the lake's namespace, and the Cosmos DB database's
 * (`azurecosmos://{host}/dbs/{database}`, datasets `colls/{container}`) for the state they read and write.
 */
export interface TimerLineageDeps {
    lineage?: LineageSink;
    lakeNamespace?: string;
    cosmosNamespace?: string;
    clock: Clock;
    logger: Logger;
}

/** What one run read and wrote, for its lineage record. */
export interface RunDatasets {
    inputs: readonly LineageDataset[];
    outputs: readonly LineageDataset[];
    counts?: Readonly<Record<string, number>>;
}

/** Builds the datasets of a run record in the namespaces of `deps`. */
export interface DatasetNames {
    /** `{container}/{path}` in the lake's namespace. */
    lake(container: string, path: string, rows?: number): LineageDataset;
    /** A lake dataset already named `{container}/{path}` (a table-hour folder, say). */
    lakeNamed(name: string): LineageDataset;
    /** `colls/{container}` in the Cosmos database's namespace. */
    cosmos(container: string, rows?: number): LineageDataset;
}

export function datasetNames(
    deps: Pick<TimerLineageDeps, 'lakeNamespace' | 'cosmosNamespace'>,
): DatasetNames {
    const lake = deps.lakeNamespace ?? 'lake';
    const cosmos = deps.cosmosNamespace ?? 'cosmos';
    return {
        lake: (container, path, rows) => lakeDataset(lake, container, path, rows),
        lakeNamed: (name) => ({ namespace: lake, name }),
        cosmos: (container, rows) =>
            rows === undefined
                ? { namespace: cosmos, name: `colls/${container}` }
                : { namespace: cosmos, name: `colls/${container}`, rows },
    };
}

/** The folders (`silver/{table}/date=D/hour=H/`, `gold/{table}/date=D/`) of `{container}/{path}` blob names, sorted. */
export function blobFolders(paths: readonly string[]): string[] {
    return [...new Set(paths.map((p) => p.slice(0, p.lastIndexOf('/') + 1)))].sort();
}

/**
 * Runs `work` as one lineage run of `job` over `window`: its run id (from the job and `key`) is handed to the work
 * (gold rows carry it as `run_id`); when it returns, a COMPLETE record with what `describe` says it read and wrote;
 * when it throws, a FAIL record with the error (none for a stop, a `StoppedError`), and the error is rethrown.
 * Recording never fails the run.
 */
export async function withRunLineage<T>(
    deps: TimerLineageDeps,
    run: { job: string; key: string; window: string },
    work: (runId: string) => Promise<T>,
    describe: (result: T, names: DatasetNames) => RunDatasets,
): Promise<T> {
    const runId = lineageRunId(run.job, run.key);
    const startedAt = deps.clock.now();
    let result: T;
    try {
        result = await work(runId);
    } catch (error) {
        // A run cut short by the host's stop did not fail (it runs again at the next fire): no FAIL record.
        if (error instanceof Error && error.name === 'StoppedError') throw error;
        const message = error instanceof Error ? error.message : String(error);
        await recordLineage(
            deps.lineage,
            {
                job: run.job,
                runId,
                startedAt,
                endedAt: deps.clock.now(),
                outcome: 'FAIL',
                window: run.window,
                inputs: [],
                outputs: [],
                error: message,
            },
            deps.logger,
        );
        throw error;
    }
    if (deps.lineage !== undefined) {
        const datasets = describe(result, datasetNames(deps));
        await recordLineage(
            deps.lineage,
            {
                job: run.job,
                runId,
                startedAt,
                endedAt: deps.clock.now(),
                outcome: 'COMPLETE',
                window: run.window,
                ...datasets,
            },
            deps.logger,
        );
    }
    return result;
}

/** The lake datasets' namespace: the lake's account (so two environments' lineage does not mix). */
export function lakeDataset(
    lakeNamespace: string,
    container: string,
    path: string,
    rows?: number,
): LineageDataset {
    return rows === undefined
        ? { namespace: lakeNamespace, name: `${container}/${path}` }
        : { namespace: lakeNamespace, name: `${container}/${path}`, rows };
}

/** Reads the lineage records written for a range of UTC days (by the day the run ended). */
export interface LineageReader {
    read(fromDay: string, toDay: string): Promise<OpenLineageRunEvent[]>;
}

/** What produced one silver hour a gold run read: the compaction that merged it and the ingest batches behind it. */
export interface SilverHourTrace {
    /** `silver/{table}/date=D/hour=H/` */
    folder: string;
    compaction?: OpenLineageRunEvent;
    /** Ingest runs (batches) that wrote files of the hour, oldest first. */
    batches: OpenLineageRunEvent[];
}

/** An input of the gold run other than a silver table-hour (a gold day, a table, Cosmos state) and what wrote it. */
export interface UpstreamTrace {
    namespace: string;
    name: string;
    /** The newest completed run that wrote it, when its record is among those searched (lake datasets only). */
    producer?: OpenLineageRunEvent;
}

export interface GoldTrace {
    table: string;
    day: string;
    /** The newest completed run that wrote the gold table's day. */
    gold?: OpenLineageRunEvent;
    hours: SilverHourTrace[];
    /** The run's other inputs (the gold days a compliance or maintenance run read, say), each with its producer. */
    upstream: UpstreamTrace[];
}

/** Gold tables partitioned by year (`date=YYYY-01-01`), rewritten all year long (by the CII rating). */
export const YEARLY_GOLD_TABLES: readonly string[] = ['cii_yearly'];

/**
 * The UTC days of lineage records to read for a gold table's day: the day and the `days` after it (late batches,
 * later builds); for a yearly table, the `days` up to today (the newest rating wrote it).
 */
export function lineageSearchDays(
    table: string,
    day: string,
    days: number,
    today: string,
): { from: string; to: string } {
    if (YEARLY_GOLD_TABLES.includes(table)) {
        const from = addDays(today, -days);
        return { from: from < day ? day : from, to: today };
    }
    return { from: day, to: addDays(day, days) };
}

const byTime = (a: OpenLineageRunEvent, b: OpenLineageRunEvent): number =>
    a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0;

/**
 * Walks back from a gold table's day: the gold run that wrote it (its inputs are the silver table-hours it read),
 * then for each hour the compaction that merged it (if any) and the ingest batches that wrote its files (their
 * inputs are the event hub partition and sequence range, their outputs include the bronze blob).
 */
export function traceGoldDay(events: readonly OpenLineageRunEvent[], table: string, day: string): GoldTrace {
    const completed = events.filter((e) => e.eventType === 'COMPLETE').sort(byTime);
    const prefix = `gold/${table}/date=${day}/`;
    const gold = completed.filter((e) => e.outputs.some((o) => o.name.startsWith(prefix))).at(-1);
    if (gold === undefined) return { table, day, hours: [], upstream: [] };
    const isHour = (n: string): boolean => n.startsWith('silver/') && /\/hour=\d{2}\/$/.test(n);
    const folders = gold.inputs.map((i) => i.name).filter(isHour);
    const upstream = gold.inputs
        .filter((i) => !isHour(i.name))
        .map((i): UpstreamTrace => {
            const producer = completed
                .filter(
                    (e) =>
                        e !== gold &&
                        e.outputs.some(
                            (o) =>
                                o.namespace === i.namespace &&
                                (i.name.endsWith('/') ? o.name.startsWith(i.name) : o.name === i.name),
                        ),
                )
                .at(-1);
            return producer === undefined
                ? { namespace: i.namespace, name: i.name }
                : { namespace: i.namespace, name: i.name, producer };
        });
    const hours = folders.map((folder): SilverHourTrace => {
        const compaction = completed
            .filter((e) => e.job.name === 'compactSilver' && e.outputs.some((o) => o.name.startsWith(folder)))
            .at(-1);
        const batches = completed.filter(
            (e) =>
                e.job.name !== 'compactSilver' &&
                e !== gold &&
                e.outputs.some((o) => o.name.startsWith(folder)),
        );
        return compaction === undefined ? { folder, batches } : { folder, compaction, batches };
    });
    return { table, day, gold, hours, upstream };
}

/** The completed and failed runs of one job among the records, oldest first. */
export function jobRuns(events: readonly OpenLineageRunEvent[], job: string): OpenLineageRunEvent[] {
    return events.filter((e) => e.job.name === job).sort(byTime);
}

/** One line per run: when it ended, outcome, run id, window, what it read and wrote (with row counts), its counts. */
export function formatJobRuns(job: string, runs: readonly OpenLineageRunEvent[]): string {
    if (runs.length === 0) return `${job}: no lineage record in the days searched\n`;
    const rows = (facets: Record<string, Facet> | undefined, key: string): string => {
        const n = facets?.[key]?.['rowCount'];
        return typeof n === 'number' ? ` (${n} rows)` : '';
    };
    const lines = runs.map((e) => {
        const m = e.run.facets['maritime'];
        const window = typeof m?.['window'] === 'string' ? ` ${m['window']}` : '';
        const c = m?.['counts'] as Record<string, number> | undefined;
        const counts =
            c === undefined
                ? ''
                : ` ${Object.entries(c)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}`;
        const message = e.run.facets['errorMessage']?.['message'];
        const error = e.eventType === 'FAIL' ? ` error: ${typeof message === 'string' ? message : ''}` : '';
        const inputs =
            e.inputs.length <= 3
                ? e.inputs.map((i) => `${i.name}${rows(i.inputFacets, 'inputStatistics')}`).join(', ')
                : `${e.inputs.length} datasets (${e.inputs[0]!.name} .. ${e.inputs.at(-1)!.name})`;
        const outputs = e.outputs
            .map((o) => `${o.name}${rows(o.outputFacets, 'outputStatistics')}`)
            .join(', ');
        return `${e.eventTime} ${e.eventType} ${job} run ${e.run.runId}${window}: ${inputs} -> ${outputs}${counts}${error}`;
    });
    return `${lines.join('\n')}\n`;
}

/** The trace as text, one line per step, indented by depth. */
export function formatGoldTrace(trace: GoldTrace): string {
    if (trace.gold === undefined) {
        return `gold ${trace.table} ${trace.day}: no lineage record of a run that wrote it (was it built before lineage was on, or outside the days searched?)\n`;
    }
    const counts = (e: OpenLineageRunEvent): string => {
        const c = e.run.facets['maritime']?.['counts'] as Record<string, number> | undefined;
        return c === undefined
            ? ''
            : ` ${Object.entries(c)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}`;
    };
    const lines = [
        `gold ${trace.table} ${trace.day} <- ${trace.gold.job.name} run ${trace.gold.run.runId} at ${trace.gold.eventTime}${counts(trace.gold)}`,
    ];
    for (const u of trace.upstream) {
        const by =
            u.producer === undefined
                ? ''
                : ` <- ${u.producer.job.name} run ${u.producer.run.runId} at ${u.producer.eventTime}`;
        lines.push(`  reads ${u.name}${by}`);
    }
    for (const hour of trace.hours) {
        lines.push(`  ${hour.folder}`);
        if (hour.compaction !== undefined) {
            lines.push(
                `    compacted by run ${hour.compaction.run.runId} at ${hour.compaction.eventTime}: ${hour.compaction.inputs.length} batch files -> ${hour.compaction.outputs.filter((o) => o.name.endsWith('.parquet')).length} file(s)`,
            );
        }
        for (const batch of hour.batches) {
            const source = batch.inputs.map((i) => `${i.namespace}/${i.name}`).join(', ');
            const bronze = batch.outputs
                .filter((o) => o.name.startsWith('bronze/'))
                .map((o) => o.name)
                .join(', ');
            lines.push(
                `    <- ${batch.job.name} run ${batch.run.runId} at ${batch.eventTime}: ${source}${bronze === '' ? '' : ` -> ${bronze}`}${counts(batch)}`,
            );
        }
        if (hour.batches.length === 0)
            lines.push('    (no ingest lineage records for this hour in the days searched)');
    }
    return `${lines.join('\n')}\n`;
}
