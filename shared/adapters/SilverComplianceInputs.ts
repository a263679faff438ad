/**
 * What a compliance run reads, straight from the lake's Parquet with hyparquet (pure JS, the reader twin of the
 * hyparquet-writer that writes silver): silver `ais_positions` (from the lookback), `ais_static` and
 * `sensor_readings` (fuel sulphur), and gold `emissions_daily` when a gold build has written it.
 *
 * A small, separate adapter on purpose: the compliance timer landed before the gold framework (DuckDB over silver);
 * it reads the same live silver files as the gold build (`liveSilverFiles`: the compaction manifest's files where an
 * hour was compacted, so no row is read twice) through `SilverParquetReader`, a few files downloaded ahead, only the
 * columns the checks use, one row group at a time, and the positions as columns (`forEachColumns`), not row objects.
 * Reading every file's rows as objects at once made most of a check's memory: over a 20-minute soak's day (553,289
 * fixes, 145 files) a check added 290-304 MB to the process's RSS, 137-150 MB now
 * (`node dist/bench/goldMemory.js --data-dir DIR --job compliance`). Every fix of the window is held, as columns
 * of plain numbers per vessel (`FixColumns`, ~40 bytes a fix), and a vessel's track fixes are built when a check
 * reads them: over a 20-minute soak's folder (554,574 fixes) a check's RSS peak went from +142-179 MB to +101-152
 * MB above its start (3 runs each, sampled every 200 ms). Scale: fine for fleets of thousands of vessels per day; a
 * 10-million-fix day wants the shard-per-MMSI path of the gold framework.
 */
import type {
    BlobInfo,
    ComplianceInputs,
    ComplianceInputSource,
    LakeContainer,
    LakeReader,
} from '../app/ports.js';
import {
    type DailyFuel,
    FeedHorizon,
    type ImoReport,
    type SulphurReading,
    type TrackFix,
    type VesselTrack,
} from '../domain/compliance/index.js';
import { mapLimit } from './cosmosSupport.js';
import { parquetNumber, SilverParquetReader } from './SilverParquetReader.js';

const DAY_MS = 86_400_000;
const POSITION_COLUMNS = [
    'mmsi',
    'event_time',
    'lat',
    'lon',
    'sog',
    'nav_status',
    'flags',
    'imo',
    'length',
    'eh_enqueued_time',
];
const STATIC_COLUMNS = ['mmsi', 'event_time', 'imo'];
const SENSOR_COLUMNS = ['mmsi', 'imo', 'sensor_id', 'quantity', 'value', 'event_time', 'lat', 'lon'];

export class SilverComplianceInputs implements ComplianceInputSource {
    readonly #silver: SilverParquetReader;

    constructor(
        private readonly lake: LakeReader,
        private readonly concurrency = 8,
    ) {
        this.#silver = new SilverParquetReader(lake, concurrency);
    }

    async watermark(range: { from: number; to: number }): Promise<number> {
        const files = await Promise.all(
            ['ais_positions', 'ais_static', 'sensor_readings'].map((t) =>
                this.hourFiles(t, range.from, range.to),
            ),
        );
        return Math.max(0, ...files.flat().map((f) => f.lastModified));
    }

