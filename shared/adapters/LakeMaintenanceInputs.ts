/**
 * What the maintenance scoring reads, from the lake's Parquet with hyparquet: gold `sensor_hourly` (only the
 * equipment indicator sensors and the shaft power, `shared/domain/maintenance/equipment.ts`) over the history window,
 * and silver `maintenance_events` (the whole log: a trickle of rows, de-duplicated on `event_id`).
 *
 * The log is read with one listing of the table rather than through `liveSilverFiles()` (one listing per day of a
 * range: the log spans years). That is safe under compaction because rows are de-duplicated on `event_id`: an event
 * present both in a compacted file and in a replaced batch file not yet deleted counts once.
 */
import { parquetReadObjects } from 'hyparquet';

import { dayOf, dayStart } from '../app/gold/window.js';
import type { MaintenanceInputSource } from '../app/maintenance/scoreMaintenance.js';
import type { BlobInfo, LakeReader } from '../app/ports.js';
import { EQUIPMENT, LOAD_SENSOR } from '../domain/maintenance/equipment.js';
import {
    MAINTENANCE_KINDS,
    type MaintenanceEvent,
    type MaintenanceKind,
} from '../domain/maintenance/events.js';
import type { HourlySensorStat } from '../domain/maintenance/hourly.js';
import { mapLimit } from './cosmosSupport.js';
import { parquetNumber } from './SilverParquetReader.js';

const DAY_MS = 86_400_000;
const HOURLY_COLUMNS = [
    'hour',
    'mmsi',
    'sensor_id',
    'quantity',
    'count',
    'mean',
    'min',
    'max',
    'stddev',
    'p95',
    'anomaly_count',
];
const EVENT_COLUMNS = ['event_id', 'mmsi', 'equipment_id', 'event_time', 'kind', 'note'];
const SERIES = new Set([
    ...EQUIPMENT.map((e) => `${e.sensorId}|${e.quantity}`),
    `${LOAD_SENSOR.sensorId}|${LOAD_SENSOR.quantity}`,
]);

type Row = Record<string, unknown>;

export class LakeMaintenanceInputs implements MaintenanceInputSource {
    constructor(
        private readonly lake: LakeReader,
        private readonly concurrency = 8,
    ) {}

    async hourlyFiles(day: string): Promise<BlobInfo[]> {
        return (await this.lake.list('gold', `sensor_hourly/date=${day}/`)).filter((b) =>
            b.path.endsWith('.parquet'),
        );
    }

    async eventFiles(): Promise<BlobInfo[]> {
        return (await this.lake.list('silver', 'maintenance_events/')).filter((b) =>
            b.path.endsWith('.parquet'),
        );
    }

    async hourly(fromDay: string, toDay: string): Promise<HourlySensorStat[]> {
        const days: string[] = [];
        for (let d = dayStart(fromDay); d <= dayStart(toDay); d += DAY_MS) days.push(dayOf(d));
        const files = (await Promise.all(days.map((d) => this.hourlyFiles(d)))).flat();
        const rows = await this.read('gold', files, HOURLY_COLUMNS);
        const out: HourlySensorStat[] = [];
        for (const r of rows) {
            const sensorId = r.sensor_id;
            const quantity = r.quantity;
            const mmsi = parquetNumber(r.mmsi);
            const hour = parquetNumber(r.hour);
            const mean = parquetNumber(r.mean);
            if (
                typeof sensorId !== 'string' ||
                typeof quantity !== 'string' ||
                mmsi === undefined ||
                hour === undefined ||
                mean === undefined
            )
                continue;
            if (!SERIES.has(`${sensorId}|${quantity}`)) continue;
            out.push({
                mmsi,
                sensorId,
                quantity,
                hour,
                count: parquetNumber(r.count) ?? 0,
                mean,
                min: parquetNumber(r.min) ?? mean,
                max: parquetNumber(r.max) ?? mean,
                stddev: parquetNumber(r.stddev) ?? 0,
                p95: parquetNumber(r.p95) ?? mean,
                anomalies: parquetNumber(r.anomaly_count) ?? 0,
            });
        }
        return out.sort((a, b) => a.hour - b.hour);
    }

    async events(): Promise<MaintenanceEvent[]> {
        const rows = await this.read('silver', await this.eventFiles(), EVENT_COLUMNS);
        const byId = new Map<string, MaintenanceEvent>();
        for (const r of rows) {
            const mmsi = parquetNumber(r.mmsi);
            const time = parquetNumber(r.event_time);
            const { equipment_id: equipmentId, kind, event_id: id } = r;
            if (
                mmsi === undefined ||
                time === undefined ||
                typeof equipmentId !== 'string' ||
                typeof id !== 'string'
            )
                continue;
            if (!(MAINTENANCE_KINDS as readonly unknown[]).includes(kind)) continue;
            const e: MaintenanceEvent = { mmsi, equipmentId, time, kind: kind as MaintenanceKind };
            if (typeof r.note === 'string') e.note = r.note;
            byId.set(id, e);
        }
        return [...byId.values()].sort((a, b) => a.time - b.time);
    }

    async watermark(day: string): Promise<number | undefined> {
        const hourly = await this.hourlyFiles(day);
        if (hourly.length === 0) return undefined;
        const events = await this.eventFiles();
        return Math.max(...hourly.map((f) => f.lastModified), ...events.map((f) => f.lastModified));
    }

    private async read(
        container: 'gold' | 'silver',
        files: readonly BlobInfo[],
        columns: string[],
    ): Promise<Row[]> {
        const parts = await mapLimit(files, this.concurrency, async (f) => {
            const bytes = await this.lake.readBytes(container, f.path);
            const buffer = bytes.buffer.slice(
                bytes.byteOffset,
                bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer;
            return (await parquetReadObjects({ file: buffer, columns })) as Row[];
        });
        return parts.flat();
    }
}
