/**
 * `maritime start` (what `npm start` runs) and `maritime replay`: the local stack fed by the traffic simulator,
 * by files, or by a live NMEA feed, with a progress line while it runs.
 */
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

import speedZonesFile from '../config/speed-zones.json' with { type: 'json' };
import { reconciles } from '../shared/app/batchRecords.js';
import { parseSpeedZones } from '../shared/domain/compliance/index.js';
import { EQUIPMENT, LOAD_SENSOR } from '../shared/domain/maintenance/equipment.js';
import { stderrLogger } from './goldBackfill.js';
import { type HeapUse } from './httpWorker.js';
import {
    backfillProgressPrinter,
    cutOffLine,
    runMaintenanceStartup,
    stackStartupSteps,
    stopAwareLogger,
} from './maintenanceStartup.js';
import type { LocalServiceName } from './services.js';
import { DegradationSource } from './simulator/DegradationSource.js';
import {
    instrumentedVessels,
    type SensorSimulatorOptions,
    SensorSimulatorSource,
} from './simulator/SensorSimulatorSource.js';
import type { SimTime } from './simulator/simTime.js';
import { SimulatorSource, systemClock } from './simulator/SimulatorSource.js';
import { ComplianceStaging } from './simulator/staging.js';
import { createSource, ReplaySource, type SourceSpec } from './sources/index.js';
import { fileProblems, type ReplayStats } from './sources/ReplaySource.js';
import type { EventSource, SourceEvent } from './sources/types.js';
import { type Stack, type StackMemory, type StackOptions, startStack, type Totals } from './stack.js';
import { onStopSignal } from './stopSignals.js';

export interface RunOptions extends StackOptions {
    source: SourceSpec;
    /**
     * Simulated sensor readings for the simulated fleet (same vessels and positions), to Event Hub
     * `sensor-readings`; only with the simulator source. `false` turns them off.
     */
    sensors?: SensorSimulatorOptions | false;
    /**
     * The degradation simulator, for the maintenance model (with simulated sensors only): the equipment of the first
     * `vessels` instrumented vessels (default 10) wears, fouls and clogs; `backfillDays` of their history (default
     * 21) are sent in the background at start, then sensor_hourly is built and the model scores. `false`: off.
     */
    degradation?: { vessels?: number; backfillDays?: number } | false;
    /** Staged compliance scenarios with the simulator (dark gap, speeder, high sulphur; default on). */
    staging?: boolean;
    /** Stop when a finite source is done (replay); default: keep serving HTTP until Ctrl-C. */
    exitWhenDone?: boolean;
    /** Progress line interval, ms (0 = off). */
    progressMs?: number;
    /**
     * Fault injection for the fault harness (`--fault-control`): lines `stop azurite`, `start azurite`, `stop cosmos`,
     * `start cosmos` read from this stream stop and start the embedded services (LocalServices.outage); each is
     * acknowledged on `out` as `fault: <service> stopped|started` (or `fault: ... failed: <why>`).
     */
    faultControl?: NodeJS.ReadableStream;
    /** A `memory:` line (RSS, each thread's heap, the Cosmos-protocol server's documents) every so many ms (0 = off). */
    memoryEveryMs?: number;
    out?: NodeJS.WritableStream;
}

/**
 * Events the local hub may hold queued (not yet in a batch being processed) before the simulators wait: 8 s at 500
 * events/s, so a Ctrl-C still drains them (the stop delivers them at once, in batches of up to 1,024). The batches
 * being processed are not counted: they are bounded by the partitions and the batch size, and counting them held the
 * simulators whenever large batches were in flight. Events gathering for their batch window count: the 4 partitions'
 * 5 s windows (`LOCAL_BATCH_WINDOW_MS`) hold up to 2,500 at 500 events/s, so the limit of 2,000 it had with 2 s
 * windows held the simulators at 405 of 500 events/s with compaction and the gold builds keeping up (8-minute soak).
 */
export const LIVE_BACKLOG_LIMIT = 4_000;

function fmt(n: number): string {
    return n.toLocaleString('en-US');
}

export function progressLine(t: Totals, eventsPerSecond: number, vessels: number, backlog: number): string {
    const sensors =
        t.sensors.received > 0
            ? ` | sensor readings ${fmt(t.sensors.accepted)} ok, ${fmt(t.sensors.quarantined)} quarantined | alerts ${fmt(t.alerts)}`
            : '';
    const skippedAll = t.skipped + t.sensors.skipped + t.maintenance.skipped;
    const skipped = skippedAll > 0 ? ` | SKIPPED (dead-lettered) ${fmt(skippedAll)}` : '';
    return (
        `${fmt(Math.round(eventsPerSecond))} AIS events/s | received ${fmt(t.received)} | accepted ${fmt(t.accepted)} | ` +
        `quarantined ${fmt(t.quarantined)} | duplicates ${fmt(t.duplicates)} | vessels ${fmt(vessels)} | backlog ${fmt(backlog)}${skipped}${sensors}`
    );
}

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(0);

