/**
 * The staged compliance scenarios of `npm start`, end to end without I/O: the staging's events (NMEA with back-dated
 * tag blocks, sensor JSON) through the real ingest use cases into an in-memory lake (real silver Parquet), then one
 * fire of the checkCompliance timer: each staged vessel must come out as its finding, and nothing else.
 */
import { describe, expect, it } from '@jest/globals';

import configZones from '../../../../config/speed-zones.json' with { type: 'json' };
import {
    ComplianceStaging,
    insidePoint,
    positionAt,
    stagedVessels,
} from '../../../../local/simulator/staging.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import { GoldParquetCiiDays } from '../../../../shared/adapters/GoldParquetCiiDays.js';
import { InMemoryAlertStore } from '../../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryFindingStore } from '../../../../shared/adapters/memory/InMemoryFindingStore.js';
import { InMemoryGoldStore } from '../../../../shared/adapters/memory/InMemoryGoldStore.js';
import { InMemoryJobRunStore } from '../../../../shared/adapters/memory/InMemoryJobRunStore.js';
import { InMemoryLake } from '../../../../shared/adapters/memory/InMemoryLake.js';
import { InMemoryVesselStore } from '../../../../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { SilverComplianceInputs } from '../../../../shared/adapters/SilverComplianceInputs.js';
import { runComplianceTimer } from '../../../../shared/app/compliance/runComplianceTimer.js';
import { ingestAisBatch } from '../../../../shared/app/ingestAisBatch.js';
import { ingestSensorBatch } from '../../../../shared/app/ingestSensorBatch.js';
import type { ReceivedEvent } from '../../../../shared/app/ports.js';
import {
    DEFAULT_DARK_GAP_SETTINGS,
    DEFAULT_IDENTITY_SETTINGS,
    DEFAULT_SPEED_SETTINGS,
    DEFAULT_SULPHUR_SETTINGS,
    parseSpeedZones,
} from '../../../../shared/domain/compliance/index.js';
import { createZoneIndex } from '../../../../shared/domain/zones/index.js';
import { aisIngestFakes, sensorIngestFakes } from '../../../helpers/ingestFakes.js';

const H = 3_600_000;
const silent = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};
const metrics = { track: () => undefined };
const zones = createZoneIndex();
const speedZones = parseSpeedZones(configZones);
const PORTS = [
    { locode: 'NLRTM', name: 'Rotterdam', lat: 51.95, lon: 4.05, radiusNm: 3 },
    { locode: 'USNYC', name: 'New York', lat: 40.68, lon: -74.04, radiusNm: 3 },
];

function received(events: SourceEvent[], now: number): ReceivedEvent[] {
    return events.map((e, i) => ({
        body: e.body,
        meta: { partitionId: '0', sequenceNumber: i + 1, enqueuedTime: now, properties: e.properties },
    }));
}

/** Ingests the staging's history at `now` and runs one timer fire; returns the findings. */
async function stageAndCheck(now: number) {
    const clock = { now: () => now, setInterval: () => 0, clearInterval: () => undefined };
    const staging = new ComplianceStaging({ speedZones, clock });
    const lake = new InMemoryLake(() => now);
    const vessels = new InMemoryVesselStore();
    const alerts = new InMemoryAlertStore();
    const publisher = new RecordingAlertPublisher();
    const { ais, sensors } = staging.history();
    const common = { lake, vessels, zones, alerts, publisher, clock, logger: silent, metrics };
    const aisSummary = await ingestAisBatch(received(ais, now), aisIngestFakes(common));
    expect(aisSummary.accepted).toBe(ais.length);
    const sensorSummary = await ingestSensorBatch(received(sensors, now), sensorIngestFakes(common));
    expect(sensorSummary.accepted).toBe(sensors.length);
    const findings = new InMemoryFindingStore();
    await runComplianceTimer(
        {
            inputs: new SilverComplianceInputs(lake),
            findings,
            alerts,
            publisher,
            lake,
            zones,
            speedZones,
            ports: PORTS,
            clock,
            logger: silent,
            metrics,
            runs: new InMemoryJobRunStore(),
            gold: new InMemoryGoldStore(),
            fleet: new GoldParquetCiiDays(lake),
        },
        {
            lookbackHours: 48,
            darkGap: DEFAULT_DARK_GAP_SETTINGS,
            speed: DEFAULT_SPEED_SETTINGS,
            sulphur: DEFAULT_SULPHUR_SETTINGS,
            identity: DEFAULT_IDENTITY_SETTINGS,
            horizonDays: 2,
            maxWindows: 3,
            graceMs: 2 * H,
            leaseMs: 600_000,
        },
        'test',
        'fire',
    );
    return { staging, findings: findings.all(), publisher };
}

