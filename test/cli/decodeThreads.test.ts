/**
 * `maritime decode` on worker threads: the input is cut into chunks decoded in parallel and stitched (see
 * cli/decode/nmeaParallel.ts). Whatever the chunk size and thread count, stdout, the `--errors` lines and the
 * summary must be exactly what one decoder over the whole input gives. The oracle here is the domain decoder
 * (`decodeLines`) over all lines, serialised with `gpsdJson`: no chunks, no threads. Chunks of a few hundred
 * bytes put cuts inside multipart messages, NMEA 4 `g:` groups, tag-block-only lines and `$PGHP` headers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { gpsdJson } from '../../cli/decode/nmeaChunk.js';
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
        maxBuffer: 64 * 1024 * 1024,
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
        if (ev.kind === 'message') stdout += gpsdJson(ev.message, ev.tagBlock, ev.receiverTime, ev.receiverTimeSource) + '\n';
        else if (ev.kind === 'error') errors += JSON.stringify({ reason: ev.reason, detail: ev.detail, raw: ev.raw }) + '\n';
        else errors += JSON.stringify({ reason: 'UNSUPPORTED_TYPE', detail: `type ${ev.type}: ${ev.detail}`, raw: ev.raw }) + '\n';
    }
    return { stdout, errors };
}

const dir = mkdtempSync(join(tmpdir(), 'maritime-decode-threads-'));

/** The real files and the feed shapes, plus a file whose state at a cut is older than any lead-in. */
function inputs(): { name: string; path: string }[] {
    const files = ['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea', 'tagblock.nmea'].map((f) => ({ name: f, path: join(DATA, f) }));
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

describe('maritime decode on threads: same output as one decoder', () => {
    beforeAll(() => {
        expect(ensureBuiltCli()).toBe(true);
    }, 120_000);

    for (const input of inputs()) {
        it(`${input.name}: stdout, --errors and summary equal the single decoder's for chunk sizes 1 B to 4 KiB`, () => {
            const expected = oracle(readFileSync(input.path, 'utf8'));
            const single = decodeCli(input.path, ['--threads', '1', '--errors']);
            expect(single.stdout).toBe(expected.stdout);
            const singleErrors = single.stderr.split('\n').filter((l) => l.startsWith('{')).join('\n');
            expect(singleErrors).toBe(expected.errors.trimEnd());
            const sizes = readFileSync(input.path).length > 50_000 ? [4096, 70_000] : [1, 97, 400];
            for (const size of sizes) {
                const r = decodeCli(input.path, ['--threads', '3', '--chunk-size', String(size), '--errors']);
                expect({ size, code: r.code, stdout: r.stdout }).toEqual({ size, code: single.code, stdout: single.stdout });
                expect({ size, stderr: r.stderr }).toEqual({ size, stderr: single.stderr });
            }
            const records = decodeCli(input.path, ['--threads', '1', '--records']);
            const recordsThreaded = decodeCli(input.path, ['--threads', '2', '--chunk-size', String(sizes[1]), '--records']);
            expect(recordsThreaded.stdout).toBe(records.stdout);
            expect(recordsThreaded.stderr).toBe(records.stderr);
        }, 60_000);
    }

    it('the far fragment is stitched: its type 5 message is decoded once with the lines between', () => {
        const r = decodeCli(join(dir, 'far-fragment.nmea'), ['--threads', '2', '--chunk-size', '4096']);
        const type5 = r.stdout.split('\n').filter((l) => l.includes('"type":5,'));
        expect(type5).toHaveLength(1);
        expect(r.stderr).toContain('fragments_pending=1');
    });
});