/** A worker thread's memory outside its V8 heap, when it reported it. */
const outside = (h: HeapUse): string =>
    h.external === undefined ? '' : `, external ${mb(h.external)}, array buffers ${mb(h.arrayBuffers ?? 0)}`;

/**
 * `memory: rss 412 MB | main heap 120/150 MB, external 30, array buffers 12 | cosmos rss 160 MB, heap 90/110 MB (12,345
 * docs) | ... | running buildGold`: `rss` is the stack's process; the Cosmos-protocol server's process has its own;
 * `running` names the timer and queue functions at work when `rss` was read (absent: none).
 */
export function memoryLine(m: StackMemory): string {
    const docs = Object.values(m.documents).reduce((a, b) => a + b, 0);
    const perContainer = Object.entries(m.documents)
        .filter(([, n]) => n > 0)
        .map(([c, n]) => `${c} ${fmt(n)}`)
        .join(', ');
    return (
        `memory: rss ${mb(m.rss)} MB | main heap ${mb(m.main.used)}/${mb(m.main.total)} MB, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)} | ` +
        `cosmos ${m.cosmosRss === undefined ? '' : `rss ${mb(m.cosmosRss)} MB, `}heap ${mb(m.cosmos.used)}/${mb(m.cosmos.total)} MB${outside(m.cosmos)}, ${fmt(docs)} docs (${perContainer})` +
        (m.coldBytes === undefined || m.coldBytes === 0 ? '' : `, points on disk ${mb(m.coldBytes)} MB`) +
        (m.http ? ` | http heap ${mb(m.http.used)}/${mb(m.http.total)} MB${outside(m.http)}` : '') +
        (m.snapshotBytes === undefined ? '' : ` | snapshot ${mb(m.snapshotBytes)} MB`) +
        (m.jobs === undefined || m.jobs.length === 0 ? '' : ` | running ${m.jobs.join(', ')}`)
    );
}

function reasons(byReason: Record<string, number>): string {
    return Object.entries(byReason)
        .sort((a, b) => b[1] - a[1])
        .map(([r, n]) => `${r} ${fmt(n)}`)
        .join(', ');
}

/** True when every item is accounted for, nothing was skipped (dead-lettered) and nothing lost. */
export function complete(t: Totals): boolean {
    return (
        reconciles(t) &&
        reconciles(t.sensors) &&
        reconciles(t.maintenance) &&
        t.skipped === 0 &&
        t.sensors.skipped === 0 &&
        t.maintenance.skipped === 0 &&
        t.lostEvents === 0
    );
}

/**
 * Why the Event Hub events and the items `received` counts differ: an event body holds one item per message, CSV
 * row or rejected line. A message whose damaged fragment is rejected gives two items (the damaged fragment, and the
 * rest as FRAGMENT_INCOMPLETE); a JSON array gives one per element; an event of skipped lines only ($GPRMC) none.
 */
export function itemsNote(t: Pick<Totals, 'events' | 'received'>): string {
    const d = t.received - t.events;
    if (d > 0)
        return ` -> items ${fmt(t.received)} (${fmt(d)} more than events: an event holds one item per message, row or rejected fragment, e.g. a damaged fragment and the rest of its message as FRAGMENT_INCOMPLETE)`;
    if (d < 0)
        return ` -> items ${fmt(t.received)} (${fmt(-d)} fewer than events: events that held only skipped lines, e.g. $GPRMC)`;
    return '';
}

