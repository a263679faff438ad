/**
 * The `scoreMaintenance` timer at the host's stop (`deps.signal`, as for the gold builds and the compaction): a fire
 * after the stop claims no day; a scoring stopped after it read its inputs writes nothing, is not failed, hands its
 * lease back, and the next fire scores the day. In memory (the Azurite run is test/integration/maintenance).
 */
import { describe, expect, it } from '@jest/globals';

import modelFile from '../../../../config/maintenance-model.json' with { type: 'json' };
import { InMemoryAlertStore } from '../../../../shared/adapters/memory/InMemoryAlertStore.js';
import { InMemoryGoldStore } from '../../../../shared/adapters/memory/InMemoryGoldStore.js';
import { InMemoryJobRunStore } from '../../../../shared/adapters/memory/InMemoryJobRunStore.js';
import { InMemoryLake } from '../../../../shared/adapters/memory/InMemoryLake.js';
import { RecordingAlertPublisher } from '../../../../shared/adapters/memory/RecordingAlertPublisher.js';
import { goldPartPath } from '../../../../shared/app/gold/goldOutput.js';
import {
    EQUIPMENT_HEALTH_TABLE,
    MAINTENANCE_JOB,
    type MaintenanceInputSource,
    type MaintenanceScoreDeps,
    runMaintenanceTimer,
} from '../../../../shared/app/maintenance/scoreMaintenance.js';
import { checkModel } from '../../../../shared/domain/maintenance/model.js';
import { RecordingLineageSink } from '../../../fakes/RecordingLineageSink.js';

const DAY = '2026-12-01';
const now = Date.UTC(2026, 11, 1, 16);
const silent = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
};
const settings = { historyDays: 3, catchUpDays: 0, maxWindows: 3, leaseMs: 600_000, alertProbability: 0.5 };

function makeDeps(inputs: MaintenanceInputSource, signal?: AbortSignal) {
    const lake = new InMemoryLake(() => now);
    const sink = new RecordingLineageSink();
    const deps: MaintenanceScoreDeps = {
        inputs,
        lake,
        gold: new InMemoryGoldStore(),
        runs: new InMemoryJobRunStore(),
        alerts: new InMemoryAlertStore(),
        publisher: new RecordingAlertPublisher(),
        model: checkModel(modelFile),
        clock: { now: () => now },
        logger: silent,
        metrics: { track: () => undefined },
        lineage: sink,
        ...(signal === undefined ? {} : { signal }),
    };
    return { deps, lake, sink };
}

describe('runMaintenanceTimer at the host stop', () => {
    it('claims no day when the stop came before the fire', async () => {
        const stop = new AbortController();
        stop.abort(new Error('host stopping'));
        let reads = 0;
        const { deps, lake } = makeDeps(
            {
                watermark: () => Promise.resolve(1),
                hourly: () => (reads++, Promise.resolve([])),
                events: () => Promise.resolve([]),
            },
            stop.signal,
        );
        expect(await runMaintenanceTimer(deps, settings, 'fire-0')).toEqual([]);
        expect(reads).toBe(0);
        expect(await deps.runs.get(MAINTENANCE_JOB, DAY)).toBeUndefined();
        expect(lake.paths('gold')).toEqual([]);
    });

    it('stops a scoring after its read: nothing written, not failed, the lease handed back; the next fire scores the day', async () => {
        const stop = new AbortController();
        const inputs: MaintenanceInputSource = {
            watermark: () => Promise.resolve(1),
            hourly: () => (stop.abort(new Error('host stopping')), Promise.resolve([])),
            events: () => Promise.resolve([]),
        };
        const { deps, lake, sink } = makeDeps(inputs, stop.signal);

        expect(await runMaintenanceTimer(deps, settings, 'fire-1')).toEqual([
            { day: DAY, outcome: 'stopped', equipment: 0, atRisk: 0, alertsRaised: 0 },
        ]);
        expect(lake.paths('gold')).toEqual([]);
        expect(await deps.runs.get(MAINTENANCE_JOB, DAY)).toMatchObject({
            status: 'running',
            stoppedAt: now,
            leaseUntil: now,
        });
        expect(sink.of(MAINTENANCE_JOB)).toEqual([]); // not failed: no FAIL record

        const { signal: _stopped, ...running } = deps;
        const [next] = await runMaintenanceTimer(
            { ...running, inputs: { ...inputs, hourly: () => Promise.resolve([]) } },
            settings,
            'fire-2',
        );
        expect(next).toMatchObject({ day: DAY, outcome: 'scored' });
        expect(await deps.runs.get(MAINTENANCE_JOB, DAY)).toMatchObject({ status: 'succeeded' });
        expect(lake.paths('gold')).toEqual([
            goldPartPath(EQUIPMENT_HEALTH_TABLE, DAY, { index: 0, count: 1 }),
        ]);
    });
});
