/** A vessel's sensor readings from silver `sensor_readings` (the live files of the hours asked for). */
import type { LakeReader } from '../app/ports.js';
import type { SensorHistoryReading, SensorHistorySource } from '../app/sensorHistory.js';
import { SENSOR_READINGS_TABLE } from '../app/silverTables.js';
import { parquetNumber, SilverParquetReader } from './SilverParquetReader.js';

const COLUMNS = ['mmsi', 'sensor_id', 'quantity', 'value', 'unit', 'event_time', 'flags'];

export class SilverSensorHistory implements SensorHistorySource {
    readonly #silver: SilverParquetReader;

    constructor(lake: LakeReader) {
        this.#silver = new SilverParquetReader(lake);
    }

    async readings(mmsi: number, from: number, to: number): Promise<SensorHistoryReading[]> {
        const files = await this.#silver.files(SENSOR_READINGS_TABLE, from, to);
        const out: SensorHistoryReading[] = [];
        // A row group at a time: the range's files are never held as row objects all at once.
        await this.#silver.forEach(files, COLUMNS, (rows) => {
            for (const r of rows) {
                if (parquetNumber(r.mmsi) !== mmsi) continue;
                const t = parquetNumber(r.event_time);
                const value = parquetNumber(r.value);
                if (
                    t === undefined ||
                    value === undefined ||
                    typeof r.sensor_id !== 'string' ||
                    typeof r.quantity !== 'string'
                )
                    continue;
                const flags =
                    typeof r.flags === 'string' && r.flags !== ''
                        ? r.flags.split(/[,;|]/).filter((f) => f !== '')
                        : [];
                out.push({
                    sensorId: r.sensor_id,
                    quantity: r.quantity,
                    unit: typeof r.unit === 'string' ? r.unit : '',
                    t,
                    value,
                    flags,
                });
            }
        });
        return out;
    }
}
