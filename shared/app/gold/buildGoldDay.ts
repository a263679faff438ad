/**
 * Builds the gold tables of one UTC day (or the vessels of one shard of it) from silver: the SQL tables run on the
 * gold engine, the sequential parts (ECA exposure, port calls) in one pass over each vessel's ordered fixes, and
 * every table is written to the lake and Cosmos replacing what an earlier build of the same day wrote.
 */
import {
    emissionsDaily,
    type EmissionsFix,
    type FuelFlowReading,
    lookupParticulars,
    type ParticularsTable,
    resolveParticulars,
} from '../../domain/emissions/index.js';
import { ecaExposure, gridEcaLookup } from '../../domain/gold/ecaExposure.js';
import {
    advancePortCalls,
    type PortCall,
    type PortCallState,
    type PortIndex,
    type Voyage,
} from '../../domain/gold/portCalls.js';
import type { DayTrack } from '../../domain/gold/track.js';
import type { ZoneIndex } from '../../domain/zones/index.js';
import { throwIfStopped } from '../../errors.js';
import { INGEST_BATCH_COLUMNS, INGEST_BATCHES_TABLE } from '../ingestBatches.js';
import type { GoldEngine, GoldSession, GoldStore, Logger, Shard, SilverInput } from '../ports.js';
import { SENSOR_COLUMNS, SENSOR_READINGS_TABLE } from '../silverTables.js';
import { POSITION_COLUMNS, POSITIONS_TABLE, STATIC_COLUMNS, STATIC_TABLE } from '../silverTables.js';
import { silverHourFolders } from './dailyJob.js';
import { type FleetSums, fleetSums, fleetTotals } from './fleetSummary.js';
import { type GoldLake, writeGoldTable } from './goldOutput.js';
import {
    EMISSIONS_DAILY_SPEC,
    PORT_CALLS_OPEN_SPEC,
    PORT_CALLS_SPEC,
    VESSEL_DAILY_SPEC,
    VOYAGES_SPEC,
} from './goldTables.js';
import { readCarry, writeCarry } from './portCallCarry.js';
import { silverFiles, watermarkOf } from './silverFiles.js';
import { type DqPart, dqPart } from './tables/dqDaily.js';
import { fuelFlowSql, toEmissionsRow, vesselFactsSql } from './tables/emissionsDaily.js';
import { MAX_HOLD_MS, vesselDailySql, windowFixesSql } from './tables/vesselDaily.js';
import { withReports } from './tables/voyages.js';
import { addDays, type DayWindow } from './window.js';

export interface GoldBuildDeps {
    lake: GoldLake;
    engine: GoldEngine;
    gold: GoldStore;
    zones: ZoneIndex;
    ports: PortIndex;
    /** The user's vessel particulars (file rows by IMO and MMSI); without it every vessel's are estimated from AIS. */
    particulars?: ParticularsTable;
    logger: Logger;
    /**
     * Aborted when the host stops: the build stops between its steps and files (a running DuckDB query is
     * interrupted) with a StoppedError, never once it has begun writing (what it writes replaces the day as a whole).
     */
    signal?: AbortSignal;
}

export interface GoldDaySummary {
    day: string;
    shard: Shard;
    partial: boolean;
    /** Newest silver blob the build read (epoch ms; 0 when none). */
    inputWatermark: number;
    silverFiles: number;
    /** The silver files read per table (batch files, or compacted files where `compactSilver` merged an hour). */
    silverFilesByTable?: Record<string, number>;
    /** Rows written per table. */
    rows: Record<string, number>;
    /** Seconds per step (sql per table, the vessel pass, writes). */
    seconds: Record<string, number>;
    /** Hash of the port-call states carried to the next day. */
    carryOut: string;
    /** The shard's part of the fleet summary. */
    fleet: FleetSums;
    /** The shard's part of the day's data quality. */
    dq: DqPart;
    /** The silver table-hour folders the build read (`silver/{table}/date=D/hour=H/`), for lineage. */
    inputFolders?: string[];
}

