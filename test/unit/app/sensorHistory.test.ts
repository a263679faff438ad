/**
 * The sensor history endpoint's use case over real silver: readings through the real sensor ingest into an
 * in-memory lake (Parquet bytes), read back with SilverSensorHistory; range, filters, thinning and the 400s.
 */
import { describe, expect, it } from '@jest/globals';

import { SilverSensorHistory } from '../../../shared/adapters/SilverSensorHistory.js';
import { ingestSensorBatch } from '../../../shared/app/ingestSensorBatch.js';
import { querySensorHistory, type SensorHistoryDeps, thin } from '../../../shared/app/sensorHistory.js';
import { NotFoundError, ValidationError } from '../../../shared/errors.js';
import { eventBatch, sensorEvent } from '../../helpers/factories.js';
import { sensorIngestFakes } from '../../helpers/ingestFakes.js';

const NOW = Date.UTC(2026, 11, 3, 12);
const MIN = 60_000;
const VESSEL = 244_000_001;
const OTHER = 244_000_002;

function reading(
    mmsi: number,
    sensorId: string,
    quantity: string,
    value: number,
    unit: string,
    t: number,
): string {
    return JSON.stringify(sensorEvent({ mmsi, sensorId, quantity, value, unit, time: t }));
}

async function silverWith(bodies: string[]): Promise<SensorHistoryDeps> {
    const d = sensorIngestFakes({ clock: { now: () => NOW } });
    const s = await ingestSensorBatch(eventBatch(bodies, { firstSequence: 1, enqueuedTime: NOW }), d);
    expect(s.accepted).toBe(bodies.length);
    return { history: new SilverSensorHistory(d.lake), sensors: d.sensors, vessels: d.vessels };
}

describe('GET /api/vessels/{mmsi}/sensors/history', () => {
    it('returns the vessel readings of the range per series, in canonical units, ascending', async () => {
        const bodies: string[] = [];
        // Exhaust temperature every 10 min over the last 8 hours (two in degF), sea temperature every hour; another vessel.
        for (let m = 8 * 60; m >= 0; m -= 10)
            bodies.push(
                reading(VESSEL, 'ME1.EXH-T', 'exhaust_temperature', 350 + m / 100, 'degC', NOW - m * MIN),
            );
        bodies.push(reading(VESSEL, 'ME1.EXH-T2', 'exhaust_temperature', 662, 'degF', NOW - 30 * MIN));
        for (let h = 0; h < 8; h++)
            bodies.push(
                reading(
                    VESSEL,
                    'WX.SEA-T',
                    'sea_temperature',
                    12 + h / 10,
                    'degC',
                    NOW - h * 60 * MIN - 5 * MIN,
                ),
            );
        bodies.push(reading(OTHER, 'ME1.EXH-T', 'exhaust_temperature', 555, 'degC', NOW - 20 * MIN));
        const source = await silverWith(bodies);

        const h = await querySensorHistory(String(VESSEL), () => null, source, NOW + 1);
        expect(h).toMatchObject({ mmsi: VESSEL, from: NOW + 1 - 6 * 60 * MIN, to: NOW + 1 });
        expect(h.series.map((s) => `${s.quantity} ${s.sensorId} ${s.unit} ${s.count}`)).toEqual([
            'exhaust_temperature ME1.EXH-T degC 36',
            'exhaust_temperature ME1.EXH-T2 degC 1',
            'sea_temperature WX.SEA-T degC 6',
        ]);
        const exh = h.series[0]!.points;
        expect(exh.map((p) => p.t)).toEqual([...exh.map((p) => p.t)].sort((a, b) => a - b));
        expect(exh[exh.length - 1]).toEqual({ t: NOW, value: 350 });
        expect(h.series[1]!.points[0]!.value).toBeCloseTo(350, 6); // 662 degF in degC
        expect(h.series.flatMap((s) => s.points).some((p) => p.value === 555)).toBe(false);

        const one = await querySensorHistory(
            String(VESSEL),
            (n) =>
                ({ quantity: 'sea_temperature', from: String(NOW - 8 * 60 * MIN), to: String(NOW + 1) })[n],
            source,
            NOW,
        );
        expect(one.series).toHaveLength(1);
        expect(one.series[0]!.count).toBe(8);
        const thinned = await querySensorHistory(
            String(VESSEL),
            (n) => ({ sensorId: 'ME1.EXH-T', points: '10' })[n],
            source,
            NOW + 1,
        );
        expect(thinned.series[0]!.count).toBe(36);
        expect(thinned.series[0]!.points.length).toBeLessThanOrEqual(11);
    });

    it('keeps flagged readings when thinning, and rejects bad ranges', async () => {
        const list = Array.from({ length: 100 }, (_, i) => ({
            sensorId: 's',
            quantity: 'q',
            unit: 'u',
            t: i,
            value: i,
            flags: i === 37 ? ['OUT_OF_RANGE'] : [],
        }));
        const out = thin(list, 10);
        expect(out.length).toBeLessThanOrEqual(12);
        expect(out.find((p) => p.t === 37)).toEqual({ t: 37, value: 37, flags: ['OUT_OF_RANGE'] });
        const source = await silverWith([
            reading(VESSEL, 'ME1.EXH-T', 'exhaust_temperature', 350, 'degC', NOW - 60 * MIN),
        ]);
        await expect(
            querySensorHistory(
                String(VESSEL),
                (n) => ({ from: String(NOW - 49 * 60 * MIN) })[n],
                source,
                NOW,
            ),
        ).rejects.toThrow(ValidationError);
        await expect(
            querySensorHistory(
                String(VESSEL),
                (n) => ({ from: String(NOW), to: String(NOW - 1) })[n],
                source,
                NOW,
            ),
        ).rejects.toThrow(ValidationError);
        for (const points of ['1', '5001', '1e2', '0x10', '+5', '1.0']) {
            await expect(
                querySensorHistory(String(VESSEL), (n) => ({ points })[n], source, NOW),
            ).rejects.toThrow(`'points' must be a decimal integer from 2 to 5000; got '${points}'.`);
        }
        await expect(querySensorHistory('abc', () => null, source, NOW)).rejects.toThrow(ValidationError);
    });

    it('is empty for a known vessel without readings in the range, and 404 for a vessel never seen', async () => {
        const source = await silverWith([
            reading(VESSEL, 'ME1.EXH-T', 'exhaust_temperature', 350, 'degC', NOW - 60 * MIN),
        ]);
        const quiet = await querySensorHistory(
            String(VESSEL),
            (n) => ({ from: String(NOW - 30 * MIN), to: String(NOW) })[n],
            source,
            NOW,
        );
        expect(quiet.series).toEqual([]);
        await expect(querySensorHistory(String(OTHER), () => null, source, NOW)).rejects.toThrow(
            NotFoundError,
        );
        await expect(querySensorHistory(String(OTHER), () => null, source, NOW)).rejects.toThrow(
            `No vessel with MMSI ${OTHER} has been seen.`,
        );
    });
});
