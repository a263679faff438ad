/**
 * The soak's memory verdict (bench/lib/soakVerdict.ts): "under" counts every sample and the peak, jobs included;
 * "flat" is judged on the samples taken between jobs, which the stack's `memory:` line tells apart.
 */
import { describe, expect, it } from '@jest/globals';

import {
    jobsOfMemoryLine,
    MIN_TREND_SAMPLES,
    soakMemoryVerdict,
    type SoakSample,
} from '../../../bench/lib/soakVerdict.js';
import { memoryLine } from '../../../local/run.js';

/** A sample every 10 s over minutes 0-30: `base(minute)` between jobs, +`spike` MB in the first 10 s of a minute. */
function sawTooth(base: (minute: number) => number, spike: number): SoakSample[] {
    const samples: SoakSample[] = [];
    for (let i = 1; i <= 180; i++) {
        const minute = i / 6;
        // a gold build at second 0 of every minute, 8-15 s long: one sample in six falls in it (21 after minute 10)
        const inJob = i % 6 === 0;
        // a few MB of garbage-collector saw-tooth, not random: the test is repeatable
        const wobble = ((i * 7) % 11) - 5;
        samples.push({
            minute,
            rss: base(minute) + wobble + (inJob ? spike * (0.5 + ((i * 13) % 7) / 12) : 0),
            jobs: inJob ? (i % 12 === 0 ? ['buildGold', 'watchCollisions'] : ['buildGold']) : [],
        });
    }
    return samples;
}

const options = { warmupMinutes: 10, targetMb: 500, flatMbPerHour: 50 };

describe('soakMemoryVerdict', () => {
    it('a flat base with large job spikes is flat (judged between jobs), while a fit over every sample is wider', () => {
        const v = soakMemoryVerdict(
            sawTooth(() => 250, 150),
            { ...options, peakMb: 470 },
        );
        expect(v.flat).toBe(true);
        expect(v.under).toBe(true);
        expect(Math.abs(v.between.slope)).toBeLessThan(10);
        expect(v.all.plusMinus).toBeGreaterThan(2 * v.between.plusMinus);
        expect(v.between.samples + v.jobs.samples).toBe(v.late);
        expect(v.byJob.map(({ name, samples }) => ({ name, samples }))).toEqual([
            { name: 'buildGold', samples: 21 },
            { name: 'watchCollisions', samples: 11 },
        ]);
        expect(v.byJob[0]!.largest).toBe(v.largest);
    });

    it('a base that grows between jobs is growing, whatever the spikes', () => {
        // +3 MB a minute = +180 MB/hour
        const v = soakMemoryVerdict(
            sawTooth((m) => 200 + 3 * m, 100),
            { ...options, peakMb: 400 },
        );
        expect(v.flat).toBe(false);
        expect(v.between.slope).toBeGreaterThan(150);
        expect(v.between.slope).toBeLessThan(210);
    });

    it('a peak over the target between samples is not under the target, though every sample is', () => {
        const v = soakMemoryVerdict(
            sawTooth(() => 250, 100),
            { ...options, peakMb: 520 },
        );
        expect(v.largest).toBeLessThan(500);
        expect(v.under).toBe(false);
        expect(v.flat).toBe(true);
    });

    it('a sample over the target is not under it, and no peak known means the samples alone decide', () => {
        const samples = sawTooth(() => 250, 100);
        samples[120] = { ...samples[120]!, rss: 510 };
        expect(soakMemoryVerdict(samples, options).under).toBe(false);
        expect(
            soakMemoryVerdict(
                sawTooth(() => 250, 100),
                options,
            ),
        ).toMatchObject({ under: true, peak: undefined });
    });

    it('too few samples between jobs: the trend is not established; none after the warm-up: nothing is judged', () => {
        const busy = sawTooth(() => 250, 100).map((s, i) =>
            i % 20 === 0 ? s : { ...s, jobs: ['checkCompliance'] },
        );
        const v = soakMemoryVerdict(busy, options);
        expect(v.between.samples).toBeLessThan(MIN_TREND_SAMPLES);
        expect(v.flat).toBeUndefined();
        expect(
            soakMemoryVerdict(
                sawTooth(() => 250, 100),
                { ...options, warmupMinutes: 40 },
            ),
        ).toMatchObject({
            late: 0,
            under: undefined,
            flat: undefined,
        });
    });
});

describe("the stack's memory line names the jobs at work, and the soak reads them back", () => {
    const base = {
        rss: 250 * 1_048_576,
        main: { used: 60 * 1_048_576, total: 80 * 1_048_576 },
        external: 0,
        arrayBuffers: 0,
        cosmos: { used: 50 * 1_048_576, total: 60 * 1_048_576 },
        documents: { vessels: 12 },
    };

    it('with jobs running', () => {
        const line = memoryLine({
            ...base,
            jobs: ['buildGold', 'checkCompliance'],
            snapshotBytes: 40 * 1_048_576,
        });
        expect(line).toMatch(/\| snapshot 40 MB \| running buildGold, checkCompliance$/);
        expect(jobsOfMemoryLine(line)).toEqual(['buildGold', 'checkCompliance']);
    });

    it('with none (and from a stack that does not say)', () => {
        const line = memoryLine({ ...base, jobs: [] });
        expect(line).not.toContain('running');
        expect(jobsOfMemoryLine(line)).toEqual([]);
        expect(jobsOfMemoryLine(memoryLine(base))).toEqual([]);
    });
});