describe('compliance staging of npm start', () => {
    it('in season (3 December, 06:00): a dark gap over midnight, a speeder and a sulphur burner, each found by its check', async () => {
        const now = Date.UTC(2026, 11, 3, 6); // the gap runs from 14:00 to 05:00: it starts the day before
        const { staging, findings, publisher } = await stageAndCheck(now);
        expect(staging.notes).toEqual([]);
        const mmsi = (kind: string): number => staging.vessels.find((v) => v.kind === kind)!.mmsi;
        const open = findings.filter((f) => f.status === 'open');
        expect(open.map((f) => `${f.mmsi} ${f.check} ${f.severity}`).sort()).toEqual(
            [
                `${mmsi('dark-gap')} ais-dark-gap critical`,
                `${mmsi('high-sulphur')} sulphur-eca critical`,
                `${mmsi('speeder')} speed-zone critical`,
            ].sort(),
        );
        const gap = open.find((f) => f.check === 'ais-dark-gap')!;
        expect(gap.evidence).toMatchObject({ gapHours: 13 });
        expect(gap.firstSeen).toBe(now - 14 * H);
        const speed = open.find((f) => f.check === 'speed-zone')!;
        expect(speed.evidence).toMatchObject({
            zone: { id: 'narw-sma-southeast' },
            maxSpeedKn: 15,
            limitKn: 10,
        });
        expect(publisher.published.filter((a) => a.kind === 'compliance-finding')).toHaveLength(3);
    });

    it('out of season (1 July): no speeder, and it says so; the other two still found', async () => {
        const { staging, findings } = await stageAndCheck(Date.UTC(2026, 6, 1, 12));
        expect(staging.notes[0]).toContain('no seasonal speed zone');
        expect(staging.vessels.map((v) => v.kind).sort()).toEqual(['dark-gap', 'high-sulphur']);
        expect(findings.map((f) => f.check).sort()).toEqual(['ais-dark-gap', 'sulphur-eca']);
    });

    it('puts the speeder inside its zone and the burner inside the North Sea ECA', () => {
        const now = Date.UTC(2026, 0, 10);
        const { vessels } = stagedVessels(now, speedZones);
        for (const z of speedZones.zones)
            expect(z.contains(insidePoint(z)!.lat, insidePoint(z)!.lon)).toBe(true);
        const speeder = vessels.find((v) => v.kind === 'speeder')!;
        const zone = speedZones.zones.find(
            (z) => z.inEffect(now) && z.contains(speeder.at.lat, speeder.at.lon),
        );
        expect(zone).toBeDefined();
        for (const t of speeder.history)
            expect(zone!.contains(positionAt(speeder, t).lat, positionAt(speeder, t).lon)).toBe(true);
        const burner = vessels.find((v) => v.kind === 'high-sulphur')!;
        expect(zones.zonesAt(burner.at.lat, burner.at.lon, now, { pollutant: 'sox' }).length).toBeGreaterThan(
            0,
        );
    });

    it('keeps reporting live: a fix per vessel each round, static data and sulphur readings now and then', () => {
        let now = Date.UTC(2026, 11, 3, 6);
        const staging = new ComplianceStaging({
            speedZones,
            clock: { now: () => now, setInterval: () => 0, clearInterval: () => undefined },
            liveEveryMs: 60_000,
        });
        const first = staging.live(now);
        expect(first.ais).toHaveLength(6); // static + position for 3 vessels
        expect(first.sensors).toHaveLength(1);
        now += 60_000;
        const second = staging.live(now);
        expect(second.ais).toHaveLength(3);
        expect(second.sensors).toHaveLength(0);
        expect(second.ais.every((e) => e.body.includes(`c:${Math.floor(now / 1000)}`))).toBe(true);
    });
});