export function reconciliation(t: Totals): string {
    const ok = reconciles(t) && t.lostEvents === 0;
    const lines = [
        `AIS: batches ${fmt(t.batches)}, events ${fmt(t.events)}${itemsNote(t)}`,
        `received ${fmt(t.received)} = accepted ${fmt(t.accepted)} + quarantined ${fmt(t.quarantined)} + duplicates ${fmt(t.duplicates)} + skipped ${fmt(t.skipped)}  ${ok ? '[reconciled]' : '[MISMATCH]'}`,
    ];
    if (Object.keys(t.quarantinedByReason).length > 0)
        lines.push(`quarantined by reason: ${reasons(t.quarantinedByReason)}`);
    const s = t.sensors;
    if (s.received > 0) {
        const sensorsOk = reconciles(s);
        lines.push(
            `sensor readings: received ${fmt(s.received)} = accepted ${fmt(s.accepted)} + quarantined ${fmt(s.quarantined)} + duplicates ${fmt(s.duplicates)} + skipped ${fmt(s.skipped)}  ${sensorsOk ? '[reconciled]' : '[MISMATCH]'}`,
        );
        if (Object.keys(s.quarantinedByReason).length > 0)
            lines.push(`sensor readings quarantined by reason: ${reasons(s.quarantinedByReason)}`);
    }
    const m = t.maintenance;
    if (m.received > 0) {
        lines.push(
            `maintenance log: received ${fmt(m.received)} = accepted ${fmt(m.accepted)} + quarantined ${fmt(m.quarantined)} + duplicates ${fmt(m.duplicates)} + skipped ${fmt(m.skipped)}  ${reconciles(m) ? '[reconciled]' : '[MISMATCH]'}`,
        );
        if (Object.keys(m.quarantinedByReason).length > 0)
            lines.push(`maintenance log quarantined by reason: ${reasons(m.quarantinedByReason)}`);
    }
    if (t.skipped > 0 || s.skipped > 0 || m.skipped > 0) {
        lines.push(
            `SKIPPED: ${fmt(t.skipped)} AIS item(s), ${fmt(s.skipped)} sensor reading(s) and ${fmt(m.skipped)} maintenance log line(s) in batches whose retries ran out were dead-lettered to ${t.deadLetterDir}; ` +
                `fix the cause, then re-drive them: npx maritime rebuild --deadletter ${basename(t.deadLetterDir) === 'deadletter' ? `--data-dir ${dirname(t.deadLetterDir)}` : '--local'}`,
        );
    }
    if (t.lostEvents > 0)
        lines.push(
            `LOST: ${fmt(t.lostEvents)} event(s) failed after every retry and could not be dead-lettered (see the errors above)`,
        );
    if (t.alerts > 0)
        lines.push(
            `alerts raised by sensor batches: ${fmt(t.alerts)} (GET /api/alerts lists every alert, collision risks included)`,
        );
    return lines.join('\n');
}

export function stagingBanner(staging: ComplianceStaging, api: string): string {
    return [
        '  staged:     compliance scenarios, found by checkCompliance within 5 minutes (curl ' +
            `'${api}/compliance/findings?status=open')`,
        ...staging.vessels.map((v) => `              ${v.mmsi} ${v.name}: ${v.expect}`),
        ...staging.notes.map((n) => `              (${n})`),
        '',
    ].join('\n');
}

/** The compaction settings of a time-scaled `maritime start` (see `timeScaleSettings`). */
export const LOCAL_COMPACTION_SETTINGS: Readonly<Record<string, string>> = {
    // Second 45: the open hours' increments are written in the seconds before the builds at second 0 list silver, so
    // a build reads the batch files of the last ~15 s (about 10 a second arrive at 500 AIS events/s), not of 30.
    COMPACTION_SCHEDULE: '45 * * * * *',
    COMPACTION_GRACE_MINUTES: '2',
    COMPACTION_OPEN_MIN_FILES: '10',
    COMPACTION_DELETE_DELAY_MINUTES: '10',
    // A fire works on every open hour first, then on at most this many closed table-hours (the simulated history's
    // and the sensor backfill's, 40-60 due in the first minutes). Not more: a table-hour took 5-30 s at load 6-16
    // whatever its files, so a fire of 24 took 5 minutes, and the open hours waited that long for their merge.
    COMPACTION_MAX_HOURS_PER_RUN: '8',
};

/**
 * The timer settings under `--time-scale` (a setting in the environment wins): `buildGold`, `buildSensorHourly` and
 * `checkCompliance` every minute, so the hours of simulated traffic show in gold within minutes; and the gold timers
 * look back only over the days the simulated history spans (`GOLD_LATE_HORIZON_DAYS`), not a week of days a fresh
 * stack has no data for (each empty day costs a build, oldest first, before today's); and silver compacted every
 * minute, the open hour included (`LOCAL_COMPACTION_SETTINGS`).
 */
export function timeScaleSettings(
    historyMs: number,
    now: number,
    environment: Readonly<Record<string, string>> = {},
): Record<string, string> {
    const everyMinute = '0 * * * * *';
    const horizonDays = Math.max(
        1,
        Math.round((Date.parse(dayOf(now)) - Date.parse(dayOf(now - historyMs))) / DAY_MS),
    );
    const wanted: Record<string, string> = {
        GOLD_SCHEDULE: everyMinute,
        SENSOR_HOURLY_SCHEDULE: everyMinute,
        COMPLIANCE_SCHEDULE: everyMinute,
        GOLD_LATE_HORIZON_DAYS: String(horizonDays),
        // Compaction looks back only to the start of the first of those days, not the default 48 hours: a fire takes
        // the closed hours oldest first, so with 48 hours it spent its first fires (about 20 of them, 8 table-hours
        // each, minutes apart) on the sensor backfill's hours of a day no build reads, and the history's hours, which
        // the every-minute build of yesterday reads (~1,170 files), were not compacted within a 30-minute soak.
        COMPACTION_LOOKBACK_HOURS: String(
            Math.max(1, Math.ceil((now - Date.parse(dayOf(now - historyMs))) / HOUR_MS)),
        ),
        // Those builds read today's silver every minute: compact it as promptly, so a build reads a few files per
        // table-hour instead of every ingest batch's (thousands by the end of an hour at 500 events/s). Each fire at
        // second 45 (before the builds at second 0) merges the batch files of the open hour into one more file, and
        // merges an hour whole 2 minutes after its end; replaced files go after 10 minutes (a build lists and reads
        // within a minute or two). README "Silver compaction": the measured figures.
        ...LOCAL_COMPACTION_SETTINGS,
    };
    return Object.fromEntries(Object.entries(wanted).filter(([name]) => environment[name] === undefined));
}

