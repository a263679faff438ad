/**
 * Snapshots of the local Cosmos-protocol server's data (it keeps everything in memory only). The local stack takes
 * one periodically (every `snapshotIntervalMs`, default 30 s) and at stop, each time written to a temporary file,
 * flushed and renamed over the previous one (a crash leaves the old snapshot or the new one, never half of one).
 * The snapshot records `replayFrom`: the start of the oldest batch attempt still in flight when it was taken (its
 * state writes may be missing). At start, the stack restores the snapshot and re-drives the bronze written since
 * `replayFrom` through the same ingest use cases (shared/app/rebuild.ts), so the state after a kill -9 equals an
 * uninterrupted run's. The snapshot of a clean stop, taken after the trigger host stopped with no batch running,
 * has nothing to re-drive (`replayFrom` null on disk, +Infinity in memory): a restart after Ctrl-C reads no bronze.
 *
 * Version 3 stores the vessels' tracks in 10-minute buckets (shared/adapters/CosmosVesselStore.ts). An older snapshot
 * (versions 1 and 2: one track document per vessel-hour) is upgraded as it is read: each hour document becomes the
 * documents of its 10-minute buckets, as the ingest would have written them, so the state, the tracks and the
 * de-duplication keys carry over without re-driving bronze.
 *
 * Both directions go straight to the server's memory (`LocalServices.cosmosData`, local/cosmosServer.ts): a dump is
 * one consistent pass on the server's thread, and a restore of thousands of documents takes milliseconds where one
 * request per document took most of the start-up time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { splitHourTrackDocument } from '../shared/adapters/CosmosVesselStore.js';
import { COSMOS_CONTAINERS } from '../shared/config/settingNames.js';
import type { CosmosDocument } from './cosmosServer.js';
import type { LocalServices } from './services.js';

export const SNAPSHOT_FILE = 'cosmos-snapshot.json';
/** The snapshot format written: 3 since the track buckets are 10 minutes (2: hourly buckets). */
export const SNAPSHOT_VERSION = 3;

type CosmosData = LocalServices['cosmosData'];

export interface Snapshot {
    version: typeof SNAPSHOT_VERSION;
    takenAt: number;
    /** Bronze written from then on is re-driven at start; +Infinity: none. */
    replayFrom: number;
    containers: Record<string, CosmosDocument[]>;
}

export function readSnapshot(dataDir: string): Snapshot | undefined {
    const file = join(dataDir, SNAPSHOT_FILE);
    if (!existsSync(file)) return undefined;
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const replayFrom = typeof raw.replayFrom === 'number' ? raw.replayFrom : Number.POSITIVE_INFINITY;
    if (raw.version === SNAPSHOT_VERSION) return { ...(raw as unknown as Snapshot), replayFrom };
    if (raw.version === 2) {
        const old = raw as unknown as Snapshot;
        return {
            ...old,
            version: SNAPSHOT_VERSION,
            replayFrom,
            containers: withTenMinuteBuckets(old.containers),
        };
    }
    if (typeof raw.version === 'number')
        throw new Error(
            `${file}: snapshot version ${raw.version} is newer than this build reads (${SNAPSHOT_VERSION})`,
        );
    // Version 1 (saved only on a clean stop): the containers at the top level, nothing to replay.
    return {
        version: SNAPSHOT_VERSION,
        takenAt: 0,
        replayFrom: Number.POSITIVE_INFINITY,
        containers: withTenMinuteBuckets(raw as unknown as Snapshot['containers']),
    };
}

/** The containers of a version 1 or 2 snapshot with each hourly track document split into its 10-minute buckets. */
function withTenMinuteBuckets(containers: Snapshot['containers']): Snapshot['containers'] {
    const vessels = containers.vessels;
    if (vessels === undefined) return containers;
    return { ...containers, vessels: vessels.flatMap((doc) => splitHourTrackDocument(doc)) };
}

/** Puts the snapshot's documents into the server (the database and its containers must exist); returns how many. */
export function restoreSnapshot(data: CosmosData, database: string, snapshot: Snapshot): Promise<number> {
    const containers: Record<string, CosmosDocument[]> = {};
    for (const c of COSMOS_CONTAINERS) containers[c.name] = snapshot.containers[c.name] ?? [];
    return data.load(database, containers);
}

/**
 * Writes a snapshot of every container of `database` (write, flush, rename; on the server's thread, a document at a
 * time, so this thread never holds a copy of the store); `replayFrom` +Infinity: nothing to re-drive. Resolves to
 * the documents and bytes written.
 */
export async function writeSnapshot(
    data: CosmosData,
    database: string,
    dataDir: string,
    replayFrom: number,
): Promise<{ documents: number; bytes: number }> {
    const takenAt = Date.now();
    const due = Math.min(takenAt, replayFrom);
    const header = {
        version: SNAPSHOT_VERSION,
        takenAt,
        replayFrom: Number.isFinite(replayFrom) ? due : null,
    };
    return data.save(
        database,
        COSMOS_CONTAINERS.map((c) => c.name),
        header,
        join(dataDir, SNAPSHOT_FILE),
    );
}

/** Restores the saved snapshot, if any (used by `maritime gold --local`); returns the documents restored. */
export async function restoreCosmosSnapshot(
    data: CosmosData,
    database: string,
    dataDir: string,
): Promise<number> {
    const snapshot = readSnapshot(dataDir);
    return snapshot ? restoreSnapshot(data, database, snapshot) : 0;
}

/**
 * Saves a snapshot, keeping the replay watermark of the one it replaces (bronze not yet re-driven stays due; with
 * no snapshot before, all of it).
 */
export async function saveCosmosSnapshot(data: CosmosData, database: string, dataDir: string): Promise<void> {
    const previous = readSnapshot(dataDir);
    await writeSnapshot(data, database, dataDir, previous ? previous.replayFrom : 0);
}
