/**
 * Runs the built CLI (`node bin/maritime.js decode ...`). dist/ is rebuilt first when it is missing or
 * older than the sources it depends on (CI's `npm install` has already built it).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
    closeSync,
    existsSync,
    mkdtempSync,
    openSync,
    readdirSync,
    readFileSync,
    statSync,
    writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { expectWith } from '../helpers/expectWith.js';
import {
    DMA_TIME,
    dmaFeed,
    foreignCsv,
    marineCadastreCsv,
    SAT_TIME,
    satelliteFeed,
    USCG_TIME,
    uscgFeed,
} from '../helpers/feedShapes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');
const DATA = fileURLToPath(new URL('../../../shared/testdata/ais/', import.meta.url));
const SAMPLE = join(DATA, 'sample.aivdm');

function newestMtime(dir: string): number {
    let t = 0;
    if (!existsSync(dir)) return t;
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (e.isFile() && e.name.endsWith('.ts'))
            t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
    return t;
}

beforeAll(() => {
    const built = join(ROOT, 'dist/cli/maritime.js');
    const sources = Math.max(...['cli', 'shared/domain'].map((d) => newestMtime(join(ROOT, d))));
    if (!existsSync(built) || statSync(built).mtimeMs < sources) {
        // Emits even when unrelated files have type errors (noEmitOnError is off); the test then needs the output.
        spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    }
    expectWith(existsSync(built), 'dist/cli/maritime.js missing: run npm run build').toBe(true);
}, 120_000);

function cli(args: string[], input?: string) {
    const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        input: input ?? '',
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
    });
    const lines = r.stdout.split('\n').filter((l) => l.length > 0);
    return {
        code: r.status,
        stdout: r.stdout,
        stderr: r.stderr,
        lines,
        get json() {
            return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        },
    };
}

describe('maritime decode (NMEA)', () => {
    it('decodes gpsd sample.aivdm: 102 messages (gpsd prints 97: it merges 2 type 24 A+B pairs and drops 5 lone parts)', () => {
        const r = cli(['decode', SAMPLE]);
        expect(r.code).toBe(0);
        expect(r.json).toHaveLength(102);
        expect(
            r.json.every(
                (m) => m.class === 'AIS' && typeof m.type === 'number' && typeof m.mmsi === 'number',
            ),
        ).toBe(true);
        const t24 = r.json.filter((m) => m.type === 24);
        expect(t24).toHaveLength(7);
        expect(t24.filter((m) => m.partno === 0)).toHaveLength(3);
        expect(r.json.length - t24.length).toBe(97 - 2);
        expect(r.json[0]).toMatchObject({ type: 1, mmsi: 371798000, speed: 12.3, course: 224, heading: 215 });
        expect(r.stderr).toMatch(
            /^maritime decode: format=nmea lines=1121 sentences=118 messages=102 fragments_pending=0 checksum_failures=0 unsupported=0 malformed=1 skipped=(\d+) skipped_by_reason=BLANK_OR_COMMENT:\1\n$/,
        );
    });

    it('reads stdin, prints tag block fields, and --errors lists rejected lines', () => {
        const input =
            readFileSync(join(DATA, 'tagblock.nmea'), 'utf8') +
            '!AIVDM,1,1,,A,13F?Vv700<DJuLEtvep`iToV0<00,0*00\nnot nmea\n';
        const r = cli(['decode', '--errors'], input);
        expect(r.code).toBe(0);
        expect(r.json).toHaveLength(4);
        expect(r.json[0]).toMatchObject({
            type: 1,
            tagblock_station: 'rORBCOMM104',
            tagblock_timestamp: '2014-12-10T00:41:53.000Z',
        });
        expect(r.json[1]).toMatchObject({ type: 5, tagblock_group: { sentence: 1, groupsize: 2, id: 1604 } });
        const errors = r.stderr
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as { reason: string });
        expect(errors.map((e) => e.reason)).toEqual(['NMEA_CHECKSUM', 'NMEA_MALFORMED']);
        expect(r.stderr).toContain('checksum_failures=1');
    });

    it('--records prints normalised records', () => {
        const r = cli(['decode', '--records', join(DATA, 'tagblock.nmea')]);
        expect(r.json[0]).toMatchObject({
            kind: 'position',
            format: 'nmea',
            eventTime: Date.UTC(2014, 11, 10, 0, 41, 53),
            station: 'rORBCOMM104',
        });
    });

    it('stops cleanly when stdout is closed early (| head)', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'maritime-cli-'));
        const big = join(dir, 'big.nmea');
        writeFileSync(big, readFileSync(SAMPLE, 'utf8').repeat(300));
        for (const threads of ['1', '2']) {
            const child = spawn(process.execPath, [BIN, 'decode', '--threads', threads, big], { cwd: ROOT });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.stdout.once('data', () => child.stdout.destroy());
            const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
            expect({ threads, code }).toEqual({ threads, code: 0 });
            expect(stderr).not.toMatch(/EPIPE|Error/);
        }
    });
});

describe('maritime decode > FILE (stdout a regular file: asynchronous writes, cli/io.ts bulkStdout)', () => {
    /** Runs decode with stdout on `out` opened with `flags` ('w' as `>`, 'a' as `>>`, 'r' for a write error). */
    function toFile(args: string[], out: string, flags: string) {
        const fd = openSync(out, flags);
        try {
            const r = spawnSync(process.execPath, [BIN, 'decode', ...args], {
                cwd: ROOT,
                stdio: ['ignore', fd, 'pipe'],
                encoding: 'utf8',
            });
            return { code: r.status, stderr: r.stderr };
        } finally {
            closeSync(fd);
        }
    }

    it('writes the same bytes as to a pipe, NMEA and CSV, whatever the thread count; >> appends', () => {
        const dir = mkdtempSync(join(tmpdir(), 'maritime-cli-'));
        const lines = readFileSync(SAMPLE, 'utf8').split('\n');
        // > 2 read chunks of 1 MiB, so that several writes are in flight.
        const big = join(dir, 'big.nmea');
        writeFileSync(big, Array.from({ length: 40 }, () => lines.join('\n')).join('\n'));
        const csv = join(dir, 'day.csv');
        writeFileSync(csv, marineCadastreCsv().join('\n') + '\n');
        const out = join(dir, 'out.jsonl');
        for (const args of [
            [big],
            ['--threads', '1', big],
            ['--threads', '2', '--chunk-size', '65536', big],
            [csv],
        ]) {
            const piped = cli(['decode', ...args]);
            expect(piped.code).toBe(0);
            const r = toFile(args, out, 'w');
            expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: piped.stderr });
            expect(readFileSync(out, 'utf8') === piped.stdout).toBe(true);
        }
        writeFileSync(out, 'kept\n');
        expect(toFile([SAMPLE], out, 'a').code).toBe(0);
        expect(readFileSync(out, 'utf8')).toBe('kept\n' + cli(['decode', SAMPLE]).stdout);
    });

    it('a write that fails exits 1 and says so (stdout a file opened read-only)', () => {
        const dir = mkdtempSync(join(tmpdir(), 'maritime-cli-'));
        const out = join(dir, 'out.jsonl');
        writeFileSync(out, '');
        const csv = join(dir, 'day.csv');
        writeFileSync(csv, marineCadastreCsv().join('\n') + '\n');
        const big = join(dir, 'big.nmea');
        writeFileSync(big, readFileSync(SAMPLE, 'utf8').repeat(20));
        for (const args of [[SAMPLE], [csv], ['--threads', '2', '--chunk-size', '65536', big]]) {
            const r = toFile(args, out, 'r');
            expect({ args, code: r.code }).toEqual({ args, code: 1 });
            expect(r.stderr).toMatch(/maritime decode: writing output failed: .*EBADF/);
        }
    });
});

