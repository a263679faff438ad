/**
 * The benchmark input: the real AIS samples under shared/testdata/ais (gpsd sample.aivdm, gpsd
 * ais-18-27.log, libais typeexamples.nmea), comment and blank lines removed, repeated as a whole (so
 * multi-sentence messages stay complete) until the file has at least `minLines` lines. Cached under
 * bench/.data/ (git-ignored) and rebuilt when a sample is newer than the cache.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    /** Lines in one copy of the samples. */
    baseLines: number;
    copies: number;
    bytes: number;
}

export function buildDataset(minLines = 1_000_000): Dataset {
    const root = repoRoot();
    const dataDir = join(root, '..', 'shared', 'testdata', 'ais');
    const sources = SAMPLE_FILES.map((f) => join(dataDir, f));
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
    const newestSource = Math.max(...sources.map((s) => statSync(s).mtimeMs));
    if (!existsSync(path) || statSync(path).mtimeMs < newestSource) {
        mkdirSync(dirname(path), { recursive: true });
        const block = base.join('\n') + '\n';
        writeFileSync(path, block.repeat(copies));
    }
    return { path, lines: copies * base.length, baseLines: base.length, copies, bytes: statSync(path).size };
}
