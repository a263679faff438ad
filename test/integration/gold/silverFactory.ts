/** Silver rows for gold tests: constructed tracks written as silver Parquet, one file per vessel-hour batch. */
import { silverPath } from '../../../shared/app/lakePaths.js';
import type { LakeWriter } from '../../../shared/app/ports.js';
import { SENSOR_COLUMNS, SENSOR_READINGS_TABLE } from '../../../shared/app/silverTables.js';
import {
    POSITION_COLUMNS,
    POSITIONS_TABLE,
    STATIC_COLUMNS,
    STATIC_TABLE,
} from '../../../shared/app/silverTables.js';
import { hourStart } from '../../../shared/domain/time.js';

export interface Fix {
    mmsi: number;
    t: number;
    lat: number;
    lon: number;
    sog?: number;
    navStatus?: number;
    flags?: string;
    name?: string;
    shipCategory?: string;
    flag?: string;
    /** When the record reached silver (epoch ms; default unset, as in files written before the column). */
    ingestTime?: number;
}

/** A silver position row as ingest writes it (only the columns gold reads are set, plus lineage). */
export function positionRow(f: Fix, sequence: number): Record<string, unknown> {
    return {
        mmsi: f.mmsi,
        event_time: f.t,
        lat: f.lat,
        lon: f.lon,
        sog: f.sog ?? null,
        nav_status: f.navStatus ?? null,
        flags: f.flags ?? null,
        name: f.name ?? `VESSEL ${f.mmsi}`,
        ship_category: f.shipCategory ?? 'cargo',
        ship_type: 70,
        flag: f.flag ?? 'NO',
        eh_partition: '0',
        eh_sequence: sequence,
        ingest_time: f.ingestTime ?? null,
    };
}

/** Writes the fixes as silver `ais_positions`, one Parquet file per event hour (batch id from `batch`). */
export async function writeSilverPositions(
    lake: LakeWriter,
    fixes: readonly Fix[],
    batch = 0,
): Promise<void> {
    const byHour = new Map<number, Fix[]>();
    for (const f of fixes) {
        const h = hourStart(f.t);
        byHour.set(h, [...(byHour.get(h) ?? []), f]);
    }
    let sequence = batch * 1_000_000;
    for (const [hour, hourFixes] of byHour) {
        const rows = hourFixes.map((f) => positionRow(f, sequence++));
        await lake.writeParquet(
            'silver',
            silverPath(POSITIONS_TABLE, hour, {
                partitionId: '0',
                firstSequence: batch,
                lastSequence: batch,
            }),
            {
                columns: POSITION_COLUMNS,
                rows,
            },
        );
    }
}

/** Fixes every `stepMin` minutes from `from` (inclusive) to `to` (exclusive), moving north at `sog` knots from (lat, lon). */
export function steadyTrack(
    mmsi: number,
    from: number,
    to: number,
    stepMin: number,
    start: { lat: number; lon: number },
    sog: number,
    navStatus = 0,
): Fix[] {
    const out: Fix[] = [];
    for (let t = from, i = 0; t < to; t += stepMin * 60_000, i++) {
        out.push({
            mmsi,
            t,
            lat: start.lat + (sog * ((t - from) / 3_600_000)) / 60,
            lon: start.lon,
            sog,
            navStatus,
        });
    }
    return out;
}

/** Writes sensor readings of one sensor as silver `sensor_readings` (one file). */
export async function writeSilverSensorReadings(
    lake: LakeWriter,
    mmsi: number,
    sensorId: string,
    quantity: string,
    unit: string,
    readings: readonly { t: number; value: number }[],
): Promise<void> {
    const rows = readings.map((r, i) => ({
        vessel_key: `mmsi:${mmsi}`,
        mmsi,
        sensor_id: sensorId,
        quantity,
        value: r.value,
        unit,
        event_time: r.t,
        eh_partition: '0',
        eh_sequence: i,
    }));
    const hour = hourStart(readings[0]!.t);
    await lake.writeParquet(
        'silver',
        silverPath(SENSOR_READINGS_TABLE, hour, {
            partitionId: '0',
            firstSequence: 0,
            lastSequence: rows.length,
        }),
        {
            columns: SENSOR_COLUMNS,
            rows,
        },
    );
}

/** Writes voyage reports (AIS type 5: destination, ETA as `MM-DDTHH:MMZ`) as silver `ais_static`, one file. */
export async function writeSilverStatics(
    lake: LakeWriter,
    reports: readonly { mmsi: number; t: number; destination?: string; eta?: string }[],
    batch = 0,
): Promise<void> {
    const rows = reports.map((r, i) => ({
        mmsi: r.mmsi,
        event_time: r.t,
        msg_type: 5,
        destination: r.destination ?? null,
        eta: r.eta ?? null,
        eh_partition: '0',
        eh_sequence: batch * 1_000_000 + i,
    }));
    await lake.writeParquet(
        'silver',
        silverPath(STATIC_TABLE, hourStart(reports[0]!.t), {
            partitionId: '0',
            firstSequence: batch,
            lastSequence: batch,
        }),
        {
            columns: STATIC_COLUMNS,
            rows,
        },
    );
}
