/**
 * What `npm start` does in the background so equipment health shows within a minute or two: the degradation
 * simulator's backfill (weeks of sensor history and the maintenance log) goes through the ingest like any other
 * source, then the `sensor_hourly` gold days it touched are (re)built and the maintenance model scores today,
 * then the days before it. The HTTP endpoints answer from the start; this only fills the lake behind them.
 * Each step is handed in (the stack binds them to the runtime), so this runs the same against fakes in tests.
 */
import { mapLimit } from '../shared/adapters/cosmosSupport.js';
import type { GoldJobDeps } from '../shared/app/gold/runGoldJob.js';
import { buildSensorHourlyWindow } from '../shared/app/gold/sensorHourlyJob.js';
import { dayOf } from '../shared/app/gold/window.js';
import { runMaintenanceTimer } from '../shared/app/maintenance/scoreMaintenance.js';
import type { Logger } from '../shared/app/ports.js';
import { stderrLogger } from './goldBackfill.js';
import type { BackfillProgress, BackfillSummary } from './simulator/DegradationSource.js';
import type { Stack } from './stack.js';

export interface MaintenanceStartupSteps {
    /** The degradation simulator's backfill (resolves when it has been published). */
    backfilled: Promise<BackfillSummary>;
    /** Resolves when every event published so far to the sensor and maintenance hubs has been processed. */
    ingested(): Promise<void>;
    /** Builds one UTC day of gold `sensor_hourly` (even when it was built before: the backfill changed it). */
    buildSensorHourly(day: string): Promise<{ rows: number }>;
    /** Scores the due days (`catchUpDays` back from today) under the run ledger; one summary per scored day. */
    score(catchUpDays: number): Promise<ScoredDay[]>;
    /** Today (YYYY-MM-DD, UTC). */
    today(): string;
    /** One line of progress (no newline). */
    print(line: string): void;
    /** Where users look (for the closing line), e.g. `http://127.0.0.1:7071/api`. */
    baseUrl: string;
    /** Days of sensor_hourly built at once (default 4). */
    buildConcurrency?: number;
    /** Days back scored after today (default 3, the timer's catch-up). */
    catchUpDays?: number;
}

export interface ScoredDay {
    day: string;
    outcome: string;
    equipment: number;
    atRisk: number;
    alertsRaised: number;
}