describe('maritime decode (JSON, CSV)', () => {
    it('sniffs CSV and prints records; summary counts rows and rejects', () => {
        const csv = [
            'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass',
            '351759000,2023-01-01T00:00:01,40.68454,-74.07213,12.3,224.0,215,"EVER, DIADEM",IMO9134270,3FOF8,70,0,294,32,12.2,70,A',
            '367000001,2023-01-01T00:00:02,29.9,-89.9,0.1,360,511,,,,,,,,,,B',
            '1,2,3',
        ].join('\n');
        const r = cli(['decode'], csv);
        expect(r.code).toBe(0);
        expect(r.json.map((x) => x.kind)).toEqual(['position', 'static', 'position']);
        expect(r.json[1]).toMatchObject({ name: 'EVER, DIADEM', imo: 9134270 });
        expect(r.stderr).toBe('maritime decode: format=csv rows=3 records=3 rejected=1 CSV_MALFORMED=1\n');
    });

    it('handles JSON lines, a pretty-printed array and a broken line', () => {
        const pos = {
            type: 'position',
            mmsi: 366764000,
            timestamp: '2026-11-24T10:00:00Z',
            lat: 43.07,
            lon: -70.71,
        };
        const input = `${JSON.stringify(pos)}\n{"type":"position",\n${JSON.stringify([pos, { ...pos, lat: 99 }], null, 2)}\n`;
        const r = cli(['decode', '--format', 'json', '--errors'], input);
        expect(r.code).toBe(0);
        expect(r.json).toHaveLength(2);
        expect(r.stderr).toContain(
            'format=json events=4 records=2 rejected=2 JSON_MALFORMED=1 JSON_SCHEMA=1',
        );
        expect(r.stderr).toContain('field \\"[1].lat\\": expected number -90 <= x <= 90, got 99');
    });
    it('gathers an array whose elements start at column 0', () => {
        const pos = {
            type: 'position',
            mmsi: 366764000,
            timestamp: '2026-11-24T10:00:00Z',
            lat: 43.07,
            lon: -70.71,
        };
        const r = cli(['decode'], `[\n${JSON.stringify(pos)},\n${JSON.stringify({ ...pos, mmsi: 1 })}\n]\n`);
        expect(r.json.map((x) => x.mmsi)).toEqual([366764000, 1]);
        expect(r.stderr).toContain('format=json events=2 records=2 rejected=0');
    });
});

