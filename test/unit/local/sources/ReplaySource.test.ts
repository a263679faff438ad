import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from '@jest/globals';

import { createSource } from '../../../../local/sources/index.js';
import { sniffFileFormat } from '../../../../local/sources/records.js';
import { fileProblems, ReplaySource } from '../../../../local/sources/ReplaySource.js';
import type { SourceEvent } from '../../../../local/sources/types.js';
import { AisDecoder } from '../../../../shared/domain/ais/decoder.js';
import { expectWith } from '../../../helpers/expectWith.js';

const TESTDATA = (name: string): string =>
    fileURLToPath(new URL(`../../../../../shared/testdata/ais/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
}

async function replay(
    files: string[],
    options: { rate?: number; chunkSize?: number } = {},
): Promise<{ events: SourceEvent[]; source: ReplaySource; chunks: number }> {
    const source = new ReplaySource(files, options);
    const events: SourceEvent[] = [];
    let chunks = 0;
    await source.start((e) => {
        chunks++;
        events.push(...e);
    });
    await source.done;
    return { events, source, chunks };
}

function decodeMessages(lines: string[]): string[] {
    const d = new AisDecoder();
    const out = [...lines.flatMap((l) => d.push(l)), ...d.flush()];
    return out.flatMap((e) => (e.kind === 'message' ? [JSON.stringify(e.message)] : [])).sort();
}

describe('ReplaySource', () => {
    it('sniffs formats', () => {
        expect(sniffFileFormat('!AIVDM,1,1')).toBe('nmea');
        expect(sniffFileFormat('$GPGGA')).toBe('nmea');
        expect(sniffFileFormat('\\s:x*00\\!AIVDM')).toBe('nmea');
        expect(sniffFileFormat('{"mmsi":1}')).toBe('json');
        expect(sniffFileFormat('[')).toBe('json');
        expect(sniffFileFormat('MMSI,BaseDateTime,LAT')).toBe('csv');
        // the domain's rule (shared/domain/formats/sniff.ts): a line of no known format is no CSV
        expect(sniffFileFormat('Copied byte for byte from public repositories.')).toBe('unknown');
        expect(sniffFileFormat('1,2,3')).toBe('unknown');
    });

    it('reports a file of no known format as unsupported, sending nothing of it', async () => {
        const path = file(
            'notes.txt',
            '# notes\nCopied byte for byte from public repositories.\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n',
        );
        const { events, source } = await replay([path]);
        expect(events).toEqual([]);
        expect(source.stats.formats[path]).toBe('unknown');
        expect(source.stats.unsupported).toEqual([
            { file: path, detail: expect.stringContaining("the first line is 'Copied byte for byte") },
        ]);
    });

    it('a binary file (gzip without the .gz name, NUL bytes) is said to be not text, without echoing its bytes', async () => {
        const gz = file('day.nmea', gzipSync('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n'));
        const bin = file('blob.dat', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0x21, 0x41, 0x0a]));
        const { events, source } = await replay([gz, bin]);
        expect(events).toEqual([]);
        expect(source.stats.unsupported).toEqual([
            {
                file: gz,
                detail: expect.stringMatching(/^not text \(binary data; a gzip file needs a \.gz name/),
            },
            { file: bin, detail: expect.stringMatching(/^not text /) },
        ]);
        expect(source.stats.empty).toEqual([]);
    });

    it('names each readable file that gives no event (empty, comments, a header, other sentences), once', async () => {
        const empty = file('empty.nmea', '');
        const comments = file('comments.nmea', '# a comment\n\n');
        const header = file(
            'header.csv',
            'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\n',
        );
        const gps = file(
            'gps.nmea',
            '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\n$PGRME,15.0,M,45.0,M,25.0,M*1C\n',
        );
        const good = file('good.nmea', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n');
        const { events, source } = await replay([empty, comments, good, header, gps]);
        expect(events).toHaveLength(1);
        expect(source.stats.unsupported).toEqual([]);
        expect(source.stats.empty).toEqual([
            { file: empty, detail: 'the file is empty' },
            {
                file: comments,
                detail: 'no data among its 2 line(s) (only blank lines, comments or a header)',
            },
            { file: header, detail: 'no data among its 1 line(s) (only blank lines, comments or a header)' },
            {
                file: gps,
                detail: 'no AIS sentence among its 2 line(s) (skipped: NON_AIS_SENTENCE=1, PROPRIETARY_SENTENCE=1)',
            },
        ]);
        expect(fileProblems(source.stats)).toEqual([
            `NO DATA IN FILE ${empty}: the file is empty; nothing of it was sent`,
            expect.stringContaining(`NO DATA IN FILE ${comments}: no data among its 2 line(s)`),
            expect.stringContaining(`NO DATA IN FILE ${header}: `),
            expect.stringContaining(`NO DATA IN FILE ${gps}: no AIS sentence`),
        ]);
    });

    it('replays the gpsd sample: one event per message, same messages as decoding the file', async () => {
        const path = TESTDATA('sample.aivdm');
        const lines = readFileSync(path, 'utf8').split('\n');
        const { events, source } = await replay([path]);
        expect(source.stats.lines).toBe(lines.length - (lines.at(-1) === '' ? 1 : 0));
        expect(source.stats.formats[path]).toBe('nmea');
        // every event decodes on its own to at most one message, and together they give what the file gives
        const fromEvents = events.flatMap((e) => e.body.split('\n'));
        expect(decodeMessages(fromEvents)).toEqual(decodeMessages(lines));
        for (const e of events) {
            const msgs = decodeMessages(e.body.split('\n'));
            expectWith(msgs.length, e.body).toBeLessThanOrEqual(1);
            if (msgs.length === 1)
                expect(String((JSON.parse(msgs[0]!) as { mmsi: number }).mmsi)).toBe(e.partitionKey);
            expect(e.properties).toEqual({ format: 'nmea' });
        }
        const multi = events.filter((e) => e.body.includes('\n'));
        expect(multi.length).toBeGreaterThanOrEqual(12);
    });

    it('groups tag-block g: groups and keeps USCG suffixes', async () => {
        const tag = TESTDATA('tagblock.nmea');
        const uscg = TESTDATA('typeexamples.nmea');
        const { events } = await replay([tag, uscg]);
        const grouped = events.filter((e) => e.body.startsWith('\\g:1-2-'));
        expect(grouped.length).toBeGreaterThan(0);
        for (const e of grouped) expect(e.body.split('\n')[1]).toMatch(/^\\g:2-2-/);
        expect(events.some((e) => /\*[0-9A-F]{2},.*r003669946/.test(e.body))).toBe(true);
        const allLines = [
            ...readFileSync(tag, 'utf8').split('\n'),
            ...readFileSync(uscg, 'utf8').split('\n'),
        ];
        expect(decodeMessages(events.flatMap((e) => e.body.split('\n')))).toEqual(decodeMessages(allLines));
    });

    it('JSON lines: one event per line, MMSI key; bad lines passed on', async () => {
        const p = file(
            'a.jsonl',
            [
                '',
                '{"mmsi":244123456,"lat":52.1,"lon":4.3}',
                '# note',
                '{"MMSI":"366000001","x":1}',
                'not json',
                '{"lat":1}',
                '',
            ].join('\n'),
        );
        const arr = file('b.json', ['[', '{"mmsi":1},', '{"mmsi":2}', ']'].join('\n'));
        const { events, source } = await replay([p, arr]);
        expect(events.map((e) => [e.body, e.partitionKey])).toEqual([
            ['{"mmsi":244123456,"lat":52.1,"lon":4.3}', '244123456'],
            ['{"MMSI":"366000001","x":1}', '366000001'],
            ['not json', 'unknown'],
            ['{"lat":1}', 'unknown'],
            ['{"mmsi":1}', '1'],
            ['{"mmsi":2}', '2'],
        ]);
        expect(events[0]!.properties).toEqual({ format: 'json' });
        expect(source.stats.lines).toBe(10); // 6 + 4 (no line after the last newline)
    });

    it('MarineCadastre CSV: header skipped (given as a property), one event per row, gzip', async () => {
        const header =
            'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
        const rows = [
            '367702270,2023-01-01T00:00:00,29.93,-90.06,0.0,360.0,511.0,SEA EAGLE,,WDI6853,31,0,20,8,,,A',
            '"538007788",2023-01-01T00:00:01,29.1,-89.4,11.9,125.2,124.0,ATLANTIC,IMO9581734,V7HY6,80,0,249,44,14.6,80,A',
        ];
        const p = file('ais.csv.gz', gzipSync(`${header}\r\n${rows.join('\r\n')}\r\n`));
        const { events } = await replay([p]);
        expect(events.map((e) => e.body)).toEqual(rows);
        expect(events.map((e) => e.partitionKey)).toEqual(['367702270', '538007788']);
        expect(events[0]!.properties).toEqual({ format: 'csv', csvHeader: header });
    });

    it('emits in chunks and paces to `rate`', async () => {
        const lines = Array.from({ length: 120 }, (_, i) => `{"mmsi":${i + 1}}`);
        const p = file('many.jsonl', lines.join('\n'));
        const fast = await replay([p], { chunkSize: 50 });
        expect(fast.chunks).toBe(3);
        const t0 = Date.now();
        const paced = await replay([p], { rate: 600 });
        const ms = Date.now() - t0;
        expect(paced.events).toHaveLength(120);
        expect(ms).toBeGreaterThanOrEqual(180);
        expect(ms).toBeLessThan(2000);
        expect(paced.chunks).toBe(2); // a chunk is a tenth of a second's worth (60)
    });

    it('waits for a consumer that returns a promise (backpressure)', async () => {
        const p = file('bp.jsonl', Array.from({ length: 10 }, (_, i) => `{"mmsi":${i + 1}}`).join('\n'));
        const source = new ReplaySource([p], { chunkSize: 2 });
        let inFlight = 0;
        let maxInFlight = 0;
        await source.start(async () => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((r) => setTimeout(r, 5));
            inFlight--;
        });
        await source.done;
        expect(maxInFlight).toBe(1);
        expect(source.stats.events).toBe(10);
    });

    it('stop() ends a replay early and resolves done; a missing file rejects done', async () => {
        const p = file('stop.jsonl', Array.from({ length: 1000 }, (_, i) => `{"mmsi":${i + 1}}`).join('\n'));
        const source = new ReplaySource([p], { rate: 100 });
        await source.start(() => undefined);
        await source.stop();
        await expect(source.done).resolves.toBeUndefined();
        expect(source.stats.events).toBeLessThan(1000);

        const missing = createSource({ kind: 'replay', files: [join(dir, 'nope.nmea')] });
        await missing.start(() => undefined);
        await expect(missing.done).rejects.toThrow(/ENOENT/);
    });
});
