/**
 * End to end, what `npm start` does for the maintenance model, over a short simulated span: the degradation
 * simulator's backfill (sensor readings and the maintenance log) -> the local hubs -> the ingest functions ->
 * silver -> gold `sensor_hourly` -> the scoring -> gold `equipment_health` -> the HTTP endpoints. The stack starts its
 * own services (startStack), in memory.
 */
import { afterAll, describe, expect, it } from '@jest/globals';

import { runMaintenanceStartup, stackStartupSteps } from '../../../local/maintenanceStartup.js';
import { simulateVessel } from '../../../local/simulator/degradation.js';
import { DegradationSource } from '../../../local/simulator/DegradationSource.js';
import type { SourceEvent } from '../../../local/sources/types.js';
import { type Stack, startStack } from '../../../local/stack.js';

const MMSI = 219_000_123;
/** Seed 12: vessel 0's fuel filter is serviced 12.03 days into the simulation (the only log event of its first 16 days). */
const SEED = 12;
const DAYS = 16;
let stack: Stack | undefined;

afterAll(async () => {
    await stack?.stop({ drainTimeoutMs: 0 });
});

describe('the degradation simulator in the local stack', () => {
    it('backfill -> ingest -> sensor_hourly -> scoring: equipment health and its inputs served over HTTP', async () => {
        // what the simulation holds (the same process the source runs), so the test is not vacuous
        const truth = simulateVessel(0, { seed: SEED, days: DAYS, start: Date.UTC(2026, 0, 1) });
        expect(truth.events.map((e) => [e.equipmentId, e.kind])).toEqual([['FO-FILTER', 'service']]);

        const startedAt = Date.now();
        stack = await startStack({
            inMemory: true,
            httpPort: 0,
            partitions: 2,
            batchWindowMs: 20,
            quietAlertsOlderThanMs: 3_600_000,
        });
        const s = stack;
        const config = s.runtime.config;
        const source = new DegradationSource({
            mmsis: [MMSI],
            seed: SEED,
            backfillDays: DAYS,
            sensorHub: config.sensors.hubName,
            maintenanceHub: config.maintenance.hubName,
        });
        let sensorReadingsPublished = 0; // one reading per JSON line of an event
        await source.start((events: SourceEvent[]) => {
            for (const hub of [config.sensors.hubName, config.maintenance.hubName]) {
                const list = events.filter((e) => e.hub === hub);
                if (hub === config.sensors.hubName)
                    for (const e of list)
                        sensorReadingsPublished += e.body.split('\n').filter((l) => l.trim()).length;
                if (list.length > 0) s.publish(list, hub);
            }
        });
        const lines: string[] = [];
        const summary = await runMaintenanceStartup(
            stackStartupSteps(s, source.backfilled, (l) => lines.push(l)),
        );
        await source.stop();
        await s.host.idle();

        // every reading and log line went through the ingest, all accepted: the backfill's, and the live readings
        // the source goes on sending after it (a few, more when the start-up is slow on a loaded machine)
        const b = summary.backfill;
        expect(b.readings).toBeGreaterThan(DAYS * 24 * 4 * 6 * 0.9);
        expect(sensorReadingsPublished).toBeGreaterThanOrEqual(b.readings);
        expect(s.totals.sensors).toMatchObject({
            received: sensorReadingsPublished,
            accepted: sensorReadingsPublished,
            quarantined: 0,
            skipped: 0,
        });
        expect(b.logEvents).toBe(1);
        expect(s.totals.maintenance).toMatchObject({ received: 1, accepted: 1, skipped: 0 });
        // the days of the backfill (and today) have sensor_hourly: 4 sensors, 24 hours a day
        expect(summary.sensorHourlyDays).toBe(DAYS + 1);
        expect(summary.sensorHourlyRows).toBeGreaterThanOrEqual(4 * 24 * DAYS - 4 * 24 * 4); // less hours while equipment is down
        expect(summary.sensorHourlyRows).toBeLessThanOrEqual(4 * 24 * (DAYS + 1));
        // the alerts the history raised were stored, not printed: only those about the last hour's readings (the
        // backfill reaches the present, so how many depends on the time of day) may print, as live ones do
        const stored: { time: number }[] = [];
        let continuation: string | undefined;
        do {
            const page = (await (
                await fetch(
                    `${s.baseUrl}/alerts?limit=500${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ''}`,
                )
            ).json()) as { items: { time: number }[]; continuation?: string };
            stored.push(...page.items);
            continuation = page.continuation;
        } while (continuation !== undefined);
        expect(stored).toHaveLength(s.totals.alerts);
        const recent = stored.filter((a) => a.time >= startedAt - 3_600_000).length;
        expect(s.alertsNotPrinted()).toBeGreaterThanOrEqual(s.totals.alerts - recent);
        expect(s.alertsNotPrinted()).toBeGreaterThan(0);

        const today = summary.scored.find(
            (d) => d.outcome === 'scored' && d.day === new Date().toISOString().slice(0, 10),
        );
        expect(today).toBeDefined();
        expect(today!.equipment).toBe(3);
        expect(lines.some((l) => l.includes(`scored ${today!.equipment} equipment for ${today!.day}`))).toBe(
            true,
        );
        // the days before today are scored too (the timer's catch-up)
        expect(summary.scored.filter((d) => d.outcome === 'scored').length).toBeGreaterThan(1);

        const fleet = (await (await fetch(`${s.baseUrl}/fleet/maintenance`)).json()) as {
            day: string;
            equipment: number;
            items: { mmsi: number; equipment_id: string; health: number; probability: number }[];
        };
        expect(fleet.day).toBe(today!.day);
        expect(fleet.equipment).toBe(today!.equipment);
        for (const item of fleet.items) {
            expect(item.mmsi).toBe(MMSI);
            expect(item.health).toBeGreaterThanOrEqual(0);
            expect(item.health).toBeLessThanOrEqual(100);
            expect(item.probability).toBeGreaterThanOrEqual(0);
            expect(item.probability).toBeLessThanOrEqual(1);
        }
        const vessel = (await (await fetch(`${s.baseUrl}/vessels/${MMSI}/equipment`)).json()) as {
            items: { equipment_id: string; episode_start: number | null; contributions: unknown[] }[];
        };
        expect(vessel.items.map((i) => i.equipment_id).sort()).toEqual(
            fleet.items.map((i) => i.equipment_id).sort(),
        );
        expect(vessel.items.every((i) => i.contributions.length > 0)).toBe(true);
        // the logged service (through the maintenance ingest and silver) starts the filter's episode
        // (its new baseline has enough running hours whatever the date: the voyage pattern does not depend on it)
        const filter = vessel.items.find((i) => i.equipment_id === 'FO-FILTER');
        expect(filter?.episode_start).toBe(
            b.simulationStart + (truth.events[0]!.time - Date.UTC(2026, 0, 1)),
        );
        // the other two have no log event: no episode start (null, or left out of the JSON)
        expect(
            vessel.items.filter((i) => i.equipment_id !== 'FO-FILTER').map((i) => i.episode_start ?? null),
        ).toEqual(vessel.items.filter((i) => i.equipment_id !== 'FO-FILTER').map(() => null));
    }, 300_000);
});
