/**
 * FeedHorizon: how far in event time the feed has delivered, read from the fixes' arrival times (the horizon up to
 * which a silence still going on is the vessel's, darkGaps.ts).
 */
import { describe, expect, it } from '@jest/globals';

import { FeedHorizon } from '../../../../shared/domain/compliance/index.js';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2026, 11, 4, 23, 25);

describe('FeedHorizon', () => {
    it('live: a few seconds behind the newest arrival', () => {
        const h = new FeedHorizon();
        // 200 vessels every 10 s for an hour, each arriving 2-4 s after its event time
        for (let t = NOW - H; t <= NOW; t += 10_000)
            for (let v = 0; v < 200; v++) h.add(t - (v % 7) * 1000, t + 2_000 + (v % 3) * 1000);
        const value = h.value()!;
        expect(value).toBeLessThanOrEqual(NOW);
        expect(value).toBeGreaterThan(NOW - MIN);
    });

    it('catching up: where the replay has got to, not the clock, though a few live vessels report at the clock', () => {
        const h = new FeedHorizon();
        // 12 h of history (200 vessels, a fix a minute each) replayed in event-time order over the last 2 minutes, up
        // to 5 h ago so far; 3 live vessels reporting every 10 s meanwhile
        const from = NOW - 12 * H;
        const reached = NOW - 5 * H;
        for (let t = from; t < reached; t += MIN)
            for (let v = 0; v < 200; v++) h.add(t, NOW - 2 * MIN + ((t - from) / (reached - from)) * 2 * MIN);
        for (let t = NOW - 2 * MIN; t <= NOW; t += 10_000) for (let v = 0; v < 3; v++) h.add(t, t + 1_000);
        const value = h.value()!;
        expect(value).toBeLessThan(reached);
        // what arrived in the last 5 minutes: the whole replay so far; its 90th percentile event time
        expect(value).toBeGreaterThan(reached - 2 * H);
    });

    it('after the replay: back at the clock once the last 5 minutes of arrivals are live; arrivals out of order are pruned right', () => {
        const h = new FeedHorizon();
        const replayEnd = NOW - 10 * MIN;
        // the replay arrived 10-8 minutes ago, shuffled in arrival order; then the feed is live
        const replay: [number, number][] = [];
        for (let t = NOW - 12 * H; t < replayEnd; t += MIN)
            for (let v = 0; v < 50; v++) replay.push([t, replayEnd + ((t * 7 + v * 13) % (2 * MIN))]);
        for (const [t, a] of replay) h.add(t, a);
        for (let t = NOW - 8 * MIN; t <= NOW; t += 10_000) for (let v = 0; v < 50; v++) h.add(t, t + 1_000);
        // a straggler of the replay arriving now (older than the span's fixes in event time) counts as an arrival
        h.add(NOW - 11 * H, NOW);
        const value = h.value()!;
        expect(value).toBeGreaterThan(NOW - MIN);
        expect(value).toBeLessThanOrEqual(NOW);
    });

    it('the feed stopped: the horizon stays where it stopped, whatever the clock', () => {
        const h = new FeedHorizon();
        const stopped = NOW - 7 * H;
        for (let t = stopped - H; t <= stopped; t += 10_000) h.add(t, t + 1_000);
        expect(h.value()!).toBeLessThanOrEqual(stopped);
        expect(h.value()!).toBeGreaterThan(stopped - MIN);
    });

    it('no arrival times: unknown; the quantile must be a fraction', () => {
        expect(new FeedHorizon().value()).toBeUndefined();
        expect(() => new FeedHorizon({ quantile: 0 })).toThrow(RangeError);
        expect(() => new FeedHorizon({ quantile: 1.5 })).toThrow(RangeError);
        const newest = new FeedHorizon({ quantile: 1 });
        newest.add(NOW - H, NOW);
        newest.add(NOW - 2 * H, NOW);
        expect(newest.value()).toBe(NOW - H);
    });
});
