/**
 * The sensor ingest use case with the in-memory fakes: reconciliation, lake layers, positions and zones, threshold
 * and anomaly alerts, alerts before state, state conflicts, dead-letter counts, metrics.
 */
import { describe, expect, it } from '@jest/globals';

import { InMemorySensorStateStore } from '../../../shared/adapters/memory/InMemorySensorStateStore.js';
import { ingestSensorBatch, skippedSensorSummary } from '../../../shared/app/ingestSensorBatch.js';
import type { StoredSensorState } from '../../../shared/app/ports.js';
import { DependencyError } from '../../../shared/errors.js';
import { eventBatch, MMSI, NOW, sensorEvent, sensorSeries, vesselState } from '../../helpers/factories.js';
import { sensorIngestFakes, testRules } from '../../helpers/ingestFakes.js';

const RULES = testRules();
const SENSOR_KEY = `mmsi:${MMSI}|me-1|engine_temperature`;

/** 40 ordinary readings around 80 degC (the running statistics), then a spike to 92 degC (below any threshold). */
const HISTORY = eventBatch(
    sensorSeries(
        Array.from({ length: 40 }, (_, i) => 80 + Math.sin(i) * 0.8),
        NOW - 120_000,
    ),
    { firstSequence: 1 },
);
const SPIKE = eventBatch(sensorSeries([80.2, 92], NOW - 60_000), { firstSequence: 41 });

