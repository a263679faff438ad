/**
 * How far in event time the feed's data is known to reach: the horizon up to which a silence still going on can be
 * called the vessel's, not the feed's (`CheckWindow.heardUntil`, darkGaps.ts).
 *
 * The wall clock is the wrong horizon whenever the feed is behind it: after an outage the backlog arrives hours late,
 * a provider backfills, a replay or the local stack's `--time-scale` history catches up. A check that ran then found
 * every vessel "still silent" from the last fix delivered so far up to the clock, opened those findings (and alerted
 * on them), and closed them again a minute later when the next fixes arrived: 177 of them in the first minute of a
 * local soak.
 *
 * The horizon is read from the feed itself: take the fixes that arrived within `spanMs` (5 minutes) of the newest
 * arrival (the hub's enqueued time); the event time that a `quantile` (0.9) of them had reached is how far the feed
 * has delivered. Live, that is a few seconds before the newest arrival; while a backlog or history catches up, it is
 * where the catch-up has got to; when the feed stopped (nothing arrives), it is where it stopped, so an outage of
 * the feed does not make every vessel dark. A quantile, not the newest event time: a few vessels of another, live
 * source (the local stack's staged vessels, a terrestrial feed beside a satellite backfill) do not move it. One bulk
 * delivery (a day uploaded at once) gives its 90th percentile event time: conservative, a silence at the day's end
 * is judged up to there.
 */

const DEFAULT_SPAN_MS = 5 * 60_000;
const DEFAULT_QUANTILE = 0.9;

export class FeedHorizon {
    readonly #spanMs: number;
    readonly #quantile: number;
    #newest = Number.NEGATIVE_INFINITY;
    /** Event and arrival times of the fixes that may still fall within the span of the newest arrival. */
    #events: number[] = [];
    #arrivals: number[] = [];
    #pruneAt = 4096;

    constructor(options: { spanMs?: number; quantile?: number } = {}) {
        this.#spanMs = options.spanMs ?? DEFAULT_SPAN_MS;
        this.#quantile = options.quantile ?? DEFAULT_QUANTILE;
        if (!(this.#quantile > 0 && this.#quantile <= 1))
            throw new RangeError(`quantile must be in (0, 1], got ${this.#quantile}`);
    }

    /** One fix: its event time and when it arrived (epoch ms). */
    add(eventTime: number, arrivedAt: number): void {
        if (arrivedAt > this.#newest) this.#newest = arrivedAt;
        if (arrivedAt < this.#newest - this.#spanMs) return;
        this.#events.push(eventTime);
        this.#arrivals.push(arrivedAt);
        if (this.#events.length >= this.#pruneAt) {
            this.#prune();
            this.#pruneAt = Math.max(4096, 2 * this.#events.length);
        }
    }

    /** The horizon, epoch ms; undefined when no fix came with its arrival time. */
    value(): number | undefined {
        this.#prune();
        const n = this.#events.length;
        if (n === 0) return undefined;
        const sorted = Float64Array.from(this.#events).sort();
        return sorted[Math.min(n - 1, Math.max(0, Math.ceil(this.#quantile * n) - 1))]!;
    }

    #prune(): void {
        const from = this.#newest - this.#spanMs;
        const events: number[] = [];
        const arrivals: number[] = [];
        for (let i = 0; i < this.#arrivals.length; i++)
            if (this.#arrivals[i]! >= from) {
                events.push(this.#events[i]!);
                arrivals.push(this.#arrivals[i]!);
            }
        this.#events = events;
        this.#arrivals = arrivals;
    }
}