describe('maritime usage', () => {
    it('--help lists the commands', () => {
        const r = cli(['--help']);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('decode');
    });

    it('usage errors exit 2, I/O errors exit 1, with a clear message', () => {
        expect(cli(['decode', '--format', 'xml'])).toMatchObject({
            code: 2,
            stderr: expect.stringContaining('--format must be nmea, json or csv') as unknown,
        });
        expect(cli(['decode', '--bogus'])).toMatchObject({
            code: 2,
            stderr: expect.stringContaining("Unknown option '--bogus'") as unknown,
        });
        expect(cli(['nope'])).toMatchObject({
            code: 2,
            stderr: expect.stringContaining("unknown command 'nope'") as unknown,
        });
        expect(cli(['decode', '/no/such/file'])).toMatchObject({
            code: 1,
            stderr: expect.stringContaining('cannot read /no/such/file: ENOENT') as unknown,
        });
    });
});

describe('maritime decode on real feed shapes (test/helpers/feedShapes.ts)', () => {
    const write = (name: string, lines: string[]): string => {
        const dir = mkdtempSync(join(tmpdir(), 'maritime-feeds-'));
        const file = join(dir, name);
        writeFileSync(file, lines.join('\r\n') + '\r\n');
        return file;
    };

    it('NMEA 4 groups: every type 5 decoded, with the first fragment’s tag block and receiver time', () => {
        const r = cli(['decode', write('sat.nmea', satelliteFeed())]);
        expect(r.code).toBe(0);
        expect(r.json.map((m) => m.type)).toEqual([5, 5, 1, 1, 1]);
        expect(r.json[0]).toMatchObject({
            shipname: 'NORDIC STAR',
            tagblock_station: '41925',
            receiver_time: new Date(SAT_TIME).toISOString(),
            receiver_time_source: 'tagblock',
        });
        expect(r.stderr).toBe(
            'maritime decode: format=nmea lines=7 sentences=7 messages=5 fragments_pending=0 checksum_failures=0 unsupported=0 malformed=0 skipped=0\n',
        );
    });

    it('USCG suffixes and $PGHP headers: receiver times; $GPRMC and headers skipped by reason; --records says the source', () => {
        const r = cli(['decode', write('uscg.nmea', uscgFeed())]);
        expect(r.json.map((m) => m.receiver_time)).toEqual(
            [0, 10, 20, 30].map((s) => new Date(USCG_TIME + s * 1000).toISOString()),
        );
        const d = cli(['decode', '--records', write('dma.nmea', dmaFeed())]);
        expect(d.code).toBe(0);
        expect(d.json.map((x) => [x.kind, x.eventTime, x.eventTimeSource])).toEqual([
            ['position', DMA_TIME, 'receiver'],
            ['static', DMA_TIME + 1000, 'receiver'],
            ['position', DMA_TIME + 60_000, 'receiver'],
        ]);
        expect(d.stderr).toBe(
            'maritime decode: format=nmea lines=9 sentences=4 messages=3 fragments_pending=0 checksum_failures=0 unsupported=0 malformed=0 skipped=5 skipped_by_reason=NON_AIS_SENTENCE:1,PGHP_HEADER:4\n',
        );
    });

    it('a CSV in another schema: one file-level message, no output, exit 1', () => {
        const file = write('other.csv', foreignCsv());
        const r = cli(['decode', file]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(
            `maritime decode: unsupported file ${file}: expected the MarineCadastre AIS schema (17 columns: MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass); found a header of 139 columns: mmsi,timestamp_utc,latitude,longitude,col_4,col_5,...\n`,
        );
    });

    it('nothing usable at all exits 1 with one message; a CSV in the right schema exits 0', () => {
        const bad = cli(['decode'], 'garbage one\ngarbage two\n');
        expect(bad.code).toBe(1);
        expect(bad.stderr).toMatch(/nothing in the input could be used: no AIS message decoded from 2 lines/);
        const ok = cli(['decode', write('day.csv', marineCadastreCsv())]);
        expect(ok.code).toBe(0);
        expect(ok.json).toHaveLength(4);
    });

    it('a file is read into two buffers that take turns: the same bytes as from stdin, over several reads', () => {
        // Over 4 MiB: 1 MiB reads cut lines, tag-block groups, $PGHP headers and fragment pairs between them, and
        // each buffer is filled again. stdin gives a fresh buffer per read, so any reuse too early shows.
        const dir = mkdtempSync(join(tmpdir(), 'maritime-cli-'));
        const lines = readFileSync(SAMPLE, 'utf8').split('\n');
        const shapes = [...satelliteFeed(), ...uscgFeed(), ...dmaFeed()];
        const nmea = join(dir, 'reads.nmea');
        const text = Array.from({ length: 100 }, (_, i) => [
            ...lines.slice(0, 11 * i),
            ...shapes,
            ...lines.slice(11 * i),
        ])
            .flat()
            .join('\n');
        writeFileSync(nmea, text);
        const csv = join(dir, 'reads.csv');
        const rows = marineCadastreCsv();
        const csvText =
            [rows[0], ...Array.from({ length: 12000 }, () => rows.slice(1)).flat()].join('\n') + '\n';
        writeFileSync(csv, csvText);
        expect(text.length).toBeGreaterThan(4 << 20);
        expect(csvText.length).toBeGreaterThan(2 << 20);
        for (const [file, content, args] of [
            [nmea, text, ['--threads', '1', '--errors']],
            [nmea, text, ['--threads', '1', '--records']],
            [nmea, text, ['--threads', '1', '--format', 'nmea']],
            [nmea, text, ['--threads', '2', '--chunk-size', '300000']],
            [csv, csvText, []],
        ] as const) {
            const fromFile = cli(['decode', ...args, file]);
            const fromStdin = cli(['decode', ...args], content);
            expect({ args, code: fromFile.code }).toEqual({ args, code: 0 });
            expect({ args, stderr: fromFile.stderr }).toEqual({ args, stderr: fromStdin.stderr });
            expect({ args, same: fromFile.stdout === fromStdin.stdout }).toEqual({ args, same: true });
        }
    });

    it('decodes a file bigger than one read chunk the same as line by line (chunk boundaries inside lines)', () => {
        const lines = readFileSync(SAMPLE, 'utf8').split('\n');
        const big = write('big.nmea', Array.from({ length: 60 }, () => lines).flat());
        const r = cli(['decode', big]);
        expect(r.code).toBe(0);
        expect(r.json).toHaveLength(102 * 60);
    });
});