describe('ingestSensorBatch', () => {
    it('settles every reading once: accepted, quarantined with a reason, or duplicate; bronze keeps every event', async () => {
        const d = sensorIngestFakes();
        const ok = JSON.stringify(sensorEvent());
        const events = eventBatch([
            ok,
            ok, // redelivered copy: a duplicate
            JSON.stringify(sensorEvent({ sensorId: 'sea', quantity: 'sea_temperature', unit: 'Celsius' })),
            JSON.stringify(sensorEvent({ sensorId: 'hum', quantity: 'humidity', value: 140, unit: '%' })),
            '',
            `[${JSON.stringify(sensorEvent({ sensorId: 'me-2', value: 81 }))},{"sensorId":"x"}]`,
        ]);

        const s = await ingestSensorBatch(events, d);

        expect(s).toMatchObject({
            events: 6,
            received: 7,
            accepted: 2,
            quarantined: 4,
            duplicates: 1,
            skipped: 0,
            sensors: 2,
        });
        expect(s.received).toBe(s.accepted + s.quarantined + s.duplicates + s.skipped);
        expect(s.quarantinedByReason).toMatchObject({
            SENSOR_UNKNOWN_UNIT: 1,
            SENSOR_OUT_OF_RANGE: 1,
            EMPTY_BODY: 1,
        });
        expect(d.lake.allJsonLines('bronze', 'sensors/')).toHaveLength(6);
        const quarantined = d.lake.allJsonLines('quarantine', 'sensors/') as {
            reason: string;
            source: string;
            eventHub: { sequenceNumber: number };
        }[];
        expect(quarantined.map((q) => q.reason).sort()).toEqual(
            Object.entries(s.quarantinedByReason)
                .flatMap(([r, n]) => Array<string>(n).fill(r))
                .sort(),
        );
        expect(quarantined.every((q) => q.source === 'sensors')).toBe(true);
        const rows = d.lake.allParquetRows('silver', 'sensor_readings/');
        expect(rows.map((r) => [r.sensor_id, r.value, r.eh_sequence, r.position_source])).toEqual([
            ['me-1', 80, 100, undefined],
            ['me-2', 81, 105, undefined],
        ]);
        expect(s.outputs).toEqual([
            {
                container: 'bronze',
                path: expect.stringMatching(
                    /^sensors\/date=2026-11-24\/hour=11\/0-100-105\.jsonl\.gz$/,
                ) as unknown,
                rows: 6,
            },
            {
                container: 'quarantine',
                path: expect.stringMatching(/^sensors\/.*0-100-105\.jsonl\.gz$/) as unknown,
                rows: 4,
            },
            {
                container: 'silver',
                path: expect.stringMatching(
                    /^sensor_readings\/date=2026-11-24\/hour=11\/0-100-105\.parquet$/,
                ) as unknown,
                rows: 2,
            },
        ]);
        expect(s.outputs.map((o) => o.path).sort()).toEqual(
            [...d.lake.paths('bronze'), ...d.lake.paths('quarantine'), ...d.lake.paths('silver')].sort(),
        );
    });

    it('an empty batch writes nothing', async () => {
        const d = sensorIngestFakes();
        const s = await ingestSensorBatch([], d);
        expect(s).toMatchObject({ events: 0, received: 0, accepted: 0, outputs: [] });
        expect(d.lake.paths('bronze')).toEqual([]);
    });

    it("places a reading without a position at the vessel's latest fix, with the offset, and in the zones there", async () => {
        const d = sensorIngestFakes();
        const fixTime = NOW - 65_000;
        d.vessels.seed(vesselState({ time: fixTime, lat: 54.5, lon: 5.0 })); // North Sea: an ECA
        const readingTime = NOW - 5000;
        const events = eventBatch([
            JSON.stringify(
                sensorEvent({
                    sensorId: 'fuel',
                    quantity: 'fuel_sulphur',
                    value: 0.3,
                    unit: '%',
                    time: readingTime,
                }),
            ),
        ]);

        const s = await ingestSensorBatch(events, d);

        const [row] = d.lake.allParquetRows('silver', 'sensor_readings/');
        expect(row).toMatchObject({
            lat: 54.5,
            lon: 5.0,
            position_source: 'vessel-state',
            position_offset_s: (readingTime - fixTime) / 1000,
        });
        expect(String(row?.zones)).toMatch(/\S/);
        // 0.3 % sulphur is under the 0.5 % global cap but over the 0.1 % ECA cap.
        expect(s).toMatchObject({ thresholdAlerts: 1, anomalyAlerts: 0, alerts: 1 });
        const [alert] = d.alerts.all();
        expect(alert).toMatchObject({
            kind: 'sensor-threshold',
            mmsi: MMSI,
            position: { lat: 54.5, lon: 5.0 },
            details: { zone: 'ECA', value: 0.3 },
            ruleVersion: RULES.version,
        });
        expect(d.publisher.ids()).toEqual([alert?.id]);
    });

    it('a reading that names only an IMO raises its alerts in partition 0, with the IMO in the details', async () => {
        const d = sensorIngestFakes();
        const events = eventBatch([
            JSON.stringify(sensorEvent({ mmsi: undefined, imo: 9134270, value: 110 })),
        ]);
        await ingestSensorBatch(events, d);
        expect(d.alerts.all()).toEqual([
            expect.objectContaining({
                kind: 'sensor-threshold',
                severity: 'critical',
                mmsi: 0,
                vessels: [],
                details: expect.objectContaining({ imo: 9134270 }),
            }),
        ]);
    });

    it('raises one anomaly alert for a spike, and none when the batch is delivered again', async () => {
        const d = sensorIngestFakes();
        await ingestSensorBatch(HISTORY, d);

        const once = await ingestSensorBatch(SPIKE, d);
        const twice = await ingestSensorBatch(SPIKE, d);

        expect(once).toMatchObject({ accepted: 2, anomalyAlerts: 1, thresholdAlerts: 0 });
        expect(twice).toMatchObject({ accepted: 2, anomalyAlerts: 0, alerts: 0 });
        const anomalies = d.alerts.all().filter((a) => a.kind === 'sensor-anomaly');
        expect(anomalies).toEqual([
            expect.objectContaining({
                severity: 'critical',
                details: expect.objectContaining({ value: 92, sensorKey: SENSOR_KEY }),
            }),
        ]);
        expect(d.sensors.state(SENSOR_KEY)?.stats.n).toBe(42);
        expect(d.sensors.state(SENSOR_KEY)?.latest.value).toBe(92);
    });

    it('saves and publishes alerts before the state: a failed publish leaves the state unwritten, the retry raises the same ids', async () => {
        const d = sensorIngestFakes();
        await ingestSensorBatch(HISTORY, d);
        const writesBefore = d.sensors.writeCalls;
        d.publisher.failNext = true;

        await expect(ingestSensorBatch(SPIKE, d)).rejects.toBeInstanceOf(DependencyError);
        expect(d.sensors.writeCalls).toBe(writesBefore);
        expect(d.sensors.state(SENSOR_KEY)?.stats.n).toBe(40);
        const saved = d.alerts.all().map((a) => a.id);
        expect(saved).toHaveLength(1);

        const retry = await ingestSensorBatch(SPIKE, d);
        expect(retry.anomalyAlerts).toBe(1);
        expect(d.alerts.all().map((a) => a.id)).toEqual(saved);
        expect(d.publisher.ids()).toEqual(saved);
        expect(d.sensors.state(SENSOR_KEY)?.stats.n).toBe(42);
    });

    it('re-reads and re-applies a sensor whose state changed under it, without raising its alerts twice', async () => {
        const racing = new RacingSensorStore(1);
        const d = sensorIngestFakes({ sensors: racing });
        await ingestSensorBatch(HISTORY, d);
        racing.arm();

        const s = await ingestSensorBatch(SPIKE, d);

        expect(racing.raced).toBe(1);
        expect(s.anomalyAlerts).toBe(1);
        expect(d.alerts.all().filter((a) => a.kind === 'sensor-anomaly')).toHaveLength(1);
        expect(d.sensors.state(SENSOR_KEY)?.stats.n).toBe(42);
    });

    it('gives up with a DependencyError when the state keeps changing', async () => {
        const racing = new RacingSensorStore(Number.POSITIVE_INFINITY);
        const d = sensorIngestFakes({ sensors: racing });
        await ingestSensorBatch(HISTORY, d);
        racing.arm();
        await expect(ingestSensorBatch(SPIKE, d)).rejects.toThrow(
            /sensor state kept changing concurrently for 1 sensor/,
        );
    });

    it('logs one summary line and reports the counts as sensors.* metrics', async () => {
        const d = sensorIngestFakes();
        await ingestSensorBatch(eventBatch([JSON.stringify(sensorEvent()), '{not json']), d);
        expect(d.logger.withMessage('sensors batch processed')).toEqual([
            expect.objectContaining({
                props: expect.objectContaining({ received: 2, accepted: 1, quarantined: 1 }),
            }),
        ]);
        expect(d.metrics.values('sensors.received')).toEqual([2]);
        expect(d.metrics.values('sensors.accepted')).toEqual([1]);
        expect(d.metrics.values('sensors.quarantined')).toEqual([1]);
        expect(d.metrics.values('sensors.alerts')).toEqual([0]);
        expect(
            d.metrics.tracked.find((t) => t.name === 'sensors.quarantinedByReason')?.properties,
        ).toMatchObject({ partitionId: '0' });
    });

    it('raises a threshold alert per breach episode, not per reading: start, escalation, clear; a redelivery raises none', async () => {
        const d = sensorIngestFakes();
        // engine temperature: warning above 95, critical above 105 (one group: the tiers of one limit)
        const values = [80, 96, 97, 98, 99, 108, 107, 97, 80, 81, 99];
        const end = NOW - 60_000;
        const t = (i: number) => end - (values.length - 1 - i) * 10_000;
        // in two batches, the episode open across them
        const first = eventBatch(sensorSeries(values.slice(0, 5), t(4)), { firstSequence: 1 });
        const second = eventBatch(sensorSeries(values.slice(5), end), { firstSequence: 6 });

        const s1 = await ingestSensorBatch(first, d);
        expect(d.sensors.state(SENSOR_KEY)?.breaches).toEqual({
            above: {
                since: t(1),
                rule: 'engine-temp-warning',
                severity: 'warning',
                peak: 'warning',
                lastTime: t(4),
                value: 99,
            },
        });
        const s2 = await ingestSensorBatch(second, d);
        const again = await ingestSensorBatch(second, d);

        const threshold = d.alerts
            .all()
            .filter((a) => a.kind === 'sensor-threshold')
            .sort((a, b) => a.time - b.time);
        expect(threshold.map((a) => [a.severity, a.details.episode, a.time, a.details.since])).toEqual([
            ['warning', 'started', t(1), t(1)],
            ['critical', 'escalated', t(5), t(1)],
            ['info', 'cleared', t(8), t(1)],
            ['warning', 'started', t(10), t(10)],
        ]);
        expect(threshold[0]?.id).toBe(`sensor-threshold:${SENSOR_KEY.replace(/\//g, '_')}:above:${t(1)}`);
        expect(threshold[2]?.details).toMatchObject({
            rule: 'engine-temp-warning',
            peak: 'critical',
            lastBreach: { time: t(7), value: 97 },
            durationS: 70,
            value: 80,
        });
        expect(s1).toMatchObject({ thresholdAlerts: 1, alerts: 1 });
        expect(s2).toMatchObject({ thresholdAlerts: 3, alerts: 3 });
        expect(again).toMatchObject({ accepted: 6, thresholdAlerts: 0, alerts: 0 });
        expect(d.publisher.ids()).toEqual(threshold.map((a) => a.id)); // published in event-time order
        expect(d.sensors.state(SENSOR_KEY)?.breaches).toEqual({
            above: expect.objectContaining({ since: t(10), severity: 'warning' }),
        });
    });

    it('a failed publish leaves the breach unwritten: the retry raises the same episode alert (same id), once', async () => {
        const d = sensorIngestFakes();
        d.publisher.failNext = true;
        const batch = eventBatch(sensorSeries([96, 97, 98], NOW - 60_000), { firstSequence: 1 });

        await expect(ingestSensorBatch(batch, d)).rejects.toBeInstanceOf(DependencyError);
        expect(d.sensors.state(SENSOR_KEY)).toBeUndefined();
        const saved = d.alerts.all().map((a) => a.id);
        expect(saved).toHaveLength(1);

        await ingestSensorBatch(batch, d);
        expect(d.alerts.all().map((a) => a.id)).toEqual(saved);
        expect(d.publisher.ids()).toEqual(saved);
        expect(d.sensors.state(SENSOR_KEY)?.breaches?.above?.since).toBe(NOW - 80_000);
    });

    it('keeps one episode per group: a vessel over the ECA sulphur cap for many readings raises one alert, leaving the ECA clears it', async () => {
        const d = sensorIngestFakes();
        const fuel = { sensorId: 'fuel', quantity: 'fuel_sulphur', unit: '%' };
        const inEca = { lat: 54.5, lon: 5.0 }; // North Sea
        const outside = { lat: 40.0, lon: -40.0 }; // mid-Atlantic
        const reading = (i: number, value: number, position: { lat: number; lon: number }) =>
            JSON.stringify({
                ...sensorEvent({ ...fuel, value, time: NOW - 600_000 + i * 10_000 }),
                position,
            });
        const bodies = [
            ...Array.from({ length: 32 }, (_, i) => reading(i, 0.3, inEca)),
            reading(32, 0.3, outside),
        ];

        const s = await ingestSensorBatch(eventBatch(bodies), d);

        const threshold = d.alerts
            .all()
            .filter((a) => a.kind === 'sensor-threshold')
            .sort((a, b) => a.time - b.time);
        expect(threshold.map((a) => [a.details.episode, a.details.rule, a.details.zone])).toEqual([
            ['started', 'fuel-sulphur-eca-cap', 'ECA'],
            ['cleared', 'fuel-sulphur-eca-cap', undefined],
        ]);
        expect(s.thresholdAlerts).toBe(2);
        expect(d.sensors.state(`mmsi:${MMSI}|fuel|fuel_sulphur`)?.breaches).toBeUndefined();
    });

    it('counts every item of a batch that did not land as skipped', () => {
        const s = skippedSensorSummary(
            eventBatch([
                `${JSON.stringify(sensorEvent())}\n${JSON.stringify(sensorEvent({ value: 81 }))}`,
                '',
                'junk',
            ]),
        );
        expect(s).toMatchObject({
            events: 3,
            received: 4,
            skipped: 4,
            accepted: 0,
            quarantined: 0,
            duplicates: 0,
        });
    });
});

/**
 * A sensor store where another writer changes each state right after it is read, `times` times in all: the
 * conditional write then conflicts (same content, new etag).
 */
class RacingSensorStore extends InMemorySensorStateStore {
    raced = 0;
    #armed = false;

    constructor(private readonly times: number) {
        super();
    }

    arm(): void {
        this.#armed = true;
    }

    override async get(sensorKeys: readonly string[]): Promise<Map<string, StoredSensorState>> {
        const found = await super.get(sensorKeys);
        if (this.#armed && this.raced < this.times) {
            for (const state of found.values()) this.seed(state);
            this.raced++;
        }
        return found;
    }
}
