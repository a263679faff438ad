/**
 * Sensor ingest benchmark: the use case `ingestSensorBatch` without I/O (in-memory stores, a lake that only
 * counts rows), on simulated readings from `SensorSimulatorSource` (faults included). Prints events/s; never
 * fails on speed.
 *
 *   npm run build && node dist/bench/sensors.js [--events 100000] [--batch 256]
 */

import rulesFile from '../config/sensor-rules.json' with { type: 'json' };
import { SensorSimulatorSource } from '../local/simulator/SensorSimulatorSource.js';
import type { SourceEvent } from '../local/sources/types.js';
import { InMemoryAlertStore } from '../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemorySensorStateStore } from '../shared/adapters/memory/InMemorySensorStateStore.js';
import { InMemoryVesselStore } from '../shared/adapters/memory/InMemoryVesselStore.js';
import { RecordingAlertPublisher } from '../shared/adapters/memory/RecordingAlertPublisher.js';
import { ingestSensorBatch, type SensorIngestDeps } from '../shared/app/ingestSensorBatch.js';
import type { LakeWriter, ReceivedEvent } from '../shared/app/ports.js';
import { loadRules } from '../shared/domain/sensors/index.js';
import { createZoneIndex } from '../shared/domain/zones/index.js';
import { benchArgs } from './lib/args.js';

const { values: args } = benchArgs({
    options: { events: { type: 'string', default: '100000' }, batch: { type: 'string', default: '256' } },
});
const EVENTS = Number(args.events);
const BATCH = Number(args.batch);

const countingLake: LakeWriter = {
    writeJsonLinesGz: () => Promise.resolve(),
    writeParquet: () => Promise.resolve(),
};

function generate(): SourceEvent[] {
    // A hand-advanced clock: each tick emits the readings due for 250 simulated ms (faults included).
    let now = Date.now() - 3_600_000;
    const clock = { now: () => now, setInterval: () => 0, clearInterval: () => undefined };
    const source = new SensorSimulatorSource({ rate: 1000, seed: 7, clock });
    void source.start(() => undefined);
    const events: SourceEvent[] = [];
    while (events.length < EVENTS) {
        now += 250;
        events.push(...source.tick());
    }
    void source.stop();
    return events.slice(0, EVENTS);
}

function deps(): SensorIngestDeps {
    return {
        lake: countingLake,
        sensors: new InMemorySensorStateStore(),
        vessels: new InMemoryVesselStore({ copyDocuments: false }),
        alerts: new InMemoryAlertStore(),
        publisher: new RecordingAlertPublisher(),
        zones: createZoneIndex(),
        rules: loadRules(rulesFile),
        clock: { now: () => Date.now() },
        logger: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
        },
        metrics: { track: () => undefined },
        settings: {
            futureToleranceMs: 300_000,
            maxAgeMs: 30 * 86_400_000,
            statsHalfLife: 50,
            zThreshold: 3,
            minCount: 30,
        },
    };
}

async function main(): Promise<void> {
    const events = generate();
    const batches: ReceivedEvent[][] = [];
    for (let i = 0; i < events.length; i += BATCH) {
        batches.push(
            events.slice(i, i + BATCH).map((e, j) => ({
                body: e.body,
                meta: { partitionId: '0', sequenceNumber: i + j, enqueuedTime: Date.now() - 1000 },
            })),
        );
    }
    let best = Number.POSITIVE_INFINITY;
    let totals = { received: 0, accepted: 0, quarantined: 0, duplicates: 0, alerts: 0 };
    for (let run = 0; run < 3; run++) {
        const d = deps();
        const t = { received: 0, accepted: 0, quarantined: 0, duplicates: 0, alerts: 0 };
        const t0 = process.hrtime.bigint();
        for (const b of batches) {
            const s = await ingestSensorBatch(b, d);
            t.received += s.received;
            t.accepted += s.accepted;
            t.quarantined += s.quarantined;
            t.duplicates += s.duplicates;
            t.alerts += s.alerts;
        }
        best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
        totals = t;
    }
    const rate = events.length / best;
    console.log(
        `node ${process.version}; ${events.length.toLocaleString()} simulated sensor readings, batches of ${BATCH}`,
    );
    console.log(
        `sensor ingest without I/O: ${Math.round(rate).toLocaleString('en-US')} readings/s (best of 3)`,
    );
    console.log(
        `received ${totals.received} = accepted ${totals.accepted} + quarantined ${totals.quarantined} + duplicates ${totals.duplicates}; alerts ${totals.alerts}`,
    );
}

void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