/** The silver inputs of a window: the files of each table for the window's hours. */
export async function silverInputsOf(lake: GoldLake, w: DayWindow): Promise<SilverInput[]> {
    const [positions, statics, sensors, batches] = await Promise.all([
        silverFiles(lake, POSITIONS_TABLE, w.start, w.end),
        silverFiles(lake, STATIC_TABLE, w.start, w.end),
        silverFiles(lake, SENSOR_READINGS_TABLE, w.start, w.end),
        silverFiles(lake, INGEST_BATCHES_TABLE, w.start, w.end),
    ]);
    return [
        { table: POSITIONS_TABLE, columns: POSITION_COLUMNS, files: positions },
        { table: STATIC_TABLE, columns: STATIC_COLUMNS, files: statics },
        { table: SENSOR_READINGS_TABLE, columns: SENSOR_COLUMNS, files: sensors },
        { table: INGEST_BATCHES_TABLE, columns: INGEST_BATCH_COLUMNS, files: batches },
    ];
}

/**
 * Builds one shard of a day. `listed`: the day's silver inputs when the caller listed them already (the timer's fire,
 * for the day's input watermark), else the build lists them.
 */
export async function buildGoldDay(
    deps: GoldBuildDeps,
    w: DayWindow,
    shard: Shard,
    listed?: readonly SilverInput[],
): Promise<GoldDaySummary> {
    const seconds: Record<string, number> = {};
    const { signal } = deps;
    // Before each reading step: a stop ends the build there (nothing written yet).
    const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
        if (!step.startsWith('write.')) throwIfStopped(signal, `gold day ${w.day}`);
        const started = performance.now();
        try {
            return await fn();
        } finally {
            seconds[step] = (seconds[step] ?? 0) + (performance.now() - started) / 1000;
        }
    };
    const [inputs, carryIn] = await timed('list', () =>
        Promise.all([
            listed === undefined ? silverInputsOf(deps.lake, w) : Promise.resolve(listed),
            readCarry(deps.lake, addDays(w.day, -1), shard),
        ]),
    );
    const session = await timed('load', () =>
        deps.engine.open(inputs, shard, undefined, signal === undefined ? {} : { signal }),
    );
    const rows: Record<string, number> = {};
    let pass: PassResult;
    let fleet: FleetSums;
    let dq: DqPart;
    try {
        dq = await timed('sql.dq_daily', () => dqPart(session, w, shard));
        const daily = await timed('sql.vessel_daily', () => session.query(vesselDailySql(w)));
        pass = await timed('pass', () => vesselPass(session, w, deps, carryIn));
        pass.voyages = await timed('sql.voyages', () => withReports(session, w, pass.voyages, deps.ports));
        for (const row of daily) Object.assign(row, pass.eca.get(row.mmsi as number) ?? NO_ECA);
        // The last point a stop ends the build: from here on it writes, and the writes run to the end.
        throwIfStopped(signal, `gold day ${w.day}`);
        rows.vessel_daily = (
            await timed('write.vessel_daily', () =>
                writeGoldTable(deps.lake, deps.gold, VESSEL_DAILY_SPEC, w.day, shard, daily, w.runId),
            )
        ).rows;
        fleet = fleetSums(
            daily,
            new Map(
                pass.emissions.map((e) => [e.mmsi as number, e as { fuel_total_t: number; co2_t: number }]),
            ),
        );
        rows.emissions_daily = (
            await timed('write.emissions_daily', () =>
                writeGoldTable(
                    deps.lake,
                    deps.gold,
                    EMISSIONS_DAILY_SPEC,
                    w.day,
                    shard,
                    pass.emissions,
                    w.runId,
                ),
            )
        ).rows;
    } finally {
        await session.close();
    }
    await timed('write.port_calls', async () => {
        const write = (spec: typeof PORT_CALLS_SPEC, list: readonly (PortCall | Voyage)[]) =>
            writeGoldTable(
                deps.lake,
                deps.gold,
                spec,
                w.day,
                shard,
                list.map((r) => ({ ...r, date: w.day })),
                w.runId,
            );
        rows.port_calls = (await write(PORT_CALLS_SPEC, pass.closed)).rows;
        rows.port_calls_open = (await write(PORT_CALLS_OPEN_SPEC, pass.open)).rows;
        rows.voyages = (await write(VOYAGES_SPEC, pass.voyages)).rows;
    });
    const carryOut = await timed('write.carry', () =>
        writeCarry(deps.lake, w.day, shard, pass.states, w.cut),
    );
    const summary: GoldDaySummary = {
        day: w.day,
        shard,
        partial: w.partial,
        inputWatermark: Math.max(...inputs.map((i) => watermarkOf(i.files))),
        silverFiles: inputs.reduce((n, i) => n + i.files.length, 0),
        silverFilesByTable: Object.fromEntries(inputs.map((i) => [i.table, i.files.length])),
        inputFolders: silverHourFolders(inputs.flatMap((i) => i.files.map((f) => f.path))),
        rows,
        seconds,
        carryOut,
        fleet,
        dq,
    };
    deps.logger.info('gold day built', goldDayLogFields(summary));
    return summary;
}

