/**
 * `maritime decode` on worker threads: the input is cut into chunks decoded in parallel and stitched (see
 * cli/decode/nmeaParallel.ts). Whatever the chunk size and thread count, stdout, the `--errors` lines and the
 * summary must be exactly what one decoder over the whole input gives. The oracle here is the domain decoder
 * (`decodeLines`) over all lines, serialised with `gpsdJson`: no chunks, no threads. Chunks of a few hundred
 * bytes put cuts inside multipart messages, NMEA 4 `g:` groups, tag-block-only lines and `$PGHP` headers.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { gpsdJson } from '../../cli/decode/byteLines.js';
import { decodeNmea, PARALLEL_MIN_BYTES } from '../../cli/decode/nmeaParallel.js';
import { LineWriter } from '../../cli/io.js';
import { nmeaChecksum } from '../../local/sources/nmea.js';
import { decodeLines } from '../../shared/domain/ais/index.js';
import { ensureBuiltCli } from '../helpers/cli.js';
import { dmaFeed, satelliteFeed, uscgFeed } from '../helpers/feedShapes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/maritime.js');
const DATA = fileURLToPath(new URL('../../../shared/testdata/ais/', import.meta.url));

function decodeCli(file: string, args: string[]): { stdout: string; stderr: string; code: number | null } {
    const r = spawnSync(process.execPath, [BIN, 'decode', ...args, file], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
    });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** What one decoder over the whole file prints (messages only) and the `--errors` lines. */
