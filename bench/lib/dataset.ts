/**
 * The decode benchmark's input file, cached under bench/.data/ (git-ignored), rebuilt when a sample or the
 * generator is newer than the cache.
 *
 * - `realistic` (the default): a feed that repeats almost no line, as a real one does (bench/lib/realisticAis.ts):
 *   about 90 % simulated traffic of a seeded fleet encoded by the simulator's encoder, 10 % the real sample lines
 *   under ../shared/testdata/ais with new MMSIs, positions, speeds and courses in each copy.
 * - `repeated`: the real samples (gpsd sample.aivdm, gpsd ais-18-27.log, libais typeexamples.nmea) as they are,
 *   comment and blank lines removed, repeated as a whole until the file has at least `minLines` lines. Every
 *   number the decoder prints recurs thousands of times, which flatters whoever caches number strings (V8 does).
 * - any other value: the path of a file to use as it is.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { realisticFeed } from './realisticAis.js';

export const SAMPLE_FILES = ['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea'] as const;

/** The repository root: the nearest folder above this module holding package.json (works from dist/ too). */
export function repoRoot(): string {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
        if (existsSync(join(dir, 'package.json'))) return dir;
        const up = dirname(dir);
        if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
        dir = up;
    }
}

export interface Dataset {
    path: string;
    lines: number;
    bytes: number;
    /** What the file is, for the benchmark's header. */
    description: string;
}

export function buildDataset(minLines = 1_000_000, kind = 'realistic'): Dataset {
    if (kind === 'realistic') return realisticDataset(minLines);
    if (kind === 'repeated') return repeatedDataset(minLines);
    if (!existsSync(kind)) throw new Error(`--input: no such file ${kind} (or use realistic, repeated)`);
    const bytes = readFileSync(kind);
    let lines = 0;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
    return { path: kind, lines, bytes: bytes.length, description: `the file ${kind} as it is` };
}

function dataDir(): string {
    return join(repoRoot(), '..', 'shared', 'testdata', 'ais');
}

/** True when `path` is missing or older than any of `sources`. */
function stale(path: string, sources: string[]): boolean {
    if (!existsSync(path)) return true;
    const newest = Math.max(...sources.map((s) => statSync(s).mtimeMs));
    return statSync(path).mtimeMs < newest;
}

function realisticDataset(minLines: number): Dataset {
    const root = repoRoot();
    const path = join(root, 'bench', '.data', `ais-realistic-${minLines}.nmea`);
    const meta = path + '.json';
    const here = fileURLToPath(import.meta.url);
    const generator = join(dirname(here), `realisticAis${here.endsWith('.ts') ? '.ts' : '.js'}`);
    const sources = [
        generator,
        ...['sample.aivdm', 'ais-18-27.log', 'typeexamples.nmea', 'tagblock.nmea'].map((f) =>
            join(dataDir(), f),
        ),
    ];
    if (stale(path, sources) || stale(meta, sources)) {
        const feed = realisticFeed(dataDir(), minLines);
        const lines = feed.text.split('\n');
        lines.pop();
        const distinct = new Set(lines).size;
        const k = feed.byKind;
        const description =
            `realistic (bench/lib/realisticAis.ts): ${feed.simulatedLines.toLocaleString('en-US')} lines of ` +
            `simulated traffic from ${feed.vessels.toLocaleString('en-US')} vessels (messages: class A ` +
            `${k.classA.toLocaleString('en-US')}, class B ${k.classB.toLocaleString('en-US')}, type 5 ` +
            `${k.static5.toLocaleString('en-US')}, type 24 A+B ${k.static24.toLocaleString('en-US')}) + ` +
            `${feed.realLines.toLocaleString('en-US')} real sample lines (${feed.realBlocks} copies, new MMSI/` +
            `position/speed/course in each); ${distinct.toLocaleString('en-US')} distinct lines of ` +
            `${feed.lines.toLocaleString('en-US')}`;
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, feed.text);
        writeFileSync(meta, JSON.stringify({ lines: feed.lines, description }));
    }
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { lines: number; description: string };
    return { path, lines: m.lines, bytes: statSync(path).size, description: m.description };
}

function repeatedDataset(minLines: number): Dataset {
    const root = repoRoot();
    const sources = SAMPLE_FILES.map((f) => join(dataDir(), f));
    for (const s of sources) if (!existsSync(s)) throw new Error(`sample missing: ${s}`);
    const base: string[] = [];
    for (const s of sources) {
        for (const raw of readFileSync(s, 'utf8').split('\n')) {
            const line = raw.replace(/\r$/, '');
            if (line.trim().length === 0 || line.trimStart().startsWith('#')) continue;
            base.push(line);
        }
    }
    const copies = Math.ceil(minLines / base.length);
    const path = join(root, 'bench', '.data', `ais-${copies * base.length}.nmea`);
    if (stale(path, sources)) {
        mkdirSync(dirname(path), { recursive: true });
        const block = base.join('\n') + '\n';
        writeFileSync(path, block.repeat(copies));
    }
    return {
        path,
        lines: copies * base.length,
        bytes: statSync(path).size,
        description: `repeated: ${base.length} real sample lines x ${copies} (every line recurs ${copies} times)`,
    };
}
