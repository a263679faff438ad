/**
 * Acceptance of real feed shapes as a new user meets them, through the built CLI into one data folder: NMEA 4 tag
 * blocks in every field order (test/helpers/feedShapes.ts), a satellite feed, USCG receiver suffixes, `$PGHP`
 * headers with a `$GPRMC`, MarineCadastre rows.
 * - `replay --keep-running` prints the reconciliation when the files are in (it used to wait for Ctrl-C);
 * - the same files replayed again into the same folder: every accepted event is a duplicate, exit 0;
 * - `rebuild` with its output in a pipe prints plain progress lines, not carriage returns;
 * - a file of `null` lines is JSON (EMPTY_BODY, as the ingest judges a null body), in decode and in replay.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { BIN, ensureBuilt, isAlive, ROOT, runCli, waitFor } from '../helpers/builtCli.js';
import {
    dmaFeed,
    marineCadastreBadPositions,
    marineCadastreCsv,
    satelliteFeed,
    tagOrderFeed,
    uscgFeed,
} from '../helpers/feedShapes.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-feeds-'));
const dataDir = join(dir, 'data');
const write = (name: string, lines: string[]): string => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
};
let files: string[];
const started: ChildProcess[] = [];

beforeAll(() => {
    ensureBuilt();
    files = [
        write('tags.nmea', tagOrderFeed()), // 10 messages
        write('sat.nmea', satelliteFeed()), // 5
        write('uscg.nmea', uscgFeed()), // 4, of which 1 INVALID_COORDINATES and 1 POSITION_UNAVAILABLE
        write('dma.nmea', dmaFeed()), // 3, and a $GPRMC skipped
        write('mc.csv', marineCadastreCsv()), // 2 rows
        write('mc-bad.csv', marineCadastreBadPositions()), // 2 rows: INVALID_COORDINATES, POSITION_UNAVAILABLE
    ];
}, 180_000);
afterAll(() => {
    for (const c of started) if (c.pid !== undefined && isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
});

// The archives are from 2008 to 2025: a maximum age that covers them.
const STACK = ['--data-dir', dataDir, '--port', '0', '--quiet', '--max-age-days', '10000'];
const DAY = new Date().toISOString().slice(0, 10);

describe('real feed shapes through the built CLI', () => {
    it('replay --keep-running prints the reconciliation when its files are done, keeps serving, Ctrl-C stops', async () => {
        const child = spawn(process.execPath, [BIN, 'replay', ...files, ...STACK, '--keep-running'], {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        started.push(child);
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

        expect(
            await waitFor(() => output.includes('Ctrl-C stops\n', output.indexOf('replay done')), 90_000),
        ).toBe(true);
        const done = output.slice(output.indexOf('replay done'));
        expect(done).toContain(
            'received 26 = accepted 22 + quarantined 4 + duplicates 0 + skipped 0  [reconciled]',
        );
        expect(done).toContain('quarantined by reason: INVALID_COORDINATES 2, POSITION_UNAVAILABLE 2');
        expect(done).toContain('lines skipped (not AIS data, not sent): NON_AIS_SENTENCE 1');
        const api = /still serving HTTP on (\S+) /.exec(done)![1]!;
        // the receiver's time (tag block c:, g: last in its tag block) is the vessel's last seen
        const vessel = (await (await fetch(`${api}/vessels/244000001`)).json()) as {
            lastSeen: number;
            static?: { name?: string };
        };
        expect(vessel.lastSeen).toBe(Date.UTC(2025, 11, 1, 0, 1, 10));
        expect(vessel.static?.name).toBe('TAG ORDER 1');
        expect(output).not.toContain('stopping');

        process.kill(child.pid!, 'SIGINT');
        expect(await exited).toBe(0);
        expect(output.slice(output.indexOf('stopping'))).toContain(
            'received 26 = accepted 22 + quarantined 4 + duplicates 0 + skipped 0  [reconciled]',
        );
    }, 120_000);

    it('the same files replayed into the same data folder again: duplicates, nothing new, exit 0', async () => {
        const { code, output } = await runCli(['replay', ...files, ...STACK]);
        expect(output).toContain(
            'received 26 = accepted 0 + quarantined 4 + duplicates 22 + skipped 0  [reconciled]',
        );
        expect(code).toBe(0);
    }, 120_000);

    it('rebuild with its output in a pipe: plain progress lines, no carriage returns; counts reconcile', async () => {
        const { code, output } = await runCli([
            'rebuild',
            '--from',
            DAY,
            '--data-dir',
            dataDir,
            '--max-age-days',
            '10000',
        ]);
        expect(output).not.toContain('\r');
        const lines = [...output.matchAll(/^bronze batches: (\d+) \/ (\d+) batches$/gm)];
        expect(lines.length).toBeGreaterThan(0);
        const last = lines[lines.length - 1]!;
        expect(last[1]).toBe(last[2]); // the last progress line says all of them
        expect(output).toMatch(/^bronze re-driven: \d+ batch\(es\), 52 event\(s\)$/m);
        expect(output).toContain(
            'ais: received 52 = accepted 22 + quarantined 8 + duplicates 22 + skipped 0',
        );
        expect(code).toBe(0);
    }, 120_000);

    it('a file of null lines is JSON: EMPTY_BODY in decode and in replay, exit 1 (nothing usable)', async () => {
        const nulls = write('nulls.jsonl', ['null', 'null']);
        const decoded = spawnSync(process.execPath, [BIN, 'decode', nulls, '--errors'], {
            cwd: ROOT,
            encoding: 'utf8',
        });
        expect(decoded.stderr).toContain('format=json events=2 records=0 rejected=2 EMPTY_BODY=2');
        expect(decoded.stderr).toContain('"reason":"EMPTY_BODY"');
        expect(decoded.status).toBe(1);

        const { code, output } = await runCli(['replay', nulls, '--in-memory', '--port', '0', '--quiet']);
        expect(output).toContain(
            'received 2 = accepted 0 + quarantined 2 + duplicates 0 + skipped 0  [reconciled]',
        );
        expect(output).toContain('quarantined by reason: EMPTY_BODY 2');
        expect(code).toBe(1);
    }, 120_000);
});
