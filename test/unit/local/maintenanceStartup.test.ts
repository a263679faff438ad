import { describe, expect, it } from '@jest/globals';

import {
    backfillProgressPrinter,
    cutOffLine,
    type MaintenanceStartupSteps,
    runMaintenanceStartup,
    type ScoredDay,
    stopAwareLogger,
} from '../../../local/maintenanceStartup.js';
import type { BackfillSummary } from '../../../local/simulator/DegradationSource.js';
import { recordLineage } from '../../../shared/app/lineage.js';
import type { Logger } from '../../../shared/app/ports.js';

const BACKFILL: BackfillSummary = {
    hoursDone: 58,
    hours: 58,
    readings: 1392,
    logEvents: 1,
    from: Date.UTC(2026, 11, 1),
    to: Date.UTC(2026, 11, 3, 10),
    simulationStart: Date.UTC(2026, 11, 1),
    continued: false,
    days: ['2026-12-01', '2026-12-02', '2026-12-03'],
    seconds: 1,
};

function fakeSteps(over: Partial<MaintenanceStartupSteps> = {}): {
    steps: MaintenanceStartupSteps;
    calls: string[];
    lines: string[];
} {
    const calls: string[] = [];
    const lines: string[] = [];
    const steps: MaintenanceStartupSteps = {
        backfilled: Promise.resolve(BACKFILL),
        ingested: () => {
            calls.push('ingested');
            return Promise.resolve();
        },
        buildSensorHourly: (day) => {
            calls.push(`build ${day}`);
            return Promise.resolve({ rows: 10 });
        },
        score: (catchUpDays): Promise<ScoredDay[]> => {
            calls.push(`score ${catchUpDays}`);
            const days = catchUpDays === 0 ? ['2026-12-04'] : ['2026-12-01', '2026-12-02', '2026-12-03'];
            return Promise.resolve(
                days.map((day) => ({
                    day,
                    outcome: 'scored',
                    equipment: 3,
                    atRisk: day === '2026-12-04' ? 1 : 0,
                    alertsRaised: 1,
                })),
            );
        },
        today: () => '2026-12-04',
        print: (l) => lines.push(l),
        baseUrl: 'http://127.0.0.1:7071/api',
        ...over,
    };
    return { steps, calls, lines };
}

describe('runMaintenanceStartup', () => {
    it('waits for the ingest, builds every backfilled day and today, then scores today first and the catch-up days after', async () => {
        const { steps, calls, lines } = fakeSteps({ buildConcurrency: 1 });
        const summary = await runMaintenanceStartup(steps);
        expect(calls).toEqual([
            'ingested',
            'build 2026-12-01',
            'build 2026-12-02',
            'build 2026-12-03',
            'build 2026-12-04',
            'score 0',
            'score 3',
        ]);
        expect(summary).toMatchObject({ sensorHourlyDays: 4, sensorHourlyRows: 40 });
        expect(summary.scored.map((s) => s.day)).toEqual([
            '2026-12-04',
            '2026-12-01',
            '2026-12-02',
            '2026-12-03',
        ]);
        expect(lines.at(-1)).toMatch(
            /^maintenance: scored 3 equipment for 2026-12-04, 1 at risk \(1 warning\(s\) raised\) at [\d.]+ s: curl 'http:\/\/127.0.0.1:7071\/api\/fleet\/maintenance\?atRiskOnly=true'/,
        );
    });

    it('says so when today could not be scored, and fails when a step fails', async () => {
        const { steps, lines } = fakeSteps({ score: () => Promise.resolve([]) });
        await runMaintenanceStartup(steps);
        expect(lines.at(-1)).toContain('today was not scored');
        const failing = fakeSteps({ buildSensorHourly: () => Promise.reject(new Error('lake down')) });
        await expect(runMaintenanceStartup(failing.steps)).rejects.toThrow('lake down');
    });

    it('prints backfill progress at most every few seconds, and always the last line', () => {
        const lines: string[] = [];
        let t = 0;
        const print = backfillProgressPrinter(
            (l) => lines.push(l),
            5_000,
            () => t,
        );
        for (let h = 1; h <= 48; h++) {
            t = h * 1_000;
            print({ hoursDone: h, hours: 48, readings: h * 24, logEvents: 0 });
        }
        expect(lines).toHaveLength(10); // t = 5, 10, ... 45 s, and the last
        expect(lines.at(-1)).toBe(
            'maintenance history: 100 % sent (2.0 of 2.0 days, 1,152 sensor readings, 0 maintenance log events)',
        );
    });

    it('holds what a start-up cut off by the stop logs (its lineage record not written), and the stop says it once', async () => {
        const printed: string[] = [];
        const base: Logger = {
            debug: () => undefined,
            info: () => undefined,
            warn: (m) => printed.push(`warning: ${m}`),
            error: (m) => printed.push(`error: ${m}`),
        };
        let stopping = false;
        const log = stopAwareLogger(base, () => stopping);
        const run = {
            job: 'scoreMaintenance',
            runId: '0',
            startedAt: 0,
            endedAt: 1,
            outcome: 'COMPLETE' as const,
            inputs: [],
            outputs: [],
        };
        const lakeDown = { write: () => Promise.reject(new Error('connect ECONNREFUSED')) };
        // before the stop, a warning is news: printed
        await recordLineage(lakeDown, run, log.logger);
        expect(printed).toEqual(['warning: lineage record not written']);
        expect(cutOffLine(false, log.held())).toBeUndefined();
        // from the stop on, the services stop under the start-up: held, not printed
        stopping = true;
        await recordLineage(lakeDown, run, log.logger);
        log.logger.error('could not write equipment_health');
        expect(printed).toHaveLength(1);
        expect(log.held()).toEqual(['lineage record not written', 'could not write equipment_health']);
        expect(cutOffLine(true, log.held())).toBe(
            "maintenance start-up cut off by the stop: 2 warning(s) from it not printed ('lineage record not written', " +
                "'could not write equipment_health'); the buildSensorHourly and scoreMaintenance timers build and score " +
                'what it left, after the next start',
        );
        expect(cutOffLine(true, ['a', 'b', 'a', 'c'])).toMatch(
            /: 4 warning\(s\) from it not printed \('a', 'b', \.\.\.\);/,
        );
        expect(cutOffLine(true, [])).toBe(
            'maintenance start-up cut off by the stop; the buildSensorHourly and scoreMaintenance timers build and score what it left, after the next start',
        );
        expect(cutOffLine(false, ['lineage record not written'])).toMatch(
            /^maintenance start-up ended during the stop: 1 warning\(s\) from it not printed/,
        );
    });
});
