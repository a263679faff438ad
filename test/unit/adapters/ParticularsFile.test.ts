import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { ParticularsFile } from '../../../shared/adapters/ParticularsFile.js';
import { lookupParticulars } from '../../../shared/domain/emissions/index.js';

const CSV = 'imo,mmsi,ship_type,dwt\n9321483,636012345,container,110000\n,538001234,bulk_carrier,oops\n';

describe('ParticularsFile', () => {
    it('no path: no table, every vessel estimated', async () => {
        expect(await new ParticularsFile(undefined).load()).toEqual({
            table: undefined,
            errors: [],
            path: undefined,
        });
        expect((await new ParticularsFile('  ').load()).table).toBeUndefined();
    });

    it('reads a local file, reports bad cells, caches for the TTL', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'particulars-'));
        const file = join(dir, 'p.csv');
        writeFileSync(file, CSV);
        let now = 0;
        const pf = new ParticularsFile(file, undefined, 1000, () => now);
        const first = await pf.load();
        expect(lookupParticulars(first.table, { imo: 9321483 })?.dwt).toBe(110000);
        expect(first.errors).toEqual([
            { line: 3, field: 'dwt', message: "dwt must be a positive number, got 'oops'" },
        ]);
        writeFileSync(file, 'imo,dwt\n9321483,120000\n');
        expect(await pf.load()).toBe(first);
        now = 1000;
        expect(lookupParticulars((await pf.load()).table, { imo: 9321483 })?.dwt).toBe(120000);
    });

    it('reads lake:<container>/<path> through the lake reader', async () => {
        const seen: string[] = [];
        const lake = {
            readBytes: (container: string, path: string) => {
                seen.push(`${container}/${path}`);
                return Promise.resolve(new TextEncoder().encode(CSV));
            },
        };
        const r = await new ParticularsFile('lake:gold/reference/particulars.csv', lake).load();
        expect(seen).toEqual(['gold/reference/particulars.csv']);
        expect(lookupParticulars(r.table, { mmsi: 636012345 })?.shipType).toBe('container');
    });

    it('a configured file that cannot be read is an error naming the setting, and is retried', async () => {
        const pf = new ParticularsFile('/nonexistent/particulars.csv');
        await expect(pf.load()).rejects.toThrow(
            /^VESSEL_PARTICULARS_PATH: cannot read \/nonexistent\/particulars\.csv/,
        );
        await expect(
            new ParticularsFile('lake:nowhere/x.csv', {
                readBytes: () => Promise.reject(new Error('x')),
            }).load(),
        ).rejects.toThrow(/expected lake:/);
    });
});