    async read(range: { from: number; windowStart: number; to: number }): Promise<ComplianceInputs> {
        const [positionFiles, staticFiles, sensorFiles, emissionFiles] = await Promise.all([
            this.hourFiles('ais_positions', range.from, range.to),
            this.hourFiles('ais_static', range.windowStart, range.to),
            this.hourFiles('sensor_readings', range.windowStart, range.to),
            this.dayFiles('gold', 'emissions_daily', range.windowStart, range.to),
        ]);
        const all = [...positionFiles, ...staticFiles, ...sensorFiles, ...emissionFiles];

        const tracks = new Map<number, FixColumns>();
        const imo = new Map<string, ImoReport>();
        const noteImo = (mmsi: number, value: number | undefined, t: number): void => {
            if (value === undefined || value <= 0 || t < range.windowStart || t >= range.to) return;
            const key = `${mmsi}|${value}`;
            const r = imo.get(key);
            if (r === undefined) imo.set(key, { mmsi, imo: value, firstT: t, lastT: t });
            else {
                r.firstT = Math.min(r.firstT, t);
                r.lastT = Math.max(r.lastT, t);
            }
        };
        // How far the feed reaches: from each fix's arrival at the hub (`eh_enqueued_time`) and its event time.
        const horizon = new FeedHorizon();
        await this.#silver.forEachColumns(positionFiles, POSITION_COLUMNS, (c, n) => {
            const { mmsi: mmsis, event_time: times, lat: lats, lon: lons, sog: sogs } = c;
            const { nav_status: navs, flags, imo: imos, length: lengths, eh_enqueued_time: arrivals } = c;
            const at = (column: ArrayLike<unknown> | undefined, i: number): number | undefined =>
                column === undefined ? undefined : parquetNumber(column[i]);
            for (let i = 0; i < n; i++) {
                const mmsi = at(mmsis, i);
                const t = at(times, i);
                const lat = at(lats, i);
                const lon = at(lons, i);
                if (mmsi === undefined || t === undefined || lat === undefined || lon === undefined) continue;
                if (t < range.from || t >= range.to) continue;
                const arrived = at(arrivals, i);
                if (arrived !== undefined) horizon.add(t, arrived);
                let v = tracks.get(mmsi);
                if (v === undefined) tracks.set(mmsi, (v = new FixColumns()));
                const flag = flags?.[i];
                v.push(
                    t,
                    lat,
                    lon,
                    at(sogs, i),
                    at(navs, i),
                    typeof flag === 'string' && flag.includes('IMPLAUSIBLE_JUMP'),
                );
                const vImo = at(imos, i);
                if (vImo !== undefined && vImo > 0) v.imo = vImo;
                const length = at(lengths, i);
                if (length !== undefined && length > 0) v.lengthM = Math.max(v.lengthM ?? 0, length);
                noteImo(mmsi, vImo, t);
            }
        });
        await this.#silver.forEach(staticFiles, STATIC_COLUMNS, (rows) => {
            for (const r of rows) {
                const mmsi = parquetNumber(r.mmsi);
                const t = parquetNumber(r.event_time);
                if (mmsi !== undefined && t !== undefined) noteImo(mmsi, parquetNumber(r.imo), t);
            }
        });
        const sulphur: SulphurReading[] = [];
        await this.#silver.forEach(sensorFiles, SENSOR_COLUMNS, (rows) => {
            for (const r of rows) {
                if (r.quantity !== 'fuel_sulphur') continue;
                const mmsi = parquetNumber(r.mmsi);
                const t = parquetNumber(r.event_time);
                const value = parquetNumber(r.value);
                if (mmsi === undefined || t === undefined || value === undefined) continue;
                if (t < range.windowStart || t >= range.to) continue;
                const reading: SulphurReading = {
                    mmsi,
                    t,
                    valuePct: value,
                    sensorId: typeof r.sensor_id === 'string' ? r.sensor_id : '',
                };
                const lat = parquetNumber(r.lat);
                const lon = parquetNumber(r.lon);
                const rImo = parquetNumber(r.imo);
                if (lat !== undefined && lon !== undefined) Object.assign(reading, { lat, lon });
                if (rImo !== undefined) reading.imo = rImo;
                sulphur.push(reading);
            }
        });
        const fuel = new Map<number, Map<string, DailyFuel>>();
        await this.#silver.forEach(
            emissionFiles,
            undefined,
            (rows) => {
                for (const r of rows) {
                    const mmsi = parquetNumber(r.mmsi);
                    const date =
                        typeof r.date === 'string' ? r.date : typeof r.day === 'string' ? r.day : undefined;
                    const total = parquetNumber(r.fuel_total_t);
                    if (mmsi === undefined || date === undefined || total === undefined) continue;
                    let m = fuel.get(mmsi);
                    if (m === undefined) fuel.set(mmsi, (m = new Map<string, DailyFuel>()));
                    const inEca = parquetNumber(r.fuel_in_seca_t);
                    m.set(date, {
                        date,
                        fuelTonnes: total,
                        ...(inEca !== undefined && { fuelTonnesInEcas: inEca }),
                    });
                }
            },
            'gold',
        );
        const heardUntil = horizon.value();
        return {
            tracks: [...tracks].map(([mmsi, v]): VesselTrack => ({
                mmsi,
                // built on each read, one vessel's at a time (`FixColumns`)
                get fixes() {
                    return v.fixes();
                },
                ...(v.imo !== undefined && { imo: v.imo }),
                ...(v.lengthM !== undefined && { lengthM: v.lengthM }),
            })),
            imoReports: [...imo.values()],
            sulphur,
            fuel,
            watermark: Math.max(0, ...all.map((f) => f.lastModified)),
            ...(heardUntil !== undefined && { heardUntil }),
            files: all.length,
            paths: [...positionFiles, ...staticFiles, ...sensorFiles]
                .map((f) => `silver/${f.path}`)
                .concat(emissionFiles.map((f) => `gold/${f.path}`)),
        };
    }

    /** The live silver files of the table for the hours overlapping [from, to) (compacted hours: the manifest's files). */
    private hourFiles(table: string, from: number, to: number): Promise<BlobInfo[]> {
        return this.#silver.files(table, from, to);
    }

    /** `{container}/{table}/date=YYYY-MM-DD/*.parquet` for the days overlapping [from, to). */
    private async dayFiles(
        container: LakeContainer,
        table: string,
        from: number,
        to: number,
    ): Promise<BlobInfo[]> {
        const days: string[] = [];
        for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS)
            days.push(new Date(d).toISOString().slice(0, 10));
        const lists = await mapLimit(days, this.concurrency, (d) =>
            this.lake.list(container, `${table}/date=${d}/`),
        );
        return lists.flat().filter((b) => b.path.endsWith('.parquet'));
    }
}