/**
 * The properties of the 'gold day built' log line: what an operator reads (the fleet totals in nautical miles and
 * tonnes, not the integer millionths the summary sums in; the count of silver folders read, not the list).
 */
export function goldDayLogFields(s: GoldDaySummary): Record<string, unknown> {
    const round = (x: number, digits: number) => Number(x.toFixed(digits));
    const seconds = Object.fromEntries(Object.entries(s.seconds).map(([k, v]) => [k, round(v, 3)]));
    return {
        day: s.day,
        shard: `${s.shard.index}/${s.shard.count}`,
        partial: s.partial,
        silverFiles: s.silverFiles,
        ...(s.silverFilesByTable !== undefined && { silverFilesByTable: s.silverFilesByTable }),
        silverFolders: s.inputFolders?.length ?? 0,
        inputWatermark: s.inputWatermark > 0 ? new Date(s.inputWatermark).toISOString() : null,
        rows: s.rows,
        totalSeconds: round(
            Object.values(s.seconds).reduce((a, b) => a + b, 0),
            3,
        ),
        seconds,
        fleet: fleetTotals(s.fleet),
        carryOut: s.carryOut,
    };
}

const NO_ECA = { eca_hours: 0, eca_distance_nm: 0, eca_zones: null };

interface PassResult {
    eca: Map<number, Record<string, unknown>>;
    emissions: Record<string, unknown>[];
    closed: PortCall[];
    open: PortCall[];
    voyages: Voyage[];
    /** Port-call states at the cut: the carried-in ones advanced over the day's fixes. */
    states: Map<number, PortCallState>;
}

/** One pass over every vessel's ordered fixes of the window: the sequential metrics. */
async function vesselPass(
    session: GoldSession,
    w: DayWindow,
    deps: GoldBuildDeps,
    carryIn: ReadonlyMap<number, PortCallState>,
): Promise<PassResult> {
    const lookup = gridEcaLookup((lat, lon, t) => deps.zones.zonesAt(lat, lon, t, { pollutant: 'sox' }));
    const noxLookup = gridEcaLookup((lat, lon, t) => deps.zones.zonesAt(lat, lon, t, { pollutant: 'nox' }));
    const facts = new Map((await session.query(vesselFactsSql(w))).map((f) => [f.mmsi as number, f]));
    const fuelFlows = groupByMmsi(await session.query(fuelFlowSql(w)));
    const out: PassResult = {
        eca: new Map(),
        emissions: [],
        closed: [],
        open: [],
        voyages: [],
        states: new Map(carryIn),
    };
    await forEachTrack(session, w, (track) => {
        const e = ecaExposure(track, lookup, w.cut, MAX_HOLD_MS);
        if (e.zones.length > 0) {
            out.eca.set(track.mmsi, {
                eca_hours: e.ecaHours,
                eca_distance_nm: e.ecaDistanceNm,
                eca_zones: e.zones.join(','),
            });
        }
        out.emissions.push(
            emissionsOf(
                track,
                e.inside,
                w,
                deps,
                facts.get(track.mmsi),
                fuelFlows.get(track.mmsi),
                noxLookup,
            ),
        );
        const calls = advancePortCalls(track.mmsi, carryIn.get(track.mmsi) ?? {}, track, deps.ports);
        out.closed.push(...calls.closed);
        if (calls.open !== undefined) out.open.push(calls.open);
        out.voyages.push(...calls.voyages);
        out.states.set(track.mmsi, calls.state);
    });
    // Vessels silent all day keep their open call.
    for (const [mmsi, state] of carryIn) {
        if (state.call !== undefined && !out.open.some((c) => c.mmsi === mmsi)) {
            const r = advancePortCalls(mmsi, state, EMPTY_TRACK, deps.ports);
            if (r.open !== undefined) out.open.push(r.open);
        }
    }
    return out;
}