function utc(epochMs: number): string {
    return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ');
}

/** What `--time-scale` does to this run, said in the banner. */
export function timeScaleBanner(time: SimTime, api: string, now = Date.now()): string {
    const lagH = time.lagMs(now) / 3_600_000;
    const inS = Math.max(0, Math.round((time.caughtUpAt - now) / 1000));
    return [
        `  time:       simulated time started at ${utc(time.simStart)} UTC, ${lagH.toFixed(1)} h behind the wall clock, and runs ${time.scale}x faster`,
        `              until it catches up at about ${utc(time.caughtUpAt)} UTC (in ${inS} s); then it runs in real time. Every event`,
        '              time is simulated time and never in the future; until then the data is late on purpose: "last seen"',
        '              lags the wall clock, dq counts records of a finished day as late arrivals, the collision watch',
        `              (vessels heard in the last minutes) starts once caught up. buildGold, buildSensorHourly and`,
        `              checkCompliance run every minute. First gold rows are announced below (curl '${api}/vessels?limit=5').`,
        '',
    ].join('\n');
}

const FIRST_GOLD: readonly { table: string; what: string; path: string }[] = [
    { table: 'emissions_daily', what: 'emissions row', path: 'emissions' },
    { table: 'port_calls', what: 'port call', path: 'port-calls' },
    { table: 'voyages', what: 'voyage', path: 'voyages' },
];

/**
 * Watches for the first port call, voyage and emissions row of the run (every `everyMs`, from yesterday on) and, for
 * each, checks that its vessel's endpoint serves it, then prints the URL and the time since `started`: what a
 * newcomer should look at first, and the figure the README quotes. Resolves when all three were seen or `stopped()`.
 */
export async function announceFirstGold(
    stack: Pick<Stack, 'runtime' | 'baseUrl'>,
    started: number,
    print: (line: string) => void,
    stopped: () => boolean,
    everyMs = 10_000,
): Promise<void> {
    const pending = [...FIRST_GOLD];
    while (pending.length > 0 && !stopped()) {
        await new Promise((r) => setTimeout(r, everyMs));
        if (stopped()) return;
        const now = Date.now();
        for (const first of [...pending]) {
            try {
                const found = await stack.runtime.gold.query({
                    table: first.table,
                    fromDay: dayOf(now - DAY_MS),
                    toDay: dayOf(now),
                    limit: 1,
                });
                const mmsi = found.items[0]?.mmsi;
                if (typeof mmsi !== 'number') continue;
                const url = `${stack.baseUrl}/vessels/${mmsi}/${first.path}?from=${dayOf(now - DAY_MS)}&to=${dayOf(now)}`;
                const response = await fetch(url);
                const body = response.ok ? ((await response.json()) as { items?: unknown[] }) : undefined;
                if ((body?.items?.length ?? 0) === 0) continue;
                pending.splice(pending.indexOf(first), 1);
                print(
                    `gold: first ${first.what} served ${sec(Date.now() - started)} after start: curl '${url}'`,
                );
            } catch {
                // informative only: tried again at the next round
            }
        }
    }
}

/** The gold endpoints with real parameters: today's date and a vessel of the fleet. */
export function goldUrls(api: string, day: string, mmsi: number | undefined, schedule: string): string[] {
    const v = mmsi === undefined ? '{mmsi}' : String(mmsi);
    return [
        `  gold:       curl '${api}/fleet/summary?date=${day}'   data quality: curl '${api}/dq?date=${day}'`,
        `              curl ${api}/vessels/${v}/port-calls   curl ${api}/vessels/${v}/voyages`,
        `              curl '${api}/vessels/${v}/emissions?from=${day}&to=${day}'   curl '${api}/vessels/${v}/daily?from=${day}&to=${day}'`,
        `              curl '${api}/ports/{locode}/calls?from=${day}&to=${day}'   (buildGold '${schedule}': today so far, yesterday, late days)`,
    ];
}

