/**
 * `maritime replay` as a new user runs it, on files nothing can be used from: a USCG archive (2012) replayed without
 * --max-age-days (every event quarantined as too old), an empty file and a file of $GPRMC lines only. Each says so
 * and the exit code is 1, as `maritime decode` of such files (the replay used to print `[reconciled]` and exit 0).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ensureBuilt, runCli } from '../helpers/builtCli.js';
import { uscgFeed } from '../helpers/feedShapes.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-unusable-'));
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('maritime replay of files nothing can be used from', () => {
    it('an old archive without --max-age-days, an empty file, only $GPRMC lines: each said, exit 1', async () => {
        const uscg = join(dir, 'uscg.nmea');
        writeFileSync(uscg, `${uscgFeed().join('\n')}\n`);
        const empty = join(dir, 'empty.nmea');
        writeFileSync(empty, '');
        const gps = join(dir, 'gps.nmea');
        writeFileSync(gps, '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\n');

        const { code, output } = await runCli([
            'replay',
            '--in-memory',
            '--port',
            '0',
            '--quiet',
            uscg,
            empty,
            gps,
        ]);

        expect(output).toContain(
            'received 4 = accepted 0 + quarantined 4 + duplicates 0 + skipped 0  [reconciled]',
        );
        expect(output).toContain('quarantined by reason: EVENT_TIME_TOO_OLD 4');
        expect(output).toContain(`NO DATA IN FILE ${empty}: the file is empty; nothing of it was sent`);
        expect(output).toContain(
            `NO DATA IN FILE ${gps}: no AIS sentence among its 1 line(s) (skipped: NON_AIS_SENTENCE=1); nothing of it was sent`,
        );
        expect(output).toContain(
            'NOTHING USABLE: all 4 AIS event(s) were quarantined (reasons above), nothing reached silver or the state; for an archive, give --max-age-days N (EVENT_TIME_MAX_AGE_DAYS) to cover its dates',
        );
        expect(code).toBe(1);
    }, 120_000);
});