/** The `emissions_daily` row of one vessel: the emission model over its fixes, particulars and fuel-flow readings. */
function emissionsOf(
    track: DayTrack,
    inSeca: Uint8Array,
    w: DayWindow,
    deps: GoldBuildDeps,
    facts: Record<string, unknown> | undefined,
    fuelFlow: FuelFlowReading[] | undefined,
    noxLookup: (lat: number, lon: number, t: number) => readonly string[],
): Record<string, unknown> {
    const fixes: EmissionsFix[] = [];
    for (let i = 0; i < track.t.length; i++) {
        if (track.jump[i] === 1) continue;
        const sog = track.sog[i]!;
        const draught = track.draught?.[i];
        const nav = track.navStatus[i]!;
        const fix: EmissionsFix = {
            t: track.t[i]!,
            sogKn: Number.isNaN(sog) ? null : sog,
            lat: track.lat[i]!,
            lon: track.lon[i]!,
            draughtM: draught === undefined || Number.isNaN(draught) ? null : draught,
            navStatus: nav < 0 ? null : nav,
            inSeca: inSeca[i] === 1,
        };
        const necas = noxLookup(fix.lat!, fix.lon!, fix.t);
        if (necas.length > 0) {
            fix.inNeca = true;
            const from = deps.zones.properties(necas[0]!)?.effective?.nox;
            if (from) fix.necaTierIIIFromYear = Number(from.slice(0, 4));
        }
        fixes.push(fix);
    }
    const imo = (facts?.imo as number | null | undefined) ?? null;
    const particulars = resolveParticulars(lookupParticulars(deps.particulars, { imo, mmsi: track.mmsi }), {
        shipTypeCode: facts?.ship_type as number | null | undefined,
        lengthM: facts?.length_m as number | null | undefined,
        beamM: facts?.beam_m as number | null | undefined,
        draughtM: facts?.draught_m as number | null | undefined,
    });
    const row = emissionsDaily({
        mmsi: track.mmsi,
        imo,
        date: w.day,
        fixes,
        particulars,
        ...(fuelFlow === undefined ? {} : { fuelFlow }),
        options: { asOf: w.cut },
    });
    return toEmissionsRow(row, w.partial);
}

function groupByMmsi(rows: readonly Record<string, unknown>[]): Map<number, FuelFlowReading[]> {
    const out = new Map<number, FuelFlowReading[]>();
    for (const r of rows) {
        const mmsi = r.mmsi as number;
        let list = out.get(mmsi);
        if (list === undefined) out.set(mmsi, (list = []));
        list.push({ t: r.t as number, kgPerHour: r.kg_per_hour as number, sensorId: r.sensor_id as string });
    }
    return out;
}

const EMPTY_TRACK: DayTrack = { mmsi: 0, t: [], lat: [], lon: [], sog: [], navStatus: [], jump: [] };

/** Streams the window's fixes ordered by vessel and time and hands over one vessel's track at a time. */
export async function forEachTrack(
    session: GoldSession,
    w: DayWindow,
    onTrack: (track: DayTrack) => void,
): Promise<void> {
    let current:
        | {
              mmsi: number;
              t: number[];
              lat: number[];
              lon: number[];
              sog: number[];
              navStatus: number[];
              jump: number[];
              draught: number[];
          }
        | undefined;
    const flush = (): void => {
        if (current !== undefined) onTrack(current);
        current = undefined;
    };
    await session.stream(
        `SELECT mmsi, CAST(t AS DOUBLE) AS t, lat, lon, sog, nav_status, jump, draught FROM (${windowFixesSql(w)}) x ORDER BY mmsi, t`,
        (c, n) => {
            const mmsi = c.mmsi!,
                t = c.t!,
                lat = c.lat!,
                lon = c.lon!,
                sog = c.sog!,
                nav = c.nav_status!,
                jump = c.jump!,
                dr = c.draught!;
            for (let i = 0; i < n; i++) {
                const m = mmsi[i] as number;
                if (current === undefined || current.mmsi !== m) {
                    flush();
                    current = {
                        mmsi: m,
                        t: [],
                        lat: [],
                        lon: [],
                        sog: [],
                        navStatus: [],
                        jump: [],
                        draught: [],
                    };
                }
                current.t.push(t[i] as number);
                current.lat.push(lat[i] as number);
                current.lon.push(lon[i] as number);
                current.sog.push((sog[i] as number | null) ?? Number.NaN);
                current.navStatus.push((nav[i] as number | null) ?? -1);
                current.jump.push(jump[i] as number);
                current.draught.push((dr[i] as number | null) ?? Number.NaN);
            }
        },
    );
    flush();
}