function oracle(text: string): { stdout: string; errors: string } {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const { events } = decodeLines(lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
    let stdout = '';
    let errors = '';
    for (const ev of events) {
        if (ev.kind === 'message')
            stdout += gpsdJson(ev.message, ev.tagBlock, ev.receiverTime, ev.receiverTimeSource) + '\n';
        else if (ev.kind === 'error')
            errors += JSON.stringify({ reason: ev.reason, detail: ev.detail, raw: ev.raw }) + '\n';
        else
            errors +=
                JSON.stringify({
                    reason: 'UNSUPPORTED_TYPE',
                    detail: `type ${ev.type}: ${ev.detail}`,
                    raw: ev.raw,
                }) + '\n';
    }
    return { stdout, errors };
}

const dir = mkdtempSync(join(tmpdir(), 'maritime-decode-threads-'));

/** The real files and the feed shapes, plus a file whose state at a cut is older than any lead-in. */
function inputs(): { name: string; path: string }[] {
    const files = ['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea', 'tagblock.nmea'].map((f) => ({
        name: f,
        path: join(DATA, f),
    }));
    const shapes: [string, string[]][] = [
        ['satellite', satelliteFeed()],
        ['uscg', uscgFeed()],
        ['dma', dmaFeed()],
    ];
    for (const [name, lines] of shapes) {
        const path = join(dir, `${name}.nmea`);
        // Several copies, so that every line sits at a chunk edge for some chunk size.
        writeFileSync(path, (lines.join('\n') + '\n').repeat(5));
        files.push({ name, path });
    }
    // Every shape of a single-sentence line the fast path (cli/decode/nmeaChunk.ts fastLine) takes or must leave
    // to the decoder, next to each other so that state carried between lines shows.
    const edges = join(dir, 'framing-edges.nmea');
    writeFileSync(edges, framingEdgeCases().join('\n') + '\n');
    files.push({ name: 'framing-edges', path: edges });
    const pending = join(dir, 'many-pending.nmea');
    writeFileSync(pending, manyPending().join('\n') + '\n');
    files.push({ name: 'many-pending', path: pending });
    // Fragment 1 of a message, 100 KiB of other traffic (more than the 64 KiB lead-in), then fragment 2: the
    // message completes (decode has no time-out), so every chunk in between starts with that fragment waiting.
    const all = readFileSync(join(DATA, 'sample.aivdm'), 'utf8').split('\n');
    const sample = all.filter((l) => l.startsWith('!AIVDM,1,1,'));
    const first = all.findIndex((l) => l.startsWith('!AIVDM,2,1,1,A,5'));
    const type5 = [all[first] as string, all[first + 1] as string];
    let filler = '';
    while (filler.length < 100 * 1024) filler += sample.join('\n') + '\n';
    const far = join(dir, 'far-fragment.nmea');
    // Ends without a newline and with CRLF lines in the middle.
    writeFileSync(far, `${type5[0]}\n${filler.replaceAll('\n', '\r\n')}${type5[1]}\n${filler}${type5[0]}`);
    files.push({ name: 'far-fragment', path: far });
    return files;
}

/** `!` + body + `*hh` with the right checksum (lower-case hex when asked). */
function sentence(body: string, lower = false, lead = '!'): string {
    const hh = nmeaChecksum(body);
    return `${lead}${body}*${lower ? hh.toLowerCase() : hh}`;
}

/**
 * Lines around the fast path's edges: what it decodes itself (plain, `$`, VDO, a sequence digit, no channel,
 * lower-case checksum, CRLF, receiver suffixes with a Unix time, with a fraction, without a time) and what it
 * must hand to the decoder (a two-digit count or fill, spaces around the line, a bad checksum, a bad payload
 * character, a payload too short, an unknown type, type 24 part 2, non-ASCII in the suffix, a line over 1024
 * characters, a sentence after a tag-block-only line or a `$PGHP` header, a fragment, an empty payload).
 */
function framingEdgeCases(): string[] {
    const pos = '15M67FC000G?ufbE`FepT@3n00Sa';
    const tagBody = 's:2573345,c:1635731893';
    const pghpBody = 'PGHP,1,2008,6,10,23,59,59,935,219,219,2190047,1,12';
    const lines = [
        sentence(`AIVDM,1,1,,A,${pos},0`),
        sentence(`AIVDM,1,1,,B,${pos},0`, false, '$'),
        sentence(`AIVDO,1,1,7,,${pos},0`),
        sentence(`AIVDM,1,1,,1,${pos},0`, true),
        sentence(`AIVDM,1,1,,A,${pos},0`) + '\r',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',s28089,d-100,T38.91260690,x201,r003669945,1325394060',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',r003669945,1325394060.25',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',r003669945,abc',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',123456789',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',12345678',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',x,12345678901',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',1325394060.',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',1325394060.1234567',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',1325394060.5x',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',1325394060.999999',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',9999999999',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ';1325394060',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',,',
        sentence(`AIVDM,1,1,,A,${pos},0`) + ',r0036699\u00e9,1325394060',
        sentence(`AIVDM,1,1,,A,${pos},0`) + '  \t',
        sentence(`AIVDM,01,1,,A,${pos},0`),
        sentence(`AIVDM,1,1,,A,${pos},00`),
        sentence(`AIVDM,1,1,10,A,${pos},0`),
        sentence(`AIVDM,1,1,,AB,${pos},0`),
        '  ' + sentence(`AIVDM,1,1,,A,${pos},0`),
        sentence(`AIVDM,1,1,,A,${pos},0`).replace(/\*..$/, '*00'),
        sentence(`AIVDM,1,1,,A,${pos},0`).slice(0, -3),
        sentence(`AIVDM,1,1,,A,15M67FC000G?ufbE\`FepT@3n00S~,0`),
        sentence('AIVDM,1,1,,A,15M67FC,0'),
        sentence('AIVDM,1,1,,A,,0'),
        sentence('AIVDM,1,1,,A,0000000000000000000000000000,0'),
        sentence('AIVDM,1,1,,A,v000000000000000000000000000,0'),
        sentence('AIVDM,1,1,,A,H3KLehdt00000000?6ekkjm000000,0'),
        sentence(`AIVDM,1,1,,A,${pos},6`),
        sentence(`AIVDM,1,1,,A,${'5'.repeat(1100)},0`),
        `\\${tagBody}*${nmeaChecksum(tagBody)}\\`,
        sentence(`AIVDM,1,1,,A,${pos},0`),
        `$${pghpBody}*${nmeaChecksum(pghpBody)}`,
        sentence(`AIVDM,1,1,,A,${pos},0`),
        sentence(`AIVDM,1,1,,A,${pos},0`),
        sentence('AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0'),
        sentence(`AIVDM,1,1,,A,${pos},0`),
        sentence('AIVDM,2,2,3,B,1@0000000000000,2'),
        sentence(`AIVDM,1,1,,A,${pos},5`),
        ...pairEdgeCases(),
    ];
    // The file ends in a line without a newline after it only in the far-fragment file; here every line has one.
    return lines;
}

/**
 * Two-sentence messages around the fast path's pair edges (cli/decode/nmeaChunk.ts fastLine): pairs it decodes
 * itself (plain, `$` and VDO, no sequence id, no channel, CRLF, receiver suffixes on either line, fill bits on
 * the first line) and pairs it must leave to the decoder because the decoder would do something else with
 * them: a pending fragment 2 under the same key (the first line completes that message instead), a pending
 * fragment 1 under the same key (superseded: FRAGMENT_INCOMPLETE at that line), a second line with another
 * sequence id, channel or count, a tag block or a blank line between, a message too short for its type. A
 * pending fragment under another key does not stop it.
 */
function pairEdgeCases(): string[] {
    const p1 = '55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53';
    const p2 = '1@0000000000000';
    const q1 = '53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp';
    const q2 = '888888888888880';
    const tagBody = 'g:2-2-77,s:2573345';
    return [
        sentence(`AIVDM,2,1,3,B,${p1},0`),
        sentence(`AIVDM,2,2,3,B,${p2},2`),
        sentence(`AIVDO,2,1,,A,${q1},0`, false, '$'),
        sentence(`AIVDO,2,2,,A,${q2},2`, true) + '\r',
        sentence(`AIVDM,2,1,0,,${p1},0`) + ',s1,r003669945,1325394060',
        sentence(`AIVDM,2,2,0,,${p2},2`) + ',s1,r003669945,1325399999',
        sentence(`AIVDM,2,1,4,A,${q1},3`),
        sentence(`AIVDM,2,2,4,A,${q2},2`) + ',1325394061',
        // Fragment 2 alone, then a pair under its key: the pair's first line completes the waiting message.
        sentence(`AIVDM,2,2,5,A,${q2},2`),
        sentence(`AIVDM,2,1,5,A,${p1},0`),
        sentence(`AIVDM,2,2,5,A,${p2},2`),
        // Fragment 1 alone, then a pair under its key: the waiting message is superseded.
        sentence(`AIVDM,2,1,6,B,${q1},0`),
        sentence(`AIVDM,2,1,6,B,${p1},0`),
        sentence(`AIVDM,2,2,6,B,${p2},2`),
        // A fragment waiting under another key (channel A, sequence 7), then a pair on channel B.
        sentence(`AIVDM,2,1,7,A,${q1},0`),
        sentence(`AIVDM,2,1,7,B,${p1},0`),
        sentence(`AIVDM,2,2,7,B,${p2},2`),
        sentence(`AIVDM,2,2,7,A,${q2},2`),
        // Second lines that do not belong: another sequence id, channel, count; a tag block; a blank line.
        sentence(`AIVDM,2,1,8,A,${p1},0`),
        sentence(`AIVDM,2,2,9,A,${p2},2`),
        sentence(`AIVDM,2,1,1,A,${p1},0`),
        sentence(`AIVDM,2,2,1,B,${p2},2`),
        sentence(`AIVDM,2,1,2,A,${p1},0`),
        sentence(`AIVDM,3,2,2,A,${p2},2`),
        sentence(`AIVDM,2,1,3,A,${p1},0`),
        `\\${tagBody}*${nmeaChecksum(tagBody)}\\` + sentence(`AIVDM,2,2,3,A,${p2},2`),
        sentence(`AIVDM,2,1,4,B,${p1},0`),
        '',
        sentence(`AIVDM,2,2,4,B,${p2},2`),
        // Too short for type 5 (PAYLOAD_TOO_SHORT with --errors), then a pair with a bad payload character.
        sentence(`AIVDM,2,1,0,A,${p1.slice(0, 30)},0`),
        sentence(`AIVDM,2,2,0,A,${p2},2`),
        sentence(`AIVDM,2,1,1,A,${p1},0`),
        sentence(`AIVDM,2,2,1,A,${p2.slice(0, 5)}~,2`),
        sentence(`AIVDM,1,1,,A,${q1}${q2},2`),
    ];
}

/**
 * 1,024 fragments waiting (the decoder's limit), then pairs: the decoder evicts the oldest waiting message at
 * each pair's first line (FRAGMENT_INCOMPLETE), so the fast path must leave those pairs to it.
 */
function manyPending(): string[] {
    const p1 = '55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53';
    const p2 = '1@0000000000000';
    const lines: string[] = [];
    const channels = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter(
        (c) => c !== ',' && c !== '*' && c !== 'A',
    );
    // Keys: sequence id x channel (other than A) x fragment count.
    for (let i = 0; i < 1024; i++) {
        const count = 2 + Math.floor(i / (10 * channels.length));
        const channel = channels[Math.floor(i / 10) % channels.length];
        lines.push(sentence(`AIVDM,${count},1,${i % 10},${channel},${p1},0`));
    }
    for (let i = 0; i < 3; i++)
        lines.push(sentence(`AIVDM,2,1,${i},A,${p1},0`), sentence(`AIVDM,2,2,${i},A,${p2},2`));
    return lines;
}

describe('maritime decode on threads: same output as one decoder', () => {
    beforeAll(() => {
        expect(ensureBuiltCli()).toBe(true);
    }, 120_000);

    for (const input of inputs()) {
        it(`${input.name}: stdout, --errors and summary equal the single decoder's for chunk sizes 1 B to 4 KiB`, () => {
            const expected = oracle(readFileSync(input.path, 'utf8'));
            const single = decodeCli(input.path, ['--threads', '1', '--errors']);
            expect(single.stdout).toBe(expected.stdout);
            const singleErrors = single.stderr
                .split('\n')
                .filter((l) => l.startsWith('{'))
                .join('\n');
            expect(singleErrors).toBe(expected.errors.trimEnd());
            // Without --errors the fast path counts rejected payloads itself: same stdout, same summary.
            const plain = decodeCli(input.path, ['--threads', '1']);
            expect(plain.stdout).toBe(single.stdout);
            expect(plain.stderr).toBe(
                single.stderr
                    .split('\n')
                    .filter((l) => !l.startsWith('{'))
                    .join('\n'),
            );
            const sizes = readFileSync(input.path).length > 50_000 ? [4096, 70_000] : [1, 97, 400];
            for (const size of sizes) {
                const r = decodeCli(input.path, ['--threads', '3', '--chunk-size', String(size), '--errors']);
                expect({ size, code: r.code, stdout: r.stdout }).toEqual({
                    size,
                    code: single.code,
                    stdout: single.stdout,
                });
                expect({ size, stderr: r.stderr }).toEqual({ size, stderr: single.stderr });
            }
            const records = decodeCli(input.path, ['--threads', '1', '--records']);
            const recordsThreaded = decodeCli(input.path, [
                '--threads',
                '2',
                '--chunk-size',
                String(sizes[1]),
                '--records',
            ]);
            expect(recordsThreaded.stdout).toBe(records.stdout);
            expect(recordsThreaded.stderr).toBe(records.stderr);
        }, 60_000);
    }

    it('one thread takes the reads as they come: lines cut between reads (pieces of 1 B to 64 KiB) give the same output', async () => {
        for (const input of inputs()) {
            const bytes = readFileSync(input.path);
            const expected = oracle(bytes.toString('utf8'));
            for (const size of bytes.length > 50_000 ? [1000, 4096, 65536] : [1, 7, 100, 4096]) {
                async function* pieces(): AsyncGenerator<Buffer> {
                    // Each piece in a buffer of its own that is overwritten after use, as a reader may reuse its buffer.
                    for (let at = 0; at < bytes.length; at += size) {
                        const piece = Buffer.from(bytes.subarray(at, at + size));
                        yield await Promise.resolve(piece);
                        piece.fill(0);
                    }
                }
                const written: Buffer[] = [];
                const sink = new Writable({
                    write(chunk: Buffer, _enc, done): void {
                        written.push(Buffer.from(chunk));
                        done();
                    },
                });
                let errors = '';
                const run = await decodeNmea(
                    pieces(),
                    { records: false, errors: true },
                    new LineWriter(sink),
                    (t) => (errors += t),
                    {
                        threads: 1,
                        chunkBytes: 1 << 20,
                    },
                );
                expect({ file: input.name, size, stdout: Buffer.concat(written).toString('utf8') }).toEqual({
                    file: input.name,
                    size,
                    stdout: expected.stdout,
                });
                expect({ file: input.name, size, errors }).toEqual({
                    file: input.name,
                    size,
                    errors: expected.errors,
                });
                expect(run.counts.lines).toBe(
                    bytes
                        .toString('utf8')
                        .split('\n')
                        .filter((l, i, all) => i < all.length - 1 || l !== '').length,
                );
            }
        }
    }, 120_000);

    it('2 threads with the default chunk size on a 9 MB file, from FILE and from stdin redirected from it: the same bytes as one thread, with cuts inside multipart messages, g: groups, tag-block lines and $PGHP headers', () => {
        // Every input above (real files, feed shapes, framing edges, far fragments), repeated past PARALLEL_MIN_BYTES:
        // with chunks of the default size the cuts land at many places inside their multi-line groups.
        const parts = inputs().map((i) => readFileSync(i.path, 'utf8').replace(/([^\n])$/, '$1\n'));
        let text = '';
        for (let k = 0; text.length < PARALLEL_MIN_BYTES + 1_000_000; k++) text += parts[k % parts.length];
        const path = join(dir, 'big-mixed.nmea');
        writeFileSync(path, text);
        const single = decodeCli(path, ['--threads', '1', '--errors']);
        expect(single.code).toBe(0);
        const byDefault = decodeCli(path, ['--threads', '2', '--errors']);
        expect(byDefault.code).toBe(0);
        expect(byDefault.stdout === single.stdout).toBe(true);
        expect(byDefault.stderr === single.stderr).toBe(true);
        const fd = openSync(path, 'r');
        try {
            const r = spawnSync(process.execPath, [BIN, 'decode', '--threads', '2', '--errors'], {
                cwd: ROOT,
                stdio: [fd, 'pipe', 'pipe'],
                encoding: 'utf8',
                maxBuffer: 256 * 1024 * 1024,
            });
            expect(r.status).toBe(0);
            expect(r.stdout === single.stdout).toBe(true);
            expect(r.stderr === single.stderr).toBe(true);
        } finally {
            closeSync(fd);
        }
    }, 120_000);

    it('a line longer than an input slot (chunk + lead-in + 64 KiB) is decoded in a buffer of its own', () => {
        const sample = readFileSync(join(DATA, 'sample.aivdm'), 'utf8');
        const path = join(dir, 'long-line.nmea');
        writeFileSync(
            path,
            sample + '!AIVDM,1,1,,A,' + 'x'.repeat(300_000) + ',0*00\n' + sample + 'y'.repeat(200_000),
        );
        const single = decodeCli(path, ['--threads', '1', '--errors']);
        for (const size of ['1', '4096', '100000']) {
            const r = decodeCli(path, ['--threads', '2', '--chunk-size', size, '--errors']);
            expect({
                size,
                code: r.code,
                same: r.stdout === single.stdout,
                stderr: r.stderr === single.stderr,
            }).toEqual({
                size,
                code: single.code,
                same: true,
                stderr: true,
            });
        }
    }, 60_000);

    it('the far fragment is stitched: its type 5 message is decoded once with the lines between', () => {
        const r = decodeCli(join(dir, 'far-fragment.nmea'), ['--threads', '2', '--chunk-size', '4096']);
        const type5 = r.stdout.split('\n').filter((l) => l.includes('"type":5,'));
        expect(type5).toHaveLength(1);
        expect(r.stderr).toContain('fragments_pending=1');
    });
});