function banner(
    stack: Stack,
    dataDir: string | undefined,
    sourceName: string,
    withSensors: boolean,
    degradation: DegradationSource | undefined,
    mmsi: number | undefined,
): string {
    const api = stack.baseUrl;
    return [
        '',
        'Maritime pipeline running locally (embedded stack: Azurite + Cosmos-protocol server + local trigger host)',
        `  dashboard:  ${api}/dashboard   (live map, alerts, KPIs, vessel pages)`,
        `  API docs:   ${api}/docs   OpenAPI: ${api}/openapi.json   (keys are not checked locally)`,
        `  source:     ${sourceName} -> Event Hub 'ais-raw' (${stack.host.partitionCount} partitions, partition key = MMSI) -> ingestAis`,
        ...(withSensors
            ? [
                  `              simulated sensor readings (faults injected) -> Event Hub 'sensor-readings' -> ingestSensorReadings; watchCollisions every minute`,
              ]
            : []),
        ...(degradation
            ? [
                  `  maintenance: ${degradation.name} -> 'sensor-readings' + 'maintenance-events';`,
                  `              equipment health once its history is in (progress below): curl '${api}/fleet/maintenance?atRiskOnly=true'   curl ${api}/vessels/{mmsi}/equipment`,
              ]
            : []),
        `  alerts:     curl '${api}/alerts?limit=10'   sensors: curl ${api}/vessels/{mmsi}/sensors`,
        `  vessels:    curl '${api}/vessels?limit=5'`,
        `  one vessel: curl ${api}/vessels/{mmsi}    track: curl '${api}/vessels/{mmsi}/track?from=...&to=...'`,
        `  health:     curl ${api}/health`,
        ...goldUrls(api, new Date().toISOString().slice(0, 10), mmsi, stack.runtime.config.gold.schedule),
        `  lake:       Azurite blob ${stack.services.blobEndpoint} (containers bronze, silver, quarantine, gold, lineage)`,
        `              connection string in LAKE_CONNECTION_STRING; e.g. Azure Storage Explorer -> "Local storage emulator"`,
        `  data:       ${dataDir ? `${dataDir}/ (kept between runs; --reset to start empty)` : 'in memory'}`,
        '  Ctrl-C stops.',
        '',
    ].join('\n');
}

/**
 * Why nothing of a replay could be used although events were received: every one of them was quarantined (say an
 * archive older than EVENT_TIME_MAX_AGE_DAYS), as `maritime decode` exits 1 when every line is rejected; undefined
 * when anything was accepted or was a duplicate of data already landed (a replay of the same file again).
 */
export function nothingUsable(t: Totals): string | undefined {
    const unused = (c: Totals | Totals['maintenance']): boolean =>
        c.received > 0 && c.accepted === 0 && c.duplicates === 0 && c.skipped === 0;
    const parts = [
        ...(unused(t) ? [`all ${fmt(t.received)} AIS event(s)`] : []),
        ...(unused(t.maintenance) ? [`all ${fmt(t.maintenance.received)} maintenance log event(s)`] : []),
    ];
    if (
        parts.length === 0 ||
        t.accepted + t.duplicates + t.maintenance.accepted + t.maintenance.duplicates > 0
    )
        return undefined;
    const tooOld = (t.quarantinedByReason.EVENT_TIME_TOO_OLD ?? 0) > 0;
    return (
        `NOTHING USABLE: ${parts.join(' and ')} were quarantined (reasons above), nothing reached silver or the state` +
        (tooOld ? '; for an archive, give --max-age-days N (EVENT_TIME_MAX_AGE_DAYS) to cover its dates' : '')
    );
}

/** What a replay read besides the pipeline's counts: lines skipped before sending, unusable files. */
export function replayReport(r: ReplayStats, t?: Totals): string {
    const lines: string[] = [];
    const skipped = Object.entries(r.skippedByReason);
    if (skipped.length > 0)
        lines.push(`lines skipped (not AIS data, not sent): ${reasons(r.skippedByReason)}`);
    lines.push(...fileProblems(r));
    const unusable = t ? nothingUsable(t) : undefined;
    if (unusable) lines.push(unusable);
    return lines.join('\n');
}

/** The exit code of a replay: 1 when a file could not be used, nothing at all could, or the counts are not complete. */
export function replayExitCode(t: Totals & { replay?: ReplayStats }): number {
    if (t.replay && fileProblems(t.replay).length > 0) return 1;
    if (nothingUsable(t) !== undefined) return 1;
    return complete(t) ? 0 : 1;
}