/**
 * One vessel's fixes as columns of plain numbers, which V8 keeps unboxed in double arrays (~40 bytes a fix), rather
 * than as objects (~90 bytes a fix: every double field is a heap number of its own); a window holds every fix of
 * its vessels, so this is most of a check's memory. The track fixes are built when a check reads them
 * (`VesselTrack.fixes`, a getter), one vessel at a time, sorted by time.
 */
class FixColumns {
    readonly #t: number[] = [];
    readonly #lat: number[] = [];
    readonly #lon: number[] = [];
    /** NaN: not given. */
    readonly #sog: number[] = [];
    /** -1: not given. */
    readonly #nav: number[] = [];
    /** Indices of the fixes flagged IMPLAUSIBLE_JUMP. */
    readonly #jumps = new Set<number>();
    imo?: number;
    lengthM?: number;

    push(
        t: number,
        lat: number,
        lon: number,
        sog: number | undefined,
        nav: number | undefined,
        jump: boolean,
    ): void {
        if (jump) this.#jumps.add(this.#t.length);
        this.#t.push(t);
        this.#lat.push(lat);
        this.#lon.push(lon);
        this.#sog.push(sog ?? Number.NaN);
        this.#nav.push(nav ?? -1);
    }

    /** The fixes as track fixes, ascending by time (equal times in the order read). */
    fixes(): TrackFix[] {
        const out: TrackFix[] = new Array<TrackFix>(this.#t.length);
        for (let i = 0; i < this.#t.length; i++) {
            const fix: TrackFix = { t: this.#t[i]!, lat: this.#lat[i]!, lon: this.#lon[i]! };
            const sog = this.#sog[i]!;
            const nav = this.#nav[i]!;
            if (!Number.isNaN(sog)) fix.sog = sog;
            if (nav >= 0) fix.navStatus = nav;
            if (this.#jumps.has(i)) fix.jump = true;
            out[i] = fix;
        }
        return out.sort((a, b) => a.t - b.t);
    }
}