export interface MaintenanceStartupSummary {
    backfill: BackfillSummary;
    sensorHourlyDays: number;
    sensorHourlyRows: number;
    scored: ScoredDay[];
    seconds: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** A progress printer for the backfill: at most one line per `everyMs`, and the last one. */
export function backfillProgressPrinter(
    print: (line: string) => void,
    everyMs = 5_000,
    now: () => number = Date.now,
): (p: BackfillProgress) => void {
    let last = 0;
    return (p) => {
        const t = now();
        if (p.hoursDone < p.hours && t - last < everyMs) return;
        last = t;
        const pct = p.hours === 0 ? 100 : Math.floor((100 * p.hoursDone) / p.hours);
        print(
            `maintenance history: ${pct} % sent (${(p.hoursDone / 24).toFixed(1)} of ${(p.hours / 24).toFixed(1)} days, ${fmt(p.readings)} sensor readings, ${fmt(p.logEvents)} maintenance log events)`,
        );
    };
}

/** Backfill -> ingest -> sensor_hourly -> scoring, with a line per step. Rejects when a step fails. */
export async function runMaintenanceStartup(
    steps: MaintenanceStartupSteps,
): Promise<MaintenanceStartupSummary> {
    const started = performance.now();
    const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
    const backfill = await steps.backfilled;
    steps.print(
        `maintenance history: ${fmt(backfill.readings)} sensor readings and ${fmt(backfill.logEvents)} maintenance log events sent ` +
            `(${backfill.continued ? 'continuing the saved simulation' : 'a new simulation'}); waiting for the ingest...`,
    );
    await steps.ingested();
    const today = steps.today();
    const days = backfill.days.includes(today) ? backfill.days : [...backfill.days, today];
    steps.print(
        `maintenance history: ingested at ${seconds()} s; building sensor_hourly for ${days.length} day(s)...`,
    );
    // a few days at a time: a day's build mostly waits for its silver downloads
    const built = await mapLimit(days, steps.buildConcurrency ?? 4, (day) => steps.buildSensorHourly(day));
    const rows = built.reduce((n, b) => n + b.rows, 0);
    steps.print(`maintenance history: sensor_hourly built (${fmt(rows)} rows) at ${seconds()} s; scoring...`);
    // today first (what the fleet page shows), then the days before it
    const scored = [...(await steps.score(0))];
    const todays = scored.find((s) => s.day === today);
    steps.print(
        todays === undefined
            ? `maintenance: today was not scored (no equipment with a baseline yet, or scored by another run); the scoreMaintenance timer retries hourly`
            : `maintenance: scored ${fmt(todays.equipment)} equipment for ${today}, ${fmt(todays.atRisk)} at risk (${fmt(todays.alertsRaised)} warning(s) raised) at ${seconds()} s: ` +
                  `curl '${steps.baseUrl}/fleet/maintenance?atRiskOnly=true'  (dashboard: vessel page, Equipment)`,
    );
    scored.push(...(await steps.score(steps.catchUpDays ?? 3)).filter((s) => s.day !== today));
    return {
        backfill,
        sensorHourlyDays: days.length,
        sensorHourlyRows: rows,
        scored,
        seconds: (performance.now() - started) / 1000,
    };
}

/**
 * The start-up's logger over `base`, for a start-up the stop may cut off. It runs in the background, and the stop does
 * not wait for it: once `stopping()` is true the services stop under it, so what it then logs (its scoring's lineage
 * record not written, a write refused by a stopped service) is the cut-off itself, not news. Those lines are held,
 * not printed; `cutOffLine` says once what was left behind.
 */
export function stopAwareLogger(
    base: Logger,
    stopping: () => boolean,
): { logger: Logger; held(): readonly string[] } {
    const held: string[] = [];
    const at =
        (level: 'warn' | 'error') =>
        (message: string, props?: Record<string, unknown>): void => {
            if (stopping()) held.push(message);
            else base[level](message, props);
        };
    return {
        logger: {
            debug: (m, p) => base.debug(m, p),
            info: (m, p) => base.info(m, p),
            warn: at('warn'),
            error: at('error'),
        },
        held: () => held,
    };
}

/**
 * The stop's one line about the start-up: `cutOff` when it was still running as the stop stopped the services (or
 * failed against them); undefined when it had ended before and held nothing. It says what was not printed, and who
 * does the rest (the timers, once the cut-off run's ledger lease ends).
 */
export function cutOffLine(cutOff: boolean, held: readonly string[]): string | undefined {
    if (!cutOff && held.length === 0) return undefined;
    const distinct = [...new Set(held)];
    const what = [...distinct.slice(0, 2).map((m) => `'${m}'`), ...(distinct.length > 2 ? ['...'] : [])].join(
        ', ',
    );
    return (
        `maintenance start-up ${cutOff ? 'cut off by the stop' : 'ended during the stop'}` +
        (held.length === 0 ? '' : `: ${held.length} warning(s) from it not printed (${what})`) +
        '; the buildSensorHourly and scoreMaintenance timers build and score what it left, after the next start'
    );
}

/** The steps bound to a running local stack: its hubs, the gold job and the scoring over its runtime. */
export function stackStartupSteps(
    stack: Stack,
    backfilled: Promise<BackfillSummary>,
    print: (line: string) => void,
    logger: Logger = stderrLogger,
): MaintenanceStartupSteps {
    const rt = stack.runtime;
    const owner = `npm-start-${process.pid}`;
    let goldDeps: Promise<GoldJobDeps> | undefined;
    return {
        backfilled,
        ingested: () => stack.host.drained([rt.config.sensors.hubName, rt.config.maintenance.hubName]),
        async buildSensorHourly(day) {
            goldDeps ??= rt.goldJobDeps(logger);
            const outcome = await buildSensorHourlyWindow(await goldDeps, rt.goldSettings, day, owner, {
                force: true,
            });
            return {
                rows: outcome.outcome === 'built' ? outcome.summaries.reduce((n, s) => n + s.rows, 0) : 0,
            };
        },
        score: (catchUpDays) =>
            runMaintenanceTimer(
                rt.maintenanceScoreDeps(logger),
                { ...rt.maintenanceScoreSettings, catchUpDays },
                owner,
            ),
        today: () => dayOf(rt.clock.now()),
        print,
        baseUrl: stack.baseUrl,
    };
}
