/**
 * Gold shards over a queue: the `buildGold` timer claims a day and sends one message per shard (`GOLD_SHARDS`);
 * each message is built by a queue-triggered function on whatever instance takes it, and the last shard to finish
 * completes the day (fleet summary, data quality) and marks the run succeeded.
 *
 * Each shard's summary is kept in the lake under the run it belongs to
 * (`gold/_shards/date=D/run-{startedAt}/part-{i}-of-{n}.jsonl.gz`); after writing its own, a shard lists them, and
 * the one that sees all `n` completes the day. Listing after writing means the last writer always sees every part
 * (two shards finishing together may both complete the day: the outputs are replaced as a whole, and only one
 * `finishRun` wins the etag). A redelivered message rebuilds its shard and overwrites the same outputs and summary,
 * so nothing is counted twice; a message of a run that is over (succeeded, taken over, rebuilt) is stale and ignored.
 */
import { ValidationError } from '../../errors.js';
import { finishRun } from '../jobRuns.js';
import type { GoldShardMessage } from '../ports.js';
import { buildGoldDay, type GoldDaySummary } from './buildGoldDay.js';
import { recordDayLineage } from './dailyJob.js';
import {
    completeGoldDay,
    GOLD_JOB,
    goldDayLineage,
    type GoldJobDeps,
    type GoldJobSettings,
} from './runGoldJob.js';
import { dayWindow, isDay } from './window.js';

export type ShardOutcome = 'stale' | 'built' | 'completed' | 'lost';

type StoredSummary = Omit<GoldDaySummary, 'seconds'>;

/**
 * A shard message as the queue trigger hands it over (the JSON object, or its text), checked. A message that is not
 * one throws a ValidationError: the trigger retries it and then moves it to the poison queue, where it can be read.
 */
export function parseGoldShardMessage(value: unknown): GoldShardMessage {
    let m: unknown = value;
    if (typeof value === 'string') {
        try {
            m = JSON.parse(value) as unknown;
        } catch {
            throw new ValidationError(`gold shard message is not JSON: ${value.slice(0, 200)}`);
        }
    }
    const problems: string[] = [];
    const r = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    const integer = (name: string, min: number, max: number): number => {
        const v = r[name];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
            problems.push(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
        return v as number;
    };
    if (typeof r['day'] !== 'string' || !isDay(r['day']))
        problems.push(`day must be YYYY-MM-DD, got ${JSON.stringify(r['day'])}`);
    const count = integer('count', 1, 64);
    integer('index', 0, Number.isInteger(count) ? Math.max(0, count - 1) : 63);
    integer('runStartedAt', 0, Number.MAX_SAFE_INTEGER);
    integer('windowNow', 0, Number.MAX_SAFE_INTEGER);
    if (r['runId'] !== undefined && (typeof r['runId'] !== 'string' || r['runId'] === ''))
        problems.push(`runId must be a string, got ${JSON.stringify(r['runId'])}`);
    if (problems.length > 0)
        throw new ValidationError(
            `not a gold shard message (${problems.join('; ')}): ${JSON.stringify(m)?.slice(0, 200)}`,
        );
    return {
        day: r['day'] as string,
        index: r['index'] as number,
        count,
        runStartedAt: r['runStartedAt'] as number,
        windowNow: r['windowNow'] as number,
        ...(r['runId'] === undefined ? {} : { runId: r['runId'] as string }),
    };
}

export function shardSummaryPrefix(m: Pick<GoldShardMessage, 'day' | 'runStartedAt'>): string {
    return `_shards/date=${m.day}/run-${m.runStartedAt}/`;
}

/** Builds one shard of a day; the last shard of the run completes the day. */
export async function runGoldShard(
    deps: GoldJobDeps,
    settings: Pick<GoldJobSettings, 'graceMs'>,
    m: GoldShardMessage,
): Promise<ShardOutcome> {
    const run = await deps.runs.get(GOLD_JOB, m.day);
    if (run?.status !== 'running' || run.startedAt !== m.runStartedAt) {
        deps.logger.info('gold shard message of a finished or replaced run ignored', {
            day: m.day,
            shard: `${m.index}/${m.count}`,
        });
        return 'stale';
    }
    const w = {
        ...dayWindow(m.day, m.windowNow, settings.graceMs),
        ...(m.runId === undefined ? {} : { runId: m.runId }),
    };
    const { seconds: _seconds, ...summary } = await buildGoldDay(deps, w, { index: m.index, count: m.count });
    const prefix = shardSummaryPrefix(m);
    await deps.lake.writeJsonLinesGz('gold', `${prefix}part-${m.index}-of-${m.count}.jsonl.gz`, [summary]);
    const parts = (await deps.lake.list('gold', prefix)).filter((p) =>
        p.path.endsWith(`-of-${m.count}.jsonl.gz`),
    );
    if (parts.length < m.count) return 'built';
    const summaries: StoredSummary[] = [];
    for (const part of parts)
        summaries.push(...((await deps.lake.readJsonLinesGz('gold', part.path)) as StoredSummary[]));
    summaries.sort((a, b) => a.shard.index - b.shard.index);
    const completed = await completeGoldDay(deps, w, summaries, run.result);
    const finished = await finishRun(deps.runs, run, {
        now: deps.clock.now(),
        partial: w.partial,
        ...completed,
    });
    if (finished !== 'lost' && m.runId !== undefined) {
        const lineage = goldDayLineage(m.day, summaries, completed.result['rows'] as Record<string, number>);
        await recordDayLineage(GOLD_JOB, m.runId, deps, run, m.day, { result: completed.result, lineage });
    }
    // Summaries of earlier runs of the day are of no further use.
    const old = (await deps.lake.list('gold', `_shards/date=${m.day}/`)).filter(
        (p) => !p.path.startsWith(prefix),
    );
    await Promise.all(old.map((p) => deps.lake.delete('gold', p.path)));
    deps.logger.info('gold day completed by its last shard', {
        day: m.day,
        shards: m.count,
        outcome: finished === 'lost' ? 'lost' : 'succeeded',
    });
    return finished === 'lost' ? 'lost' : 'completed';
}
