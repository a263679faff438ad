/**
 * Reading a saved local snapshot of the hourly track layout (version 2): each vessel-hour document becomes the
 * documents of its 10-minute buckets, as the ingest writes them now, so a data folder keeps its tracks and its
 * de-duplication keys across the upgrade.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { readSnapshot, SNAPSHOT_FILE, SNAPSHOT_VERSION } from '../../../local/cosmosSnapshot.js';
import { trackBucketId } from '../../../shared/adapters/CosmosVesselStore.js';

const H = Date.UTC(2026, 11, 3, 22);
const M = 60_000;
const dirs: string[] = [];

function folderWith(content: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
    dirs.push(dir);
    writeFileSync(join(dir, SNAPSHOT_FILE), JSON.stringify(content));
    return dir;
}

afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state = { id: 'state', docType: 'state', mmsi: 1, lastSeen: H, updatedAt: H, _etag: '"s"', _ts: 1 };
const hourDoc = {
    id: 'track-2026120322',
    docType: 'track',
    mmsi: 1,
    hourStart: H,
    points: [
        { t: H + M, lat: 1, lon: 2, e: 7 },
        { t: H + 9 * M, lat: 1, lon: 3 },
        { t: H + 35 * M, lat: 1, lon: 4 },
    ],
    seen: [
        [H + 2 * M, 11, 7],
        [H + 59 * M, 12, 8],
    ],
    ttl: 2_592_000,
    _etag: '"t"',
    _ts: 1,
};

describe('readSnapshot', () => {
    it('splits the hourly track documents of a version 2 snapshot into 10-minute buckets', () => {
        const dir = folderWith({
            version: 2,
            takenAt: 5,
            replayFrom: 4,
            containers: { vessels: [state, hourDoc], alerts: [{ id: 'a' }] },
        });

        const snapshot = readSnapshot(dir)!;

        expect(snapshot.version).toBe(SNAPSHOT_VERSION);
        expect(snapshot.replayFrom).toBe(4);
        expect(snapshot.containers.alerts).toEqual([{ id: 'a' }]);
        expect(snapshot.containers.vessels).toEqual([
            state,
            {
                id: trackBucketId(H),
                docType: 'track',
                mmsi: 1,
                bucketStart: H,
                points: [
                    { t: H + M, lat: 1, lon: 2, e: 7 },
                    { t: H + 9 * M, lat: 1, lon: 3 },
                ],
                seen: [[H + 2 * M, 11, 7]],
                ttl: 2_592_000,
            },
            {
                id: trackBucketId(H + 30 * M),
                docType: 'track',
                mmsi: 1,
                bucketStart: H + 30 * M,
                points: [{ t: H + 35 * M, lat: 1, lon: 4 }],
                ttl: 2_592_000,
            },
            {
                id: trackBucketId(H + 50 * M),
                docType: 'track',
                mmsi: 1,
                bucketStart: H + 50 * M,
                points: [],
                seen: [[H + 59 * M, 12, 8]],
                ttl: 2_592_000,
            },
        ]);
        expect(trackBucketId(H + 50 * M)).toBe('track-202612032250');
    });

    it('reads a version 3 snapshot as it is and refuses a newer version', () => {
        const bucket = { ...hourDoc, id: trackBucketId(H), hourStart: undefined, bucketStart: H };
        const current = { version: 3, takenAt: 5, replayFrom: null, containers: { vessels: [bucket] } };
        expect(readSnapshot(folderWith(current))).toEqual({
            ...current,
            replayFrom: Number.POSITIVE_INFINITY,
            containers: { vessels: [JSON.parse(JSON.stringify(bucket))] },
        });
        expect(() => readSnapshot(folderWith({ ...current, version: 4 }))).toThrow(/version 4/);
    });

    it('upgrades a version 1 snapshot (containers at the top level) too', () => {
        const snapshot = readSnapshot(folderWith({ vessels: [hourDoc] }))!;
        expect(snapshot.replayFrom).toBe(Number.POSITIVE_INFINITY);
        expect(snapshot.containers.vessels!.map((d) => d.id)).toEqual([
            'track-202612032200',
            'track-202612032230',
            'track-202612032250',
        ]);
    });
});
