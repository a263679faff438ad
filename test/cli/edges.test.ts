/**
 * CLI edges through the real CLI (`node bin/maritime.js ...`): `send` to a hub that cannot be reached prints the
 * cause and every unsent event as JSON and exits 1, and names each file nothing could be sent from (exit 1);
 * `decode` of a binary, compressed or empty input says so and exits 1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { BIN, ensureBuilt, ROOT } from '../helpers/builtCli.js';
import { foreignCsv } from '../helpers/feedShapes.js';

const DIR = mkdtempSync(join(tmpdir(), 'maritime-edges-'));
const POSITION = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';

beforeAll(() => ensureBuilt(), 120_000);

function cli(args: string[], input = '') {
    const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        input,
        encoding: 'utf8',
        env: { ...process.env, EVENTHUB_SEND_CONNECTION_STRING: '' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string | Buffer): string {
    const path = join(DIR, name);
    writeFileSync(path, content);
    return path;
}

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return typeof address === 'object' && address ? address.port : 1;
}

describe('maritime send, the hub unreachable', () => {
    it('prints the cause and every unsent event as a JSON line, and exits 1', async () => {
        const port = await closedPort();
        const input = file(
            'three.nmea',
            [
                POSITION,
                '!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13',
                '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A',
            ].join('\n') + '\n',
        );
        const connection = `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=k;SharedAccessKey=a2V5;UseDevelopmentEmulator=true`;
        const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(
                process.execPath,
                [BIN, 'send', input, '--connection-string', connection, '--hub', 'ais-raw'],
                { cwd: ROOT },
            );
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
        });
        expect(r.code).toBe(1);
        const lines = r.stderr.split('\n').filter((l) => l.length > 0);
        // The cause, said once in words, before the events
        expect(lines[0]).toMatch(
            new RegExp(
                `^maritime send: cannot send to event hub 'ais-raw' .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`,
            ),
        );
        const unsent = lines
            .filter((l) => l.startsWith('{'))
            .map(
                (l) =>
                    JSON.parse(l) as {
                        reason: string;
                        message: string;
                        event: { body: string; partitionKey: string };
                    },
            );
        // Every event of the file, as sent would have been (body and partition key = MMSI)
        expect(unsent.map((u) => u.event.body).sort()).toEqual(
            [POSITION, POSITION, '!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13'].sort(),
        );
        expect(
            unsent.every(
                (u) =>
                    u.reason === 'SEND_FAILED' &&
                    /ECONNREFUSED/.test(u.message) &&
                    /^\d+$/.test(u.event.partitionKey),
            ),
        ).toBe(true);
        expect(lines.at(-2)).toMatch(
            /^maritime send: 3 event\(s\) NOT sent \(0 sent\) to event hub 'ais-raw' .*ECONNREFUSED/,
        );
    }, 60_000);

    it('a file nothing can be sent from (another CSV schema, empty, only other sentences) is named once; exit 1', async () => {
        const port = await closedPort();
        const foreign = file('foreign.csv', `${foreignCsv().join('\n')}\n`);
        const empty = file('empty.nmea', '');
        const gps = file(
            'gps.nmea',
            '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\n# a comment\n',
        );
        const connection = `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=k;SharedAccessKey=a2V5;UseDevelopmentEmulator=true`;
        const r = cli(['send', foreign, empty, gps, '--connection-string', connection]);
        const lines = r.stderr.split('\n').filter((l) => l.startsWith('maritime send:'));
        expect(lines).toEqual([
            expect.stringMatching(
                /^maritime send: UNSUPPORTED FILE .*foreign\.csv: expected the MarineCadastre AIS schema \(17 columns: .*found a header of 139 columns: .*nothing of it was sent$/,
            ),
            expect.stringMatching(
                /^maritime send: NO DATA IN FILE .*empty\.nmea: the file is empty; nothing of it was sent$/,
            ),
            expect.stringMatching(
                /^maritime send: NO DATA IN FILE .*gps\.nmea: no AIS sentence among its 2 line\(s\) \(skipped: NON_AIS_SENTENCE=1\); nothing of it was sent$/,
            ),
            expect.stringMatching(/^maritime send: sent 0 events in 0 batches/),
        ]);
        expect(r.code).toBe(1);
    });

    it('without a namespace or connection string is a usage error (exit 2)', () => {
        const r = cli(['send', file('one.nmea', `${POSITION}\n`)]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/--namespace NS .*--connection-string CS/);
    });
});

describe('maritime decode of what is not an AIS text file', () => {
    it.each([
        [
            'binary with NUL bytes',
            Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x21, 0x41]),
            /is not text: it contains NUL bytes/,
        ],
        [
            'gzip-compressed NMEA',
            gzipSync(`${POSITION}\n`),
            /is not text: it is gzip-compressed \(decompress it first: gunzip -c FILE \| maritime decode\)/,
        ],
        [
            'random bytes without NUL',
            Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919) % 255))),
            /is not text: \d+ of its first 4096 bytes are neither text nor UTF-8/,
        ],
    ])('%s: says the input is not text and exits 1, printing nothing on stdout', (_, content, message) => {
        const path = file('input.bin', content);
        const r = cli(['decode', path]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(
            new RegExp(`^maritime decode: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${message.source}`),
        );
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('the same from stdin', () => {
        const r = spawnSync(process.execPath, [BIN, 'decode'], {
            cwd: ROOT,
            input: gzipSync(`${POSITION}\n`),
        });
        expect(r.status).toBe(1);
        expect(r.stderr.toString()).toMatch(/^maritime decode: the input is not text: it is gzip-compressed/);
    });

    it('an empty file or stdin: says it is empty and exits 1', () => {
        const f = cli(['decode', file('empty.nmea', '')]);
        expect(f.code).toBe(1);
        expect(f.stderr).toMatch(
            /^maritime decode: .*empty\.nmea is empty \(0 bytes\): nothing to decode\n$/,
        );
        const s = cli(['decode'], '');
        expect(s.code).toBe(1);
        expect(s.stderr).toBe('maritime decode: the input is empty (0 bytes): nothing to decode\n');
    });

    it('only blank lines, comments or other NMEA sentences: says nothing could be used, exits 1', () => {
        const r = cli(
            ['decode'],
            '\n# a comment\n$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\n',
        );
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
            /nothing in the input could be used: no AIS sentence among its 3 lines \(skipped: BLANK_OR_COMMENT=2 NON_AIS_SENTENCE=1\)/,
        );
    });

    it('UTF-8 text with non-ASCII names is text (a JSON event with a vessel name in Greek)', () => {
        const r = cli(
            ['decode'],
            `${JSON.stringify({ type: 'static', mmsi: 237000001, timestamp: '2026-11-24T10:00:00Z', name: 'ΑΓΙΑ ΕΙΡΗΝΗ' })}\n`,
        );
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('237000001');
    });
});
