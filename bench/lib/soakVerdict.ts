/**
 * The soak's memory verdict (bench/soak.ts, issue 10: the stack's RSS "flat, under 500 MB" after the warm-up), apart
 * from the run so that it can be tested.
 *
 * The stack runs timer jobs (gold builds, the compliance check, silver compaction) that hold a working set for a few
 * seconds and give it back: RSS is a saw-tooth. The two halves of the target are judged on what each is about:
 *
 * - **under**: every sample after the warm-up and the peak since the warm-up (VmHWM, reset when the warm-up ends:
 *   the spikes between samples count) are under the target. The jobs' working sets are judged here, in full.
 * - **flat** (no leak): the least-squares slope of the samples taken while no job ran (the stack's `memory:` line
 *   names the jobs at work when it read its RSS), with its 95 % interval. Flat when the interval's upper end is under
 *   the threshold, growing when its lower end is above it, otherwise not established. A sample taken during a job
 *   measures how far into its work the job was, which says nothing about a trend and widens the interval of a fit
 *   over every sample; that fit is still computed and printed beside (`all`), as is the jobs' own trend (`jobs`: a
 *   job whose working set grows with the day's data shows there).
 */

export interface SoakSample {
    minute: number;
    /** The stack's RSS, MB. */
    rss: number;
    /** The timer and queue functions at work when the RSS was read (empty: none). */
    jobs: readonly string[];
}

export interface Trend {
    /** MB per hour (NaN with fewer than 3 samples or one minute only). */
    slope: number;
    /** Half-width of the slope's 95 % interval, MB per hour. */
    plusMinus: number;
    samples: number;
}

export interface SoakMemoryVerdict {
    /** The samples after the warm-up. */
    late: number;
    /** Largest sample after the warm-up, MB (NaN when none). */
    largest: number;
    /** Peak RSS since the warm-up ended (VmHWM after its reset), MB; undefined when it could not be reset. */
    peak: number | undefined;
    /** The fit the verdict uses: samples after the warm-up taken while no job ran. */
    between: Trend;
    /** For reference: every sample after the warm-up. */
    all: Trend;
    /** For reference: the samples taken during a job. */
    jobs: Trend;
    /** Per job, the samples taken while it ran and the largest, MB (a sample during two jobs counts for both). */
    byJob: { name: string; samples: number; largest: number }[];
    under: boolean | undefined;
    /** true flat, false growing, undefined not established. */
    flat: boolean | undefined;
}

/** Fewer samples between jobs than this: no verdict on the trend (run longer, or sample more often). */
export const MIN_TREND_SAMPLES = 10;

/** Least-squares slope of `y` over minutes, per hour, with the half-width of its 95 % interval (t ~ 2). */
export function slopePerHour<T extends { minute: number }>(points: readonly T[], y: (p: T) => number): Trend {
    const n = points.length;
    const mx = points.reduce((s, p) => s + p.minute, 0) / n;
    const my = points.reduce((s, p) => s + y(p), 0) / n;
    const sxy = points.reduce((s, p) => s + (p.minute - mx) * (y(p) - my), 0);
    const sxx = points.reduce((s, p) => s + (p.minute - mx) ** 2, 0);
    if (n < 3 || sxx === 0) return { slope: NaN, plusMinus: NaN, samples: n };
    const b = sxy / sxx;
    const residuals = points.reduce((s, p) => s + (y(p) - (my + b * (p.minute - mx))) ** 2, 0);
    const se = Math.sqrt(residuals / (n - 2) / sxx);
    return { slope: b * 60, plusMinus: 2 * se * 60, samples: n };
}

export function soakMemoryVerdict(
    samples: readonly SoakSample[],
    options: {
        warmupMinutes: number;
        targetMb: number;
        flatMbPerHour: number;
        /** VmHWM since the warm-up ended, MB; undefined when it could not be reset. */
        peakMb?: number;
    },
): SoakMemoryVerdict {
    const late = samples.filter((p) => p.minute >= options.warmupMinutes);
    const idle = late.filter((p) => p.jobs.length === 0);
    const busy = late.filter((p) => p.jobs.length > 0);
    const largest = late.length > 0 ? Math.max(...late.map((p) => p.rss)) : NaN;
    const between = slopePerHour(idle, (p) => p.rss);
    const byJob = new Map<string, { samples: number; largest: number }>();
    for (const p of busy)
        for (const name of p.jobs) {
            const j = byJob.get(name) ?? { samples: 0, largest: 0 };
            byJob.set(name, { samples: j.samples + 1, largest: Math.max(j.largest, p.rss) });
        }
    const under =
        late.length === 0
            ? undefined
            : largest < options.targetMb && (options.peakMb ?? 0) < options.targetMb;
    const flat =
        idle.length < MIN_TREND_SAMPLES || !Number.isFinite(between.slope)
            ? undefined
            : between.slope + between.plusMinus < options.flatMbPerHour
              ? true
              : between.slope - between.plusMinus > options.flatMbPerHour
                ? false
                : undefined;
    return {
        late: late.length,
        largest,
        peak: options.peakMb,
        between,
        all: slopePerHour(late, (p) => p.rss),
        jobs: slopePerHour(busy, (p) => p.rss),
        byJob: [...byJob].map(([name, j]) => ({ name, ...j })).sort((a, b) => b.samples - a.samples),
        under,
        flat,
    };
}

/** What a `memory:` line of the stack says was running when it read its RSS (local/run.ts `memoryLine`). */
export function jobsOfMemoryLine(line: string): string[] {
    const running = /\| running ([^|]+)$/.exec(line.trimEnd())?.[1];
    return running === undefined
        ? []
        : running
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '');
}
