/**
 * Simulated time for `maritime start --time-scale N`: the simulators' clock starts `historyMs` before the wall
 * clock and runs `scale` times faster than it until it has caught up with it, then runs at the wall clock's pace.
 *
 *     sim(wall) = min(wall, simStart + scale × (wall − wallStart))
 *
 * So a newcomer sees hours of traffic (port calls, voyages, a day's emissions) within minutes, and no event time
 * ever lies in the future: the pipeline's future-skew check (`EVENT_TIME_FUTURE_TOLERANCE_SECONDS`) is never
 * relaxed, the vessel state's `lastSeen`, the dashboards' "last seen" and every gold day are true statements about
 * event times, and once caught up the stack is an ordinary live stack. While it catches up the data is, honestly,
 * late: `lastSeen` lags the wall clock by the remaining lag, `dq_daily` counts records of a day that reached silver
 * after midnight as late arrivals, and the collision watch (vessels heard within its stale limit of now) sees the
 * fleet once the lag is below that limit.
 *
 * With `scale` 1 and no history the mapping is the identity (the wall clock).
 */
import type { SimClock } from './SimulatorSource.js';

export interface SimTimeOptions {
    /** Simulated seconds per wall-clock second until caught up (≥ 1). */
    scale: number;
    /** Wall time (epoch ms) the mapping starts at. */
    wallStart: number;
    /** Simulated time at `wallStart` (≤ `wallStart`; default `wallStart`: nothing to catch up). */
    simStart?: number;
}

export class SimTime {
    readonly scale: number;
    readonly wallStart: number;
    readonly simStart: number;
    /** Wall time at which simulated time reaches the wall clock (`wallStart` when there is nothing to catch up). */
    readonly caughtUpAt: number;

    constructor(options: SimTimeOptions) {
        const { scale, wallStart } = options;
        const simStart = options.simStart ?? wallStart;
        if (!(Number.isFinite(scale) && scale >= 1))
            throw new RangeError(`time scale must be a number >= 1, got ${scale}`);
        if (!Number.isFinite(wallStart)) throw new RangeError(`wallStart must be a time, got ${wallStart}`);
        if (!(Number.isFinite(simStart) && simStart <= wallStart)) {
            throw new RangeError(
                `simulated time may not start after the wall clock (simStart ${simStart} > wallStart ${wallStart})`,
            );
        }
        if (scale === 1 && simStart < wallStart) {
            throw new RangeError(
                'a simulated history needs a time scale above 1 to catch up with the wall clock',
            );
        }
        this.scale = scale;
        this.wallStart = wallStart;
        this.simStart = simStart;
        this.caughtUpAt =
            simStart === wallStart ? wallStart : wallStart + (wallStart - simStart) / (scale - 1);
    }

    /** The identity mapping (simulated time = wall clock). */
    static wall(wallStart: number): SimTime {
        return new SimTime({ scale: 1, wallStart });
    }

    /** Simulated time at wall time `wall`: never after `wall`, never decreasing. */
    at(wall: number): number {
        if (wall <= this.wallStart) return this.simStart - (this.wallStart - wall);
        if (wall >= this.caughtUpAt) return wall;
        return this.simStart + this.scale * (wall - this.wallStart);
    }

    /** Simulated seconds per wall second at `wall`: `scale` while catching up, then 1. */
    rateAt(wall: number): number {
        return wall >= this.wallStart && wall < this.caughtUpAt ? this.scale : 1;
    }

    /** How far simulated time is behind the wall clock at `wall`, ms (0 once caught up). */
    lagMs(wall: number): number {
        return wall - this.at(wall);
    }

    /** True while simulated time is behind the wall clock. */
    catchingUp(wall: number): boolean {
        return wall < this.caughtUpAt;
    }

    /** A clock whose `now()` is simulated time and whose timers run on `wall`'s timers (for the other simulators). */
    clock(wall: SimClock): SimClock {
        return {
            now: () => this.at(wall.now()),
            setInterval: (fn, ms) => wall.setInterval(fn, ms),
            clearInterval: (handle) => wall.clearInterval(handle),
        };
    }
}
