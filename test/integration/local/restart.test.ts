/**
 * Restarting a persisted local stack: the vessel state comes back from the snapshot, straight into the
 * Cosmos-protocol server's memory. After a clean stop nothing is re-driven from bronze; after a crash (the stack
 * dies without its final snapshot) the bronze written since the last snapshot is re-driven, so no acknowledged
 * event is missing from the state. The stack starts its own services (startStack) on a temporary data folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { SNAPSHOT_FILE } from '../../../local/cosmosSnapshot.js';
import { type Stack, startStack } from '../../../local/stack.js';
import { positionEvents } from '../../helpers/factories.js';

const NOW = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), 'maritime-restart-'));
let stack: Stack | undefined;

afterAll(async () => {
    await stack?.abort();
    rmSync(dataDir, { recursive: true, force: true });
});

/** `n` position events of distinct vessels, a minute old. */
const positions = (n: number, first: number) => positionEvents(n, first, NOW - 60_000);

const open = (): Promise<Stack> =>
    startStack({
        dataDir,
        httpPort: 0,
        partitions: 2,
        maxBatchSize: 100,
        batchWindowMs: 10,
        retryDelayScale: 0.01,
        snapshotIntervalMs: 3_600_000,
    });

async function landed(s: Stack, accepted: number): Promise<void> {
    const started = Date.now();
    while (s.totals.accepted < accepted && Date.now() - started < 60_000)
        await new Promise((r) => setTimeout(r, 20));
    expect(s.totals.accepted).toBe(accepted);
}

/** MMSIs with a vessel-state document, read straight from the server. */
async function vesselsIn(s: Stack): Promise<number> {
    const all = await s.services.cosmosData.dump(s.runtime.config.cosmos.database);
    return new Set((all.vessels ?? []).map((d) => d.mmsi)).size;
}

describe('stack restart with saved state', () => {
    it('after a clean stop: restores the state and re-drives nothing', async () => {
        stack = await open();
        stack.publish(positions(300, 0));
        await landed(stack, 300);
        await stack.stop();
        stack = undefined;
        const saved = JSON.parse(readFileSync(join(dataDir, SNAPSHOT_FILE), 'utf8')) as {
            replayFrom: number | null;
        };
        expect(saved.replayFrom).toBeNull();

        stack = await open();
        expect(stack.restoredDocuments).toBeGreaterThanOrEqual(300);
        expect(stack.replayedBatches).toBe(0);
        expect(await vesselsIn(stack)).toBe(300);
    }, 120_000);

    it('after a crash (no final snapshot): re-drives the bronze written since the last snapshot, nothing lost', async () => {
        stack!.publish(positions(100, 300));
        await landed(stack!, 100);
        // Dies without saving (as kill -9 would): the newest snapshot is the one taken at start.
        await stack!.abort();
        stack = undefined;

        stack = await open();
        expect(stack.replayedBatches).toBeGreaterThan(0);
        expect(await vesselsIn(stack)).toBe(400);
        await stack.stop();
        stack = undefined;
    }, 120_000);
});