/** Publishes each event to its hub (`hub`, else the AIS hub), keeping the order within each hub. */
function publishByHub(stack: Stack, events: readonly SourceEvent[]): void {
    if (events.every((e) => e.hub === undefined)) {
        stack.publish(events);
        return;
    }
    const byHub = new Map<string | undefined, SourceEvent[]>();
    for (const e of events) {
        const list = byHub.get(e.hub) ?? [];
        list.push(e);
        byHub.set(e.hub, list);
    }
    for (const [hub, list] of byHub) stack.publish(list, hub);
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function dayOf(epochMs: number): string {
    return new Date(epochMs).toISOString().slice(0, 10);
}

function sec(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

/** Reads outage commands (`stop|start azurite|cosmos`) one line at a time and applies them in order. */
function faultControl(
    input: NodeJS.ReadableStream,
    stack: Stack,
    print: (line: string) => void,
): { close(): Promise<void> } {
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let chain: Promise<void> = Promise.resolve();
    lines.on('line', (line) => {
        const m = /^\s*(stop|start)\s+(azurite|cosmos)\s*$/.exec(line);
        if (m === null) {
            if (line.trim() !== '')
                print(`fault: unknown command '${line.trim()}' (stop|start azurite|cosmos)`);
            return;
        }
        const [, verb, service] = m as unknown as [string, 'stop' | 'start', LocalServiceName];
        chain = chain.then(async () => {
            try {
                await stack.services.outage[verb](service);
                print(`fault: ${service} ${verb === 'stop' ? 'stopped' : 'started'}`);
            } catch (error) {
                print(
                    `fault: ${verb} ${service} failed: ${error instanceof Error ? error.message : String(error)}`,
                );
            }
        });
    });
    return {
        async close() {
            lines.close();
            await chain;
        },
    };
}

export async function runLocal(options: RunOptions): Promise<Totals & { replay?: ReplayStats }> {
    const out = options.out ?? process.stderr;
    out.write('starting the local stack (Azurite, Cosmos-protocol server, trigger host)...\n');
    const started = Date.now();
    const degradationVessels =
        options.degradation === false || options.sensors === false || options.source.kind !== 'simulator'
            ? 0
            : (options.degradation?.vessels ?? 10);
    const backfillDays = options.degradation === false ? 0 : (options.degradation?.backfillDays ?? 21);
    const historyMs = options.source.kind === 'simulator' ? (options.source.options?.historyMs ?? 0) : 0;
    const scaled = historyMs > 0;
    // the backfilled history (and a simulated history catching up) raises thousands of sensor alerts: stored, not printed
    const quiet =
        (degradationVessels > 0 && backfillDays > 0) || scaled ? { quietAlertsOlderThanMs: 3_600_000 } : {};
    const stack = await startStack({
        releaseMemoryAfterJobs: true,
        ...options,
        ...quiet,
        ...(scaled
            ? {
                  settings: {
                      ...timeScaleSettings(historyMs, Date.now(), options.environment),
                      ...options.settings,
                  },
              }
            : {}),
    });
    const restored =
        stack.restoredDocuments > 0
            ? `; restored ${stack.restoredDocuments} vessel-state documents from the last snapshot`
            : '';
    const replayed =
        stack.replayedBatches > 0
            ? `, re-drove ${stack.replayedBatches} bronze batch(es) written after it`
            : '';
    const t = stack.startup;
    const phases = [
        `services ${sec(t.services)}`,
        ...(stack.restoredDocuments > 0 ? [`state restored at ${sec(t.restore)}`] : []),
        ...(stack.replayedBatches > 0 ? [`bronze re-driven at ${sec(t.replay)}`] : []),
    ];
    out.write(
        `local stack up in ${sec(Date.now() - started)} (${phases.join(', ')})${restored}${replayed}\n`,
    );
    const dataDir = options.inMemory ? undefined : (options.dataDir ?? '.local');
    // A persistent simulator keeps its fleet's positions beside the data, so a restart continues the tracks.
    // The simulators wait while the local hub holds more than LIVE_BACKLOG_LIMIT events queued (a slow or starved consumer
    // then slows them down instead of filling memory); a live feed (--listen) cannot wait, its backlog is unbounded.
    const hold = (): boolean => stack.host.queued > LIVE_BACKLOG_LIMIT;
    const spec: SourceSpec =
        options.source.kind === 'simulator'
            ? {
                  ...options.source,
                  options: {
                      ...(dataDir !== undefined ? { statePath: join(dataDir, 'simulator.json') } : {}),
                      hold,
                      ...options.source.options,
                  },
              }
            : options.source;
    const source: EventSource = createSource(spec);
    const sensorHub = stack.runtime.config.sensors.hubName;
    // the degrading vessels' indicator sensors and shaft power come from the degradation simulator only
    const degraded =
        source instanceof SimulatorSource && options.sensors !== false && degradationVessels > 0
            ? instrumentedVessels(source.fleet, options.sensors?.vessels ?? 50)
                  .slice(0, degradationVessels)
                  .map((v) => v.mmsi)
            : [];
    const degradedSet = new Set(degraded);
    const degradedSensors = new Set([...EQUIPMENT.map((e) => e.sensorId), LOAD_SENSOR.sensorId]);
    const sensorSource =
        source instanceof SimulatorSource && options.sensors !== false
            ? new SensorSimulatorSource({
                  hold,
                  ...options.sensors,
                  fleet: source.fleet,
                  time: source.time,
                  ...(degraded.length > 0
                      ? {
                            sentElsewhere: (mmsi: number, sensorId: string) =>
                                degradedSet.has(mmsi) && degradedSensors.has(sensorId),
                        }
                      : {}),
              })
            : undefined;
    const print = (line: string): void => void out.write(`${line}\n`);
    const degradation =
        degraded.length > 0
            ? new DegradationSource({
                  mmsis: degraded,
                  seed: (options.source.kind === 'simulator' ? options.source.options?.seed : undefined) ?? 1,
                  backfillDays,
                  sensorHub,
                  maintenanceHub: stack.runtime.config.maintenance.hubName,
                  ...(dataDir ? { stateFile: join(dataDir, 'degradation-simulator.json') } : {}),
                  onProgress: backfillProgressPrinter(print),
                  ...(source instanceof SimulatorSource ? { clock: source.time.clock(systemClock) } : {}),
              })
            : undefined;
    const restoredVessels = source instanceof SimulatorSource ? source.restoredVessels : 0;
    if (restoredVessels > 0)
        out.write(`simulator: ${restoredVessels} vessels continue from ${dataDir}/simulator.json\n`);
    const example =
        source instanceof SimulatorSource
            ? (source.fleet.vessels.find((v) => v.cls === 'A') ?? source.fleet.vessels[0])?.mmsi
            : undefined;
    out.write(banner(stack, dataDir, source.name, sensorSource !== undefined, degradation, example));
    const simTime = source instanceof SimulatorSource ? source.time : undefined;
    if (simTime?.catchingUp(Date.now())) out.write(timeScaleBanner(simTime, stack.baseUrl));
    const staging =
        source instanceof SimulatorSource && options.staging !== false
            ? new ComplianceStaging({
                  speedZones: parseSpeedZones(speedZonesFile),
                  ...(simTime ? { clock: simTime.clock(systemClock) } : {}),
              })
            : undefined;
    if (staging) out.write(stagingBanner(staging, stack.baseUrl));

    let lastReceived = 0;
    let lastTime = Date.now();
    let vessels = 0;
    const progressMs = options.progressMs ?? 2000;
    const progress =
        progressMs > 0
            ? setInterval(() => {
                  void (async () => {
                      try {
                          vessels = await stack.runtime.vessels.countVessels();
                      } catch {
                          // the count is informative only
                      }
                      const now = Date.now();
                      const rate =
                          ((stack.totals.received - lastReceived) * 1000) / Math.max(1, now - lastTime);
                      lastReceived = stack.totals.received;
                      lastTime = now;
                      // (both simulators are held at the same times: the longer of the two)
                      const heldMs = Math.max(
                          source instanceof SimulatorSource ? source.stats.heldMs : 0,
                          sensorSource?.stats.heldMs ?? 0,
                      );
                      const held =
                          heldMs > 0
                              ? ` | simulators held ${fmt(Math.round(heldMs / 1000))} s (over ${fmt(LIVE_BACKLOG_LIMIT)} queued)`
                              : '';
                      out.write(`${progressLine(stack.totals, rate, vessels, stack.host.backlog)}${held}\n`);
                  })();
              }, progressMs)
            : undefined;
    const memoryTimer =
        (options.memoryEveryMs ?? 0) > 0
            ? setInterval(() => {
                  stack.memory().then(
                      (m) => out.write(`${memoryLine(m)}\n`),
                      () => undefined, // informative only
                  );
              }, options.memoryEveryMs)
            : undefined;

    let stopping: Promise<number> | undefined;
    /** The maintenance start-up (in the background, not waited for by the stop): its logger, and whether it ended. */
    const startupLog = stopAwareLogger(stderrLogger, () => stopping !== undefined);
    let startup: 'running' | 'done' | 'failed' | 'cut off' | undefined;
    /** Stops the sources, drains (bounded), saves, stops the services last; resolves with the exit code. */
    const stop = (): Promise<number> => {
        stopping ??= (async () => {
            if (progress) clearInterval(progress);
            if (memoryTimer) clearInterval(memoryTimer);
            await source.stop();
            await sensorSource?.stop();
            await degradation?.stop();
            degradation?.saveState();
            await staging?.stop();
            const { undrained } = await stack.stop();
            const cutOff =
                startup === undefined
                    ? undefined
                    : cutOffLine(startup === 'running' || startup === 'cut off', startupLog.held());
            if (cutOff !== undefined) out.write(`${cutOff}\n`);
            out.write(`\n${reconciliation(stack.totals)}\n`);
            if (source instanceof ReplaySource) {
                const report = replayReport(source.stats, stack.totals);
                if (report) out.write(`${report}\n`);
            }
            if (undrained > 0)
                out.write(
                    `NOT DRAINED: ${fmt(undrained)} event(s) were still queued in the local hub when the drain deadline passed (never written to bronze)\n`,
                );
            return undrained > 0 || !complete(stack.totals) ? 1 : 0;
        })();
        return stopping;
    };
    let signals = 0;
    const onSignal = (): void => {
        signals++;
        if (signals === 1) {
            out.write(
                '\nstopping: draining the partitions (at most 8 s), saving state; Ctrl-C again to stop at once...\n',
            );
            void stop().then((code) => process.exit(code));
            return;
        }
        // Second Ctrl-C: stop now and say what is left behind.
        if (progress) clearInterval(progress);
        if (memoryTimer) clearInterval(memoryTimer);
        void (async () => {
            const undrained = stack.host.backlog;
            out.write(
                `\nstopping at once: ${fmt(undrained)} event(s) not drained (queued in the local hub or in a batch being processed; ` +
                    `batches already processed are in bronze and the lake), vessel state not saved since the last snapshot\n`,
            );
            await Promise.race([stack.abort(), new Promise((r) => setTimeout(r, 2_000))]);
            process.exit(130);
        })();
    };
    const offSignal = onStopSignal(onSignal);
    const faults = options.faultControl ? faultControl(options.faultControl, stack, print) : undefined;

    // Backpressure: a finite source waits while the host has a large backlog.
    const emit = async (events: SourceEvent[]): Promise<void> => {
        publishByHub(stack, events);
        while (stack.host.backlog > 20_000) await new Promise((r) => setTimeout(r, 20));
    };
    await source.start(emit);
    await sensorSource?.start((events) => stack.publish(events, sensorHub));
    if (degradation) {
        // In the background: the HTTP endpoints answer meanwhile. The backfill waits while the sensor hub holds more
        // than 300 events (about 7,000 readings), so a Ctrl-C can still drain what was sent within its 8 s.
        await degradation.start(async (events) => {
            publishByHub(stack, events);
            while (stopping === undefined && stack.host.pending(sensorHub) > 300)
                await new Promise((r) => setTimeout(r, 50));
        });
        // Its step lines stop with Ctrl-C: after 'stopping' they read as if the start-up carried on.
        const stepPrint = (line: string): void => {
            if (stopping === undefined && signals === 0) print(line);
        };
        startup = 'running';
        runMaintenanceStartup(
            stackStartupSteps(stack, degradation.backfilled, stepPrint, startupLog.logger),
        ).then(
            () => {
                startup = 'done';
                const quiet = stack.alertsNotPrinted();
                if (quiet > 0)
                    stepPrint(
                        `maintenance history: ${fmt(quiet)} sensor alert(s) about it were stored, not printed (curl '${stack.baseUrl}/alerts?limit=10')`,
                    );
            },
            (error: unknown) => {
                startup = stopping === undefined ? 'failed' : 'cut off';
                if (stopping === undefined)
                    print(
                        `maintenance start-up did not finish: ${error instanceof Error ? error.message : String(error)} (the buildSensorHourly and scoreMaintenance timers retry hourly)`,
                    );
            },
        );
    }
    await staging?.start(
        (events) => stack.publish(events),
        (events) => stack.publish(events, sensorHub),
    );
    // the simulated fleet's first gold rows, announced with their URL (a live feed's vessels may never call at a port)
    if (simTime !== undefined && !options.exitWhenDone)
        void announceFirstGold(stack, started, print, () => stopping !== undefined);
    if (!options.exitWhenDone && source instanceof ReplaySource) {
        // `replay --keep-running`: say when the files are in (the same reconciliation a replay prints at its
        // end), then keep serving; Ctrl-C prints the final one.
        void source.done
            .then(() => stack.host.idle())
            .then(
                () => {
                    if (stopping !== undefined) return;
                    const report = replayReport(source.stats, stack.totals);
                    out.write(
                        `\nreplay done: every event of the files is processed\n${reconciliation(stack.totals)}\n` +
                            (report ? `${report}\n` : '') +
                            `still serving HTTP on ${stack.baseUrl} (--keep-running); Ctrl-C stops\n`,
                    );
                },
                () => undefined, // a failed replay is reported by the stop
            );
    }
    if (options.exitWhenDone && source.done) {
        await source.done;
        // A finite source: every event is processed (retries included) before the stop; nothing more to gather.
        stack.host.flush();
        await stack.host.idle();
        await faults?.close();
        await stop();
        offSignal();
    }
    return source instanceof ReplaySource ? { ...stack.totals, replay: source.stats } : stack.totals;
}
