import { describe, expect, it } from '@jest/globals';

import type { BlobInfo } from '../../../shared/app/ports.js';
import {
    batchOfFileName,
    deletableFiles,
    hourOfPath,
    liveFilesOfHour,
    markDeleted,
    needsCompaction,
    nextManifest,
    parseManifest,
    rewrittenFiles,
} from '../../../shared/app/silverManifest.js';

const HOUR = Date.parse('2026-05-04T10:00:00Z');
const folder = 'ais_positions/date=2026-05-04/hour=10/';
const blob = (name: string, lastModified = HOUR): BlobInfo => ({
    path: folder + name,
    lastModified,
    size: 100,
});
const names = (files: readonly BlobInfo[]) => files.map((f) => f.path.slice(folder.length));

describe('live files of a silver hour', () => {
    it('without a manifest: every batch file; compacted files a crashed run left are not read', () => {
        const listing = [
            blob('0-1-9.parquet'),
            blob('0-10-19.parquet'),
            blob('compacted-x-0.parquet'),
            blob('notes.txt'),
        ];
        expect(names(liveFilesOfHour(listing, undefined))).toEqual(['0-1-9.parquet', '0-10-19.parquet']);
    });

    it('with a manifest: the compacted files it names and batch files that came after (late data), never a replaced name', () => {
        const manifest = nextManifest(undefined, {
            table: 'ais_positions',
            hourStartMs: HOUR,
            inputs: [blob('0-1-9.parquet'), blob('0-10-19.parquet')],
            outputs: ['compacted-r1-0.parquet'],
            rows: 19,
            runId: 'r1',
            now: HOUR + 2 * 3_600_000,
        });
        const listing = [
            blob('0-1-9.parquet'),
            blob('0-10-19.parquet'),
            blob('0-20-29.parquet'),
            blob('compacted-r1-0.parquet'),
            blob('compacted-orphan-0.parquet'),
            blob('_manifest.json'),
        ];
        expect(names(liveFilesOfHour(listing, manifest))).toEqual([
            '0-20-29.parquet',
            'compacted-r1-0.parquet',
        ]);
        expect(needsCompaction(liveFilesOfHour(listing, manifest))).toBe(true);
        expect(needsCompaction([blob('compacted-r1-0.parquet')])).toBe(false);
    });

    it('replaced files and orphans go after the delay; deleted names stay in the manifest', () => {
        const t = HOUR + 2 * 3_600_000;
        const manifest = nextManifest(undefined, {
            table: 'ais_positions',
            hourStartMs: HOUR,
            inputs: [blob('0-1-9.parquet')],
            outputs: ['compacted-r1-0.parquet'],
            rows: 9,
            runId: 'r1',
            now: t,
        });
        const listing = [
            blob('0-1-9.parquet'),
            blob('compacted-r1-0.parquet', t),
            blob('compacted-old-0.parquet', t),
        ];
        expect(deletableFiles(listing, manifest, t + 59 * 60_000, 60 * 60_000)).toEqual([]);
        const due = deletableFiles(listing, manifest, t + 60 * 60_000, 60 * 60_000);
        expect(names(due)).toEqual(['0-1-9.parquet', 'compacted-old-0.parquet']);
        const marked = markDeleted(manifest, due);
        expect(marked.replaced).toEqual([
            { name: '0-1-9.parquet', replacedAt: t, lastModified: HOUR, deleted: true },
        ]);
        expect(
            names(liveFilesOfHour([blob('0-1-9.parquet'), blob('compacted-r1-0.parquet')], marked)),
        ).toEqual(['compacted-r1-0.parquet']);
    });

    it('a batch file written again under a replaced name (a rebuild) is rewritten: not read, not deleted, merged next', () => {
        const t = HOUR + 2 * 3_600_000;
        const manifest = nextManifest(undefined, {
            table: 'ais_positions',
            hourStartMs: HOUR,
            inputs: [blob('0-1-9.parquet', HOUR + 60_000), blob('0-10-19.parquet', HOUR + 120_000)],
            outputs: ['compacted-r1-0.parquet'],
            rows: 19,
            runId: 'r1',
            now: t,
        });
        expect(manifest.replaced.map((r) => [r.name, r.lastModified])).toEqual([
            ['0-1-9.parquet', HOUR + 60_000],
            ['0-10-19.parquet', HOUR + 120_000],
        ]);
        // 0-1-9 as it was; 0-10-19 written again by a rebuild (another Last-Modified, even an earlier clock).
        const listing = [
            blob('0-1-9.parquet', HOUR + 60_000),
            blob('0-10-19.parquet', HOUR + 119_000),
            blob('compacted-r1-0.parquet', t),
        ];
        expect(names(rewrittenFiles(listing, manifest))).toEqual(['0-10-19.parquet']);
        expect(names(liveFilesOfHour(listing, manifest))).toEqual(['compacted-r1-0.parquet']);
        expect(names(deletableFiles(listing, manifest, t + 3 * 3_600_000, 60 * 60_000))).toEqual([
            '0-1-9.parquet',
        ]);
        expect(rewrittenFiles(listing, undefined)).toEqual([]);

        // Deleted, then written again: rewritten whatever its time.
        const marked = markDeleted(manifest, [blob('0-1-9.parquet')]);
        expect(
            names(rewrittenFiles([blob('0-1-9.parquet', HOUR), blob('compacted-r1-0.parquet', t)], marked)),
        ).toEqual(['0-1-9.parquet']);
        // A manifest written before lastModified was recorded: rewritten when written after the switch.
        const legacy = { ...manifest, replaced: manifest.replaced.map(({ lastModified: _, ...r }) => r) };
        expect(
            names(rewrittenFiles([blob('0-1-9.parquet', t - 1), blob('0-10-19.parquet', t + 1)], legacy)),
        ).toEqual(['0-10-19.parquet']);
    });

    it('reads the batch range of a batch file name', () => {
        expect(batchOfFileName('0-1200-1455.parquet')).toEqual({
            partitionId: '0',
            firstSequence: 1200,
            lastSequence: 1455,
        });
        expect(batchOfFileName('12-5-5.parquet')).toEqual({
            partitionId: '12',
            firstSequence: 5,
            lastSequence: 5,
        });
        expect(batchOfFileName('compacted-0c1e-0.parquet')).toBeUndefined();
        expect(batchOfFileName('_manifest.json')).toBeUndefined();
    });

    it('a manifest round-trips and anything else is refused, not guessed', () => {
        const manifest = nextManifest(undefined, {
            table: 't',
            hourStartMs: HOUR,
            inputs: [],
            outputs: [],
            rows: 0,
            runId: 'r',
            now: 1,
        });
        expect(parseManifest(new TextEncoder().encode(JSON.stringify(manifest)), 'm')).toEqual(manifest);
        expect(() => parseManifest(new TextEncoder().encode('{"version":2}'), 'x/_manifest.json')).toThrow(
            /x\/_manifest.json is not a version-1 manifest/,
        );
        expect(() => parseManifest(new TextEncoder().encode('nope'), 'y')).toThrow(/not JSON/);
    });

    it('reads the hour of a path', () => {
        expect(hourOfPath(`${folder}0-1-9.parquet`)).toBe(HOUR);
        expect(hourOfPath('ais_positions/date=2026-05-04/0-1-9.parquet')).toBeUndefined();
    });
});
