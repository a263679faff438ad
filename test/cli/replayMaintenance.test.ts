/**
 * `maritime replay` of a maintenance log, end to end on the built CLI and the embedded stack (Azurite, the
 * Cosmos-protocol server, the local trigger host): the lines reach `ingestMaintenanceEvents` through the
 * maintenance hub and the printed reconciliation adds up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ensureBuilt, runCli } from '../helpers/builtCli.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-maint-cli-'));
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('maritime replay of a maintenance log', () => {
    it('ingests JSON lines and a CSV log through the maintenance hub and reconciles', async () => {
        const json = join(dir, 'log.jsonl');
        writeFileSync(
            json,
            [
                '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-12-01T10:15:00Z","kind":"failure"}',
                '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-12-02T10:15:00Z","kind":"repair"}',
                '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-12-02T10:15:00Z","kind":"oops"}',
            ].join('\n'),
        );
        const csv = join(dir, 'log.csv');
        writeFileSync(
            csv,
            'mmsi,equipment_id,time,kind,note\n244123456,FO-FILTER,2026-12-01T10:40:00Z,service,changed\n',
        );

        const { code, output } = await runCli(['replay', '--in-memory', '--port', '0', '--quiet', json, csv]);

        expect(output).toContain(
            'maintenance log: received 4 = accepted 3 + quarantined 1 + duplicates 0 + skipped 0  [reconciled]',
        );
        expect(output).toContain('maintenance log quarantined by reason: MAINT_UNKNOWN_KIND 1');
        expect(code).toBe(0);
    }, 120_000);
});
