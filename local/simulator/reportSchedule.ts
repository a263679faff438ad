/**
 * How often each simulated vessel reports, in simulated time, so that the fleet sends about a given number of
 * messages per simulated second (the simulator's events per wall second divided by the time scale).
 *
 * - A budget at or above the fleet's natural rate (every vessel at its ITU-R M.1371 interval, static data every 6
 *   minutes): every interval is shortened by one factor (a live stack: reports come faster than real, in step).
 * - A budget below it (simulated time runs fast, `--time-scale`): the feed is downsampled as real archives of AIS
 *   are (for example MarineCadastre's one position per vessel per minute): each vessel reports at its ITU interval
 *   or every `T` simulated seconds, whichever is longer, and its static data at most every `STATIC_PER_POSITION`
 *   such intervals; `T` is chosen so the whole fleet fits the budget. Scaling every interval by one factor instead
 *   (as the simulator first did) thinned a moored vessel (ITU: every 3 minutes) to one fix per ~2 simulated hours at
 *   360x, while vessels under way reported every ~5 minutes: most port stays of 20 min to 3 h had one fix or none,
 *   and the gold port-call rule (stopped in port for 30 min) could not see them.
 */
import { reportIntervalSeconds, STATIC_INTERVAL_SECONDS, type Vessel } from './fleet.js';

/** Under downsampling, a vessel's static data comes at most once per this many position intervals. */
export const STATIC_PER_POSITION = 10;

type Reporter = Pick<Vessel, 'cls' | 'speed' | 'mooredUntil'>;

export interface ReportSchedule {
    /** Simulated ms between two position reports of `v`. */
    positionMs(v: Reporter): number;
    /** Simulated ms between two static reports of `v`. */
    staticMs(v: Reporter): number;
}

/** Messages per static report: type 5 for Class A, type 24 parts A and B for Class B. */
const staticMessages = (v: Reporter): number => (v.cls === 'B' ? 2 : 1);

/**
 * The schedule giving about `budget` messages per simulated second for `vessels` (each vessel's ITU interval
 * depends on its state, so the schedule is made again whenever the fleet moves).
 */
export function reportSchedule(vessels: readonly Reporter[], budget: number): ReportSchedule {
    if (!(budget > 0)) throw new RangeError(`report budget must be > 0 messages per second, got ${budget}`);
    let natural = 0;
    for (const v of vessels)
        natural += 1 / reportIntervalSeconds(v) + staticMessages(v) / STATIC_INTERVAL_SECONDS;
    if (vessels.length === 0 || budget >= natural) {
        const factor = vessels.length === 0 ? 1 : budget / natural;
        return {
            positionMs: (v) => (reportIntervalSeconds(v) * 1000) / factor,
            staticMs: () => (STATIC_INTERVAL_SECONDS * 1000) / factor,
        };
    }
    const t = downsampledInterval(vessels, budget);
    return {
        positionMs: (v) => Math.max(reportIntervalSeconds(v), t) * 1000,
        staticMs: () => Math.max(STATIC_INTERVAL_SECONDS, STATIC_PER_POSITION * t) * 1000,
    };
}

/** Messages per simulated second when every vessel reports at most every `t` seconds (decreasing in `t`). */
function rateAt(vessels: readonly Reporter[], t: number): number {
    const staticEvery = Math.max(STATIC_INTERVAL_SECONDS, STATIC_PER_POSITION * t);
    let rate = 0;
    for (const v of vessels)
        rate += 1 / Math.max(reportIntervalSeconds(v), t) + staticMessages(v) / staticEvery;
    return rate;
}

/** The interval `t` (s) at which `rateAt` meets `budget` (below the natural rate), by bisection. */
function downsampledInterval(vessels: readonly Reporter[], budget: number): number {
    let lo = 0; // rate above the budget
    let hi = 60;
    while (rateAt(vessels, hi) > budget) hi *= 2;
    for (let k = 0; k < 40; k++) {
        const mid = (lo + hi) / 2;
        if (rateAt(vessels, mid) > budget) lo = mid;
        else hi = mid;
    }
    return hi;
}
