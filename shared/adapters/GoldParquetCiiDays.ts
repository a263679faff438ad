/**
 * The fleet's CII figures of a year from the gold Parquet files (`gold/emissions_daily/date=D/*.parquet` and
 * `gold/vessel_daily/date=D/*.parquet`), read with hyparquet, only the columns CII needs. A file already read is kept
 * in memory by path and `lastModified`, so the timer's next run (after one gold day was rebuilt) reads one day again,
 * not the year. Memory: one small row per vessel-day (a 2,000-vessel fleet is ~730,000 rows at the year end).
 */
import { parquetReadObjects } from 'hyparquet';

import { type CiiFleetSource, type CiiVesselDay, joinCiiDays } from '../app/compliance/ciiYear.js';
import type { BlobInfo, LakeReader } from '../app/ports.js';
import { mapLimit } from './cosmosSupport.js';

const COLUMNS: Record<string, string[]> = {
    emissions_daily: ['date', 'mmsi', 'imo', 'particulars', 'cii_ship_type', 'dwt', 'gt', 'fuel_by_type_t'],
    vessel_daily: ['date', 'mmsi', 'imo', 'distance_nm'],
};

type Row = Record<string, unknown>;

export class GoldParquetCiiDays implements CiiFleetSource {
    readonly #cache = new Map<string, { lastModified: number; rows: Row[] }>();

    constructor(
        private readonly lake: LakeReader,
        private readonly concurrency = 8,
    ) {}

    async readYear(year: number, toDay: string): Promise<CiiVesselDay[]> {
        const [emissions, daily] = await Promise.all(
            ['emissions_daily', 'vessel_daily'].map((t) => this.table(t, year, toDay)),
        );
        return joinCiiDays(emissions!, daily!);
    }

    private async table(table: string, year: number, toDay: string): Promise<Row[]> {
        const files = (await this.lake.list('gold', `${table}/date=${year}-`)).filter((f) => {
            const day = /date=(\d{4}-\d{2}-\d{2})\//.exec(f.path)?.[1];
            return f.path.endsWith('.parquet') && day !== undefined && day <= toDay;
        });
        const live = new Set(files.map((f) => f.path));
        for (const path of this.#cache.keys())
            if (path.startsWith(`${table}/date=${year}-`) && !live.has(path)) this.#cache.delete(path);
        const parts = await mapLimit(files, this.concurrency, (f) => this.read(f, COLUMNS[table]!));
        return parts.flat();
    }

    private async read(f: BlobInfo, columns: string[]): Promise<Row[]> {
        const hit = this.#cache.get(f.path);
        if (hit !== undefined && hit.lastModified === f.lastModified) return hit.rows;
        const bytes = await this.lake.readBytes('gold', f.path);
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        let rows: Row[];
        try {
            rows = (await parquetReadObjects({ file, columns })) as Row[];
        } catch {
            // A file written before a column existed (cii_ship_type, dwt, gt came later): read what it has.
            rows = ((await parquetReadObjects({ file })) as Row[]).map((r) =>
                Object.fromEntries(columns.map((c) => [c, r[c]])),
            );
        }
        this.#cache.set(f.path, { lastModified: f.lastModified, rows });
        return rows;
    }
}
