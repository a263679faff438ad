/** `maritime replay` of a maintenance log: the file is recognised by its first line and sent to the maintenance hub. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { sniffFileFormat } from '../../../../local/sources/records.js';
import { ReplaySource } from '../../../../local/sources/ReplaySource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-maint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
}

async function replay(
    files: string[],
    maintenanceHub?: string,
): Promise<{ events: SourceEvent[]; source: ReplaySource }> {
    const source = new ReplaySource(files, maintenanceHub ? { maintenanceHub } : {});
    const events: SourceEvent[] = [];
    await source.start((e) => {
        events.push(...e);
    });
    await source.done;
    return { events, source };
}

describe('sniffFileFormat (replay files)', () => {
    it.each([
        ['mmsi,equipment_id,time,kind,note', 'maintenance'],
        [' MMSI , Equipment_ID ,time,kind', 'maintenance'],
        ['{"mmsi":1,"equipmentId":"ME1-TC","time":"2026-12-01T00:00:00Z","kind":"failure"}', 'maintenance'],
        ['{"mmsi":1,"sensorId":"ME1-TC","value":3}', 'json'],
        ['{"equipmentId":"x"', 'json'],
        ['MMSI,BaseDateTime,LAT,LON', 'csv'],
        ['!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24', 'nmea'],
    ])('%s -> %s', (line, format) => {
        expect(sniffFileFormat(line)).toBe(format);
    });
});

describe('ReplaySource with a maintenance log', () => {
    it('sends each JSON line and CSV row to the maintenance hub, keyed by MMSI, skipping the header and comments', async () => {
        const json = file(
            'log.jsonl',
            '{"mmsi":366764000,"equipmentId":"ME1-TC","time":"2026-12-01T10:15:00Z","kind":"failure"}\n' +
                '# a comment\n' +
                '{"mmsi":"bad","equipmentId":"ME1-TC","time":"2026-12-01T10:15:00Z","kind":"failure"}\n' +
                '{not json\n',
        );
        const csv = file(
            'log.csv',
            'mmsi,equipment_id,time,kind,note\n244123456,FO-FILTER,2026-12-01T10:40:00Z,service,"changed, cleaned"\n\n',
        );

        const { events, source } = await replay([json, csv], 'maint-hub');

        expect(events.map((e) => [e.hub, e.partitionKey])).toEqual([
            ['maint-hub', '366764000'],
            ['maint-hub', 'unknown'],
            ['maint-hub', 'unknown'],
            ['maint-hub', '244123456'],
        ]);
        expect(events[3]?.body).toBe('244123456,FO-FILTER,2026-12-01T10:40:00Z,service,"changed, cleaned"');
        expect(source.stats.formats).toEqual({ [json]: 'maintenance', [csv]: 'maintenance' });
        expect(source.stats.unsupported).toEqual([]);
    });

    it('defaults to the maintenance-events hub and leaves AIS files on the AIS hub', async () => {
        const log = file(
            'd.jsonl',
            '{"mmsi":1,"equipmentId":"A","time":"2026-12-01T00:00:00Z","kind":"repair"}\n',
        );
        const ais = file('a.jsonl', '{"mmsi":366764000,"lat":1,"lon":2}\n');
        const { events } = await replay([log, ais]);
        expect(events.map((e) => e.hub)).toEqual(['maintenance-events', undefined]);
    });
});
